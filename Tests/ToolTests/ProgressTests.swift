import Foundation

#if canImport(Glibc)
  import Glibc
#endif
import TestSupport
import Testing

/// Whether tmux is installed (Scripts/setup.sh installs it).
let progressTmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

/// Progress on standard error: on a real terminal (a tmux pane) while the work lasts, erased
/// before the report; never in a pipe; never with `--quiet`. The archive is fed through a pipe
/// that stalls for a few seconds after its first megabyte, so the work lasts past the delay.
@Suite(
  "Progress on a terminal, not in a pipe",
  .enabled(if: StrataTool.binary != nil, "the strata executable is not built"),
  // tmux is installed by Scripts/setup.sh; under CI its absence is a failure, not a skip.
  .enabled(if: progressTmuxAvailable || ProcessInfo.processInfo.environment["CI"] == "true", "tmux is not installed"))
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
      try spawn(["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments)
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

  /// Runs a program with `posix_spawn`, its standard output and error going to a file, and
  /// returns that output. Foundation's `Process` and pipes will not do for tmux: the server
  /// `new-session` starts keeps the descriptors its client had, so a wait on them lasts as long
  /// as the server.
  static func spawn(_ arguments: [String]) throws -> String {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("strata-tmux-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else {
      throw TestArchiveError("cannot run \(arguments[0])")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
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
