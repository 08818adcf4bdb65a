import Foundation
import ImageLoading
import ImageModel
import TestSupport
import Testing

/// Outer compression × metadata placement: the uncompressed file is read by seeking, the
/// compressed ones in a single streaming pass (where manifest.json may come last).
let outerVariants: [(TarCompression, Bool)] = [
  (.none, false), (.none, true), (.gzip, false), (.gzip, true), (.zstd, true),
]

@Suite("Loading: every archive layout")
struct FormatTests {
  @Test("legacy docker-archive", arguments: outerVariants)
  func legacyDocker(outer: TarCompression, metadataLast: Bool) throws {
    let spec = try Sample.image()
    let builder = ImageArchiveBuilder(.dockerLegacy, spec, metadataLast: metadataLast)
    let image = try loadImage(builder, outer)
    #expect(image.format == .dockerArchive)
    #expect(image.tags == ["example/app:1.0"])
    Sample.check(image, layers: spec.layers)
    #expect(image.layers.allSatisfy { $0.descriptor.location.hasSuffix("/layer.tar") })
    #expect(image.layers.allSatisfy { $0.descriptor.mediaType == nil && $0.descriptor.digest == nil })
    #expect(image.configReference?.hasSuffix(".json") == true)
    #expect(image.config.architecture == "amd64")
    #expect(image.archiveBytes == Int64(try builder.build(outer).count))
    #expect(image.label == "example/app:1.0")
  }

  @Test("Docker 25+ layout (blobs + manifest.json + index.json)", arguments: outerVariants)
  func docker25(outer: TarCompression, metadataLast: Bool) throws {
    let spec = try Sample.image()
    let image = try loadImage(ImageArchiveBuilder(.docker25, spec, metadataLast: metadataLast), outer)
    #expect(image.format == .dockerOCIArchive)
    #expect(image.tags == ["example/app:1.0"])
    Sample.check(image, layers: spec.layers)
    #expect(image.layers.map(\.descriptor.location) == spec.layers.map { ImageArchiveBuilder.blobName($0.blob) })
    #expect(image.layers.map(\.descriptor.digest) == spec.layers.map(\.blobDigest))
    // The media types come from the OCI manifest that index.json names.
    #expect(image.layers.allSatisfy { $0.descriptor.mediaType == "application/vnd.oci.image.layer.v1.tar" })
    #expect(image.configReference == SHA256.digest(spec.configBytes))
  }

  @Test("OCI archive with uncompressed, gzip and zstd layers", arguments: TarCompression.allCases)
  func ociArchive(layers: TarCompression) throws {
    let spec = try Sample.image(compression: layers)
    for (outer, metadataLast) in outerVariants {
      let image = try loadImage(ImageArchiveBuilder(.oci, spec, metadataLast: metadataLast), outer)
      #expect(image.format == .ociArchive)
      #expect(image.tags == ["example/app:1.0"])
      Sample.check(image, layers: spec.layers)
      #expect(image.layers.map(\.descriptor.mediaType) == spec.layers.map(\.mediaType))
      #expect(image.layers.map(\.descriptor.digest) == spec.layers.map(\.blobDigest))
      #expect(image.layers.allSatisfy { $0.contents.compression == (layers == .none ? [] : [layers.rawValue]) })
      #expect(image.configReference == SHA256.digest(spec.configBytes))
    }
  }

  @Test("legacy docker-archive with gzip layers (kaniko style)")
  func legacyCompressedLayers() throws {
    let spec = try Sample.image(compression: .gzip)
    let image = try loadImage(ImageArchiveBuilder(.dockerLegacy, spec))
    Sample.check(image, layers: spec.layers)
    #expect(image.layers.allSatisfy { $0.contents.compression == ["gzip"] })
  }

  @Test("OCI layout directory")
  func ociLayoutDirectory() throws {
    let spec = try Sample.image(compression: .gzip)
    try withTemporaryDirectory { directory in
      let path = try ImageArchiveBuilder(.oci, spec).writeDirectory(at: directory.appendingPathComponent("layout").path)
      let image = try ImageLoader.load(path)
      Sample.check(image, layers: spec.layers)
      #expect(image.tags == ["example/app:1.0"])
      #expect(image.archiveBytes == nil)
      #expect(try ImageLoader.listImages(path) == ["example/app:1.0"])
    }
  }

  @Test(
    "an OCI layout directory reports the oci-layout format")
  func ociLayoutFormat() throws {
    try withTemporaryDirectory { directory in
      let path = try ImageArchiveBuilder(.oci, try Sample.image()).writeDirectory(
        at: directory.appendingPathComponent("l").path)
      #expect(try ImageLoader.load(path).format == .ociLayout)
    }
  }

