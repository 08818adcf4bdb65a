import Analysis
import Comparison
import ImageModel
import JSONIO
import PackageDatabases

/// The versioned machine-readable report of `strata compare --format json`, documented in
/// `docs/compare-schema.md` (a schema of its own, separate from `strata analyze`'s).
package enum CompareJSON {
  /// The schema version this code writes.
  package static let schemaVersion: Int64 = 1

  /// The report of a comparison of images.
  /// - Parameters:
  ///   - top: how many largest items each list of files and packages holds.
  ///   - depth: the directory depth differences are grouped at; `minBytes` trims the groups.
  package static func build(
    _ comparison: ImageComparison, top: Int = 100, depth: Int = 2, minBytes: Int64 = 0, toolVersion: String
  ) -> JSONValue {
    var root = header(toolVersion: toolVersion, mode: "images")
    root["baseline"] = .string(comparison.baselineLabel)
    root["images"] = .array(comparison.images.map(imageObject))
    root["sharing"] = sharingObject(comparison.sharing, images: comparison.images)
    root["diffs"] = .array(
      comparison.fileDiffs.enumerated().map { offset, diff in
        var object = diffObject(diff, top: top, depth: depth, minBytes: minBytes).objectValue ?? JSONObject()
        object["baseline"] = .string(comparison.baselineLabel)
        object["image"] = .string(comparison.images[offset + 1].label)
        return .object(object)
      })
    root["packages"] =
      comparison.packages.map { inventories in
        packagesObject(comparison, inventories: inventories, top: top)
      } ?? .null
    root["range"] = .null
    return .object(root)
  }

  /// The report of a layer range of one image (`strata compare IMAGE --layers A..B`).
  package static func build(
    _ range: LayerRangeDiff, label: String, top: Int = 100, depth: Int = 2, minBytes: Int64 = 0, toolVersion: String
  ) -> JSONValue {
    var root = header(toolVersion: toolVersion, mode: "layers")
    root["baseline"] = .null
    root["images"] = .array([])
    root["sharing"] = .null
    root["diffs"] = .array([])
    root["packages"] = .null
    root["range"] = [
      "image": .string(label), "lower": .integer(Int64(range.lower)), "upper": .integer(Int64(range.upper)),
      "shippedBytes": .integer(range.shippedBytes),
      "layers": .array(
        range.layers.map { layer in
          [
            "index": .integer(Int64(layer.descriptor.index)), "diffID": JSONReport.optional(layer.descriptor.diffID),
            "sizeBytes": .integer(layer.sizeBytes), "command": JSONReport.optional(layer.descriptor.command),
          ]
        }),
      "diff": diffObject(range.diff, top: top, depth: depth, minBytes: minBytes),
    ]
    return .object(root)
  }

  static func header(toolVersion: String, mode: String) -> JSONObject {
    var root = JSONObject()
    root["schemaVersion"] = .integer(schemaVersion)
    root["kind"] = "strata-compare"
    root["mode"] = .string(mode)
    root["tool"] = ["name": "strata", "version": .string(toolVersion)]
    return root
  }

  static func imageObject(_ image: ImageFigures) -> JSONValue {
    var packages = JSONValue.null
    if let totals = image.packageTotals {
      var object = JSONObject()
      for ecosystem in PackageEcosystem.allCases {
        guard let total = totals[ecosystem] else { continue }
        object[ecosystem.rawValue] = ["count": .integer(Int64(total.count)), "bytes": .integer(total.bytes)]
      }
      packages = .object(object)
    }
    return [
      "label": .string(image.label), "source": .string(image.source), "tags": .array(image.tags.map { .string($0) }),
      "archiveBytes": JSONReport.optional(image.archiveBytes), "sizeBytes": .integer(image.sizeBytes),
      "finalBytes": .integer(image.finalBytes), "fileCount": .integer(Int64(image.fileCount)),
      "directoryCount": .integer(Int64(image.directoryCount)), "layerCount": .integer(Int64(image.layers.count)),
      "efficiency": .real(image.efficiency), "wastedBytes": .integer(image.wastedBytes),
      "reclaimableBytes": JSONReport.optional(image.reclaimableBytes),
      "reviewBytes": JSONReport.optional(image.reviewBytes),
      "pullBytes": JSONReport.optional(image.pullBytes), "pullBytesSource": .string(image.pullBytesSource.rawValue),
      "pullBytesGivenBaseline": JSONReport.optional(image.pullBytesGivenBaseline),
      "blobsSharedWithBaseline": .integer(Int64(image.blobsSharedWithBaseline)),
      "topLevel": .array(
        image.topLevel.map { item in
          [
            "path": .string(item.path), "bytes": .integer(item.bytes), "files": .integer(Int64(item.files)),
            "kind": .string(item.kind.name),
          ]
        }),
      "layers": .array(
        image.layers.map { layer in
          [
            "index": .integer(Int64(layer.index)), "contentID": JSONReport.optional(layer.contentID),
            "sizeBytes": .integer(layer.sizeBytes), "command": JSONReport.optional(layer.command),
            "blobDigest": JSONReport.optional(layer.blobDigest), "storedBytes": JSONReport.optional(layer.storedBytes),
            "sharedWith": .array(layer.sharedWith.map { .integer(Int64($0)) }),
          ]
        }),
      "packages": packages,
    ]
  }

  static func sharingObject(_ sharing: LayerSharing, images: [ImageFigures]) -> JSONValue {
    [
      "separateBytes": .integer(sharing.separateBytes), "distinctBytes": .integer(sharing.distinctBytes),
      "savedBytes": .integer(sharing.savedBytes), "commonBaseLayers": .integer(Int64(sharing.commonBaseLayers)),
      "layers": .array(
        sharing.shared.map { layer in
          [
            "contentID": .string(layer.contentID), "sizeBytes": .integer(layer.sizeBytes),
            "command": JSONReport.optional(layer.command), "inAllImages": .bool(layer.inAllImages),
            "placements": .array(
              layer.placements.map { ["image": .integer(Int64($0.image)), "layer": .integer(Int64($0.layer))] }),
          ]
        }),
      "images": .array(
        zip(images, sharing.images).map { image, share in
          [
            "label": .string(image.label), "sharedBytes": .integer(share.sharedBytes),
            "uniqueBytes": .integer(share.uniqueBytes), "sharedLayers": .integer(Int64(share.sharedLayers)),
          ]
        }),
    ]
  }

  static func diffObject(_ diff: FileDiff, top: Int, depth: Int, minBytes: Int64) -> JSONValue {
    let content = diff.content
    return [
      "baselineBytes": .integer(diff.baselineBytes), "otherBytes": .integer(diff.otherBytes),
      "netBytes": .integer(diff.netBytes),
      "added": ["files": .integer(Int64(diff.added.count)), "bytes": .integer(diff.addedBytes)],
      "removed": ["files": .integer(Int64(diff.removed.count)), "bytes": .integer(diff.removedBytes)],
      "changed": [
        "files": .integer(Int64(diff.changed.count)), "bytesBefore": .integer(diff.changedBefore),
        "bytesAfter": .integer(diff.changedAfter),
      ],
      "content": [
        "comparedFiles": .integer(Int64(content.comparedFiles)),
        "differentFiles": .integer(Int64(content.differentFiles)),
        "sameLayerFiles": .integer(Int64(content.sameLayerFiles)),
        "uncomparedFiles": .integer(Int64(content.uncomparedFiles)),
        "uncomparedBytes": .integer(content.uncomparedBytes),
        "notes": .array(content.notes.map { .string($0) }),
      ],
      "depth": .integer(Int64(depth)),
      "directories": .array(
        diff.grouped(depth: depth, minBytes: minBytes).map { group in
          [
            "path": .string(group.path), "netBytes": .integer(group.netBytes),
            "addedFiles": .integer(Int64(group.addedFiles)), "addedBytes": .integer(group.addedBytes),
            "removedFiles": .integer(Int64(group.removedFiles)), "removedBytes": .integer(group.removedBytes),
            "changedFiles": .integer(Int64(group.changedFiles)), "changedBytes": .integer(group.changedBytes),
          ]
        }),
      "largestAdded": .array(FileDiff.largest(diff.added, limit: top, minBytes: minBytes).map(itemObject)),
      "largestRemoved": .array(FileDiff.largest(diff.removed, limit: top, minBytes: minBytes).map(itemObject)),
      "largestChanged": .array(FileDiff.largest(diff.changed, limit: top, minBytes: minBytes).map(itemObject)),
    ]
  }

  static func itemObject(_ item: FileDiff.Item) -> JSONValue {
    [
      "path": .string(item.path), "kind": .string(item.kind.name), "before": .integer(item.before),
      "after": .integer(item.after), "changes": .array(item.changes.map { .string($0.rawValue) }),
      "layer": .integer(Int64(item.layer)),
    ]
  }

  static func packagesObject(_ comparison: ImageComparison, inventories: [PackageInventory], top: Int) -> JSONValue {
    [
      "images": .array(
        zip(comparison.images, inventories).map { image, inventory in
          [
            "label": .string(image.label), "count": .integer(Int64(inventory.packages.count)),
            "packages": .array(inventory.largest(limit: inventory.packages.count).map(packageObject)),
            "notes": .array(inventory.notes.map { .string($0) }),
          ]
        }),
      "diffs": .array(
        (comparison.packageDiffs ?? []).enumerated().map { offset, diff in
          [
            "baseline": .string(comparison.baselineLabel), "image": .string(comparison.images[offset + 1].label),
            "added": .array(diff.added.map(packageObject)), "removed": .array(diff.removed.map(packageObject)),
            "changed": .array(
              diff.changed.map { change in
                [
                  "ecosystem": .string(change.after.ecosystem.rawValue), "name": .string(change.after.name),
                  "versionBefore": .string(change.before.version), "versionAfter": .string(change.after.version),
                  "bytesBefore": JSONReport.optional(change.before.bytes),
                  "bytesAfter": JSONReport.optional(change.after.bytes),
                  "location": .string(change.after.location),
                ]
              }),
            "unchanged": .integer(Int64(diff.unchangedCount)),
          ]
        }),
    ]
  }

  /// One package as JSON (also used by `strata analyze --packages`).
  package static func packageObject(_ package: InstalledPackage) -> JSONValue {
    [
      "ecosystem": .string(package.ecosystem.rawValue), "name": .string(package.name),
      "version": .string(package.version), "architecture": JSONReport.optional(package.architecture),
      "location": .string(package.location), "bytes": JSONReport.optional(package.bytes),
      "files": .integer(Int64(package.presentFiles)), "listedPaths": .integer(Int64(package.files.count)),
      "declaredBytes": JSONReport.optional(package.declaredBytes), "managedBy": JSONReport.optional(package.managedBy),
    ]
  }
}
