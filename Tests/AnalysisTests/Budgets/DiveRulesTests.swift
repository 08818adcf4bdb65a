import Analysis
import CIPolicy
import Configuration
import TestSupport
import Testing

@Suite("dive's three CI rules")
struct DiveRulesTests {
  @Test("values are validated with dive's messages")
  func validation() throws {
    var rules = DiveRules.defaults
    try rules.set(.lowestEfficiency, from: "0.95")
    #expect(rules.lowestEfficiency == .threshold(0.95))
    try rules.set(.highestWastedBytes, from: "20Mb")
    #expect(rules.highestWastedBytes == .threshold(20_000_000))
    try rules.set(.highestUserWastedPercent, from: "disabled")
    #expect(rules.highestUserWastedPercent == .disabled)
    #expect(throws: DiveRuleError(message: "lowestEfficiency config value is outside allowed range (0-1), given '1.5'"))
    { try rules.set(.lowestEfficiency, from: "1.5") }
    #expect(
      throws: DiveRuleError(
        message: "invalid config value ('abc'): strconv.ParseFloat: parsing \"abc\": invalid syntax")
    ) { try rules.set(.highestUserWastedPercent, from: "abc") }
    #expect(throws: DiveRuleError(message: "invalid config value ('1e3'): unhandled size name: e3")) {
      try rules.set(.highestWastedBytes, from: "1e3")
    }
    // `disabled` is case-sensitive in dive.
    #expect(
      throws: DiveRuleError(
        message: "invalid config value ('Disabled'): strconv.ParseFloat: parsing \"Disabled\": invalid syntax")
    ) { try rules.set(.lowestEfficiency, from: "Disabled") }
    #expect(
      throws: DiveRuleError(message: "lowestEfficiency config value is outside allowed range (0-1), given 'infinity'")
    ) { try rules.set(.lowestEfficiency, from: "infinity") }
  }

  @Test("dive's default rules on dive's test image: userWastedPercent fails at 0.1, efficiency passes")
  func diveDefaultsOnDiveImage() throws {
    let analysis = try analyzedDiveFixture("test-docker-image.tar")
    var config = BudgetConfig()
    config.dive = .defaults
    let evaluation = BudgetEvaluator.evaluate(config, analysis: analysis, waste: WasteAnalyzer.analyze(analysis))
    #expect(evaluation.results.map(\.id) == ["highestUserWastedPercent", "highestWastedBytes", "lowestEfficiency"])
    #expect(evaluation.results.map(\.status) == [.fail, .skip, .pass])
    #expect(
      evaluation.results[0].message
        == "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)"
    )
    #expect(evaluation.results[1].message == "rule disabled")
    #expect(evaluation.verdict == .fail)
    #expect(
      evaluation.results[0].details.map(\.subject) == [
        .path("/root/example/somefile1.txt"), .path("/root/saved.txt"), .path("/root/example/somefile3.txt"),
      ])
  }

  @Test("dive's example .dive-ci on dive's test images: everything passes")
  func diveExampleConfig() throws {
    for name in ["test-docker-image.tar", "test-kaniko-image.tar"] {
      let analysis = try analyzedDiveFixture(name)
      var rules = DiveRules.defaults
      try rules.set(.lowestEfficiency, from: "0.95")
      try rules.set(.highestWastedBytes, from: "20Mb")
      try rules.set(.highestUserWastedPercent, from: "0.5")
      var config = BudgetConfig()
      config.dive = rules
      let evaluation = BudgetEvaluator.evaluate(config, analysis: analysis, waste: WasteAnalyzer.analyze(analysis))
      #expect(evaluation.results.map(\.status) == [.pass, .pass, .pass], "\(name)")
    }
  }

  @Test("a one-layer image: userWastedPercent is NaN and passes, as in dive")
  func oneLayerNaN() throws {
    let analysis = try analyzedDiveFixture("test-oci-gzip-image.tar")
    var config = BudgetConfig()
    config.dive = .defaults
    let evaluation = BudgetEvaluator.evaluate(config, analysis: analysis, waste: WasteAnalyzer.analyze(analysis))
    #expect(analysis.dive.userWastedFraction.isNaN)
    #expect(evaluation.results.map(\.status) == [.pass, .skip, .pass])
  }

  @Test("thresholds equal to the measured value pass (dive's comparisons are strict)")
  func equalityPasses() throws {
    let analysis = try analyzedDiveFixture("test-docker-image.tar")
    var rules = DiveRules.defaults
    try rules.set(.highestWastedBytes, from: "32025")
    try rules.set(.highestUserWastedPercent, from: "0.4834911001404049")
    try rules.set(.lowestEfficiency, from: "0.9844212134184309")
    var config = BudgetConfig()
    config.dive = rules
    let waste = WasteAnalyzer.analyze(analysis)
    #expect(
      BudgetEvaluator.evaluate(config, analysis: analysis, waste: waste).results.map(\.status) == [.pass, .pass, .pass])
    try rules.set(.highestWastedBytes, from: "32024")
    try rules.set(.highestUserWastedPercent, from: "0.48349110014040")
    try rules.set(.lowestEfficiency, from: "0.99")
    config.dive = rules
    let failed = BudgetEvaluator.evaluate(config, analysis: analysis, waste: waste).results
    #expect(failed.map(\.status) == [.fail, .fail, .fail])
    #expect(failed[1].message == "too many bytes wasted (wasted-bytes=32025 > threshold=32024)")
    #expect(failed[2].message == "image efficiency is too low (efficiency=0.9844212134184309 < threshold=0.99)")
    #expect(
      failed[0].message
        == "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.4834911001404)"
    )
  }
}
