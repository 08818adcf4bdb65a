import Foundation
import ImageLoading
import ImageModel
import TestSupport
import Testing

@Suite("Loading: inputs that are not images")
struct NotAnImageTests {
  @Test("a bare layer tar is refused with advice", arguments: [TarCompression.none, .gzip])
  func bareLayer(compression: TarCompression) throws {
    let error = try #require(loadError(try Sample.base().build(compression)))
    #expect(error.kind == .bareLayer)
    #expect(error.problem.contains("docker save"))
  }

  @Test("a directory that is not a layout is refused like a bare layer")
  func plainDirectory() throws {
    try withTemporaryDirectory { directory in
      try writeFile(directory.appendingPathComponent("README").path, Array("hi".utf8))
      let error = #expect(throws: ImageLoadError.self) { try ImageLoader.load(directory.path) }
      #expect(error?.kind == .bareLayer)
    }
  }

  @Test("an empty file")
  func emptyFile() {
    let error = loadError([])
    #expect(error?.kind == .emptyArchive)
    #expect(error?.file.hasSuffix("image.tar") == true)
  }

  @Test("a tar with no entries")
  func emptyTar() throws {
    #expect(loadError(try TarBuilder().build())?.kind == .emptyArchive)
  }

  @Test(
    "text and random bytes are not archives",
    arguments: [
      Array(String(repeating: "hello, this is a text file\n", count: 50).utf8),
      TarBuilder.content(size: 10_000, seed: 7),
      Array("{\"not\": \"a tar\"}".utf8),
    ])
  func notAnArchive(bytes: [UInt8]) {
    let error = loadError(bytes)
    #expect(error?.kind == .notAnArchive)
    #expect(error?.problem.contains("docker save") == true, "\(String(describing: error))")
  }

  @Test("a missing path")
  func missingPath() {
    let error = #expect(throws: ImageLoadError.self) { try ImageLoader.load("/nonexistent/strata/image.tar") }
    #expect(error?.kind == .notFound)
    #expect(error?.file == "/nonexistent/strata/image.tar")
  }

  @Test("an archive cut inside a layer is reported as corrupt", arguments: [TarCompression.none, .gzip])
  func truncatedArchive(outer: TarCompression) throws {
    let big = try LayerSpec(TarBuilder().file("a", size: 200_000).file("b", size: 200_000))
    let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["t:1"], layers: [big])).build(outer)
    let error = try #require(loadError(Array(bytes.prefix(bytes.count / 2))))
    #expect(error.kind == .corrupt, "\(error)")
  }

  @Test("an archive cut inside its first header is not an archive")
  func truncatedFirstHeader() throws {
    let bytes = try ImageArchiveBuilder(.dockerLegacy, try Sample.image()).build()
    #expect(loadError(Array(bytes.prefix(300)))?.kind == .notAnArchive)
  }
}

@Suite("Loading: broken and hostile metadata")
struct MetadataErrorTests {
  static func legacyMembers() throws -> [ArchiveMember] {
    ImageArchiveBuilder(.dockerLegacy, try Sample.image()).members()
  }
  static func ociMembers() throws -> [ArchiveMember] { ImageArchiveBuilder(.oci, try Sample.image()).members() }

  /// The legacy archive's manifest.json with its single image object transformed.
  static func legacy(manifest: (TestJSON) -> TestJSON) throws -> [ArchiveMember] {
    var members = try legacyMembers()
    let spec = try Sample.image()
    let configName = SHA256.hex(spec.configBytes) + ".json"
    let layers = members.filter { $0.name.hasSuffix("/layer.tar") }.map(\.name)
    let original = TestJSON.obj(
      ("Config", .string(configName)), ("RepoTags", .strings(spec.tags)), ("Layers", .strings(layers)))
    members.replace("manifest.json", with: TestJSON.array([manifest(original)]).bytes)
    return members
  }

