import ImageModel
import MergedTree

/// What one layer did, path by path.
public struct LayerView: Sendable {
  /// One path the layer touched.
  public struct Item: Sendable, Hashable {
    /// `/`-rooted path.
    public var path: String
    /// Bytes the entry holds (for removals: the bytes removed, subtree included).
    public var bytes: Int64
    /// Files involved (for removals: files removed under the path).
    public var files: Int
    /// What it is.
    public var kind: EntryKind
  }

  /// The layer.
  public var layer: LayerSummary
  /// Paths new to the tree, largest first.
  public var added: [Item]
  /// Paths that existed below and were written again, largest first.
  public var changed: [Item]
  /// Paths its whiteouts and opaque markers removed, largest first.
  public var removed: [Item]
}

extension ImageAnalysis {
  /// What layer `index` added, changed and removed, leaving out items smaller than `minBytes`
  /// and directories listed again unchanged.
  public func layerView(_ index: Int, minBytes: Int64 = 0) -> LayerView? {
    guard index >= 0, index < image.layers.count, index < tree.entryChanges.count else { return nil }
    let entries = image.layers[index].contents.entries
    let kinds = tree.entryChanges[index]
    var added: [LayerView.Item] = []
    var changed: [LayerView.Item] = []
    for (position, entry) in entries.enumerated() where !entry.kind.isMarker && entry.size >= minBytes {
      let item = LayerView.Item(
        path: "/" + entry.path, bytes: entry.size, files: entry.kind == .directory ? 0 : 1, kind: entry.kind)
      switch kinds[position] {
      case .added: added.append(item)
      case .changed: changed.append(item)
      default: break
      }
    }
    let removed = tree.removals[index].filter { $0.bytes >= minBytes }.map { removal in
      LayerView.Item(
        path: "/" + removal.path, bytes: removal.bytes, files: removal.files,
        kind: tree.lookup(removal.path).map { tree.nodes[Int($0)].kind } ?? .unknown)
    }
    let order: (LayerView.Item, LayerView.Item) -> Bool = { lhs, rhs in
      lhs.bytes != rhs.bytes ? lhs.bytes > rhs.bytes : lhs.path < rhs.path
    }
    return LayerView(
      layer: layers[index], added: added.sorted(by: order), changed: changed.sorted(by: order),
      removed: removed.sorted(by: order))
  }
}
