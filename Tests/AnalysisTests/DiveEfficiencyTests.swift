import Analysis
import ImageModel
import MergedTree
import TestSupport
import Testing

/// `(path, count, bytes)` of the inefficiencies, for comparing.
private func summary(_ figures: DiveFigures) -> [String] {
  figures.inefficiencies.map { "\($0.path) x\($0.count) \($0.cumulativeBytes)" }
}

@Suite("dive efficiency: hand-computed cases")
struct DiveEfficiencyTests {
  @Test("a file written in two layers: both copies are waste")
  func writtenTwice() {
    // /a is seen as 10 then 20 bytes: minimum 10, sum 30 → 10/30. Waste is every copy: 30.
    let figures = dive([layer(f("a", 10), f("b", 5)), layer(f("a", 20))])
    #expect(figures.efficiency == 15.0 / 35.0)
    #expect(figures.wastedBytes == 30)
    #expect(figures.sizeBytes == 35)
    #expect(figures.userSizeBytes == 20)
    #expect(figures.userWastedFraction == 1.5)
    #expect(summary(figures) == ["/a x2 30"])
  }

  @Test("a deleted file: its whiteout counts 0 bytes")
  func deletedFile() {
    // /a: 10 (layer 0) and 0 (whiteout of a file) → minimum 0, sum 10; /b: 4 → 4/14.
    let figures = dive([layer(f("a", 10), f("b", 4)), layer(wh("a"))])
    #expect(figures.efficiency == 4.0 / 14.0)
    #expect(figures.wastedBytes == 10)
    #expect(figures.userSizeBytes == 0)
    #expect(figures.userWastedFraction == .infinity, "dive divides by zero user bytes: +Inf")
    #expect(summary(figures) == ["/a x2 10"])
  }

  @Test("a deleted directory: its whiteout counts the whole lower subtree")
  func deletedDirectory() {
    // Layer 0 leaves: /d/f 100. Layer 1: .wh.d → the stacked /d is a listed directory holding
    // 100 bytes → /d: 100. Layer 2: the empty dir /d is a leaf of 0 bytes → /d: min 0, sum 100.
    // Minimum 100 + 0, sum 100 + 100 → 0.5; waste: /d's 100.
    let figures = dive([layer(d("d"), f("d/f", 100)), layer(wh("d")), layer(d("d"))])
    #expect(figures.efficiency == 0.5)
    #expect(figures.wastedBytes == 100)
    #expect(figures.sizeBytes == 100)
    #expect(summary(figures) == ["/d x2 100"])
  }

  @Test("a directory whiteout is sized 0 when the lower directory was only implied")
  func implicitDirectoryWhiteout() {
    // Layer 1 lists a/g without an a/ entry: dive's stack overwrites /a with an empty info, so
    // the later whiteout finds a non-directory and counts 0.
    let implicit = dive([layer(d("a"), f("a/f", 10)), layer(f("a/g", 5)), layer(wh("a")), layer(d("a"))])
    #expect(implicit.efficiency == 1.0)
    #expect(implicit.wastedBytes == 0)
    #expect(summary(implicit) == ["/a x2 0"])
    let explicit = dive([layer(d("a"), f("a/f", 10)), layer(d("a"), f("a/g", 5)), layer(wh("a")), layer(d("a"))])
    #expect(explicit.efficiency == 0.5)
    #expect(explicit.wastedBytes == 15)
    #expect(summary(explicit) == ["/a x2 15"])
  }

  @Test("a whiteout of a path that does not exist stops the rest of that layer's visit")
  func whiteoutOfMissingStopsLayer() {
    // Layer 0: /a/f1 100, /z/f9 50. Layer 1 in visit order: /a/f1 100, then b/.wh.nothere: not
    // in the stack → dive creates /b/nothere with minimum -1 and stops; /c/f2 is never counted.
    // Minimum 100 + 50 - 1 = 149, sum 200 + 50 = 250 → 0.596.
    let figures = dive([
      layer(d("a"), f("a/f1", 100), d("z"), f("z/f9", 50)),
      layer(d("a"), f("a/f1", 100), d("b"), wh("b/nothere"), d("c"), f("c/f2", 30)),
    ])
    #expect(figures.efficiency == 149.0 / 250.0)
    #expect(figures.wastedBytes == 200)
    #expect(figures.sizeBytes == 280)
    #expect(summary(figures) == ["/a/f1 x2 200"])
  }

