import ImageModel
import MergedTree

extension TreeViewModel {
  /// The `KindMask` bits a path (or something under it) needs to be shown.
  var allowedMask: UInt8 {
    var mask: UInt8 = 0
    if !hiddenMarks.contains(.added) { mask |= KindMask.added }
    if !hiddenMarks.contains(.modified) { mask |= KindMask.modified }
    if !hiddenMarks.contains(.removed) { mask |= KindMask.removed }
    if !hiddenMarks.contains(.unchanged) {
      mask |= KindMask.listed
      if mode == .wholeTree { mask |= KindMask.unchanged }
    }
    return mask
  }

  /// What the node is at the selected layer (or was, when this layer removed it).
  func kind(of node: Int32) -> EntryKind? {
    guard
      let span = timeline.span(of: node, at: Int32(snapshot.layer))
        ?? snapshot.base.flatMap({ timeline.span(of: node, at: Int32($0)) })
    else { return nil }
    return timeline.kind(span, of: node, in: analysis.tree)
  }

  /// Rebuilds the visible lines, keeping the cursor on `node` (or its nearest visible parent).
  mutating func rebuild(keeping node: Int32? = nil) {
    let keep = node ?? cursorNode
    let allowed = allowedMask
    if let filter {
      let key = FilterInclusion.Key(filter: filter, layer: snapshot.layer, allowed: allowed)
      if inclusion?.key != key { inclusion = FilterInclusion(model: self, key: key) }
    } else {
      inclusion = nil
    }
    var built: [TreeRow] = []
    appendChildren(of: FileTree.root, depth: 0, guides: 0, allowed: allowed, into: &built)
    rows = built
    restoreCursor(keep)
  }

  private mutating func appendChildren(
    of directory: Int32, depth: Int, guides: UInt64, allowed: UInt8, into rows: inout [TreeRow]
  ) {
    let shown = orderedChildren(of: directory).filter { child in
      snapshot.mask(of: child) & allowed != 0 && (inclusion?.includes(child) ?? true)
    }
    for (position, child) in shown.enumerated() {
      let last = position == shown.count - 1
      rows.append(TreeRow(node: child, depth: depth + 1, isLast: last, guides: guides))
      if kind(of: child) == .directory && isExpanded(child) {
        let next = last || depth >= 64 ? guides : guides | (1 << UInt64(depth))
        appendChildren(of: child, depth: depth + 1, guides: next, allowed: allowed, into: &rows)
      }
    }
  }

  /// Children in the chosen order (name order is cached; size order depends on the layer).
  mutating func orderedChildren(of directory: Int32) -> [Int32] {
    let tree = analysis.tree
    let byName: [Int32]
    if let cached = childOrder[directory] {
      byName = cached
    } else {
      byName = tree.children(of: directory).sorted {
        ExactName.bytesPrecede(tree.nodes[Int($0)].name, tree.nodes[Int($1)].name)
      }
      childOrder[directory] = byName
    }
    guard sort == .size else { return byName }
    let model = self
    return byName.enumerated().sorted { lhs, rhs in
      let left = model.bytes(of: lhs.element)
      let right = model.bytes(of: rhs.element)
      return left != right ? left > right : lhs.offset < rhs.offset
    }.map(\.element)
  }

  private mutating func restoreCursor(_ node: Int32?) {
    var wanted = node ?? -1
    while wanted > 0 {
      if let index = rows.firstIndex(where: { $0.node == wanted }) { return setCursor(index) }
      wanted = analysis.tree.nodes[Int(wanted)].parent
    }
    setCursor(cursor)
  }
}

/// Which nodes a filter keeps at one layer: the matching paths whose kind is shown, and their
/// parents. Computed once per filter text, layer and hidden kinds.
struct FilterInclusion: Sendable {
  struct Key: Hashable, Sendable {
    var filter: PathFilter
    var layer: Int
    var allowed: UInt8
  }

  let key: Key
  private var included: [Bool]
  private var sizes: [Int64]

  init(model: TreeViewModel, key: Key) {
    self.key = key
    let tree = model.analysis.tree
    let snapshot = model.snapshot
    var included = [Bool](repeating: false, count: tree.nodes.count)
    var matched = [Bool](repeating: false, count: tree.nodes.count)
    var paths = [String](repeating: "", count: tree.nodes.count)
    var isParent = [Bool](repeating: false, count: tree.nodes.count)
    for node in tree.nodes.dropFirst() { isParent[Int(node.parent)] = true }
    // Parents come before children in the node array, so one forward pass sees each parent's
    // path and match first.
    let filter = key.filter
    for position in 1..<max(tree.nodes.count, 1) {
      let node = tree.nodes[position]
      let parent = Int(node.parent)
      guard snapshot.mark(of: Int32(position)) != nil else { continue }
      if filter.matchesDescendantsOfMatches && matched[parent] {
        matched[position] = true
      } else if filter.matchesByName {
        matched[position] = filter.matches(name: node.name)
      } else {
        matched[position] = filter.matches(paths[parent] + "/" + node.name)
      }
      if isParent[position] && !filter.matchesByName { paths[position] = paths[parent] + "/" + node.name }
    }
    // Children come after their parents, so a backward pass sees every child first: a node
    // reached with no included child is a matching leaf and brings its own bytes.
    var sizes = [Int64](repeating: 0, count: tree.nodes.count)
    for position in stride(from: tree.nodes.count - 1, through: 1, by: -1) where matched[position] || included[position]
    {
      let own = snapshot.ownBit(of: Int32(position))
      guard included[position] || own & key.allowed != 0 else { continue }
      if !included[position] { sizes[position] = snapshot.bytes(of: Int32(position)) }
      included[position] = true
      let parent = Int(tree.nodes[position].parent)
      included[parent] = true
      if snapshot.addsToParent(Int32(position), parent: Int32(parent)) { sizes[parent] += sizes[position] }
    }
    self.included = included
    self.sizes = sizes
  }

  func includes(_ node: Int32) -> Bool { included[Int(node)] }

  /// Bytes of the matching paths at or under the node.
  func bytes(of node: Int32) -> Int64 { sizes[Int(node)] }
}
