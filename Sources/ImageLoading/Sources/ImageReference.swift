/// Docker's grammar of image references (`[host[:port]/]path[:tag][@digest]`), as far as strata
/// needs it: telling a reference from a path, and keeping a reference safe to put in a URL.
enum ImageReference {
  /// Whether `text` is a well-formed reference: lower-case path components of letters, digits
  /// and `.`, `_`, `-` separators, an optional host (which may carry a port and upper case), an
  /// optional tag of up to 128 `[A-Za-z0-9_.-]` characters, an optional `@algorithm:hex` digest.
  /// A bare image ID (64 hex digits, or `sha256:` and 64) counts too.
  static func isValid(_ text: String) -> Bool {
    guard !text.isEmpty, text.utf8.count <= 512 else { return false }
    var rest = Substring(text)
    if let at = rest.firstIndex(of: "@") {
      guard isDigest(rest[rest.index(after: at)...]) else { return false }
      rest = rest[..<at]
      if rest.isEmpty { return false }
    }
    if isDigest(rest) { return true }
    var components = rest.split(separator: "/", omittingEmptySubsequences: false)
    guard let last = components.last else { return false }
    if let colon = last.lastIndex(of: ":") {
      guard isTag(last[last.index(after: colon)...]) else { return false }
      components[components.count - 1] = last[..<colon]
    }
    if components.count > 1, isHost(components[0]) { components.removeFirst() }
    return components.allSatisfy(isPathComponent)
  }

  /// `sha256:` and 64 lower-case hex digits (or 64 alone, an image ID).
  static func isDigest(_ text: Substring) -> Bool {
    let hex = text.hasPrefix("sha256:") ? text.dropFirst(7) : text
    return hex.utf8.count == 64 && hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }

  private static func isTag(_ text: Substring) -> Bool {
    guard let first = text.utf8.first, text.utf8.count <= 128, first != UInt8(ascii: "."), first != UInt8(ascii: "-")
    else { return false }
    return text.utf8.allSatisfy {
      isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
    }
  }

  /// `localhost`, or a name with a `.` or a `:port`, or an IPv6 literal in brackets.
  private static func isHost(_ text: Substring) -> Bool {
    guard text == "localhost" || text.contains(".") || text.contains(":"),
      let first = text.utf8.first, let last = text.utf8.last,
      isAlphanumeric(first) || first == UInt8(ascii: "["), isAlphanumeric(last) || last == UInt8(ascii: "]")
    else { return false }
    if text.contains("..") { return false }
    return text.utf8.allSatisfy {
      isAlphanumeric($0)
        || [UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]")]
          .contains($0)
    }
  }

  /// Lower-case letters and digits, single separators (`.`, `_`, `__`, runs of `-`) between them.
  private static func isPathComponent(_ text: Substring) -> Bool {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else {
      return false
    }
    var previousSeparator = false
    for byte in bytes {
      if isLowerAlphanumeric(byte) {
        previousSeparator = false
      } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
        if previousSeparator && byte == UInt8(ascii: ".") { return false }
        previousSeparator = true
      } else {
        return false
      }
    }
    return true
  }

  private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte)
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isLowerAlphanumeric(byte) || (0x41...0x5A).contains(byte)
  }

  /// Whether a name that is no existing file was still meant as a path: it starts like one
  /// (`/`, `./`, `../`, `~`) or ends like an archive (`.tar`, `.tgz`, `.tar.gz`, `.tar.zst`, …).
  static func looksLikePath(_ text: String) -> Bool {
    if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../") || text.hasPrefix("~") { return true }
    let suffixes = [".tar", ".tgz", ".tar.gz", ".gz", ".tzst", ".tar.zst", ".zst", ".oci"]
    return suffixes.contains { text.hasSuffix($0) }
  }
}
