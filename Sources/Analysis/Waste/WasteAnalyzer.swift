import ImageModel
import MergedTree

/// Finds every kind of wasted byte in an analysed image.
///
/// Content is read only for candidates: lower and upper copies of a path with the same size
/// (metadata-only rewrites), present files that share a size with another (duplicates), and
/// files whose names suggest secrets. Everything else comes from the tar headers.
public enum WasteAnalyzer {
  /// The most paths listed per finding (the finding's file count has them all).
  public static let pathLimit = 20

  /// Computes the findings and the total reclaimable bytes.
  /// - Parameter mapPaths: also fill `WasteReport.pathWaste`, the category of every path waste
  ///   involves (the HTML treemap needs it; it costs about 50 bytes a path, a megabyte for an
  ///   image of 20,000 files, so reports that do not draw paths leave it out).
  public static func analyze(_ analysis: ImageAnalysis, config: WasteConfig = WasteConfig(), mapPaths: Bool = true)
    -> WasteReport
  {
    var run = WasteRun(analysis: analysis, config: config, mapsPaths: mapPaths)
    return run.report()
  }
}

/// One analysis in progress.
struct WasteRun {
  let analysis: ImageAnalysis
  let config: WasteConfig
  /// Whether to fill `WasteReport.pathWaste`.
  let mapsPaths: Bool
  var fetcher: ContentFetcher
  var groups: [GroupKey: FindingGroup] = [:]
  var notes: [String] = []

  struct GroupKey: Hashable {
    var category: String
    var kind: String
    var layer: Int
    var hiddenBy: Int?
  }

  struct FindingGroup {
    var key: GroupKey
    var severity: Severity
    var units: [FileUnit] = []
    var labels: [UnitKey: String] = [:]
    var note: String?
    var fix: String
    var countsTowardTotal: Bool
    var title: String
  }

  init(analysis: ImageAnalysis, config: WasteConfig, mapsPaths: Bool) {
    self.analysis = analysis
    self.config = config
    self.mapsPaths = mapsPaths
    self.fetcher = ContentFetcher(source: analysis.image.content)
  }

  func command(_ layer: Int?) -> String? {
    guard let layer, layer >= 0, layer < analysis.layers.count else { return nil }
    return analysis.layers[layer].descriptor.command
  }

  mutating func report() -> WasteReport {
    let tree = analysis.tree
    var units = FileUnits.all(in: tree)
    if !config.excluded.isEmpty {
      var wanted = [Bool](repeating: false, count: tree.nodes.count)
      for unit in units { wanted[Int(unit.node)] = true }
      let excluded = PathMatcher(config.excluded).firstMatches(in: tree) { wanted[Int($0)] }
      units.removeAll { excluded[$0.node] != nil }
    }
    let hidden = units.filter { !$0.isPresent }

    // Candidates whose content must be compared or read.
    var rewriteCandidates: [(FileUnit, FileUnit)] = []
    for unit in hidden where !unit.deleted {
      if let next = FileUnits.successor(of: unit, in: tree), next.size == unit.size, next.layer != unit.layer {
        rewriteCandidates.append((unit, next))
      }
    }
    var bySize: [[FileUnit]] = []
    if config.enabled(WasteCategory.duplicate.rawValue) {
      bySize = duplicateCandidates(units)
    }
    var sensitive: [(FileUnit, SensitiveFiles.Kind)] = []
    if config.enabled(WasteCategory.sensitive.rawValue) {
      for unit in units where SensitiveFiles.mayMatch(name: tree.nodes[Int(unit.node)].name) {
        if let kind = SensitiveFiles.classify(unit.path(in: tree)) { sensitive.append((unit, kind)) }
      }
    }

    var check = SameContentCheck(tree: tree)
    for (lower, upper) in rewriteCandidates { check.addPair(lower, upper) }
    for group in bySize { check.addGroup(group) }
    for (unit, kind) in sensitive where SensitiveFiles.needsContent(kind) { check.addHead(unit) }
    let (fingerprints, heads) = check.fingerprints(using: &fetcher)
    notes += fetcher.notes

    classifyHidden(hidden, candidates: rewriteCandidates, fingerprints: fingerprints)
    classifyPresent(units)
    findDuplicates(bySize, fingerprints: fingerprints)
    flagSensitive(sensitive, heads: heads)
    return assemble()
  }

