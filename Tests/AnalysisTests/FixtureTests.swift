import Analysis
import Foundation
import ImageLoading
import ImageModel
import MergedTree
import TestSupport
import Testing

// MARK: dive's own test images (Fixtures/dive)

/// What `dive --json` 0.13.1 printed for one of dive's fixtures (copied from the research notes).
struct DiveExpectation: Sendable, CustomStringConvertible {
  var archive: String
  var efficiency: Double
  var wastedBytes: Int64
  var sizeBytes: Int64
  var layerSizes: [Int64]
  var userWastedFraction: Double?
  /// `path count bytes`
  var inefficiencies: Set<String>
  var description: String { archive }
}

let diveExpectations: [DiveExpectation] = [
  DiveExpectation(
    archive: "test-docker-image.tar", efficiency: 0.9844212134184309, wastedBytes: 32025, sizeBytes: 1_220_598,
    layerSizes: [1_154_361, 6405, 0, 6405, 6405, 6405, 6405, 6405, 6405, 0, 2187, 6405, 6405, 6405],
    userWastedFraction: 0.4834911001404049,
    inefficiencies: [
      "/root/saved.txt x2 12810", "/root/example/somefile1.txt x2 12810", "/root/example/somefile3.txt x2 6405",
    ]),
  DiveExpectation(
    archive: "test-kaniko-image.tar", efficiency: 0.9793688490216431, wastedBytes: 46245, sizeBytes: 1_326_410,
    layerSizes: [1_231_733, 9249, 0, 9249, 9249, 9249, 9249, 9249, 9249, 0, 2187, 9249, 9249, 9249],
    userWastedFraction: 0.4884502043790995,
    inefficiencies: [
      "/root/saved.txt x2 18498", "/root/example/somefile1.txt x2 18498", "/root/example/somefile3.txt x2 9249",
    ]),
  DiveExpectation(
    archive: "test-oci-gzip-image.tar", efficiency: 1, wastedBytes: 0, sizeBytes: 11189, layerSizes: [11189],
    userWastedFraction: nil, inefficiencies: []),
  DiveExpectation(
    archive: "test-oci-zstd-image.tar", efficiency: 1, wastedBytes: 0, sizeBytes: 11189, layerSizes: [11189],
    userWastedFraction: nil, inefficiencies: []),
  DiveExpectation(
    archive: "test-oci-uncompressed-image.tar", efficiency: 1, wastedBytes: 0, sizeBytes: 11189, layerSizes: [11189],
    userWastedFraction: nil, inefficiencies: []),
  DiveExpectation(
    archive: "test-oci-estargz-image.tar", efficiency: 1, wastedBytes: 0, sizeBytes: 11189, layerSizes: [11189],
    userWastedFraction: nil, inefficiencies: []),
]

private func inefficiencySet(_ figures: DiveFigures) -> Set<String> {
  Set(figures.inefficiencies.map { "\($0.path) x\($0.count) \($0.cumulativeBytes)" })
}

@Suite("dive's fixtures give dive's numbers")
struct DiveFixtureTests {
  @Test("efficiency, wasted bytes and layer sizes", arguments: diveExpectations)
  func matchesDive(_ expected: DiveExpectation) throws {
    let url = try requireDiveFixture(expected.archive)
    let analysis = Analyzer.analyze(try ImageLoader.load(url.path))
    #expect(analysis.dive.efficiency == expected.efficiency)
    #expect(analysis.dive.wastedBytes == expected.wastedBytes)
    #expect(analysis.dive.sizeBytes == expected.sizeBytes)
    #expect(analysis.layers.map(\.sizeBytes) == expected.layerSizes)
    #expect(inefficiencySet(analysis.dive) == expected.inefficiencies)
    if let fraction = expected.userWastedFraction {
      #expect(analysis.dive.userWastedFraction == fraction)
    } else {
      #expect(analysis.dive.userWastedFraction.isNaN)
    }
  }

  @Test("the uncompressed 'image' is a bare layer, which dive cannot open either")
  func bareLayer() throws {
    let url = try requireDiveFixture("test-uncompressed-image.tar")
    let error = #expect(throws: ImageLoadError.self) { try ImageLoader.load(url.path) }
    #expect(error?.kind == .bareLayer)
  }

