import Analysis

/// `max-image-size`, `max-layer-size`, `max-layer-count`, and dive's figures with warn and
/// fail limits.
enum SizeRules {
  static func evaluate(_ config: BudgetConfig, analysis: ImageAnalysis) -> [RuleResult] {
    var results: [RuleResult] = []
    let layers = analysis.layers
    let bySize = layers.sorted {
      $0.sizeBytes != $1.sizeBytes ? $0.sizeBytes > $1.sizeBytes : $0.descriptor.index < $1.descriptor.index
    }
    func detail(_ layer: LayerSummary) -> RuleDetail {
      RuleDetail(subject: .layer(layer.descriptor.index, command: layer.descriptor.command), bytes: layer.sizeBytes)
    }
    if let limits = config.maxImageSize {
      let details = bySize.prefix(3).map(detail)
      results.append(BudgetEvaluator.judge(.maxImageSize, limits, .bytes(analysis.dive.sizeBytes), details: details))
    }
    if let limits = config.maxLayerSize {
      let largest = bySize.first?.sizeBytes ?? 0
      // The layers over a limit, else the largest one.
      let lowest = [limits.warn, limits.fail].compactMap { $0 }.map(\.doubleValue).min() ?? .infinity
      var over = bySize.filter { Double($0.sizeBytes) > lowest }
      if over.isEmpty { over = Array(bySize.prefix(1)) }
      results.append(
        BudgetEvaluator.judge(
          .maxLayerSize, limits, .bytes(largest), details: over.prefix(BudgetEvaluator.detailLimit).map(detail)))
    }
    if let limits = config.maxLayerCount {
      results.append(BudgetEvaluator.judge(.maxLayerCount, limits, .count(layers.count)))
    }
    let dive = analysis.dive
    let inefficiencies = BudgetEvaluator.inefficiencies(dive)
    if let limits = config.minEfficiency {
      results.append(BudgetEvaluator.judge(.minEfficiency, limits, .fraction(dive.efficiency), details: inefficiencies))
    }
    if let limits = config.maxWastedBytes {
      results.append(BudgetEvaluator.judge(.maxWastedBytes, limits, .bytes(dive.wastedBytes), details: inefficiencies))
    }
    if let limits = config.maxUserWastedPercent {
      results.append(
        BudgetEvaluator.judge(
          .maxUserWastedPercent, limits, .fraction(dive.userWastedFraction), details: inefficiencies))
    }
    return results
  }
}