  private mutating func add(
    _ unit: FileUnit, category: String, kind: String, layer: Int, hiddenBy: Int? = nil, severity: Severity,
    title: String, fix: String, counts: Bool, label: String? = nil, note: String? = nil
  ) {
    guard config.enabled(category) else { return }
    let key = GroupKey(category: category, kind: kind, layer: layer, hiddenBy: hiddenBy)
    if groups[key] == nil {
      groups[key] = FindingGroup(
        key: key, severity: config.severities[category] ?? severity, note: note, fix: fix, countsTowardTotal: counts,
        title: title)
    }
    groups[key]?.units.append(unit)
    if let label { groups[key]?.labels[unit.key] = label }
  }

  private mutating func classifyHidden(
    _ hidden: [FileUnit], candidates: [(FileUnit, FileUnit)], fingerprints: [Int: [Int32: FileContent]]
  ) {
    var sameContent: [FileUnit: FileUnit] = [:]
    for (lower, upper) in candidates {
      guard let a = fingerprints[lower.layer]?[lower.node], let b = fingerprints[upper.layer]?[upper.node],
        a.fingerprint == b.fingerprint
      else { continue }
      sameContent[lower] = upper
    }
    for unit in hidden {
      guard let by = unit.hiddenBy else { continue }
      if let upper = sameContent[unit], config.enabled(WasteCategory.metadataRewrite.rawValue) {
        var changed: [String] = []
        if upper.permissions != unit.permissions {
          changed.append("mode \(String(unit.permissions, radix: 8))→\(String(upper.permissions, radix: 8))")
        }
        if upper.uid != unit.uid || upper.gid != unit.gid { changed.append("owner \(unit.uid):\(unit.gid)→\(upper.uid):\(upper.gid)") }
        let category = WasteCategory.metadataRewrite
        add(
          unit, category: category.rawValue, kind: "rewrite", layer: unit.layer, hiddenBy: by,
          severity: config.severity(category), title: category.title,
          fix: FixHints.metadataRewrite(layer: unit.layer, command: command(unit.layer), by: by, byCommand: command(by)),
          counts: true, label: changed.isEmpty ? "unchanged" : changed.joined(separator: ", "))
        continue
      }
      let category = WasteCategory.hiddenLater
      add(
        unit, category: category.rawValue, kind: unit.deleted ? "deleted" : "overwritten", layer: unit.layer,
        hiddenBy: by, severity: config.severity(category), title: category.title,
        fix: FixHints.hiddenLater(deleted: unit.deleted, layer: unit.layer, command: command(unit.layer), by: by, byCommand: command(by)),
        counts: true, label: unit.deleted ? "deleted" : "overwritten")
    }
  }

  private mutating func classifyPresent(_ units: [FileUnit]) {
    // The user's patterns first, then the built-in ones, in one matcher.
    let custom = config.customRules
    let matcher = custom.isEmpty ? PathRules.matcher : PathMatcher(custom.map(\.glob) + PathRules.all.map(\.glob))
    var present = [Bool](repeating: false, count: analysis.tree.nodes.count)
    for unit in units where unit.isPresent { present[Int(unit.node)] = true }
    let matches = matcher.firstMatches(in: analysis.tree) { present[Int($0)] }
    struct FixKey: Hashable {
      var rule: Int
      var layer: Int
    }
    var fixes: [FixKey: String] = [:]
    var origins: [Int: String] = [:]
    for unit in units where unit.isPresent {
      guard let found = matches[unit.node] else { continue }
      if found < custom.count {
        let rule = custom[found]
        let builtIn = WasteCategory(rawValue: rule.category)
        add(
          unit, category: rule.category, kind: "custom:" + rule.glob.pattern, layer: unit.layer, severity: rule.severity,
          title: builtIn?.title ?? rule.category, fix: rule.hint, counts: builtIn?.countsTowardTotal ?? (rule.severity != .info))
        continue
      }
      let rule = PathRules.all[found - custom.count]
      let category = rule.category
      // The texts depend only on the rule and the layers: made once each, not once per file.
      let fixKey = FixKey(rule: found, layer: unit.layer)
      let fix = fixes[fixKey] ?? FixHints.forPath(category: category, kind: rule.kind, command: command(unit.layer))
      fixes[fixKey] = fix
      var note: String?
      if category == .bytecode {
        let origin = firstLayer(of: unit)
        note = origins[origin] ?? bytecodeOrigin(layer: origin)
        origins[origin] = note
      }
      add(
        unit, category: category.rawValue, kind: rule.kind, layer: unit.layer, severity: config.severity(category),
        title: category.title, fix: fix, counts: category.countsTowardTotal, note: note)
    }
  }

  /// The layer that first wrote the unit's path (before any later rewrite).
  private func firstLayer(of unit: FileUnit) -> Int {
    analysis.tree.earlierVersions[unit.node]?.first.map { Int($0.layer) } ?? unit.layer
  }

