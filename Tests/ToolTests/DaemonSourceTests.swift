import Foundation
import JSONIO
import TestSupport
import Testing

/// Images read by name from a real Docker Engine and a real podman service, started by the
/// tests on private sockets; each report must equal the report of the same image's archive.
@Suite("Images by name from a real Docker Engine and podman", .serialized)
struct DaemonSourceTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
  static let clean = fixtureURL("images/wasteful-clean/wasteful-clean.tar").path
  static let reference = "localhost/strata/wasteful:latest"

  /// A report with what depends on where it was read from taken out: the name given, the
  /// archive's size and bytes read (in all and by purpose), the member names of layers (`<id>/layer.tar` vs `<hex>.tar`).
  static func figures(_ json: String) throws -> JSONValue {
    try strip(JSONValue.parse(json))
  }

  private static func strip(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      var stripped = JSONObject()
      for (key, child) in object.pairs
      where !["source", "archiveBytes", "bytesRead", "bytesReadBy", "location", "label"].contains(key) {
        stripped[key] = strip(child)
      }
      return .object(stripped)
    case .array(let items): return .array(items.map(strip))
    default: return value
    }
  }

  /// analyze (JSON), ci and compare by name give the archive's figures and verdicts.
  func checkReportsMatch(_ daemon: TestDaemon, names: [String]) throws {
    let env = daemon.environment
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"])
    #expect(byFile.status == 0, "\(byFile.stderr)")
    for name in names {
      let byName = try StrataTool.run(["analyze", name, "--format", "json"], environment: env)
      #expect(byName.status == 0, "\(name): \(byName.stderr)")
      guard byName.status == 0 else { continue }
      #expect(try Self.figures(byName.stdout) == Self.figures(byFile.stdout), "\(name)")
      #expect(try JSONValue.parse(byName.stdout)["image"]?["source"]?.stringValue == name)
    }
    let name = names[0]
    let ciFile = try StrataTool.run(["ci", Self.wasteful, "--format", "json"])
    let ciName = try StrataTool.run(["ci", name, "--format", "json"], environment: env)
    #expect(ciName.status == ciFile.status, "\(ciName.stderr)")
    #expect(try Self.figures(ciName.stdout) == Self.figures(ciFile.stdout))
    let compare = try StrataTool.run(["compare", Self.clean, name, "--bytes"], environment: env)
    #expect(compare.status == 0, "\(compare.stderr)")
    let compareFiles = try StrataTool.run(["compare", Self.clean, Self.wasteful, "--bytes"])
    #expect(
      compare.stdout.split(separator: "\n").filter { $0.contains("content (layers)") }
        == compareFiles.stdout.split(separator: "\n").filter { $0.contains("content (layers)") })
  }

  /// Runs strata and expects exit 2 with one line on standard error containing every piece.
  func expectError(
    _ arguments: [String], environment: [String: String], _ pieces: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let run = try StrataTool.run(arguments, environment: environment)
    #expect(run.status == 2, "\(run.stdout)\(run.stderr)", sourceLocation: sourceLocation)
    #expect(
      run.stdout.isEmpty, "a report from a failed read: \(run.stdout.prefix(300))", sourceLocation: sourceLocation)
    #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
    for piece in pieces {
      #expect(run.stderr.contains(piece), "missing '\(piece)' in: \(run.stderr)", sourceLocation: sourceLocation)
    }
  }

  @Test(
    "docker: analyze, ci, compare and explore by name; every error", .timeLimit(.minutes(10)),
    .enabled(if: TestDaemon.runnable(.docker), "dockerd and docker not installed (Scripts/setup.sh installs them)"))
  func docker() throws {
    let daemon = try TestDaemon.start(.docker)
    defer { daemon.stop() }
    try daemon.load(Self.wasteful)
    let env = daemon.environment
    try checkReportsMatch(daemon, names: ["docker://" + Self.reference, Self.reference])
    try checkExplorer(daemon)
    try checkCat(daemon, name: "docker://" + Self.reference)
    try checkCatFaults(daemon)

    try expectError(
      ["analyze", "nope:1"], environment: env, ["nope:1: no such image in the Docker Engine", "docker pull nope:1"])
    try expectError(
      ["analyze", Self.reference, "--platform", "linux/arm64"], environment: env,
      ["built for linux/amd64, not linux/arm64"])
    try expectError(
      ["analyze", "docker://" + Self.reference], environment: ["DOCKER_HOST": "unix:///nonexistent/d.sock"],
      ["no Docker Engine socket at unix:///nonexistent/d.sock (DOCKER_HOST)", "docker save IMAGE | strata analyze -"])
    // Root may open any socket: permission is checked as an ordinary user (nobody).
    let asNobody = try ChildProcess.run(
      "/usr/sbin/runuser", ["-u", "nobody", "--", try #require(StrataTool.binary).path, "analyze", Self.reference],
      environment: ChildProcess.environment(["NO_COLOR": "1", "DOCKER_HOST": env["DOCKER_HOST"]]))
    #expect(asNobody.status == 2, "\(asNobody.stderr)")
    #expect(
      asNobody.stderr.contains("permission denied on the Docker Engine socket \(daemon.socket)"), "\(asNobody.stderr)")
    #expect(asNobody.stderr.contains("docker group"), "\(asNobody.stderr)")

    // A daemon that fails, or whose stream breaks, yields an error and no report.
    let failing = try FaultProxy(upstream: daemon.socket, mode: "status:500", in: daemon.directory)
    defer { failing.stop() }
    try expectError(
      ["analyze", Self.reference], environment: ["DOCKER_HOST": "unix://" + failing.socket],
      ["the Docker Engine answered 500: injected failure"])
    for cut in [100_000, 3_000_000] {  // inside a layer; in the last few members
      let cutting = try FaultProxy(upstream: daemon.socket, mode: "cut:\(cut)", in: daemon.directory)
      defer { cutting.stop() }
      for format in ["text", "json"] {
        try expectError(
          ["analyze", Self.reference, "--format", format], environment: ["DOCKER_HOST": "unix://" + cutting.socket],
          ["image stream ended early", "nothing is reported"])
      }
    }
  }

  @Test(
    "podman: analyze, ci and compare by name; a missing image", .timeLimit(.minutes(10)),
    .enabled(if: TestDaemon.runnable(.podman), "podman not installed (Scripts/setup.sh installs it)"))
  func podman() throws {
    let daemon = try TestDaemon.start(.podman)
    defer { daemon.stop() }
    try daemon.load(Self.wasteful)
    try checkReportsMatch(daemon, names: ["podman://" + Self.reference])
    try checkCat(daemon, name: "podman://" + Self.reference)
    let bySource = try StrataTool.run(
      ["analyze", Self.reference, "--source", "podman", "--format", "json"], environment: daemon.environment)
    #expect(bySource.status == 0, "\(bySource.stderr)")
    try expectError(
      ["analyze", "podman://nope:1"], environment: daemon.environment,
      ["no such image in the podman service", "podman pull nope:1"])
    try expectError(
      ["analyze", "podman://" + Self.reference], environment: ["CONTAINER_HOST": "unix:///nonexistent/p.sock"],
      ["no podman service socket at unix:///nonexistent/p.sock (CONTAINER_HOST)"])
  }

  /// `strata explore NAME` in tmux: the first screen lists the image's layers.
  func checkExplorer(_ daemon: TestDaemon) throws {
    let tmux = try #require(TestDaemon.find("tmux"), "tmux is not installed (Scripts/setup.sh installs it)")
    let session = "strata-daemon-\(UInt16.random(in: 0...UInt16.max))"
    let binary = try #require(StrataTool.binary).path
    let command = "env DOCKER_HOST=unix://\(daemon.socket) NO_COLOR=1 \(binary) explore \(Self.reference)"
    _ = try ChildProcess.run(tmux, ["new-session", "-d", "-s", session, "-x", "120", "-y", "30", command], timeout: 30)
    defer { _ = try? ChildProcess.run(tmux, ["kill-session", "-t", session], timeout: 30) }
    let deadline = Date().addingTimeInterval(60)
    var screen = ""
    while Date() < deadline {
      screen = try ChildProcess.run(tmux, ["capture-pane", "-p", "-t", session], timeout: 30).stdout
      if screen.contains("dive 85.0 %") && screen.contains("busybox") { break }
      Thread.sleep(forTimeInterval: 0.1)
    }
    #expect(screen.contains("localhost/strata/wasteful:latest") && screen.contains("dive 85.0 %"), "\(screen)")
    #expect(screen.contains("busybox"), "\(screen)")
    _ = try ChildProcess.run(tmux, ["send-keys", "-t", session, "q"], timeout: 30)
  }
}
