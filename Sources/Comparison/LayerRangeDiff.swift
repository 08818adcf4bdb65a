import Analysis
import ImageModel
import MergedTree
import PackageDatabases

/// What a range of one image's layers did together: the filesystem after the layer below the
/// range compared with the filesystem after its last layer.
package struct LayerRangeDiff: Sendable {
  /// The range, bottom and top layer indices (inclusive).
  package var lower: Int
  package var upper: Int
  /// The layers of the range.
  package var layers: [LayerSummary]
  /// Bytes the range's layers ship (sum of their header sizes).
  package var shippedBytes: Int64
  /// The differences: baseline = after layer `lower - 1` (empty for 0), other = after `upper`.
  package var diff: FileDiff

  /// Compares the filesystem before layer `lower` with the one after layer `upper`.
  /// - Returns: nil when the range is not within the image's layers.
  package static func compute(
    _ analysis: ImageAnalysis, lower: Int, upper: Int, contentBudget: Int64 = FileDiffer.defaultContentBudget
  ) -> LayerRangeDiff? {
    let count = analysis.image.layers.count
    guard lower >= 0, lower <= upper, upper < count else { return nil }
    let contents = analysis.image.layers.map(\.contents)
    let before = lower == 0 ? FileTree(layers: []) : FileTree(layers: Array(contents[..<lower]))
    let after = upper == count - 1 ? analysis.tree : FileTree(layers: Array(contents[...upper]))
    // Within one image a layer index is its identity: the same index is the same bytes.
    let ids: [String?] = analysis.image.layers.map { "#\($0.index)" }
    let content = analysis.image.content
    let diff = FileDiffer.diff(
      baseline: .init(tree: before, layerIDs: ids, content: content),
      other: .init(tree: after, layerIDs: ids, content: content),
      contentBudget: contentBudget)
    let layers = Array(analysis.layers[lower...upper])
    return LayerRangeDiff(
      lower: lower, upper: upper, layers: layers, shippedBytes: layers.reduce(0) { $0 + $1.sizeBytes }, diff: diff)
  }

  /// Parses `3..7` (or `3...7`, or a single `4`) into bounds.
  package static func parseRange(_ text: String) -> (lower: Int, upper: Int)? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: true)
    if parts.count == 1, !text.contains("."), let single = Int(parts[0]) { return (single, single) }
    guard parts.count == 2, text.contains(".."), let lower = Int(parts[0]), let upper = Int(parts[1]) else {
      return nil
    }
    return (lower, upper)
  }
}
