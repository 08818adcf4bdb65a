import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A detached tmux session of a fixed size on its own server, running a command; the tests
/// type into it with `send-keys` and read it with `capture-pane`.
final class Tmux {
  /// Whether the screen tests run: when tmux is installed (Scripts/setup.sh installs it), and always
  /// under `CI=true`, where its absence fails them instead of skipping them.
  static let available: Bool = TS.executable("tmux") != nil || TS.isCI

  /// Why the screen tests are skipped.
  static let missing = "tmux is not installed (Scripts/setup.sh installs it): the screen tests are skipped"

  /// The binary under test, found by the tests' one lookup (`StrataTool.binary`); a path that
  /// does not exist when it is not built, which the tests' `#require` reports.
  static let strata = StrataTool.binary?.path ?? "strata-is-not-built"

  let socket = "strata-test-\(UUID().uuidString.prefix(8))"
  let session = "explore"

  /// Starts `command` (a shell line) in a `columns`×`rows` window.
  init(columns: Int = 80, rows: Int = 24, _ command: String) throws {
    let result = try tmux([
      "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", command, ";",
      "set-option", "-g", "status", "off", ";", "set-option", "-g", "remain-on-exit", "on",
    ])
    guard result.status == 0 else { throw ScreenError("tmux new-session failed: \(result.output)") }
    socketPath = (try? value("#{socket_path}")) ?? ""
  }

  /// Where the server listens (removed by `kill`: tmux leaves the file behind).
  private var socketPath = ""

  /// Ends the session and its server.
  func kill() {
    _ = try? tmux(["kill-server"])
    if !socketPath.isEmpty { try? FileManager.default.removeItem(atPath: socketPath) }
  }

  /// Types keys (tmux key names: `Tab`, `C-a`, `Escape`, `Space`, or text).
  func send(_ keys: String...) throws {
    _ = try tmux(["send-keys", "-t", session] + keys)
  }

  /// Types text literally.
  func type(_ text: String) throws {
    _ = try tmux(["send-keys", "-t", session, "-l", text])
  }

  /// The screen as text.
  func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]).output }

  /// A tmux format value for the pane (`#{alternate_on}`, `#{cursor_flag}`).
  func value(_ format: String) throws -> String {
    try tmux(["display-message", "-p", "-t", session, format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Resizes the window.
  func resize(columns: Int, rows: Int) throws {
    _ = try tmux(["resize-window", "-t", session, "-x", "\(columns)", "-y", "\(rows)"])
  }

  /// Polls the screen until `predicate` holds, for up to `seconds`.
  @discardableResult
  func waitFor(
    _ what: String, seconds: Double = 20, _ predicate: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var last = ""
    while Date() < deadline {
      last = try screen()
      if predicate(last) { return last }
      Thread.sleep(forTimeInterval: 0.04)
    }
    throw ScreenError("timed out waiting for \(what); the screen was:\n\(last)")
  }

  /// Polls until the screen shows `text`.
  @discardableResult
  func waitFor(_ text: String, seconds: Double = 20) throws -> String {
    try waitFor("'\(text)'", seconds: seconds) { $0.contains(text) }
  }

  /// Types `/` and a filter, and waits until the tree and the prompt both show it.
  @discardableResult
  func filter(_ text: String) throws -> String {
    try send("/")
    try type(text)
    return try waitFor("the filter '\(text)'") { $0.contains("filter " + text) && $0.contains("/ " + text + "█") }
  }

  /// Polls until the screen no longer shows `text`.
  @discardableResult
  func waitForNo(_ text: String, seconds: Double = 20) throws -> String {
    try waitFor("'\(text)' to go", seconds: seconds) { !$0.contains(text) }
  }

  private func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try Self.run(["tmux", "-L", socket] + arguments)
  }

  /// Runs a program, returning its status and its standard output and error together.
  static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let run = try ChildProcess.run(arguments[0], Array(arguments.dropFirst()), timeout: 60)
    return (run.status, run.stdout + run.stderr)
  }
}

/// A screen test that could not see what it waited for.
struct ScreenError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The shell line that runs `strata explore IMAGE`, then reports how it ended and the terminal
/// settings it left behind, and keeps the pane open.
func exploreCommand(_ image: String, _ extra: String = "") -> String {
  let quoted = "'" + image.replacingOccurrences(of: "'", with: "'\\''") + "'"
  return
    "\(Tmux.strata) explore \(quoted) \(extra); echo \"strata-exit=$?\"; stty -a | tr -s ' ;\\n' ' ' | fold -w 78; exec sleep 300"
}
