import Explorer
import Reporting

#if canImport(Glibc)
  import Glibc
#endif

/// A terminal for tests: replays scripted events and keeps the screen the explorer drew.
///
/// It understands the few codes the explorer writes (clear, move to the start of a line, SGR;
/// every line is written whole after a move), so `screen`
/// holds what a person would see. While the loading screen shows it answers "nothing yet"
/// (unless keys are scripted for that moment), and once the script is over it waits a little
/// for background work before reporting the end of input.
final class MockTerminal: TerminalDevice {
  var currentSize: TerminalSize
  var events: [TerminalEvent]
  var eventsWhileLoading: [TerminalEvent] = []
  var failToEnter = false
  var sizeAfterResize: TerminalSize?
  private(set) var entered = 0
  private(set) var restored = 0
  private(set) var active = false
  private(set) var screen: [String]
  private var row = 0
  private var idlePolls = 0

  init(rows: Int = 24, columns: Int = 80, events: [TerminalEvent] = []) {
    currentSize = TerminalSize(rows: rows, columns: columns)
    self.events = events
    screen = Array(repeating: "", count: rows)
  }

  func size() -> TerminalSize { currentSize }

  func enter() throws {
    if failToEnter { throw TerminalError("no terminal") }
    entered += 1
    active = true
  }

  func restore() {
    guard active else { return }
    restored += 1
    active = false
  }

  func write(_ text: String) {
    var scalars = Array(text.unicodeScalars)[...]
    var line = ""
    func flush() {
      guard !line.isEmpty else { return }
      if screen.indices.contains(row) { screen[row] += line }
      line = ""
    }
    while let scalar = scalars.popFirst() {
      guard scalar == "\u{1B}", scalars.first == "[" else {
        line.unicodeScalars.append(scalar)
        continue
      }
      scalars.removeFirst()
      var parameters = ""
      while let next = scalars.popFirst() {
        if (0x40...0x7E).contains(next.value) {
          flush()
          if next == "H" {
            row = (Int(parameters.split(separator: ";").first ?? "1") ?? 1) - 1
            if screen.indices.contains(row) { screen[row] = "" }
          }
          if next == "J" { screen = Array(repeating: "", count: currentSize.rows) }
          break
        }
        parameters.unicodeScalars.append(next)
      }
    }
    flush()
  }

  func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
    if screenText.contains("q or Ctrl+C cancels") {
      if !eventsWhileLoading.isEmpty { return eventsWhileLoading.removeFirst() }
      usleep(2000)
      return .timeout
    }
    if !events.isEmpty {
      let event = events.removeFirst()
      if case .resize = event, let next = sizeAfterResize {
        currentSize = next
        screen = Array(repeating: "", count: next.rows)
      }
      return event
    }
    if timeoutMilliseconds == 0 { return .timeout }
    if timeoutMilliseconds > 0 && idlePolls < 500 {
      idlePolls += 1
      usleep(5000)
      return .timeout
    }
    return .endOfInput
  }

  /// The screen, trailing spaces trimmed.
  var screenText: String {
    screen.map { line in
      var text = line
      while text.last == " " { text.removeLast() }
      return text
    }.joined(separator: "\n")
  }

  /// Widths of the screen's lines, in columns.
  var lineWidths: [Int] { screen.map(SafeText.width) }
}