  private func bytecodeOrigin(layer: Int) -> String {
    let text = command(layer) ?? ""
    let packageInstall = ["apt-get install", "apt install", "apk add", "dnf install", "yum install"]
    if packageInstall.contains(where: { text.contains($0) }) && !text.contains("pip") {
      return "compiled by the package manager's install scripts in layer \(layer)"
    }
    return "produced by a build step (layer \(layer): `\(CommandText.short(text, limit: 50))`), not shipped by a package"
  }

  /// Present files that share their size with another, in groups, largest sizes first, as many
  /// as the read budget allows (the rest are named in a note, not read).
  private mutating func duplicateCandidates(_ units: [FileUnit]) -> [[FileUnit]] {
    let minimum = max(1, config.duplicateMinBytes)
    let sorted = units.filter { $0.isPresent && $0.size >= minimum }.sorted { $0.size > $1.size }
    var groups: [[FileUnit]] = []
    var budget = config.duplicateReadBudget
    var skipped = 0
    var start = 0
    while start < sorted.count {
      var end = start + 1
      while end < sorted.count && sorted[end].size == sorted[start].size { end += 1 }
      if end - start > 1 {
        let cost = sorted[start].size * Int64(end - start)
        if cost <= budget {
          groups.append(Array(sorted[start..<end]))
          budget -= cost
        } else {
          skipped += end - start
        }
      }
      start = end
    }
    if skipped > 0 {
      notes.append(
        "duplicate content: \(skipped) files that share a size with another were not compared (read budget of \(config.duplicateReadBudget) bytes spent on larger ones)")
    }
    return groups
  }

  private mutating func findDuplicates(_ bySize: [[FileUnit]], fingerprints: [Int: [Int32: FileContent]]) {
    for group in bySize {
      var byContent: [UInt64: [FileUnit]] = [:]
      for unit in group {
        guard let content = fingerprints[unit.layer]?[unit.node] else { continue }
        byContent[content.fingerprint, default: []].append(unit)
      }
      for copies in byContent.values where copies.count > 1 {
        let tree = analysis.tree
        let ordered = copies.sorted { ($0.layer, $0.path(in: tree)) < ($1.layer, $1.path(in: tree)) }
        guard let original = ordered.first else { continue }
        let category = WasteCategory.duplicate
        for copy in ordered.dropFirst() {
          add(
            copy, category: category.rawValue, kind: "duplicate", layer: copy.layer, severity: config.severity(category),
            title: category.title, fix: FixHints.duplicate, counts: true, label: "same content as \(original.path(in: tree))")
        }
      }
    }
  }

  private mutating func flagSensitive(_ candidates: [(FileUnit, SensitiveFiles.Kind)], heads: [Int: [String: FileContent]]) {
    for (unit, kind) in candidates {
      var note: String?
      if SensitiveFiles.needsContent(kind) {
        if let head = heads[unit.layer]?[unit.relativePath(in: analysis.tree)] {
          guard SensitiveFiles.confirms(kind, head: head.head) else { continue }
        } else {
          note = "content not checked (not available)"
        }
      }
      var label = kind.rawValue
      if let by = unit.hiddenBy { label += unit.deleted ? ", deleted in layer \(by) but still shipped" : ", overwritten in layer \(by)" }
      let category = WasteCategory.sensitive
      add(
        unit, category: category.rawValue, kind: "sensitive", layer: unit.layer, severity: config.severity(category),
        title: category.title, fix: FixHints.sensitive, counts: false, label: label, note: note)
    }
  }

