import Analysis
import JSONIO
import MergedTree
@testable import Reporting
import Testing
import TestSupport

/// Checks, at every directory, that children add up to the directory and that the directory's
/// figures are the merged tree's.
private func expectConserved(
  _ node: TreemapNode, path: String, in tree: FileTree, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard node.kind == .directory else { return }
  let index = tree.lookup(path)
  #expect(index.map { tree.subtreeBytes[Int($0)] } == node.bytes, "bytes of /\(path)", sourceLocation: sourceLocation)
  #expect(
    index.map { Int(tree.subtreeFiles[Int($0)]) } == node.files, "files of /\(path)", sourceLocation: sourceLocation)
  #expect(
    node.children.reduce(0) { $0 + $1.bytes } == node.bytes, "children's bytes of /\(path)",
    sourceLocation: sourceLocation)
  #expect(
    node.children.reduce(0) { $0 + $1.files } == node.files, "children's files of /\(path)",
    sourceLocation: sourceLocation)
  #expect(
    node.children.filter { $0.kind == .aggregate }.count <= 1, "one aggregate in /\(path)",
    sourceLocation: sourceLocation)
  for child in node.children where child.kind == .directory {
    expectConserved(
      child, path: path.isEmpty ? child.name : path + "/" + child.name, in: tree, sourceLocation: sourceLocation)
  }
}

/// The child called `name`.
private func child(_ node: TreemapNode?, _ name: String) -> TreemapNode? {
  node?.children.first { $0.kind != .aggregate && $0.name == name }
}

private func aggregate(_ node: TreemapNode?) -> TreemapNode? { node?.children.first { $0.kind == .aggregate } }

/// Kept entries (files and directories, not the root, not aggregates).
private func keptCount(_ node: TreemapNode) -> Int {
  node.children.reduce(0) { $0 + ($1.kind == .aggregate ? 0 : 1 + keptCount($1)) }
}

@Suite("Treemap: what the HTML report draws")
struct TreemapTests {
  let analysis: ImageAnalysis
  let waste: WasteReport

  init() throws {
    var base = TarBuilder().dir("usr").dir("usr/lib").file("usr/lib/big", size: 50_000).file(
      "usr/lib/mid", size: 20_000)
    for number in 1...10 { base = base.file("usr/lib/small\(number)", size: 50) }
    for name in ["a", "b", "c", "d", "e"] { base = base.file("usr/share/doc/\(name)", size: 100) }
    base = base.file("etc/conf", size: 10).symlink("bin/sh", to: "/bin/busybox")
    let apt = TarBuilder().file("var/lib/apt/lists/x", size: 30_000).file("tmp/t1", size: 40)
      .file("usr/lib/mid", size: 25_000)
    (analysis, waste) = try analysed([
      (base, "ADD rootfs /"), (apt, "/bin/sh -c apt-get update && cp mid /usr/lib/mid"),
    ])
  }

  func treemap(minBytes: Int64? = 1000, maxEntries: Int = 40_000) -> Treemap {
    var options = TreemapOptions()
    options.minBytes = minBytes
    options.maxEntries = maxEntries
    return Treemap(analysis, waste: waste, options: options)
  }

