import Analysis

/// Everything `strata ci` decided: one result per rule, the growth since a baseline, and the
/// verdict.
package struct CIEvaluation: Sendable {
  /// dive's rules first (sorted by name, as dive prints them), then strata's in a fixed order.
  package var results: [RuleResult]
  /// The comparison with the baseline, when one was given.
  package var growth: GrowthReport?
  /// Whether warnings fail the build (`--strict`).
  package var strict: Bool

  /// Creates an evaluation.
  package init(results: [RuleResult], growth: GrowthReport?, strict: Bool) {
    self.results = results
    self.growth = growth
    self.strict = strict
  }

  /// `fail` when a rule failed (or warned, with `strict`), `warn` when a rule warned, else
  /// `pass` (also when no rule was evaluated).
  package var verdict: RuleStatus {
    if results.contains(where: { $0.status == .fail }) { return .fail }
    if results.contains(where: { $0.status == .warn }) { return strict ? .fail : .warn }
    return .pass
  }

  /// Whether the build should go on (exit code 0).
  package var passed: Bool { verdict != .fail }

  /// How many results have `status`.
  package func count(_ status: RuleStatus) -> Int { results.filter { $0.status == status }.count }
}
