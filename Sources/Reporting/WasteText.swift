import Analysis

/// Draws the waste section of the text report: the headline (reclaimable = removable + caches,
/// review apart), one line per category with its tier, then the top findings with their fixes
/// (every finding, with its layers and paths, when verbose).
struct WasteText {
  let options: TextReport.Options
  /// Paths shown per finding when verbose: all a finding keeps.
  var pathsShown = WasteAnalyzer.pathLimit

  private var bytes: ByteFormat { ByteFormat(exact: options.exactBytes) }
  private var style: Style { options.style }

  func render(_ report: WasteReport) -> String {
    var out = headline(report)
    let shown = report.findings.filter { $0.bytes >= options.minBytes }
    let hidden = report.findings.count - shown.count
    out += categoryTable(shown)
    if hidden > 0 {
      out += style.apply(.muted, "  … \(hidden) smaller than --min-size") + "\n"
    }
    if report.findings.isEmpty { out += "  no findings\n" }
    guard !shown.isEmpty else { return out + notes(report) }
    let detailed = order(shown).prefix(options.findingsShown ?? shown.count)
    out += "\n" + style.apply(.heading, options.verbose ? "Findings" : "Top findings")
    if detailed.count < shown.count {
      out += style.apply(.muted, "  (\(detailed.count) of \(shown.count); -v for all, with their paths)")
    }
    out += "\n"
    for finding in detailed { out += options.verbose ? full(finding) : brief(finding) }
    return out + notes(report)
  }

  /// `Waste  reclaimable 776 kB (26.2 % of the image) = removable 446 kB + caches 330 kB; review 105 kB`
  private func headline(_ report: WasteReport) -> String {
    let percent = ByteFormat.fixed(report.reclaimableFraction * 100, digits: 1)
    var out =
      style.apply(.heading, "Waste") + "  reclaimable " + style.apply(.emphasis, bytes.format(report.reclaimableBytes))
    out += " (\(percent) % of the image) = removable \(bytes.format(report.bytes(in: .removable)))"
    out += " + caches \(bytes.format(report.bytes(in: .caches)))"
    out += style.apply(.muted, "; review \(bytes.format(report.reviewBytes))") + "\n"
    return out
  }

  /// One line per category: tier, bytes, files, title.
  private func categoryTable(_ findings: [WasteFinding]) -> String {
    let sizeWidth = max(8, findings.map { bytes.format($0.bytes).count }.max() ?? 0)
    var out = ""
    for finding in findings {
      let files = finding.fileCount == 1 ? "1 file" : "\(ByteFormat.grouped(Int64(finding.fileCount))) files"
      var line =
        "  " + style.apply(role(finding.tier), SafeText.pad(finding.tier.rawValue, to: 9)) + " "
        + SafeText.padLeft(bytes.format(finding.bytes), to: sizeWidth) + "  " + SafeText.padLeft(files, to: 11) + "  "
        + SafeText.escape(finding.title)
      if finding.severity == .high { line += " " + style.apply(.removed, "(high)") }
      out += line + "\n"
    }
    return out
  }

  /// Findings to detail first: high severity, then the largest.
  private func order(_ findings: [WasteFinding]) -> [WasteFinding] {
    guard !options.verbose else { return findings }
    return findings.enumerated().sorted { lhs, rhs in
      let left = lhs.element, right = rhs.element
      if (left.severity == .high) != (right.severity == .high) { return left.severity == .high }
      return left.bytes != right.bytes ? left.bytes > right.bytes : lhs.offset < rhs.offset
    }.map(\.element)
  }

  /// Title, the layer holding most of it, and the first fix.
  private func brief(_ finding: WasteFinding) -> String {
    var out =
      "  " + SafeText.padLeft(bytes.format(finding.bytes), to: 8) + "  "
      + style.apply(.heading, SafeText.escape(finding.title))
    out += style.apply(.muted, "  " + finding.tier.rawValue) + "\n"
    if let line = finding.layers.first {
      // Other lines: other layers, or the same layer hidden by another one.
      let others = finding.layers.count - 1
      let more = others > 0 ? " (+\(others) more)" : ""
      out += indent + layerLine(line, columns: options.columns - indent.count - more.count) + more + "\n"
    }
    if let fix = finding.fixes.first {
      let others = finding.fixes.count - 1
      let more = others > 0 ? " (+\(others) more \(others == 1 ? "fix" : "fixes"): -v)" : ""
      out += wrapped("fix: " + SafeText.escape(fix) + more)
    }
    return out
  }

