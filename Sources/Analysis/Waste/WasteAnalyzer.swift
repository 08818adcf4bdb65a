import Dispatch
import ImageModel
import MergedTree
import Synchronization

/// Finds every kind of wasted byte in an analysed image.
///
/// Content is read only for candidates: lower and upper copies of a path with the same size
/// (metadata-only rewrites), present files that share a size with another (duplicates), and
/// files whose names suggest secrets. Everything else comes from the tar headers.
package enum WasteAnalyzer {
  /// The most paths listed per finding (the finding's file count has them all).
  package static let pathLimit = 20

  /// Computes the findings and the total reclaimable bytes.
  /// - Parameter mapPaths: also fill `WasteReport.pathWaste`, the category of every path waste
  ///   involves (the HTML treemap needs it; it costs about 50 bytes a path, a megabyte for an
  ///   image of 20,000 files, so reports that do not draw paths leave it out).
  package static func analyze(_ analysis: ImageAnalysis, config: WasteConfig = WasteConfig(), mapPaths: Bool = true)
    -> WasteReport
  {
    var run = WasteRun(analysis: analysis, config: config, mapsPaths: mapPaths)
    return run.report()
  }

  /// The contents `analyze` reads, for a stream to keep as it goes by: the first
  /// `SameContentCheck.headLimit` bytes of each file named like a secret whose content must
  /// confirm it (key files, credentials), decided by the rules that read them.
  package static let contentNeeds = ContentNeeds(id: "waste.credential-heads.1") { path, _ in
    let name = PathName.base(of: path)
    guard SensitiveFiles.mayMatch(name: name), let kind = SensitiveFiles.classify("/" + path),
      SensitiveFiles.needsContent(kind)
    else { return 0 }
    return SameContentCheck.headLimit
  }
}

