import ImageModel

/// Computes `DiveFigures` from the layers exactly as dive 0.13.1 does.
///
/// dive builds a tree per layer and visits only its leaves (entries with nothing listed under
/// them in that layer), children before parents, siblings in byte order. A whiteout's size is
/// the size of what the lower layers, stacked dive's way, hold at that path: the whole subtree
/// for a directory, 0 for a file. When the path is not there, dive's visit of that layer stops
/// (its error is only logged): the remaining leaves of the layer are not counted.
public enum DiveEfficiency {
  /// Computes the figures for `layers`, bottom first.
  public static func compute(_ layers: [LayerContents]) -> DiveFigures {
    var table = PathTable()
    let needsStack = layers.contains { layer in layer.entries.contains { $0.kind == .whiteout } }
    var stack = DiveStack()
    // Each layer's tree depends on that layer alone: build them all at once.
    let trees = Parallel.map(layers) { DiveLayerTree($0) }
    for (index, tree) in trees.enumerated() {
      // For layer 0 dive looks whiteouts up in a plain copy of layer 0's own tree.
      if index == 0 && needsStack { stack.stack(tree, applyingWhiteouts: false) }
      visit: for leaf in tree.leavesInVisitOrder() {
        var size = leaf.size
        if leaf.isWhiteout {
          guard let found = stack.node(at: leaf.components) else {
            // dive creates the path's entry (minimum -1), then its visit of this layer stops.
            table.touch(path: leaf.path)
            break visit
          }
          size = stack.isDirectory(found) ? stack.subtreeSize(found) : 0
        }
        table.add(path: leaf.path, size: size)
      }
      if needsStack { stack.stack(tree, applyingWhiteouts: true) }
    }
    let sizeBytes = layers.reduce(0) { $0 + $1.headerBytes }
    let userSizeBytes = layers.dropFirst().reduce(0) { $0 + $1.headerBytes }
    let wasted = table.inefficiencies.reduce(0) { $0 + $1.cumulativeBytes }
    return DiveFigures(
      efficiency: table.discovered == 0 ? 1.0 : Double(table.minimum) / Double(table.discovered),
      wastedBytes: wasted, sizeBytes: sizeBytes, userSizeBytes: userSizeBytes,
      userWastedFraction: Double(wasted) / Double(userSizeBytes),
      inefficiencies: table.inefficiencies.sorted {
        ($0.cumulativeBytes, $1.path) > ($1.cumulativeBytes, $0.path)
      })
  }
}

/// Per-path sums for the efficiency score.
private struct PathTable {
  struct Data {
    var cumulative: Int64 = 0
    var minimum: Int64 = -1
    var count = 0
  }
  var data: [String: Data] = [:]

  /// Creates the entry for `path` if it has none (minimum -1, nothing counted).
  mutating func touch(path: String) {
    if data[path] == nil { data[path] = Data() }
  }

  mutating func add(path: String, size: Int64) {
    var entry = data[path] ?? Data()
    entry.cumulative += size
    if entry.minimum < 0 || size < entry.minimum { entry.minimum = size }
    entry.count += 1
    data[path] = entry
  }

  var minimum: Int64 { data.values.reduce(0) { $0 + $1.minimum } }
  var discovered: Int64 { data.values.reduce(0) { $0 + $1.cumulative } }
  var inefficiencies: [Inefficiency] {
    data.compactMap { path, entry in
      entry.count >= 2 ? Inefficiency(path: path, count: entry.count, cumulativeBytes: entry.cumulative) : nil
    }
  }
}
