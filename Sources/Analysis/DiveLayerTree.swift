import ImageModel

/// One layer as dive sees it: entries by their stored names (whiteout prefixes kept), with the
/// directories their paths pass through; opaque markers are not part of it.
struct DiveLayerTree {
  struct Item {
    /// Components of the stored name (`a`, `.wh.b`).
    var components: [String]
    /// Whether the node was listed (false for directories only passed through).
    var listed: Bool
    var isDirectory: Bool
    var size: Int64
  }

  /// A leaf to visit.
  struct Leaf {
    var path: String
    var components: [String]
    var size: Int64
    var isWhiteout: Bool
  }

  /// Nodes in dive's visit order: children before parents, siblings by byte order.
  private(set) var items: [Item] = []

  init(_ layer: LayerContents) {
    var listed: [[String]: (isDirectory: Bool, size: Int64)] = [:]
    for entry in layer.entries {
      let components: [String]
      switch entry.kind {
      case .opaque: continue
      case .whiteout:
        let parent = PathName.components(of: PathName.parent(of: entry.path)).map(String.init)
        components = parent + [".wh." + PathName.base(of: entry.path)]
      default:
        components = PathName.components(of: entry.path).map(String.init)
      }
      listed[components] = (entry.kind == .directory, entry.size)
    }
    var all = Set<[String]>()
    for components in listed.keys {
      for length in 1...components.count { all.insert(Array(components.prefix(length))) }
    }
    items = all.sorted(by: Self.visitOrder).map { components in
      let info = listed[components]
      return Item(components: components, listed: info != nil, isDirectory: info?.isDirectory ?? false, size: info?.size ?? 0)
    }
  }

  /// Children first, then the node; siblings in byte order (Go's `sort.Strings`).
  static func visitOrder(_ lhs: [String], _ rhs: [String]) -> Bool {
    for (left, right) in zip(lhs, rhs) where left != right {
      return left.utf8.lexicographicallyPrecedes(right.utf8)
    }
    return lhs.count > rhs.count
  }

  /// The leaves (nodes with nothing under them), in visit order.
  func leavesInVisitOrder() -> [Leaf] {
    var leaves: [Leaf] = []
    for (position, item) in items.enumerated() {
      // In visit order a node's descendants come right before it.
      if position > 0 {
        let previous = items[position - 1].components
        if previous.count > item.components.count && Array(previous.prefix(item.components.count)) == item.components {
          continue
        }
      }
      var components = item.components
      var isWhiteout = false
      if let last = components.last, last.hasPrefix(".wh.") {
        components[components.count - 1] = String(last.dropFirst(4))
        isWhiteout = true
      }
      leaves.append(Leaf(path: "/" + components.joined(separator: "/"), components: components, size: item.size, isWhiteout: isWhiteout))
    }
    return leaves
  }
}

/// The lower layers stacked dive's way, to size whiteouts: a whiteout removes the path; every
/// other node, listed or passed through, is (re)added with its info, and a directory that a
/// layer only passes through loses its "directory" flag, as in dive.
struct DiveStack {
  private struct Node {
    var isDirectory = false
    var size: Int64 = 0
    var children: [String: Int] = [:]
    var alive = true
  }
  private var nodes: [Node] = [Node(isDirectory: true)]

  func node(at components: [String]) -> Int? {
    var current = 0
    for component in components {
      guard let next = nodes[current].children[component], nodes[next].alive else { return nil }
      current = next
    }
    return current
  }

  func isDirectory(_ index: Int) -> Bool { nodes[index].isDirectory }

  func subtreeSize(_ index: Int) -> Int64 {
    var total: Int64 = 0
    var pending = [index]
    while let current = pending.popLast() {
      total += nodes[current].size
      pending.append(contentsOf: nodes[current].children.values.filter { nodes[$0].alive })
    }
    return total
  }

  mutating func stack(_ layer: DiveLayerTree, applyingWhiteouts: Bool) {
    for item in layer.items {
      if applyingWhiteouts, let last = item.components.last, last.hasPrefix(".wh.") {
        var target = item.components
        target[target.count - 1] = String(last.dropFirst(4))
        if let found = node(at: target) { remove(found, components: target) }
        continue
      }
      add(item)
    }
  }

  private mutating func remove(_ index: Int, components: [String]) {
    guard let parent = node(at: Array(components.dropLast())), let name = components.last else { return }
    nodes[parent].children[name] = nil
    nodes[index].alive = false
  }

  private mutating func add(_ item: DiveLayerTree.Item) {
    var current = 0
    for component in item.components {
      if let next = nodes[current].children[component], nodes[next].alive {
        current = next
      } else {
        nodes.append(Node())
        let created = nodes.count - 1
        nodes[current].children[component] = created
        current = created
      }
    }
    nodes[current].isDirectory = item.isDirectory
    nodes[current].size = item.size
  }
}
