import Analysis

/// Draws the waste findings section of the text report.
struct WasteText {
  let options: TextReport.Options
  /// Paths shown per finding.
  var pathsShown = 5

  func render(_ report: WasteReport) -> String {
    let bytes = ByteFormat(exact: options.exactBytes)
    let style = options.style
    var out = style.apply(.heading, "Waste") + "  "
    out += "reclaimable \(bytes.format(report.reclaimableBytes)) (\(ByteFormat.percent(report.reclaimableFraction)) of the image)"
    out += style.apply(.muted, "  — each byte counted once") + "\n"
    if report.findings.isEmpty {
      out += "  no findings\n"
    }
    for finding in report.findings {
      let severity = finding.severity.rawValue.uppercased()
      let role: Style.Role = finding.severity >= .high ? .removed : finding.severity == .medium ? .changed : .muted
      let files = finding.fileCount == 1 ? "1 file" : "\(finding.fileCount) files"
      out += "\n  " + style.apply(role, "[\(severity)]") + " " + style.apply(.heading, SafeText.escape(finding.title))
        + " — \(bytes.format(finding.bytes)) in \(files)"
      if !finding.countsTowardTotal { out += style.apply(.muted, " (not counted in the total)") }
      out += "\n"
      out += "    layer \(finding.layer): " + SafeText.escape(CommandText.short(finding.command, limit: 90)) + "\n"
      if let by = finding.hiddenBy {
        out += "    hidden by layer \(by): " + SafeText.escape(CommandText.short(finding.hiddenByCommand, limit: 80)) + "\n"
      }
      let width = max(8, finding.paths.prefix(pathsShown).map { bytes.format($0.bytes).count }.max() ?? 0)
      for path in finding.paths.prefix(pathsShown) {
        var line = "      " + SafeText.padLeft(bytes.format(path.bytes), to: width) + "  " + SafeText.escape(path.path)
        if let detail = path.detail { line += style.apply(.muted, "  (\(SafeText.escape(detail)))") }
        out += line + "\n"
      }
      if finding.fileCount > pathsShown {
        out += style.apply(.muted, "      … \(finding.fileCount - pathsShown) more") + "\n"
      }
      if let note = finding.note { out += "    note: " + SafeText.escape(note) + "\n" }
      out += "    fix: " + SafeText.escape(finding.fix) + "\n"
    }
    for note in report.notes { out += style.apply(.warning, "  note: ") + SafeText.escape(note) + "\n" }
    return out
  }
}
