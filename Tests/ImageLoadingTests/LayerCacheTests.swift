import ArchiveIO
import Foundation
import ImageModel
import TestSupport
import Testing

@testable import ImageLoading

/// The layer cache: what it keeps reads back exactly, only digests strata computed key it, and
/// files that do not read back whole are ignored.
@Suite("Layer cache")
struct LayerCacheTests {
  /// An image of three compressed layers and one plain one, with links, whiteouts and names that
  /// make anomalies.
  static func image(tag: String = "cache/app:1") throws -> ImageSpec {
    let base = TarBuilder()
      .dir("etc").file("etc/os-release", text: "ID=test\n").file("etc/passwd", text: "root:x:0:0\n")
      .dir("usr/bin").file("usr/bin/tool", size: 70_000).symlink("bin", to: "usr/bin")
      .hardlink("usr/bin/tool2", to: "usr/bin/tool").fifo("run/fifo")
    let app = TarBuilder()
      .file("app/.npmrc", text: "//registry.npmjs.org/:_authToken=abc\n").file("/abs/name", text: "x")
      .file("app/data.bin", size: 5_000).whiteout("etc/passwd").opaque("usr/bin")
    let other = TarBuilder().file("var/lib/dpkg/status", text: "Package: a\nStatus: install ok installed\n\n")
    let plain = TarBuilder().file("plain/file", size: 300)
    return ImageSpec(
      tags: [tag],
      layers: [
        try LayerSpec(base, compression: .gzip), try LayerSpec(app, compression: .zstd),
        try LayerSpec(other, compression: .gzip), try LayerSpec(plain),
      ])
  }

  /// Loads `path` with `cache` (nil: none).
  static func load(_ path: String, cache: LayerCache?, options: LoadOptions = LoadOptions()) throws -> Image {
    var options = options
    options.layerCache = cache
    return try ImageLoader.load(path, options: options)
  }

