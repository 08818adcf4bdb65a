/// Shell-style path patterns: `*` (within one component), `**` (any number of components),
/// `?`, `[abc]`, `[!a-z]`. Patterns match `/`-rooted paths; a pattern without a leading `/`
/// matches at any depth (`*.pyc` is `**/*.pyc`).
package struct Glob: Sendable, Hashable, CustomStringConvertible {
  /// The pattern as written.
  package let pattern: String
  /// The names of the pattern, `**` added in front of a floating one and after a trailing `/`.
  let components: [String]
  /// A piece of text every matching path contains, to reject most paths cheaply.
  let literal: [UInt8]
  /// Every run of plain characters between wildcards, without the slashes at its ends, in the
  /// pattern's order: a matching path holds them all, in this order, without overlaps.
  let literals: [[UInt8]]
  /// How many `**` components the pattern has.
  private let doubleStars: Int

  /// Compiles a pattern.
  package init(_ pattern: String) {
    self.pattern = pattern
    var parts = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    if !pattern.hasPrefix("/") && parts.first != "**" { parts.insert("**", at: 0) }
    if pattern.hasSuffix("/") { parts.append("**") }
    components = parts
    doubleStars = parts.filter { $0 == "**" }.count
    // The longest run of plain characters, without the slashes at its ends ("**/*~" → "~").
    var longest = ""
    var runs: [String] = []
    var current = ""
    var inClass = false
    for scalar in pattern.unicodeScalars {
      if inClass {
        if scalar == "]" { inClass = false }
      } else if "*?[".unicodeScalars.contains(scalar) {
        runs.append(current)
        current = ""
        inClass = scalar == "["
      } else {
        current.unicodeScalars.append(scalar)
      }
    }
    runs.append(current)
    var trimmedRuns: [[UInt8]] = []
    for run in runs {
      let trimmed = String(run.drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed())
      if trimmed.count > longest.count { longest = trimmed }
      if !trimmed.isEmpty { trimmedRuns.append(Array(trimmed.utf8)) }
    }
    literal = Array(longest.utf8)
    literals = trimmedRuns
  }

  package var description: String { pattern }

  /// Whether the `/`-rooted path matches.
  package func matches(_ path: String) -> Bool {
    if !literal.isEmpty && !Self.contains(path, literal) { return false }
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    if doubleStars <= 1 { return matchSimple(0, parts, 0) }
    var memo: [Int: Bool] = [:]
    return match(0, parts, 0, &memo)
  }

  /// The plain recursion: with at most one `**` it tries each split once.
  private func matchSimple(_ p: Int, _ parts: [Substring], _ s: Int) -> Bool {
    if p == components.count { return s == parts.count }
    if components[p] == "**" {
      var start = s
      while start <= parts.count {
        if matchSimple(p + 1, parts, start) { return true }
        start += 1
      }
      return false
    }
    guard s < parts.count, Self.component(Array(components[p].unicodeScalars), Array(parts[s].unicodeScalars)) else {
      return false
    }
    return matchSimple(p + 1, parts, s + 1)
  }

  private func match(_ p: Int, _ parts: [Substring], _ s: Int, _ memo: inout [Int: Bool]) -> Bool {
    let key = p * (parts.count + 1) + s
    if let known = memo[key] { return known }
    let result: Bool
    if p == components.count {
      result = s == parts.count
    } else if components[p] == "**" {
      result = match(p + 1, parts, s, &memo) || (s < parts.count && match(p, parts, s + 1, &memo))
    } else {
      result =
        s < parts.count && Self.component(Array(components[p].unicodeScalars), Array(parts[s].unicodeScalars))
        && match(p + 1, parts, s + 1, &memo)
    }
    memo[key] = result
    return result
  }

  /// Whether `text` contains the bytes `needle` (a plain scan: the standard library's
  /// `contains` goes through its regex machinery and is far slower on millions of paths).
  static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
    var text = text
    return text.withUTF8 { haystack in
      guard needle.count <= haystack.count, let first = needle.first else { return needle.isEmpty }
      let last = haystack.count - needle.count
      var index = 0
      while index <= last {
        if haystack[index] == first {
          var offset = 1
          while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
          if offset == needle.count { return true }
        }
        index += 1
      }
      return false
    }
  }

  /// Matches one component with `*`, `?` and classes.
  static func component(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
    var p = 0
    var t = 0
    var starP = -1
    var starT = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "*" {
        starP = p
        starT = t
        p += 1
      } else if p < pattern.count, let width = classMatch(pattern, p, text[t]) {
        if width > 0 {
          p += width
          t += 1
        } else if starP >= 0 {
          p = starP + 1
          starT += 1
          t = starT
        } else {
          return false
        }
      } else if starP >= 0 {
        p = starP + 1
        starT += 1
        t = starT
      } else {
        return false
      }
    }
    while p < pattern.count && pattern[p] == "*" { p += 1 }
    return p == pattern.count
  }

  /// How many pattern scalars matched `character` at `p` (0: no match), or nil when the
  /// pattern scalar is a literal that does not match.
  private static func classMatch(_ pattern: [Unicode.Scalar], _ p: Int, _ character: Unicode.Scalar) -> Int? {
    let first = pattern[p]
    if first == "?" { return 1 }
    guard first == "[", let close = pattern[(p + 1)...].firstIndex(of: "]"), close > p + 1 else {
      return first == character ? 1 : nil
    }
    var index = p + 1
    var negate = false
    if pattern[index] == "!" || pattern[index] == "^" {
      negate = true
      index += 1
    }
    var found = false
    while index < close {
      if index + 2 < close, pattern[index + 1] == "-" {
        if pattern[index].value <= character.value && character.value <= pattern[index + 2].value { found = true }
        index += 3
      } else {
        if pattern[index] == character { found = true }
        index += 1
      }
    }
    return found != negate ? close - p + 1 : 0
  }
}
