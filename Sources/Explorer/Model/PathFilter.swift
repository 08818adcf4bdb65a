import Analysis

/// What `/` typed: a substring of the path, or a glob when the text has `*`, `?` or `[`.
///
/// Substrings are matched ignoring ASCII case unless the text has an upper-case letter (smart
/// case, as in less and vim). Globs follow `Glob`: `*.pyc` matches at any depth, `/usr/*`
/// only at the root.
package struct PathFilter: Sendable, Hashable {
  /// The text as typed.
  package let text: String
  private let glob: Glob?
  private let needle: [UInt8]
  private let foldCase: Bool

  /// A filter for `text`, or nil when it is empty.
  package init?(_ text: String) {
    guard !text.isEmpty else { return nil }
    self.text = text
    let isGlob = text.contains { "*?[".contains($0) }
    glob = isGlob ? Glob(text) : nil
    foldCase = !text.contains { $0.isUppercase }
    needle = Array((foldCase ? text.lowercased() : text).utf8)
  }

  /// Whether this is a glob (else a substring).
  package var isGlob: Bool { glob != nil }

  /// Whether the `/`-rooted path matches.
  package func matches(_ path: String) -> Bool {
    if let glob { return glob.matches(path) }
    return Self.contains(path.utf8, needle, foldCase: foldCase)
  }

  /// Whether every path under a matching directory matches too (true for substrings).
  var matchesDescendantsOfMatches: Bool { glob == nil }

  /// Whether a path's match depends on its last component alone (given its parent's match, for
  /// substrings): true when the text has no `/`. Then no full paths need building.
  var matchesByName: Bool { !text.contains("/") }

  /// Whether a name matches (see `matchesByName`).
  func matches(name: String) -> Bool {
    if let glob { return glob.matches("/" + name) }
    return Self.contains(name.utf8, needle, foldCase: foldCase)
  }

  private static func contains(_ haystack: String.UTF8View, _ needle: [UInt8], foldCase: Bool) -> Bool {
    guard !needle.isEmpty else { return true }
    let bytes = Array(haystack)
    guard bytes.count >= needle.count else { return false }
    let first = needle[0]
    for start in 0...(bytes.count - needle.count) {
      guard fold(bytes[start], foldCase) == first else { continue }
      var matched = true
      for offset in 1..<needle.count where fold(bytes[start + offset], foldCase) != needle[offset] {
        matched = false
        break
      }
      if matched { return true }
    }
    return false
  }

  private static func fold(_ byte: UInt8, _ foldCase: Bool) -> UInt8 {
    foldCase && byte >= 65 && byte <= 90 ? byte + 32 : byte
  }
}
