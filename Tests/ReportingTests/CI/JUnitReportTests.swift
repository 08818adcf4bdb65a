import Analysis
import CIPolicy
import Foundation
import Reporting
import TestSupport
import Testing

@Suite("JUnit report")
struct JUnitReportTests {
  let fixture: CIFixture
  init() throws { fixture = try CIFixture() }

  @Test("parses back: one test case per rule; failures say the measured value and the limit")
  func parsedBack() throws {
    let context = fixture.context()
    let document = try JUnitDocument(CIJUnitReport.render(context))
    let results = context.evaluation.results
    #expect(document.cases.map(\.name) == results.map(\.id))
    #expect(document.suites.count == 2)
    for suite in document.suites {
      #expect(suite["tests"] == String(results.count))
      #expect(suite["failures"] == String(context.evaluation.count(.fail)))
      #expect(suite["skipped"] == String(context.evaluation.count(.skip)))
      #expect(suite["errors"] == "0")
    }
    #expect(document.properties["config"] == ".strata.yaml")
    #expect(document.properties["verdict"] == "fail")

    let size = try #require(document.testCase("max-image-size"))
    #expect(size.failure == nil)
    #expect(
      size.systemOut.hasPrefix("WARNING: image size: 2.97 MB (2966048 bytes) > warning limit 2.50 MB (2500000 bytes)"))
    let count = try #require(document.testCase("max-layer-count")?.failure)
    #expect(count.type == "fail")
    #expect(count.message == "layer count: 10 layers > limit 5 layers")
    let user = try #require(document.testCase("highestUserWastedPercent"))
    #expect(user.classname == "strata.ci.dive")
    #expect(user.failure?.message == "user wasted percent (dive): 59.3859 % (0.5938587546094416) > limit 10 % (0.1)")
    #expect(
      user.failureBody.contains(
        "dive: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.5938587546094416 > threshold=0.1)"
      ))
    let growth = try #require(document.testCase("max-growth")?.failure)
    #expect(growth.message == "growth since baseline: +881 kB (+880947 bytes) > limit +500 kB (+500000 bytes)")
    #expect(try #require(document.testCase("max-growth")).failureBody.contains("+205 kB  /var/lib/apt/lists (new)"))
    #expect(document.testCase("max-wasted-bytes")?.skipped == "rule disabled")
    #expect(document.testCase("highestWastedBytes")?.skipped == "rule disabled")
    let sensitive = try #require(document.testCase("forbid[sensitive]")?.failure)
    #expect(sensitive.message == "forbidden files (sensitive): 4 files found, none allowed")
    #expect(document.testCase("max-path-size[/app/**]")?.failure == nil)
  }

  @Test("with --strict, warnings are failures too")
  func strict() throws {
    let context = fixture.context(strict: true)
    let document = try JUnitDocument(CIJUnitReport.render(context))
    let size = try #require(document.testCase("max-image-size")?.failure)
    #expect(size.type == "warn")
    #expect(
      document.suites.first?["failures"] == String(context.evaluation.count(.fail) + context.evaluation.count(.warn)))
  }

  @Test("names with markup and control characters stay well-formed")
  func escaping() throws {
    var config = BudgetConfig()
    config.maxPathSize = [PathLimit(glob: Glob("/a<&>\"'\u{1}/**"), limits: .fail(.bytes(0)))]
    let evaluation = BudgetEvaluator.evaluate(config, analysis: fixture.analysis, waste: fixture.waste)
    let context = CIReportContext(
      evaluation: evaluation, analysis: fixture.analysis, waste: fixture.waste, configSource: nil,
      configKind: "defaults",
      toolVersion: "test")
    let document = try JUnitDocument(CIJUnitReport.render(context))
    #expect(document.cases.first?.name == "max-path-size[/a<&>\"'\\x01/**]")
  }
}
