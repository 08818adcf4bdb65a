import Analysis
import CIPolicy
import Configuration
import Foundation
import TestSupport
import Testing

@Suite("dive's .dive-ci, read unchanged")
struct DiveConfigTests {
  /// dive's own example, as shipped in dive's repository.
  static let example = """
    ---
    plugins:
      - plugin1

    rules:
      # If the efficiency is measured below X%, mark as failed. (expressed as a percentage between 0-1)
      lowestEfficiency: 0.95

      # If the amount of wasted space is at least X or larger than X, mark as failed. (expressed in B, KB, MB, and GB)
      highestWastedBytes: 20Mb

      # If the amount of wasted space makes up for X% of the image, mark as failed. (fail if the threshold is met or crossed; expressed as a percentage between 0-1)
      highestUserWastedPercent: 0.5

      plugin1/rule1: error
    """

  @Test("dive's example file parses as a dive file with dive's values")
  func example() throws {
    let settings = try SettingsLoader.parse(Self.example, file: ".dive-ci")
    #expect(settings.dialect == .dive)
    #expect(settings.warnings.isEmpty)
    let dive = try #require(settings.budget.dive)
    #expect(dive.lowestEfficiency == .threshold(0.95))
    #expect(dive.highestWastedBytes == .threshold(20_000_000))
    #expect(dive.highestUserWastedPercent == .threshold(0.5))
    #expect(settings.budget.forbid.isEmpty)
  }

  @Test(
    "the shared copy of dive's example reads the same")
  func sharedExample() throws {
    let text = try String(contentsOf: try requireDiveFixture("dive-ci.yaml"), encoding: .utf8)
    let settings = try SettingsLoader.parse(text, file: "dive-ci.yaml")
    #expect(settings.budget.dive == (try SettingsLoader.parse(Self.example, file: "x").budget.dive))
  }

  @Test("missing keys and null values take dive's defaults; keys are case-insensitive")
  func defaultsAndCase() throws {
    let settings = try SettingsLoader.parse(
      "Rules:\n  LowestEfficiency: 0.8\n  highestUserWastedPercent: ~\n", file: ".dive-ci")
    let dive = try #require(settings.budget.dive)
    #expect(dive.lowestEfficiency == .threshold(0.8))
    #expect(dive.highestWastedBytes == .disabled)
    #expect(dive.highestUserWastedPercent == .threshold(0.1))
  }

  @Test(
    "values reach dive's rules as viper hands them over (checked against dive 0.13.1)",
    arguments: [
      ("lowestEfficiency: 9.9e-1", DiveRules.defaults.with(lowestEfficiency: 0.99)),
      ("lowestEfficiency: .99", DiveRules.defaults.with(lowestEfficiency: 0.99)),
      ("lowestEfficiency: \"0.9_9\"", DiveRules.defaults.with(lowestEfficiency: 0.99)),
      ("lowestEfficiency: \"0x1p-1\"", DiveRules.defaults.with(lowestEfficiency: 0.5)),
      ("lowestEfficiency: 0x1", DiveRules.defaults.with(lowestEfficiency: 1)),
      ("lowestEfficiency: disabled", DiveRules.defaults.with(lowestEfficiencyDisabled: true)),
      ("highestWastedBytes: 0x7d19", DiveRules.defaults.with(wasted: 32025)),
      ("highestWastedBytes: 1e3", DiveRules.defaults.with(wasted: 1000)),
      ("highestWastedBytes: \"1,3\"", DiveRules.defaults.with(wasted: 13)),
      ("highestWastedBytes: 20 MB", DiveRules.defaults.with(wasted: 20_000_000)),
      ("highestWastedBytes: 31.3KiB", DiveRules.defaults.with(wasted: 32051)),
    ])
  func viperValues(line: String, expected: DiveRules) throws {
    let settings = try SettingsLoader.parse("rules:\n  \(line)\n", file: ".dive-ci")
    #expect(settings.budget.dive == expected)
  }

