import Analysis
import CIPolicy

/// What every `strata ci` renderer draws from: the evaluation and the figures behind it.
package struct CIReportContext: Sendable {
  /// The rules' results and the verdict.
  package var evaluation: CIEvaluation
  /// The image.
  package var analysis: ImageAnalysis
  /// The waste report the rules used.
  package var waste: WasteReport
  /// The configuration file, or nil for the built-in defaults.
  package var configSource: String?
  /// `strata`, `dive` (a `.dive-ci` read as dive reads it) or `defaults`.
  package var configKind: String
  /// Configuration warnings (keys dive ignores), already worded.
  package var warnings: [String]
  /// strata's version.
  package var toolVersion: String

  /// Creates a context.
  package init(
    evaluation: CIEvaluation, analysis: ImageAnalysis, waste: WasteReport, configSource: String?, configKind: String,
    warnings: [String] = [], toolVersion: String
  ) {
    self.evaluation = evaluation
    self.analysis = analysis
    self.waste = waste
    self.configSource = configSource
    self.configKind = configKind
    self.warnings = warnings
    self.toolVersion = toolVersion
  }

  /// `.strata.yaml`, `.dive-ci (dive's rules)`, or `built-in defaults`.
  var configDescription: String {
    guard let configSource else { return "built-in defaults" }
    return configKind == "dive" ? "\(configSource) (dive's rules)" : configSource
  }

  /// `3 failed, 2 warnings, 8 passed, 1 skipped`.
  var tally: String {
    let evaluation = evaluation
    var parts: [String] = []
    let failed = evaluation.count(.fail)
    let warned = evaluation.count(.warn)
    if failed > 0 { parts.append("\(failed) failed") }
    if warned > 0 { parts.append(warned == 1 ? "1 warning" : "\(warned) warnings") }
    parts.append("\(evaluation.count(.pass)) passed")
    if evaluation.count(.skip) > 0 { parts.append("\(evaluation.count(.skip)) skipped") }
    let total = evaluation.results.count
    return "\(total) \(total == 1 ? "rule" : "rules"): " + parts.joined(separator: ", ")
  }

  /// `PASS`, `PASS with warnings`, `FAIL`, or `FAIL (strict: warnings fail)`.
  var verdictText: String {
    let evaluation = evaluation
    switch evaluation.verdict {
    case .fail:
      return evaluation.count(.fail) == 0 ? "FAIL (strict: warnings fail the build)" : "FAIL"
    case .warn: return "PASS with warnings"
    default: return "PASS"
    }
  }
}
