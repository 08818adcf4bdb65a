import Platform

import Glibc

/// The real terminal: termios raw mode on the controlling terminal, ANSI output on standard
/// output, SIGWINCH for resizes, and the screen restored on quit, on error, on SIGINT,
/// SIGTERM, SIGHUP and SIGQUIT, and on a crash (SIGABRT, SIGILL, SIGTRAP, SIGSEGV, SIGBUS).
///
/// Keys are read from `/dev/tty`, so the image itself may come on standard input
/// (`docker save app | strata explore -`).
package final class PosixTerminal: TerminalDevice {
  private var input: Int32 = -1
  private var ownsInput = false
  private let output: Int32 = STDOUT_FILENO
  private var wakeRead: Int32 = -1
  private var decoder = KeyDecoder()
  private var queue: [KeyStroke] = []
  private var active = false
  private var handledSignals: [Int32] = []

  /// How long a lone ESC waits for the rest of a sequence.
  static let escapeDelayMilliseconds: Int32 = 30

  /// Creates a terminal; nothing changes until `enter()`.
  package init() {}

  deinit { restore() }

  /// Whether standard output is a terminal that understands escape codes (`TERM` is not `dumb`).
  package static var standardOutputIsTerminal: Bool {
    guard isatty(STDOUT_FILENO) != 0 else { return false }
    guard let term = getenv("TERM") else { return true }
    return String(cString: term) != "dumb"
  }

  /// The size of standard output's terminal (80×24 when it cannot be read).
  package func size() -> TerminalSize {
    var window = winsize()
    if ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 {
      return TerminalSize(rows: Int(window.ws_row), columns: Int(window.ws_col))
    }
    return TerminalSize(rows: 24, columns: 80)
  }

  /// Raw mode on `/dev/tty`, the alternate screen, signal handlers.
  /// - Throws: `TerminalError` when there is no terminal to read keys from.
  package func enter() throws {
    guard !active else { return }
    try openInput()
    var saved = termios()
    guard tcgetattr(input, &saved) == 0 else { throw TerminalError("cannot read the terminal's settings") }
    var raw = Self.rawSettings(saved)
    var pipeEnds: [Int32] = [-1, -1]
    guard pipe(&pipeEnds) == 0 else {
      closeInput()
      throw TerminalError("cannot create a pipe for resize signals")
    }
    for end in pipeEnds { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
    wakeRead = pipeEnds[0]
    SignalState.install(saved: saved, input: input, output: output, wake: pipeEnds[1])
    guard tcsetattr(input, TCSAFLUSH, &raw) == 0 else {
      SignalState.uninstall()
      close(wakeRead)
      closeInput()
      throw TerminalError("cannot switch the terminal to raw mode")
    }
    active = true
    installSignalHandlers()
    write(ScreenCodes.enter)
  }

  /// Undoes `enter()`: screen, settings and signal handlers as they were.
  package func restore() {
    guard active else { return }
    active = false
    write(ScreenCodes.leave.description)
    for number in handledSignals { SignalState.reinstatePrevious(number) }
    handledSignals = []
    var saved = SignalState.saved
    _ = tcsetattr(input, TCSAFLUSH, &saved)
    SignalState.uninstall()
    close(wakeRead)
    wakeRead = -1
    closeInput()
  }

  /// Ctrl+Z: puts the terminal back as the shell had it, stops the process (SIGTSTP, as the
  /// terminal's own suspend key would), and once continued (`fg`) takes the terminal again.
  package func suspend() {
    guard active else { return }
    write(ScreenCodes.leave.description)
    var saved = SignalState.saved
    _ = tcsetattr(input, TCSAFLUSH, &saved)
    // The default action stops us here; SIGCONT resumes after this line.
    kill(0, SIGTSTP)
    var raw = PosixTerminal.rawSettings(SignalState.saved)
    _ = tcsetattr(input, TCSAFLUSH, &raw)
    write(ScreenCodes.enter)
  }

  /// Writes to standard output, retrying interrupted writes.
  package func write(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { raw in
        systemWrite(output, raw.baseAddress.map { $0 + offset }, raw.count - offset)
      }
      if written < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return
      }
      offset += written
    }
    bytes.removeAll()
  }

  /// Waits for a key (decoded), a resize (from SIGWINCH) or the end of input.
  package func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
    if !queue.isEmpty { return .key(queue.removeFirst()) }
    while true {
      var descriptors = [
        pollfd(fd: input, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
      ]
      let wait = decoder.hasPending ? Self.escapeDelayMilliseconds : Int32(clamping: timeoutMilliseconds)
      let ready = poll(&descriptors, 2, wait)
      if ready < 0 {
        if errno == EINTR { continue }
        return .endOfInput
      }
      if ready == 0 {
        guard decoder.hasPending else { return .timeout }
        queue += decoder.flush()
        if !queue.isEmpty { return .key(queue.removeFirst()) }
        continue
      }
      if descriptors[1].revents & Int16(POLLIN) != 0 {
        var drain = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &drain, drain.count) > 0 {}
        return .resize
      }
      if descriptors[0].revents != 0 {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(input, &buffer, buffer.count)
        if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
        if count <= 0 { return .endOfInput }
        queue += decoder.feed(Array(buffer[0..<count]))
        if !queue.isEmpty { return .key(queue.removeFirst()) }
      }
    }
  }

  /// `saved` with raw input and output: no echo, no line editing, no signals from keys.
  static func rawSettings(_ saved: termios) -> termios {
    var raw = saved
    raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
    raw.c_oflag &= ~tcflag_t(OPOST)
    raw.c_cflag |= tcflag_t(CS8)
    raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
    withUnsafeMutableBytes(of: &raw.c_cc) { cells in
      cells[Int(VMIN)] = 1
      cells[Int(VTIME)] = 0
    }
    return raw
  }

  private func installSignalHandlers() {
    SignalState.install(SIGWINCH, onResizeSignal)
    var handled = sigset_t()
    sigemptyset(&handled)
    sigaddset(&handled, SIGWINCH)
    handledSignals = [SIGWINCH]
    // Termination requests, and the signals a crash raises (a Swift trap is SIGILL or SIGTRAP).
    for number in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGABRT, SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE] {
      SignalState.install(number, onTerminateSignal)
      handledSignals.append(number)
      sigaddset(&handled, number)
    }
    // A parent may have started us with these blocked; they must reach the handlers.
    pthread_sigmask(SIG_UNBLOCK, &handled, nil)
  }

  private func closeInput() {
    if ownsInput && input >= 0 { close(input) }
    input = -1
  }

  private func openInput() throws {
    let tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
    if tty >= 0 {
      input = tty
      ownsInput = true
    } else if isatty(STDIN_FILENO) != 0 {
      input = STDIN_FILENO
      ownsInput = false
    } else {
      throw TerminalError("no terminal to read keys from (/dev/tty cannot be opened)")
    }
  }
}

