/// A user's own waste pattern: files matching `glob` are reported under `category`.
public struct CustomWasteRule: Sendable, Hashable {
  /// The pattern (see `Glob`).
  public var glob: Glob
  /// A built-in category's id, or a name of the user's own.
  public var category: String
  /// How urgent.
  public var severity: Severity
  /// The fix to print.
  public var hint: String
  /// The tier its bytes are counted in (nil: see `effectiveTier`).
  public var tier: WasteTier?

  /// Creates a rule.
  public init(glob: Glob, category: String, severity: Severity, hint: String, tier: WasteTier? = nil) {
    self.glob = glob
    self.category = category
    self.severity = severity
    self.hint = hint
    self.tier = tier
  }

  /// The tier given, else the built-in category's, else `caches` (the user says nothing reads
  /// these files), or `review` for a rule of severity `info`.
  public var effectiveTier: WasteTier {
    tier ?? WasteCategory(rawValue: category)?.tier ?? (severity == .info ? .review : .caches)
  }
}

/// What the waste analysis looks for, and how it grades it.
public struct WasteConfig: Sendable, Hashable {
  /// Categories (built-in ids or custom names) not to report.
  public var disabled: Set<String> = []
  /// Severity overrides by category.
  public var severities: [String: Severity] = [:]
  /// The user's own patterns, applied after the built-in ones.
  public var customRules: [CustomWasteRule] = []
  /// Files smaller than this are not checked for duplicate content.
  public var duplicateMinBytes: Int64 = 1024
  /// The most bytes read to compare same-size files for duplicates (largest sizes first).
  public var duplicateReadBudget: Int64 = 256 << 20
  /// Paths excluded from every finding.
  public var excluded: [Glob] = []

  /// The defaults: every category on, built-in severities.
  public init() {}

  func enabled(_ category: String) -> Bool { !disabled.contains(category) }

  func severity(_ category: WasteCategory) -> Severity { severities[category.rawValue] ?? category.defaultSeverity }

  func isExcluded(_ path: String) -> Bool { excluded.contains { $0.matches(path) } }
}
