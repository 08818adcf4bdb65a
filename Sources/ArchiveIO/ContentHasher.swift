internal import CXXHash

/// A 64-bit XXH3 fingerprint of content fed in pieces.
package final class ContentHasher {
  private let state: OpaquePointer?

  /// Starts a new fingerprint.
  package init() {
    state = XXH3_createState()
    XXH3_64bits_reset(state)
  }

  deinit { XXH3_freeState(state) }

  /// Adds bytes.
  package func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    XXH3_64bits_update(state, base, bytes.count)
  }

  /// Adds a hole of a sparse file: `length` zeros, as a short marker instead of the zeros
  /// themselves. A sparse file and a dense copy of it therefore differ; two sparse copies do not.
  package func updateHole(_ length: Int64) {
    var marker: [UInt8] = [0xFE]  // then the length, 8 bytes little-endian (no padding to hash)
    withUnsafeBytes(of: length.littleEndian) { marker.append(contentsOf: $0) }
    marker.withUnsafeBytes { update($0) }
  }

  /// The fingerprint of everything added.
  package var value: UInt64 { XXH3_64bits_digest(state) }

  /// The fingerprint of `bytes` at once.
  package static func fingerprint(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
  }
}

extension ArchiveReader {
  /// Reads the rest of the current entry, returning its fingerprint; keeps the first `keep`
  /// bytes too when asked.
  /// - Parameter limit: stop after this many bytes of content (a hole counts its length): the
  ///   fingerprint then covers only them, and the rest is skipped unread.
  package func fingerprintData(keeping keep: Int = 0, upTo limit: Int64 = .max) throws -> (
    fingerprint: UInt64, head: [UInt8]
  ) {
    let hasher = ContentHasher()
    var head: [UInt8] = []
    var left = limit
    expectContent(limit)
    // Hashed where libarchive holds it: no copy of the content.
    while left > 0 {
      let (piece, hole) = try nextContentOrHole(limit: Int(min(left, Int64(Int.max))))
      if hole > 0 {
        let counted = min(hole, left)
        hasher.updateHole(counted)
        left -= counted
        if head.count < keep {
          head.append(contentsOf: repeatElement(0, count: Int(min(counted, Int64(keep - head.count)))))
        }
        continue
      }
      if piece.isEmpty { break }
      hasher.update(piece)
      left -= Int64(piece.count)
      if head.count < keep { head.append(contentsOf: piece.prefix(keep - head.count)) }
    }
    return (hasher.value, head)
  }
}
