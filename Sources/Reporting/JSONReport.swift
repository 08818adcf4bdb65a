import Analysis
import CIPolicy
import ImageModel
import JSONIO
import MergedTree
import PackageDatabases

/// The versioned machine-readable report of `strata analyze --format json`.
///
/// The schema is written down in `docs/report-schema.md`; bump `schemaVersion` on any change
/// that removes or renames a field. All byte counts are exact integers.
package enum JSONReport {
  /// The schema version this code writes.
  package static let schemaVersion: Int64 = 2

  /// Builds the report value.
  /// - Parameter top: how many largest files and directories to include.
  package static func build(
    _ analysis: ImageAnalysis, waste: WasteReport? = nil, packages: PackageInventory? = nil, top: Int = 20,
    toolVersion: String
  ) -> JSONValue {
    let image = analysis.image
    var root = JSONObject()
    root["schemaVersion"] = .integer(schemaVersion)
    root["tool"] = ["name": "strata", "version": .string(toolVersion)]
    root["image"] = imageObject(image, contentBytesRead: waste?.contentBytesRead ?? [:])
    root["summary"] = [
      "layerCount": .integer(Int64(analysis.layers.count)),
      "sizeBytes": .integer(analysis.dive.sizeBytes),
      "finalBytes": .integer(analysis.finalBytes),
      "fileCount": .integer(Int64(analysis.fileCount)),
      "directoryCount": .integer(Int64(analysis.tree.directoryCount)),
      // The compressed bytes a pull downloads: config and layer blobs.
      "pullBytes": optional(image.pullBytes), "pullBytesSource": .string(image.pullBytesSource.rawValue),
    ]
    root["dive"] = diveObject(analysis.dive)
    root["layers"] = .array(analysis.layers.map(layerObject))
    root["history"] = .array(
      image.config.history.map { entry in
        [
          "created": optional(entry.created), "createdBy": optional(entry.createdBy),
          "comment": optional(entry.comment), "emptyLayer": .bool(entry.emptyLayer),
        ]
      })
    root["largestFiles"] = .array(analysis.largestFiles(limit: top).map(pathObject))
    root["largestDirectories"] = .array(analysis.largestDirectories(limit: top).map(pathObject))
    root["waste"] = waste.map(wasteObject) ?? .null
    root["anomalies"] = .array(analysis.anomalies.map(anomalyObject))
    root["pathSizes"] = pathSizesObject(analysis)
    root["packages"] = packages.map(PackageMarkdown.jsonObject) ?? .null
    return .object(root)
  }

  static func wasteObject(_ waste: WasteReport) -> JSONValue {
    var byCategory = JSONObject()
    for (category, bytes) in waste.bytesByCategory.sorted(by: { $0.key < $1.key }) {
      byCategory[category] = .integer(bytes)
    }
    var tiers = JSONObject()
    for tier in WasteTier.allCases {
      let bytes = waste.bytes(in: tier)
      tiers[tier.rawValue] = [
        "bytes": .integer(bytes), "fraction": finite(waste.fraction(bytes)), "reclaimable": .bool(tier.isReclaimable),
      ]
    }
    return [
      "reclaimableBytes": .integer(waste.reclaimableBytes), "reclaimableFraction": finite(waste.reclaimableFraction),
      "reviewBytes": .integer(waste.reviewBytes), "reviewFraction": finite(waste.fraction(waste.reviewBytes)),
      "imageBytes": .integer(waste.imageBytes), "tiers": .object(tiers), "bytesByCategory": .object(byCategory),
      "findings": .array(waste.findings.map(findingObject)), "notes": .array(waste.notes.map { .string($0) }),
    ]
  }

  static func findingObject(_ finding: WasteFinding) -> JSONValue {
    [
      "category": .string(finding.category), "title": .string(finding.title), "tier": .string(finding.tier.rawValue),
      "severity": .string(finding.severity.rawValue), "bytes": .integer(finding.bytes),
      "fileCount": .integer(Int64(finding.fileCount)),
      "layers": .array(
        finding.layers.map { line in
          [
            "layer": .integer(Int64(line.layer)), "command": optional(line.command),
            "hiddenBy": line.hiddenBy.map { .integer(Int64($0)) } ?? .null,
            "hiddenByCommand": optional(line.hiddenByCommand), "bytes": .integer(line.bytes),
            "fileCount": .integer(Int64(line.fileCount)),
          ]
        }),
      "paths": .array(
        finding.paths.map { path in
          [
            "path": .string(path.path), "bytes": .integer(path.bytes), "layer": .integer(Int64(path.layer)),
            "detail": optional(path.detail),
          ]
        }),
      "fixes": .array(finding.fixes.map { .string($0) }), "note": optional(finding.note),
    ]
  }

  static func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
  static func optional(_ number: Int64?) -> JSONValue { number.map { .integer($0) } ?? .null }

  /// A Double that JSON can hold (NaN and infinities become null).
  static func finite(_ value: Double) -> JSONValue { value.isFinite ? .real(value) : .null }

  static func imageObject(_ image: Image, contentBytesRead: [String: Int64] = [:]) -> JSONValue {
    // Bytes read by purpose: the pass over the headers (`bytesRead`), then file contents.
    var byPurpose = JSONObject()
    byPurpose["headers"] = .integer(image.bytesRead)
    for (purpose, bytes) in contentBytesRead.sorted(by: { $0.key < $1.key }) { byPurpose[purpose] = .integer(bytes) }
    return [
      "source": .string(image.source), "format": .string(image.format.rawValue),
      "tags": .array(image.tags.map { .string($0) }), "config": optional(image.configReference),
      "os": optional(image.config.os), "architecture": optional(image.config.architecture),
      "created": optional(image.config.created), "archiveBytes": optional(image.archiveBytes),
      "bytesRead": .integer(image.bytesRead), "bytesReadBy": .object(byPurpose),
    ]
  }

  static func diveObject(_ dive: DiveFigures) -> JSONValue {
    [
      "efficiency": .real(dive.efficiency), "wastedBytes": .integer(dive.wastedBytes),
      "userWastedFraction": finite(dive.userWastedFraction), "sizeBytes": .integer(dive.sizeBytes),
      "userSizeBytes": .integer(dive.userSizeBytes),
      "inefficiencies": .array(
        dive.inefficiencies.map { item in
          ["path": .string(item.path), "count": .integer(Int64(item.count)), "bytes": .integer(item.cumulativeBytes)]
        }),
    ]
  }

  static func layerObject(_ layer: LayerSummary) -> JSONValue {
    let descriptor = layer.descriptor
    let changes = layer.changes
    return [
      "index": .integer(Int64(descriptor.index)), "location": .string(descriptor.location),
      "digest": optional(descriptor.digest), "diffID": optional(descriptor.diffID),
      "mediaType": optional(descriptor.mediaType), "storedBytes": optional(descriptor.storedSize),
      "compression": .array(layer.compression.map { .string($0) }), "command": optional(descriptor.command),
      "created": optional(descriptor.created), "comment": optional(descriptor.comment),
      "entries": .integer(Int64(layer.entries)), "sizeBytes": .integer(layer.sizeBytes),
      "survivingBytes": .integer(layer.survivingBytes),
      "added": [
        "files": .integer(Int64(changes.addedFiles)), "bytes": .integer(changes.addedBytes),
        "directories": .integer(Int64(changes.addedDirectories)),
      ],
      "changed": [
        "files": .integer(Int64(changes.changedFiles)), "bytes": .integer(changes.changedBytes),
        "directories": .integer(Int64(changes.changedDirectories)),
      ],
      "removed": ["files": .integer(Int64(changes.removedFiles)), "bytes": .integer(changes.removedBytes)],
      "overwrittenBytes": .integer(changes.overwrittenBytes),
    ]
  }

  static func pathObject(_ item: PathSize) -> JSONValue {
    [
      "path": .string(item.path), "bytes": .integer(item.bytes), "files": .integer(Int64(item.files)),
      "layer": .integer(Int64(item.layer)), "kind": .string(item.kind.name),
    ]
  }

  /// Every path down to `GrowthAnalyzer.pathDepth` levels holding a byte, for `strata ci
  /// --baseline` (added in strata 0.1.x, schema 1: older reports lack it).
  static func pathSizesObject(_ analysis: ImageAnalysis) -> JSONValue {
    let entries = analysis.pathSizes(maxDepth: GrowthAnalyzer.pathDepth).map { item -> JSONValue in
      ["path": .string(item.path), "bytes": .integer(item.bytes)]
    }
    return ["maxDepth": .integer(Int64(GrowthAnalyzer.pathDepth)), "entries": .array(entries)]
  }

  static func anomalyObject(_ anomaly: Anomaly) -> JSONValue {
    [
      "kind": .string(anomaly.kind.rawValue), "layer": anomaly.layer.map { .integer(Int64($0)) } ?? .null,
      "path": optional(anomaly.path), "message": .string(anomaly.message),
    ]
  }
}
