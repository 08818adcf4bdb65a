/// Tells text from binary content and names common binary formats by their first bytes.
package enum FileType {
  /// What a file's leading bytes look like.
  package enum Kind: Sendable, Hashable {
    /// UTF-8 text (the decoded lines).
    case text
    /// Anything else, with a name for it (`ELF executable`, `gzip data`, …).
    case binary(String)
  }

  /// Classifies `bytes` (the head of a file): binary when it has a NUL byte or is not UTF-8
  /// (a multi-byte character cut at the end of the head is allowed).
  package static func classify(_ bytes: [UInt8]) -> Kind {
    if let name = magicName(bytes) { return .binary(name) }
    let sample = bytes.prefix(64 * 1024)
    if sample.contains(0) { return .binary("binary data") }
    // The last character may be cut by the head limit: leave out its lead and continuation bytes.
    var continuation = 0
    while continuation < 3, continuation < sample.count, sample[sample.endIndex - 1 - continuation] & 0xC0 == 0x80 {
      continuation += 1
    }
    let leadIndex = sample.endIndex - 1 - continuation
    let cut = leadIndex >= sample.startIndex && sample[leadIndex] >= 0xC0 ? continuation + 1 : 0
    return isUTF8(sample) || (cut > 0 && isUTF8(sample.dropLast(cut))) ? .text : .binary("binary data")
  }

  /// Whether the bytes are well-formed UTF-8.
  static func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue: continue
      case .emptyInput: return true
      case .error: return false
      }
    }
  }

  /// A name for well-known binary formats.
  static func magicName(_ bytes: [UInt8]) -> String? {
    let signatures: [([UInt8], String)] = [
      ([0x7F, 0x45, 0x4C, 0x46], "ELF executable or library"),
      ([0x1F, 0x8B], "gzip data"),
      ([0x28, 0xB5, 0x2F, 0xFD], "zstd data"),
      ([0x42, 0x5A, 0x68], "bzip2 data"),
      ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz data"),
      ([0x04, 0x22, 0x4D, 0x18], "lz4 data"),
      ([0x50, 0x4B, 0x03, 0x04], "zip archive (jar, wheel, …)"),
      ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
      ([0xFF, 0xD8, 0xFF], "JPEG image"),
      ([0x47, 0x49, 0x46, 0x38], "GIF image"),
      ([0x25, 0x50, 0x44, 0x46], "PDF document"),
      ([0xCA, 0xFE, 0xBA, 0xBE], "Java class or Mach-O universal binary"),
      ([0x00, 0x61, 0x73, 0x6D], "WebAssembly module"),
      (Array("SQLite format 3".utf8), "SQLite database"),
      (Array("!<arch>".utf8), "ar archive (static library, .deb)"),
    ]
    for (magic, name) in signatures where bytes.starts(with: magic) { return name }
    if bytes.count > 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return "tar archive" }
    return nil
  }
}