/// One analysis in progress.
struct WasteRun {
  let analysis: ImageAnalysis
  let config: WasteConfig
  /// Whether to fill `WasteReport.pathWaste`.
  let mapsPaths: Bool
  var fetcher: ContentFetcher
  /// The finding groups in the order they were made; `groupIndex` says where each key's is.
  var groups: [FindingGroup] = []
  var groupIndex: [GroupKey: Int] = [:]
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
    var tier: WasteTier
    var title: String
    var bytes: Int64 { units.reduce(0) { $0 + $1.size } }
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
    // The path rules need only the tree and which files are present: they are matched on another
    // thread while the contents below are read (reading seldom keeps both cores busy).
    let presentMatches = Self.matchPathRules(present: units, in: tree, custom: config.customRules)

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
    classifyPresent(units, matches: presentMatches.wait())
    findDuplicates(bySize, fingerprints: fingerprints)
    flagSensitive(sensitive, heads: heads)
    return assemble()
  }

  /// Adds `unit` to the group of its category, kind and layers, made from the other arguments
  /// when it is the group's first. Returns the group's index in `groups`, nil when the category
  /// is disabled (nothing added).
  @discardableResult
  private mutating func add(
    _ unit: FileUnit, category: String, kind: String, layer: Int, hiddenBy: Int? = nil, severity: Severity,
    title: String, fix: String, tier: WasteTier, label: String? = nil, note: String? = nil
  ) -> Int? {
    guard config.enabled(category) else { return nil }
    let key = GroupKey(category: category, kind: kind, layer: layer, hiddenBy: hiddenBy)
    // One lookup of the key (two strings hashed), the group made only when it is new.
    let count = groups.count
    let index = groupIndex[key, default: count]
    if index == count {
      groupIndex[key] = index
      groups.append(
        FindingGroup(
          key: key, severity: config.severities[category] ?? severity, note: note, fix: fix, tier: tier, title: title))
    }
    groups[index].units.append(unit)
    if let label { groups[index].labels[unit.key] = label }
    return index
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
      if let upper = sameContent[unit] {
        var changed: [String] = []
        let (before, after) = (unit.metadata(in: analysis.tree), upper.metadata(in: analysis.tree))
        if after.permissions != before.permissions {
          changed.append("mode \(String(before.permissions, radix: 8))→\(String(after.permissions, radix: 8))")
        }
        if after.uid != before.uid || after.gid != before.gid {
          changed.append("owner \(before.uid):\(before.gid)→\(after.uid):\(after.gid)")
        }
        let category: WasteCategory = changed.isEmpty ? .unchangedRewrite : .metadataRewrite
        if config.enabled(category.rawValue) {
          add(
            unit, category: category.rawValue, kind: "rewrite", layer: unit.layer, hiddenBy: by,
            severity: config.severity(category), title: category.title,
            fix: FixHints.rewrite(category, byCommand: command(by)), tier: category.tier,
            label: changed.isEmpty ? "same content, owner and mode" : changed.joined(separator: ", "))
          continue
        }
      }
      let category = WasteCategory.hiddenLater
      add(
        unit, category: category.rawValue, kind: unit.deleted ? "deleted" : "overwritten", layer: unit.layer,
        hiddenBy: by, severity: config.severity(category), title: category.title,
        fix: FixHints.hiddenLater(deleted: unit.deleted), tier: category.tier,
        label: unit.deleted ? "deleted" : "overwritten")
    }
  }

  /// Starts matching the path rules, the user's patterns first and then the built-in ones, in
  /// one matcher, against the present files among `units`: node → the first rule that matched.
  private static func matchPathRules(
    present units: [FileUnit], in tree: FileTree, custom: [CustomWasteRule]
  ) -> BackgroundValue<[Int32: Int]> {
    let matcher = custom.isEmpty ? PathRules.matcher : PathMatcher(custom.map(\.glob) + PathRules.all.map(\.glob))
    var present = [Bool](repeating: false, count: tree.nodes.count)
    for unit in units where unit.isPresent { present[Int(unit.node)] = true }
    return BackgroundValue { [present] in matcher.firstMatches(in: tree) { present[Int($0)] } }
  }

  /// Files the path rules name, from `matches` (`matchPathRules`).
  private mutating func classifyPresent(_ units: [FileUnit], matches: [Int32: Int]) {
    let custom = config.customRules
    struct RuleInLayer: Hashable {
      var rule: Int
      var layer: Int
    }
    // A rule and a layer always lead to the same group: once it is known (or known to be
    // disabled), the rule's later files in that layer join it without their texts being made.
    var joined: [RuleInLayer: Int?] = [:]
    var origins: [Int: String] = [:]
    for unit in units where unit.isPresent {
      guard let found = matches[unit.node] else { continue }
      let ruleInLayer = RuleInLayer(rule: found, layer: unit.layer)
      if let known = joined[ruleInLayer] {
        if let index = known { groups[index].units.append(unit) }
        continue
      }
      if found < custom.count {
        let rule = custom[found]
        let builtIn = WasteCategory(rawValue: rule.category)
        joined[ruleInLayer] = .some(
          add(
            unit, category: rule.category, kind: "custom:" + rule.glob.pattern, layer: unit.layer,
            severity: rule.severity,
            title: builtIn?.title ?? rule.category, fix: rule.hint, tier: rule.effectiveTier))
        continue
      }
      let rule = PathRules.all[found - custom.count]
      let category = rule.category
      let fix = FixHints.forPath(category: category, kind: rule.kind, command: command(unit.layer))
      var note: String?
      if category == .bytecode {
        let origin = firstLayer(of: unit)
        if let known = origins[origin] {
          note = known
        } else {
          note = bytecodeOrigin(layer: origin)
          origins[origin] = note
        }
      }
      joined[ruleInLayer] = .some(
        add(
          unit, category: category.rawValue, kind: rule.kind, layer: unit.layer, severity: config.severity(category),
          title: category.title, fix: fix,
          tier: category.tier, note: note))
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
    return
      "produced by a build step (layer \(layer): `\(CommandText.short(text, limit: 50))`), not shipped by a package"
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
        "duplicate content: \(skipped) files that share a size with another were not compared (read budget of \(config.duplicateReadBudget) bytes spent on larger ones)"
      )
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
            copy, category: category.rawValue, kind: "duplicate", layer: copy.layer,
            severity: config.severity(category),
            title: category.title, fix: category.definition.fix, tier: category.tier,
            label: "same content as \(original.path(in: tree))")
        }
      }
    }
  }

  private mutating func flagSensitive(
    _ candidates: [(FileUnit, SensitiveFiles.Kind)], heads: [Int: [String: FileContent]]
  ) {
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
      if let by = unit.hiddenBy {
        label += unit.deleted ? ", deleted in layer \(by) but still shipped" : ", overwritten in layer \(by)"
      }
      let category = WasteCategory.sensitive
      add(
        unit, category: category.rawValue, kind: "sensitive", layer: unit.layer, severity: config.severity(category),
        title: category.title, fix: category.definition.fix, tier: category.tier, label: label, note: note)
    }
  }

  /// Merges the groups of each category into one finding (one line per layer), turns
  /// categories of empty files into notes, and counts each stored copy once per tier.
  private func assemble() -> WasteReport {
    var notes = notes
    var byCategory: [String: [FindingGroup]] = [:]
    for group in groups { byCategory[group.key.category, default: []].append(group) }
    var findings: [WasteFinding] = []
    for (category, all) in byCategory.sorted(by: { $0.key < $1.key }) {
      let groups = all.map { group in
        var group = group
        group.units.removeAll { $0.size == 0 }
        return group
      }.filter { !$0.units.isEmpty }
      guard !groups.isEmpty else {
        notes.append(emptyNote(all))
        continue
      }
      findings.append(finding(category, groups))
    }
    findings.sort {
      if $0.tier != $1.tier { return $0.tier < $1.tier }
      if $0.bytes != $1.bytes { return $0.bytes > $1.bytes }
      return $0.category < $1.category
    }
    // Precedence: tiers in order; within one, built-in categories in their declared order, then
    // custom ones by name.
    let ordered = groups.sorted {
      $0.tier != $1.tier ? $0.tier < $1.tier : WasteCategory.precedes($0.key.category, $1.key.category)
    }
    var claimed = Set<UnitKey>()
    var categoryBytes: [String: Int64] = [:]
    var tierBytes: [WasteTier: Int64] = [:]
    for group in ordered {
      var bytes: Int64 = 0
      for unit in group.units where unit.size > 0 && claimed.insert(unit.key).inserted { bytes += unit.size }
      guard bytes > 0 else { continue }
      categoryBytes[group.key.category, default: 0] += bytes
      tierBytes[group.tier, default: 0] += bytes
    }
    let reclaimable = WasteTier.allCases.filter(\.isReclaimable).reduce(Int64(0)) { $0 + (tierBytes[$1] ?? 0) }
    var report = WasteReport(
      findings: findings, reclaimableBytes: reclaimable, bytesByTier: tierBytes, imageBytes: analysis.dive.sizeBytes,
      bytesByCategory: categoryBytes, notes: notes, pathWaste: mapsPaths ? pathWaste(ordered) : [:])
    report.contentBytesRead = fetcher.bytesRead
    return report
  }

  /// One category's finding from its groups (one per kind, layer and hiding layer).
  private func finding(_ category: String, _ groups: [FindingGroup]) -> WasteFinding {
    struct LineKey: Hashable {
      var layer: Int
      var hiddenBy: Int?
    }
    var lines: [LineKey: FindingLayer] = [:]
    var fixBytes: [String: Int64] = [:]
    var labels: [UnitKey: String] = [:]
    var units: [FileUnit] = []
    for group in groups {
      let key = LineKey(layer: group.key.layer, hiddenBy: group.key.hiddenBy)
      let bytes = group.bytes
      lines[
        key,
        default: FindingLayer(
          layer: key.layer, command: command(key.layer), hiddenBy: key.hiddenBy, hiddenByCommand: command(key.hiddenBy),
          bytes: 0, fileCount: 0)
      ].bytes += bytes
      lines[key]?.fileCount += group.units.count
      fixBytes[group.fix, default: 0] += bytes
      labels.merge(group.labels) { first, _ in first }
      units += group.units
    }
    let layers = lines.values.sorted {
      if $0.bytes != $1.bytes { return $0.bytes > $1.bytes }
      return ($0.layer, $0.hiddenBy ?? -1) < ($1.layer, $1.hiddenBy ?? -1)
    }
    let fixes = fixBytes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    let paths = largest(units, limit: WasteAnalyzer.pathLimit).map { unit in
      FindingPath(path: unit.path(in: analysis.tree), bytes: unit.size, detail: labels[unit.key], layer: unit.layer)
    }
    // Groups come in the order their first files were met, which says nothing of their weight:
    // take the finding's own facts from the largest group, ties broken by layer.
    let main = groups.sorted {
      $0.bytes != $1.bytes ? $0.bytes > $1.bytes : ($0.key.layer, $0.key.kind) < ($1.key.layer, $1.key.kind)
    }[0]
    let first = layers[0]
    var notes: [String] = []
    for group in [main] + groups where group.note.map({ !notes.contains($0) }) ?? false {
      notes.append(group.note ?? "")
    }
    return WasteFinding(
      category: category, title: main.title, tier: main.tier, severity: groups.map(\.severity).max() ?? main.severity,
      bytes: units.reduce(0) { $0 + $1.size }, fileCount: units.count, paths: paths, layers: layers,
      layer: first.layer, command: first.command, hiddenBy: first.hiddenBy, hiddenByCommand: first.hiddenByCommand,
      fixes: fixes, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
  }

  /// The note for a category whose files are all empty: nothing to reclaim, but worth a line.
  private func emptyNote(_ groups: [FindingGroup]) -> String {
    let units = groups.flatMap(\.units)
    let title = groups.first?.title ?? ""
    let names = units.map { $0.path(in: analysis.tree) }.sorted()
    var text =
      "\(title): \(units.count == 1 ? "1 empty file" : "\(units.count) empty files") only, nothing to reclaim ("
    text += names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …)" : ")")
    return text
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
    let threshold = units.count > limit ? units.map(\.size).sorted(by: >)[limit - 1] : 0
    let finalists = units.filter { $0.size >= threshold }.map { ($0, $0.path(in: analysis.tree)) }
    // Ties by path, then layer: a path can be in a finding once per layer.
    return finalists.sorted {
      $0.0.size != $1.0.size ? $0.0.size > $1.0.size : ($0.1, $0.0.layer) < ($1.1, $1.0.layer)
    }.prefix(limit).map(\.0)
  }
}