  /// Every layer line, paths, note and fixes.
  private func full(_ finding: WasteFinding) -> String {
    let files = finding.fileCount == 1 ? "1 file" : "\(finding.fileCount) files"
    var out =
      "\n  " + style.apply(role(finding.tier), "[\(finding.tier.rawValue)]") + " "
      + style.apply(.heading, SafeText.escape(finding.title)) + " — \(bytes.format(finding.bytes)) in \(files)"
    out += style.apply(.muted, ", severity \(finding.severity.rawValue)") + "\n"
    for line in finding.layers {
      let size = SafeText.padLeft(bytes.format(line.bytes), to: 8) + "  "
      out += "    " + size + layerLine(line, columns: options.columns - 4 - size.count) + "\n"
    }
    let paths = finding.paths.filter { $0.bytes >= options.minBytes }.prefix(pathsShown)
    let width = max(8, paths.map { bytes.format($0.bytes).count }.max() ?? 0)
    for path in paths {
      var line = "      " + SafeText.padLeft(bytes.format(path.bytes), to: width) + "  " + SafeText.escape(path.path)
      line += style.apply(.muted, "  (L\(path.layer)" + (path.detail.map { ", " + SafeText.escape($0) } ?? "") + ")")
      out += line + "\n"
    }
    if finding.fileCount > paths.count {
      out += style.apply(.muted, "      … \(finding.fileCount - paths.count) more") + "\n"
    }
    if let note = finding.note { out += wrapped("note: " + SafeText.escape(note)) }
    for fix in finding.fixes { out += wrapped("fix: " + SafeText.escape(fix)) }
    return out
  }

  /// `L4 COPY file:c84cdc4f… in /tmp/x → hidden by L7 rm -f /tmp/x`, each command cut in its
  /// middle so that the line fits `columns`.
  private func layerLine(_ line: FindingLayer, columns: Int) -> String {
    let layer = "L\(line.layer) "
    guard let by = line.hiddenBy else { return layer + command(line.command, columns - layer.count) }
    let link = " → L\(by) "
    let room = max(20, columns - layer.count - link.count)
    let lower = SafeText.escape(CommandText.compact(line.command))
    let upper = SafeText.escape(CommandText.compact(line.hiddenByCommand))
    // The shorter command keeps all it needs, up to half the room; the other gets the rest.
    let (first, second) = (SafeText.width(lower), SafeText.width(upper))
    let firstRoom = first <= second ? min(first, room / 2) : room - min(second, room / 2)
    return layer + command(line.command, firstRoom) + link + command(line.hiddenByCommand, room - firstRoom)
  }

  private func command(_ text: String?, _ columns: Int) -> String {
    let compact = SafeText.escape(CommandText.compact(text))
    return compact.isEmpty ? "(no history)" : SafeText.truncateMiddle(compact, to: max(10, columns))
  }

  private let indent = "          "

  /// `text` wrapped to the report's columns under the finding.
  private func wrapped(_ text: String) -> String {
    SafeText.wrap(text, width: options.columns - indent.count).map { indent + $0 + "\n" }.joined()
  }

  private func notes(_ report: WasteReport) -> String {
    guard !report.notes.isEmpty else { return "" }
    guard options.verbose else {
      let count = report.notes.count
      return style.apply(.muted, "  \(count == 1 ? "1 note" : "\(count) notes") (-v to read)") + "\n"
    }
    return report.notes.map { style.apply(.warning, "  note: ") + SafeText.escape($0) + "\n" }.joined()
  }

  private func role(_ tier: WasteTier) -> Style.Role {
    switch tier {
    case .removable: return .removed
    case .caches: return .changed
    case .review: return .muted
    }
  }
}