  @Test("a whiteout in layer 0 is looked up in layer 0 itself")
  func whiteoutInFirstLayer() {
    // a/.wh.x is not in layer 0's tree → /a/x gets minimum -1 and layer 0's visit stops before
    // /b/f. Layer 1: /b/f 10. → (-1 + 10) / 10 = 0.9.
    let figures = dive([layer(d("a"), wh("a/x"), d("b"), f("b/f", 10)), layer(d("b"), f("b/f", 10))])
    #expect(figures.efficiency == 0.9)
    #expect(figures.wastedBytes == 0)
    #expect(figures.inefficiencies.isEmpty)
  }

  @Test("a file whited out and written again counts three sightings")
  func writtenDeletedWritten() {
    // /a: 10, 0, 4 → minimum 0, sum 14 → 0; waste 14.
    let figures = dive([layer(f("a", 10)), layer(wh("a")), layer(f("a", 4))])
    #expect(figures.efficiency == 0)
    #expect(figures.wastedBytes == 14)
    #expect(summary(figures) == ["/a x3 14"])
  }

  @Test("opaque markers are ignored by dive")
  func opaqueIgnored() {
    let figures = dive([layer(d("d"), f("d/f", 10)), layer(d("d"), opq("d"), f("d/g", 5))])
    #expect(figures.efficiency == 1)
    #expect(figures.wastedBytes == 0)
    #expect(figures.sizeBytes == 15)
  }

  @Test("only leaves count: an empty directory in three layers is a 0-byte inefficiency")
  func emptyDirectories() {
    let figures = dive([layer(d("tmp"), f("f", 3)), layer(d("tmp")), layer(d("tmp"))])
    #expect(figures.efficiency == 1)
    #expect(figures.wastedBytes == 0)
    #expect(summary(figures) == ["/tmp x3 0"])
  }

  @Test("a directory with entries under it in a layer is not a leaf there")
  func directoriesAreNotLeaves() {
    let figures = dive([layer(d("a"), f("a/x", 1)), layer(d("a"), f("a/y", 2))])
    #expect(figures.inefficiencies.isEmpty)
    #expect(figures.efficiency == 1)
  }

  @Test("links count their header size (0) and hard links are separate paths")
  func links() {
    let figures = dive([
      layer(f("a", 100), hard("b", "a"), sym("c", "a")), layer(f("b", 100), sym("c", "b")),
    ])
    #expect(figures.efficiency == 0.5)
    #expect(figures.wastedBytes == 100)
    #expect(summary(figures) == ["/b x2 100", "/c x2 0"])
  }

  @Test("a path listed twice in one layer: layer size counts both, the path the last")
  func duplicateInLayer() {
    let figures = dive([layer(f("f", 10), f("f", 20)), layer(f("g", 1))])
    #expect(figures.efficiency == 1)
    #expect(figures.sizeBytes == 31)
  }

  @Test("one layer: user waste is 0/0 = NaN; nothing at all: efficiency 1")
  func degenerate() {
    let one = dive([layer(f("a", 3))])
    #expect(one.efficiency == 1)
    #expect(one.userWastedFraction.isNaN)
    let none = dive([])
    #expect(none.efficiency == 1)
    #expect(none.sizeBytes == 0)
    #expect(none.inefficiencies.isEmpty)
    let empty = dive([layer(d("e")), layer(d("f"))])
    #expect(empty.efficiency == 1, "all sizes 0: dive's score is exactly 1")
  }

  @Test("inefficiencies are listed largest first, ties by path")
  func ordering() {
    let figures = dive([
      layer(f("m", 5), f("z", 5), f("a", 5), f("big", 50), f("zero", 0)),
      layer(f("m", 5), f("z", 5), f("a", 5), f("big", 50), f("zero", 0)),
    ])
    #expect(summary(figures) == ["/big x2 100", "/a x2 10", "/m x2 10", "/z x2 10", "/zero x2 0"])
  }
}

/// dive 0.13.1's own answers for edge cases, produced by running the real binary (and the
/// reference model in the research notes) on archives built like these. The archives here go
/// through the whole loader, so tar-name normalisation is exercised too.
@Suite("dive efficiency: probes through the loader")
struct DiveProbeTests {
  struct Probe: Sendable, CustomStringConvertible {
    var name: String
    var layers: [TarBuilder]
    var efficiency: Double
    var wasted: Int64
    var layerSizes: [Int64]
    var inefficiencies: [String]
    var description: String { name }
  }

