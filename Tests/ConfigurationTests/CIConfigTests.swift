import Analysis
import CIPolicy
import Configuration
import Testing

@Suite("The ci: section of .strata.yaml")
struct CIConfigTests {
  static let everyRule = """
    exclude: ["/srv/accepted/**"]
    ci:
      max-image-size: {warn: 2.5MB, fail: 3MB}
      max-layer-size: 2MB
      max-layer-count: {warn: 8, fail: 12}
      max-pull-size: {warn: 40MB, fail: 50MB}
      min-efficiency: {warn: 95%, fail: 0.8}
      max-wasted-bytes: disabled
      max-user-wasted-percent: {fail: 50%}
      max-waste: {warn: 500kB, fail: 1MB}
      max-waste-percent: {warn: 20%, fail: 40%}
      max-category-waste:
        package-cache: {warn: 100kB, fail: 300kB}
        app-cache: 1kB
      max-category-waste-percent:
        language-cache: 5%
      max-path-size:
        "/usr/lib/python3*/**": 80MB
        "/app": {warn: 100kB, fail: 200kB}
      forbid: [sensitive]
      exclude: ["/app/.git/**"]
      max-growth: {warn: 100kB, fail: 1MB}
      max-growth-percent: 10%
    waste:
      rules:
        - glob: "/srv/cache/**"
          category: app-cache
    """

