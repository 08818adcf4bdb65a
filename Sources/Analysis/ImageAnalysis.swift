import ImageModel
import MergedTree

/// Everything strata computes about one image, ready for any renderer.
package struct ImageAnalysis: Sendable {
  /// The image as read.
  package var image: Image
  /// The merged filesystem.
  package var tree: FileTree
  /// dive's figures, by dive's definitions.
  package var dive: DiveFigures
  /// One summary per layer, bottom first.
  package var layers: [LayerSummary]
  /// Every oddity found, image and layers.
  package var anomalies: [Anomaly]

  /// Bytes of the final filesystem.
  package var finalBytes: Int64 { tree.totalBytes }
  /// Non-directory paths in the final filesystem.
  package var fileCount: Int { tree.fileCount }
}

/// One layer's figures.
package struct LayerSummary: Sendable, Hashable {
  /// The layer's metadata.
  package var descriptor: LayerDescriptor
  /// Entries in the tar.
  package var entries: Int
  /// Sum of header sizes (dive's layer size).
  package var sizeBytes: Int64
  /// What it did to the tree.
  package var changes: LayerChanges
  /// Bytes of the final filesystem whose content this layer gave.
  package var survivingBytes: Int64
  /// Compression found in its blob.
  package var compression: [String]
}

/// Builds an `ImageAnalysis` from an `Image`.
package enum Analyzer {
  /// Merges the layers and computes every figure.
  ///
  /// With `keepingLayerEntries` false, each layer's list of entries is let go as soon as the tree
  /// and dive's figures have counted it, which lowers the peak by about 75 bytes an entry: for
  /// commands that never list a layer's own entries (`strata ci`, and `strata analyze` in every
  /// format but the text report with `--layer`). The per-layer view (`LayerView`: `--layer`, the
  /// explorer) needs them. Layer summaries keep their entry counts either way. The entries are
  /// only freed when the caller hands over the image's last copy.
  /// - Parameter merged: the layers merged while the image was read (`LayerMerge`); used when
  ///   it holds exactly this image's layers, merged here otherwise.
  package static func analyze(_ image: consuming Image, keepingLayerEntries: Bool = true, merged: LayerMerge? = nil)
    -> ImageAnalysis
  {
    var image = image
    var entryCounts = image.layers.map(\.contents.entries.count)
    var tree: FileTree
    var counter: DiveEfficiency.Counter
    if let early = merged?.take(matching: image.layers) {
      (tree, counter, entryCounts) = early
      if !keepingLayerEntries {
        for index in image.layers.indices { image.layers[index].contents.entries = [] }
      }
    } else {
      tree = FileTree(expectedEntries: image.layers.reduce(0) { $0 + $1.contents.entries.count })
      counter = DiveEfficiency.Counter(for: image.layers.lazy.map(\.contents))
      for index in image.layers.indices {
        tree.merge(image.layers[index].contents)
        counter.add(image.layers[index].contents, index: index, tree: tree)
        if !keepingLayerEntries { image.layers[index].contents.entries = [] }
      }
    }
    tree.finishMerging()
    if !keepingLayerEntries {
      // The analyses ask for contents by entry (`EntryLocator`) from here on: a streamed image's
      // content source can let its copy of the entries go too.
      image.content = image.content?.releasingEntries()
      // Freed pages in the middle of the heap stay mapped until trimmed: hand them back.
      MemoryTrim.returnFreePages()
    }
    let dive = counter.figures(tree: tree)
    var surviving = [Int64](repeating: 0, count: image.layers.count)
    // `tree.isPresent(_:)`, not the node's: see there.
    for index in tree.nodes.indices where tree.isPresent(index) {
      let owner = tree.orphanedLinks[Int32(index)]?.layer ?? tree.nodes[index].layer
      guard owner >= 0 && Int(owner) < surviving.count else { continue }
      surviving[Int(owner)] += tree.contentBytes(of: Int32(index))
    }
    let layers = image.layers.enumerated().map { index, layer in
      LayerSummary(
        descriptor: layer.descriptor, entries: entryCounts[index], sizeBytes: layer.contents.headerBytes,
        changes: index < tree.layerChanges.count ? tree.layerChanges[index] : LayerChanges(),
        survivingBytes: surviving[index], compression: layer.contents.compression)
    }
    return ImageAnalysis(
      image: image, tree: tree, dive: dive, layers: layers, anomalies: image.anomalies + tree.anomalies)
  }
}