  @Test("a layer named by the manifest but missing from the archive", arguments: [TarCompression.none, .gzip])
  func missingLayer(outer: TarCompression) throws {
    let members = try Self.legacy { $0.setting("Layers", .strings(["nothere/layer.tar"])) }
    let error = try #require(try loadError(members: members, outer))
    #expect(error.kind == .missingBlob)
    #expect(error.problem.contains("nothere/layer.tar"))
  }

  @Test("an OCI layer blob missing from the archive", arguments: [TarCompression.none, .zstd])
  func missingOCIBlob(outer: TarCompression) throws {
    var members = try Self.ociMembers()
    let spec = try Sample.image()
    members.remove(ImageArchiveBuilder.blobName(spec.layers[1].blob))
    let error = try #require(try loadError(members: members, outer))
    #expect(error.kind == .missingBlob)
  }

  @Test("a missing config")
  func missingConfig() throws {
    var members = try Self.legacyMembers()
    members.removeAll { $0.name.hasSuffix(".json") && !$0.name.contains("/") && $0.name != "manifest.json" }
    #expect(try loadError(members: members)?.kind == .missingBlob)
  }

  @Test("malformed manifest.json: the message names the file and the line", arguments: [TarCompression.none, .gzip])
  func malformedManifest(outer: TarCompression) throws {
    var members = try Self.legacyMembers()
    members.replace("manifest.json", withText: "[\n  {\"Config\": \"x.json\",\n   \"Layers\": [,]}\n]")
    let error = try #require(try loadError(members: members, outer))
    #expect(error.kind == .malformedJSON)
    #expect(error.file.hasSuffix("manifest.json"))
    #expect(error.problem.contains("line 3"), "\(error)")
  }

  @Test("malformed config JSON")
  func malformedConfig() throws {
    var spec = try Sample.image()
    spec.configOverride = .raw("{\"architecture\": \"amd64\",\n\"rootfs\": {")
    let error = try #require(loadError(try ImageArchiveBuilder(.oci, spec).build()))
    #expect(error.kind == .malformedJSON)
    #expect(error.file.contains("blobs/sha256/"))
    #expect(error.problem.contains("line 2"), "\(error)")
  }

  @Test("malformed index.json")
  func malformedIndex() throws {
    var members = try Self.ociMembers()
    members.replace("index.json", withText: "{\"manifests\": [}")
    let error = try #require(try loadError(members: members))
    #expect(error.kind == .malformedJSON)
    #expect(error.file.hasSuffix("index.json"))
  }

  @Test("duplicate keys in metadata are refused")
  func duplicateKeys() throws {
    var members = try Self.legacyMembers()
    members.replace("manifest.json", withText: "[{\"Config\": \"a.json\", \"Config\": \"b.json\", \"Layers\": []}]")
    #expect(try loadError(members: members)?.kind == .malformedJSON)
  }

  @Test("wrong-typed manifest fields name the field and the types")
  func wrongTypes() throws {
    let layersString = try #require(try loadError(members: try Self.legacy { $0.setting("Layers", "abc/layer.tar") }))
    #expect(layersString.kind == .invalidMetadata)
    #expect(
      layersString.problem.contains("Layers") && layersString.problem.contains("an array")
        && layersString.problem.contains("a string"), "\(layersString)")

    let configNumber = try #require(try loadError(members: try Self.legacy { $0.setting("Config", 42) }))
    #expect(configNumber.kind == .invalidMetadata)
    #expect(configNumber.problem.contains("Config"), "\(configNumber)")

    let tagsString = try #require(try loadError(members: try Self.legacy { $0.setting("RepoTags", "a:1") }))
    #expect(tagsString.kind == .invalidMetadata)

    let layerNumber = try #require(try loadError(members: try Self.legacy { $0.setting("Layers", [1]) }))
    #expect(layerNumber.kind == .invalidMetadata)
    #expect(layerNumber.problem.contains("Layers[0]"), "\(layerNumber)")

    let noLayers = try #require(try loadError(members: try Self.legacy { _ in .obj(("Config", "x.json")) }))
    #expect(noLayers.kind == .invalidMetadata)
    #expect(noLayers.problem.contains("Layers"))

