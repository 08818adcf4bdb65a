import Analysis
import CIPolicy
import YAMLIO

/// Reads dive's `rules:` section: the three rule names matched without regard to case (viper's
/// keys are case-insensitive), values as dive sees them, dive's defaults for the rest.
enum DiveRulesParser {
  static let names: [RuleKind] = [.lowestEfficiency, .highestWastedBytes, .highestUserWastedPercent]

  /// The rules, or a `ConfigError` at the offending value with dive's own message; unknown
  /// keys give warnings (dive ignores them; plugin keys such as `plugin1/rule1` are ignored
  /// silently, as in dive's example).
  static func parse(_ node: YAMLNode, key: String, reader: YAMLReader, warnings: inout [ConfigError]) throws
    -> DiveRules
  {
    var rules = DiveRules.defaults
    if let scalar = node.scalar, DiveScalar.text(scalar) == nil { return rules }
    for (name, keyNode, value) in try reader.mapping(node, key) {
      let path = "\(key).\(name)"
      guard let kind = names.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
        if !name.contains("/") {
          warnings.append(
            reader.fail(
              keyNode, path,
              "not one of dive's rules (lowestEfficiency, highestWastedBytes, highestUserWastedPercent): ignored, as dive does"
            ))
        }
        continue
      }
      guard let scalar = value.scalar else { throw reader.fail(value, path, "expected a single value") }
      guard let text = DiveScalar.text(scalar) else { continue }
      do {
        try rules.set(kind, from: text)
      } catch {
        throw reader.fail(value, path, error.message)
      }
    }
    return rules
  }
}
