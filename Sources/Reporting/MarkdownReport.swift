import Analysis

/// `strata analyze --format markdown`: a summary for a pull request or a CI step summary.
package enum MarkdownReport {
  /// The Markdown text.
  package static func render(_ analysis: ImageAnalysis, waste: WasteReport?, exactBytes: Bool = false) -> String {
    let bytes = ByteFormat(exact: exactBytes)
    var out = "## Image `\(cell(analysis.image.label))`\n\n"
    out += "| | |\n|---|---|\n"
    out += "| Layers | \(analysis.layers.count) (\(bytes.format(analysis.dive.sizeBytes)) of content) |\n"
    if let pull = analysis.image.pullBytes {
      out += "| Pull | \(bytes.format(pull)) to download (\(analysis.image.pullBytesSource.rawValue)) |\n"
    }
    out += "| Filesystem | \(bytes.format(analysis.finalBytes)) in \(analysis.fileCount) files |\n"
    out += "| Efficiency (dive) | \(ByteFormat.percent(analysis.dive.efficiency)) |\n"
    out += "| Wasted bytes (dive) | \(bytes.format(analysis.dive.wastedBytes)) |\n"
    if let waste {
      out +=
        "| Reclaimable (strata) | \(bytes.format(waste.reclaimableBytes)) (\(ByteFormat.percent(waste.reclaimableFraction))): "
      out +=
        "removable \(bytes.format(waste.bytes(in: .removable))) + caches \(bytes.format(waste.bytes(in: .caches))) |\n"
      out += "| To review (strata) | \(bytes.format(waste.reviewBytes)) |\n"
    }
    out += "\n### Layers\n\n| # | Size | Added | Changed | Removed | Command |\n|---:|---:|---:|---:|---:|---|\n"
    for layer in analysis.layers {
      let changes = layer.changes
      out +=
        "| \(layer.descriptor.index) | \(bytes.format(layer.sizeBytes)) | \(changes.addedFiles) | \(changes.changedFiles) | \(changes.removedFiles) | `\(cell(CommandText.short(layer.descriptor.command, limit: 100)))` |\n"
    }
    if let waste { out += "\n" + findings(waste, bytes: bytes) }
    return out
  }

  /// The findings as a Markdown section.
  package static func findings(_ waste: WasteReport, bytes: ByteFormat) -> String {
    var out =
      "### Waste: \(bytes.format(waste.reclaimableBytes)) reclaimable, \(bytes.format(waste.reviewBytes)) to review\n\n"
    if waste.findings.isEmpty { return out + "No findings.\n" }
    out += "| Tier | Severity | Finding | Bytes | Files | Layers | Fix |\n|---|---|---|---:|---:|---|---|\n"
    for finding in waste.findings {
      var what = cell(finding.title)
      if let first = finding.paths.first { what += "<br>`\(cell(first.path))`" }
      let layers = finding.layers.map { String($0.layer) }.reduce(into: [String]()) {
        if !$0.contains($1) { $0.append($1) }
      }
      out +=
        "| \(finding.tier.rawValue) | \(finding.severity.rawValue) | \(what) | \(bytes.format(finding.bytes)) | \(finding.fileCount) "
      out += "| \(layers.joined(separator: ", ")) | \(cell(finding.fix)) |\n"
    }
    for note in waste.notes { out += "\n_Note: \(cell(note))_\n" }
    return out
  }

  /// Text made safe for a table cell: no pipes, no line breaks, no HTML, no control characters.
  static func cell(_ text: String) -> String {
    var result = ""
    for character in SafeText.escape(text) {
      switch character {
      case "|": result += "\\|"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "`": result += "'"
      default: result.append(character)
      }
    }
    return result
  }
}