/// Asks the image's content source for files, batching by layer and recording failures and
/// the bytes each purpose read. Package access: the waste analysis, the package databases and
/// the comparison read through it.
package struct ContentFetcher {
  /// Why content is read, for `WasteReport.contentBytesRead`.
  package enum Purpose: String {
    /// The first block of files that share their size with another (duplicates, rewrites),
    /// and in the same pass the heads of files named like secrets.
    case firstBlocks
    /// Whole files whose first blocks matched another's.
    case wholeFiles
    /// The heads of files named like secrets that are also same-size candidates (read apart).
    case sensitiveHeads
  }

  package let source: (any ContentSource)?
  /// What could not be read, for the report's notes.
  package var notes: [String] = []
  /// Bytes read from the image, by purpose.
  package var bytesRead: [String: Int64] = [:]

  /// A fetcher reading from `source` (nil: contents are not available).
  package init(source: (any ContentSource)?) { self.source = source }

  /// Whether contents can be read at all.
  package var hasSource: Bool { source != nil }

  package mutating func fetch(_ requests: [Int: Set<String>], headLimit: Int, purpose: Purpose = .wholeFiles) -> [Int:
    [String: FileContent]]
  {
    let whole = ContentRequest(prefix: nil, headLimit: headLimit)
    return read(requests.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0, whole) }) }, purpose: purpose)
      .mapValues(\.files)
  }

  /// Whole latest versions of files named by their nodes in `tree` (by layer, then path),
  /// each read where its entry's content starts when the source noted it.
  package mutating func fetch(
    nodes requests: [Int: [String: Int32]], headLimit: Int, tree: FileTree, purpose: Purpose = .wholeFiles
  ) -> [Int: [String: FileContent]] {
    let entries = EntryLocator.latestEntries(of: requests.values.flatMap(\.values), in: tree)
    var asked: [Int: [String: ContentRequest]] = [:]
    for (layer, paths) in requests {
      asked[layer] = paths.mapValues { node in
        ContentRequest(
          prefix: nil, headLimit: headLimit, entry: entries[EntryLocator.LayerNode(layer: layer, node: node)])
      }
    }
    return read(asked, purpose: purpose).mapValues(\.files)
  }

  /// Reads, in one forward pass per layer, each requested file as its request says.
  package mutating func read(_ requests: [Int: [String: ContentRequest]], purpose: Purpose) -> [Int: ContentRead] {
    readLayers(requests, purpose: purpose, bytes: \.bytesRead) { try $0.read(layer: $1, requests: $2) }
  }

  /// Reads each layer's list of files, answered in the list's order (see
  /// `ContentSource.read(layer:files:)`).
  package mutating func read(files requests: [Int: [FileRequest]], purpose: Purpose) -> [Int: FileReads] {
    readLayers(requests, purpose: purpose, bytes: \.bytesRead) { try $0.read(layer: $1, files: $2) }
  }

  /// Runs `read` for every layer of `requests`, concurrently when the source can, noting what
  /// failed and the bytes read.
  private mutating func readLayers<Request: Sendable, Answer: Sendable>(
    _ requests: [Int: Request], purpose: Purpose, bytes: (Answer) -> Int64,
    read: @escaping @Sendable (any ContentSource, Int, Request) throws -> Answer
  ) -> [Int: Answer] {
    guard let source, !requests.isEmpty else {
      if !requests.isEmpty { notes.append("file contents are not available: content comparisons skipped") }
      return [:]
    }
    let ordered = requests.sorted(by: { $0.key < $1.key })
    let outcomes = Mutex<[Result<Answer, any Error>?]>(Array(repeating: nil, count: ordered.count))
    let work: @Sendable (Int) -> Void = { position in
      let outcome = Result { try read(source, ordered[position].key, ordered[position].value) }
      outcomes.withLock { $0[position] = outcome }
    }
    if source.readsLayersConcurrently && ordered.count > 1 {
      DispatchQueue.concurrentPerform(iterations: ordered.count, execute: work)
    } else {
      for position in ordered.indices { work(position) }
    }
    var results: [Int: Answer] = [:]
    for (position, outcome) in outcomes.withLock({ $0 }).enumerated() {
      let layer = ordered[position].key
      switch outcome {
      case .success(let answer):
        bytesRead[purpose.rawValue, default: 0] += bytes(answer)
        results[layer] = answer
      case .failure(let error):
        notes.append("could not read contents of layer \(layer): \(error)")
      case nil:
        notes.append("could not read contents of layer \(layer)")
      }
    }
    return results
  }
}
