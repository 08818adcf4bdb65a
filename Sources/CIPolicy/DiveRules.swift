import Analysis

/// A dive rule's setting: switched off by the exact value `disabled`, or a threshold.
public enum DiveSetting<Value: Sendable & Hashable>: Sendable, Hashable {
  /// `disabled` (case-sensitive): dive reports the rule as skipped.
  case disabled
  /// The threshold as dive parsed it.
  case threshold(Value)
}

/// dive's three CI rules (`rules:` in `.dive-ci`), with dive's defaults.
public struct DiveRules: Sendable, Hashable {
  /// Fail when the efficiency is below this fraction. dive's default: 0.9.
  public var lowestEfficiency: DiveSetting<Double>
  /// Fail when dive's wasted bytes are above this. dive's default: disabled.
  public var highestWastedBytes: DiveSetting<UInt64>
  /// Fail when wasted bytes over the user layers' bytes are above this fraction. dive's
  /// default: 0.1.
  public var highestUserWastedPercent: DiveSetting<Double>

  /// Creates rules.
  public init(
    lowestEfficiency: DiveSetting<Double>, highestWastedBytes: DiveSetting<UInt64>,
    highestUserWastedPercent: DiveSetting<Double>
  ) {
    self.lowestEfficiency = lowestEfficiency
    self.highestWastedBytes = highestWastedBytes
    self.highestUserWastedPercent = highestUserWastedPercent
  }

  /// dive 0.13.1's defaults: `lowestEfficiency: 0.9`, `highestWastedBytes: disabled`,
  /// `highestUserWastedPercent: 0.1`.
  public static let defaults = DiveRules(
    lowestEfficiency: .threshold(0.9), highestWastedBytes: .disabled, highestUserWastedPercent: .threshold(0.1))

  /// Parses one rule's value as dive does (the value is the text viper hands dive), with
  /// dive's validation messages:
  /// `invalid config value ('abc'): strconv.ParseFloat: parsing "abc": invalid syntax`,
  /// `lowestEfficiency config value is outside allowed range (0-1), given '1.5'`.
  /// - Throws: `DiveRuleError` with dive's message when dive would report the rule MISCONFIGURED.
  /// - Parameter rule: one of dive's three rule kinds.
  public mutating func set(_ rule: RuleKind, from text: String) throws(DiveRuleError) {
    let disabled = text == "disabled"
    switch rule {
    case .highestWastedBytes:
      if disabled {
        highestWastedBytes = .disabled
        return
      }
      switch DiveByteSize.parse(text) {
      case .success(let bytes): highestWastedBytes = .threshold(bytes)
      case .failure(let error): throw DiveRuleError(message: "invalid config value ('\(text)'): \(error)")
      }
    case .lowestEfficiency, .highestUserWastedPercent:
      let setting: DiveSetting<Double>
      if disabled {
        setting = .disabled
      } else {
        switch GoNumbers.parseFloat(text) {
        case .failure(let error): throw DiveRuleError(message: "invalid config value ('\(text)'): \(error)")
        case .success(let value):
          // NaN passes this check (every comparison with NaN is false) and then always passes.
          if value < 0 || value > 1 {
            throw DiveRuleError(message: "\(rule.rawValue) config value is outside allowed range (0-1), given '\(text)'")
          }
          setting = .threshold(value)
        }
      }
      if rule == .lowestEfficiency { lowestEfficiency = setting } else { highestUserWastedPercent = setting }
    default:
      throw DiveRuleError(message: "'\(rule.rawValue)' is not one of dive's rules")
    }
  }
}

/// A value dive would report as MISCONFIGURED, with dive's message.
public struct DiveRuleError: Error, Sendable, Hashable, CustomStringConvertible {
  /// dive's text.
  public var message: String
  /// Creates an error.
  public init(message: String) { self.message = message }
  public var description: String { message }
}