  @Test("every rule kind parses to its limits")
  func everyRule() throws {
    let settings = try SettingsLoader.parse(Self.everyRule, file: ".strata.yaml")
    #expect(settings.dialect == .strata)
    let ci = try #require(settings.ci)
    #expect(ci.dive == nil)
    #expect(ci.maxImageSize == Limits(warn: .bytes(2_500_000), fail: .bytes(3_000_000)))
    #expect(ci.maxLayerSize == .fail(.bytes(2_000_000)))
    #expect(ci.maxLayerCount == Limits(warn: .count(8), fail: .count(12)))
    #expect(ci.maxPullSize == Limits(warn: .bytes(40_000_000), fail: .bytes(50_000_000)))
    #expect(ci.minEfficiency == Limits(warn: .fraction(0.95), fail: .fraction(0.8)))
    #expect(ci.maxWastedBytes == .disabled)
    #expect(ci.maxUserWastedPercent == .fail(.fraction(0.5)))
    #expect(ci.maxWaste == Limits(warn: .bytes(500_000), fail: .bytes(1_000_000)))
    #expect(ci.maxWastePercent == Limits(warn: .fraction(0.2), fail: .fraction(0.4)))
    #expect(
      ci.maxCategoryWaste == [
        CategoryLimit(category: "package-cache", limits: Limits(warn: .bytes(100_000), fail: .bytes(300_000))),
        CategoryLimit(category: "app-cache", limits: .fail(.bytes(1000))),
      ])
    #expect(ci.maxCategoryWastePercent == [CategoryLimit(category: "language-cache", limits: .fail(.fraction(0.05)))])
    #expect(ci.maxPathSize.map(\.glob.pattern) == ["/usr/lib/python3*/**", "/app"])
    #expect(ci.maxPathSize.first?.limits == .fail(.bytes(80_000_000)))
    #expect(ci.forbid == [CategoryLimit(category: "sensitive", limits: .fail(.count(0)))])
    #expect(ci.maxGrowth == Limits(warn: .bytes(100_000), fail: .bytes(1_000_000)))
    #expect(ci.maxGrowthPercent == .fail(.fraction(0.1)))
    // The top-level exclude and ci.exclude both apply to CI rules; only the top-level one to analyze.
    #expect(ci.excluded.map(\.pattern) == ["/srv/accepted/**", "/app/.git/**"])
    #expect(settings.waste.excluded.map(\.pattern) == ["/srv/accepted/**"])
    #expect(settings.ciWaste.excluded.map(\.pattern) == ["/srv/accepted/**", "/app/.git/**"])
  }

  @Test("forbid as a mapping: fail, warn or disabled per category")
  func forbidMapping() throws {
    let settings = try SettingsLoader.parse(
      "ci:\n  forbid: {sensitive: fail, bytecode: warn, docs: disabled}\n", file: "f.yaml")
    #expect(
      try #require(settings.ci).forbid == [
        CategoryLimit(category: "sensitive", limits: .fail(.count(0))),
        CategoryLimit(category: "bytecode", limits: Limits(warn: .count(0))),
        CategoryLimit(category: "docs", limits: .disabled),
      ])
  }

  @Test("dive's rules: beside ci: keep dive's semantics and defaults")
  func diveRulesInStrataFile() throws {
    let settings = try SettingsLoader.parse(
      "rules:\n  lowestEfficiency: 0.95\nci:\n  max-layer-count: 20\n", file: ".strata.yaml")
    #expect(settings.dialect == .strata)
    let ci = try #require(settings.ci)
    #expect(ci.dive == DiveRules.defaults.with(lowestEfficiency: 0.95))
    #expect(ci.maxLayerCount == .fail(.count(20)))
  }

  @Test("a file without ci: or rules: gives the defaults, with its exclusions")
  func noCISection() throws {
    let settings = try SettingsLoader.parse("exclude: [\"/x/**\"]\nwaste:\n  disable: [docs]\n", file: ".strata.yaml")
    #expect(settings.ci == nil)
    #expect(settings.budget.dive == .defaults)
    #expect(settings.budget.excluded.map(\.pattern) == ["/x/**"])
  }

  @Test(
    "invalid ci: values name the file, the line and the key",
    arguments: [
      (
        "ci:\n  max-image-size: big\n",
        "s.yaml:2: ci.max-image-size: 'big' is not a size (write e.g. 500kB, 20MB, 1.5GiB)"
      ),
      (
        "ci:\n  max-imge-size: 1MB\n",
        "s.yaml:2: ci.max-imge-size: unknown key; expected one of: max-image-size, max-layer-size, max-layer-count, max-pull-size, min-efficiency, max-wasted-bytes, max-user-wasted-percent, max-waste, max-waste-percent, max-category-waste, max-category-waste-percent, max-path-size, forbid, exclude, max-growth, max-growth-percent"
      ),
      ("ci:\n  max-layer-count: -1\n", "s.yaml:2: ci.max-layer-count: '-1' is not a count (0, 1, 2, …)"),
      (
        "ci:\n  max-waste-percent: 10\n",
        "s.yaml:2: ci.max-waste-percent: '10' is above 1: write percentages with % (10%); a bare number is a fraction (0.1 = 10%)"
      ),
      ("ci:\n  min-efficiency: abc%\n", "s.yaml:2: ci.min-efficiency: 'abc%' is not a percentage (write e.g. 10%)"),
      (
        "ci:\n  max-image-size:\n    warn: 3MB\n    fail: 2MB\n",
        "s.yaml:3: ci.max-image-size: the warn limit is above the fail limit, so it could never warn"
      ),
      (
        "ci:\n  min-efficiency: {warn: 0.8, fail: 0.9}\n",
        "s.yaml:2: ci.min-efficiency: the warn limit is below the fail limit, so it could never warn"
      ),
      (
        "ci:\n  max-image-size: {warm: 3MB}\n",
        "s.yaml:2: ci.max-image-size.warm: unknown key; expected one of: warn, fail"
      ),
      (
        "ci:\n  max-image-size: [1MB]\n",
        "s.yaml:2: ci.max-image-size: expected a limit, `disabled`, or {warn: LIMIT, fail: LIMIT}"
      ),
      (
        "ci:\n  forbid: [sensitve]\n",
        "s.yaml:2: ci.forbid[0]: unknown waste category 'sensitve'; expected one of: metadata-rewrite, unchanged-rewrite, hidden-by-later-layer, package-cache, language-cache, leftover, bytecode, toolchain, duplicate, sensitive, docs"
      ),
      ("ci:\n  forbid: {sensitive: never}\n", "s.yaml:2: ci.forbid.sensitive: 'never' is not fail, warn or disabled"),
      (
        "ci:\n  max-category-waste:\n    docs: 1MB\nwaste:\n  disable: [docs]\n",
        "s.yaml:3: ci.max-category-waste.docs: category 'docs' is disabled by waste.disable"
      ),
      ("ci: [1]\n", "s.yaml:1: ci: expected a mapping of keys to values"),
      ("ci:\n  max-image-size: 1MB\n rules: x\n", "s.yaml:3: invalid YAML: did not find expected key"),
      (
        "cii:\n  max-image-size: 1MB\n",
        "s.yaml:1: cii: unknown key; expected one of: exclude, waste, ci, rules, plugins"
      ),
      (
        "rules:\n  lowestEfficiency: 2\nci: {}\n",
        "s.yaml:2: rules.lowestEfficiency: lowestEfficiency config value is outside allowed range (0-1), given '2'"
      ),
    ])
  func invalid(text: String, message: String) {
    expectConfigError(text, file: "s.yaml", message)
  }
}
