import ImageModel
import MergedTree

/// Computes `DiveFigures` from the layers exactly as dive 0.13.1 does.
///
/// dive builds a tree per layer and visits only its leaves (entries with nothing listed under
/// them in that layer). A whiteout's size is what the lower layers, stacked dive's way, hold at
/// that path: the whole subtree for a directory, 0 for a file. When the path is not there,
/// dive's visit of that layer stops (its error is only logged): the leaves it would have
/// visited after it, children before parents and siblings in byte order, are not counted.
///
/// The emulation runs on the merged tree's nodes (every path dive can name is one of them), with
/// flat arrays instead of dive's per-layer trees, so it costs time and memory in proportion to
/// the entries, and a whiteout costs what it deletes.
package enum DiveEfficiency {
  /// Computes the figures for `layers`, bottom first; `tree` is the merged tree of those layers.
  package static func compute(_ layers: [LayerContents], tree: FileTree) -> DiveFigures {
    var counter = Counter(for: layers)
    for (index, layer) in layers.enumerated() { counter.add(layer, index: index, tree: tree) }
    return counter.figures(tree: tree)
  }

  /// dive's figures counted a layer at a time, each layer right after the tree merged it (or
  /// after the whole tree is built: the figures are the same), so that a layer's entries can be
  /// let go once counted.
  package struct Counter {
    private var run: DiveRun
    private var headerBytes: [Int64] = []

    /// A counter for `layers`, which it then takes one at a time through `add(_:index:tree:)`
    /// (it looks at all of them first only to learn whether any has a whiteout).
    package init(for layers: some Sequence<LayerContents>) { run = DiveRun(needsStack: DiveRun.needsStack(layers)) }

    /// A counter told whether to keep dive's stacked tree (needed when a layer has a whiteout;
    /// kept without one, it changes no figure).
    init(needsStack: Bool) { run = DiveRun(needsStack: needsStack) }

    /// Counts layer `index`, which `tree` holds with every layer below it.
    package mutating func add(_ layer: LayerContents, index: Int, tree: FileTree) {
      run.add(layer, index: index, tree: tree)
      headerBytes.append(layer.headerBytes)
    }

    /// The figures of the layers counted, `tree` being their whole merged tree.
    package func figures(tree: FileTree) -> DiveFigures {
      let sizeBytes = headerBytes.reduce(0, +)
      let userSizeBytes = headerBytes.dropFirst().reduce(0, +)
      let inefficiencies = run.table.inefficiencies(tree: tree)
      let wasted = inefficiencies.reduce(0) { $0 + $1.cumulativeBytes }
      let (minimum, discovered) = run.table.totals
      return DiveFigures(
        efficiency: discovered == 0 ? 1.0 : Double(minimum) / Double(discovered),
        wastedBytes: wasted, sizeBytes: sizeBytes, userSizeBytes: userSizeBytes,
        userWastedFraction: Double(wasted) / Double(userSizeBytes),
        inefficiencies: inefficiencies.sorted {
          ($0.cumulativeBytes, $1.path) > ($1.cumulativeBytes, $0.path)
        })
    }
  }
}

/// Per-path sums for the efficiency score, by node (and by path for paths no layer listed).
struct EfficiencyTable {
  static let absent = Int64.min
  var cumulative: [Int64]
  var minimum: [Int64]
  var count: [Int32]
  var unnamed: [String: Int64] = [:]

  init(nodes: Int) {
    cumulative = Array(repeating: 0, count: nodes)
    minimum = Array(repeating: Self.absent, count: nodes)
    count = Array(repeating: 0, count: nodes)
  }

  /// Makes room for nodes up to `nodes`.
  mutating func grow(to nodes: Int) {
    let added = nodes - count.count
    guard added > 0 else { return }
    cumulative.append(contentsOf: repeatElement(0, count: added))
    minimum.append(contentsOf: repeatElement(Self.absent, count: added))
    count.append(contentsOf: repeatElement(0, count: added))
  }

  /// Creates the entry with dive's initial minimum of -1 if it has none.
  mutating func touch(node: Int32, path: String) {
    if node >= 0 {
      if minimum[Int(node)] == Self.absent { minimum[Int(node)] = -1 }
    } else if unnamed[path] == nil {
      unnamed[path] = -1
    }
  }

  mutating func add(node: Int32, size: Int64) {
    let index = Int(node)
    cumulative[index] += size
    if minimum[index] < 0 || size < minimum[index] { minimum[index] = size }
    count[index] += 1
  }

  var totals: (minimum: Int64, discovered: Int64) {
    var minimumSum: Int64 = 0
    var discovered: Int64 = 0
    for index in minimum.indices where minimum[index] != Self.absent {
      minimumSum += minimum[index]
      discovered += cumulative[index]
    }
    return (minimumSum + unnamed.values.reduce(0, +), discovered)
  }

  func inefficiencies(tree: FileTree) -> [Inefficiency] {
    count.indices.compactMap { index in
      count[index] >= 2
        ? Inefficiency(
          path: "/" + tree.path(of: Int32(index)), count: Int(count[index]), cumulativeBytes: cumulative[index])
        : nil
    }
  }
}
