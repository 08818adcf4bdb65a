import Analysis
import Reporting

/// Draws the layers pane and the waste pane of the left column.
struct SidePaneRenderer {
  let state: ExplorerState
  let width: Int

  func layerLines(height: Int) -> [StyledLine] {
    let focused = state.focus == .layers && state.overlay == nil
    let list = state.layers
    var lines = [StyledLine(" Layers   #     SIZE  COMMAND").fitted(to: width).highlighted(TextStyle(bold: true, reverse: focused))]
    for index in list.cursor.top..<min(list.rows.count, list.cursor.top + height) {
      let row = list.rows[index]
      var line = StyledLine(SafeText.padLeft(String(row.index), to: 10) + " ")
      line.append(SafeText.padLeft(ByteFormat.human(row.bytes), to: 8) + "  ", TextStyle(.accent))
      line.append(SafeText.escape(row.command.isEmpty ? "(no command recorded)" : row.command))
      lines.append(selectable(line, selected: index == list.selected, focused: focused))
    }
    return padded(lines, to: height + 1)
  }

  func wasteLines(height: Int) -> [StyledLine] {
    let focused = state.focus == .waste && state.overlay == nil
    let panel = state.waste
    var lines = [wasteHeading().fitted(to: width).highlighted(TextStyle(bold: true, reverse: focused))]
    switch panel.status {
    case .computing: lines.append(StyledLine("  finding waste… (reading some contents)", TextStyle(.muted)).fitted(to: width))
    case .disabled: lines.append(StyledLine("  waste findings are off (--no-waste)", TextStyle(.muted)).fitted(to: width))
    case .ready:
      if panel.rows.isEmpty { lines.append(StyledLine("  no waste found", TextStyle(.muted)).fitted(to: width)) }
      for index in panel.cursor.top..<min(panel.rows.count, panel.cursor.top + height) {
        lines.append(selectable(wasteLine(panel.rows[index]), selected: index == panel.cursor.selected, focused: focused))
      }
    }
    return padded(lines, to: height + 1)
  }

  private func wasteHeading() -> StyledLine {
    guard let report = state.waste.report else { return StyledLine(" Waste") }
    var text = " Waste · \(ByteFormat.human(report.reclaimableBytes)) reclaimable"
    text += state.waste.order == .findings ? " · by finding (s: by file)" : " · largest files (s: by finding)"
    return StyledLine(text)
  }

  private func wasteLine(_ row: WastePanelModel.Row) -> StyledLine {
    let panel = state.waste
    guard let finding = panel.finding(of: row) else { return StyledLine() }
    var line = StyledLine()
    switch (row, panel.order) {
    case (.finding, _):
      line.append(" " + Self.severityTag(finding.severity) + " ", TextStyle(Self.severityRole(finding.severity), bold: true))
      line.append(SafeText.padLeft(ByteFormat.human(finding.bytes), to: 8) + " L\(finding.layer) ", TextStyle(.accent))
      line.append(SafeText.escape(finding.title) + (finding.fileCount > 1 ? " (\(finding.fileCount) files)" : ""), TextStyle(bold: true))
    case (.path, .findings):
      guard let path = panel.findingPath(of: row) else { break }
      line.append("      " + SafeText.padLeft(ByteFormat.human(path.bytes), to: 8) + "    ", TextStyle(.accent))
      line.append(SafeText.escape(path.path))
      if let detail = path.detail { line.append("  " + SafeText.escape(detail), TextStyle(.muted)) }
    case (.path, .largestFiles):
      guard let path = panel.findingPath(of: row) else { break }
      line.append(" " + SafeText.padLeft(ByteFormat.human(path.bytes), to: 8) + " L\(path.layer) ", TextStyle(.accent))
      line.append(SafeText.escape(path.path))
      line.append("  " + SafeText.escape(finding.category), TextStyle(.muted))
    }
    return line
  }

  static func severityTag(_ severity: Severity) -> String {
    switch severity {
    case .high: return "HIGH"
    case .medium: return "MED "
    case .low: return "LOW "
    case .info: return "INFO"
    }
  }

  static func severityRole(_ severity: Severity) -> TextStyle.Role {
    switch severity {
    case .high: return .danger
    case .medium: return .warning
    case .low: return .accent
    case .info: return .muted
    }
  }

  private func selectable(_ line: StyledLine, selected: Bool, focused: Bool) -> StyledLine {
    guard selected else { return line.fitted(to: width) }
    let mark = TextStyle(reverse: focused, underline: !focused)
    return line.fitted(to: width, fill: mark).highlighted(mark)
  }

  private func padded(_ lines: [StyledLine], to count: Int) -> [StyledLine] {
    var lines = Array(lines.prefix(count))
    while lines.count < count { lines.append(StyledLine().fitted(to: width)) }
    return lines
  }
}
