import Glibc

/// Facts about where output goes.
enum Terminal {
  /// Whether standard output is a terminal that understands escape codes.
  static var stdoutIsTerminal: Bool {
    isatty(STDOUT_FILENO) != 0 && environment("TERM") != "dumb"
  }

  /// Colour choice: `always`, `never`, or `auto` (a terminal, and `NO_COLOR` unset).
  static func wantsColor(_ mode: ColorMode) -> Bool {
    switch mode {
    case .always: return true
    case .never: return false
    case .auto: return stdoutIsTerminal && (environment("NO_COLOR") ?? "").isEmpty
    }
  }

  /// Columns of the terminal on standard output, when it is one.
  static var width: Int? {
    guard stdoutIsTerminal else { return nil }
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}

/// `--color` values.
enum ColorMode: String, CaseIterable {
  case auto, always, never
}
