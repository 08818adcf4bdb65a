import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A JUnit document parsed back: the suites' attributes and every test case.
public final class JUnitDocument: NSObject, XMLParserDelegate {
  public struct TestCase {
    public var name: String
    public var classname: String
    public var failure: (type: String, message: String)?
    public var skipped: String?
    public var systemOut = ""
    public var failureBody = ""
  }

  public var suites: [[String: String]] = []
  public var cases: [TestCase] = []
  public var properties: [String: String] = [:]
  private var element = ""

  /// Parses `text`; throws what XMLParser reports for malformed XML.
  public init(_ text: String) throws {
    super.init()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = self
    guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
  }

  public func parser(
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

  public func parser(_ parser: XMLParser, foundCharacters string: String) {
    if element == "system-out" { cases[cases.count - 1].systemOut += string }
    if element == "failure" { cases[cases.count - 1].failureBody += string }
  }

  public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    element = ""
  }

  /// The test case called `name`.
  public func testCase(_ name: String) -> TestCase? { cases.first { $0.name == name } }
}
