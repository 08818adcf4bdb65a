import Analysis
import CIPolicy

/// `strata ci`'s summary for a terminal or a CI log: the image's figures, one line per rule
/// (with the paths or layers behind each warning and failure), growth, and the verdict.
package struct CITextReport {
  /// Colours, or none.
  package var style: Style
  /// Details listed under a warning or failure.
  package var detailsShown = 5

  /// Creates a renderer.
  package init(style: Style = .plain) { self.style = style }

  /// The summary text.
  package func render(_ context: CIReportContext) -> String {
    let analysis = context.analysis
    let dive = analysis.dive
    var out =
      style.apply(.heading, "strata ci") + "  " + SafeText.escape(analysis.image.label)
      + style.apply(.muted, "  (config: \(SafeText.escape(context.configDescription)))") + "\n"
    out += "  \(ByteFormat.human(dive.sizeBytes)) in \(analysis.layers.count) layers"
    out += " · efficiency \(RulePhrases.percent(dive.efficiency)) · wasted \(ByteFormat.human(dive.wastedBytes))"
    out += " · user wasted \(RulePhrases.percent(dive.userWastedFraction))"
    out += "\n  " + Self.tiers(context.waste) + "\n"
    for warning in context.warnings { out += style.apply(.warning, "  warning: ") + SafeText.escape(warning) + "\n" }
    out += "\n"
    let results = context.evaluation.results
    let idWidth = min(40, results.map { SafeText.width(SafeText.escape($0.id)) }.max() ?? 0)
    var shown: [[RuleDetail]: String] = [:]
    for result in results {
      out +=
        "  " + status(result.status) + "  " + SafeText.pad(SafeText.escape(result.id), to: idWidth) + "  "
        + SafeText.escape(RulePhrases.comparison(result)) + "\n"
      guard result.status == .fail || result.status == .warn, !result.details.isEmpty else { continue }
      if result.kind == .maxGrowth || result.kind == .maxGrowthPercent {
        out += style.apply(.muted, "      (what grew: see below)") + "\n"
        continue
      }
      if let first = shown[result.details] {
        out += style.apply(.muted, "      (the same paths as \(SafeText.escape(first)))") + "\n"
        continue
      }
      shown[result.details] = result.id
      for detail in result.details.prefix(detailsShown) {
        out += style.apply(.muted, "      " + RulePhrases.detail(detail, kind: result.kind, width: 9)) + "\n"
      }
    }
    if results.isEmpty { out += "  (no rules configured)\n" }
    if let growth = context.evaluation.growth { out += "\n" + growthSection(growth) }
    let verdict = context.evaluation.verdict
    let role: Style.Role = verdict == .fail ? .removed : verdict == .warn ? .changed : .added
    out += "\n" + style.apply(role, "Result: \(context.verdictText)") + " — \(context.tally)\n"
    return out
  }

  /// `reclaimable 776 kB (26.1514 %) = removable 446 kB + caches 330 kB · review 105 kB`.
  static func tiers(_ waste: WasteReport) -> String {
    "reclaimable \(ByteFormat.human(waste.reclaimableBytes)) (\(RulePhrases.percent(waste.reclaimableFraction)))"
      + " = removable \(ByteFormat.human(waste.bytes(in: .removable))) + caches \(ByteFormat.human(waste.bytes(in: .caches)))"
      + " · review \(ByteFormat.human(waste.reviewBytes))"
  }

  private func status(_ status: RuleStatus) -> String {
    let word = RulePhrases.word(status)
    switch status {
    case .fail: return style.apply(.removed, word)
    case .warn: return style.apply(.changed, word)
    case .pass: return style.apply(.added, word)
    case .skip: return style.apply(.muted, word)
    }
  }

  func growthSection(_ growth: GrowthReport) -> String {
    var out = style.apply(.heading, "Growth since \(SafeText.escape(growth.baselineSource))") + "  "
    out += "\(ByteFormat.human(growth.baselineBytes)) → \(ByteFormat.human(growth.currentBytes)): "
    out += RulePhrases.bytes(growth.delta, signed: true) + " (\(RulePhrases.percent(growth.fraction, signed: true)))\n"
    if growth.delta == 0 && growth.layers.isEmpty && growth.paths.isEmpty { return out }
    out += "  layers that grew most:\n"
    if growth.layers.isEmpty { out += "        (none)\n" }
    for change in growth.layers.prefix(detailsShown) {
      let detail = RuleDetail(
        subject: .layer(change.index ?? -1, command: change.command), bytes: change.delta, before: change.before,
        note: change.baselineIndex == nil ? "new layer" : nil)
      out += "      " + RulePhrases.detail(detail, kind: .maxGrowth, width: 9) + "\n"
    }
    out += "  paths that grew most:\n"
    if growth.paths.isEmpty { out += "        (none)\n" }
    for change in growth.paths.prefix(detailsShown) {
      let detail = RuleDetail(
        subject: .path(change.path), bytes: change.delta, before: change.before, note: change.before == 0 ? "new" : nil)
      out += "      " + RulePhrases.detail(detail, kind: .maxGrowth, width: 9) + "\n"
    }
    if !growth.pathsComplete {
      out +=
        style.apply(.muted, "        (the baseline report has no pathSizes: only its largest paths were compared)")
        + "\n"
    }
    return out
  }
}
