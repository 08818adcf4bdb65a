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
    let directories =
      path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/usr/local/bin"]
    return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// `Fixtures/` of the repository.
  public static var fixturesRoot: URL { repoRoot.appendingPathComponent("Fixtures") }

}

/// A committed fixture: `fixtureURL("images/wasteful/wasteful.tar")` → `<repo>/Fixtures/images/wasteful/wasteful.tar`.
public func fixtureURL(_ relative: String) -> URL {
  TS.fixturesRoot.appendingPathComponent(relative)
}

/// One of dive's test archives (`Fixtures/dive/<name>`); throws, failing the test, when it is
/// not there.
public func requireDiveFixture(_ name: String) throws -> URL { try requireFixture("dive/" + name) }

/// A committed fixture that must be there (`Fixtures/<relative>`); throws, failing the test, when
/// it is missing, so a lost fixture is never a silent pass.
public func requireFixture(_ relative: String) throws -> URL {
  let url = fixtureURL(relative)
  guard FileManager.default.fileExists(atPath: url.path) else {
    throw TestArchiveError("the committed fixture \(url.path) is missing")
  }
  return url
}

/// Fixtures that Scripts/make-fixtures.sh makes (with podman) but that are too large to commit
/// (see .gitignore): tests of them run only where they were made, and say so when skipped.
public enum LocalFixture {
  /// `podman save -m` of busybox-app and wasteful in one archive.
  public static let multi = "images/multi/multi.tar"
  /// `podman save --format oci-archive --uncompressed` of busybox-app.
  public static let busyboxOCI = "images/busybox-app/busybox-app-oci.tar"
  /// Whether `relative` was made here.
  public static func present(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: fixtureURL(relative).path)
  }
  /// Why a test of a local fixture is skipped.
  public static let missing =
    "made by Scripts/make-fixtures.sh (podman) and too large to commit: not made on this machine"
}

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

/// Figures from a committed fixture's `<archive>.truth.json`: made from the tar headers with
/// Python's `tarfile` by Scripts/make-fixtures.sh, never by strata, so tests can expect numbers
/// strata did not produce.
public enum FixtureTruth {
  /// The sum of the tar header sizes over every layer of the archive's first image: the image
  /// size dive and strata report (`relative` is the archive, `images/wasteful/wasteful.tar`).
  public static func layerBytes(_ relative: String) throws -> Int64 {
    let layers = try firstImage(relative)["layers"] as? [[String: Any]] ?? []
    return layers.reduce(0) { $0 + ((($1["sum_sizes"] as? NSNumber)?.int64Value) ?? 0) }
  }

  /// The bytes of the merged filesystem of the archive's first image (layers applied with the
  /// whiteout rules).
  public static func mergedBytes(_ relative: String) throws -> Int64 {
    let merged = try firstImage(relative)["merged"] as? [String: Any]
    guard let bytes = (merged?["total_bytes"] as? NSNumber)?.int64Value else {
      throw TestArchiveError("no merged.total_bytes in the truth of \(relative)")
    }
    return bytes
  }

  private static func firstImage(_ relative: String) throws -> [String: Any] {
    let truth = fixtureURL(String(relative.dropLast(".tar".count)) + ".truth.json")
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: truth)) as? [String: Any]
    guard let image = (object?["images"] as? [[String: Any]])?.first else {
      throw TestArchiveError("\(truth.path) holds no image")
    }
    return image
  }
}
