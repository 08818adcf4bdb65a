import Foundation
import JSONIO
import TestSupport
import Testing

/// Pull sizes in `compare` and in the `ci` budget `max-pull-size`, against images in a real
/// registry: what a pull of B costs with A present is checked against the two manifests as
/// skopeo reads them.
@Suite(
  "Pull sizes in compare and ci", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)))
struct PullSizeToolTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
  static let clean = fixtureURL("images/wasteful-clean/wasteful-clean.tar").path

  /// The blobs (config and layers) of a raw manifest: digest and size.
  static func blobs(_ manifest: Data) throws -> [(digest: String, size: Int64)] {
    let object = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
    let descriptors =
      [object["config"] as? [String: Any]].compactMap { $0 } + (object["layers"] as? [[String: Any]] ?? [])
    return descriptors.compactMap { descriptor in
      guard let digest = descriptor["digest"] as? String, let size = descriptor["size"] as? Int else { return nil }
      return (digest, Int64(size))
    }
  }

  @Test("compare: B's pull with A present leaves out the blobs A has", .timeLimit(.minutes(5)))
  func compareRemoteImages() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.clean, as: "strata/app:clean")
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/app:wasteful")
    let a = "registry://\(registry.host)/strata/app:clean"
    let b = "registry://\(registry.host)/strata/app:wasteful"
    let blobsA = try Self.blobs(try registry.rawManifest("strata/app:clean"))
    let blobsB = try Self.blobs(try registry.rawManifest("strata/app:wasteful"))
    let present = Set(blobsA.map(\.digest))
    var seen: Set<String> = []
    let expected = blobsB.filter { !present.contains($0.digest) && seen.insert($0.digest).inserted }
      .reduce(Int64(0)) { $0 + $1.size }
    let shared = Set(blobsB.map(\.digest)).intersection(present).count
    #expect(shared > 0, "the two images share their base")

    let json = try StrataTool.run(["compare", a, b, "--format", "json"], input: .null)
    #expect(json.status == 0, "\(json.stderr)")
    let images = try #require(try JSONValue.parse(json.stdout)["images"]?.arrayValue)
    #expect(images[1]["pullBytes"]?.integerValue == blobsB.reduce(0) { $0 + $1.size })
    #expect(images[1]["pullBytesGivenBaseline"]?.integerValue == expected)
    #expect(images[1]["blobsSharedWithBaseline"]?.integerValue == Int64(shared))
    #expect(images[0]["pullBytesGivenBaseline"] == .null)

    let text = try StrataTool.run(["compare", a, b, "--bytes"], input: .null)
    #expect(text.stdout.contains("pull, baseline present"), "\(text.stdout.prefix(800))")
    #expect(text.stdout.contains("\(expected) (\(shared) shared)"), "\(text.stdout.prefix(800))")
    let markdown = try StrataTool.run(["compare", a, b, "--format", "markdown"], input: .null)
    #expect(markdown.stdout.contains("| Pull, baseline present |"), "\(markdown.stdout.prefix(800))")
    // An archive of uncompressed layers says it does not know.
    let local = try StrataTool.run(["compare", a, Self.wasteful], input: .null)
    #expect(local.stdout.contains("unknown"), "\(local.stdout.prefix(800))")
  }

  @Test("ci: max-pull-size passes or fails on a registry's figure, and fails saying why when unknown")
  func ciBudget() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/app:1")
    let pull = try Self.blobs(try registry.rawManifest("strata/app:1")).reduce(Int64(0)) { $0 + $1.size }
    let directory = try temporaryDirectory("strata-pull-ci")
    defer { try? FileManager.default.removeItem(at: directory) }
    func run(_ limit: String, _ image: String) throws -> StrataTool.Run {
      let config = directory.appendingPathComponent("ci-\(limit).yaml")
      try "ci:\n  max-pull-size: \(limit)\n".write(to: config, atomically: true, encoding: .utf8)
      return try StrataTool.run(["ci", image, "--config", config.path, "--format", "json"], input: .null)
    }
    let remote = "registry://\(registry.host)/strata/app:1"
    for (limit, status) in [("\(pull)", "pass"), ("\(pull - 1)", "fail")] {
      let result = try run(limit, remote)
      let rules = try JSONValue.parse(result.stdout)["rules"]?.arrayValue ?? []
      let rule = rules.first { $0["id"]?.stringValue == "max-pull-size" }
      #expect(rule?["status"]?.stringValue == status, "\(limit): \(result.stdout.prefix(600)) \(result.stderr)")
      #expect(rule?["measured"]?["value"]?.integerValue == pull)
      #expect((result.status == 0) == (status == "pass"))
    }
    let unknown = try run("100MB", Self.wasteful)
    #expect(unknown.status != 0)
    let rules = try JSONValue.parse(unknown.stdout)["rules"]?.arrayValue ?? []
    let rule = try #require(rules.first { $0["id"]?.stringValue == "max-pull-size" })
    #expect(rule["status"]?.stringValue == "fail")
    #expect(rule["message"]?.stringValue?.contains("pull size unknown") == true, "\(rule)")
  }
}