  @Test("the same figures when the archive is read as a stream (gzip-compressed copy)")
  func streamedDockerFixture() throws {
    let url = try requireDiveFixture("test-docker-image.tar")
    let bytes = try compressed(try readFile(url.path), .gzip)
    let analysis = Analyzer.analyze(try loadImage(bytes))
    #expect(analysis.dive.efficiency == 0.9844212134184309)
    #expect(analysis.dive.wastedBytes == 32025)
    #expect(analysis.layers.count == 14)
  }
}

// MARK: the committed fixtures (Fixtures/images), against their dive.json and truth.json

/// `dive --json` output.
struct DiveJSON: Decodable {
  struct Layer: Decodable {
    var index: Int
    var digestId: String
    var sizeBytes: Int64
    var command: String
  }
  struct Reference: Decodable {
    var count: Int
    var sizeBytes: Int64
    var file: String
  }
  struct ImageFigures: Decodable {
    var sizeBytes: Int64
    var inefficientBytes: Int64
    var efficiencyScore: Double
    var fileReference: [Reference]?
  }
  var layer: [Layer]
  var image: ImageFigures
}

/// The ground truth made with Python's tarfile by Scripts/make-fixtures.sh.
struct TruthJSON: Decodable {
  struct Layer: Decodable {
    var index: Int
    var path: String
    var blob_bytes: Int64
    var entries: Int
    var sum_sizes: Int64
    var whiteouts: Int
    var opaque: Int
    var whiteout_paths: [String]
    var diff_id: String
    var created_by: String
  }
  struct Merged: Decodable {
    var entries: Int
    var files: Int
    var regular_files: Int
    var dirs: Int
    var symlinks: Int
    var hardlinks: Int
    var other: Int
    var total_bytes: Int64
  }
  struct ImageTruth: Decodable {
    var ref: String
    var layers: [Layer]
    var merged: Merged
  }
  var format: String
  var images: [ImageTruth]
  var archive_bytes: Int64
}

private func decode<T: Decodable>(_ type: T.Type, _ relative: String) throws -> T {
  try JSONDecoder().decode(type, from: Data(contentsOf: fixtureURL(relative)))
}

/// Committed archives and the files that describe them.
struct CommittedFixture: Sendable, CustomStringConvertible {
  var archive: String
  var truth: String
  var dive: String?
  var format: ImageFormat
  var description: String { archive }
}

let committedFixtures: [CommittedFixture] = [
  CommittedFixture(
    archive: "images/busybox-app/busybox-app.tar", truth: "images/busybox-app/busybox-app.truth.json",
    dive: "images/busybox-app/busybox-app.dive.json", format: .dockerArchive),
  CommittedFixture(
    archive: "images/busybox-app/busybox-app-docker25.tar", truth: "images/busybox-app/busybox-app-docker25.truth.json",
    dive: "images/busybox-app/busybox-app-docker25.dive.json", format: .dockerOCIArchive),
  CommittedFixture(
    archive: "images/busybox-app/busybox-app-oci-gzip.tar", truth: "images/busybox-app/busybox-app-oci-gzip.truth.json",
    dive: nil, format: .ociArchive),
  CommittedFixture(
    archive: "images/busybox-app/busybox-app-oci-zstd.tar", truth: "images/busybox-app/busybox-app-oci-zstd.truth.json",
    dive: nil, format: .ociArchive),
  CommittedFixture(
    archive: "images/wasteful/wasteful.tar", truth: "images/wasteful/wasteful.truth.json",
    dive: "images/wasteful/wasteful.dive.json", format: .dockerArchive),
  CommittedFixture(
    archive: "images/wasteful-clean/wasteful-clean.tar", truth: "images/wasteful-clean/wasteful-clean.truth.json",
    dive: "images/wasteful-clean/wasteful-clean.dive.json", format: .dockerArchive),
]

/// multi.tar and busybox-app-oci.tar: made by Scripts/make-fixtures.sh but too large to commit
/// (their truth and dive files are committed); checked only where they were made, by tests that
/// say so when skipped.
let localFixtures: [CommittedFixture] = [
  CommittedFixture(
    archive: LocalFixture.busyboxOCI, truth: "images/busybox-app/busybox-app-oci.truth.json", dive: nil,
    format: .ociArchive),
  CommittedFixture(
    archive: LocalFixture.multi, truth: "images/multi/multi.truth.json", dive: "images/multi/multi.dive.json",
    format: .dockerArchive),
]

