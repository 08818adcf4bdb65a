import Analysis

/// `max-waste`, `max-waste-percent`, the per-category rules and `forbid`, from the waste
/// report (computed with the excluded paths left out).
enum WasteRules {
  static func evaluate(_ config: BudgetConfig, analysis: ImageAnalysis, waste: WasteReport) -> [RuleResult] {
    var results: [RuleResult] = []
    let limit = BudgetEvaluator.detailLimit
    let reclaimable = Set(waste.findings.filter(\.countsTowardTotal).map(\.category))
    let categories = waste.bytesByCategory.filter { $0.value > 0 && reclaimable.contains($0.key) }.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }.prefix(limit).map { RuleDetail(subject: .category($0.key), bytes: $0.value) }
    if let limits = config.maxWaste {
      results.append(
        BudgetEvaluator.judge(.maxWaste, limits, .bytes(waste.reclaimableBytes), details: Array(categories)))
    }
    if let limits = config.maxWastePercent {
      results.append(
        BudgetEvaluator.judge(
          .maxWastePercent, limits, .fraction(waste.reclaimableFraction), details: Array(categories)))
    }
    for item in config.maxCategoryWaste {
      let bytes = categoryBytes(item.category, waste)
      results.append(
        BudgetEvaluator.judge(
          .maxCategoryWaste, item.limits, .bytes(bytes), subject: item.category, details: paths(item.category, waste)))
    }
    for item in config.maxCategoryWastePercent {
      let bytes = categoryBytes(item.category, waste)
      let fraction = waste.imageBytes == 0 ? 0 : Double(bytes) / Double(waste.imageBytes)
      results.append(
        BudgetEvaluator.judge(
          .maxCategoryWastePercent, item.limits, .fraction(fraction), subject: item.category,
          details: paths(item.category, waste)))
    }
    for item in config.forbid {
      let files = waste.findings.filter { $0.category == item.category }.reduce(0) { $0 + $1.fileCount }
      results.append(
        BudgetEvaluator.judge(
          .forbid, item.limits, .count(files), subject: item.category, details: paths(item.category, waste)))
    }
    return results
  }

  /// A category's bytes: its share of the reclaimable total (each byte counted once) for
  /// categories that count toward it, else the bytes of its finding (the review tier:
  /// toolchains, docs, sensitive files…).
  static func categoryBytes(_ category: String, _ waste: WasteReport) -> Int64 {
    let findings = waste.findings.filter { $0.category == category }
    if findings.contains(where: \.countsTowardTotal) { return waste.bytesByCategory[category] ?? 0 }
    return findings.reduce(0) { $0 + $1.bytes }
  }

  /// The category's paths, largest first, each with the layer holding its bytes.
  static func paths(_ category: String, _ waste: WasteReport) -> [RuleDetail] {
    var details: [RuleDetail] = []
    for finding in waste.findings where finding.category == category {
      for path in finding.paths {
        var note = "layer \(path.layer)"
        if let detail = path.detail { note += ", \(detail)" }
        details.append(RuleDetail(subject: .path(path.path), bytes: path.bytes, note: note))
      }
    }
    details.sort { lhs, rhs in
      if lhs.bytes != rhs.bytes { return lhs.bytes > rhs.bytes }
      if case .path(let left) = lhs.subject, case .path(let right) = rhs.subject { return left < right }
      return false
    }
    return Array(details.prefix(BudgetEvaluator.detailLimit))
  }
}
