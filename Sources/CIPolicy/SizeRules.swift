import Analysis

/// `max-image-size`, `max-layer-size`, `max-layer-count`, `max-pull-size`, and dive's figures
/// with warn and fail limits.
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
    if let limits = config.maxPullSize { results.append(pullSize(limits, analysis: analysis)) }
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

  /// `max-pull-size`: the pull size against its limits, the largest blobs as details. A pull
  /// size that is not known (layers stored uncompressed) cannot pass: the rule fails (warns,
  /// with a warning limit only) and says how to measure it.
  static func pullSize(_ limits: Limits, analysis: ImageAnalysis) -> RuleResult {
    let image = analysis.image
    guard let pull = image.pullBytes else {
      guard limits != .disabled else { return BudgetEvaluator.judge(.maxPullSize, limits, .bytes(0)) }
      return RuleResult(
        kind: .maxPullSize, status: limits.fail == nil ? .warn : .fail, measured: nil,
        limit: limits.fail ?? limits.warn, limits: limits,
        message:
          "pull size unknown: the image's layers are stored uncompressed, so what a registry serves is not known; "
          + "read it from its registry (registry://REF) or an OCI archive of compressed layers, or set max-pull-size: disabled"
      )
    }
    let largest = image.layers.filter { $0.descriptor.storedSize != nil }.sorted {
      ($0.descriptor.storedSize ?? 0, $1.index) > ($1.descriptor.storedSize ?? 0, $0.index)
    }
    let details = largest.prefix(3).map { layer in
      RuleDetail(
        subject: .layer(layer.index, command: layer.descriptor.command), bytes: layer.descriptor.storedSize ?? 0,
        note: "compressed")
    }
    return BudgetEvaluator.judge(.maxPullSize, limits, .bytes(pull), details: details)
  }
}
