import ImageModel
import MergedTree

/// The state of one dive computation: dive's stacked lower layers and the efficiency table.
///
/// It takes the layers one at a time, each right after the tree merged it (`add(_:index:tree:)`),
/// so a caller that needs no layer's entries afterwards can let each go as soon as it is counted.
/// Nothing it does for a layer depends on nodes a later layer adds: its leaves and their
/// ancestors are nodes of that layer and the ones below.
struct DiveRun {
  var table = EfficiencyTable(nodes: 0)
  /// dive's stacked tree, over the merged tree's nodes: present, directory flag, size.
  private var alive: [Bool] = []
  private var isDirectory: [Bool] = []
  private var size: [Int64] = []
  /// Per-layer marks: ancestors of this layer's entries, this layer's listed nodes, leaves seen.
  /// A mark is the layer's `stamp`, which cycles through 1...255; the marks are wiped when it wraps.
  private var ancestorStamp: [UInt8] = []
  private var listedStamp: [UInt8] = []
  private var seenStamp: [UInt8] = []
  private var stamp: UInt8 = 0
  private var stackStamp: [Int32] = []
  private var stackPass: Int32 = 0
  private let needsStack: Bool

  /// A run for layers of which some have whiteouts (`needsStack`: dive's stacked tree is then
  /// kept to size them) or none.
  init(needsStack: Bool) {
    self.needsStack = needsStack
  }

  /// Whether any of `layers` has a whiteout, which `init(needsStack:)` needs to know up front.
  static func needsStack(_ layers: some Sequence<LayerContents>) -> Bool {
    layers.contains { layer in layer.entries.contains { $0.kind == .whiteout } }
  }

  /// Counts layer `index`, the newest one `tree` merged.
  mutating func add(_ layer: LayerContents, index: Int, tree: FileTree) {
    grow(to: tree.nodes.count)
    if stamp == UInt8.max {
      for marks in [\DiveRun.ancestorStamp, \.listedStamp, \.seenStamp] {
        self[keyPath: marks].withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      }
      stamp = 0
    }
    stamp += 1
    let leaves = markLayer(layer, index: index, tree: tree)
    // dive sizes layer 0's whiteouts by layer 0 itself.
    if index == 0 && needsStack { stackEntries(layer, index: index, tree: tree) }
    visit(leaves, layer, tree: tree)
    if needsStack {
      stackWhiteouts(layer, index: index, tree: tree)
      stackEntries(layer, index: index, tree: tree)
    }
  }

  /// Makes room for nodes the tree added since the last layer.
  private mutating func grow(to count: Int) {
    let added = count - ancestorStamp.count
    guard added > 0 else { return }
    table.grow(to: count)
    ancestorStamp.append(contentsOf: repeatElement(0, count: added))
    listedStamp.append(contentsOf: repeatElement(0, count: added))
    seenStamp.append(contentsOf: repeatElement(0, count: added))
    guard needsStack else { return }
    if alive.isEmpty {
      alive.append(true)  // the root
      isDirectory.append(false)
      size.append(0)
      stackStamp.append(-1)
    }
    let more = count - alive.count
    alive.append(contentsOf: repeatElement(false, count: more))
    isDirectory.append(contentsOf: repeatElement(false, count: more))
    size.append(contentsOf: repeatElement(0, count: more))
    stackStamp.append(contentsOf: repeatElement(-1, count: more))
  }

  /// A leaf of one layer's tree.
  struct Leaf {
    var entry: Int
    var node: Int32
    var isWhiteout: Bool
  }

  /// Stamps the ancestors of every entry and returns the leaves (last entry wins per path).
  private mutating func markLayer(_ layer: LayerContents, index: Int, tree: FileTree) -> [Leaf] {
    let entries = layer.entries
    let nodes = tree.entryNodes[index]
    // Entries are read by position, field by field: iterating them would copy each one (three
    // strings retained and released).
    for position in entries.indices where !entries[position].kind.isMarker {
      let node = nodes[position]
      if node >= 0 { listedStamp[Int(node)] = stamp }
    }
    for position in entries.indices where entries[position].kind != .opaque {
      let start: Int32
      if nodes[position] >= 0 {
        start = tree.nodes[Int(nodes[position])].parent
      } else {
        start = Self.deepestExisting(entries[position].directory, in: tree)
      }
      var current = start
      while current > 0 && ancestorStamp[Int(current)] != stamp {
        ancestorStamp[Int(current)] = stamp
        current = tree.nodes[Int(current)].parent
      }
    }
    var leaves: [Leaf] = []
    leaves.reserveCapacity(entries.count)
    var whiteoutSeen = Set<Int32>()
    for position in entries.indices.reversed() {
      let node = nodes[position]
      switch entries[position].kind {
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

  private static func deepestExisting(_ path: String, in tree: FileTree) -> Int32 {
    var current = FileTree.root
    for component in PathName.components(of: path) {
      guard let next = tree.child(component, of: current) else { break }
      current = next
    }
    return current
  }

  /// What a whiteout leaf counts, or nil when dive cannot find its path.
  private func whiteoutSize(_ leaf: Leaf, tree: FileTree) -> Int64? {
    guard leaf.node >= 0, alive[Int(leaf.node)] else { return nil }
    return isDirectory[Int(leaf.node)] ? subtreeSize(leaf.node, tree: tree) : 0
  }

  private mutating func visit(_ leaves: [Leaf], _ layer: LayerContents, tree: FileTree) {
    let entries = layer.entries
    let failing = leaves.contains { $0.isWhiteout && whiteoutSize($0, tree: tree) == nil }
    let ordered = failing ? inVisitOrder(leaves, entries) : leaves
    for leaf in ordered {
      if leaf.isWhiteout {
        guard let counted = whiteoutSize(leaf, tree: tree) else {
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

  private func subtreeSize(_ start: Int32, tree: FileTree) -> Int64 {
    var total: Int64 = 0
    var pending = [start]
    while let current = pending.popLast() {
      total += size[Int(current)]
      for child in tree.children(of: current) where alive[Int(child)] { pending.append(child) }
    }
    return total
  }

  private mutating func stackWhiteouts(_ layer: LayerContents, index: Int, tree: FileTree) {
    let nodes = tree.entryNodes[index]
    let entries = layer.entries
    for position in entries.indices where entries[position].kind == .whiteout {
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
  private mutating func stackEntries(_ layer: LayerContents, index: Int, tree: FileTree) {
    // Each pass has its own stamp (layer 0 is stacked twice: before and after its whiteouts).
    stackPass += 1
    let pass = stackPass
    let nodes = tree.entryNodes[index]
    let entries = layer.entries
    for position in entries.indices where !entries[position].kind.isMarker {
      let node = nodes[position]
      guard node >= 0 else { continue }
      alive[Int(node)] = true
      isDirectory[Int(node)] = entries[position].kind == .directory
      size[Int(node)] = entries[position].size
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