  static let probes: [Probe] = [
    Probe(
      name: "A whiteout of a missing path",
      layers: [
        TarBuilder().dir("a/").file("a/f1", size: 100).dir("z/").file("z/f9", size: 50),
        TarBuilder().dir("a/").file("a/f1", size: 100).dir("b/").whiteout("b/nothere").dir("c/").file("c/f2", size: 30),
      ], efficiency: 0.596, wasted: 200, layerSizes: [150, 130], inefficiencies: ["/a/f1 x2 200"]),
    Probe(
      name: "B whiteout in layer 0",
      layers: [
        TarBuilder().dir("a/").whiteout("a/x").dir("b/").file("b/f", size: 10),
        TarBuilder().dir("b/").file("b/f", size: 10),
      ],
      efficiency: 0.9, wasted: 0, layerSizes: [10, 10], inefficiencies: []),
    Probe(
      name: "C opaque",
      layers: [TarBuilder().dir("d/").file("d/f", size: 10), TarBuilder().dir("d/").opaque("d").file("d/g", size: 5)],
      efficiency: 1, wasted: 0, layerSizes: [10, 5], inefficiencies: []),
    Probe(
      name: "E duplicate entry",
      layers: [TarBuilder().file("f", size: 10).file("f", size: 20), TarBuilder().file("g", size: 1)],
      efficiency: 1, wasted: 0, layerSizes: [30, 1], inefficiencies: []),
    Probe(
      name: "G implicit dirs",
      layers: [
        TarBuilder().file("a/b/c", size: 10), TarBuilder().whiteout("a"), TarBuilder().dir("x/").file("x/y", size: 7),
        TarBuilder().whiteout("x"),
      ], efficiency: 1, wasted: 0, layerSizes: [10, 0, 7, 0], inefficiencies: []),
    Probe(
      name: "H3 implicit overwrite",
      layers: [
        TarBuilder().dir("a/").file("a/f", size: 10), TarBuilder().file("a/g", size: 5), TarBuilder().whiteout("a"),
        TarBuilder().dir("a/"),
      ], efficiency: 1, wasted: 0, layerSizes: [10, 5, 0, 0], inefficiencies: ["/a x2 0"]),
    Probe(
      name: "H4 explicit dir",
      layers: [
        TarBuilder().dir("a/").file("a/f", size: 10), TarBuilder().dir("a/").file("a/g", size: 5),
        TarBuilder().whiteout("a"),
        TarBuilder().dir("a/"),
      ], efficiency: 0.5, wasted: 15, layerSizes: [10, 5, 0, 0], inefficiencies: ["/a x2 15"]),
    Probe(
      name: "M empty dirs",
      layers: [TarBuilder().dir("tmp/").file("f", size: 3), TarBuilder().dir("tmp/"), TarBuilder().dir("tmp/")],
      efficiency: 1, wasted: 0, layerSizes: [3, 0, 0], inefficiencies: ["/tmp x3 0"]),
    Probe(
      name: "N infinite user waste",
      layers: [TarBuilder().dir("d/").file("d/f", size: 100), TarBuilder().whiteout("d"), TarBuilder().dir("d/")],
      efficiency: 0.5, wasted: 100, layerSizes: [100, 0, 0], inefficiencies: ["/d x2 100"]),
    Probe(
      name: "Q absolute and ./ names",
      layers: [
        TarBuilder().dir("./").dir("./etc/").file("./etc/a", size: 4).file("/abs/b", size: 6),
        TarBuilder().file("etc/a", size: 4),
      ], efficiency: 0.7142857142857143, wasted: 8, layerSizes: [10, 4], inefficiencies: ["/etc/a x2 8"]),
    Probe(
      name: "U links",
      layers: [
        TarBuilder().file("a", size: 100).hardlink("b", to: "a").symlink("c", to: "a"),
        TarBuilder().file("b", size: 100).symlink("c", to: "b"),
      ], efficiency: 0.5, wasted: 100, layerSizes: [100, 100], inefficiencies: ["/b x2 100", "/c x2 0"]),
    Probe(
      name: "W whiteout then re-add",
      layers: [TarBuilder().file("a", size: 10), TarBuilder().whiteout("a"), TarBuilder().file("a", size: 4)],
      efficiency: 0, wasted: 14, layerSizes: [10, 0, 4], inefficiencies: ["/a x3 14"]),
    Probe(
      name: "Z4 long names",
      layers: [
        TarBuilder().file(String(repeating: "d", count: 120) + "/" + String(repeating: "e", count: 120), size: 3),
        TarBuilder().file("x", size: 1),
      ],
      efficiency: 1, wasted: 0, layerSizes: [3, 1], inefficiencies: []),
  ]

  @Test("dive's numbers for each probe", arguments: probes)
  func probe(_ probe: Probe) throws {
    let analysis = try analyze(layers: probe.layers)
    #expect(analysis.dive.efficiency == probe.efficiency)
    #expect(analysis.dive.wastedBytes == probe.wasted)
    #expect(analysis.layers.map(\.sizeBytes) == probe.layerSizes)
    #expect(analysis.dive.sizeBytes == probe.layerSizes.reduce(0, +))
    #expect(summary(analysis.dive) == probe.inefficiencies)
  }
}
