import Analysis

/// `max-growth` and `max-growth-percent`, against the baseline.
enum GrowthRules {
  static func evaluate(_ config: BudgetConfig, growth: GrowthReport?) -> [RuleResult] {
    var results: [RuleResult] = []
    let rules: [(RuleKind, Limits?)] = [(.maxGrowth, config.maxGrowth), (.maxGrowthPercent, config.maxGrowthPercent)]
    for (kind, limits) in rules {
      guard let limits else { continue }
      guard let growth else {
        results.append(
          RuleResult(
            kind: kind, status: .skip, measured: nil, limit: nil, limits: limits,
            message: "no baseline given (--baseline REPORT.json)"))
        continue
      }
      let measured: Quantity = kind == .maxGrowth ? .bytes(growth.delta) : .fraction(growth.fraction)
      results.append(BudgetEvaluator.judge(kind, limits, measured, details: details(growth)))
    }
    return results
  }

  /// The layers, then the paths, that grew most.
  static func details(_ growth: GrowthReport) -> [RuleDetail] {
    let layers = growth.layers.prefix(5).map { change in
      RuleDetail(
        subject: .layer(change.index ?? -1, command: change.command), bytes: change.delta, before: change.before,
        note: change.baselineIndex == nil ? "new layer" : "was layer \(change.baselineIndex ?? 0)")
    }
    let paths = growth.paths.prefix(5).map { change in
      RuleDetail(
        subject: .path(change.path), bytes: change.delta, before: change.before, note: change.before == 0 ? "new" : nil)
    }
    return layers + paths
  }
}
