import ImageModel
import MergedTree

/// The state of one dive computation: dive's stacked lower layers and the efficiency table.
struct DiveRun {
  let tree: FileTree
  let layers: [LayerContents]
  var table: EfficiencyTable
  /// dive's stacked tree, over the merged tree's nodes: present, directory flag, size.
  private var alive: [Bool]
  private var isDirectory: [Bool]
  private var size: [Int64]
  /// Per-layer marks: ancestors of this layer's entries, this layer's listed nodes, leaves seen.
  private var ancestorStamp: [Int32]
  private var listedStamp: [Int32]
  private var seenStamp: [Int32]
  private var stackStamp: [Int32]
  private var stackPass: Int32 = 0
  private let needsStack: Bool

  init(tree: FileTree, layers: [LayerContents]) {
    self.tree = tree
    self.layers = layers
    let count = tree.nodes.count
    table = EfficiencyTable(nodes: count)
    needsStack = layers.contains { layer in layer.entries.contains { $0.kind == .whiteout } }
    alive = needsStack ? Array(repeating: false, count: count) : []
    isDirectory = needsStack ? Array(repeating: false, count: count) : []
    size = needsStack ? Array(repeating: 0, count: count) : []
    ancestorStamp = Array(repeating: -1, count: count)
    listedStamp = Array(repeating: -1, count: count)
    seenStamp = Array(repeating: -1, count: count)
    stackStamp = Array(repeating: -1, count: needsStack ? count : 0)
    if needsStack { alive[0] = true }
  }

  /// A leaf of one layer's tree.
  struct Leaf {
    var entry: Int
    var node: Int32
    var isWhiteout: Bool
  }

  mutating func run() {
    for index in layers.indices {
      let leaves = markLayer(index)
      if index == 0 && needsStack { stackEntries(0) }  // dive sizes layer 0's whiteouts by layer 0 itself
      visit(leaves, layer: index)
      if needsStack {
        stackWhiteouts(index)
        stackEntries(index)
      }
    }
  }

  /// Stamps the ancestors of every entry and returns the leaves (last entry wins per path).
  private mutating func markLayer(_ layer: Int) -> [Leaf] {
    let stamp = Int32(layer)
    let entries = layers[layer].entries
    let nodes = tree.entryNodes[layer]
    for (position, entry) in entries.enumerated() where entry.kind != .whiteout && entry.kind != .opaque {
      let node = nodes[position]
      if node >= 0 { listedStamp[Int(node)] = stamp }
    }
    for (position, entry) in entries.enumerated() where entry.kind != .opaque {
      let start: Int32
      if nodes[position] >= 0 {
        start = tree.nodes[Int(nodes[position])].parent
      } else {
        start = deepestExisting(entry.directory)
      }
      var current = start
      while current > 0 && ancestorStamp[Int(current)] != stamp {
        ancestorStamp[Int(current)] = stamp
        current = tree.nodes[Int(current)].parent
      }
    }
    var leaves: [Leaf] = []
    var whiteoutSeen = Set<Int32>()
    for position in entries.indices.reversed() {
      let entry = entries[position]
      let node = nodes[position]
      switch entry.kind {
      case .opaque: continue
      case .whiteout:
        if node >= 0 && !whiteoutSeen.insert(node).inserted { continue }
        leaves.append(Leaf(entry: position, node: node, isWhiteout: true))
      default:
        guard node >= 0, ancestorStamp[Int(node)] != stamp, seenStamp[Int(node)] != stamp else { continue }
        seenStamp[Int(node)] = stamp
        leaves.append(Leaf(entry: position, node: node, isWhiteout: false))
      }
    }
    return leaves
  }

  private func deepestExisting(_ path: String) -> Int32 {
    var current = FileTree.root
    for component in PathName.components(of: path) {
      guard let next = tree.child(String(component), of: current) else { break }
      current = next
    }
    return current
  }

  /// What a whiteout leaf counts, or nil when dive cannot find its path.
  private func whiteoutSize(_ leaf: Leaf) -> Int64? {
    guard leaf.node >= 0, alive[Int(leaf.node)] else { return nil }
    return isDirectory[Int(leaf.node)] ? subtreeSize(leaf.node) : 0
  }

  private mutating func visit(_ leaves: [Leaf], layer: Int) {
    let entries = layers[layer].entries
    let failing = leaves.contains { $0.isWhiteout && whiteoutSize($0) == nil }
    let ordered = failing ? inVisitOrder(leaves, entries) : leaves
    for leaf in ordered {
      if leaf.isWhiteout {
        guard let counted = whiteoutSize(leaf) else {
          table.touch(node: leaf.node, path: entries[leaf.entry].path)
          return
        }
        table.add(node: leaf.node, size: counted)
      } else {
        table.add(node: leaf.node, size: entries[leaf.entry].size)
      }
    }
  }

  /// dive's order: siblings by the bytes of their stored names, children before parents. No
  /// leaf is another's ancestor, so ordering the stored paths bytewise with `/` lowest is enough.
  private func inVisitOrder(_ leaves: [Leaf], _ entries: [LayerEntry]) -> [Leaf] {
    let keyed = leaves.map { leaf -> ([UInt8], Leaf) in
      let entry = entries[leaf.entry]
      let stored = entry.kind == .whiteout ? entry.directory.appendingComponent(".wh." + entry.name) : entry.path
      return (stored.utf8.map { $0 == UInt8(ascii: "/") ? 0 : $0 }, leaf)
    }
    return keyed.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
  }

  private func subtreeSize(_ start: Int32) -> Int64 {
    var total: Int64 = 0
    var pending = [start]
    while let current = pending.popLast() {
      total += size[Int(current)]
      for child in tree.children(of: current) where alive[Int(child)] { pending.append(child) }
    }
    return total
  }

  private mutating func stackWhiteouts(_ layer: Int) {
    let nodes = tree.entryNodes[layer]
    for (position, entry) in layers[layer].entries.enumerated() where entry.kind == .whiteout {
      let node = nodes[position]
      guard node >= 0, alive[Int(node)] else { continue }
      var pending = [node]
      while let current = pending.popLast() {
        alive[Int(current)] = false
        for child in tree.children(of: current) where alive[Int(child)] { pending.append(child) }
      }
    }
  }

  /// Adds the layer's nodes: listed ones with their info, directories only passed through with
  /// dive's empty info (not a directory, size 0).
  private mutating func stackEntries(_ layer: Int) {
    // Each pass has its own stamp (layer 0 is stacked twice: before and after its whiteouts).
    stackPass += 1
    let pass = stackPass
    let stamp = Int32(layer)
    let nodes = tree.entryNodes[layer]
    for (position, entry) in layers[layer].entries.enumerated() where !entry.kind.isMarker {
      let node = nodes[position]
      guard node >= 0 else { continue }
      alive[Int(node)] = true
      isDirectory[Int(node)] = entry.kind == .directory
      size[Int(node)] = entry.size
      var current = tree.nodes[Int(node)].parent
      while current > 0 && stackStamp[Int(current)] != pass {
        stackStamp[Int(current)] = pass
        if listedStamp[Int(current)] != stamp {
          alive[Int(current)] = true
          isDirectory[Int(current)] = false
          size[Int(current)] = 0
        } else if !alive[Int(current)] {
          alive[Int(current)] = true
        }
        current = tree.nodes[Int(current)].parent
      }
    }
  }
}
