/// A user's own waste pattern: files matching `glob` are reported under `category`.
package struct CustomWasteRule: Sendable, Hashable {
  /// The pattern (see `Glob`).
  package var glob: Glob
  /// A built-in category's id, or a name of the user's own.
  package var category: String
  /// How urgent.
  package var severity: Severity
  /// The fix to print.
  package var hint: String
  /// The tier its bytes are counted in (nil: see `effectiveTier`).
  package var tier: WasteTier?

  /// Creates a rule.
  package init(glob: Glob, category: String, severity: Severity, hint: String, tier: WasteTier? = nil) {
    self.glob = glob
    self.category = category
    self.severity = severity
    self.hint = hint
    self.tier = tier
  }

  /// The tier given, else the built-in category's, else `caches` (the user says nothing reads
  /// these files), or `review` for a rule of severity `info`.
  package var effectiveTier: WasteTier {
    tier ?? WasteCategory(rawValue: category)?.tier ?? (severity == .info ? .review : .caches)
  }
}

/// What the waste analysis looks for, and how it grades it.
package struct WasteConfig: Sendable, Hashable {
  /// Categories (built-in ids or custom names) not to report.
  package var disabled: Set<String> = []
  /// Severity overrides by category.
  package var severities: [String: Severity] = [:]
  /// The user's own patterns, applied after the built-in ones.
  package var customRules: [CustomWasteRule] = []
  /// Files smaller than this are not checked for duplicate content.
  package var duplicateMinBytes: Int64 = 1024
  /// The most bytes read to compare same-size files for duplicates (largest sizes first).
  package var duplicateReadBudget: Int64 = 256 << 20
  /// Paths excluded from every finding.
  package var excluded: [Glob] = []

  /// The defaults: every category on, built-in severities.
  package init() {}

  func enabled(_ category: String) -> Bool { !disabled.contains(category) }

  func severity(_ category: WasteCategory) -> Severity { severities[category.rawValue] ?? category.defaultSeverity }

  func isExcluded(_ path: String) -> Bool { excluded.contains { $0.matches(path) } }
}
