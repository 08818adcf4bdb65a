import Analysis
import YAMLIO

/// Reads the `waste:` section of `.strata.yaml`.
extension SettingsLoader {
  static func parseWaste(_ node: YAMLNode, reader: YAMLReader) throws -> WasteConfig {
    var config = WasteConfig()
    let allowed = ["disable", "severity", "duplicate-min-size", "exclude", "rules"]
    for (key, keyNode, value) in try reader.mapping(node, "waste") {
      let path = "waste.\(key)"
      switch key {
      case "disable":
        config.disabled = Set(try reader.strings(value, path))
      case "severity":
        // Built-in categories and the names of custom rules' categories may both be re-graded.
        for (category, _, level) in try reader.mapping(value, path) {
          config.severities[category] = try reader.severity(level, "\(path).\(category)")
        }
      case "duplicate-min-size":
        config.duplicateMinBytes = try reader.size(value, path)
      case "exclude":
        config.excluded += try reader.strings(value, path).map(Glob.init)
      case "rules":
        guard let sequence = value.sequence else { throw reader.fail(value, path, "expected a list of rules") }
        for (index, item) in sequence.enumerated() {
          config.customRules.append(try parseRule(item, key: "\(path)[\(index)]", reader: reader))
        }
      default:
        throw reader.unknownKey(keyNode, path, allowed: allowed)
      }
    }
    return config
  }

  static func parseRule(_ node: YAMLNode, key: String, reader: YAMLReader) throws -> CustomWasteRule {
    var glob: String?
    var category: String?
    var severity = Severity.medium
    var hint = "Remove these files in the same step that creates them."
    var tier: WasteTier?
    for (name, keyNode, value) in try reader.mapping(node, key) {
      switch name {
      case "glob": glob = try reader.string(value, "\(key).glob")
      case "category": category = try reader.string(value, "\(key).category")
      case "severity": severity = try reader.severity(value, "\(key).severity")
      case "hint": hint = try reader.string(value, "\(key).hint")
      case "tier":
        let text = try reader.string(value, "\(key).tier")
        guard let parsed = WasteTier(rawValue: text) else {
          throw reader.fail(value, "\(key).tier", "expected removable, caches or review")
        }
        tier = parsed
      default:
        throw reader.unknownKey(keyNode, "\(key).\(name)", allowed: ["glob", "category", "severity", "hint", "tier"])
      }
    }
    guard let glob, !glob.isEmpty else { throw reader.fail(node, key, "a rule needs a 'glob'") }
    guard let category, !category.isEmpty else { throw reader.fail(node, key, "a rule needs a 'category'") }
    return CustomWasteRule(glob: Glob(glob), category: category, severity: severity, hint: hint, tier: tier)
  }
}
