import Analysis
import ImageModel
import MergedTree
import PackageDatabases

/// Computes a `FileDiff` by walking two merged trees side by side.
///
/// Metadata (kind, bytes, mode, owner, link target) comes from the tar headers. Content is
/// compared only where metadata cannot tell: same path, both regular files of the same
/// non-zero size and metadata. When both contents came from layers with the same diffID they
/// are the same bytes and nothing is read; otherwise both are fingerprinted (XXH3) through the
/// images' content sources, smallest first, until `contentBudget` bytes would be read. What
/// is left over is counted in `ContentComparison` and not called changed.
package enum FileDiffer {
  /// One side of a comparison.
  package struct Side: Sendable {
    /// The merged filesystem.
    package var tree: FileTree
    /// Per layer index, what identifies its content (diffID); equal IDs mean identical layers.
    package var layerIDs: [String?]
    /// Where file contents can be read, when they can.
    package var content: (any ContentSource)?

    /// Creates a side.
    package init(tree: FileTree, layerIDs: [String?], content: (any ContentSource)?) {
      self.tree = tree
      self.layerIDs = layerIDs
      self.content = content
    }

    func layerID(_ layer: Int32) -> String? {
      layer >= 0 && Int(layer) < layerIDs.count ? layerIDs[Int(layer)] : nil
    }
  }

  /// The default most bytes read to compare contents (both sides counted).
  package static let defaultContentBudget: Int64 = 256 << 20

  /// The differences of `other` from `baseline`. A `contentBudget` of 0 compares metadata only.
  package static func diff(baseline: Side, other: Side, contentBudget: Int64 = defaultContentBudget) -> FileDiff {
    var walk = Walk(baseline: baseline, other: other)
    walk.compare(FileTree.root, FileTree.root, path: "")
    var content = ContentComparison()
    content.sameLayerFiles = walk.sameLayer
    let different = compareContents(
      walk.candidates, baseline: baseline, other: other, budget: contentBudget, into: &content)
    for candidate in walk.candidates where different.contains(candidate.path) {
      let node = other.tree.nodes[Int(candidate.otherNode)]
      walk.changed.append(
        FileDiff.Item(
          path: "/" + candidate.path, kind: node.kind, before: candidate.size, after: candidate.size,
          changes: [.content], layer: Int(node.layer)))
    }
    return FileDiff(
      added: walk.added, removed: walk.removed, changed: walk.changed, baselineBytes: baseline.tree.totalBytes,
      otherBytes: other.tree.totalBytes, content: content)
  }

  /// A same-size, same-metadata pair whose content only a fingerprint can tell.
  struct Candidate {
    var path: String
    var baselineNode: Int32
    var otherNode: Int32
    var size: Int64
  }

  /// Fingerprints candidates (smallest first, within the budget); returns the paths whose
  /// contents differ.
  static func compareContents(
    _ candidates: [Candidate], baseline: Side, other: Side, budget: Int64, into summary: inout ContentComparison
  ) -> Set<String> {
    guard !candidates.isEmpty else { return [] }
    var chosen: [Candidate] = []
    var spent: Int64 = 0
    let available = baseline.content != nil && other.content != nil
    for candidate in candidates.sorted(by: { ($0.size, $0.path) < ($1.size, $1.path) }) {
      if available && spent + 2 * candidate.size <= budget {
        chosen.append(candidate)
        spent += 2 * candidate.size
      } else {
        summary.uncomparedFiles += 1
        summary.uncomparedBytes += candidate.size
      }
    }
    if !available {
      summary.notes.append("file contents are not available: same-size files compared by metadata only")
    } else if summary.uncomparedFiles > 0 {
      summary.notes.append(
        "\(summary.uncomparedFiles) same-size files compared by metadata only: reading them would pass the content budget"
      )
    }
    func requests(_ side: Side, _ node: (Candidate) -> Int32) -> [Int: [String: Int32]] {
      var result: [Int: [String: Int32]] = [:]
      for candidate in chosen {
        let index = node(candidate)
        result[Int(side.tree.nodes[Int(index)].layer), default: [:]][candidate.path] = index
      }
      return result
    }
    var baseFetcher = ContentFetcher(source: baseline.content)
    var otherFetcher = ContentFetcher(source: other.content)
    let before = baseFetcher.fetch(nodes: requests(baseline, \.baselineNode), headLimit: 0, tree: baseline.tree)
    let after = otherFetcher.fetch(nodes: requests(other, \.otherNode), headLimit: 0, tree: other.tree)
    summary.notes += baseFetcher.notes + otherFetcher.notes
    var different = Set<String>()
    for candidate in chosen {
      let baseLayer = Int(baseline.tree.nodes[Int(candidate.baselineNode)].layer)
      let otherLayer = Int(other.tree.nodes[Int(candidate.otherNode)].layer)
      guard let left = before[baseLayer]?[candidate.path], let right = after[otherLayer]?[candidate.path] else {
        summary.uncomparedFiles += 1
        summary.uncomparedBytes += candidate.size
        continue
      }
      summary.comparedFiles += 1
      if left.fingerprint != right.fingerprint {
        different.insert(candidate.path)
        summary.differentFiles += 1
      }
    }
    return different
  }
}

