import Analysis
import Comparison
import PackageDatabases

/// `strata compare --format markdown`: the side-by-side table and the differences, for a pull
/// request or a CI step summary.
package enum CompareMarkdown {
  /// The Markdown of a comparison of images.
  package static func render(
    _ comparison: ImageComparison, exactBytes: Bool = false, top: Int = 10, depth: Int = 2, minBytes: Int64 = 0
  ) -> String {
    let bytes = ByteFormat(exact: exactBytes)
    let images = comparison.images
    let cell = MarkdownReport.cell
    var out = "## Images compared\n\n| | " + images.map { "`\(cell($0.label))`" }.joined(separator: " | ") + " |\n"
    out += "|---|" + images.map { _ in "---:|" }.joined() + "\n"
    func row(_ title: String, _ values: [String]) { out += "| \(title) | " + values.joined(separator: " | ") + " |\n" }
    row("Content (layers)", images.map { bytes.format($0.sizeBytes) })
    row("Filesystem", images.map { bytes.format($0.finalBytes) })
    row("Files", images.map { ByteFormat.grouped(Int64($0.fileCount)) })
    row("Layers", images.map { String($0.layers.count) })
    if images.contains(where: { $0.pullBytes != nil }) {
      row("Pull", images.map { $0.pullBytes.map(bytes.format) ?? "unknown" })
      row("Pull, baseline present", CompareText.pullGivenBaseline(images, bytes))
    }
    row("Efficiency (dive)", images.map { ByteFormat.percent($0.efficiency) })
    row("Wasted (dive)", images.map { bytes.format($0.wastedBytes) })
    if images.contains(where: { $0.reclaimableBytes != nil }) {
      row("Reclaimable", images.map { $0.reclaimableBytes.map(bytes.format) ?? "—" })
      row("To review", images.map { $0.reviewBytes.map(bytes.format) ?? "—" })
    }
    for ecosystem in PackageEcosystem.allCases where images.contains(where: { $0.packageTotals?[ecosystem] != nil }) {
      row(
        "\(ecosystem.rawValue) packages",
        images.map { image in image.packageTotals?[ecosystem].map { "\($0.count) (\(bytes.format($0.bytes)))" } ?? "—" }
      )
    }
    let keys = CompareText(options: .init()).layerKeys(comparison.sharing)
    for index in 0..<(images.map(\.layers.count).max() ?? 0) {
      row(
        "Layer \(index)",
        images.map { image in
          guard index < image.layers.count else { return "" }
          let layer = image.layers[index]
          return bytes.format(layer.sizeBytes) + (layer.contentID.flatMap { keys[$0] }.map { " [\($0)]" } ?? "")
        })
    }
    let sharing = comparison.sharing
    out += "\n### Shared layers\n\n"
    if sharing.shared.isEmpty { out += "No layer in common.\n" }
    for (offset, layer) in sharing.shared.enumerated() {
      let places = layer.placements.map { "`\(cell(images[$0.image].label))` L\($0.layer)" }.joined(separator: ", ")
      out +=
        "- **[\(CompareText.key(offset))]** \(bytes.format(layer.sizeBytes)) `\(CompareText.shortDigest(layer.contentID))` in \(places): `\(cell(CommandText.short(layer.command, limit: 80)))`\n"
    }
    out +=
      "\nStored separately \(bytes.format(sharing.separateBytes)); distinct layers \(bytes.format(sharing.distinctBytes)); sharing saves \(bytes.format(sharing.savedBytes)).\n"
    for (offset, diff) in comparison.fileDiffs.enumerated() {
      out +=
        "\n"
        + self.diff(
          diff, title: "`\(cell(images[offset + 1].label))` vs `\(cell(comparison.baselineLabel))`", bytes: bytes,
          top: top, depth: depth, minBytes: minBytes)
    }
    for (offset, diff) in (comparison.packageDiffs ?? []).enumerated() {
      out += "\n### Packages: `\(cell(images[offset + 1].label))` vs `\(cell(comparison.baselineLabel))`\n\n"
      out +=
        "+\(diff.added.count) (\(bytes.format(diff.addedBytes))), -\(diff.removed.count) (\(bytes.format(diff.removedBytes))), ~\(diff.changed.count), \(diff.unchangedCount) unchanged\n\n"
      guard !(diff.added.isEmpty && diff.removed.isEmpty && diff.changed.isEmpty) else { continue }
      out += "| | Ecosystem | Package | Version | Bytes |\n|---|---|---|---|---:|\n"
      for package in diff.added.prefix(top) {
        out +=
          "| + | \(package.ecosystem.rawValue) | \(cell(package.name)) | \(cell(package.version)) | \(package.bytes.map(bytes.format) ?? "?") |\n"
      }
      for package in diff.removed.prefix(top) {
        out +=
          "| − | \(package.ecosystem.rawValue) | \(cell(package.name)) | \(cell(package.version)) | \(package.bytes.map(bytes.format) ?? "?") |\n"
      }
      for change in diff.changed.prefix(top) {
        out +=
          "| ~ | \(change.after.ecosystem.rawValue) | \(cell(change.after.name)) | \(cell(change.before.version)) → \(cell(change.after.version)) | \(bytes.format(change.deltaBytes)) |\n"
      }
    }
    return out
  }

  /// The Markdown of a layer range of one image.
  package static func render(
    _ range: LayerRangeDiff, label: String, exactBytes: Bool = false, top: Int = 10, depth: Int = 2, minBytes: Int64 = 0
  ) -> String {
    let bytes = ByteFormat(exact: exactBytes)
    var out = "## Layers \(range.lower)..\(range.upper) of `\(MarkdownReport.cell(label))`\n\n"
    out += "| # | Size | Command |\n|---:|---:|---|\n"
    for layer in range.layers {
      out +=
        "| \(layer.descriptor.index) | \(bytes.format(layer.sizeBytes)) | `\(MarkdownReport.cell(CommandText.short(layer.descriptor.command, limit: 100)))` |\n"
    }
    out +=
      "\nShips \(bytes.format(range.shippedBytes)); filesystem \(bytes.format(range.diff.baselineBytes)) → \(bytes.format(range.diff.otherBytes)).\n\n"
    return out + diff(range.diff, title: "What the range did", bytes: bytes, top: top, depth: depth, minBytes: minBytes)
  }

  static func diff(_ diff: FileDiff, title: String, bytes: ByteFormat, top: Int, depth: Int, minBytes: Int64) -> String
  {
    let cell = MarkdownReport.cell
    var out = "### \(title)\n\n"
    out +=
      "+\(diff.added.count) files (\(bytes.format(diff.addedBytes))), -\(diff.removed.count) files (\(bytes.format(diff.removedBytes))), ~\(diff.changed.count) changed; net \(bytes.format(diff.netBytes))\n\n"
    let groups = diff.grouped(depth: depth, minBytes: minBytes).prefix(top * 2)
    if !groups.isEmpty {
      out += "| Directory | Net | Added | Removed | Changed |\n|---|---:|---:|---:|---:|\n"
      for group in groups {
        out +=
          "| `\(cell(group.path))` | \(bytes.format(group.netBytes)) | \(bytes.format(group.addedBytes)) (\(group.addedFiles)) | \(bytes.format(group.removedBytes)) (\(group.removedFiles)) | \(bytes.format(group.changedBytes)) (\(group.changedFiles)) |\n"
      }
    }
    var what: [FileDiff.Item: String] = [:]
    for item in diff.added { what[item] = "added" }
    for item in diff.removed { what[item] = "removed" }
    for item in diff.changed { what[item] = item.changes.map(\.rawValue).joined(separator: ", ") }
    let largest = FileDiff.largest(diff.added + diff.removed + diff.changed, limit: top, minBytes: minBytes)
    if !largest.isEmpty {
      out += "\n| Path | Before | After | What |\n|---|---:|---:|---|\n"
      for item in largest {
        out +=
          "| `\(cell(item.path))` | \(bytes.format(item.before)) | \(bytes.format(item.after)) | \(what[item] ?? "") |\n"
      }
    }
    return out
  }
}
