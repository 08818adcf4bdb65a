import Analysis

/// Everything `strata ci` decided: one result per rule, the growth since a baseline, and the
/// verdict.
public struct CIEvaluation: Sendable {
  /// dive's rules first (sorted by name, as dive prints them), then strata's in a fixed order.
  public var results: [RuleResult]
  /// The comparison with the baseline, when one was given.
  public var growth: GrowthReport?
  /// Whether warnings fail the build (`--strict`).
  public var strict: Bool

  /// Creates an evaluation.
  public init(results: [RuleResult], growth: GrowthReport?, strict: Bool) {
    self.results = results
    self.growth = growth
    self.strict = strict
  }

  /// `fail` when a rule failed (or warned, with `strict`), `warn` when a rule warned, else
  /// `pass` (also when no rule was evaluated).
  public var verdict: RuleStatus {
    if results.contains(where: { $0.status == .fail }) { return .fail }
    if results.contains(where: { $0.status == .warn }) { return strict ? .fail : .warn }
    return .pass
  }

  /// Whether the build should go on (exit code 0).
  public var passed: Bool { verdict != .fail }

  /// How many results have `status`.
  public func count(_ status: RuleStatus) -> Int { results.filter { $0.status == status }.count }
}
