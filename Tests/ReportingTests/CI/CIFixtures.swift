import Analysis
import CIPolicy
import ImageLoading
import Reporting
import TestSupport

/// The wasteful fixture evaluated against a budget that gives every status, with a baseline
/// made from its clean counterpart.
struct CIFixture {
  let analysis: ImageAnalysis
  let waste: WasteReport
  let baseline: Baseline

  init() throws {
    analysis = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path))
    waste = WasteAnalyzer.analyze(analysis)
    let clean = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/wasteful-clean/wasteful-clean.tar").path))
    let report = JSONReport.build(clean, waste: WasteAnalyzer.analyze(clean), toolVersion: "test").serialized()
    baseline = try BaselineReader.read(Array(report.utf8), source: "clean.json")
  }

  static var budget: BudgetConfig {
    var config = BudgetConfig()
    config.dive = .defaults
    config.maxImageSize = Limits(warn: .bytes(2_500_000), fail: .bytes(3_000_000))
    config.maxLayerCount = .fail(.count(5))
    config.maxWastedBytes = .disabled
    config.forbid = [CategoryLimit(category: "sensitive", limits: .fail(.count(0)))]
    config.maxPathSize = [PathLimit(glob: Glob("/app/**"), limits: .fail(.bytes(200_000)))]
    config.maxGrowth = .fail(.bytes(500_000))
    return config
  }

  func context(strict: Bool = false) -> CIReportContext {
    let evaluation = BudgetEvaluator.evaluate(
      Self.budget, analysis: analysis, waste: waste, baseline: baseline, strict: strict)
    return CIReportContext(
      evaluation: evaluation, analysis: analysis, waste: waste, configSource: ".strata.yaml", configKind: "strata",
      toolVersion: "test")
  }
}