    var objectManifest = try Self.legacyMembers()
    objectManifest.replace("manifest.json", withText: "{\"Config\": \"x\"}")
    #expect(try loadError(members: objectManifest)?.kind == .invalidMetadata)
  }

  @Test("wrong-typed config fields")
  func wrongTypedConfig() throws {
    let spec = try Sample.image()
    for override in [
      spec.config.setting("history", "none"),
      spec.config.setting("history", [.obj(("created_by", "x"), ("empty_layer", "yes"))]),
      spec.config.setting("rootfs", .obj(("diff_ids", "sha256:abc"))),
      spec.config.setting("architecture", 64),
      TestJSON.array([]),
    ] {
      var broken = spec
      broken.configOverride = override
      let error = loadError(try ImageArchiveBuilder(.dockerLegacy, broken).build())
      #expect(error?.kind == .invalidMetadata, "\(override.text)")
    }
  }

  @Test("wrong-typed OCI index and manifest fields")
  func wrongTypedOCI() throws {
    var members = try Self.ociMembers()
    members.replace("index.json", withText: "{\"manifests\": {}}")
    #expect(try loadError(members: members)?.kind == .invalidMetadata)
    members.replace("index.json", withText: "{\"schemaVersion\": 2}")
    #expect(try loadError(members: members)?.kind == .invalidMetadata)
    members.replace(
      "index.json", withText: "{\"manifests\": [{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\"}]}")
    #expect(try loadError(members: members)?.kind == .invalidMetadata)
  }

  @Test(
    "an unknown layer media type is refused",
    arguments: ["application/vnd.oci.image.layer.v1.tar+bzip2", "application/vnd.in-toto+json"])
  func unknownLayerMediaType(mediaType: String) throws {
    let layers = try Sample.layers()
    let spec = ImageSpec(
      tags: ["m:1"], layers: [layers[0], try LayerSpec(layers[1].tar, mediaType: mediaType)], history: nil)
    let error = try #require(loadError(try ImageArchiveBuilder(.oci, spec).build()))
    #expect(error.kind == .unknownMediaType)
    #expect(error.problem.contains(mediaType))
    #expect(error.problem.contains("layers[1]"))
  }

  @Test("a config media type that is not an image config is refused")
  func unknownConfigMediaType() throws {
    var members = try Self.ociMembers()
    let manifest = try #require(
      members.first {
        String(decoding: $0.bytes ?? [], as: UTF8.self).contains(ImageArchiveBuilder.ociConfigType)
      })
    let text = String(decoding: manifest.bytes ?? [], as: UTF8.self)
      .replacingOccurrences(of: ImageArchiveBuilder.ociConfigType, with: "application/vnd.cncf.helm.config.v1+json")
    members.replace(manifest.name, withText: text)
    #expect(try loadError(members: members)?.kind == .unknownMediaType)
  }

  @Test(
    "manifest entries that climb out of the archive are refused",
    arguments: ["../x/layer.tar", "a/../../layer.tar", "../../etc/passwd"])
  func hostileLayerPath(path: String) throws {
    let members = try Self.legacy { $0.setting("Layers", .strings([path])) }
    let error = try #require(try loadError(members: members))
    #expect(error.kind == .unsafePath)
    #expect(error.problem.contains(path))
  }

  @Test("a config path that climbs out of the archive is refused")
  func hostileConfigPath() throws {
    let members = try Self.legacy { $0.setting("Config", "../../etc/passwd") }
    #expect(try loadError(members: members)?.kind == .unsafePath)
  }

  @Test(
    "OCI digests that are not algorithm:hex are refused",
    arguments: ["sha256:../../etc/passwd", "sha256:", "nodigest", ":abc", "sha256:abc/def"])
  func hostileDigest(digest: String) throws {
    var members = try Self.ociMembers()
    members.replace(
      "index.json",
      withText:
        "{\"manifests\": [{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", \"digest\": \"\(digest)\"}]}")
    #expect(try loadError(members: members)?.kind == .unsafePath)
  }

  @Test("a layer blob that is not a tar is reported", arguments: [TarCompression.none, .gzip])
  func layerNotATar(outer: TarCompression) throws {
    var members = try Self.legacyMembers()
    let layer = try #require(members.first { $0.name.hasSuffix("/layer.tar") })
    members.replace(layer.name, with: TarBuilder.content(size: 4000, seed: 3))
    let error = try #require(try loadError(members: members, outer))
    #expect(error.kind == .notAnArchive || error.kind == .corrupt, "\(error)")
    #expect(error.file.contains(layer.name))
  }

  @Test("a truncated compressed layer is reported as corrupt", arguments: [TarCompression.none, .gzip])
  func truncatedLayer(outer: TarCompression) throws {
    let layer = try TarBuilder().file("a", size: 100_000).file("b", size: 100_000).build(.gzip)
    var members = try Self.legacyMembers()
    let name = try #require(members.first { $0.name.hasSuffix("/layer.tar") }).name
    members.replace(name, with: Array(layer.prefix(layer.count / 2)))
    let error = try #require(try loadError(members: members, outer))
    #expect(error.kind == .corrupt, "\(error)")
  }

  @Test(
    "a layer with more entries than allowed is refused as too large")
  func entryLimit() throws {
    var builder = TarBuilder()
    for index in 0..<20 { builder = builder.file("f\(index)", size: 1) }
    let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["x:1"], layers: [try LayerSpec(builder)]))
      .build()
    let error = try #require(loadError(bytes, options: LoadOptions(maxEntriesPerLayer: 10)))
    #expect(error.kind == .tooLarge, "\(error)")
  }

  @Test("the entry limit stops a layer with too many entries")
  func entryLimitStops() throws {
    var builder = TarBuilder()
    for index in 0..<20 { builder = builder.file("f\(index)", size: 1) }
    let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["x:1"], layers: [try LayerSpec(builder)]))
      .build()
    let error = try #require(loadError(bytes, options: LoadOptions(maxEntriesPerLayer: 10)))
    #expect(error.problem.contains("more than 10 entries"), "\(error)")
    #expect(try loadImage(bytes, options: LoadOptions(maxEntriesPerLayer: 20)).layers[0].contents.entries.count == 20)
  }

  @Test("an OCI layout directory does not follow links out of itself")
  func layoutSymlinkEscape() throws {
    try withTemporaryDirectory { directory in
      let spec = try Sample.image()
      let layout = directory.appendingPathComponent("layout").path
      try ImageArchiveBuilder(.oci, spec).writeDirectory(at: layout)
      // Replace a layer blob by a link to a file outside the layout.
      let outside = directory.appendingPathComponent("outside.tar").path
      try writeFile(outside, spec.layers[1].blob)
      let blob = layout + "/" + ImageArchiveBuilder.blobName(spec.layers[1].blob)
      try FileManager.default.removeItem(atPath: blob)
      try FileManager.default.createSymbolicLink(atPath: blob, withDestinationPath: outside)
      let error = #expect(throws: ImageLoadError.self) { try ImageLoader.load(layout) }
      #expect(error?.kind == .missingBlob)
      // A link that stays inside is fine.
      try FileManager.default.removeItem(atPath: blob)
      let inside = layout + "/copy.tar"
      try writeFile(inside, spec.layers[1].blob)
      try FileManager.default.createSymbolicLink(atPath: blob, withDestinationPath: "../../copy.tar")
      #expect(try ImageLoader.load(layout).layers.count == 3)
    }
  }

  @Test("an OCI layout directory with a missing blob")
  func layoutMissingBlob() throws {
    try withTemporaryDirectory { directory in
      let spec = try Sample.image()
      let layout = try ImageArchiveBuilder(.oci, spec).writeDirectory(
        at: directory.appendingPathComponent("layout").path)
      try FileManager.default.removeItem(atPath: layout + "/" + ImageArchiveBuilder.blobName(spec.layers[2].blob))
      let error = #expect(throws: ImageLoadError.self) { try ImageLoader.load(layout) }
      #expect(error?.kind == .missingBlob)
    }
  }
}
