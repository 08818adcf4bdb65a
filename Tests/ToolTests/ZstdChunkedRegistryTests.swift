import Foundation
import JSONIO
import TestSupport
import Testing

/// zstd:chunked layers read from a real registry (docker-registry, images pushed with skopeo
/// `--dest-compress-format zstd:chunked`) by their manifest, fetched with one HTTP Range request
/// at the position the layer's annotations give, instead of the blob: the reports must equal the
/// reports of the archives they were pushed from, figure for figure (secrets and duplicates,
/// which need contents, included), while downloading a small part of the blobs; a manifest that
/// does not match its checksum annotation fails the load; anything else unreadable falls back to
/// downloading the blob whole.
@Suite(
  "zstd:chunked layers listed from their manifest, without downloading them", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)), .timeLimit(.minutes(5)))
struct ZstdChunkedRegistryTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
  static let busyboxApp = fixtureURL("images/busybox-app/busybox-app.tar").path
  /// What skopeo is told to write the layers as.
  static let zstdChunked = ["--dest-compress", "--dest-compress-format", "zstd:chunked"]
  static let oldPrefix = "io.containers.zstd-chunked."
  static let newPrefix = "io.github.containers.zstd-chunked."

  /// Reads `tag` from the registry at `host` as JSON.
  static func analyze(_ host: String, _ tag: String, environment: [String: String] = [:]) throws
    -> ChildProcess.Result
  {
    try StrataTool.run(
      ["analyze", "registry://\(host)/\(tag)", "--format", "json"], environment: environment, input: .null)
  }

  /// The read succeeded (else the test ends there, failed) and its figures equal the archive's
  /// (`RegistrySourceTests.figures`).
  static func expectSameFigures(
    _ remote: ChildProcess.Result, as byFile: ChildProcess.Result, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try #require(remote.status == 0, "\(what): \(remote.stderr)", sourceLocation: sourceLocation)
    #expect(
      try RegistrySourceTests.figures(remote.stdout) == RegistrySourceTests.figures(byFile.stdout), "\(what)",
      sourceLocation: sourceLocation)
  }

  /// A new registry holding `archive` pushed as `name` in zstd:chunked, and the archive's own report.
  static func pushed(_ archive: String, as name: String) throws -> (registry: TestRegistry, byFile: StrataTool.Run) {
    let registry = try TestRegistry()
    do {
      try registry.push("docker-archive:" + archive, as: name, zstdChunked)
      let byFile = try StrataTool.run(["analyze", archive, "--format", "json"], input: .null)
      #expect(byFile.status == 0, "\(byFile.stderr)")
      return (registry, byFile)
    } catch {
      registry.stop()
      throw error
    }
  }

  /// Writes `archive` as an OCI layout of zstd:chunked layers, lets `edit` change the layer
  /// descriptors, and pushes it as `name` (the blobs unchanged, the edited manifest as it is).
  static func pushEdited(
    _ archive: String, as name: String, to registry: TestRegistry, edit: (inout [[String: Any]]) -> Void
  ) throws {
    // skopeo reads `oci:PATH:TAG`: no colon in the path.
    let folder = "layout-" + name.map { $0 == "/" || $0 == ":" ? "-" : String($0) }.joined()
    let layout = registry.directory.appendingPathComponent(folder)
    let copy = try ChildProcess.run(
      "skopeo",
      ["copy", "--quiet", "--insecure-policy"] + zstdChunked + ["docker-archive:" + archive, "oci:\(layout.path):x"],
      timeout: 180)
    guard copy.status == 0 else { throw TestArchiveError("skopeo copy to a layout: \(copy.stderr)") }
    let indexURL = layout.appendingPathComponent("index.json")
    var index = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: indexURL)) as? [String: Any])
    var descriptors = try #require(index["manifests"] as? [[String: Any]])
    let old = try #require((descriptors.first?["digest"] as? String)?.dropFirst("sha256:".count))
    let oldURL = layout.appendingPathComponent("blobs/sha256/\(old)")
    var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: oldURL)) as? [String: Any])
    var layers = try #require(manifest["layers"] as? [[String: Any]])
    edit(&layers)
    manifest["layers"] = layers
    let bytes = [UInt8](try JSONSerialization.data(withJSONObject: manifest))
    let digest = SHA256.digest(bytes)
    try Data(bytes).write(to: layout.appendingPathComponent("blobs/sha256/\(digest.dropFirst("sha256:".count))"))
    try FileManager.default.removeItem(at: oldURL)
    descriptors[0]["digest"] = digest
    descriptors[0]["size"] = bytes.count
    index["manifests"] = descriptors
    try JSONSerialization.data(withJSONObject: index).write(to: indexURL)
    try registry.push("oci:\(layout.path):x", as: name)
  }

  @Test(
    "the wasteful image: the archive's figures, secrets and duplicates from verified frames, < 15 % of the blobs, nothing cached"
  )
  func wastefulImage() throws {
    let (registry, byFile) = try Self.pushed(Self.wasteful, as: "strata/wasteful:zc")
    defer { registry.stop() }
    let raw = try JSONSerialization.jsonObject(with: try registry.rawManifest("strata/wasteful:zc")) as? [String: Any]
    let layers = try #require(raw?["layers"] as? [[String: Any]])
    #expect(layers.allSatisfy { ($0["mediaType"] as? String) == "application/vnd.oci.image.layer.v1.tar+zstd" })
    #expect(
      layers.allSatisfy { ($0["annotations"] as? [String: String])?[Self.oldPrefix + "manifest-position"] != nil })

    let cache = try temporaryDirectory("strata-zc-cache")
    defer { try? FileManager.default.removeItem(at: cache) }
    let remote = try Self.analyze(registry.host, "strata/wasteful:zc", environment: ["XDG_CACHE_HOME": cache.path])
    try Self.expectSameFigures(remote, as: byFile, "zstd:chunked")
    let report = try JSONValue.parse(remote.stdout)
    let bytes = try EStargzRegistryTests.layerBytes(registry, "strata/wasteful:zc", report: report)
    // The manifests of the ten layers: about 11 kB of 2 MB of blobs.
    #expect(bytes.listing * 50 < bytes.blobs, "\(bytes)")
    // Duplicates (two copies of a 100 kB file compared whole) and secrets need contents.
    #expect(bytes.content > 0 && (bytes.listing + bytes.content) * 100 < bytes.blobs * 15, "\(bytes)")
    let categories = (report["waste"]?["findings"]?.arrayValue ?? []).compactMap { $0["category"]?.stringValue }
    #expect(categories.contains("duplicate") && categories.contains("sensitive"), "\(categories)")
    let notes = report["waste"]?["notes"]?.arrayValue ?? []
    #expect(notes.isEmpty, "\(notes)")

    // Layers listed from their manifest are not kept in the layer cache: read again, the same
    // bytes are downloaded.
    let again = try Self.analyze(registry.host, "strata/wasteful:zc", environment: ["XDG_CACHE_HOME": cache.path])
    try Self.expectSameFigures(again, as: byFile, "again")
    let second = try EStargzRegistryTests.layerBytes(
      registry, "strata/wasteful:zc", report: try JSONValue.parse(again.stdout))
    #expect(second.listing == bytes.listing, "\(second) after \(bytes)")
  }

  @Test(
    "whiteouts, an opaque directory, hard links, symlinks and PAX names: the archive's figures from the manifests")
  func linksAndWhiteouts() throws {
    let (registry, byFile) = try Self.pushed(Self.busyboxApp, as: "strata/busybox-app:zc")
    defer { registry.stop() }
    let remote = try Self.analyze(registry.host, "strata/busybox-app:zc")
    try Self.expectSameFigures(remote, as: byFile, "busybox-app")
    let bytes = try EStargzRegistryTests.layerBytes(
      registry, "strata/busybox-app:zc", report: try JSONValue.parse(remote.stdout))
    #expect(bytes.listing * 20 < bytes.blobs, "\(bytes)")
  }

  @Test(
    "annotations: the newer prefix is read; another manifest type or a position past the blob falls back; a wrong checksum fails"
  )
  func annotations() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"], input: .null)
    #expect(byFile.status == 0, "\(byFile.stderr)")

    // containers/storage's current prefix, io.github.containers.zstd-chunked.
    try Self.pushEdited(Self.wasteful, as: "strata/wasteful:new-prefix", to: registry) { layers in
      for index in layers.indices {
        let annotations = layers[index]["annotations"] as? [String: String] ?? [:]
        layers[index]["annotations"] = Dictionary(
          uniqueKeysWithValues: annotations.map {
            ($0.key.replacingOccurrences(of: Self.oldPrefix, with: Self.newPrefix), $0.value)
          })
      }
    }
    let renamed = try Self.analyze(registry.host, "strata/wasteful:new-prefix")
    try Self.expectSameFigures(renamed, as: byFile, "new prefix")
    if renamed.status == 0 {
      let bytes = try EStargzRegistryTests.layerBytes(
        registry, "strata/wasteful:new-prefix", report: try JSONValue.parse(renamed.stdout))
      #expect(bytes.listing * 50 < bytes.blobs, "\(bytes)")
    }

    // Layer 1 names manifest type 2, layer 2 a position past its blob: both are downloaded whole.
    var fallen: Int64 = 0
    try Self.pushEdited(Self.wasteful, as: "strata/wasteful:unreadable", to: registry) { layers in
      let key = Self.oldPrefix + "manifest-position"
      let changes: [(Int, ([String]) -> [String])] = [
        (0, { Array($0[0...2]) + ["2"] }),  // offset:length:uncompressed:type
        (1, { ["99999999"] + Array($0[1...3]) }),
      ]
      for (index, change) in changes {
        var annotations = layers[index]["annotations"] as? [String: String] ?? [:]
        let parts = (annotations[key] ?? "").split(separator: ":").map(String.init)
        guard parts.count == 4 else { continue }
        annotations[key] = change(parts).joined(separator: ":")
        layers[index]["annotations"] = annotations
        fallen += Int64(layers[index]["size"] as? Int ?? 0)
      }
    }
    let whole = try Self.analyze(registry.host, "strata/wasteful:unreadable")
    try Self.expectSameFigures(whole, as: byFile, "unreadable annotations")
    if whole.status == 0 {
      let bytes = try EStargzRegistryTests.layerBytes(
        registry, "strata/wasteful:unreadable", report: try JSONValue.parse(whole.stdout))
      #expect(fallen > 0 && bytes.listing >= fallen && bytes.listing < bytes.blobs, "\(bytes), \(fallen) whole")
    }

    try Self.pushEdited(Self.wasteful, as: "strata/wasteful:bad-checksum", to: registry) { layers in
      var annotations = layers[1]["annotations"] as? [String: String] ?? [:]
      annotations[Self.oldPrefix + "manifest-checksum"] = "sha256:" + String(repeating: "0", count: 64)
      layers[1]["annotations"] = annotations
    }
    let run = try Self.analyze(registry.host, "strata/wasteful:bad-checksum")
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    #expect(
      run.stderr.contains("zstd:chunked manifest") && run.stderr.contains("manifest-checksum")
        && run.stderr.contains("nothing is reported"), "\(run.stderr)")
    #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
  }

  @Test(
    "bytes altered in transit: a manifest fails, frames are not used; a registry without Range: a whole download")
  func transit() throws {
    let (registry, byFile) = try Self.pushed(Self.wasteful, as: "strata/wasteful:zc")
    defer { registry.stop() }
    let upstream = try RegistryTransportTests.port(registry)

    // Every partial answer altered: the first, a layer's manifest, no longer matches its checksum.
    let corrupt = try RegistryProxy(upstream: upstream, mode: "corrupt-range", in: registry.directory)
    let failed = try Self.analyze("127.0.0.1:\(corrupt.port)", "strata/wasteful:zc")
    corrupt.stop()
    #expect(failed.status == 2, "\(failed.stderr)")
    #expect(failed.stdout.isEmpty)
    #expect(
      failed.stderr.contains("manifest-checksum") && failed.stderr.contains("nothing is reported"), "\(failed.stderr)")
    #expect(failed.stderr.split(separator: "\n").count == 1, "\(failed.stderr)")

    // The manifests intact, every content read altered: the frames fail their digests and are not used.
    let later = try RegistryProxy(upstream: upstream, mode: "corrupt-range-again", in: registry.directory)
    let unread = try Self.analyze("127.0.0.1:\(later.port)", "strata/wasteful:zc")
    later.stop()
    #expect(unread.status == 0, "\(unread.stderr)")
    if unread.status == 0 {
      let notes = try JSONValue.parse(unread.stdout)["waste"]?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
      #expect(
        notes.contains { $0.contains("zstd:chunked") && $0.contains("failed verification") && $0.contains("not used") },
        "\(notes)")
      #expect(try RegistrySourceTests.figures(unread.stdout) != RegistrySourceTests.figures(byFile.stdout))
    }

    // No Range support: every layer downloaded whole (and verified by its digest), same figures.
    let norange = try RegistryProxy(upstream: upstream, mode: "norange", in: registry.directory)
    let whole = try Self.analyze("127.0.0.1:\(norange.port)", "strata/wasteful:zc")
    norange.stop()
    try Self.expectSameFigures(whole, as: byFile, "no Range")
    if whole.status == 0 {
      let bytes = try EStargzRegistryTests.layerBytes(
        registry, "strata/wasteful:zc", report: try JSONValue.parse(whole.stdout))
      #expect(bytes.listing >= bytes.blobs, "the fallback downloads every blob: \(bytes)")
    }
  }
}