/// The walk over both trees.
private struct Walk {
  let baseline: FileDiffer.Side
  let other: FileDiffer.Side
  var added: [FileDiff.Item] = []
  var removed: [FileDiff.Item] = []
  var changed: [FileDiff.Item] = []
  var candidates: [FileDiffer.Candidate] = []
  var sameLayer = 0

  init(baseline: FileDiffer.Side, other: FileDiffer.Side) {
    self.baseline = baseline
    self.other = other
  }

  /// Compares two present directories at `path`.
  mutating func compare(_ left: Int32, _ right: Int32, path: String) {
    let leftTree = baseline.tree
    let rightTree = other.tree
    var names = Set<String>()
    for child in leftTree.children(of: left) where leftTree.nodes[Int(child)].isPresent {
      names.insert(leftTree.nodes[Int(child)].name)
    }
    for child in rightTree.children(of: right) where rightTree.nodes[Int(child)].isPresent {
      names.insert(rightTree.nodes[Int(child)].name)
    }
    for name in names.sorted() {
      let childPath = path.appendingComponent(name)
      let a = leftTree.child(name, of: left).flatMap { leftTree.nodes[Int($0)].isPresent ? $0 : nil }
      let b = rightTree.child(name, of: right).flatMap { rightTree.nodes[Int($0)].isPresent ? $0 : nil }
      switch (a, b) {
      case (let a?, nil): emit(a, in: leftTree, path: childPath, removed: true)
      case (nil, let b?): emit(b, in: rightTree, path: childPath, removed: false)
      case (let a?, let b?): pair(a, b, path: childPath)
      case (nil, nil): break
      }
    }
  }

  mutating func pair(_ a: Int32, _ b: Int32, path: String) {
    let left = baseline.tree.nodes[Int(a)]
    let right = other.tree.nodes[Int(b)]
    switch (left.isDirectory, right.isDirectory) {
    case (true, true):
      compare(a, b, path: path)
      return
    case (true, false), (false, true):
      emit(a, in: baseline.tree, path: path, removed: true)
      emit(b, in: other.tree, path: path, removed: false)
      return
    case (false, false):
      break
    }
    let before = baseline.tree.contentBytes(of: a)
    let after = other.tree.contentBytes(of: b)
    var changes: [FileDiff.Change] = []
    if left.kind != right.kind { changes.append(.kind) }
    if before != after || (left.kind == .regular && right.kind == .regular && left.size != right.size) {
      changes.append(.size)
    }
    if left.permissions != right.permissions { changes.append(.mode) }
    if left.uid != right.uid || left.gid != right.gid { changes.append(.owner) }
    if baseline.tree.linkTarget(of: a) != other.tree.linkTarget(of: b) { changes.append(.link) }
    if !changes.isEmpty {
      changed.append(
        FileDiff.Item(
          path: "/" + path, kind: right.kind, before: before, after: after, changes: changes, layer: Int(right.layer)))
      return
    }
    guard left.kind == .regular, left.size > 0 else { return }
    if let id = baseline.layerID(left.layer), id == other.layerID(right.layer) {
      sameLayer += 1
    } else {
      candidates.append(FileDiffer.Candidate(path: path, baselineNode: a, otherNode: b, size: left.size))
    }
  }

  /// Every present non-directory at or under `node`, as added or removed.
  mutating func emit(_ node: Int32, in tree: FileTree, path: String, removed isRemoved: Bool) {
    var stack: [(Int32, String)] = [(node, path)]
    while let (current, currentPath) = stack.popLast() {
      let item = tree.nodes[Int(current)]
      guard item.isPresent else { continue }
      if item.isDirectory {
        for child in tree.children(of: current) {
          stack.append((child, currentPath.appendingComponent(tree.nodes[Int(child)].name)))
        }
        continue
      }
      let bytes = tree.contentBytes(of: current)
      let entry = FileDiff.Item(
        path: "/" + currentPath, kind: item.kind, before: isRemoved ? bytes : 0, after: isRemoved ? 0 : bytes,
        changes: [], layer: Int(item.layer))
      if isRemoved { removed.append(entry) } else { added.append(entry) }
    }
  }
}
