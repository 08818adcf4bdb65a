import Analysis
import ImageModel
import MergedTree

/// Which paths the tree shows.
package enum TreeMode: Sendable, Hashable {
  /// The whole filesystem as of the selected layer.
  case wholeTree
  /// Only the marked changes (and files the layer's tar lists again unchanged).
  case changesOnly
}

/// What the marks compare the selected layer with (dive's two views).
package enum TreeCompare: Sendable, Hashable {
  /// The layer below: this layer's changes (dive's Ctrl+L, "Current Layer Contents").
  case layer
  /// The first layer: every change since the base (dive's Ctrl+A, "Aggregated Layer Contents").
  case aggregated
}

/// How siblings are ordered.
package enum TreeSort: Sendable, Hashable {
  /// By name (byte order).
  case name
  /// Largest first (bytes at the selected layer), then by name.
  case size
}

/// One visible line of the tree.
package struct TreeRow: Sendable, Hashable {
  /// The node of the merged tree.
  package var node: Int32
  /// 1 for top-level paths.
  package var depth: Int
  /// Whether it is the last of its visible siblings.
  package var isLast: Bool
  /// Bit `d` set: the ancestor at depth `d + 1` has later siblings (draw `│` in column `d`).
  package var guides: UInt64
}

/// The file-tree pane: the merged tree as of a layer, with the cursor, expanded directories,
/// hidden kinds, mode, sort and filter. Rows are built only for expanded directories.
package struct TreeViewModel: Sendable {
  /// The image.
  package let analysis: ImageAnalysis
  /// Every path's versions along the layers.
  package let timeline: NodeTimeline
  /// The selected layer's marks and sizes.
  package internal(set) var snapshot: LayerSnapshot
  /// The whole tree, or this layer's changes.
  package internal(set) var mode: TreeMode = .wholeTree
  /// What the marks compare with.
  package internal(set) var compare: TreeCompare = .layer
  /// Sibling order.
  package internal(set) var sort: TreeSort = .name
  /// Kinds of paths hidden.
  package internal(set) var hiddenMarks: Set<ChangeMark> = []
  /// The filter, when one is set.
  package internal(set) var filter: PathFilter?
  /// The visible lines.
  package internal(set) var rows: [TreeRow] = []
  /// The cursor's line.
  package internal(set) var cursor = 0
  /// The first line on screen.
  package internal(set) var top = 0
  /// Lines the pane shows (set by the layout; used for paging and scrolling).
  package internal(set) var height = 10

  var expandedByDefault = false
  var expansionExceptions: Set<Int32> = []
  var collapsedWhileFiltering: Set<Int32> = []
  /// Recent snapshots, by layer × 2 (+ 1 when aggregated).
  var snapshots: [Int: LayerSnapshot] = [:]
  var childOrder: [Int32: [Int32]] = [:]
  var inclusion: FilterInclusion?

  /// A tree as of `layer` (the last layer when nil).
  package init(analysis: ImageAnalysis, timeline: NodeTimeline? = nil, layer: Int? = nil) {
    self.analysis = analysis
    let timeline = timeline ?? NodeTimeline(tree: analysis.tree)
    self.timeline = timeline
    let chosen = layer ?? max(0, analysis.layers.count - 1)
    snapshot = LayerSnapshot(analysis: analysis, timeline: timeline, layer: chosen)
    snapshots[chosen * 2] = snapshot
    rebuild()
  }

  /// The selected layer.
  package var layer: Int { snapshot.layer }
  /// The node under the cursor.
  package var cursorNode: Int32? { rows.indices.contains(cursor) ? rows[cursor].node : nil }

  // MARK: Changing what is shown

  /// Shows the tree as of `layer`.
  package mutating func select(layer: Int) {
    guard layer != snapshot.layer, layer >= 0, layer < max(1, analysis.layers.count) else { return }
    loadSnapshot(layer: layer)
  }

  /// Marks changes against the layer below or, aggregated, against the first layer.
  package mutating func setCompare(_ compare: TreeCompare) {
    guard compare != self.compare else { return }
    self.compare = compare
    loadSnapshot(layer: snapshot.layer)
  }

  private mutating func loadSnapshot(layer: Int) {
    let key = layer * 2 + (compare == .aggregated ? 1 : 0)
    if let cached = snapshots[key] {
      snapshot = cached
    } else {
      snapshot = LayerSnapshot(analysis: analysis, timeline: timeline, layer: layer, aggregated: compare == .aggregated)
      if snapshots.count >= 4, let oldest = snapshots.keys.first(where: { $0 != key }) { snapshots[oldest] = nil }
      snapshots[key] = snapshot
    }
    rebuild()
  }

  /// Switches between the whole tree and the changes only.
  package mutating func toggleMode() {
    mode = mode == .wholeTree ? .changesOnly : .wholeTree
    rebuild()
  }

  /// Switches between name and size order.
  package mutating func toggleSort() {
    sort = sort == .name ? .size : .name
    rebuild()
  }

  /// Hides or shows paths marked `mark`.
  package mutating func toggle(_ mark: ChangeMark) {
    if hiddenMarks.contains(mark) { hiddenMarks.remove(mark) } else { hiddenMarks.insert(mark) }
    rebuild()
  }

  /// Filters by path (empty text: no filter).
  package mutating func setFilter(_ text: String) {
    let next = PathFilter(text)
    guard next != filter else { return }
    filter = next
    collapsedWhileFiltering = []
    rebuild()
  }

  /// Sets how many lines the pane shows.
  package mutating func setHeight(_ lines: Int) {
    height = max(1, lines)
    scrollToCursor()
  }

  // MARK: Expanding

  /// Whether a directory's children are shown.
  package func isExpanded(_ node: Int32) -> Bool {
    if filter != nil { return !collapsedWhileFiltering.contains(node) }
    return expandedByDefault != expansionExceptions.contains(node)
  }

  /// Expands or collapses the directory under the cursor.
  package mutating func toggleExpanded() {
    guard let node = cursorNode, isDirectory(node) else { return }
    setExpanded(node, !isExpanded(node))
  }

  /// Right arrow: expands a collapsed directory, or steps into an expanded one.
  package mutating func expandOrEnter() {
    guard let node = cursorNode, isDirectory(node) else { return }
    if isExpanded(node) { moveCursor(by: 1) } else { setExpanded(node, true) }
  }

  /// Left arrow: collapses an expanded directory, or goes to the parent.
  package mutating func collapseOrLeave() {
    guard let node = cursorNode else { return }
    if isDirectory(node) && isExpanded(node) {
      setExpanded(node, false)
      return
    }
    let parent = analysis.tree.nodes[Int(node)].parent
    if parent > 0, let row = rows.firstIndex(where: { $0.node == parent }) { setCursor(row) }
  }

  /// Expands every directory, or collapses them all when all are expanded.
  package mutating func toggleAll() {
    let keep = cursorNode
    if filter != nil {
      collapsedWhileFiltering = collapsedWhileFiltering.isEmpty ? Set(rows.map(\.node).filter(isDirectory)) : []
    } else {
      expandedByDefault = !(expandedByDefault && expansionExceptions.isEmpty)
      expansionExceptions = []
    }
    rebuild(keeping: keep)
  }

  mutating func setExpanded(_ node: Int32, _ expanded: Bool) {
    if filter != nil {
      if expanded { collapsedWhileFiltering.remove(node) } else { collapsedWhileFiltering.insert(node) }
    } else if expanded == expandedByDefault {
      expansionExceptions.remove(node)
    } else {
      expansionExceptions.insert(node)
    }
    rebuild(keeping: cursorNode)
  }

  // MARK: Cursor

  /// Moves the cursor by `delta` lines.
  package mutating func moveCursor(by delta: Int) { setCursor(cursor + delta) }
  /// Moves the cursor a page.
  package mutating func page(by pages: Int) { setCursor(cursor + pages * max(1, height - 1)) }
  /// Moves the cursor to the first line.
  package mutating func moveToTop() { setCursor(0) }
  /// Moves the cursor to the last line.
  package mutating func moveToBottom() { setCursor(rows.count - 1) }

  mutating func setCursor(_ row: Int) {
    cursor = max(0, min(row, rows.count - 1))
    scrollToCursor()
  }

  mutating func scrollToCursor() {
    if cursor < top { top = cursor }
    if cursor >= top + height { top = cursor - height + 1 }
    top = max(0, min(top, max(0, rows.count - height)))
  }

  /// Puts the cursor on `path` as of the selected layer: expands its parents, shows its kind,
  /// and clears a filter that hides it.
  /// - Returns: false when the path is not in the tree at this layer.
  @discardableResult
  package mutating func reveal(path: String) -> Bool {
    let relative = path.hasPrefix("/") ? String(path.dropFirst()) : path
    guard let node = analysis.tree.lookup(relative), let mark = snapshot.mark(of: node) else { return false }
    hiddenMarks.remove(mark)
    if let filter, !filter.matches("/" + relative) { self.filter = nil }
    if mode == .changesOnly && mark == .unchanged && !snapshot.isListed(node) { mode = .wholeTree }
    var parent = analysis.tree.nodes[Int(node)].parent
    while parent > 0 {
      if filter != nil {
        collapsedWhileFiltering.remove(parent)
      } else if !isExpanded(parent) {
        if expandedByDefault { expansionExceptions.remove(parent) } else { expansionExceptions.insert(parent) }
      }
      parent = analysis.tree.nodes[Int(parent)].parent
    }
    rebuild(keeping: node)
    guard let row = rows.firstIndex(where: { $0.node == node }) else { return false }
    cursor = row
    top = max(0, min(row - height / 2, max(0, rows.count - height)))
    return true
  }

  // MARK: Facts about nodes

  /// The node's version at the selected layer (or the one removed since the base).
  package func version(of node: Int32) -> PathVersion? {
    if let span = timeline.span(of: node, at: Int32(snapshot.layer)) {
      return timeline.version(span, of: node, in: analysis.tree)
    }
    guard let base = snapshot.base, let span = timeline.span(of: node, at: Int32(base)) else { return nil }
    return timeline.version(span, of: node, in: analysis.tree)
  }

  /// Bytes at or under the node as shown: with a filter, only the matching paths count.
  package func bytes(of node: Int32) -> Int64 { inclusion?.bytes(of: node) ?? snapshot.bytes(of: node) }

  /// Whether the node is a directory at the selected layer.
  package func isDirectory(_ node: Int32) -> Bool { version(of: node)?.kind == .directory }

  /// The node's `/`-rooted path.
  package func path(of node: Int32) -> String { "/" + analysis.tree.path(of: node) }
}
