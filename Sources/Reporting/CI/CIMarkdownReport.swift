import Analysis
import CIPolicy

/// `strata ci --markdown FILE`: a pull-request comment or a GitHub step summary.
package enum CIMarkdownReport {
  /// The Markdown text.
  package static func render(_ context: CIReportContext) -> String {
    let analysis = context.analysis
    let dive = analysis.dive
    let evaluation = context.evaluation
    let icon = evaluation.verdict == .fail ? "❌" : evaluation.verdict == .warn ? "⚠️" : "✅"
    var out = "## \(icon) strata ci: \(context.verdictText) — `\(cell(analysis.image.label))`\n\n"
    out += "\(context.tally). Config: `\(cell(context.configDescription))`.\n\n"
    out +=
      "| Image | Layers | Efficiency (dive) | Wasted (dive) | User wasted (dive) | Reclaimable (strata) | To review (strata) |\n"
    out += "|---:|---:|---:|---:|---:|---:|---:|\n"
    out += "| \(ByteFormat.human(dive.sizeBytes)) | \(analysis.layers.count) | \(RulePhrases.percent(dive.efficiency)) "
    out += "| \(ByteFormat.human(dive.wastedBytes)) | \(RulePhrases.percent(dive.userWastedFraction)) "
    out +=
      "| \(ByteFormat.human(context.waste.reclaimableBytes)) (\(RulePhrases.percent(context.waste.reclaimableFraction))) "
    out += "| \(ByteFormat.human(context.waste.reviewBytes)) |\n\n"
    for warning in context.warnings { out += "> ⚠️ \(cell(warning))\n" }
    if !context.warnings.isEmpty { out += "\n" }
    if evaluation.results.isEmpty {
      out += "No rules configured.\n"
    } else {
      out += "| | Rule | Checks | Measured | Limit |\n|---|---|---|---:|---:|\n"
      for result in evaluation.results {
        let measured = result.measured.map { RulePhrases.quantity($0, kind: result.kind) } ?? "—"
        var limit = result.limit.map { RulePhrases.quantity($0, kind: result.kind) } ?? result.message
        if result.status == .warn
          || (result.limit != nil && result.limit == result.limits.warn && result.limits.fail == nil)
        {
          limit += " (warn)"
        }
        out +=
          "| \(mark(result.status)) | `\(cell(result.id))` | \(cell(RulePhrases.title(result))) | \(cell(measured)) | \(cell(limit)) |\n"
      }
    }
    let flagged = evaluation.results.filter { ($0.status == .fail || $0.status == .warn) && !$0.details.isEmpty }
    if !flagged.isEmpty {
      out += "\n<details><summary>What is behind the \(flagged.count == 1 ? "finding" : "findings")</summary>\n\n"
      var shown: [[RuleDetail]: String] = [:]
      for result in flagged {
        out +=
          "**\(mark(result.status)) `\(cell(result.id))`** — \(cell(RulePhrases.title(result) + ": " + RulePhrases.comparison(result)))\n\n"
        if let first = shown[result.details] {
          out += "The same paths as `\(cell(first))`.\n\n"
          continue
        }
        shown[result.details] = result.id
        for detail in result.details.prefix(10) { out += "- \(cell(RulePhrases.detail(detail, kind: result.kind)))\n" }
        out += "\n"
      }
      out += "</details>\n"
    }
    if let growth = evaluation.growth { out += "\n" + growthSection(growth) }
    return out
  }

  static func mark(_ status: RuleStatus) -> String {
    switch status {
    case .fail: return "❌"
    case .warn: return "⚠️"
    case .pass: return "✅"
    case .skip: return "➖"
    }
  }

  static func growthSection(_ growth: GrowthReport) -> String {
    var out = "### Growth since `\(cell(growth.baselineSource))`\n\n"
    out += "\(ByteFormat.human(growth.baselineBytes)) → \(ByteFormat.human(growth.currentBytes)): "
    out +=
      "**\(RulePhrases.bytes(growth.delta, signed: true))** (\(RulePhrases.percent(growth.fraction, signed: true)))\n\n"
    if !growth.layers.isEmpty {
      out += "| Layer | Grew by | Was | Command |\n|---:|---:|---:|---|\n"
      for change in growth.layers {
        let was = change.baselineIndex == nil ? "new" : ByteFormat.human(change.before)
        out +=
          "| \(change.index.map(String.init) ?? "—") | +\(ByteFormat.human(change.delta)) | \(was) | `\(cell(CommandText.short(change.command, limit: 80)))` |\n"
      }
      out += "\n"
    }
    if !growth.paths.isEmpty {
      out += "| Path | Grew by | Was |\n|---|---:|---:|\n"
      for change in growth.paths {
        out +=
          "| `\(cell(change.path))` | +\(ByteFormat.human(change.delta)) | \(change.before == 0 ? "new" : ByteFormat.human(change.before)) |\n"
      }
      out += "\n"
    }
    if !growth.pathsComplete {
      out += "_The baseline report has no `pathSizes`: only its largest paths were compared._\n"
    }
    return out
  }

  static func cell(_ text: String) -> String { MarkdownReport.cell(text) }
}
