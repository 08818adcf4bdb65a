import Analysis

/// Limits for one waste category (a built-in id such as `package-cache`, or a custom rule's
/// category name).
package struct CategoryLimit: Sendable, Hashable {
  /// The category.
  package var category: String
  /// Its limits (bytes, or fractions of the image for the percent rules).
  package var limits: Limits

  /// Creates a category limit.
  package init(category: String, limits: Limits) {
    self.category = category
    self.limits = limits
  }
}

/// Limits for the bytes of the final filesystem under a glob.
package struct PathLimit: Sendable, Hashable {
  /// A file counts when its path, or the path of a directory above it, matches.
  package var glob: Glob
  /// Its byte limits.
  package var limits: Limits

  /// Creates a path limit.
  package init(glob: Glob, limits: Limits) {
    self.glob = glob
    self.limits = limits
  }
}

/// Every rule `strata ci` evaluates, as configured. A nil property is a rule not configured
/// (left out of the report); `Limits.disabled` is a rule configured off (reported as skipped).
package struct BudgetConfig: Sendable, Hashable {
  /// dive's three rules, when the configuration has dive's `rules:` section (or none at all).
  package var dive: DiveRules?
  /// `max-image-size`: bytes of all layers.
  package var maxImageSize: Limits?
  /// `max-layer-size`: bytes of the largest layer.
  package var maxLayerSize: Limits?
  /// `max-layer-count`.
  package var maxLayerCount: Limits?
  /// `max-pull-size`: what a pull downloads (config and compressed layers).
  package var maxPullSize: Limits?
  /// `min-efficiency`: dive's efficiency, with warn and fail limits.
  package var minEfficiency: Limits?
  /// `max-wasted-bytes`: dive's wasted bytes, with warn and fail limits.
  package var maxWastedBytes: Limits?
  /// `max-user-wasted-percent`: dive's user-wasted fraction, with warn and fail limits.
  package var maxUserWastedPercent: Limits?
  /// `max-waste`: strata's reclaimable bytes.
  package var maxWaste: Limits?
  /// `max-waste-percent`: reclaimable bytes over the image's bytes.
  package var maxWastePercent: Limits?
  /// `max-category-waste`: bytes per category.
  package var maxCategoryWaste: [CategoryLimit] = []
  /// `max-category-waste-percent`: per category, over the image's bytes.
  package var maxCategoryWastePercent: [CategoryLimit] = []
  /// `max-path-size`: bytes under a glob.
  package var maxPathSize: [PathLimit] = []
  /// `forbid`: categories that must not appear. The limits are file counts (`.count(0)`).
  package var forbid: [CategoryLimit] = []
  /// `max-growth`: bytes grown since the baseline.
  package var maxGrowth: Limits?
  /// `max-growth-percent`: growth over the baseline's bytes.
  package var maxGrowthPercent: Limits?
  /// Paths left out of every path-based rule: waste, categories, forbidden files, path
  /// budgets, and the paths listed as grown. The image's size, its layers and dive's figures
  /// measure the image as it ships.
  package var excluded: [Glob] = []

  /// No rules.
  package init() {}

  /// What `strata ci` checks when there is no configuration file: dive's three rules with
  /// dive's defaults (so the verdict is `CI=true dive`'s), and a warning — not a failure —
  /// for sensitive files (private keys, credentials, `.env`).
  package static let defaults: BudgetConfig = {
    var config = BudgetConfig()
    config.dive = .defaults
    config.forbid = [CategoryLimit(category: WasteCategory.sensitive.rawValue, limits: Limits(warn: .count(0)))]
    return config
  }()

  /// Whether no rule at all is configured.
  package var isEmpty: Bool {
    dive == nil && maxImageSize == nil && maxLayerSize == nil && maxLayerCount == nil && maxPullSize == nil
      && minEfficiency == nil
      && maxWastedBytes == nil && maxUserWastedPercent == nil && maxWaste == nil && maxWastePercent == nil
      && maxCategoryWaste.isEmpty && maxCategoryWastePercent.isEmpty && maxPathSize.isEmpty && forbid.isEmpty
      && maxGrowth == nil && maxGrowthPercent == nil
  }

  /// Whether a path is excluded.
  package func isExcluded(_ path: String) -> Bool { excluded.contains { $0.matches(path) } }
}
