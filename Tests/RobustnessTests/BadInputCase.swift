import Analysis
import Foundation
import ImageLoading
import ImageModel
import Reporting
import TestSupport
import Testing

/// One hostile or broken input and what strata must do with it.
struct BadInput: CustomTestStringConvertible, Sendable {
  /// What strata must do.
  enum Expectation: Sendable {
    /// Load and analyse, reporting at least these anomalies.
    case loads(Set<Anomaly.Kind>)
    /// Refuse with this kind of error (nil: any ImageLoadError).
    case fails(ImageLoadError.Kind?)
    /// Either a clean analysis or a clean error (random damage may hit harmless bytes).
    case either
  }

  var name: String
  var bytes: [UInt8]
  var expectation: Expectation
  var options = LoadOptions()
  var fileName = "image.tar"

  var testDescription: String { name }
}

/// Runs the whole pipeline on a case: load, merge, dive figures, waste, every renderer.
/// A trap anywhere ends the test process, which fails the suite: that is the point.
func exercise(_ input: BadInput, sourceLocation: SourceLocation = #_sourceLocation) throws {
  try withTemporaryFile(input.bytes, name: input.fileName) { path in
    do {
      let image = try ImageLoader.load(path, options: input.options)
      let analysis = Analyzer.analyze(image)
      let waste = WasteAnalyzer.analyze(analysis)
      var options = TextReport.Options()
      options.tree = true
      let text = TextReport(options: options).render(analysis, waste: waste)
      let json = JSONReport.build(analysis, waste: waste, toolVersion: "test").serialized()
      let csv = CSVReport.render(analysis)
      let markdown = MarkdownReport.render(analysis, waste: waste)
      for output in [text, csv] {
        let controls = output.unicodeScalars.filter {
          $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F || $0.value == 0x1B
        }
        #expect(controls.isEmpty, "raw control characters reached the text output", sourceLocation: sourceLocation)
      }
      #expect(
        (try? JSONValue.parse(json)) != nil, "the JSON report does not parse back", sourceLocation: sourceLocation)
      #expect(!markdown.isEmpty, sourceLocation: sourceLocation)
      switch input.expectation {
      case .loads(let kinds):
        let found = Set(analysis.anomalies.map(\.kind))
        #expect(
          kinds.isSubset(of: found), "missing anomalies \(kinds.subtracting(found))", sourceLocation: sourceLocation)
      case .fails(let kind):
        Issue.record(
          "expected \(kind.map { "a \($0) error" } ?? "an error"), but it loaded", sourceLocation: sourceLocation)
      case .either:
        break
      }
    } catch let error as ImageLoadError {
      let line = error.description
      #expect(!line.contains("\n"), "error is not one line: \(line)", sourceLocation: sourceLocation)
      #expect(
        line.hasPrefix(path) || line.hasPrefix("<stdin>"), "error does not name the file: \(line)",
        sourceLocation: sourceLocation)
      switch input.expectation {
      case .loads:
        Issue.record("expected a clean load, got: \(line)", sourceLocation: sourceLocation)
      case .fails(let kind):
        if let kind { #expect(error.kind == kind, "\(line)", sourceLocation: sourceLocation) }
      case .either:
        break
      }
    }
  }
}

import JSONIO
