import Analysis
import Yams

/// Everything a `.strata.yaml` file configures.
///
/// ```yaml
/// exclude: ["/app/vendor/**"]      # paths left out of every finding and rule
/// waste:
///   disable: [docs]                 # categories not to report
///   severity: {leftover: medium}    # re-grade categories
///   duplicate-min-size: 4KB         # smaller files are not checked for duplicates
///   rules:                          # your own patterns
///     - glob: "/srv/cache/**"
///       category: app-cache
///       severity: medium
///       hint: "Clear /srv/cache in the same RUN that fills it."
/// ```
public struct Settings {
  /// Waste analysis settings (the top-level `exclude` is folded in).
  public var waste = WasteConfig()
  /// Paths excluded from every finding and rule.
  public var excluded: [Glob] = []
  /// The file the settings came from (nil for defaults).
  public var source: String?
  /// The parsed document, for sections other modules read (`ci`, dive's `rules`).
  public var document: Node?

  /// Defaults.
  public init() {}
}

/// Reads settings files.
public enum SettingsLoader {
  /// Top-level keys this loader knows; `ci` and `rules` belong to the CI gate.
  public static let knownTopLevelKeys = ["exclude", "waste", "ci", "rules", "plugins"]

  /// Parses settings from YAML text.
  /// - Parameter file: the name to use in errors.
  public static func parse(_ text: String, file: String) throws -> Settings {
    let reader = YAMLReader(file: file)
    var settings = Settings()
    settings.source = file
    guard let root = try reader.parse(text) else { return settings }
    settings.document = root
    if root.scalar != nil && (root.scalar?.string ?? "").isEmpty { return settings }
    for (key, keyNode, value) in try reader.mapping(root, "") {
      switch key {
      case "exclude":
        settings.excluded = try reader.strings(value, "exclude").map(Glob.init)
      case "waste":
        settings.waste = try parseWaste(value, reader: reader)
      default:
        if !knownTopLevelKeys.contains(key) {
          throw reader.unknownKey(keyNode, key, allowed: knownTopLevelKeys)
        }
      }
    }
    settings.waste.excluded += settings.excluded
    return settings
  }

  static func parseWaste(_ node: Node, reader: YAMLReader) throws -> WasteConfig {
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

  static func parseRule(_ node: Node, key: String, reader: YAMLReader) throws -> CustomWasteRule {
    var glob: String?
    var category: String?
    var severity = Severity.medium
    var hint = "Remove these files in the same step that creates them."
    for (name, keyNode, value) in try reader.mapping(node, key) {
      switch name {
      case "glob": glob = try reader.string(value, "\(key).glob")
      case "category": category = try reader.string(value, "\(key).category")
      case "severity": severity = try reader.severity(value, "\(key).severity")
      case "hint": hint = try reader.string(value, "\(key).hint")
      default: throw reader.unknownKey(keyNode, "\(key).\(name)", allowed: ["glob", "category", "severity", "hint"])
      }
    }
    guard let glob, !glob.isEmpty else { throw reader.fail(node, key, "a rule needs a 'glob'") }
    guard let category, !category.isEmpty else { throw reader.fail(node, key, "a rule needs a 'category'") }
    return CustomWasteRule(glob: Glob(glob), category: category, severity: severity, hint: hint)
  }
}