  @Test("layers read concurrently and one by one give the same result")
  func concurrentAndSerial() throws {
    let bytes = try ImageArchiveBuilder(.oci, try Sample.image(compression: .zstd)).build()
    let concurrent = try loadImage(bytes, options: LoadOptions(concurrent: true))
    let serial = try loadImage(bytes, options: LoadOptions(concurrent: false))
    #expect(concurrent.layers.map(\.contents.entries) == serial.layers.map(\.contents.entries))
    #expect(concurrent.layers.map(\.descriptor) == serial.layers.map(\.descriptor))
  }

  @Test("a seekable archive is read by headers: far fewer bytes than its size")
  func seekableReadsLittle() throws {
    let layer = try LayerSpec(TarBuilder().file("big/a", size: 2_000_000).file("big/b", size: 2_000_000))
    let spec = ImageSpec(tags: ["big:1"], layers: [layer])
    let image = try loadImage(ImageArchiveBuilder(.dockerLegacy, spec))
    #expect(image.layers[0].contents.headerBytes == 4_000_000)
    let archive = try #require(image.archiveBytes)
    #expect(image.bytesRead < archive / 4, "read \(image.bytesRead) of \(archive)")
  }

  @Test("an empty layer tar (no entries) loads as an empty layer", arguments: outerVariants)
  func emptyLayer(outer: TarCompression, metadataLast: Bool) throws {
    let spec = ImageSpec(
      tags: ["e:1"], layers: [try LayerSpec(Sample.base()), try LayerSpec(TarBuilder()), try LayerSpec(Sample.app())])
    for layout in [ImageArchiveBuilder.Layout.dockerLegacy, .oci] {
      let image = try loadImage(ImageArchiveBuilder(layout, spec, metadataLast: metadataLast), outer)
      #expect(image.layers.map(\.contents.entries.count) == [5, 0, 4])
    }
  }

  @Test("legacy docker save stores a repeated layer once and links to it")
  func legacySymlinkedLayer() throws {
    let spec = ImageSpec(tags: ["l:1"], layers: [try LayerSpec(Sample.base()), try LayerSpec(Sample.app())])
    var members = ImageArchiveBuilder(.dockerLegacy, spec).members()
    // Make the second layer a symlink to the first one's tar, as docker does for duplicates.
    let first = try #require(members.first { $0.name.hasSuffix("/layer.tar") })
    let second = try #require(members.last { $0.name.hasSuffix("/layer.tar") })
    let firstID = first.name.split(separator: "/")[0]
    members.removeAll { $0.name == second.name }
    members.append(.symlink(second.name, to: "../\(firstID)/layer.tar"))
    for outer in [TarCompression.none, .gzip] {
      let image = try loadImage(members: members, outer)
      #expect(image.layers.count == 2)
      #expect(image.layers[1].contents.entries == image.layers[0].contents.entries)
    }
  }

  @Test("history steps marked empty_layer are skipped when giving commands to layers")
  func emptyLayerHistorySkipped() throws {
    let history: [HistoryItem] = [
      .empty("ARG x"), HistoryItem("first"), .empty("ENV a=b"), .empty("ENV c=d"), HistoryItem("second"),
      .empty("CMD x"),
    ]
    let spec = ImageSpec(
      tags: ["h:1"],
      layers: [try LayerSpec(TarBuilder().file("a", size: 1)), try LayerSpec(TarBuilder().file("b", size: 2))],
      history: history)
    let image = try loadImage(ImageArchiveBuilder(.dockerLegacy, spec))
    #expect(image.layers.map(\.descriptor.command) == ["first", "second"])
    #expect(image.anomalies.isEmpty)
  }

  @Test("a history that does not match the layers is reported, commands mapped as far as they go")
  func historyMismatch() throws {
    let layers = [
      try LayerSpec(TarBuilder().file("a", size: 1)), try LayerSpec(TarBuilder().file("b", size: 2)),
      try LayerSpec(TarBuilder().file("c", size: 3)),
    ]
    let spec = ImageSpec(tags: ["h:1"], layers: layers, history: [HistoryItem("only"), .empty("ENV x=y")])
    let image = try loadImage(ImageArchiveBuilder(.dockerLegacy, spec))
    #expect(image.layers.map(\.descriptor.command) == ["only", nil, nil])
    #expect(image.anomalies.map(\.kind) == [.historyMismatch])
  }

  @Test("diff_ids that do not match the layer count are reported")
  func diffIDMismatch() throws {
    let spec = try Sample.image()
    let config = spec.config.setting(
      "rootfs", .obj(("type", "layers"), ("diff_ids", .strings([spec.layers[0].diffID]))))
    var withConfig = spec
    withConfig.configOverride = config
    let image = try loadImage(ImageArchiveBuilder(.oci, withConfig))
    #expect(image.layers.count == 3)
    #expect(image.layers.map(\.descriptor.diffID) == [spec.layers[0].diffID, nil, nil])
    #expect(image.anomalies.contains { $0.kind == .historyMismatch && $0.message.contains("diff_ids") })
  }

