/// The read-only pager: a file's text, a diff between two versions, or a note for binary files.
package struct PagerModel: Sendable {
  /// One line of the pager.
  package struct Line: Sendable, Hashable {
    /// How it is marked (`.same` for plain file text).
    package var kind: DiffLine.Kind
    /// Its text, raw (escape before drawing).
    package var text: String
    /// Its line number in the file, for plain text.
    package var number: Int?
  }

  /// What the pager shows, as a heading.
  package var title: String
  /// A second heading line (layer, size, what was cut).
  package var subtitle: String
  /// The lines.
  package private(set) var lines: [Line]
  /// Whether this is a diff (lines carry `+`/`-` marks).
  package let isDiff: Bool
  /// The first line on screen.
  package private(set) var top = 0
  /// Columns scrolled away on the left.
  package private(set) var left = 0
  /// Lines on screen.
  package private(set) var height = 10
  /// The text searched for with `/` (smart case: case matters only with an upper-case letter).
  package private(set) var search: String?
  /// The lines holding it, in order.
  package private(set) var matches: [Int] = []
  /// The line of the current match.
  package private(set) var currentMatch: Int?

  /// A pager over a file's text.
  package init(title: String, subtitle: String, text: String) {
    self.title = title
    self.subtitle = subtitle
    isDiff = false
    lines = Self.split(text).enumerated().map { Line(kind: .same, text: $0.element, number: $0.offset + 1) }
  }

  /// A pager over a diff.
  package init(title: String, subtitle: String, diff: [DiffLine]) {
    self.title = title
    self.subtitle = subtitle
    isDiff = true
    lines = diff.map { Line(kind: $0.kind, text: $0.text, number: nil) }
  }

  /// A pager over lines of plain text, not numbered (details pages).
  package init(title: String, subtitle: String, lines: [String]) {
    self.title = title
    self.subtitle = subtitle
    isDiff = false
    self.lines = lines.map { Line(kind: .same, text: $0, number: nil) }
  }

  /// A pager with a note instead of content (binary files, read errors).
  package init(title: String, subtitle: String, note: [String]) {
    self.title = title
    self.subtitle = subtitle
    isDiff = false
    lines = note.map { Line(kind: .hunk, text: $0, number: nil) }
  }

  /// Scrolls by `delta` lines.
  package mutating func scroll(by delta: Int) { top = max(0, min(top + delta, max(0, lines.count - height))) }
  /// Scrolls by pages.
  package mutating func page(by pages: Int) { scroll(by: pages * max(1, height - 1)) }
  /// Scrolls to the first line.
  package mutating func toTop() { top = 0 }
  /// Scrolls to the last page.
  package mutating func toBottom() { scroll(by: lines.count) }
  /// Scrolls sideways by `delta` columns.
  package mutating func shift(by delta: Int) { left = max(0, left + delta) }
  /// Sets the lines on screen.
  package mutating func setHeight(_ lines: Int) {
    height = max(1, lines)
    scroll(by: 0)
  }

  /// Searches for `text` and shows the first match at or after the top line.
  package mutating func find(_ text: String) {
    guard !text.isEmpty else {
      search = nil
      matches = []
      currentMatch = nil
      return
    }
    search = text
    matches = lines.indices.filter { Self.line(lines[$0].text, contains: text) }
    currentMatch = nil
    if let first = matches.first(where: { $0 >= top }) ?? matches.first { show(match: first) }
  }

  /// Goes to the next match (`step` 1) or the previous one (-1), wrapping around.
  package mutating func nextMatch(_ step: Int) {
    guard !matches.isEmpty else { return }
    let current = currentMatch ?? top
    let next: Int?
    if step > 0 {
      next = matches.first(where: { $0 > current }) ?? matches.first
    } else {
      next = matches.last(where: { $0 < current }) ?? matches.last
    }
    if let next { show(match: next) }
  }

  private mutating func show(match line: Int) {
    currentMatch = line
    if line < top || line >= top + height { top = max(0, min(line - height / 3, max(0, lines.count - height))) }
  }

  /// Whether `text` holds `needle`, ignoring case unless the needle has an upper-case letter.
  package static func line(_ text: String, contains needle: String) -> Bool {
    ranges(of: needle, in: text).first != nil
  }

  /// Where `needle` occurs in `text` (smart case), as character offsets.
  package static func ranges(of needle: String, in text: String) -> [Range<Int>] {
    let fold = !needle.contains { $0.isUppercase }
    let haystack = Array(fold ? text.lowercased() : text)
    let pattern = Array(fold ? needle.lowercased() : needle)
    guard !pattern.isEmpty, haystack.count >= pattern.count, haystack.count == text.count else { return [] }
    var found: [Range<Int>] = []
    var start = 0
    while start + pattern.count <= haystack.count {
      if haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
        found.append(start..<(start + pattern.count))
        start += pattern.count
      } else {
        start += 1
      }
    }
    return found
  }

  /// Splits text into lines (`\n`, `\r\n`); a final newline makes no empty last line.
  package static func split(_ text: String) -> [String] {
    var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      String(line.last == "\r" ? line.dropLast() : line)
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}
