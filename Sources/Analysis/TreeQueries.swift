import ImageModel
import MergedTree

/// A path of the final filesystem with its size and the layer that gave it.
package struct PathSize: Sendable, Hashable {
  /// `/`-rooted path.
  package var path: String
  /// Bytes (for a directory: everything present under it).
  package var bytes: Int64
  /// Files under it (1 for a file).
  package var files: Int
  /// The layer that gave its final content (`-1` for directories no layer listed).
  package var layer: Int
  /// What it is.
  package var kind: EntryKind
}

/// One line of a tree listing: a node at a depth, with whether it is the last of its siblings
/// at each level above (so a renderer can draw the branches).
package struct TreeLine: Sendable, Hashable {
  /// The entry.
  package var item: PathSize
  /// The last path component.
  package var name: String
  /// 1 for top-level entries.
  package var depth: Int
  /// For each level from 1 to `depth`, whether the node on that level is the last sibling.
  package var lastFlags: [Bool]
  /// Children left out because of the depth limit or the minimum size.
  package var hiddenChildren: Int
  /// Symlink target, when a symlink.
  package var linkTarget: String?
}

extension ImageAnalysis {
  /// The size entry of node `index` (CIPolicy's path budgets list them).
  package func pathSize(_ index: Int32) -> PathSize {
    PathSize(
      path: "/" + tree.path(of: index), bytes: tree.subtreeBytes[Int(index)], files: Int(tree.subtreeFiles[Int(index)]),
      layer: Int(tree.nodes[Int(index)].layer), kind: tree.nodes[Int(index)].kind)
  }

  /// The largest files of the final filesystem, largest first (ties by path).
  package func largestFiles(limit: Int) -> [PathSize] {
    var candidates: [(Int64, Int32)] = []
    // `tree.isPresent(_:)`, not the node's: see there.
    let nodes = tree.nodes
    for index in nodes.indices.dropFirst() where tree.isPresent(index) && nodes[index].kind == .regular {
      candidates.append((nodes[index].size, Int32(index)))
    }
    return top(candidates, limit: limit)
  }

  /// The largest directories up to `maxDepth` levels deep, largest first.
  package func largestDirectories(limit: Int, maxDepth: Int = 3) -> [PathSize] {
    var depth = [Int](repeating: 0, count: tree.nodes.count)
    var candidates: [(Int64, Int32)] = []
    let nodes = tree.nodes
    for index in nodes.indices.dropFirst() {
      depth[index] = depth[Int(nodes[index].parent)] + 1
      guard tree.isPresent(index) && tree.isDirectory(index) && depth[index] <= maxDepth else { continue }
      // A directory whose bytes all sit in one child directory says nothing the child does not.
      let bytes = tree.subtreeBytes[index]
      let explainedByChild =
        depth[index] < maxDepth && bytes > 0
        && tree.children(of: Int32(index)).contains {
          tree.isPresent(Int($0)) && tree.isDirectory(Int($0)) && tree.subtreeBytes[Int($0)] == bytes
        }
      if !explainedByChild { candidates.append((bytes, Int32(index))) }
    }
    return top(candidates, limit: limit)
  }

