import Analysis
import Comparison
import Foundation
import ImageLoading
import ImageModel
import MergedTree
import PackageDatabases
import TestSupport
import Testing

/// Loads a legacy docker-archive built from layers.
private func load(_ layers: [TarBuilder], tag: String) throws -> ImageAnalysis {
  let specs = try layers.map { try LayerSpec($0, command: "step") }
  let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: [tag], layers: specs)).build()
  return try withTemporaryFile(bytes) { path in Analyzer.analyze(try ImageLoader.load(path)) }
}

private func side(_ analysis: ImageAnalysis) -> FileDiffer.Side {
  FileDiffer.Side(
    tree: analysis.tree, layerIDs: analysis.image.layers.map(\.descriptor.diffID), content: analysis.image.content)
}

private func paths(_ items: [FileDiff.Item]) -> [String] { items.map(\.path).sorted() }

/// Checks the identity every diff must satisfy.
private func reconciles(_ diff: FileDiff) -> Bool {
  diff.addedBytes - diff.removedBytes + diff.changedAfter - diff.changedBefore == diff.netBytes
}

/// Two images built in the test that share their base layer.
private struct SharedBase {
  let base = TarBuilder()
    .dir("bin").file("bin/sh", size: 50_000).file("etc/os-release", text: "base 1\n")
    .file("etc/config", size: 100, mode: 0o644).symlink("bin/ash", to: "sh")
  var v1: [TarBuilder] {
    [
      base,
      TarBuilder().file("app/main", size: 10_000, seed: 1).file("app/data/a.bin", size: 4_096, seed: 2)
        .file("app/data/b.bin", size: 2_048).file("app/old.txt", size: 300),
    ]
  }
  var v2: [TarBuilder] {
    [
      base,
      TarBuilder().file("app/main", size: 10_000, seed: 9)  // same size, new content
        .file("app/data/a.bin", size: 4_096, seed: 2)  // same bytes, another layer
        .file("app/data/b.bin", size: 2_048, mode: 0o600)  // mode only
        .file("app/new/feature.js", size: 7_000).file("app/new/more.js", size: 1_000),
      TarBuilder().file("etc/config", size: 120).symlink("bin/ash", to: "/bin/sh"),
    ]
  }
}

@Suite("Comparing images")
struct CompareTests {
  @Test func sharedBaseLayersAndBytes() throws {
    let fixture = SharedBase()
    let a = try load(fixture.v1, tag: "app:1")
    let b = try load(fixture.v2, tag: "app:2")
    let c = try load([TarBuilder().file("other", size: 5)], tag: "other:1")
    let comparison = Comparer.compare(
      [
        ComparisonInput(label: "a", analysis: a), ComparisonInput(label: "b", analysis: b),
        ComparisonInput(label: "c", analysis: c),
      ])
    let sharing = comparison.sharing
    let baseSize = a.layers[0].sizeBytes
    #expect(sharing.shared.count == 1)
    #expect(sharing.shared[0].sizeBytes == baseSize)
    #expect(sharing.shared[0].placements == [.init(image: 0, layer: 0), .init(image: 1, layer: 0)])
    #expect(!sharing.shared[0].inAllImages)
    #expect(sharing.commonBaseLayers == 0)  // c does not start with it
    #expect(sharing.separateBytes == a.dive.sizeBytes + b.dive.sizeBytes + c.dive.sizeBytes)
    #expect(sharing.savedBytes == baseSize)
    #expect(sharing.images[0].sharedBytes == baseSize && sharing.images[0].uniqueBytes == a.layers[1].sizeBytes)
    #expect(sharing.images[2].sharedBytes == 0 && sharing.images[2].sharedLayers == 0)
    #expect(comparison.images[0].layers[0].sharedWith == [1])
    #expect(comparison.images[1].layers[1].sharedWith == [])
    let two = Comparer.compare([ComparisonInput(label: "a", analysis: a), ComparisonInput(label: "b", analysis: b)])
    #expect(two.sharing.commonBaseLayers == 1)
    #expect(two.sharing.shared[0].inAllImages)
  }