  @Test("a config with no history and no rootfs still loads")
  func minimalConfig() throws {
    var spec = try Sample.image()
    spec.configOverride = .obj(("architecture", "arm64"), ("os", "linux"))
    let image = try loadImage(ImageArchiveBuilder(.dockerLegacy, spec))
    #expect(image.layers.count == 3)
    #expect(image.layers.allSatisfy { $0.descriptor.command == nil })
    #expect(image.config.architecture == "arm64")
    #expect(image.anomalies.isEmpty)
  }

  @Test("members named ./x and directory entries in the outer archive are understood")
  func outerArchiveOddities() throws {
    let members = ImageArchiveBuilder(.dockerLegacy, try Sample.image()).members()
    let renamed = members.map { ArchiveMember(name: "./" + $0.name, kind: $0.kind) }
    let withDirectories = [ArchiveMember(name: "./", kind: .directory)] + renamed
    let image = try loadImage(members: withDirectories)
    #expect(image.layers.count == 3)
  }
}

@Suite("Loading: streaming pass details")
struct StreamingTests {
  /// A layer whose first entry's name starts with a JSON-like character.
  static func bracketLayers() throws -> [LayerSpec] {
    [
      try LayerSpec(TarBuilder().file("{curly}.txt", size: 10).file("b", size: 1)),
      try LayerSpec(TarBuilder().file("[square]", size: 3)),
    ]
  }

  @Test("a layer whose first name starts with { or [ is read as a layer when seekable")
  func bracketNamesSeekable() throws {
    let image = try loadImage(ImageArchiveBuilder(.oci, ImageSpec(tags: ["b:1"], layers: try Self.bracketLayers())))
    #expect(image.layers.map { $0.contents.entries.map(\.path) } == [["{curly}.txt", "b"], ["[square]"]])
  }

  @Test(
    "a layer whose first name starts with { or [ is read as a layer when streamed")
  func bracketNamesStreamed() throws {
    let image = try loadImage(
      ImageArchiveBuilder(.oci, ImageSpec(tags: ["b:1"], layers: try Self.bracketLayers())), .gzip)
    #expect(image.layers.map { $0.contents.entries.map(\.path) } == [["{curly}.txt", "b"], ["[square]"]])
  }

  @Test("members of the outer archive stream by in any order", arguments: [TarCompression.gzip, .zstd])
  func shuffledOrder(outer: TarCompression) throws {
    let spec = try Sample.image()
    for layout in [ImageArchiveBuilder.Layout.dockerLegacy, .docker25, .oci] {
      let members = ImageArchiveBuilder(layout, spec).members()
      // Reverse everything: config and manifests after the layers, index.json last.
      let image = try loadImage(members: Array(members.reversed()), outer)
      Sample.check(image, layers: spec.layers)
    }
  }

  @Test("a streamed archive reports what it read: the whole input")
  func streamedBytesRead() throws {
    let bytes = try ImageArchiveBuilder(.dockerLegacy, try Sample.image()).build(.gzip)
    let image = try loadImage(bytes)
    #expect(image.bytesRead > 0)
    #expect(image.archiveBytes == Int64(bytes.count))
  }

  @Test("a broken index.json next to a good manifest.json does not stop a docker save archive")
  func brokenIndexBesideManifest() throws {
    var members = ImageArchiveBuilder(.docker25, try Sample.image()).members()
    members.replace("index.json", withText: "{ not json")
    let image = try loadImage(members: members)
    #expect(image.layers.count == 3)
    #expect(image.format == .dockerOCIArchive)
    #expect(image.layers.allSatisfy { $0.descriptor.mediaType == nil })
  }

  @Test("an OCI index listing no manifests is an error")
  func emptyIndex() throws {
    var members = ImageArchiveBuilder(.oci, try Sample.image()).members()
    members.replace("index.json", withText: "{\"schemaVersion\": 2, \"manifests\": []}")
    #expect(try loadError(members: members)?.kind == .noManifest)
  }

  @Test("tags with localhost/ and docker.io/ prefixes match their short names")
  func tagPrefixes() throws {
    let bytes = try ImageArchiveBuilder(
      .dockerLegacy,
      images: [
        try Sample.image(tags: ["localhost/strata/app:1"]), try Sample.image(tags: ["docker.io/org/tool:2"]),
      ]
    ).build()
    #expect(try loadImage(bytes, options: LoadOptions(image: "strata/app:1")).tags == ["localhost/strata/app:1"])
    #expect(try loadImage(bytes, options: LoadOptions(image: "org/tool:2")).tags == ["docker.io/org/tool:2"])
    #expect(loadError(bytes, options: LoadOptions(image: "app:1"))?.kind == .noSuchImage)
  }
}