  private func assemble() -> WasteReport {
    var findings: [WasteFinding] = []
    for group in groups.values {
      let paths = largest(group.units, limit: WasteAnalyzer.pathLimit).map { unit in
        FindingPath(path: unit.path(in: analysis.tree), bytes: unit.size, detail: group.labels[unit.key])
      }
      findings.append(
        WasteFinding(
          category: group.key.category, title: group.title, severity: group.severity,
          bytes: group.units.reduce(0) { $0 + $1.size }, fileCount: group.units.count, paths: paths,
          layer: group.key.layer, command: command(group.key.layer), hiddenBy: group.key.hiddenBy,
          hiddenByCommand: command(group.key.hiddenBy), fix: group.fix, note: group.note,
          countsTowardTotal: group.countsTowardTotal))
    }
    findings.sort {
      if $0.severity != $1.severity { return $0.severity > $1.severity }
      if $0.bytes != $1.bytes { return $0.bytes > $1.bytes }
      // Groups come out of a dictionary in an order that changes from run to run: break every
      // tie, down to the layer that hides the files, so one image always gives one report.
      return ($0.category, $0.layer, $0.hiddenBy ?? -1, $0.title, $0.paths.first?.path ?? "")
        < ($1.category, $1.layer, $1.hiddenBy ?? -1, $1.title, $1.paths.first?.path ?? "")
    }
    // Precedence: built-in categories in their declared order, then custom ones by name.
    let ordered = groups.values.sorted { WasteCategory.precedes($0.key.category, $1.key.category) }
    let ranked = ordered.filter(\.countsTowardTotal)
    var claimed = Set<UnitKey>()
    var byCategory: [String: Int64] = [:]
    var total: Int64 = 0
    for group in ranked {
      for unit in group.units where claimed.insert(unit.key).inserted {
        byCategory[group.key.category, default: 0] += unit.size
        total += unit.size
      }
    }
    var report = WasteReport(
      findings: findings, reclaimableBytes: total, imageBytes: analysis.dive.sizeBytes, bytesByCategory: byCategory,
      notes: notes, pathWaste: mapsPaths ? pathWaste(ordered) : [:])
    report.contentBytesRead = fetcher.bytesRead
    return report
  }

  /// Each present path's waste: every copy counted once, under the first group that holds it.
  private func pathWaste(_ ordered: [FindingGroup]) -> [Int32: PathWaste] {
    let tree = analysis.tree
    var seen = Set<UnitKey>()
    var result: [Int32: PathWaste] = [:]
    for group in ordered {
      for unit in group.units where tree.nodes[Int(unit.node)].isPresent && seen.insert(unit.key).inserted {
        var entry = result[unit.node] ?? PathWaste()
        if unit.isPresent {
          entry.present = entry.present ?? group.key.category
        } else {
          entry.hidden = entry.hidden ?? group.key.category
          entry.hiddenBytes += unit.size
        }
        result[unit.node] = entry
      }
    }
    return result
  }

  /// The `limit` largest units, ties by path; paths are built only for those that can make it.
  private func largest(_ units: [FileUnit], limit: Int) -> [FileUnit] {
    guard units.count > limit else {
      return units.sorted { $0.size != $1.size ? $0.size > $1.size : $0.path(in: analysis.tree) < $1.path(in: analysis.tree) }
    }
    let threshold = units.map(\.size).sorted(by: >)[limit - 1]
    let finalists = units.filter { $0.size >= threshold }.map { ($0, $0.path(in: analysis.tree)) }
    return finalists.sorted { $0.0.size != $1.0.size ? $0.0.size > $1.0.size : $0.1 < $1.1 }.prefix(limit).map(\.0)
  }
}

/// Asks the image's content source for files, batching by layer and recording failures and
/// the bytes each purpose read.
struct ContentFetcher {
  /// Why content is read, for `WasteReport.contentBytesRead`.
  enum Purpose: String {
    /// The first block of files that share their size with another (duplicates, rewrites),
    /// and in the same pass the heads of files named like secrets.
    case firstBlocks
    /// Whole files whose first blocks matched another's.
    case wholeFiles
    /// The heads of files named like secrets that are also same-size candidates (read apart).
    case sensitiveHeads
  }

  let source: (any ContentSource)?
  var notes: [String] = []
  /// Bytes read from the image, by purpose.
  var bytesRead: [String: Int64] = [:]

  /// Whether contents can be read at all.
  var hasSource: Bool { source != nil }

  mutating func fetch(_ requests: [Int: Set<String>], headLimit: Int, purpose: Purpose = .wholeFiles) -> [Int: [String: FileContent]] {
    let whole = ContentRequest(prefix: nil, headLimit: headLimit)
    return read(requests.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0, whole) }) }, purpose: purpose)
      .mapValues(\.files)
  }

  /// Reads, in one forward pass per layer, each requested file as its request says.
  mutating func read(_ requests: [Int: [String: ContentRequest]], purpose: Purpose) -> [Int: ContentRead] {
    guard let source, !requests.isEmpty else {
      if !requests.isEmpty { notes.append("file contents are not available: content comparisons skipped") }
      return [:]
    }
    var results: [Int: ContentRead] = [:]
    for (layer, paths) in requests.sorted(by: { $0.key < $1.key }) {
      do {
        let read = try source.read(layer: layer, requests: paths)
        bytesRead[purpose.rawValue, default: 0] += read.bytesRead
        results[layer] = read
      } catch {
        notes.append("could not read contents of layer \(layer): \(error)")
      }
    }
    return results
  }
}