/// The escape codes that switch to full-screen mode and back.
enum ScreenCodes {
  /// Alternate screen, cursor hidden, no auto-wrap, kitty keyboard protocol (so Ctrl+M and
  /// Enter differ where the terminal supports it; others ignore the request), screen cleared.
  static let enter = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[?7l\u{1B}[>1u\u{1B}[2J\u{1B}[H"
  /// Everything `enter` changed, undone.
  static let leave: StaticString = "\u{1B}[<u\u{1B}[0m\u{1B}[?7h\u{1B}[?25h\u{1B}[?1049l"
}

/// What the signal handlers need. Written before they are installed; they only read it.
private enum SignalState {
  nonisolated(unsafe) static var saved = termios()
  nonisolated(unsafe) static var input: Int32 = -1
  nonisolated(unsafe) static var output: Int32 = -1
  nonisolated(unsafe) static var wake: Int32 = -1

  static func install(saved: termios, input: Int32, output: Int32, wake: Int32) {
    self.saved = saved
    self.input = input
    self.output = output
    self.wake = wake
  }

  /// The actions in place before ours, by signal number (read by the handlers, so no Swift
  /// collection: a plain buffer allocated once).
  nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
    let buffer = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    buffer.initialize(repeating: sigaction(), count: 65)
    return buffer
  }()

  /// Installs `handler` for `number`, keeping the action it replaces.
  static func install(_ number: Int32, _ handler: @convention(c) (Int32) -> Void) {
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = handler
    #else
      action.__sigaction_u.__sa_handler = handler
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(number, &action, previous + Int(number))
  }

  /// Puts back the action `install` replaced (async-signal-safe).
  static func reinstatePrevious(_ number: Int32) {
    sigaction(number, previous + Int(number), nil)
  }

  static func uninstall() {
    if wake >= 0 { close(wake) }
    wake = -1
    input = -1
  }
}

/// SIGWINCH: wakes the run loop through the pipe (write(2) is async-signal-safe).
private func onResizeSignal(_ number: Int32) {
  var byte: UInt8 = 1
  _ = systemWrite(SignalState.wake, &byte, 1)
}

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT from outside, or a crash: restore the screen and the
/// termios settings, then hand the signal to the action that was there before ours.
private func onTerminateSignal(_ number: Int32) {
  let leave = ScreenCodes.leave
  _ = systemWrite(SignalState.output, leave.utf8Start, leave.utf8CodeUnitCount)
  if SignalState.input >= 0 { _ = tcsetattr(SignalState.input, TCSAFLUSH, &SignalState.saved) }
  // The action from before (the default, or the Swift runtime's crash reporter) takes it from
  // here, now on the normal screen.
  SignalState.reinstatePrevious(number)
  raise(number)
}