  @Test("NaN thresholds are accepted (and always pass, as in dive)")
  func nan() throws {
    let settings = try SettingsLoader.parse("rules:\n  lowestEfficiency: \"nan\"\n", file: ".dive-ci")
    guard case .threshold(let value) = try #require(settings.budget.dive).lowestEfficiency else {
      Issue.record("not a threshold")
      return
    }
    #expect(value.isNaN)
  }

  @Test(
    "values dive reports as MISCONFIGURED are configuration errors with dive's message, file, line and key",
    arguments: [
      (
        "lowestEfficiency: 1.5",
        ".dive-ci:2: rules.lowestEfficiency: lowestEfficiency config value is outside allowed range (0-1), given '1.5'"
      ),
      (
        "lowestEfficiency: infinity",
        ".dive-ci:2: rules.lowestEfficiency: lowestEfficiency config value is outside allowed range (0-1), given 'infinity'"
      ),
      (
        "lowestEfficiency: \"+nan\"",
        ".dive-ci:2: rules.lowestEfficiency: invalid config value ('+nan'): strconv.ParseFloat: parsing \"+nan\": invalid syntax"
      ),
      (
        "lowestEfficiency: \" 0.5\"",
        ".dive-ci:2: rules.lowestEfficiency: invalid config value (' 0.5'): strconv.ParseFloat: parsing \" 0.5\": invalid syntax"
      ),
      (
        "lowestEfficiency: true",
        ".dive-ci:2: rules.lowestEfficiency: invalid config value ('true'): strconv.ParseFloat: parsing \"true\": invalid syntax"
      ),
      (
        "lowestEfficiency: yes",
        ".dive-ci:2: rules.lowestEfficiency: invalid config value ('yes'): strconv.ParseFloat: parsing \"yes\": invalid syntax"
      ),
      (
        "lowestEfficiency: Disabled",
        ".dive-ci:2: rules.lowestEfficiency: invalid config value ('Disabled'): strconv.ParseFloat: parsing \"Disabled\": invalid syntax"
      ),
      (
        "lowestEfficiency: 1e400",
        ".dive-ci:2: rules.lowestEfficiency: invalid config value ('1e400'): strconv.ParseFloat: parsing \"1e400\": value out of range"
      ),
      (
        "highestWastedBytes: \"1e3\"",
        ".dive-ci:2: rules.highestWastedBytes: invalid config value ('1e3'): unhandled size name: e3"
      ),
      (
        "highestWastedBytes: -5",
        ".dive-ci:2: rules.highestWastedBytes: invalid config value ('-5'): strconv.ParseFloat: parsing \"\": invalid syntax"
      ),
      (
        "highestUserWastedPercent: 1_0",
        ".dive-ci:2: rules.highestUserWastedPercent: highestUserWastedPercent config value is outside allowed range (0-1), given '10'"
      ),
      ("highestUserWastedPercent: [1]", ".dive-ci:2: rules.highestUserWastedPercent: expected a single value"),
    ])
  func misconfigured(line: String, message: String) {
    #expect {
      _ = try SettingsLoader.parse("rules:\n  \(line)\n", file: ".dive-ci")
    } throws: { error in
      (error as? ConfigError)?.description == message
    }
  }

  @Test("keys dive ignores are ignored with a warning; plugin keys silently")
  func ignoredKeys() throws {
    let text = "plugins: [a]\nextra: 1\nrules:\n  lowestEfficency: 0.5\n  plugin1/rule1: error\n"
    let settings = try SettingsLoader.parse(text, file: ".dive-ci")
    #expect(settings.dialect == .dive)
    #expect(
      settings.warnings.map(\.description) == [
        ".dive-ci:2: extra: ignored: a dive configuration is read for its rules: only",
        ".dive-ci:4: rules.lowestEfficency: not one of dive's rules (lowestEfficiency, highestWastedBytes, highestUserWastedPercent): ignored, as dive does",
      ])
    #expect(settings.budget.dive == .defaults)
  }

  @Test("an empty file gives strata's defaults")
  func emptyFile() throws {
    let settings = try SettingsLoader.parse("", file: ".dive-ci")
    #expect(settings.ci == nil)
    #expect(settings.budget == BudgetConfig.defaults)
  }
}

extension DiveRules {
  func with(lowestEfficiency: Double? = nil, lowestEfficiencyDisabled: Bool = false, wasted: UInt64? = nil) -> DiveRules
  {
    var rules = self
    if let lowestEfficiency { rules.lowestEfficiency = .threshold(lowestEfficiency) }
    if lowestEfficiencyDisabled { rules.lowestEfficiency = .disabled }
    if let wasted { rules.highestWastedBytes = .threshold(wasted) }
    return rules
  }
}
