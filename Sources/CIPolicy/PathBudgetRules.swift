import Analysis
import ImageModel
import MergedTree

/// `max-path-size`: bytes of the final filesystem under each glob, excluded paths left out.
enum PathBudgetRules {
  static func evaluate(_ config: BudgetConfig, analysis: ImageAnalysis) -> [RuleResult] {
    guard !config.maxPathSize.isEmpty else { return [] }
    let files = analysis.presentFiles().filter { !config.isExcluded($0.path) }
    return config.maxPathSize.map { item in
      let matching = files.filter { matchesSelfOrAncestor(item.glob, $0.path) }
      let bytes = matching.reduce(Int64(0)) { $0 + $1.bytes }
      let details = matching.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.path < $1.path }
        .prefix(BudgetEvaluator.detailLimit)
        .map { RuleDetail(subject: .path($0.path), bytes: $0.bytes, note: "layer \($0.layer)") }
      return BudgetEvaluator.judge(
        .maxPathSize, item.limits, .bytes(bytes), subject: item.glob.pattern, details: details)
    }
  }

  /// Whether `path` or one of the directories above it matches (`/usr/lib/python3*` counts
  /// everything under those directories, as `/usr/lib/python3*/**` does).
  static func matchesSelfOrAncestor(_ glob: Glob, _ path: String) -> Bool {
    var current = Substring(path)
    while !current.isEmpty && current != "/" {
      if glob.matches(String(current)) { return true }
      guard let slash = current.lastIndex(of: "/") else { return false }
      current = current[..<slash]
    }
    return false
  }
}

extension ImageAnalysis {
  /// Every regular file of the final filesystem with its bytes (hard links count 0: their
  /// content is counted at their target).
  package func presentFiles() -> [PathSize] {
    var result: [PathSize] = []
    let nodes = tree.nodes
    for index in nodes.indices.dropFirst() where tree.isPresent(index) && nodes[index].kind == .regular {
      result.append(pathSize(Int32(index)))
    }
    return result
  }

  /// The paths of the final filesystem at most `maxDepth` components deep (`/usr/lib` is 2),
  /// directories and files, holding at least one byte; in path order. A path missing from
  /// the list holds 0 bytes, which lets two lists be compared exactly.
  package func pathSizes(maxDepth: Int) -> [PathSize] {
    var depth = [Int](repeating: 0, count: tree.nodes.count)
    var result: [PathSize] = []
    let nodes = tree.nodes
    for index in nodes.indices.dropFirst() {
      depth[index] = depth[Int(nodes[index].parent)] + 1
      guard tree.isPresent(index), depth[index] <= maxDepth, tree.subtreeBytes[index] > 0 else { continue }
      result.append(pathSize(Int32(index)))
    }
    return result.sorted { ExactName.bytesPrecede($0.path, $1.path) }
  }
}