  @Test func entries_under_the_threshold_are_folded_into_one_aggregate_per_directory() throws {
    let map = treemap()
    #expect(map.minBytes == 1000)
    #expect(map.root.bytes == analysis.finalBytes && map.root.files == analysis.fileCount)
    let lib = child(child(map.root, "usr"), "lib")
    #expect(lib?.children.map(\.name) == ["big", "mid", ""])
    #expect(aggregate(lib) == TreemapNode(kind: .aggregate, name: "", bytes: 500, files: 10, layer: 0))
    // usr/share (500 bytes) is folded whole into usr's aggregate.
    #expect(child(child(map.root, "usr"), "share") == nil)
    #expect(
      aggregate(child(map.root, "usr"))
        == TreemapNode(kind: .aggregate, name: "", bytes: 500, files: 5, layer: 0, waste: "docs"))
    // At the root: etc/conf (10 B, layer 0), tmp/t1 (40 B, layer 1, a leftover), bin/sh (0 B).
    #expect(
      aggregate(map.root) == TreemapNode(kind: .aggregate, name: "", bytes: 50, files: 3, layer: 1, waste: "leftover"))
    expectConserved(map.root, path: "", in: analysis.tree)
  }

  @Test func files_carry_the_layer_of_their_content_and_their_waste() {
    let map = treemap()
    let lib = child(child(map.root, "usr"), "lib")
    #expect(child(lib, "big") == TreemapNode(kind: .file, name: "big", bytes: 50_000, files: 1, layer: 0))
    #expect(child(lib, "mid")?.layer == 1)
    #expect(child(lib, "mid")?.bytes == 25_000)
    #expect(child(lib, "mid")?.waste == "hidden-by-later-layer", "its first copy still ships in layer 0")
    let lists = child(child(child(child(map.root, "var"), "lib"), "apt"), "lists")
    #expect(child(lists, "x")?.waste == "package-cache")
    #expect(map.categories == ["hidden-by-later-layer", "package-cache", "leftover", "docs"])
  }

  @Test func children_are_largest_first() {
    func sorted(_ node: TreemapNode) -> Bool {
      zip(node.children, node.children.dropFirst()).allSatisfy { $0.bytes >= $1.bytes }
        && node.children.allSatisfy(sorted)
    }
    #expect(sorted(treemap().root))
    #expect(treemap().root.children.map(\.name) == ["usr", "var", ""])
  }

  @Test func the_threshold_comes_from_the_pixel_area_of_the_first_view() {
    let total = analysis.finalBytes
    var options = TreemapOptions()
    options.referenceArea = 1000
    options.minArea = 16
    let expected = (Double(total) * 16 / 1000).rounded(.up)
    #expect(Treemap.threshold(analysis.tree, options: options) == Int64(expected))
    options.minArea = 0
    #expect(Treemap.threshold(analysis.tree, options: options) == 1, "empty entries are always folded")
  }

  @Test func at_most_max_entries_are_kept_whatever_the_threshold() {
    for limit in [0, 1, 3, 5] {
      let map = treemap(minBytes: 1, maxEntries: limit)
      #expect(keptCount(map.root) <= limit, "limit \(limit)")
      expectConserved(map.root, path: "", in: analysis.tree)
    }
    // Ties stay together: 76,000, 75,500, 50,000 and five entries of 30,000 bytes are the 8 largest;
    // with a limit of 5 the five ties go, with 8 they all stay.
    #expect(keptCount(treemap(minBytes: 1, maxEntries: 5).root) == 3)
    #expect(keptCount(treemap(minBytes: 1, maxEntries: 8).root) == 8)
  }

  @Test func without_waste_nothing_is_coloured_by_it() {
    let map = Treemap(analysis, waste: nil, options: TreemapOptions())
    #expect(map.categories.isEmpty)
    expectConserved(map.root, path: "", in: analysis.tree)
  }

  @Test func the_data_block_holds_compact_arrays() throws {
    let json = treemap().json
    #expect(json["minBytes"] == .integer(1000))
    #expect(json["categories"] == ["hidden-by-later-layer", "package-cache", "leftover", "docs"])
    let root = try #require(json["root"]?.arrayValue)
    #expect(root.count == 4 && root[0] == "" && root[1] == .integer(analysis.finalBytes))
    let usr = try #require(root[3].arrayValue?.first?.arrayValue)
    let lib = try #require(usr[3].arrayValue?.first?.arrayValue)
    #expect(lib[3].arrayValue?.first == ["big", 50_000, 0, -1])
    #expect(lib[3].arrayValue?.last == [nil, 500, 10, 0, -1])
    #expect(root[3].arrayValue?.last == [nil, 50, 3, 1, 2])
  }

  @Test func the_wasteful_fixture_keeps_its_figures() throws {
    let (analysis, waste) = try analysedFixture("images/wasteful/wasteful.tar")
    let map = Treemap(analysis, waste: waste)
    #expect(map.root.bytes == 2_520_363 && map.root.files == 301)
    #expect(map.minBytes == 64, "2,520,363 bytes × 16 px² / 640,000 px², rounded up")
    expectConserved(map.root, path: "", in: analysis.tree)
    let app = child(map.root, "app")
    #expect(child(child(app, "data"), "model.bin")?.waste == "duplicate")
    #expect(child(app, "main.py")?.waste == "metadata-rewrite")
    #expect(child(app, "id_rsa")?.waste == "sensitive")
    #expect(
      child(child(map.root, "bin"), "busybox")
        == TreemapNode(kind: .file, name: "busybox", bytes: 1_982_256, files: 1, layer: 0))
  }
}
