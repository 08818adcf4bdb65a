import Foundation

/// A real daemon started by a test on private directories and a socket of its own: Debian's
/// `dockerd` (20.10), or podman's Docker-compatible API (`podman system service`). Stopped by
/// `stop()`; nothing is left behind but what `stop()` could not remove.
public final class TestDaemon: @unchecked Sendable {
  /// Which daemon.
  public enum Kind: String, Sendable {
    case docker, podman

    /// The programs it needs.
    var programs: [String] { self == .docker ? ["dockerd", "docker"] : ["podman"] }
  }

  public let kind: Kind
  /// Its private directory (short: socket paths are limited to 107 bytes).
  public let directory: URL
  /// The Unix socket it answers on.
  public var socket: String { directory.appendingPathComponent(kind == .docker ? "d.sock" : "p.sock").path }
  /// `DOCKER_HOST` or `CONTAINER_HOST` for a strata that should talk to it.
  public var environment: [String: String] {
    [kind == .docker ? "DOCKER_HOST" : "CONTAINER_HOST": "unix://" + socket]
  }
  private let process: ChildProcess.Running

  /// Whether the test can run here: the programs are installed (under `CI=true` the test runs
  /// regardless, so that a missing install fails it instead of skipping it).
  public static func runnable(_ kind: Kind) -> Bool {
    TS.isCI || kind.programs.allSatisfy { find($0) != nil }
  }

  /// Why a test of `kind` is skipped, for `.enabled(if:)` comments and messages.
  public static func skipReason(_ kind: Kind) -> String {
    "\(kind.programs.joined(separator: " and ")) not installed (Scripts/setup.sh installs them)"
  }

  /// Starts the daemon and waits (at most 90 s) until it answers.
  public static func start(_ kind: Kind) throws -> TestDaemon {
    for program in kind.programs where find(program) == nil {
      throw TestArchiveError("\(program) is not installed: \(skipReason(kind))")
    }
    let directory = URL(fileURLWithPath: "/tmp/strata-\(kind.rawValue)-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let d = directory.path
    let arguments: [String]
    switch kind {
    case .docker:
      arguments = [
        "--data-root", "\(d)/data", "--exec-root", "\(d)/exec", "--pidfile", "\(d)/d.pid", "-H", "unix://\(d)/d.sock",
        "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver", "vfs",
      ]
    case .podman:
      arguments = podmanStorage(d) + ["system", "service", "--time=0", "unix://\(d)/p.sock"]
    }
    let log = directory.appendingPathComponent("daemon.log")
    let process = try ChildProcess.Running(
      try require(kind == .docker ? "dockerd" : "podman"), arguments, log: log.path)
    let daemon = TestDaemon(kind: kind, directory: directory, process: process)
    let deadline = Date().addingTimeInterval(90)
    while Date() < deadline {
      if !process.isRunning { break }
      if FileManager.default.fileExists(atPath: daemon.socket), (try? daemon.client(["version"]))?.status == 0 {
        return daemon
      }
      Thread.sleep(forTimeInterval: 0.2)
    }
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    daemon.stop()
    throw TestArchiveError("\(kind.rawValue) did not start: \(text.suffix(1500))")
  }

  private init(kind: Kind, directory: URL, process: ChildProcess.Running) {
    self.kind = kind
    self.directory = directory
    self.process = process
  }

  private static func podmanStorage(_ directory: String) -> [String] {
    ["--root", "\(directory)/root", "--runroot", "\(directory)/run", "--storage-driver", "vfs"]
  }

  /// Loads a `docker save` archive into the daemon with its own client.
  public func load(_ archive: String) throws {
    let run = try client(["load", "-i", archive])
    guard run.status == 0 else { throw TestArchiveError("\(kind.rawValue) load \(archive): \(run.stderr)") }
  }

  /// Runs the daemon's own command-line client against it.
  public func client(_ arguments: [String]) throws -> ChildProcess.Result {
    switch kind {
    case .docker:
      return try ChildProcess.run(try Self.require("docker"), ["-H", "unix://" + socket] + arguments, timeout: 120)
    case .podman:
      return try ChildProcess.run(
        try Self.require("podman"), Self.podmanStorage(directory.path) + arguments, timeout: 120)
    }
  }

  /// Stops the daemon (SIGTERM, then SIGKILL after 20 s) and removes its directory.
  public func stop() {
    process.stop(grace: 20)
    if kind == .docker {
      // dockerd started its own containerd; it ends with dockerd, but make sure.
      if let pid = try? String(
        contentsOf: directory.appendingPathComponent("exec/containerd/containerd.pid"), encoding: .utf8),
        let number = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines))
      {
        kill(number, SIGKILL)
      }
    }
    try? FileManager.default.removeItem(at: directory)
  }

  /// The full path of `program` (see `TS.executable`).
  public static func find(_ program: String) -> String? { TS.executable(program) }

  private static func require(_ program: String) throws -> String {
    guard let found = find(program) else { throw TestArchiveError("\(program) is not installed") }
    return found
  }
}

/// A `fault-proxy.py` in front of a daemon's socket (see that script for the modes).
public final class FaultProxy: @unchecked Sendable {
  public let socket: String
  private let process: ChildProcess.Running

  /// Starts a proxy to `upstream` in `mode` and waits until its socket is there.
  public init(upstream: String, mode: String, in directory: URL) throws {
    socket = directory.appendingPathComponent("proxy-\(UInt16.random(in: 0...UInt16.max)).sock").path
    process = try ChildProcess.Running(
      "python3", [TS.repoRoot.appendingPathComponent("Scripts/testing/fault-proxy.py").path, socket, upstream, mode],
      log: directory.appendingPathComponent("proxy.log").path)
    let deadline = Date().addingTimeInterval(20)
    while !FileManager.default.fileExists(atPath: socket) && Date() < deadline && process.isRunning {
      Thread.sleep(forTimeInterval: 0.05)
    }
    guard FileManager.default.fileExists(atPath: socket) else {
      throw TestArchiveError("the fault proxy did not start")
    }
  }

  /// Stops the proxy.
  public func stop() {
    process.stop(grace: 5)
    try? FileManager.default.removeItem(atPath: socket)
  }
}
