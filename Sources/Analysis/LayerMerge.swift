import ImageModel
import MergedTree
import Synchronization

/// Merges an image's layers while the image is still being read.
///
/// The loader hands over each layer as soon as it and every layer below it are read
/// (`LoadOptions.layerReady`, on the threads that read the layers), and
/// `Analyzer.analyze(_:keepingLayerEntries:merged:)` then takes the tree from here instead of
/// merging the layers after the last one is read. The merge (a fifth of a run on an image of
/// 60,000 files) thus overlaps the reading of the layers above, where it ran alone on one core.
package final class LayerMerge: Sendable {
  private struct State: Sendable {
    var tree = FileTree(expectedEntries: 0)
    /// dive's figures must know before the first layer whether any layer has a whiteout, which
    /// layers handed over one at a time cannot say: the counter keeps the stack whiteouts need
    /// from the start (the figures are the same either way).
    var counter = DiveEfficiency.Counter(needsStack: true)
    /// What each layer merged held, to check that the image's layers are the ones merged.
    var entryCounts: [Int] = []
    var headerBytes: [Int64] = []
  }

  private let state = Mutex(State())
  /// Whether the image may let go of a layer's entries once it is merged (see `add`).
  private let releasesEntries: Bool

  /// - Parameter keepingLayerEntries: whether the analysis keeps each layer's entries (as
  ///   `Analyzer.analyze(_:keepingLayerEntries:merged:)`); when not, the image lets go of each
  ///   layer's entries as soon as it is merged, so that all of them and the whole tree are never
  ///   alive together.
  package init(keepingLayerEntries: Bool = true) { releasesEntries = !keepingLayerEntries }

  /// Merges layer `index`; layers must come bottom first, one at a time. One out of turn is
  /// ignored (the image then does not match, and `Analyzer` merges it again). Returns whether
  /// the image may let go of the layer's entries (`LoadOptions.layerReady`).
  @discardableResult
  package func add(_ index: Int, _ contents: LayerContents) -> Bool {
    state.withLock { state in
      guard index == state.entryCounts.count else { return false }
      state.tree.merge(contents)
      state.counter.add(contents, index: index, tree: state.tree)
      state.entryCounts.append(contents.entries.count)
      state.headerBytes.append(contents.headerBytes)
      return releasesEntries
    }
  }

  /// How many layers have been merged (none once `take` has taken them).
  package var mergedLayers: Int { state.withLock { $0.entryCounts.count } }

  /// The tree, dive's counter and each layer's entry count, taken out, when they were made from
  /// exactly `layers`' contents (as many layers, with as many header bytes each, and as many
  /// entries, or none where the image let them go); nil otherwise.
  func take(matching layers: [Layer]) -> (tree: FileTree, counter: DiveEfficiency.Counter, entryCounts: [Int])? {
    state.withLock { state in
      guard state.headerBytes == layers.map(\.contents.headerBytes),
        zip(state.entryCounts, layers).allSatisfy({ count, layer in
          layer.contents.entries.count == count || (releasesEntries && layer.contents.entries.isEmpty)
        })
      else { return nil }
      let taken = (state.tree, state.counter, state.entryCounts)
      state = State()
      return taken
    }
  }
}