  @Test("the pull of an image with the baseline present: blobs the baseline has are free")
  func pullGivenBaseline() throws {
    let fixture = SharedBase()
    let base = try LayerSpec(fixture.base, compression: .gzip)
    let v1 = try [base] + fixture.v1.dropFirst().map { try LayerSpec($0, compression: .gzip) }
    let v2 = try [base] + fixture.v2.dropFirst().map { try LayerSpec($0, compression: .zstd) }
    func analyze(_ layers: [LayerSpec], _ tag: String) throws -> ImageAnalysis {
      let bytes = try ImageArchiveBuilder(.oci, ImageSpec(tags: [tag], layers: layers)).build()
      return try withTemporaryFile(bytes) { path in Analyzer.analyze(try ImageLoader.load(path)) }
    }
    let a = try analyze(v1, "app:1")
    let b = try analyze(v2, "app:2")
    func compare(_ images: [ImageAnalysis]) -> [ImageFigures] {
      Comparer.compare(images.enumerated().map { ComparisonInput(label: "\($0.offset)", analysis: $0.element) }).images
    }
    let figures = compare([a, b])
    let full = try #require(b.image.pullBytes)
    #expect(figures[1].pullBytes == full && figures[1].pullBytesSource == .manifest)
    #expect(figures[1].blobsSharedWithBaseline == 1)
    #expect(figures[1].pullBytesGivenBaseline == full - Int64(base.blob.count))
    #expect(figures[0].pullBytesGivenBaseline == nil)
    // Against itself: nothing to download, config included.
    let same = compare([a, a])
    #expect(same[1].pullBytesGivenBaseline == 0 && same[1].blobsSharedWithBaseline == v1.count + 1)
    // Layers stored uncompressed: unknown, not a number.
    let legacy = try load(fixture.v2, tag: "app:2")
    #expect(compare([a, legacy])[1].pullBytesGivenBaseline == nil)
    #expect(compare([legacy, b])[1].pullBytesGivenBaseline == full)
  }

  @Test func sideBySideFiguresAreAnalyzesOwn() throws {
    let fixture = SharedBase()
    let a = try load(fixture.v1, tag: "app:1")
    let waste = WasteAnalyzer.analyze(a)
    let figures = ImageFigures(label: "a", analysis: a, waste: waste, packages: nil)
    #expect(figures.sizeBytes == a.dive.sizeBytes)
    #expect(figures.finalBytes == a.finalBytes && figures.fileCount == a.fileCount)
    #expect(figures.directoryCount == a.tree.directoryCount)
    #expect(figures.reclaimableBytes == waste.reclaimableBytes)
    #expect(figures.topLevel.map(\.path) == ["/bin", "/app", "/etc"])
    #expect(figures.topLevel.reduce(0) { $0 + $1.bytes } == a.finalBytes)
    #expect(figures.layers.map(\.sizeBytes) == a.layers.map(\.sizeBytes))
  }

  @Test func fileDifferencesWithContentFingerprints() throws {
    let fixture = SharedBase()
    let a = try load(fixture.v1, tag: "app:1")
    let b = try load(fixture.v2, tag: "app:2")
    let diff = FileDiffer.diff(baseline: side(a), other: side(b))
    #expect(paths(diff.added) == ["/app/new/feature.js", "/app/new/more.js"])
    #expect(paths(diff.removed) == ["/app/old.txt"])
    let changed = Dictionary(uniqueKeysWithValues: diff.changed.map { ($0.path, $0.changes) })
    #expect(changed["/app/main"] == [.content])
    #expect(changed["/app/data/b.bin"] == [.mode])
    #expect(changed["/etc/config"] == [.size])
    #expect(changed["/bin/ash"] == [.link])
    #expect(changed["/app/data/a.bin"] == nil)  // same bytes, read and found equal
    #expect(diff.changed.count == 4)
    #expect(diff.content.comparedFiles == 2)  // app/main and app/data/a.bin
    #expect(diff.content.differentFiles == 1)
    #expect(diff.content.sameLayerFiles == 2)  // bin/sh and etc/os-release, from the shared base layer
    #expect(diff.addedBytes == 8_000 && diff.removedBytes == 300)
    #expect(diff.netBytes == b.finalBytes - a.finalBytes)
    #expect(reconciles(diff))
  }

