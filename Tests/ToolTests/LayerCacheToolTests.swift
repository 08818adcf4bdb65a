import Foundation
import JSONIO
import TestSupport
import Testing

/// The layer cache through the command line: a report is the same, figure for figure, read with
/// the cache cold, warm, and with `--no-cache`; only the bytes read differ.
@Suite("Layer cache, end to end", .serialized, .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct LayerCacheToolTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
  static let ociGzip = fixtureURL("images/busybox-app/busybox-app-oci-gzip.tar").path

  /// A report without the bytes read (what the cache saves).
  static func figures(_ json: String) throws -> JSONValue { strip(try JSONValue.parse(json)) }

  private static func strip(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      var stripped = JSONObject()
      for (key, child) in object.pairs where key != "bytesRead" && key != "bytesReadBy" { stripped[key] = strip(child) }
      return .object(stripped)
    case .array(let items): return .array(items.map(strip))
    default: return value
    }
  }

  /// The bytes the report says were read.
  static func bytesRead(_ json: String) throws -> Int64? {
    try JSONValue.parse(json)["image"]?["bytesRead"]?.integerValue
  }

  /// Runs `analyze image --format json` three ways with one cache directory: cold, warm, and
  /// `--no-cache`; expects the same figures and returns the three runs' bytes read.
  func coldWarmNone(_ image: String, extra: [String] = []) throws -> [Int64] {
    let cache = try temporaryDirectory("strata-layer-cache")
    defer { try? FileManager.default.removeItem(at: cache) }
    let environment = ["XDG_CACHE_HOME": cache.path]
    let arguments = ["analyze", image, "--format", "json"] + extra
    let cold = try StrataTool.run(arguments, environment: environment, input: .null)
    #expect(cold.status == 0, "\(cold.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("strata/layers").path)
    #expect(!files.isEmpty, "the cold run fills the cache")
    let warm = try StrataTool.run(arguments, environment: environment, input: .null)
    let none = try StrataTool.run(arguments + ["--no-cache"], environment: environment, input: .null)
    #expect(warm.status == 0 && none.status == 0, "\(warm.stderr)\(none.stderr)")
    #expect(try Self.figures(warm.stdout) == Self.figures(cold.stdout), "warm")
    #expect(try Self.figures(none.stdout) == Self.figures(cold.stdout), "--no-cache")
    return try [cold, warm, none].map { try Self.bytesRead($0.stdout) ?? -1 }
  }

  @Test(
    "a registry image: the warm read downloads only its manifest and config", .timeLimit(.minutes(5)),
    .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)))
  func registry() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let reference = "registry://\(registry.host)/strata/wasteful:1"
    let read = try coldWarmNone(reference)
    #expect(read[1] < 20_000 && read[0] > 1_000_000, "cold \(read[0]), warm \(read[1]) bytes")
    #expect(read[2] == read[0], "--no-cache downloads everything again")
    // The other commands take --no-cache too.
    for arguments in [["ci", reference], ["compare", Self.wasteful, reference], ["cat", reference, "/etc/passwd"]] {
      let run = try StrataTool.run(arguments + ["--no-cache"], input: .null)
      #expect(run.status != 64 && !run.stderr.contains("--no-cache"), "\(arguments[0]): \(run.stderr)")
    }
  }

  @Test("an archive of compressed layers: the same figures cold, warm and without the cache")
  func archive() throws {
    let read = try coldWarmNone(Self.ociGzip)
    #expect(read.allSatisfy { $0 > 0 })
  }
}
