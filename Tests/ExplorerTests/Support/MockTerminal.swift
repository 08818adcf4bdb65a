import Dispatch
import Foundation
import Reporting

@testable import Explorer

/// A terminal for tests: replays scripted events and keeps the screen the explorer drew.
///
/// It understands the few codes the explorer writes (clear, move to the start of a line, SGR;
/// every line is written whole after a move), so `screen` holds what a person would see. It
/// tells the loading screen from the panes by the timeout the explorer asks for
/// (`Explorer.loadingPollMilliseconds`), not by the text shown: while loading it answers "no key
/// yet" (unless keys are scripted for that moment); once the script is over it reports the end
/// of input only when the explorer waits without a limit, that is when no background work is
/// pending. Nothing depends on how long an answer takes.
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
  /// Signalled when the last of `eventsWhileLoading` has been handed to the loading screen.
  let loadingEventsDelivered = DispatchSemaphore(value: 0)
  /// When waiting for background work gives up (set at the first wait).
  private var deadline: ContinuousClock.Instant?

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
    if timeoutMilliseconds == Explorer.loadingPollMilliseconds {
      if !eventsWhileLoading.isEmpty {
        let event = eventsWhileLoading.removeFirst()
        if eventsWhileLoading.isEmpty { loadingEventsDelivered.signal() }
        return event
      }
      return backgroundWorkPending()
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
    // A positive timeout: the explorer waits for background work (waste); it asks without a
    // limit (-1) once nothing is pending, and only then does the input end.
    if timeoutMilliseconds > 0 { return backgroundWorkPending() }
    return .endOfInput
  }

  /// While the explorer waits for work in the background: "no key yet" (the explorer asks
  /// again), until the deadline, after which the input ends and the test fails on a screen
  /// without the work's result.
  private func backgroundWorkPending() -> TerminalEvent {
    let deadline = self.deadline ?? ContinuousClock.now.advanced(by: .seconds(30))
    self.deadline = deadline
    guard ContinuousClock.now < deadline else { return .endOfInput }
    // A pause so that asking again does not take a core from the background work; nothing
    // depends on its length.
    Thread.sleep(forTimeInterval: 0.001)
    return .timeout
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
