import ImageModel
import MergedTree

/// Finds which entry of its layer wrote a copy of a file, for content sources that read an
/// entry where its content starts (`ContentRequest.entry`) instead of walking the layer.
package enum EntryLocator {
  /// A node in one layer: the copy of the node's path that layer wrote.
  package struct LayerNode: Hashable {
    package var layer: Int
    package var node: Int32

    package init(layer: Int, node: Int32) {
      self.layer = layer
      self.node = node
    }
  }

  /// The entry of each copy: the last entry of its layer that landed on its node and wrote it
  /// (the one that wins), with the copy's size; found in one scan of each layer's entries, with
  /// no path built. Copies whose entry is not found are left out.
  package static func entries(of sizes: [LayerNode: Int64], in tree: FileTree) -> [LayerNode: KnownEntry] {
    var byLayer: [Int: [Int32: Int64]] = [:]
    for (copy, size) in sizes { byLayer[copy.layer, default: [:]][copy.node] = size }
    var found: [LayerNode: KnownEntry] = [:]
    // Marks the nodes wanted in the layer being scanned, without a hash per entry.
    var wanted = [Int32](repeating: -1, count: tree.nodes.count)
    for (layer, nodes) in byLayer where layer >= 0 && layer < tree.entryNodes.count {
      for node in nodes.keys where node >= 0 && Int(node) < wanted.count { wanted[Int(node)] = Int32(layer) }
      let landed = tree.entryNodes[layer]
      let kinds = tree.entryChanges[layer]
      for position in landed.indices {
        let node = landed[position]
        guard node >= 0, Int(node) < wanted.count, wanted[Int(node)] == Int32(layer),
          kinds[position] == .added || kinds[position] == .changed, let size = nodes[node]
        else { continue }
        found[LayerNode(layer: layer, node: node)] = KnownEntry(position: Int32(position), size: size)
      }
    }
    return found
  }

  /// The entries of the latest versions of `nodes` (regular files), each in the layer that
  /// wrote it.
  package static func latestEntries(of nodes: [Int32], in tree: FileTree) -> [LayerNode: KnownEntry] {
    var sizes: [LayerNode: Int64] = [:]
    for node in nodes where node >= 0 && Int(node) < tree.nodes.count {
      let current = tree.nodes[Int(node)]
      guard current.kind == .regular, current.layer >= 0 else { continue }
      sizes[LayerNode(layer: Int(current.layer), node: node)] = current.size
    }
    return entries(of: sizes, in: tree)
  }
}
