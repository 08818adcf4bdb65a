import Analysis
import ImageModel
import MergedTree

/// The tree as of one layer: each path's mark against a base (the layer below, or for dive's
/// aggregated view the first layer), its bytes, and the marks found under it. Built in two
/// passes over the nodes, once per layer looked at.
package struct LayerSnapshot: Sendable {
  /// The layer.
  package let layer: Int
  /// The layer the marks compare against (nil: nothing, every path is added).
  package let base: Int?
  /// Files (every kind but directories) marked added, modified and removed: the same marks the
  /// tree draws, so a layer's counts and its tree never disagree.
  package private(set) var fileCounts = FileCounts()
  /// Per node: 0 when the path exists neither here nor below, else a `ChangeMark` raw value,
  /// with `listedFlag` set when this layer's tar lists the path again unchanged.
  private var marks: [UInt8]
  /// Per node: the `KindMask` bits of the node and everything under it.
  private var masks: [UInt8]
  /// Per node: bytes present at this layer (for removed paths: the bytes that went).
  private var sizes: [Int64]

  static let listedFlag: UInt8 = 0x10

  /// Marked files of each kind.
  package struct FileCounts: Sendable, Hashable {
    /// Files marked added, modified, removed.
    package var added = 0, modified = 0, removed = 0
  }

  /// Computes the snapshot of `layer`, marked against the layer below, or with `aggregated`
  /// (dive's Ctrl+A) against the first layer: every change since the base.
  package init(analysis: ImageAnalysis, timeline: NodeTimeline, layer: Int, aggregated: Bool = false) {
    let tree = analysis.tree
    let count = tree.nodes.count
    let now = Int32(layer)
    let chosen: Int? = layer > 0 ? (aggregated ? 0 : layer - 1) : nil
    var marks = [UInt8](repeating: 0, count: count)
    var sizes = [Int64](repeating: 0, count: count)
    var counts = FileCounts()
    for position in 1..<max(count, 1) {
      let node = Int32(position)
      let present = timeline.span(of: node, at: now)
      let before = chosen.flatMap { timeline.span(of: node, at: Int32($0)) }
      let mark: ChangeMark
      switch (present, before) {
      case (nil, nil): continue
      case (let span?, nil):
        mark = .added
        sizes[position] = Self.contentBytes(tree, node, span)
      case (nil, let span?):
        mark = .removed
        sizes[position] = Self.contentBytes(tree, node, span)
      case (let span?, let old?):
        mark = span == old ? .unchanged : .modified
        sizes[position] = Self.contentBytes(tree, node, span)
      }
      marks[position] = mark.rawValue
      if mark != .unchanged, (present ?? before).map({ timeline.kind($0, of: node, in: tree) }) != .directory {
        switch mark {
        case .added: counts.added += 1
        case .modified: counts.modified += 1
        case .removed: counts.removed += 1
        case .unchanged: break
        }
      }
    }
    // Paths the layer's tar lists again unchanged: files only (a directory listed again
    // unchanged is noise), and only when comparing with the layer below.
    if chosen == layer - 1, layer >= 0, layer < tree.entryChanges.count, layer < analysis.image.layers.count {
      let entries = analysis.image.layers[layer].contents.entries
      for (position, change) in tree.entryChanges[layer].enumerated() where change == .unchanged {
        guard position < entries.count, entries[position].kind != .directory,
          let node = tree.lookup(entries[position].path)
        else { continue }
        if marks[Int(node)] == ChangeMark.unchanged.rawValue { marks[Int(node)] |= Self.listedFlag }
      }
    }
    var masks = [UInt8](repeating: 0, count: count)
    for position in stride(from: count - 1, through: 1, by: -1) where marks[position] != 0 {
      let raw = marks[position]
      masks[position] |= raw & Self.listedFlag != 0 ? KindMask.listed : ChangeMark(rawValue: raw & 0x0F)?.bit ?? 0
      let parent = Int(tree.nodes[position].parent)
      masks[parent] |= masks[position]
      if Self.addsToParent(marks, parent: parent, child: position) { sizes[parent] += sizes[position] }
    }
    self.layer = layer
    self.base = chosen
    self.fileCounts = counts
    self.marks = marks
    self.masks = masks
    self.sizes = sizes
  }

  /// The node's mark, or nil when the path exists neither at this layer nor below.
  package func mark(of node: Int32) -> ChangeMark? { ChangeMark(rawValue: marks[Int(node)] & 0x0F) }

  /// The mark to draw: an unchanged directory with changes under it is drawn as modified.
  package func shownMark(of node: Int32) -> ChangeMark? {
    guard let mark = mark(of: node) else { return nil }
    if mark == .unchanged && masks[Int(node)] & KindMask.changes != 0 { return .modified }
    return mark
  }

  /// Whether this layer's tar lists the (unchanged) path again.
  package func isListed(_ node: Int32) -> Bool { marks[Int(node)] & Self.listedFlag != 0 }

  /// The `KindMask` bit of the node alone (0 when absent).
  func ownBit(of node: Int32) -> UInt8 {
    let raw = marks[Int(node)]
    if raw & Self.listedFlag != 0 { return KindMask.listed }
    return ChangeMark(rawValue: raw & 0x0F)?.bit ?? 0
  }

  /// The `KindMask` bits of the node and everything under it.
  func mask(of node: Int32) -> UInt8 { masks[Int(node)] }

  /// Bytes at or under the node at this layer; for a removed path, the bytes that went.
  package func bytes(of node: Int32) -> Int64 { sizes[Int(node)] }

  /// Whether the node's bytes count in its parent's: removed bytes add up under a removed
  /// parent, present bytes under a present one (the root counts present bytes only).
  func addsToParent(_ node: Int32, parent: Int32) -> Bool {
    Self.addsToParent(marks, parent: Int(parent), child: Int(node))
  }

  private static func addsToParent(_ marks: [UInt8], parent: Int, child: Int) -> Bool {
    let removed = ChangeMark.removed.rawValue
    if parent == 0 { return marks[child] & 0x0F != removed }
    return (marks[parent] & 0x0F == removed) == (marks[child] & 0x0F == removed)
  }

  private static func contentBytes(_ tree: FileTree, _ node: Int32, _ span: NodeTimeline.Span) -> Int64 {
    switch span.version {
    case NodeTimeline.latest: return tree.nodes[Int(node)].contentBytes
    case NodeTimeline.implied: return 0
    default:
      guard let version = tree.earlierVersions[node]?[Int(span.version)] else { return 0 }
      return version.kind == .regular ? version.size : 0
    }
  }
}
