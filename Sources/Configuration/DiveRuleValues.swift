import CIPolicy

extension DiveRules {
  /// Parses one rule's value as dive does (the value is the text viper hands dive), with
  /// dive's validation messages:
  /// `invalid config value ('abc'): strconv.ParseFloat: parsing "abc": invalid syntax`,
  /// `lowestEfficiency config value is outside allowed range (0-1), given '1.5'`.
  /// - Throws: `DiveRuleError` with dive's message when dive would report the rule MISCONFIGURED.
  /// - Parameter rule: one of dive's three rule kinds.
  package mutating func set(_ rule: RuleKind, from text: String) throws(DiveRuleError) {
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
            throw DiveRuleError(
              message: "\(rule.rawValue) config value is outside allowed range (0-1), given '\(text)'")
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
package struct DiveRuleError: Error, Sendable, Hashable, CustomStringConvertible {
  /// dive's text.
  package var message: String
  /// Creates an error.
  package init(message: String) { self.message = message }
  package var description: String { message }
}