  @Test func contentBudgetZeroComparesMetadataOnly() throws {
    let fixture = SharedBase()
    let diff = FileDiffer.diff(
      baseline: side(try load(fixture.v1, tag: "a:1")), other: side(try load(fixture.v2, tag: "b:1")), contentBudget: 0)
    #expect(!diff.changed.contains { $0.path == "/app/main" })
    #expect(diff.content.uncomparedFiles == 2 && diff.content.uncomparedBytes == 14_096)
    #expect(diff.content.notes.first?.contains("metadata only") == true)
    // A budget for the smallest candidate only: a.bin (4 kB) is read, main (10 kB) is not.
    let partial = FileDiffer.diff(
      baseline: side(try load(fixture.v1, tag: "a:1")), other: side(try load(fixture.v2, tag: "b:1")),
      contentBudget: 8_192)
    #expect(partial.content.comparedFiles == 1 && partial.content.uncomparedFiles == 1)
  }

  @Test func kindChangesAndDirectoriesReplacedByFiles() {
    let left = FileTree(layers: [layer(f("a/x", 10), f("a/y", 20), f("b", 5), sym("c", "b"), f("d", 7))])
    let right = FileTree(layers: [layer(f("a", 3), d("b"), f("b/inner", 4), f("c", 9), hard("d2", "d"), f("d", 7))])
    let diff = FileDiffer.diff(
      baseline: .init(tree: left, layerIDs: [nil], content: nil),
      other: .init(tree: right, layerIDs: [nil], content: nil))
    #expect(paths(diff.removed) == ["/a/x", "/a/y", "/b"])
    #expect(paths(diff.added) == ["/a", "/b/inner", "/d2"])
    #expect(diff.changed.map(\.path) == ["/c"])
    #expect(diff.changed[0].changes == [.kind, .size, .mode, .link])
    #expect(diff.added.first { $0.path == "/d2" }?.after == 0)  // a hard link shares d's bytes
    #expect(diff.content.uncomparedFiles == 1)  // d: same size, contents not available
    #expect(reconciles(diff))
  }

  @Test func groupedByDirectoryAtADepth() {
    let left = FileTree(layers: [layer(f("usr/lib/a.so", 1_000), f("usr/bin/x", 10), f("etc/conf", 5))])
    let right = FileTree(
      layers: [layer(f("usr/lib/a.so", 1_500), f("usr/lib/deep/b.so", 2_000), f("etc/conf", 5), f("top", 1))])
    let diff = FileDiffer.diff(
      baseline: .init(tree: left, layerIDs: ["L"], content: nil),
      other: .init(tree: right, layerIDs: ["L"], content: nil))
    let one = diff.grouped(depth: 1)
    #expect(one.map(\.path) == ["/usr", "/"])
    #expect(one[0].addedBytes == 2_000 && one[0].removedBytes == 10 && one[0].changedBytes == 1_500)
    #expect(one[0].netBytes == 2_000 - 10 + 500)
    let two = diff.grouped(depth: 2)
    #expect(two.map(\.path) == ["/usr/lib", "/usr/bin", "/"])
    #expect(two[0].addedFiles == 1 && two[0].changedFiles == 1)
    #expect(diff.grouped(depth: 2, minBytes: 100).map(\.path) == ["/usr/lib"])
    #expect(diff.grouped(depth: 0).map(\.path) == ["/"])
    #expect(two.reduce(0) { $0 + $1.netBytes } == diff.netBytes)
  }

