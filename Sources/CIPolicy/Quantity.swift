import Analysis

/// A measured value or a limit, in the unit its rule measures.
package enum Quantity: Sendable, Hashable {
  /// A byte count.
  case bytes(Int64)
  /// A fraction (`0.25` is 25 %). dive's user-wasted fraction may be NaN or infinite.
  case fraction(Double)
  /// A count (layers, files).
  case count(Int)

  /// The value as a Double, for comparisons across units.
  package var doubleValue: Double {
    switch self {
    case .bytes(let value): return Double(value)
    case .fraction(let value): return value
    case .count(let value): return Double(value)
    }
  }
}

/// Which side of a limit is good.
package enum Bound: String, Sendable, Hashable {
  /// The measured value must not be above the limit (sizes, counts, waste).
  case atMost
  /// The measured value must not be below the limit (efficiency).
  case atLeast

  /// Whether `measured` is on the wrong side of `limit`. Equality is on the good side, as in
  /// dive, and so is NaN (every comparison with NaN is false, dive's behaviour for one-layer
  /// images).
  package func isCrossed(_ measured: Quantity, _ limit: Quantity) -> Bool {
    switch (measured, limit) {
    case (.bytes(let value), .bytes(let bound)):
      return self == .atMost ? value > bound : value < bound
    case (.count(let value), .count(let bound)):
      return self == .atMost ? value > bound : value < bound
    default:
      let value = measured.doubleValue
      let bound = limit.doubleValue
      return self == .atMost ? value > bound : value < bound
    }
  }
}

/// The warning and failure limits of one rule. A rule with neither is disabled (skipped).
package struct Limits: Sendable, Hashable {
  /// Crossing it gives a warning.
  package var warn: Quantity?
  /// Crossing it fails the rule.
  package var fail: Quantity?

  /// Creates limits.
  package init(warn: Quantity? = nil, fail: Quantity? = nil) {
    self.warn = warn
    self.fail = fail
  }

  /// A rule that is configured but switched off.
  package static let disabled = Limits()

  /// Only a failure limit.
  package static func fail(_ limit: Quantity) -> Limits { Limits(fail: limit) }

  /// Whether the rule is switched off.
  package var isDisabled: Bool { warn == nil && fail == nil }

  /// The status of `measured` against these limits, and the limit that decided it (the
  /// crossed one; when nothing is crossed, the failure limit, else the warning limit).
  package func judge(_ measured: Quantity, bound: Bound) -> (status: RuleStatus, limit: Quantity?) {
    if isDisabled { return (.skip, nil) }
    if let fail, bound.isCrossed(measured, fail) { return (.fail, fail) }
    if let warn, bound.isCrossed(measured, warn) { return (.warn, warn) }
    return (.pass, fail ?? warn)
  }
}
