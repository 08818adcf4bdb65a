import ImageModel
import MergedTree

/// What one layer did, path by path.
package struct LayerView: Sendable {
  /// One path the layer touched.
  package struct Item: Sendable, Hashable {
    /// `/`-rooted path.
    package var path: String
    /// Bytes the entry holds (for removals: the bytes removed, subtree included).
    package var bytes: Int64
    /// Files involved (for removals: files removed under the path).
    package var files: Int
    /// What it is.
    package var kind: EntryKind
  }

  /// The layer.
  package var layer: LayerSummary
  /// Paths new to the tree, largest first.
  package var added: [Item]
  /// Paths that existed below and were written again, largest first.
  package var changed: [Item]
  /// Paths its whiteouts and opaque markers removed, largest first.
  package var removed: [Item]
}

extension ImageAnalysis {
  /// What layer `index` added, changed and removed, leaving out items smaller than `minBytes`
  /// and directories listed again unchanged.
  package func layerView(_ index: Int, minBytes: Int64 = 0) -> LayerView? {
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
