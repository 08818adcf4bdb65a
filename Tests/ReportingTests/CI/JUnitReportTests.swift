import Analysis
import Foundation
import Reporting
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A JUnit document parsed back: the suites' attributes and every test case.
final class JUnitDocument: NSObject, XMLParserDelegate {
  struct TestCase {
    var name: String
    var classname: String
    var failure: (type: String, message: String)?
    var skipped: String?
    var systemOut = ""
    var failureBody = ""
  }

  var suites: [[String: String]] = []
  var cases: [TestCase] = []
  var properties: [String: String] = [:]
  private var element = ""

  init(_ text: String) throws {
    super.init()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = self
    guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    element = name
    switch name {
    case "testsuites", "testsuite": suites.append(attributes)
    case "property": properties[attributes["name"] ?? ""] = attributes["value"]
    case "testcase": cases.append(TestCase(name: attributes["name"] ?? "", classname: attributes["classname"] ?? ""))
    case "failure": cases[cases.count - 1].failure = (attributes["type"] ?? "", attributes["message"] ?? "")
    case "skipped": cases[cases.count - 1].skipped = attributes["message"] ?? ""
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if element == "system-out" { cases[cases.count - 1].systemOut += string }
    if element == "failure" { cases[cases.count - 1].failureBody += string }
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    element = ""
  }

  func testCase(_ name: String) -> TestCase? { cases.first { $0.name == name } }
}

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
    #expect(size.systemOut.hasPrefix("WARNING: image size: 2.97 MB (2966048 bytes) > warning limit 2.50 MB (2500000 bytes)"))
    let count = try #require(document.testCase("max-layer-count")?.failure)
    #expect(count.type == "fail")
    #expect(count.message == "layer count: 10 layers > limit 5 layers")
    let user = try #require(document.testCase("highestUserWastedPercent"))
    #expect(user.classname == "strata.ci.dive")
    #expect(user.failure?.message == "user wasted percent (dive): 59.3859 % (0.5938587546094416) > limit 10 % (0.1)")
    #expect(user.failureBody.contains("dive: too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.5938587546094416 > threshold=0.1)"))
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
    #expect(document.suites.first?["failures"] == String(context.evaluation.count(.fail) + context.evaluation.count(.warn)))
  }

  @Test("names with markup and control characters stay well-formed")
  func escaping() throws {
    var config = BudgetConfig()
    config.maxPathSize = [PathLimit(glob: Glob("/a<&>\"'\u{1}/**"), limits: .fail(.bytes(0)))]
    let evaluation = BudgetEvaluator.evaluate(config, analysis: fixture.analysis, waste: fixture.waste)
    let context = CIReportContext(
      evaluation: evaluation, analysis: fixture.analysis, waste: fixture.waste, configSource: nil, configKind: "defaults",
      toolVersion: "test")
    let document = try JUnitDocument(CIJUnitReport.render(context))
    #expect(document.cases.first?.name == "max-path-size[/a<&>\"'\\x01/**]")
  }
}