  @Test func layerRangeShowsWhatTheRangeDidTogether() throws {
    let layers = [
      TarBuilder().file("base", size: 100),
      TarBuilder().file("tmp/big.tar", size: 5_000).file("app/a", size: 10),
      TarBuilder().file("app/b", size: 20).file("app/a", size: 10, mode: 0o755),
      TarBuilder().whiteout("tmp/big.tar").file("app/c", size: 30),
      TarBuilder().file("late", size: 1),
    ]
    let analysis = try load(layers, tag: "range:1")
    let range = try #require(LayerRangeDiff.compute(analysis, lower: 1, upper: 3))
    #expect(range.layers.map(\.descriptor.index) == [1, 2, 3])
    #expect(paths(range.diff.added) == ["/app/a", "/app/b", "/app/c"])
    #expect(range.diff.removed.isEmpty && range.diff.changed.isEmpty)
    #expect(range.diff.baselineBytes == 100 && range.diff.otherBytes == 160)
    #expect(range.diff.netBytes == 60)
    #expect(range.shippedBytes == 5_010 + 30 + 30)
    let single = try #require(LayerRangeDiff.compute(analysis, lower: 3, upper: 3))
    #expect(paths(single.diff.removed) == ["/tmp/big.tar"] && paths(single.diff.added) == ["/app/c"])
    let whole = try #require(LayerRangeDiff.compute(analysis, lower: 0, upper: 4))
    #expect(whole.diff.baselineBytes == 0 && whole.diff.otherBytes == analysis.finalBytes)
    // A rewrite within the range with the same bytes is not a change of the range.
    let rewrite = try #require(LayerRangeDiff.compute(analysis, lower: 2, upper: 2))
    #expect(rewrite.diff.changed.map(\.path) == ["/app/a"] && rewrite.diff.changed[0].changes == [.mode])
    #expect(rewrite.diff.content.comparedFiles == 0)
    #expect(LayerRangeDiff.compute(analysis, lower: 3, upper: 5) == nil)
    #expect(LayerRangeDiff.compute(analysis, lower: 3, upper: 2) == nil)
  }

  @Test func rangeSyntax() {
    #expect(LayerRangeDiff.parseRange("3..7")! == (3, 7))
    #expect(LayerRangeDiff.parseRange("3...7")! == (3, 7))
    #expect(LayerRangeDiff.parseRange("4")! == (4, 4))
    #expect(LayerRangeDiff.parseRange("a..b") == nil)
    #expect(LayerRangeDiff.parseRange("3..") == nil)
    #expect(LayerRangeDiff.parseRange("1..2..3") == nil)
  }

  @Test func packageDifferences() {
    func package(
      _ ecosystem: PackageEcosystem, _ name: String, _ version: String, _ bytes: Int64?, at location: String = "/db"
    )
      -> InstalledPackage
    {
      InstalledPackage(ecosystem: ecosystem, name: name, version: version, location: location, bytes: bytes)
    }
    let before = PackageInventory(packages: [
      package(.dpkg, "libc6", "2.36-9", 12_000), package(.dpkg, "perl", "5.36", 8_000),
      package(.python, "Foo_Bar", "1.0", 100, at: "/a/foo_bar-1.0.dist-info"), package(.dpkg, "same", "1", 5),
      package(.dpkg, "docs", "1", 900),
    ])
    let after = PackageInventory(packages: [
      package(.dpkg, "libc6", "2.36-9+deb12u4", 12_500),
      package(.python, "foo-bar", "1.1", 90, at: "/b/foo_bar-1.1.dist-info"),
      package(.dpkg, "same", "1", 5), package(.dpkg, "docs", "1", 300), package(.npm, "ms", "2.1.3", 3_000),
      package(.npm, "ms", "2.1.2", 2_900, at: "/app/node_modules/x/node_modules/ms"),
    ])
    let diff = PackageDiff.compute(baseline: before, other: after)
    #expect(diff.added.map(\.version) == ["2.1.3", "2.1.2"])
    #expect(diff.removed.map(\.name) == ["perl"])
    #expect(diff.changed.map(\.after.name) == ["docs", "libc6", "foo-bar"])
    #expect(diff.changed.first { $0.after.name == "foo-bar" }?.versionChanged == true)
    #expect(diff.changed.first { $0.after.name == "docs" }?.versionChanged == false)
    #expect(diff.changed.first { $0.after.name == "docs" }?.deltaBytes == -600)
    #expect(diff.unchangedCount == 1)
    #expect(diff.addedBytes == 5_900 && diff.removedBytes == 8_000)
  }
}

