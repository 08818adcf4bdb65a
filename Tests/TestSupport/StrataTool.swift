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

  /// Runs `strata arguments…` in `directory` with `environment` added to a clean environment
  /// (no `GITHUB_STEP_SUMMARY`, no colour).
  public static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
    guard let binary else { throw TestArchiveError("the strata executable is not built (run `swift build`)") }
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
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return Run(
      status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
      stderr: try String(contentsOf: err, encoding: .utf8))
  }
}
