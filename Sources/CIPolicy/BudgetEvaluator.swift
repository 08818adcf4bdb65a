import Analysis
import MergedTree

/// Evaluates a `BudgetConfig` against an analysed image. Pure: it reads values and returns
/// values.
package enum BudgetEvaluator {
  /// How many paths, layers or categories a result lists.
  package static let detailLimit = 10

  /// Evaluates every configured rule.
  /// - Parameters:
  ///   - waste: the waste report, computed with `config.excluded` left out.
  ///   - baseline: an earlier report of the same image, for the growth rules.
  ///   - strict: whether warnings fail the build.
  package static func evaluate(
    _ config: BudgetConfig, analysis: ImageAnalysis, waste: WasteReport, baseline: Baseline? = nil, strict: Bool = false
  ) -> CIEvaluation {
    let growth = baseline.map { GrowthAnalyzer.compare(analysis, with: $0, excluded: config.excluded) }
    var results: [RuleResult] = []
    if let dive = config.dive {
      results += DiveRuleEvaluator.evaluate(dive, figures: analysis.dive)
    }
    results += SizeRules.evaluate(config, analysis: analysis)
    results += WasteRules.evaluate(config, analysis: analysis, waste: waste)
    results += PathBudgetRules.evaluate(config, analysis: analysis)
    results += GrowthRules.evaluate(config, growth: growth)
    return CIEvaluation(results: results, growth: growth, strict: strict)
  }

  /// A result from limits and a measured value.
  static func judge(
    _ kind: RuleKind, _ limits: Limits, _ measured: Quantity, subject: String? = nil, details: [RuleDetail] = []
  ) -> RuleResult {
    let (status, limit) = limits.judge(measured, bound: kind.bound)
    return RuleResult(
      kind: kind, subject: subject, status: status, measured: measured, limit: limit, limits: limits,
      message: status == .skip ? "rule disabled" : "", details: details)
  }

  /// dive's inefficient paths as details, largest first.
  static func inefficiencies(_ figures: DiveFigures) -> [RuleDetail] {
    figures.inefficiencies.prefix(detailLimit).map {
      RuleDetail(subject: .path($0.path), bytes: $0.cumulativeBytes, count: $0.count)
    }
  }
}

/// dive's three rules, with dive's comparisons and messages.
enum DiveRuleEvaluator {
  static func evaluate(_ rules: DiveRules, figures: DiveFigures) -> [RuleResult] {
    let details = BudgetEvaluator.inefficiencies(figures)
    var results: [RuleResult] = []
    // dive prints its rules sorted by name.
    switch rules.highestUserWastedPercent {
    case .disabled: results.append(skipped(.highestUserWastedPercent, .fraction(figures.userWastedFraction)))
    case .threshold(let threshold):
      let measured = figures.userWastedFraction
      let failed = threshold < measured  // NaN compares false: passes, as in dive
      results.append(
        RuleResult(
          kind: .highestUserWastedPercent, status: failed ? .fail : .pass, measured: .fraction(measured),
          limit: .fraction(threshold), limits: .fail(.fraction(threshold)),
          message: failed
            ? "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=\(GoNumbers.formatV(measured)) > threshold=\(GoNumbers.formatV(threshold)))"
            : "",
          details: details))
    }
    switch rules.highestWastedBytes {
    case .disabled: results.append(skipped(.highestWastedBytes, .bytes(figures.wastedBytes)))
    case .threshold(let threshold):
      let measured = UInt64(max(0, figures.wastedBytes))
      let failed = measured > threshold
      let limit = Quantity.bytes(Int64(clamping: threshold))
      results.append(
        RuleResult(
          kind: .highestWastedBytes, status: failed ? .fail : .pass, measured: .bytes(figures.wastedBytes),
          limit: limit,
          limits: .fail(limit),
          message: failed ? "too many bytes wasted (wasted-bytes=\(measured) > threshold=\(threshold))" : "",
          details: details))
    }
    switch rules.lowestEfficiency {
    case .disabled: results.append(skipped(.lowestEfficiency, .fraction(figures.efficiency)))
    case .threshold(let threshold):
      let measured = figures.efficiency
      let failed = threshold > measured
      results.append(
        RuleResult(
          kind: .lowestEfficiency, status: failed ? .fail : .pass, measured: .fraction(measured),
          limit: .fraction(threshold), limits: .fail(.fraction(threshold)),
          message: failed
            ? "image efficiency is too low (efficiency=\(GoNumbers.formatV(measured)) < threshold=\(GoNumbers.formatV(threshold)))"
            : "",
          details: details))
    }
    return results
  }

  private static func skipped(_ kind: RuleKind, _ measured: Quantity) -> RuleResult {
    RuleResult(kind: kind, status: .skip, measured: measured, limit: nil, limits: .disabled, message: "rule disabled")
  }
}
