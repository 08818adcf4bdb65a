import Foundation

/// Runs the built `strata` executable, for end-to-end tests.
public enum StrataTool {
  /// What a run printed and returned.
  public struct Run: Sendable {
    /// Exit status.
    public var status: Int32
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
  }

  /// The binary: `$STRATA_BINARY`; else `strata` beside the running test executable (the
  /// build directory `swift test` uses); else `.build/debug/strata` or `.build/release/strata`
  /// under the repository (found from this file's path).
  public static var binary: URL? {
    var candidates: [URL] = []
    if let path = ProcessInfo.processInfo.environment["STRATA_BINARY"], !path.isEmpty {
      candidates.append(URL(fileURLWithPath: path))
    }
    if let first = CommandLine.arguments.first {
      candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("strata"))
    }
    for configuration in ["debug", "release"] {
      candidates.append(TS.repoRoot.appendingPathComponent(".build/\(configuration)/strata"))
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// What a run reads on standard input.
  public enum Input: Sendable {
    /// The test process's own.
    case inherited
    /// A regular file, as the shell's `< file` hands it over, its read position at `offset`.
    case file(URL, offset: UInt64 = 0)
    /// These bytes through a pipe, as `cat file |` hands them over.
    case pipe([UInt8])
  }

  /// Runs `strata arguments…` in `directory` with `environment` added to a clean environment
  /// (no `GITHUB_STEP_SUMMARY`, no colour), reading `input` on standard input.
  public static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], input: Input = .inherited
  ) throws -> Run {
    guard let binary else { throw TestArchiveError("the strata executable is not built (run `swift build`)") }
    return try run(executable: binary, arguments, in: directory, environment: environment, input: input)
  }

  /// Runs any program the same way: `executable arguments…` in `directory`, with `environment`
  /// added (no `GITHUB_STEP_SUMMARY`, no colour), reading `input`.
  public static func run(
    executable binary: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    input: Input = .inherited
  ) throws -> Run {
    let scratch = try temporaryDirectory("strata-run")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout")
    let err = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env["GITHUB_STEP_SUMMARY"] = nil
    env["NO_COLOR"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    var feeder: Feeder?
    switch input {
    case .inherited: break
    case .file(let url, let offset):
      let handle = try FileHandle(forReadingFrom: url)
      try handle.seek(toOffset: offset)
      process.standardInput = handle
    case .pipe(let bytes):
      let pipe = Pipe()
      process.standardInput = pipe
      feeder = Feeder(bytes: bytes, into: pipe)
    }
    try process.run()
    feeder?.start()
    process.waitUntilExit()
    feeder?.finish()
    try outHandle.close()
    try errHandle.close()
    return Run(
      status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
      stderr: try String(contentsOf: err, encoding: .utf8))
  }
}

/// Writes bytes into a pipe on a thread of its own, so a large input cannot block the test while
/// the tool has not read it yet; a tool that stops reading early leaves the rest unwritten.
private final class Feeder: @unchecked Sendable {
  private let bytes: [UInt8]
  private let pipe: Pipe
  private let done = DispatchSemaphore(value: 0)

  init(bytes: [UInt8], into pipe: Pipe) {
    self.bytes = bytes
    self.pipe = pipe
    // A write to a pipe the tool closed must fail with EPIPE, not kill the test process.
    signal(SIGPIPE, SIG_IGN)
  }

  /// Starts writing, once the tool runs; the test's own copy of the reading end is closed so
  /// that the tool's exit breaks the pipe.
  func start() {
    try? pipe.fileHandleForReading.close()
    Thread.detachNewThread { [self] in
      try? pipe.fileHandleForWriting.write(contentsOf: bytes)
      try? pipe.fileHandleForWriting.close()
      done.signal()
    }
  }

  /// Waits for the writer thread to end.
  func finish() { done.wait() }
}
