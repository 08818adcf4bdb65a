import Analysis

/// Every kind of CI rule. The raw value is the key in the configuration file: dive's own
/// names for dive's three rules (under `rules:`), kebab-case for strata's (under `ci:`).
package enum RuleKind: String, Sendable, Hashable, CaseIterable {
  // dive's rules, with dive's semantics and messages.
  /// dive: fail when the efficiency is below the threshold.
  case lowestEfficiency
  /// dive: fail when dive's wasted bytes are above the threshold.
  case highestWastedBytes
  /// dive: fail when wasted bytes over the user layers' bytes are above the threshold.
  case highestUserWastedPercent

  // strata's rules, each with warn and fail limits.
  /// The image's content (sum of its layers).
  case maxImageSize = "max-image-size"
  /// The largest layer.
  case maxLayerSize = "max-layer-size"
  /// Number of layers.
  case maxLayerCount = "max-layer-count"
  /// What a pull of the image downloads (config and compressed layers).
  case maxPullSize = "max-pull-size"
  /// dive's efficiency, with warn and fail limits.
  case minEfficiency = "min-efficiency"
  /// dive's wasted bytes, with warn and fail limits.
  case maxWastedBytes = "max-wasted-bytes"
  /// dive's user-wasted fraction, with warn and fail limits.
  case maxUserWastedPercent = "max-user-wasted-percent"
  /// strata's reclaimable bytes (every waste category, each byte once).
  case maxWaste = "max-waste"
  /// strata's reclaimable bytes over the image's bytes.
  case maxWastePercent = "max-waste-percent"
  /// One waste category's bytes.
  case maxCategoryWaste = "max-category-waste"
  /// One waste category's bytes over the image's bytes.
  case maxCategoryWastePercent = "max-category-waste-percent"
  /// Bytes of the final filesystem under a glob.
  case maxPathSize = "max-path-size"
  /// Files of a category that must not appear at all.
  case forbid
  /// Bytes the image grew by since the baseline.
  case maxGrowth = "max-growth"
  /// Growth since the baseline over the baseline's bytes.
  case maxGrowthPercent = "max-growth-percent"

  /// Whether it is one of dive's three rules.
  package var isDive: Bool {
    self == .lowestEfficiency || self == .highestWastedBytes || self == .highestUserWastedPercent
  }

  /// Which side of the limit is good.
  package var bound: Bound {
    self == .lowestEfficiency || self == .minEfficiency ? .atLeast : .atMost
  }

  /// A short name for reports.
  package var title: String {
    switch self {
    case .lowestEfficiency, .minEfficiency: return "efficiency (dive)"
    case .highestWastedBytes, .maxWastedBytes: return "wasted bytes (dive)"
    case .highestUserWastedPercent, .maxUserWastedPercent: return "user wasted percent (dive)"
    case .maxImageSize: return "image size"
    case .maxLayerSize: return "largest layer"
    case .maxLayerCount: return "layer count"
    case .maxPullSize: return "pull size"
    case .maxWaste: return "reclaimable waste"
    case .maxWastePercent: return "reclaimable waste, share of the image"
    case .maxCategoryWaste: return "waste in category"
    case .maxCategoryWastePercent: return "waste in category, share of the image"
    case .maxPathSize: return "bytes under path"
    case .forbid: return "forbidden files"
    case .maxGrowth: return "growth since baseline"
    case .maxGrowthPercent: return "growth since baseline, share"
    }
  }
}
