/// One full screen: exactly `size.rows` lines, each exactly `size.columns` wide.
package struct Frame: Sendable, Hashable {
  /// The lines, top to bottom.
  package var lines: [StyledLine]

  /// Creates a frame.
  package init(lines: [StyledLine]) { self.lines = lines }

  /// The screen as text, trailing spaces trimmed (what `tmux capture-pane -p` shows).
  package var plainText: String {
    lines.map { line in
      var text = line.plain
      while text.last == " " { text.removeLast() }
      return text
    }.joined(separator: "\n")
  }

  /// Each line encoded with ANSI codes.
  package func encodedLines(colored: Bool) -> [String] { lines.map { $0.ansi(colored: colored) } }
}

/// Turns a new frame into the bytes that update the screen: only changed lines are rewritten.
package enum FrameWriter {
  /// Escape codes and text that turn the screen showing `previous` (nil: unknown, redraw all)
  /// into one showing `lines`.
  package static func update(from previous: [String]?, to lines: [String]) -> String {
    var out = ""
    if previous == nil || previous?.count != lines.count { out += "\u{1B}[0m\u{1B}[2J" }
    for (row, line) in lines.enumerated() {
      if let previous, previous.count == lines.count, previous[row] == line { continue }
      out += "\u{1B}[\(row + 1);1H\u{1B}[0m" + line
    }
    return out
  }
}
