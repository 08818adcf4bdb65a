import Analysis
import CIPolicy
import Foundation
import ImageLoading
import TestSupport

/// Loads and analyses a committed fixture image (`images/wasteful/wasteful.tar`).
func analyzedFixture(_ relative: String) throws -> ImageAnalysis {
  Analyzer.analyze(try ImageLoader.load(fixtureURL(relative).path))
}

/// Loads and analyses one of dive's test archives (Fixtures/dive); throws, failing the test, when
/// it is missing.
func analyzedDiveFixture(_ name: String) throws -> ImageAnalysis {
  Analyzer.analyze(try ImageLoader.load(try requireDiveFixture(name).path))
}

let wastefulPath = "images/wasteful/wasteful.tar"
let cleanPath = "images/wasteful-clean/wasteful-clean.tar"

/// The one result of `kind` (and `subject`), failing the test when there is not exactly one.
func result(_ evaluation: CIEvaluation, _ kind: RuleKind, _ subject: String? = nil) -> RuleResult? {
  let found = evaluation.results.filter { $0.kind == kind && $0.subject == subject }
  return found.count == 1 ? found.first : nil
}
