import Foundation

/// Runs the built `strata` executable, for end-to-end tests.
public enum StrataTool {
  /// What a run printed and returned.
  public typealias Run = ChildProcess.Result

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

  /// Whether tests that run the binary run: when it is built, and always under `CI=true`, where a
  /// missing binary fails them (`run` throws) instead of skipping them.
  public static var enabled: Bool { binary != nil || TS.isCI }

  /// Why a test that runs the binary is skipped.
  public static let missing = "the strata executable is not built (run `swift build`); under CI=true this is a failure"

  /// What a run reads on standard input.
  public enum Input: Sendable {
    /// Nothing: `/dev/null`.
    case null
    /// The test process's own.
    case inherited
    /// A regular file, as the shell's `< file` hands it over, its read position at `offset`.
    case file(URL, offset: UInt64 = 0)
    /// These bytes through a pipe, as `cat file |` hands them over.
    case pipe([UInt8])
  }

  /// Runs `strata arguments…` in `directory` with `environment` added to a clean environment
  /// (no `GITHUB_STEP_SUMMARY`, no colour), reading `input` on standard input.
  ///
  /// Unless `environment` sets `XDG_CACHE_HOME`, the run gets an empty layer cache of its own,
  /// removed afterwards: one test's reads never answer another's (nor the user's cache them).
  public static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], input: Input = .inherited
  ) throws -> Run {
    guard let binary else { throw TestArchiveError("the strata executable is not built (run `swift build`)") }
    var environment = environment
    var cache: URL?
    if environment["XDG_CACHE_HOME"] == nil {
      let fresh = try temporaryDirectory("strata-cache")
      cache = fresh
      environment["XDG_CACHE_HOME"] = fresh.path
    }
    defer { if let cache { try? FileManager.default.removeItem(at: cache) } }
    return try run(executable: binary, arguments, in: directory, environment: environment, input: input)
  }

  /// Runs any program the same way: `executable arguments…` in `directory`, with `environment`
  /// added (no `GITHUB_STEP_SUMMARY`, no colour), reading `input`; killed, and the run failed,
  /// after `timeout` seconds.
  public static func run(
    executable binary: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    input: Input = .inherited, timeout: Double = 300
  ) throws -> Run {
    var changes: [String: String?] = ["GITHUB_STEP_SUMMARY": nil, "NO_COLOR": "1"]
    for (key, value) in environment { changes[key] = value }
    let childInput: ChildProcess.Input
    switch input {
    case .null: childInput = .null
    case .inherited: childInput = .inherited
    case .file(let url, let offset): childInput = .file(url.path, offset: offset)
    case .pipe(let bytes): childInput = .pipe(bytes)
    }
    return try ChildProcess.run(
      binary.path, arguments, environment: ChildProcess.environment(changes), directory: directory?.path,
      input: childInput, timeout: timeout)
  }
}
