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
  private let process: Process

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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try require(kind == .docker ? "dockerd" : "podman"))
    let d = directory.path
    switch kind {
    case .docker:
      process.arguments = [
        "--data-root", "\(d)/data", "--exec-root", "\(d)/exec", "--pidfile", "\(d)/d.pid", "-H", "unix://\(d)/d.sock",
        "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver", "vfs",
      ]
    case .podman:
      process.arguments = podmanStorage(d) + ["system", "service", "--time=0", "unix://\(d)/p.sock"]
    }
    let log = directory.appendingPathComponent("daemon.log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
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

  private init(kind: Kind, directory: URL, process: Process) {
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
  public func client(_ arguments: [String]) throws -> Command.Result {
    switch kind {
    case .docker: return try Command.run(try Self.require("docker"), ["-H", "unix://" + socket] + arguments)
    case .podman: return try Command.run(try Self.require("podman"), Self.podmanStorage(directory.path) + arguments)
    }
  }

  /// Stops the daemon (SIGTERM, then SIGKILL after 20 s) and removes its directory.
  public func stop() {
    if process.isRunning {
      process.terminate()
      let deadline = Date().addingTimeInterval(20)
      while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
    }
    if kind == .docker {
      // dockerd started its own containerd; it ends with dockerd, but make sure.
      if let pid = try? String(contentsOf: directory.appendingPathComponent("exec/containerd/containerd.pid"), encoding: .utf8),
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

/// Runs a program to its end, reading both of its pipes at once (neither can fill and block it).
public enum Command {
  /// What a run printed and returned.
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// Runs `program arguments…` with `environment` added to the test's own.
  /// - Parameter detached: the program leaves a server running (`tmux new-session`): its output
  ///   goes to /dev/null, since the server would hold the pipes open and the run never end.
  public static func run(
    _ program: String, _ arguments: [String], environment: [String: String] = [:], detached: Bool = false
  ) throws -> Result {
    if detached {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: program)
      process.arguments = arguments
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return Result(status: process.terminationStatus, stdout: "", stderr: "")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    final class Box: @unchecked Sendable { var data = Data() }  // written by one thread, read after wait()
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      outBox.data = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// A `fault-proxy.py` in front of a daemon's socket (see that script for the modes).
public final class FaultProxy: @unchecked Sendable {
  public let socket: String
  private let process: Process

  /// Starts a proxy to `upstream` in `mode` and waits until its socket is there.
  public init(upstream: String, mode: String, in directory: URL) throws {
    socket = directory.appendingPathComponent("proxy-\(UInt16.random(in: 0...UInt16.max)).sock").path
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", TS.repoRoot.appendingPathComponent("Scripts/testing/fault-proxy.py").path, socket, upstream, mode,
    ]
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    while !FileManager.default.fileExists(atPath: socket) && Date() < deadline && process.isRunning {
      Thread.sleep(forTimeInterval: 0.05)
    }
    guard FileManager.default.fileExists(atPath: socket) else { throw TestArchiveError("the fault proxy did not start") }
  }

  /// Stops the proxy. SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM.
  public func stop() {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try? FileManager.default.removeItem(atPath: socket)
  }
}