/// Whether every local fixture was made here.
let localFixturesPresent = localFixtures.allSatisfy { LocalFixture.present($0.archive) }

/// Present nodes of the tree by kind.
private func presentCount(_ tree: FileTree, _ kinds: Set<EntryKind>) -> Int {
  tree.nodes.dropFirst().filter { $0.isPresent && kinds.contains($0.kind) }.count
}

@Suite("Committed fixtures")
struct CommittedFixtureTests {
  @Test("layers and the merged filesystem match the tarfile ground truth", arguments: committedFixtures)
  func matchesTruth(_ fixture: CommittedFixture) throws {
    try checkTruth(fixture)
  }

  @Test(
    "the local fixtures match their ground truth and dive's figures",
    .enabled(if: localFixturesPresent, Comment(rawValue: LocalFixture.missing)), arguments: localFixtures)
  func localMatchesTruth(_ fixture: CommittedFixture) throws {
    try checkTruth(fixture)
    if fixture.dive != nil { try checkDive(fixture) }
  }

  /// Layers and the merged tree of `fixture` against its truth.json.
  func checkTruth(_ fixture: CommittedFixture) throws {
    let truth = try decode(TruthJSON.self, fixture.truth)
    let path = try requireFixture(fixture.archive).path
    for expected in truth.images {
      let options = LoadOptions(image: truth.images.count > 1 ? expected.ref : nil)
      let image = try ImageLoader.load(path, options: options)
      #expect(image.format == fixture.format)
      #expect(image.tags.contains(expected.ref), "\(image.tags)")
      #expect(image.archiveBytes == truth.archive_bytes)
      #expect(image.layers.count == expected.layers.count)
      for (layer, want) in zip(image.layers, expected.layers) {
        let entries = layer.contents.entries
        let here = "\(fixture.archive) \(expected.ref) layer \(want.index)"
        #expect(layer.descriptor.location == want.path, "\(here)")
        #expect(layer.descriptor.storedSize == want.blob_bytes, "\(here)")
        #expect(layer.descriptor.diffID == want.diff_id, "\(here)")
        #expect(layer.descriptor.command == want.created_by, "\(here)")
        #expect(entries.count == want.entries, "\(here)")
        #expect(layer.contents.headerBytes == want.sum_sizes, "\(here)")
        #expect(entries.filter(\.kind.isMarker).count == want.whiteouts, "\(here)")
        #expect(entries.filter { $0.kind == .opaque }.count == want.opaque, "\(here)")
        #expect(
          entries.filter(\.kind.isMarker).map { String($0.storedPath.dropFirst()) }.sorted()
            == want.whiteout_paths.sorted(), "\(here)")
      }
      let analysis = Analyzer.analyze(image)
      let tree = analysis.tree
      let merged = expected.merged
      #expect(tree.fileCount == merged.files, "\(fixture.archive) \(expected.ref)")
      #expect(tree.directoryCount == merged.dirs, "\(fixture.archive) \(expected.ref)")
      #expect(tree.fileCount + tree.directoryCount == merged.entries)
      #expect(presentCount(tree, [.regular]) == merged.regular_files)
      #expect(presentCount(tree, [.symlink]) == merged.symlinks)
      #expect(presentCount(tree, [.hardlink]) == merged.hardlinks)
      #expect(presentCount(tree, [.characterDevice, .blockDevice, .fifo, .socket, .unknown]) == merged.other)
      #expect(tree.totalBytes == merged.total_bytes, "\(fixture.archive) \(expected.ref)")
      #expect(analysis.finalBytes == merged.total_bytes)
      #expect(analysis.layers.map(\.survivingBytes).reduce(0, +) == merged.total_bytes)
    }
  }

  @Test(
    "dive's efficiency, wasted bytes, layer sizes and inefficient paths",
    arguments: committedFixtures.filter { $0.dive != nil })
  func matchesDive(_ fixture: CommittedFixture) throws {
    try checkDive(fixture)
  }

  /// dive's figures for `fixture` against its dive.json.
  func checkDive(_ fixture: CommittedFixture) throws {
    let dive = try decode(DiveJSON.self, try #require(fixture.dive))
    let truth = try decode(TruthJSON.self, fixture.truth)
    // dive reads only the first image of a multi-image archive.
    let options = LoadOptions(image: truth.images.count > 1 ? truth.images[0].ref : nil)
    let analysis = Analyzer.analyze(try ImageLoader.load(try requireFixture(fixture.archive).path, options: options))
    #expect(analysis.dive.efficiency == dive.image.efficiencyScore)
    #expect(analysis.dive.wastedBytes == dive.image.inefficientBytes)
    #expect(analysis.dive.sizeBytes == dive.image.sizeBytes)
    #expect(analysis.layers.map(\.sizeBytes) == dive.layer.map(\.sizeBytes))
    #expect(analysis.layers.map(\.descriptor.diffID) == dive.layer.map(\.digestId))
    #expect(
      inefficiencySet(analysis.dive)
        == Set((dive.image.fileReference ?? []).map { "\($0.file) x\($0.count) \($0.sizeBytes)" }))
  }

  @Test("every committed layout of busybox-app gives the same tree and figures")
  func layoutsAgree() throws {
    try checkLayoutsAgree(["busybox-app", "busybox-app-docker25", "busybox-app-oci-gzip", "busybox-app-oci-zstd"])
  }

  @Test(
    "the uncompressed OCI layout of busybox-app gives the same tree and figures",
    .enabled(if: LocalFixture.present(LocalFixture.busyboxOCI), Comment(rawValue: LocalFixture.missing)))
  func localLayoutAgrees() throws {
    try checkLayoutsAgree(["busybox-app", "busybox-app-oci"])
  }

  /// The analyses of `names` (archives in images/busybox-app) are the same.
  func checkLayoutsAgree(_ names: [String]) throws {
    let analyses = try names.map {
      Analyzer.analyze(try ImageLoader.load(try requireFixture("images/busybox-app/\($0).tar").path))
    }
    let reference = analyses[0]
    for (name, analysis) in zip(names, analyses).dropFirst() {
      #expect(analysis.tree.presentPaths == reference.tree.presentPaths, "\(name)")
      #expect(analysis.dive == reference.dive, "\(name)")
      #expect(analysis.layers.map(\.changes) == reference.layers.map(\.changes), "\(name)")
    }
  }

  @Test("busybox-app's merged tree follows every rule the fixture exercises")
  func busyboxRules() throws {
    let analysis = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/busybox-app/busybox-app.tar").path))
    let tree = analysis.tree
    #expect(!tree.isPresent("app/obsolete.conf"))
    #expect(try tree.node("app/obsolete.conf").removedIn == 2)
    #expect(!tree.isPresent("app/tmp-cache"))
    #expect(try tree.node("app/tmp-cache").removedIn == 3)
    #expect(analysis.layers[3].changes.removedBytes == 6144)
    #expect(try tree.node("app/config").isDirectory)
    #expect(tree.isPresent("app/config/settings.ini"))
    #expect(try tree.node("app/plugins").kind == .regular)
    #expect(!tree.isPresent("app/plugins/one.plugin"))
    #expect(try tree.node("app/lib/original.txt").kind == .hardlink)
    #expect(try tree.linkTarget("app/lib/original.txt") == "app/lib/hardlink.txt")
    #expect(try tree.linkTarget("usr/local/bin/app") == "/app/run.sh")
    #expect(try tree.linkTarget("app/dangling-link") == "/does/not/exist")
    #expect(tree.isPresent("app/docs/café menu.txt"))
    let long =
      "app/very/long/path/segment-one/segment-two/segment-three/segment-four/segment-five/segment-six/"
      + "a-file-with-a-rather-long-name-to-push-past-the-ustar-limit.txt"
    #expect(tree.isPresent(long))
    #expect(try tree.linkTarget("app/long-target-link") == "/" + long)
    #expect(analysis.anomalies.filter { $0.kind != .duplicateEntry }.isEmpty, "\(analysis.anomalies)")
  }

  @Test("the same numbers when a fixture is streamed (gzip-compressed copy, single pass)")
  func streamedFixture() throws {
    let path = fixtureURL("images/wasteful/wasteful.tar").path
    let seekable = Analyzer.analyze(try ImageLoader.load(path))
    let streamed = Analyzer.analyze(try loadImage(try compressed(try readFile(path), .gzip)))
    #expect(streamed.dive == seekable.dive)
    #expect(streamed.tree.presentPaths == seekable.tree.presentPaths)
    #expect(streamed.layers.map(\.changes) == seekable.layers.map(\.changes))
    #expect(streamed.image.layers.map(\.descriptor.command) == seekable.image.layers.map(\.descriptor.command))
  }
}
