import Analysis
import ImageModel
import MergedTree

extension Treemap {
  /// The treemap of an analysed image: every entry of at least the threshold (from
  /// `options.minArea`, or `options.minBytes`, raised until at most `options.maxEntries` stay), and
  /// per directory one aggregate of the rest.
  /// - Parameter waste: the findings whose categories colour the entries (nil: no colouring).
  package init(_ analysis: ImageAnalysis, waste: WasteReport?, options: TreemapOptions = TreemapOptions()) {
    let tree = analysis.tree
    var builder = TreemapBuilder(
      tree: tree, pathWaste: waste?.pathWaste ?? [:], threshold: Self.threshold(tree, options: options))
    let root = builder.directory(FileTree.root, name: "")
    self.init(
      root: root, minBytes: builder.threshold, categories: builder.categories.sorted(by: WasteCategory.precedes))
  }

  /// The smallest size kept: `minBytes`, or the bytes covering `minArea` of `referenceArea`; then
  /// raised past the `maxEntries`-th largest entry when more would stay. Never below 1: empty
  /// entries are always folded.
  static func threshold(_ tree: FileTree, options: TreemapOptions) -> Int64 {
    let fromArea = (Double(tree.totalBytes) * options.minArea / max(options.referenceArea, 1)).rounded(.up)
    var threshold = max(1, options.minBytes ?? (fromArea < 9e18 ? Int64(fromArea) : .max))
    var sizes: [Int64] = []
    for index in tree.nodes.indices.dropFirst() where tree.isPresent(index) {
      let bytes = tree.subtreeBytes[index]
      if bytes >= threshold { sizes.append(bytes) }
    }
    let limit = max(0, options.maxEntries)
    if sizes.count > limit {
      sizes.sort(by: >)
      threshold = sizes[limit] + 1
    }
    return threshold
  }
}

/// Walks the merged tree once, keeping entries of at least `threshold` bytes.
struct TreemapBuilder {
  let tree: FileTree
  let pathWaste: [Int32: PathWaste]
  let threshold: Int64
  /// Categories that colour at least one kept entry or aggregate.
  var categories = Set<String>()

  /// The directory at `index` with its kept children and the aggregate of the rest.
  mutating func directory(_ index: Int32, name: String) -> TreemapNode {
    var children: [TreemapNode] = []
    var rest = Aggregate()
    for child in tree.children(of: index) {
      let node = tree.nodes[Int(child)]
      guard node.isPresent else { continue }
      if tree.subtreeBytes[Int(child)] < threshold {
        rest.add(subtree: child, in: tree, waste: pathWaste)
      } else if node.isDirectory {
        children.append(directory(child, name: node.name))
      } else {
        children.append(file(child))
      }
    }
    if rest.files > 0 || rest.bytes > 0 { children.append(aggregate(rest)) }
    children.sort(by: Self.drawingOrder)
    return TreemapNode(
      kind: .directory, name: name, bytes: tree.subtreeBytes[Int(index)], files: Int(tree.subtreeFiles[Int(index)]),
      children: children)
  }

  private mutating func file(_ index: Int32) -> TreemapNode {
    let category = pathWaste[index]?.category
    if let category { categories.insert(category) }
    return TreemapNode(
      kind: .file, name: tree.nodes[Int(index)].name, bytes: tree.subtreeBytes[Int(index)], files: 1,
      layer: Int(Self.owner(index, in: tree)), waste: category)
  }

  private mutating func aggregate(_ rest: Aggregate) -> TreemapNode {
    let category = rest.dominantWaste
    if let category { categories.insert(category) }
    return TreemapNode(
      kind: .aggregate, name: "", bytes: rest.bytes, files: rest.files, layer: rest.dominantLayer, waste: category)
  }

  /// The layer whose tar holds a node's content (for a hard link whose target went, the layer
  /// of the content it still holds), as `Analyzer` attributes surviving bytes.
  static func owner(_ index: Int32, in tree: FileTree) -> Int32 {
    tree.orphanedLinks[index]?.layer ?? tree.nodes[Int(index)].layer
  }

  /// Largest first; among equals, entries before the aggregate, then by name.
  static func drawingOrder(_ lhs: TreemapNode, _ rhs: TreemapNode) -> Bool {
    if lhs.bytes != rhs.bytes { return lhs.bytes > rhs.bytes }
    if (lhs.kind == .aggregate) != (rhs.kind == .aggregate) { return rhs.kind == .aggregate }
    return ExactName.bytesPrecede(lhs.name, rhs.name)
  }
}

/// The small entries of one directory, summed.
struct Aggregate {
  var bytes: Int64 = 0
  var files = 0
  var bytesByLayer: [Int32: Int64] = [:]
  /// Bytes by waste category (`""`: no waste).
  var bytesByWaste: [String: Int64] = [:]

  /// Adds the node at `start` and everything present under it.
  mutating func add(subtree start: Int32, in tree: FileTree, waste: [Int32: PathWaste]) {
    var stack = [start]
    while let current = stack.popLast() {
      let node = tree.nodes[Int(current)]
      guard node.isPresent else { continue }
      if node.isDirectory {
        stack.append(contentsOf: tree.children(of: current))
        continue
      }
      let size = tree.contentBytes(of: current)
      files += 1
      bytes += size
      guard size > 0 else { continue }
      bytesByLayer[TreemapBuilder.owner(current, in: tree), default: 0] += size
      bytesByWaste[waste[current]?.category ?? "", default: 0] += size
    }
  }

  /// The layer holding most of the bytes (the lowest on a tie), or -1 when there are none.
  var dominantLayer: Int {
    let best = bytesByLayer.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
    return best.map { Int($0.key) } ?? -1
  }

  /// The category of most of the bytes, nil when most are no waste (ties go to no waste, then by name).
  var dominantWaste: String? {
    let best = bytesByWaste.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
    guard let best, !best.key.isEmpty else { return nil }
    return best.key
  }
}
