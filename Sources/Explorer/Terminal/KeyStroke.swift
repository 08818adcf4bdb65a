/// One key press, decoded from the bytes a terminal sends.
package enum KeyStroke: Hashable, Sendable {
  /// A printable character (letters, digits, punctuation, any Unicode text).
  case character(Character)
  /// A control chord: `.control("a")` is Ctrl+A, `.control(" ")` is Ctrl+Space.
  case control(Character)
  /// Enter (Return). In a terminal Ctrl+M sends the same byte.
  case enter
  /// Tab (Ctrl+I sends the same byte).
  case tab
  /// Shift+Tab.
  case backTab
  /// Escape, alone.
  case escape
  /// Backspace (DEL or Ctrl+H).
  case backspace
  /// The forward Delete key.
  case delete
  /// Arrow and navigation keys.
  case up, down, left, right, pageUp, pageDown, home, end
  /// A sequence strata does not use (function keys, mouse reports).
  case unknown

  /// Whether this is Ctrl+C, which always quits.
  package var isInterrupt: Bool { self == .control("c") }
}

/// What the run loop waits for.
package enum TerminalEvent: Hashable, Sendable {
  /// A key.
  case key(KeyStroke)
  /// The terminal changed size.
  case resize
  /// The wait ran out with nothing to report.
  case timeout
  /// The input ended (the terminal went away).
  case endOfInput
}

/// A size in character cells.
package struct TerminalSize: Hashable, Sendable {
  /// Lines.
  package var rows: Int
  /// Columns.
  package var columns: Int

  /// Creates a size.
  package init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
  }
}
