import Analysis
import CIPolicy
import JSONIO
import Reporting
import TestSupport
import Testing

@Suite("CI text, Markdown and JSON reports")
struct CIRenderersTests {
  let fixture: CIFixture
  init() throws { fixture = try CIFixture() }

  @Test("the text summary: one line per rule, details under warnings and failures, growth, verdict")
  func text() {
    let text = CITextReport().render(fixture.context())
    #expect(text.hasPrefix("strata ci  localhost/strata/wasteful:latest  (config: .strata.yaml)\n"))
    #expect(text.contains("  FAIL  highestUserWastedPercent  59.3859 % > limit 10 %\n"))
    #expect(text.contains("  SKIP  highestWastedBytes        rule disabled\n"))
    #expect(text.contains("  WARN  max-image-size            2.97 MB > warning limit 2.50 MB\n"))
    #expect(text.contains("  PASS  max-path-size[/app/**]    138 kB ≤ limit 200 kB\n"))
    #expect(text.contains("      (the same paths as highestUserWastedPercent)\n"))
    #expect(text.contains("Growth since clean.json  2.09 MB → 2.97 MB: +881 kB (+42.2496 %)\n"))
    #expect(text.contains("        +205 kB  /var/lib/apt/lists (new)\n"))
    #expect(text.hasSuffix("Result: FAIL — 9 rules: 5 failed, 1 warning, 1 passed, 2 skipped\n"))
    #expect(!text.contains("\u{1B}["))
  }

  @Test("the Markdown summary: a verdict heading, a table of rules, details, growth")
  func markdown() {
    let markdown = CIMarkdownReport.render(fixture.context())
    #expect(markdown.hasPrefix("## ❌ strata ci: FAIL — `localhost/strata/wasteful:latest`\n"))
    #expect(markdown.contains("| ❌ | `max-layer-count` | layer count | 10 layers | 5 layers |\n"))
    #expect(markdown.contains("| ⚠️ | `max-image-size` | image size | 2.97 MB | 2.50 MB (warn) |\n"))
    #expect(markdown.contains("| ➖ | `max-wasted-bytes` | wasted bytes (dive) | 584 kB | rule disabled |\n"))
    #expect(markdown.contains("<details><summary>"))
    #expect(markdown.contains("### Growth since `clean.json`"))
    #expect(markdown.contains("| `/var/lib/apt/lists` | +205 kB | new |\n"))
  }

  @Test("the JSON report: verdict, counts, and every rule with its figures")
  func json() throws {
    let context = fixture.context()
    let value = try JSONValue.parse(CIJSONReport.build(context).serialized())
    #expect(value["kind"] == "strata-ci")
    #expect(value["verdict"] == "fail")
    #expect(value["passed"] == .bool(false))
    #expect(value["counts"]?["failed"]?.integerValue == 5)
    let rules = try #require(value["rules"]?.arrayValue)
    #expect(rules.count == context.evaluation.results.count)
    let size = try #require(rules.first { $0["id"] == "max-image-size" })
    #expect(size["status"] == "warn")
    #expect(size["measured"]?["unit"] == "bytes")
    #expect(size["measured"]?["value"]?.integerValue == 2_966_048)
    #expect(size["warnLimit"]?["value"]?.integerValue == 2_500_000)
    #expect(size["failLimit"]?["value"]?.integerValue == 3_000_000)
    #expect(size["details"]?.arrayValue?.first?["layer"]?.integerValue == 0)
    let dive = try #require(rules.first { $0["id"] == "lowestEfficiency" })
    #expect(dive["dive"] == .bool(true))
    #expect(dive["bound"] == "min")
    #expect(dive["message"] == "image efficiency is too low (efficiency=0.8497482171562969 < threshold=0.9)")
    #expect(value["growth"]?["deltaBytes"]?.integerValue == 880_947)
    #expect(value["figures"]?["userWastedFraction"]?.doubleValue == 0.5938587546094416)
  }

  @Test(
    "percentages print with up to four decimals, NaN as dive prints it")
  func percentages() throws {
    let one = try diveOneLayer()
    let text = CITextReport().render(one)
    #expect(text.contains("user wasted NaN %"))
    #expect(text.contains("  PASS  highestUserWastedPercent  NaN % ≤ limit 10 %\n"))
  }

  func diveOneLayer() throws -> CIReportContext {
    let analysis = Analyzer.analyze(try loadImage(try requireDiveFixture("test-oci-gzip-image.tar")))
    let waste = WasteAnalyzer.analyze(analysis)
    var config = BudgetConfig()
    config.dive = .defaults
    return CIReportContext(
      evaluation: BudgetEvaluator.evaluate(config, analysis: analysis, waste: waste), analysis: analysis, waste: waste,
      configSource: nil, configKind: "defaults", toolVersion: "test")
  }
}
