import Foundation

/// Paths and files shared by the test targets.
public enum TS {
  /// The repository root (three levels above this file: Tests/TestSupport/TS.swift).
  public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().standardizedFileURL

  /// Whether the tests run in CI (`CI=true`), where missing data or tools fail instead of skipping.
  public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// The full path of `program` on PATH, or in the sbin and bin directories (where dockerd
  /// lives); nil when it is not installed.
  public static func executable(_ program: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/usr/local/bin"]
    return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// `Fixtures/` of the repository.
  public static var fixturesRoot: URL { repoRoot.appendingPathComponent("Fixtures") }

  /// dive's own test images, next to the repository (`../shared/fixtures/dive`), when present.
  public static var diveFixturesRoot: URL {
    repoRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/dive").standardizedFileURL
  }
}

/// A committed fixture: `fixtureURL("images/wasteful/wasteful.tar")` → `<repo>/Fixtures/images/wasteful/wasteful.tar`.
public func fixtureURL(_ relative: String) -> URL {
  TS.fixturesRoot.appendingPathComponent(relative)
}

/// One of dive's test archives (`../shared/fixtures/dive/<name>`), or nil when it is not there.
public func diveFixture(_ name: String) -> URL? {
  let url = TS.diveFixturesRoot.appendingPathComponent(name)
  return FileManager.default.fileExists(atPath: url.path) ? url : nil
}

/// Whether dive's fixture directory is present (tests that need it are skipped otherwise).
public var diveFixturesAvailable: Bool { FileManager.default.fileExists(atPath: TS.diveFixturesRoot.path) }

/// A new empty directory under the system temporary directory. The caller may remove it.
public func temporaryDirectory(_ label: String = "strata-tests") throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Runs `body` with a new temporary directory and removes it afterwards.
public func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let url = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(url)
}

/// Writes `bytes` to a new temporary file named `name` (in its own directory), runs `body` with
/// its path, and removes it afterwards.
public func withTemporaryFile<T>(_ bytes: [UInt8], name: String = "archive.tar", _ body: (String) throws -> T) throws
  -> T
{
  try withTemporaryDirectory { directory in
    let path = directory.appendingPathComponent(name).path
    try writeFile(path, bytes)
    return try body(path)
  }
}

/// Writes `bytes` to `path`, creating parent directories.
public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
  let url = URL(fileURLWithPath: path)
  try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  try Data(bytes).write(to: url)
}

/// Reads a whole file.
public func readFile(_ path: String) throws -> [UInt8] {
  [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}