  /// The `limit` largest, ties broken by path. Only the candidates that can make the cut are
  /// sorted by path (building paths for all of a big image would dominate the run).
  private func top(_ candidates: [(Int64, Int32)], limit: Int) -> [PathSize] {
    guard limit > 0, !candidates.isEmpty else { return [] }
    let threshold = Self.smallestOfLargest(candidates.lazy.map(\.0), count: limit)
    let finalists = candidates.filter { $0.0 >= threshold }.map {
      (bytes: $0.0, path: "/" + tree.path(of: $0.1), node: $0.1)
    }
    return finalists.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.path < $1.path }.prefix(limit).map {
      pathSize($0.node)
    }
  }

  /// The `count`-th largest of `sizes` (the smallest of all when there are fewer), in one pass
  /// that keeps the `count` largest seen in a min-heap: most sizes fail the first comparison,
  /// where sorting a million of them took a tenth of a second.
  static func smallestOfLargest(_ sizes: some Sequence<Int64>, count: Int) -> Int64 {
    var heap: [Int64] = []
    heap.reserveCapacity(count)
    for size in sizes {
      if heap.count < count {
        heap.append(size)
        var child = heap.count - 1
        while child > 0, heap[(child - 1) / 2] > heap[child] {
          heap.swapAt(child, (child - 1) / 2)
          child = (child - 1) / 2
        }
      } else if size > heap[0] {
        heap[0] = size
        var parent = 0
        while true {
          let left = 2 * parent + 1
          let right = left + 1
          var smallest = parent
          if left < heap.count && heap[left] < heap[smallest] { smallest = left }
          if right < heap.count && heap[right] < heap[smallest] { smallest = right }
          if smallest == parent { break }
          heap.swapAt(parent, smallest)
          parent = smallest
        }
      }
    }
    return heap[0]
  }

  /// Every present file of the final filesystem in path order (for CSV).
  package func allFiles() -> [PathSize] {
    var result: [PathSize] = []
    result.reserveCapacity(Int(tree.subtreeFiles.first ?? 0))
    // Each path is its parent's and a name: made as the walk goes down, not from the root for
    // every node (`pathSize(_:)`).
    var stack: [(node: Int32, parentPath: String)] = [(FileTree.root, "")]
    while let (current, parentPath) = stack.popLast() {
      var path = parentPath
      if current != FileTree.root {
        path += "/"
        path += tree.nodes[Int(current)].name
        result.append(
          PathSize(
            path: path, bytes: tree.subtreeBytes[Int(current)], files: Int(tree.subtreeFiles[Int(current)]),
            layer: Int(tree.nodes[Int(current)].layer), kind: tree.nodes[Int(current)].kind))
      }
      for child in tree.presentChildren(of: current).reversed() { stack.append((child, path)) }
    }
    return result
  }

  /// The tree below `path` (`""` for the root), children largest first, to `maxDepth` levels,
  /// leaving out entries smaller than `minBytes`.
  package func treeLines(under path: String = "", maxDepth: Int = .max, minBytes: Int64 = 0) -> [TreeLine] {
    guard let start = tree.lookup(path), tree.nodes[Int(start)].isPresent else { return [] }
    // An explicit stack, not recursion: an image can nest directories thousands deep.
    var lines: [TreeLine] = []
    var pending: [(node: Int32, depth: Int, flags: [Bool], last: Bool)] = []
    func push(childrenOf index: Int32, depth: Int, flags: [Bool]) {
      let shown = sortedChildren(index).filter { tree.subtreeBytes[Int($0)] >= minBytes }
      for (position, child) in shown.enumerated().reversed() {
        pending.append((child, depth, flags, position == shown.count - 1))
      }
    }
    push(childrenOf: start, depth: 1, flags: [])
    while let (child, depth, flags, last) = pending.popLast() {
      let node = tree.nodes[Int(child)]
      let grandchildren = node.isDirectory ? sortedChildren(child) : []
      let deeper = depth < maxDepth
      let visible = deeper ? grandchildren.filter { tree.subtreeBytes[Int($0)] >= minBytes }.count : 0
      lines.append(
        TreeLine(
          item: pathSize(child), name: node.name, depth: depth, lastFlags: flags + [last],
          hiddenChildren: grandchildren.count - visible,
          linkTarget: node.kind == .symlink ? tree.linkTarget(of: child) : nil))
      if deeper && node.isDirectory { push(childrenOf: child, depth: depth + 1, flags: flags + [last]) }
    }
    return lines
  }

  private func sortedChildren(_ index: Int32) -> [Int32] {
    tree.presentChildren(of: index).sorted { lhs, rhs in
      let left = tree.subtreeBytes[Int(lhs)]
      let right = tree.subtreeBytes[Int(rhs)]
      return left != right ? left > right : tree.nodes[Int(lhs)].name < tree.nodes[Int(rhs)].name
    }
  }
}
