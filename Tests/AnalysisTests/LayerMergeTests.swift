import Analysis
import ImageLoading
import ImageModel
import MergedTree
import Synchronization
import TestSupport
import Testing

/// Layers merged while the image is read (`LayerMerge`, fed by `LoadOptions.layerReady`) give
/// the analysis that merging them after the load gives.
@Suite struct LayerMergeTests {
  /// Everything the merge decides, comparable: every node's path, kind, size, layer, removal
  /// and presence in index order, then the totals, dive's figures, the layer summaries and the
  /// anomalies.
  struct Outcome: Equatable {
    var nodes: [String]
    var totals: [Int64]
    var dive: DiveFigures
    var layers: [LayerSummary]
    var anomalies: [Anomaly]

    init(_ analysis: ImageAnalysis) {
      let tree = analysis.tree
      nodes = tree.nodes.indices.map { index in
        let node = tree.nodes[index]
        return
          "\(tree.path(of: Int32(index))) \(node.kind) \(node.size) \(node.layer) \(node.removedIn) \(tree.isPresent(index))"
      }
      totals = [tree.totalBytes, Int64(tree.fileCount), Int64(tree.directoryCount)]
      dive = analysis.dive
      layers = analysis.layers
      anomalies = analysis.anomalies
    }
  }

  static let images = [
    "images/wasteful/wasteful.tar", "images/compare/compare.tar", "images/busybox-app/busybox-app.tar",
    "images/busybox-app/busybox-app-oci-gzip.tar", "images/wasteful-clean/wasteful-clean.tar",
  ]

  @Test("merged while read equals merged after", arguments: images)
  func sameAnalysis(fixture: String) throws {
    let merge = LayerMerge()
    let handed = Mutex<[Int]>([])
    var options = LoadOptions(image: fixture.contains("compare") ? "localhost/strata/compare-app:v2" : nil)
    options.layerReady = { index, contents in
      handed.withLock { $0.append(index) }
      return merge.add(index, contents)
    }
    let image = try ImageLoader.load(fixtureURL(fixture).path, options: options)
    #expect(image.layers.count > 1, "a fixture of several layers, read concurrently")
    #expect(handed.withLock { $0 } == Array(image.layers.indices), "bottom first, each once")
    #expect(merge.mergedLayers == image.layers.count)
    let early = Analyzer.analyze(image, merged: merge)
    #expect(merge.mergedLayers == 0, "the analysis took the merged tree")
    #expect(Outcome(early) == Outcome(Analyzer.analyze(image)))
    let freed = Analyzer.analyze(image, keepingLayerEntries: false, merged: merge)
    #expect(Outcome(freed) == Outcome(early), "nothing left to take: merged again")
  }

  /// Without the layers' entries kept, the image lets each go once it is merged; the layer
  /// summaries still count them, and the analysis is the one made without letting go early.
  @Test("entries let go as layers are merged", arguments: images)
  func entriesLetGo(fixture: String) throws {
    let merge = LayerMerge(keepingLayerEntries: false)
    var options = LoadOptions(image: fixture.contains("compare") ? "localhost/strata/compare-app:v2" : nil)
    options.layerReady = { merge.add($0, $1) }
    let image = try ImageLoader.load(fixtureURL(fixture).path, options: options)
    #expect(image.layers.allSatisfy { $0.contents.entries.isEmpty }, "each layer's entries let go after its merge")
    let early = Analyzer.analyze(image, keepingLayerEntries: false, merged: merge)
    #expect(merge.mergedLayers == 0, "the analysis took the merged tree")
    let reference = Analyzer.analyze(
      try ImageLoader.load(fixtureURL(fixture).path, options: LoadOptions(image: options.image)),
      keepingLayerEntries: false)
    #expect(Outcome(early) == Outcome(reference))
    #expect(early.layers.map(\.entries).reduce(0, +) > 0)
  }

  /// Layers let go as they are merged still count toward the image's entry limit, and no layer
  /// that would pass it is handed over.
  @Test("the image's entry limit holds when entries are let go")
  func entryLimit() throws {
    let path = fixtureURL("images/wasteful/wasteful.tar").path
    let layers = try ImageLoader.load(path).layers.map(\.contents.entries.count)
    let merge = LayerMerge(keepingLayerEntries: false)
    var options = LoadOptions(maxTotalEntries: layers.reduce(0, +) - 1)
    options.layerReady = { merge.add($0, $1) }
    #expect(layers.last ?? 0 > 0, "the top layer has entries: it is the one that passes the limit")
    let error = #expect(throws: ImageLoadError.self) { try ImageLoader.load(path, options: options) }
    #expect(error?.kind == .tooLarge)
    #expect(merge.mergedLayers == layers.count - 1, "every layer but the one that passes the limit")
  }

  @Test("a merge that does not hold the image's layers is not used")
  func mismatchMergesAgain() throws {
    let image = try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path)
    let merge = LayerMerge()
    merge.add(0, image.layers[0].contents)
    merge.add(2, image.layers[2].contents)
    #expect(merge.mergedLayers == 1, "a layer out of turn is ignored")
    let analysis = Analyzer.analyze(image, merged: merge)
    #expect(merge.mergedLayers == 1, "left where it was")
    #expect(Outcome(analysis) == Outcome(Analyzer.analyze(image)))
  }
}
