import Analysis
import CIPolicy
import YAMLIO

/// Which kind of file the settings came from.
package enum ConfigDialect: String, Sendable {
  /// strata's `.strata.yaml`: every key checked.
  case strata
  /// dive's `.dive-ci`: a file with a `rules:` section and none of strata's sections. Only
  /// `rules:` is read; other keys are ignored (with a warning), as dive ignores them.
  case dive
}

/// Everything a `.strata.yaml` file configures.
///
/// ```yaml
/// exclude: ["/app/vendor/**"]      # paths left out of every finding and rule
/// waste:
///   disable: [docs]                 # categories not to report
///   severity: {leftover: medium}    # re-grade categories
///   duplicate-min-size: 4KB         # smaller files are not checked for duplicates
///   duplicate-read-budget: 256MiB   # the most bytes read to compare same-size files
///   rules:                          # your own patterns
///     - glob: "/srv/cache/**"
///       category: app-cache
///       severity: medium
///       hint: "Clear /srv/cache in the same RUN that fills it."
/// ci:                               # budgets for `strata ci` (docs/ci.md)
///   max-image-size: {warn: 400MB, fail: 500MB}
///   forbid: [sensitive]
/// rules:                            # dive's .dive-ci rules, read as dive reads them
///   lowestEfficiency: 0.95
/// ```
package struct Settings {
  /// Waste analysis settings (the top-level `exclude` is folded in).
  package var waste = WasteConfig()
  /// Paths excluded from every finding and rule.
  package var excluded: [Glob] = []
  /// The CI rules the file configures (`ci:` and dive's `rules:`), with `excluded` and
  /// `ci.exclude` folded in; nil when it has neither section.
  package var ci: BudgetConfig?
  /// Paths `ci.exclude` leaves out of the CI rules (on top of `excluded`).
  package var ciExcluded: [Glob] = []
  /// Which kind of file it is.
  package var dialect = ConfigDialect.strata
  /// Things that are not errors but deserve a line on standard error (keys dive ignores).
  package var warnings: [ConfigError] = []
  /// The file the settings came from (nil for defaults).
  package var source: String?
  /// The parsed document.
  package var document: YAMLNode?

  /// Defaults.
  package init() {}

  /// The waste settings for `strata ci`: `waste`, with `ci.exclude` left out too.
  package var ciWaste: WasteConfig {
    var config = waste
    config.excluded += ciExcluded
    return config
  }

  /// The CI rules to evaluate: the file's, or `BudgetConfig.defaults` (with the file's
  /// exclusions) when it configures none.
  package var budget: BudgetConfig {
    if let ci { return ci }
    var config = BudgetConfig.defaults
    config.excluded = excluded
    return config
  }
}

/// Reads settings files.
package enum SettingsLoader {
  /// Top-level keys of `.strata.yaml`; `ci` and dive's `rules` (and `plugins`, which dive's
  /// example has) belong to the CI gate.
  package static let knownTopLevelKeys = ["exclude", "waste", "ci", "rules", "plugins"]

  /// Parses settings from YAML text.
  /// - Parameter file: the name to use in errors.
  /// - Throws: `ConfigError` with the file, line and key.
  package static func parse(_ text: String, file: String) throws -> Settings {
    let reader = YAMLReader(file: file)
    var settings = Settings()
    settings.source = file
    guard let root = try reader.parse(text) else { return settings }
    settings.document = root
    if let scalar = root.scalar, ["", "~", "null"].contains(scalar.text) { return settings }
    let entries = try reader.mapping(root, "")
    let names = entries.map(\.key)
    let isDive =
      names.contains { $0.lowercased() == "rules" } && !names.contains { ["exclude", "waste", "ci"].contains($0) }
    if isDive {
      settings.dialect = .dive
      return try parseDive(entries, settings: settings, reader: reader)
    }
    var ci: BudgetConfig?
    var ciParser = CIParser(reader: reader)
    for (key, keyNode, value) in entries {
      switch key {
      case "exclude":
        settings.excluded = try reader.strings(value, "exclude").map(Glob.init)
      case "waste":
        settings.waste = try parseWaste(value, reader: reader)
      case "ci":
        var config = ci ?? BudgetConfig()
        try ciParser.parse(value, into: &config)
        ci = config
      case "plugins":
        break
      default:
        if key.lowercased() == "rules" {
          var config = ci ?? BudgetConfig()
          config.dive = try DiveRulesParser.parse(value, key: key, reader: reader, warnings: &settings.warnings)
          ci = config
        } else {
          throw reader.unknownKey(keyNode, key, allowed: knownTopLevelKeys)
        }
      }
    }
    try ciParser.checkCategories(settings.waste)
    if var config = ci {
      settings.ciExcluded = config.excluded
      config.excluded = settings.excluded + config.excluded
      settings.ci = config
    }
    settings.waste.excluded += settings.excluded
    return settings
  }

  /// A dive file: only `rules:` counts.
  static func parseDive(
    _ entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)], settings: Settings, reader: YAMLReader
  ) throws -> Settings {
    var settings = settings
    var config = BudgetConfig()
    config.dive = .defaults
    for (key, keyNode, value) in entries {
      if key.lowercased() == "rules" {
        config.dive = try DiveRulesParser.parse(value, key: key, reader: reader, warnings: &settings.warnings)
      } else if key != "plugins" {
        settings.warnings.append(reader.fail(keyNode, key, "ignored: a dive configuration is read for its rules: only"))
      }
    }
    settings.ci = config
    return settings
  }
}
