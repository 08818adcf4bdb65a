import Analysis
import CIPolicy
import JSONIO

/// `strata ci --format json`: the verdict and every rule's figures, for machines
/// (docs/ci.md describes the fields).
package enum CIJSONReport {
  /// The report's schema version.
  package static let schemaVersion: Int64 = 2

  /// Builds the report value.
  package static func build(_ context: CIReportContext) -> JSONValue {
    let evaluation = context.evaluation
    let analysis = context.analysis
    var root = JSONObject()
    root["schemaVersion"] = .integer(schemaVersion)
    root["kind"] = "strata-ci"
    root["tool"] = ["name": "strata", "version": .string(context.toolVersion)]
    root["image"] = JSONReport.imageObject(analysis.image)
    root["config"] = [
      "source": JSONReport.optional(context.configSource), "kind": .string(context.configKind),
    ]
    root["strict"] = .bool(evaluation.strict)
    root["verdict"] = .string(evaluation.verdict.rawValue)
    root["passed"] = .bool(evaluation.passed)
    root["counts"] = [
      "total": .integer(Int64(evaluation.results.count)), "passed": .integer(Int64(evaluation.count(.pass))),
      "warned": .integer(Int64(evaluation.count(.warn))), "failed": .integer(Int64(evaluation.count(.fail))),
      "skipped": .integer(Int64(evaluation.count(.skip))),
    ]
    let dive = analysis.dive
    root["figures"] = [
      "sizeBytes": .integer(dive.sizeBytes), "layerCount": .integer(Int64(analysis.layers.count)),
      "finalBytes": .integer(analysis.finalBytes), "efficiency": .real(dive.efficiency),
      "wastedBytes": .integer(dive.wastedBytes), "userWastedFraction": JSONReport.finite(dive.userWastedFraction),
      "reclaimableBytes": .integer(context.waste.reclaimableBytes),
      "reclaimableFraction": JSONReport.finite(context.waste.reclaimableFraction),
      "removableBytes": .integer(context.waste.bytes(in: .removable)),
      "cachesBytes": .integer(context.waste.bytes(in: .caches)),
      "reviewBytes": .integer(context.waste.reviewBytes),
      "reviewFraction": JSONReport.finite(context.waste.fraction(context.waste.reviewBytes)),
      "pullBytes": analysis.image.pullBytes.map { .integer($0) } ?? .null,
      "pullBytesSource": .string(analysis.image.pullBytesSource.rawValue),
    ]
    root["rules"] = .array(evaluation.results.map(ruleObject))
    root["growth"] = evaluation.growth.map(growthObject) ?? .null
    root["warnings"] = .array(context.warnings.map { .string($0) })
    return .object(root)
  }

  static func ruleObject(_ result: RuleResult) -> JSONValue {
    [
      "id": .string(result.id), "rule": .string(result.kind.rawValue), "subject": JSONReport.optional(result.subject),
      "dive": .bool(result.kind.isDive), "status": .string(result.status.rawValue),
      "bound": .string(result.bound == .atMost ? "max" : "min"), "measured": quantity(result.measured),
      "limit": quantity(result.limit), "warnLimit": quantity(result.limits.warn),
      "failLimit": quantity(result.limits.fail),
      "message": .string(result.message),
      "summary": .string(RulePhrases.title(result) + ": " + RulePhrases.comparison(result)),
      "details": .array(result.details.map(detailObject)),
    ]
  }

  static func quantity(_ quantity: Quantity?) -> JSONValue {
    switch quantity {
    case nil: return .null
    case .bytes(let value): return ["unit": "bytes", "value": .integer(value)]
    case .fraction(let value): return ["unit": "fraction", "value": JSONReport.finite(value)]
    case .count(let value): return ["unit": "count", "value": .integer(Int64(value))]
    }
  }

  static func detailObject(_ detail: RuleDetail) -> JSONValue {
    var object = JSONObject()
    switch detail.subject {
    case .path(let path): object["path"] = .string(path)
    case .layer(let index, let command):
      object["layer"] = index >= 0 ? .integer(Int64(index)) : .null
      object["command"] = JSONReport.optional(command)
    case .category(let category): object["category"] = .string(category)
    }
    object["bytes"] = .integer(detail.bytes)
    if let before = detail.before { object["before"] = .integer(before) }
    if let count = detail.count { object["count"] = .integer(Int64(count)) }
    if let note = detail.note { object["note"] = .string(note) }
    return .object(object)
  }

  static func growthObject(_ growth: GrowthReport) -> JSONValue {
    [
      "baseline": .string(growth.baselineSource), "baselineBytes": .integer(growth.baselineBytes),
      "currentBytes": .integer(growth.currentBytes), "deltaBytes": .integer(growth.delta),
      "deltaFraction": JSONReport.finite(growth.fraction), "pathsComplete": .bool(growth.pathsComplete),
      "layers": .array(
        growth.layers.map { change in
          [
            "layer": change.index.map { .integer(Int64($0)) } ?? .null,
            "baselineLayer": change.baselineIndex.map { .integer(Int64($0)) } ?? .null,
            "command": JSONReport.optional(change.command), "before": .integer(change.before),
            "after": .integer(change.after), "deltaBytes": .integer(change.delta),
          ]
        }),
      "paths": .array(
        growth.paths.map { change in
          [
            "path": .string(change.path), "before": .integer(change.before), "after": .integer(change.after),
            "deltaBytes": .integer(change.delta),
          ]
        }),
    ]
  }
}
