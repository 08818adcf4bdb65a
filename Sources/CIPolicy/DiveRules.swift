import Analysis

/// A dive rule's setting: switched off by the exact value `disabled`, or a threshold.
package enum DiveSetting<Value: Sendable & Hashable>: Sendable, Hashable {
  /// `disabled` (case-sensitive): dive reports the rule as skipped.
  case disabled
  /// The threshold as dive parsed it.
  case threshold(Value)
}

/// dive's three CI rules (`rules:` in `.dive-ci`), with dive's defaults.
package struct DiveRules: Sendable, Hashable {
  /// Fail when the efficiency is below this fraction. dive's default: 0.9.
  package var lowestEfficiency: DiveSetting<Double>
  /// Fail when dive's wasted bytes are above this. dive's default: disabled.
  package var highestWastedBytes: DiveSetting<UInt64>
  /// Fail when wasted bytes over the user layers' bytes are above this fraction. dive's
  /// default: 0.1.
  package var highestUserWastedPercent: DiveSetting<Double>

  /// Creates rules.
  package init(
    lowestEfficiency: DiveSetting<Double>, highestWastedBytes: DiveSetting<UInt64>,
    highestUserWastedPercent: DiveSetting<Double>
  ) {
    self.lowestEfficiency = lowestEfficiency
    self.highestWastedBytes = highestWastedBytes
    self.highestUserWastedPercent = highestUserWastedPercent
  }

  /// dive 0.13.1's defaults: `lowestEfficiency: 0.9`, `highestWastedBytes: disabled`,
  /// `highestUserWastedPercent: 0.1`.
  package static let defaults = DiveRules(
    lowestEfficiency: .threshold(0.9), highestWastedBytes: .disabled, highestUserWastedPercent: .threshold(0.1))
}
