internal import CCrypto

/// SHA-256 over bytes given in pieces, through OpenSSL's libcrypto.
///
/// ```swift
/// let hash = SHA256()
/// hash.update(bytes)
/// let digest = hash.finalize()  // "sha256:…" (64 lower-case hex digits)
/// ```
package final class SHA256: @unchecked Sendable {
  // One owner at a time: a transfer thread hashes, then hands the result over.
  private let context: OpaquePointer?

  /// Starts an empty hash.
  package init() {
    context = EVP_MD_CTX_new()
    if let context { EVP_DigestInit_ex(context, EVP_sha256(), nil) }
  }

  deinit { EVP_MD_CTX_free(context) }

  /// Adds bytes.
  package func update(_ bytes: UnsafeRawBufferPointer) {
    guard let context, let base = bytes.baseAddress, bytes.count > 0 else { return }
    EVP_DigestUpdate(context, base, bytes.count)
  }

  /// Adds bytes.
  package func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// The digest, as registries write it: `sha256:` and 64 lower-case hex digits. Call it once,
  /// after the last `update`.
  package func finalize() -> String {
    var out = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    if let context { EVP_DigestFinal_ex(context, &out, &length) }
    let digits = Array("0123456789abcdef".utf8)
    var text = "sha256:"
    for byte in out {
      text.unicodeScalars.append(Unicode.Scalar(digits[Int(byte >> 4)]))
      text.unicodeScalars.append(Unicode.Scalar(digits[Int(byte & 15)]))
    }
    return text
  }

  /// The digest of `bytes`.
  package static func digest(_ bytes: [UInt8]) -> String {
    let hash = SHA256()
    hash.update(bytes)
    return hash.finalize()
  }
}
