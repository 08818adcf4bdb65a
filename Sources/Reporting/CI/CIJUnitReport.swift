import Analysis
import CIPolicy

/// `strata ci --junit FILE`: one test case per rule. A failed rule (and, with `--strict`, a
/// warned one) is a `<failure>` whose message says the measured value and the limit; a
/// warning is written to the case's `<system-out>`; a skipped rule is `<skipped>`.
package enum CIJUnitReport {
  /// The XML document.
  package static func render(_ context: CIReportContext) -> String {
    let evaluation = context.evaluation
    let results = evaluation.results
    let failures = results.filter { isFailure($0, strict: evaluation.strict) }.count
    let skipped = evaluation.count(.skip)
    let counts = "tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\""
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<testsuites name=\"strata ci\" \(counts)>\n"
    out += "  <testsuite name=\"\(attribute("strata ci: " + context.analysis.image.label))\" \(counts)>\n"
    out += "    <properties>\n"
    out += "      <property name=\"config\" value=\"\(attribute(context.configDescription))\"/>\n"
    out += "      <property name=\"strict\" value=\"\(evaluation.strict)\"/>\n"
    out += "      <property name=\"verdict\" value=\"\(evaluation.verdict.rawValue)\"/>\n"
    out += "    </properties>\n"
    for result in results {
      let classname = result.kind.isDive ? "strata.ci.dive" : "strata.ci"
      out += "    <testcase classname=\"\(classname)\" name=\"\(attribute(result.id))\" time=\"0\""
      let message = RulePhrases.title(result) + ": " + RulePhrases.comparison(result, precise: true)
      switch result.status {
      case .pass:
        out += "/>\n"
        continue
      case .skip:
        out += ">\n      <skipped message=\"\(attribute(RulePhrases.comparison(result)))\"/>\n"
      case .fail, .warn:
        out += ">\n"
        let body = details(result)
        if isFailure(result, strict: evaluation.strict) {
          out +=
            "      <failure type=\"\(result.status.rawValue)\" message=\"\(attribute(message))\">\(text(body))</failure>\n"
        } else {
          out += "      <system-out>\(text("WARNING: " + message + "\n" + body))</system-out>\n"
        }
      }
      out += "    </testcase>\n"
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  static func isFailure(_ result: RuleResult, strict: Bool) -> Bool {
    result.status == .fail || (strict && result.status == .warn)
  }

  /// dive's own message (for dive's rules), then the details, one per line.
  static func details(_ result: RuleResult) -> String {
    var lines: [String] = []
    if result.kind.isDive && !result.message.isEmpty { lines.append("dive: " + result.message) }
    lines += result.details.prefix(10).map { RulePhrases.detail($0, kind: result.kind) }
    return lines.joined(separator: "\n")
  }

  /// Text for an attribute value: markup escaped, control characters made visible.
  static func attribute(_ value: String) -> String {
    escape(SafeText.escape(value), quotes: true)
  }

  /// Text for element content (line breaks kept).
  static func text(_ value: String) -> String {
    value.split(separator: "\n", omittingEmptySubsequences: false).map {
      escape(SafeText.escape(String($0)), quotes: false)
    }
    .joined(separator: "\n")
  }

  private static func escape(_ value: String, quotes: Bool) -> String {
    var out = ""
    for character in value {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"" where quotes: out += "&quot;"
      case "'" where quotes: out += "&apos;"
      default: out.append(character)
      }
    }
    return out
  }
}
