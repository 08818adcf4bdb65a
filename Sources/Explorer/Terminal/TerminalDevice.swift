/// The explorer's only way to the screen and the keyboard.
///
/// `PosixTerminal` is the real one (termios raw mode, the alternate screen, signals); tests
/// use a scripted one that records frames and replays keys.
package protocol TerminalDevice: AnyObject {
  /// The current size in cells.
  func size() -> TerminalSize
  /// Switches to full-screen mode: raw input, alternate screen, hidden cursor.
  func enter() throws
  /// Puts the terminal back as it was. Safe to call more than once.
  func restore()
  /// Writes text (already encoded with escape codes) to the screen.
  func write(_ text: String)
  /// Waits up to `timeoutMilliseconds` (`-1`: no limit) for a key, a resize or the end of input.
  func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent
  /// Gives the terminal back and stops until continued (Ctrl+Z), then takes it again.
  func suspend()
}

extension TerminalDevice {
  /// Terminals that cannot stop the process ignore Ctrl+Z.
  package func suspend() {}
}

/// Why the terminal could not be used.
package struct TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong, as a sentence.
  package var message: String

  /// Creates an error.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}
