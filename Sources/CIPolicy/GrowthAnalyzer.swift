import Analysis

/// Compares an image with a baseline: which layers and which paths grew.
package enum GrowthAnalyzer {
  /// How deep `pathSizes` goes in the JSON report, and so in baselines.
  package static let pathDepth = 4
  /// How many layers and paths a report lists.
  package static let listLimit = 10

  /// The growth of `analysis` since `baseline`. Excluded paths are left out of the path list.
  package static func compare(_ analysis: ImageAnalysis, with baseline: Baseline, excluded: [Glob] = []) -> GrowthReport
  {
    var current: [String: Int64] = [:]
    for item in analysis.pathSizes(maxDepth: baseline.pathDepth) { current[item.path] = item.bytes }
    return GrowthReport(
      baselineSource: baseline.source, baselineBytes: baseline.sizeBytes, currentBytes: analysis.dive.sizeBytes,
      layers: layerChanges(analysis.layers, baseline.layers),
      paths: pathChanges(
        withoutExcluded(baseline.paths, excluded), withoutExcluded(current, excluded), complete: baseline.pathsComplete),
      pathsComplete: baseline.pathsComplete)
  }

  /// The sizes with excluded paths removed, and their bytes taken out of the directories
  /// above them (an exclusion deeper than the list reaches cannot be taken out).
  static func withoutExcluded(_ sizes: [String: Int64], _ excluded: [Glob]) -> [String: Int64] {
    guard !excluded.isEmpty else { return sizes }
    let isExcluded: (String) -> Bool = { path in excluded.contains { $0.matches(path) } }
    var result = sizes.filter { !isExcluded($0.key) }
    for (path, bytes) in sizes where isExcluded(path) && !isExcluded(parentPath(path)) {
      var ancestor = parentPath(path)
      while ancestor != "/" {
        if let size = result[ancestor] { result[ancestor] = size - bytes }
        ancestor = parentPath(ancestor)
      }
    }
    return result.filter { $0.value > 0 }
  }

  /// Layers matched by diff ID, then by command (content hashes in `COPY file:…` ignored), in
  /// order; then, for layers without commands, by position. Unmatched layers are new.
  static func layerChanges(_ layers: [LayerSummary], _ baseline: [Baseline.Layer]) -> [GrowthReport.LayerChange] {
    var partner = [Int?](repeating: nil, count: layers.count)
    var used = Set<Int>()
    for (position, layer) in layers.enumerated() {
      guard let diffID = layer.descriptor.diffID,
        let match = baseline.firstIndex(where: { !used.contains($0.index) && $0.diffID == diffID })
      else { continue }
      partner[position] = match
      used.insert(baseline[match].index)
    }
    for (position, layer) in layers.enumerated() where partner[position] == nil {
      guard let command = commandKey(layer.descriptor.command),
        let match = baseline.firstIndex(where: { !used.contains($0.index) && commandKey($0.command) == command })
      else { continue }
      partner[position] = match
      used.insert(baseline[match].index)
    }
    for (position, layer) in layers.enumerated() where partner[position] == nil && layer.descriptor.command == nil {
      guard
        let match = baseline.firstIndex(where: { $0.index == position && $0.command == nil && !used.contains($0.index) }
        )
      else { continue }
      partner[position] = match
      used.insert(baseline[match].index)
    }
    var changes: [GrowthReport.LayerChange] = []
    for (position, layer) in layers.enumerated() {
      let old = partner[position].map { baseline[$0] }
      let change = GrowthReport.LayerChange(
        index: layer.descriptor.index, baselineIndex: old?.index, command: layer.descriptor.command,
        before: old?.sizeBytes ?? 0, after: layer.sizeBytes)
      if change.delta > 0 { changes.append(change) }
    }
    return Array(
      changes.sorted { $0.delta != $1.delta ? $0.delta > $1.delta : ($0.index ?? 0) < ($1.index ?? 0) }.prefix(
        listLimit))
  }

  /// The key layers are matched by: the command without the content hashes Docker writes into
  /// `COPY`/`ADD` history (`COPY dir:53b8… in /app/` → `COPY dir:* in /app/`), white space
  /// collapsed; nil for no command.
  package static func commandKey(_ command: String?) -> String? {
    guard let command, !command.isEmpty else { return nil }
    let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map { word -> String in
      for prefix in ["file:", "dir:", "multi:"] where word.hasPrefix(prefix) {
        let rest = word.dropFirst(prefix.count)
        if rest.count >= 12 && rest.allSatisfy(\.isHexDigit) { return prefix + "*" }
      }
      return String(word)
    }
    return words.joined(separator: " ")
  }

  /// Paths that grew, most first; a path is left out when a child explains 90 % of its growth.
  static func pathChanges(_ before: [String: Int64], _ after: [String: Int64], complete: Bool) -> [GrowthReport
    .PathChange]
  {
    let keys = complete ? Set(before.keys).union(after.keys) : Set(before.keys).intersection(after.keys)
    var grown: [String: GrowthReport.PathChange] = [:]
    for key in keys {
      let change = GrowthReport.PathChange(path: key, before: before[key] ?? 0, after: after[key] ?? 0)
      if change.delta > 0 { grown[key] = change }
    }
    var largestChild: [String: Int64] = [:]
    for change in grown.values {
      let parent = parentPath(change.path)
      largestChild[parent] = max(largestChild[parent] ?? 0, change.delta)
    }
    let kept = grown.values.filter { change in
      guard let child = largestChild[change.path] else { return true }
      return child * 10 < change.delta * 9
    }
    return Array(kept.sorted { $0.delta != $1.delta ? $0.delta > $1.delta : $0.path < $1.path }.prefix(listLimit))
  }

  static func parentPath(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }
}