  /// Everything a layer's read gives the analyses.
  static func expectSameLayers(_ a: Image, _ b: Image, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.layers.count == b.layers.count, sourceLocation: sourceLocation)
    for (x, y) in zip(a.layers, b.layers) {
      #expect(x.contents.entries == y.contents.entries, "layer \(x.index)", sourceLocation: sourceLocation)
      #expect(x.contents.anomalies == y.contents.anomalies, "layer \(x.index)", sourceLocation: sourceLocation)
      #expect(x.contents.headerBytes == y.contents.headerBytes, sourceLocation: sourceLocation)
      #expect(x.contents.compression == y.contents.compression, sourceLocation: sourceLocation)
      #expect(x.contents.streamedContents == y.contents.streamedContents, sourceLocation: sourceLocation)
      #expect(x.descriptor == y.descriptor, sourceLocation: sourceLocation)
    }
    #expect(a.anomalies == b.anomalies, sourceLocation: sourceLocation)
  }

  /// A layer blob read as a stream source reads it: every file fingerprinted.
  static func readStreamed(_ blob: [UInt8]) throws -> (contents: LayerContents, extent: LayerReader.Extent) {
    try withTemporaryFile(blob) { path in
      try LayerReader.readCounting(
        ArchiveReader(source: .window(FileWindow(file: OpenFile(path: path)))), index: 0, name: "layer",
        content: .fingerprintAll)
    }
  }

  /// The cache's file names.
  static func files(_ directory: URL) -> Set<String> {
    Set((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
  }

  @Test(
    "compressed layers of an archive and a layout: cold, warm and without the cache alike", arguments: [false, true])
  func coldWarmAndNone(layout: Bool) throws {
    try withTemporaryDirectory { directory in
      let builder = ImageArchiveBuilder(.oci, try Self.image())
      let path = directory.appendingPathComponent("image").path
      if layout { try builder.writeDirectory(at: path) } else { try builder.write(to: path) }
      let cacheDirectory = directory.appendingPathComponent("cache/strata/layers")
      let none = try Self.load(path, cache: nil)
      let cold = LayerCache(directory: cacheDirectory.path)
      Self.expectSameLayers(try Self.load(path, cache: cold), none)
      // The three compressed layers are kept; the plain one is read headers-only, never cached.
      #expect(cold.usage == LayerCache.Counts(hits: 0, stores: 3))
      #expect(Self.files(cacheDirectory).count == 3)
      let warm = LayerCache(directory: cacheDirectory.path)
      let again = try Self.load(path, cache: warm)
      #expect(warm.usage == LayerCache.Counts(hits: 3, stores: 0))
      Self.expectSameLayers(again, none)
      // The anomalies of a hit name the layer's position in this image.
      #expect(again.layers[1].contents.anomalies.contains { $0.kind == .absolutePath && $0.layer == 1 })
    }
  }

  @Test("records with every file's fingerprint (stream sources) read back exactly")
  func streamedContentsRoundTrip() throws {
    let contents = try Self.readStreamed(try Self.image().layers[1].blob)
    #expect(!contents.contents.streamedContents.isEmpty)
    let record = LayerRecord(
      digest: "sha256:" + String(repeating: "ab", count: 32), contents: contents.contents, extent: contents.extent,
      hasStreamedContents: true)
    let decoded = try #require(LayerRecord.decode(record.encoded()))
    #expect(decoded.digest == record.digest)
    #expect(decoded.extent == contents.extent)
    #expect(decoded.hasStreamedContents)
    #expect(decoded.contents.entries == contents.contents.entries)
    // Kept without the layer's position (a hit sets this image's).
    #expect(
      decoded.contents.anomalies
        == contents.contents.anomalies.map {
          var kept = $0; kept.layer = nil; return kept
        })
    #expect(decoded.contents.streamedContents == contents.contents.streamedContents)
    #expect(decoded.contents.headerBytes == contents.contents.headerBytes)
    #expect(decoded.contents.compression == contents.contents.compression)
  }

  @Test("a crafted archive's claimed digests neither key nor find a cached layer")
  func claimedDigestsNeverKey() throws {
    try withTemporaryDirectory { directory in
      let genuineTar = TarBuilder().file("etc/genuine", text: "the real base layer\n")
      let craftedTar = TarBuilder().file("etc/crafted", text: "something else entirely\n")
      let genuine = try LayerSpec(genuineTar, compression: .gzip)
      let crafted = try LayerSpec(craftedTar, compression: .gzip)
      let genuinePlain = try LayerSpec(genuineTar)
      let craftedPlain = try LayerSpec(craftedTar)
      let cacheDirectory = directory.appendingPathComponent("layers")
      let cache = LayerCache(directory: cacheDirectory.path)
      let claimedNames = [genuine.blobDigest, genuine.diffID].compactMap { cache.path(for: $0) }
        .map { URL(fileURLWithPath: $0).lastPathComponent }

      // An OCI archive whose manifest and config describe the genuine layer (its blob digest
      // as the location, its diff ID) but whose blob holds another layer.
      var oci = ImageArchiveBuilder(.oci, ImageSpec(tags: ["crafted:1"], layers: [genuine])).members()
      oci.replace(ImageArchiveBuilder.blobName(genuine.blob), with: crafted.blob)
      let craftedOCI = directory.appendingPathComponent("crafted-oci.tar").path
      try writeFile(craftedOCI, try ImageArchiveBuilder.tar(oci))
      // A docker save whose config claims the genuine diff ID, over the other layer: stored
      // plain (read headers-only), and gzip-compressed.
      var legacyPlain = ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["crafted:2"], layers: [craftedPlain]))
      legacyPlain.images[0].configOverride = ImageSpec(tags: [], layers: [genuinePlain]).config
      let craftedLegacy = try legacyPlain.write(to: directory.appendingPathComponent("crafted-legacy.tar").path)
      var legacyGzip = ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["crafted:3"], layers: [crafted]))
      legacyGzip.images[0].configOverride = ImageSpec(tags: [], layers: [genuine]).config
      let craftedGzip = try legacyGzip.write(to: directory.appendingPathComponent("crafted-gzip.tar").path)
      let genuineImage = try ImageArchiveBuilder(.oci, ImageSpec(tags: ["genuine:1"], layers: [genuine]))
        .write(to: directory.appendingPathComponent("genuine.tar").path)

      func paths(_ image: Image) -> [String] { image.layers.flatMap { $0.contents.entries.map(\.path) } }

      // Read first, into an empty cache: nothing is kept under a digest they claim.
      for path in [craftedOCI, craftedLegacy, craftedGzip] {
        let image = try Self.load(path, cache: cache)
        #expect(paths(image).contains("etc/crafted"), "\(path)")
        #expect(Self.files(cacheDirectory).isDisjoint(with: claimedNames), "\(path): \(Self.files(cacheDirectory))")
      }
      // The genuine image is read from its own bytes and kept under its digest …
      #expect(paths(try Self.load(genuineImage, cache: cache)) == ["etc/genuine"])
      #expect(Self.files(cacheDirectory).contains(try #require(claimedNames.first)), "the genuine layer is cached")
      let hits = cache.usage.hits
      #expect(paths(try Self.load(genuineImage, cache: cache)) == ["etc/genuine"])
      #expect(cache.usage.hits == hits + 1, "read again from the cache")
      // … and the crafted ones, read again, are not answered from it.
      for path in [craftedOCI, craftedLegacy, craftedGzip] {
        let image = try Self.load(path, cache: cache)
        #expect(paths(image).contains("etc/crafted") && !paths(image).contains("etc/genuine"), "\(path)")
      }
    }
  }

  @Test("corrupt, truncated, foreign and mislabelled files are ignored and replaced")
  func corruptFilesIgnored() throws {
    try withTemporaryDirectory { directory in
      let path = try ImageArchiveBuilder(.oci, try Self.image())
        .write(to: directory.appendingPathComponent("image.tar").path)
      let cacheDirectory = directory.appendingPathComponent("layers")
      let none = try Self.load(path, cache: nil)
      _ = try Self.load(path, cache: LayerCache(directory: cacheDirectory.path))
      let names = Self.files(cacheDirectory).sorted()
      #expect(names.count == 3)
      let file = cacheDirectory.appendingPathComponent(names[0]).path
      let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
      var flipped = good
      flipped[good.count - 5] ^= 0x10
      var newer = good
      newer[8] = 99
      let other = try [UInt8](
        Data(contentsOf: URL(fileURLWithPath: cacheDirectory.appendingPathComponent(names[1]).path)))
      let damaged: [(String, [UInt8])] = [
        ("a flipped byte", flipped), ("half", Array(good.prefix(good.count / 2))),
        ("a header only", Array(good.prefix(32))),
        ("ten bytes", Array(good.prefix(10))), ("nothing", []), ("another version", newer),
        ("garbage", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }), ("another layer's file", other),
      ]
      for (what, bytes) in damaged {
        try writeFile(file, bytes)
        let cache = LayerCache(directory: cacheDirectory.path)
        Self.expectSameLayers(try Self.load(path, cache: cache), none)
        #expect(cache.usage == LayerCache.Counts(hits: 2, stores: 1), "\(what)")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: file))) == good, "\(what): rewritten")
      }
      // A directory, and a symbolic link to a good file, where the file should be.
      try FileManager.default.removeItem(atPath: file)
      try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
      let cache = LayerCache(directory: cacheDirectory.path)
      Self.expectSameLayers(try Self.load(path, cache: cache), none)
      #expect(cache.usage == LayerCache.Counts(hits: 2, stores: 0))
      try FileManager.default.removeItem(atPath: file)
      try writeFile(directory.appendingPathComponent("elsewhere").path, good)
      try FileManager.default.createSymbolicLink(
        atPath: file, withDestinationPath: directory.appendingPathComponent("elsewhere").path)
      let linked = LayerCache(directory: cacheDirectory.path)
      Self.expectSameLayers(try Self.load(path, cache: linked), none)
      #expect(linked.usage.hits == 2)
    }
  }

  @Test("decoding damaged records with valid checksums never traps")
  func damagedPayloads() throws {
    let read = try Self.readStreamed(try Self.image().layers[0].blob)
    let good = LayerRecord(
      digest: "sha256:" + String(repeating: "0", count: 64), contents: read.contents, extent: read.extent,
      hasStreamedContents: true
    ).encoded()
    var generator = SeededGenerator(seed: 14)
    var decoded = 0
    for round in 0..<3000 {
      var bytes = good
      for _ in 0..<(1 + round % 4) {
        let position = 32 + Int(generator.next() % UInt64(bytes.count - 32))
        bytes[position] = UInt8(truncatingIfNeeded: generator.next())
      }
      if round % 5 == 0 { bytes.removeLast(Int(generator.next() % 64)) }
      // A valid header for the damaged payload: only the payload's own checks stand in the way.
      let payload = Array(bytes[32...])
      bytes.replaceSubrange(16..<24, with: withUnsafeBytes(of: UInt64(payload.count).littleEndian, Array.init))
      bytes.replaceSubrange(
        24..<32, with: withUnsafeBytes(of: ContentHasher.fingerprint(payload).littleEndian, Array.init))
      if LayerRecord.decode(bytes) != nil { decoded += 1 }
    }
    // Most damage is caught; what is not is a record of other values, not a trap.
    #expect(decoded < 3000)
    #expect(LayerRecord.decode(good) != nil)
  }

  @Test("a cached layer is held to the limits as a read is")
  func limitsApply() throws {
    try withTemporaryDirectory { directory in
      let path = try ImageArchiveBuilder(.oci, try Self.image())
        .write(to: directory.appendingPathComponent("image.tar").path)
      let cache = LayerCache(directory: directory.appendingPathComponent("layers").path)
      _ = try Self.load(path, cache: cache)
      for options in [LoadOptions(maxEntriesPerLayer: 3), LoadOptions(maxLayerBytes: 20_000)] {
        let withCache = #expect(throws: ImageLoadError.self) { try Self.load(path, cache: cache, options: options) }
        let without = #expect(throws: ImageLoadError.self) { try Self.load(path, cache: nil, options: options) }
        #expect(withCache?.description == without?.description)
      }
    }
  }

  @Test("the directory stays under its bound, the files used longest ago going first")
  func eviction() throws {
    try withTemporaryDirectory { directory in
      let cache = LayerCache(directory: directory.path, maxBytes: 40_000)
      let entries = (0..<500).map { LayerEntry(path: "dir/file-\($0)", kind: .regular, size: Int64($0)) }
      let contents = LayerContents(entries: entries)
      let extent = LayerReader.Extent(headers: 500, uncompressedBytes: 1 << 20)
      let digests = (0..<8).map { "sha256:" + String(repeating: String($0), count: 64) }
      for (number, digest) in digests.enumerated() {
        cache.store(digest, contents, extent: extent, streamedContents: nil)
        // Older first, a minute apart; the first one is then used again.
        let path = try #require(cache.path(for: digest))
        let used = Date(timeIntervalSinceNow: Double(number - 20) * 60)
        try FileManager.default.setAttributes([.modificationDate: used], ofItemAtPath: path)
      }
      _ = try #require(cache.load(digests[0], index: 0, limits: .init(), streamedContents: nil))
      try writeFile(directory.appendingPathComponent(".tmp-left").path, [1, 2, 3])
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSinceNow: -7200)],
        ofItemAtPath: directory.appendingPathComponent(".tmp-left").path)
      cache.trim()
      let left = Self.files(directory)
      let sizes = try left.map {
        try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent($0).path)[.size] as? Int ?? 0
      }
      #expect(sizes.reduce(0, +) <= 40_000)
      #expect(left.contains("sha256-" + String(repeating: "0", count: 64)), "the one used last stays")
      #expect(left.contains("sha256-" + String(repeating: "7", count: 64)))
      #expect(!left.contains("sha256-" + String(repeating: "1", count: 64)), "the oldest goes")
      #expect(!left.contains(".tmp-left"))
    }
  }

  @Test("kept contents serve only the needs they were kept for, and only the build that kept them")
  func keptForNeedsAndBuild() throws {
    try withTemporaryDirectory { directory in
      let digest = "sha256:" + String(repeating: "c", count: 64)
      var contents = LayerContents(entries: [LayerEntry(path: "root/.npmrc", kind: .regular, size: 5)])
      contents.streamedContents = [0: FileContent(fingerprint: 7, head: Array("token".utf8), isComplete: true)]
      let extent = LayerReader.Extent(headers: 1, uncompressedBytes: 1024)
      let credentials = ContentNeeds(id: "test.credentials") { _, size in Int(size) }
      let databases = ContentNeeds(id: "test.databases") { _, size in Int(size) }
      let cache = LayerCache(directory: directory.path, producer: "strata 1 (commit a)")
      // A pass that kept nothing (cat) does not serve a pass that needs credential heads.
      cache.store(digest, contents, extent: extent, streamedContents: ContentNeeds())
      #expect(cache.load(digest, index: 0, limits: .init(), streamedContents: credentials) == nil)
      #expect(cache.load(digest, index: 0, limits: .init(), streamedContents: ContentNeeds()) != nil)
      // Kept for both: serves either, and both.
      cache.store(digest, contents, extent: extent, streamedContents: credentials.union(databases))
      for needs in [credentials, databases, credentials.union(databases)] {
        let hit = try #require(cache.load(digest, index: 0, limits: .init(), streamedContents: needs))
        #expect(hit.streamedContents[0]?.head == Array("token".utf8))
      }
      // Another build's record is a miss, whatever it holds.
      let next = LayerCache(directory: directory.path, producer: "strata 1 (commit b)")
      #expect(next.load(digest, index: 0, limits: .init(), streamedContents: nil) == nil)
      #expect(next.load(digest, index: 0, limits: .init(), streamedContents: credentials) == nil)
    }
  }

  @Test("only sha256 digests name files, inside the directory")
  func fileNames() {
    let cache = LayerCache(directory: "/cache")
    let hex = String(repeating: "a1", count: 32)
    #expect(cache.path(for: "sha256:" + hex) == "/cache/sha256-" + hex)
    for bad in [
      "sha256:" + hex.uppercased(), "sha256:" + hex.dropLast(), "sha256:" + hex + "0", "sha512:" + hex,
      "sha256:../../../../etc/passwd" + String(repeating: "a", count: 37), "sha256:" + hex.dropLast(2) + "/a", "",
    ] {
      #expect(cache.path(for: bad) == nil, "\(bad)")
    }
    #expect(LayerCache.defaultDirectory { ["XDG_CACHE_HOME": "/x", "HOME": "/h"][$0] } == "/x/strata/layers")
    #expect(LayerCache.defaultDirectory { ["XDG_CACHE_HOME": "rel", "HOME": "/h"][$0] } == "/h/.cache/strata/layers")
    #expect(LayerCache.defaultDirectory { _ in nil } == nil)
  }
}

/// A small deterministic generator (SplitMix64) for repeatable damage.
struct SeededGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
