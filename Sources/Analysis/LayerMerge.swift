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

  package init() {}

  /// Merges layer `index`; layers must come bottom first, one at a time. One out of turn is
  /// ignored (the image then does not match, and `Analyzer` merges it again).
  package func add(_ index: Int, _ contents: LayerContents) {
    state.withLock { state in
      guard index == state.entryCounts.count else { return }
      state.tree.merge(contents)
      state.counter.add(contents, index: index, tree: state.tree)
      state.entryCounts.append(contents.entries.count)
      state.headerBytes.append(contents.headerBytes)
    }
  }

  /// How many layers have been merged (none once `take` has taken them).
  package var mergedLayers: Int { state.withLock { $0.entryCounts.count } }

  /// The tree and dive's counter, taken out, when they were made from exactly `layers`' contents
  /// (as many layers, with as many entries and header bytes each); nil otherwise.
  func take(matching layers: [Layer]) -> (tree: FileTree, counter: DiveEfficiency.Counter)? {
    state.withLock { state in
      guard state.entryCounts == layers.map(\.contents.entries.count),
        state.headerBytes == layers.map(\.contents.headerBytes)
      else { return nil }
      let taken = (state.tree, state.counter)
      state = State()
      return taken
    }
  }
}