@Suite("Comparing the real fixtures")
struct CompareFixtureTests {
  struct Truth: Decodable {
    struct TruthImage: Decodable {
      struct TruthLayer: Decodable { var diffID: String; var sizeBytes: Int64 }
      var tag: String
      var layers: [TruthLayer]
      var sizeBytes: Int64
      var finalBytes: Int64
      var fileCount: Int
    }
    struct TruthChange: Decodable { var before: Int64; var after: Int64; var what: [String] }
    struct TruthDiff: Decodable {
      var added: [String: Int64]
      var removed: [String: Int64]
      var changed: [String: TruthChange]
    }
    var images: [TruthImage]
    var diffs: [TruthDiff]
  }

  @Test func busyboxVariantsMatchTheGroundTruth() throws {
    let path = fixtureURL("images/compare/compare.tar").path
    let truth = try JSONDecoder().decode(
      Truth.self, from: Data(contentsOf: fixtureURL("images/compare/compare.truth.json")))
    let analyses = try truth.images.map {
      Analyzer.analyze(try ImageLoader.load(path, options: LoadOptions(image: $0.tag)))
    }
    let inputs = zip(truth.images, analyses).map {
      ComparisonInput(label: $0.0.tag, analysis: $0.1, packages: PackageScanner.scan($0.1))
    }
    let comparison = Comparer.compare(inputs)
    for (figures, expected) in zip(comparison.images, truth.images) {
      #expect(figures.sizeBytes == expected.sizeBytes)
      #expect(figures.finalBytes == expected.finalBytes)
      #expect(figures.fileCount == expected.fileCount)
      #expect(figures.layers.map(\.contentID) == expected.layers.map(\.diffID))
    }
    // The busybox base layer is shared (and is the same layer as the other fixtures' base).
    #expect(comparison.sharing.commonBaseLayers == 1)
    #expect(comparison.sharing.shared.map(\.contentID) == [truth.images[0].layers[0].diffID])
    #expect(comparison.sharing.savedBytes == truth.images[0].layers[0].sizeBytes)
    let diff = try #require(comparison.fileDiffs.first)
    let expected = try #require(truth.diffs.first)
    #expect(Dictionary(uniqueKeysWithValues: diff.added.map { ($0.path, $0.after) }) == expected.added)
    #expect(Dictionary(uniqueKeysWithValues: diff.removed.map { ($0.path, $0.before) }) == expected.removed)
    let changed = Dictionary(uniqueKeysWithValues: diff.changed.map { ($0.path, $0.changes.map(\.rawValue).sorted()) })
    let owner = Set(["uid", "gid"])
    let truthChanged = expected.changed.mapValues { change in
      Array(Set(change.what.map { owner.contains($0) ? "owner" : $0 })).sorted()
    }
    #expect(changed == truthChanged)
    #expect(diff.content.differentFiles == 1)  // /app/data/catalog.bin: same size, new bytes
    #expect(reconciles(diff))
    let packages = try #require(comparison.packageDiffs?.first)
    #expect(
      Set(packages.added.map { "\($0.ecosystem.rawValue) \($0.name)" }) == [
        "python idna", "npm debug", "dpkg hostname",
      ])
    let six = try #require(packages.changed.first { $0.after.name == "six" })
    #expect(six.before.version == "1.15.0" && six.after.version == "1.16.0")
    #expect(packages.removed.isEmpty)
  }

  @Test func wastefulAndCleanShareTheBusyboxBase() throws {
    let wasteful = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path))
    let clean = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/wasteful-clean/wasteful-clean.tar").path))
    let comparison = Comparer.compare([
      ComparisonInput(label: "wasteful", analysis: wasteful, waste: WasteAnalyzer.analyze(wasteful)),
      ComparisonInput(label: "clean", analysis: clean, waste: WasteAnalyzer.analyze(clean)),
    ])
    #expect(comparison.sharing.commonBaseLayers >= 1)
    #expect(comparison.sharing.shared.first?.sizeBytes == wasteful.layers[0].sizeBytes)
    #expect(comparison.images[0].reclaimableBytes == 775_664)
    let diff = try #require(comparison.fileDiffs.first)
    #expect(diff.netBytes == clean.finalBytes - wasteful.finalBytes)
    #expect(diff.removed.contains { $0.path.hasPrefix("/var/lib/apt/lists/") })
    #expect(reconciles(diff))
  }
}
