import Reporting

/// How a piece of text looks: a meaning (coloured only when colour is on) and attributes that
/// read without colour (bold, reverse, underline, dim).
package struct TextStyle: Hashable, Sendable {
  /// What the text means, for its colour.
  package enum Role: Hashable, Sendable {
    case added, modified, removed, directory, heading, muted, accent, warning, danger
  }

  /// The meaning (nil: default colour).
  package var role: Role?
  /// Bold.
  package var bold = false
  /// Reverse video (the selection).
  package var reverse = false
  /// Underlined (the selection of a pane without focus).
  package var underline = false
  /// Faint.
  package var dim = false

  /// Creates a style.
  package init(
    _ role: Role? = nil, bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false
  ) {
    self.role = role
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
  }

  /// No colour, no attributes.
  package static let plain = TextStyle()

  /// The SGR parameters for this style (`1;32`), or "" for plain text.
  func sgr(colored: Bool) -> String {
    var codes: [String] = []
    if bold { codes.append("1") }
    if dim { codes.append("2") }
    if underline { codes.append("4") }
    if reverse { codes.append("7") }
    if colored, let role {
      switch role {
      case .added: codes.append("32")
      case .modified: codes.append("33")
      case .removed: codes.append("31")
      case .directory: codes.append("34")
      case .heading: codes.append("1")
      case .muted: codes.append("2")
      case .accent: codes.append("36")
      case .warning: codes.append("33")
      case .danger: codes.append("31")
      }
    } else if role == .muted && !dim {
      codes.append("2")
    }
    return codes.joined(separator: ";")
  }
}

/// One screen line built from styled runs. Text put in must already be safe to print (names
/// from the image go through `SafeText.escape` first); widths count terminal columns.
package struct StyledLine: Hashable, Sendable {
  /// The runs, left to right.
  package private(set) var runs: [Run] = []
  /// Columns used.
  package private(set) var width = 0

  /// A piece of text in one style.
  package struct Run: Hashable, Sendable {
    /// The text, safe to print.
    package var text: String
    /// How it looks.
    package var style: TextStyle
  }

  /// An empty line.
  package init() {}

  /// A line of one run.
  package init(_ text: String, _ style: TextStyle = .plain) { append(text, style) }

  /// Adds text at the end.
  package mutating func append(_ text: String, _ style: TextStyle = .plain) {
    guard !text.isEmpty else { return }
    width += SafeText.width(text)
    if let last = runs.last, last.style == style {
      runs[runs.count - 1].text += text
    } else {
      runs.append(Run(text: text, style: style))
    }
  }

  /// Adds another line's runs at the end.
  package mutating func append(_ other: StyledLine) {
    for run in other.runs { append(run.text, run.style) }
  }

  /// The line cut to `columns` (ending in `…` when cut) or padded with spaces to exactly that.
  /// - Parameter fill: the style of the padding (a selected line pads in reverse video).
  package func fitted(to columns: Int, fill: TextStyle = .plain) -> StyledLine {
    var result = StyledLine()
    if width <= columns {
      result = self
    } else {
      var remaining = columns - 1
      for run in runs where remaining > 0 {
        let runWidth = SafeText.width(run.text)
        if runWidth <= remaining {
          result.append(run.text, run.style)
          remaining -= runWidth
        } else {
          result.append(Self.prefix(run.text, columns: remaining), run.style)
          remaining = 0
        }
      }
      if columns > 0 { result.append("…", runs.last?.style ?? .plain) }
    }
    if result.width < columns { result.append(String(repeating: " ", count: columns - result.width), fill) }
    return result
  }

  /// The line with `style`'s attributes (reverse, bold) added to every run.
  package func highlighted(_ style: TextStyle) -> StyledLine {
    var result = StyledLine()
    for run in runs {
      var merged = run.style
      merged.reverse = merged.reverse || style.reverse
      merged.bold = merged.bold || style.bold
      merged.underline = merged.underline || style.underline
      result.append(run.text, merged)
    }
    return result
  }

  /// The text without styling.
  package var plain: String { runs.map(\.text).joined() }

  /// The text with ANSI SGR codes; ends with a reset when any style was used.
  package func ansi(colored: Bool) -> String {
    var out = ""
    var styled = false
    for run in runs {
      let codes = run.style.sgr(colored: colored)
      if codes.isEmpty {
        if styled { out += "\u{1B}[0m" }
        styled = false
      } else {
        out += "\u{1B}[0;\(codes)m"
        styled = true
      }
      out += run.text
    }
    if styled { out += "\u{1B}[0m" }
    return out
  }

  /// The line fitted to `columns` with `trailing` kept whole at its right end.
  package func withTrailing(_ trailing: StyledLine, columns: Int, fill: TextStyle = .plain) -> StyledLine {
    guard trailing.width > 0, trailing.width < columns else { return fitted(to: columns, fill: fill) }
    var result = fitted(to: columns - trailing.width, fill: fill)
    result.append(trailing)
    return result
  }

  /// `text` (already safe to print) shortened to `columns` by putting `…` in place of its middle,
  /// so the end of a path or a command (a file's extension, a `COPY`'s destination) stays.
  package static func middle(_ text: String, columns: Int) -> String {
    guard SafeText.width(text) > columns else { return text }
    guard columns > 1 else { return columns == 1 ? "…" : "" }
    let tailColumns = (columns - 1) / 2
    let head = prefix(text, columns: columns - 1 - tailColumns)
    var tail = ""
    var used = 0
    for character in text.reversed() {
      let needed = SafeText.width(String(character))
      if used + needed > tailColumns { break }
      tail.insert(character, at: tail.startIndex)
      used += needed
    }
    return head + "…" + tail
  }

  /// `text` broken into lines of at most `columns`, at spaces where it can (a word longer
  /// than a line is cut).
  package static func wrap(_ text: String, columns: Int) -> [String] {
    let limit = max(1, columns)
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
        var word = String(word)
        let candidate = line.isEmpty ? word : line + " " + word
        if SafeText.width(candidate) <= limit {
          line = candidate
          continue
        }
        if !line.isEmpty { lines.append(line) }
        while SafeText.width(word) > limit {
          let head = prefix(word, columns: limit)
          lines.append(head)
          word = String(word.dropFirst(head.count))
        }
        line = word
      }
      lines.append(line)
    }
    return lines
  }

  /// How many lines of a list are above and below what a pane shows (`↑3 ↓12`), or "".
  static func scrollMarks(top: Int, height: Int, count: Int) -> String {
    let above = max(0, top)
    let below = max(0, count - top - height)
    var parts: [String] = []
    if above > 0 { parts.append("↑\(above)") }
    if below > 0 { parts.append("↓\(below)") }
    return parts.isEmpty ? "" : parts.joined(separator: " ") + " more "
  }

  /// The longest start of `text` that fits in `columns`.
  static func prefix(_ text: String, columns: Int) -> String {
    var result = ""
    var used = 0
    for character in text {
      let needed = SafeText.width(String(character))
      if used + needed > columns { break }
      result.append(character)
      used += needed
    }
    return result
  }
}
