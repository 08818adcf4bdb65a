import Foundation
import ImageLoading
import ImageModel
import JSONIO
import TestSupport
import Testing

/// What `docker save` writes with the containerd image store (Docker 25+ with the containerd
/// snapshotter): `manifest.json` names compressed blobs; `index.json` points at the registry's
/// whole multi-platform index, in which only the pulled platform's blobs are present, next to
/// attestation manifests.
@Suite("Loading: Docker's containerd image store layout")
struct ContainerdStoreTests {
  /// The archive's members: amd64 present with gzip layers, arm64 listed but absent, and an
  /// attestation manifest (unknown/unknown) whose blob is absent too.
  static func members() throws -> [ArchiveMember] {
    let amd64 = try Sample.image(tags: [], compression: .gzip, architecture: "amd64")
    let arm64 = try Sample.image(tags: [], compression: .gzip, architecture: "arm64")
    var members = ImageArchiveBuilder(.oci, .multiPlatform(tags: ["docker.io/example/app:1.0"], [amd64, arm64]))
      .members()
    func json(_ name: String) throws -> JSONValue { try JSONValue.parse(try #require(members[named: name]?.bytes)) }
    func blob(_ digest: String) -> String { "blobs/sha256/" + digest.dropFirst("sha256:".count) }

    let top = try json("index.json")
    let nestedDigest = try #require(top["manifests"]?.arrayValue?.first?["digest"]?.stringValue)
    let nested = try json(blob(nestedDigest))
    let children = try #require(nested["manifests"]?.arrayValue)
    var kept: [String] = []
    var present: (config: String, layers: [String])?
    for child in children {
      let digest = try #require(child["digest"]?.stringValue)
      let manifest = try json(blob(digest))
      let config = try #require(manifest["config"]?["digest"]?.stringValue)
      let layers = try #require(manifest["layers"]?.arrayValue).compactMap { $0["digest"]?.stringValue }
      if child["platform"]?["architecture"]?.stringValue == "amd64" {
        present = (config, layers)
        kept += [digest, config] + layers
      } else {
        for name in [digest, config] + layers where !kept.contains(name) { members.remove(blob(name)) }
      }
    }
    let amd = try #require(present)
    // The nested index gains an attestation manifest whose blob is not in the archive either.
    let nestedText = String(decoding: try #require(members[named: blob(nestedDigest)]?.bytes), as: UTF8.self)
    let attestation =
      #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:"#
      + String(repeating: "ab", count: 32)
      + #"","size":840,"annotations":{"vnd.docker.reference.digest":"sha256:00","vnd.docker.reference.type":"attestation-manifest"},"platform":{"architecture":"unknown","os":"unknown"}},"#
    let patched = nestedText.replacingOccurrences(of: "\"manifests\":[", with: "\"manifests\":[" + attestation)
    members.remove(blob(nestedDigest))
    members.append(.text(ImageArchiveBuilder.blobName(Array(patched.utf8)), patched))
    let newDigest = SHA256.digest(Array(patched.utf8))
    let indexText = String(decoding: try #require(members[named: "index.json"]?.bytes), as: UTF8.self)
      .replacingOccurrences(of: nestedDigest, with: newDigest)
      .replacingOccurrences(
        of: "\"org.opencontainers.image.ref.name\":",
        with: "\"io.containerd.image.name\":\"docker.io/example/app:1.0\",\"org.opencontainers.image.ref.name\":")
    #expect(indexText.contains("io.containerd.image.name"))
    members.replace("index.json", withText: indexText)
    members.append(
      .json(
        "manifest.json",
        .array([
          .obj(
            ("Config", .string(blob(amd.config))), ("RepoTags", .strings(["example/app:1.0"])),
            ("Layers", .strings(amd.layers.map(blob))))
        ])))
    return members
  }

  @Test("reads the present platform, gzip layers named by manifest.json", arguments: [TarCompression.none, .gzip])
  func reads(outer: TarCompression) throws {
    let members = try Self.members()
    let image = try loadImage(members: members, outer)
    #expect(image.format == .dockerOCIArchive)
    #expect(image.tags == ["example/app:1.0"])
    #expect(image.config.architecture == "amd64")
    Sample.check(image, layers: try Sample.layers(.gzip))
    #expect(image.layers.allSatisfy { $0.descriptor.mediaType == "application/vnd.oci.image.layer.v1.tar+gzip" })
    // The same figures as the plain archive of the same image.
    let plain = try loadImage(ImageArchiveBuilder(.dockerLegacy, try Sample.image(tags: ["example/app:1.0"])))
    let counts = image.layers.map { $0.contents.entries.count }
    #expect(counts == plain.layers.map { $0.contents.entries.count })
    func bytes(_ layer: Layer) -> Int64 { layer.contents.entries.reduce(Int64(0)) { $0 + $1.size } }
    #expect(image.layers.map(bytes) == plain.layers.map(bytes))
  }

  @Test("a platform whose blobs are absent is an error that names the one present")
  func absentPlatform() throws {
    let error = try #require(try loadError(members: try Self.members(), options: LoadOptions(platform: "linux/arm64")))
    #expect(error.kind == .noSuchPlatform)
    #expect(error.problem.contains("linux/amd64"), "\(error)")
    #expect(!error.problem.contains("unknown"), "\(error)")
  }
}
