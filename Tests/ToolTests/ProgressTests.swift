import Foundation

import TestSupport
import Testing

/// Whether tmux is installed (Scripts/setup.sh installs it).
let progressTmuxAvailable = TS.executable("tmux") != nil

/// Progress on standard error: on a real terminal (a tmux pane) while the work lasts, erased
/// before the report; never in a pipe; never with `--quiet`. The archive is fed through a pipe
/// that stalls for a few seconds after its first megabyte, so the work lasts past the delay.
@Suite(
  "Progress on a terminal, not in a pipe",
  .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)),
  // tmux is installed by Scripts/setup.sh; under CI its absence is a failure, not a skip.
  .enabled(if: progressTmuxAvailable || TS.isCI, "tmux is not installed"))
struct ProgressTests {
  static let image = fixtureURL("images/wasteful/wasteful.tar").path

  /// A shell line feeding the fixture to `strata analyze -` with a 3-second stall after 1 MB.
  static func slowFeed(_ arguments: String) throws -> String {
    let binary = try #require(StrataTool.binary).path
    return "(head -c 1000000 '\(image)'; sleep 3; tail -c +1000001 '\(image)') | '\(binary)' analyze - \(arguments)"
  }

  /// Runs `line` in a detached 100×30 tmux session; returns the screens seen while it ran (every
  /// 100 ms) and the last one.
  static func screens(of line: String) throws -> (during: [String], last: String) {
    let socket = "strata-progress-\(UUID().uuidString.prefix(8))"
    func tmux(_ arguments: [String]) throws -> String {
      try spawn([try #require(TS.executable("tmux")), "-L", socket, "-f", "/dev/null"] + arguments)
    }
    _ = try tmux([
      "new-session", "-d", "-x", "100", "-y", "30", "-e", "TERM=xterm", line + "; echo strata-exit=$?; sleep 30", ";",
      "set-option", "-g", "status", "off",
    ])
    defer { _ = try? tmux(["kill-server"]) }
    var during: [String] = []
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      let screen = try tmux(["capture-pane", "-p"])
      if screen.contains("strata-exit=") { return (during, screen) }
      during.append(screen)
      Thread.sleep(forTimeInterval: 0.1)
    }
    throw TestArchiveError("the command did not finish in 30 s: \(during.last ?? "")")
  }

  /// Runs tmux (a client: the server it starts keeps its descriptors, so its output goes to files,
  /// through the tests' one runner) and returns its standard output and error.
  static func spawn(_ arguments: [String]) throws -> String {
    let run = try ChildProcess.run(arguments[0], Array(arguments.dropFirst()), timeout: 60)
    return run.stdout + run.stderr
  }

  @Test func a_terminal_sees_bytes_read_then_the_line_is_erased() throws {
    let directory = try temporaryDirectory("strata-progress")
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("report.txt").path
    let (during, last) = try Self.screens(of: try Self.slowFeed("-o '\(report)'"))
    let shown = during.first { $0.contains("reading standard input: ") }
    #expect(shown?.contains(" read…") == true, "no progress line in \(during.count) screens: \(during.last ?? "")")
    #expect(last.contains("strata-exit=0"))
    #expect(!last.contains("reading standard input"), "the line is erased at the end: \(last)")
    #expect((try? String(contentsOfFile: report, encoding: .utf8))?.contains("Waste  reclaimable") == true)
  }

  @Test func quiet_shows_nothing_on_a_terminal() throws {
    let directory = try temporaryDirectory("strata-progress")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (during, last) = try Self.screens(of: try Self.slowFeed("-q -o '\(directory.path)/r.txt'"))
    #expect(during.count > 10, "the stall lasts 3 s")
    #expect(!during.contains { $0.contains("reading") })
    #expect(last.contains("strata-exit=0"))
  }

  @Test func a_pipe_on_standard_error_gets_no_progress() throws {
    let directory = try temporaryDirectory("strata-progress")
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try ChildProcess.run("/bin/sh", ["-c", try Self.slowFeed("-o '\(directory.path)/r.txt' 2>&1 | cat")])
    #expect(run.status == 0)
    #expect(run.stdout.isEmpty, "standard error was: \(run.stdout)")
  }
}
