import Analysis
import Reporting

/// Draws the layers pane and the waste pane of the left column.
struct SidePaneRenderer {
  let state: ExplorerState
  let width: Int

  func layerLines(height: Int) -> [StyledLine] {
    let focused = state.focus == .layers && state.overlay == nil
    let list = state.layers
    let view = state.tree.compare == .aggregated ? "aggregated" : "this layer"
    let marks = StyledLine.scrollMarks(top: list.cursor.top, height: height, count: list.rows.count)
    var lines = [
      Self.heading("Layers · \(view)", focused: focused, marks: marks, width: width)
    ]
    let aggregated = state.tree.compare == .aggregated
    for index in list.cursor.top..<min(list.rows.count, list.cursor.top + height) {
      let row = list.rows[index]
      // ┃ marks the layers whose changes the tree marks (dive's "Cmp" column).
      let compared =
        aggregated ? (index >= 1 && index <= list.selected) || list.selected == 0 && index == 0 : index == list.selected
      var line = StyledLine(compared ? "┃" : " ", TextStyle(.accent, bold: true))
      line.append(SafeText.padLeft(String(row.index), to: 3) + " ")
      line.append(SafeText.padLeft(ByteFormat.human(row.bytes), to: 8) + "  ", TextStyle(.accent))
      let command = SafeText.escape(row.command.isEmpty ? "(no command recorded)" : row.command)
      line.append(StyledLine.middle(command, columns: max(1, width - line.width)))
      lines.append(selectable(line, selected: index == list.selected, focused: focused))
    }
    return padded(lines, to: height + 1)
  }

  /// The selected layer's details, in the left column when the terminal is tall enough.
  func layerDetailLines(height: Int) -> [StyledLine] {
    var lines = [
      Self.heading("Layer \(state.layers.selected) details (i: all)", focused: false, marks: "", width: width)
    ]
    let text = DetailsPage(state: state, columns: width).layer(state.layers.selected)
    let shown = text.count > height ? Array(text.prefix(max(0, height - 1))) : text
    for line in shown {
      lines.append(StyledLine(" " + StyledLine.middle(SafeText.escape(line), columns: width - 1)).fitted(to: width))
    }
    if shown.count < text.count {
      lines.append(StyledLine("   … i shows all of it", TextStyle(.muted)).fitted(to: width))
    }
    return padded(lines, to: height + 1)
  }

  /// A pane's heading: `● Title` in reverse video when it has the focus, the scroll marks
  /// (`↑2 ↓5 more`) at the right.
  static func heading(_ title: String, focused: Bool, marks: String, width: Int) -> StyledLine {
    let style = TextStyle(bold: true, reverse: focused)
    let line = StyledLine((focused ? "●" : " ") + " " + title, style)
    return line.withTrailing(StyledLine(marks, style), columns: width, fill: style)
  }

  func wasteLines(height: Int) -> [StyledLine] {
    let focused = state.focus == .waste && state.overlay == nil
    let panel = state.waste
    let marks = StyledLine.scrollMarks(top: panel.cursor.top, height: height, count: panel.rows.count)
    var lines = [Self.heading(wasteTitle(), focused: focused, marks: marks, width: width)]
    switch panel.status {
    case .computing:
      lines.append(StyledLine("  finding waste… (reading some contents)", TextStyle(.muted)).fitted(to: width))
    case .disabled: break
    case .ready:
      if panel.rows.isEmpty { lines.append(StyledLine("  no waste found", TextStyle(.muted)).fitted(to: width)) }
      // The selected finding's fix is wrapped under it; the window moves down to keep it whole.
      var fix: [StyledLine] = []
      if focused, let row = panel.selectedRow, case .finding = row, let finding = panel.finding(of: row) {
        fix = fixLines(finding)
      }
      let overflow = panel.cursor.selected - panel.cursor.top + 1 + fix.count - height
      let start = min(panel.cursor.selected, panel.cursor.top + max(0, overflow))
      for index in start..<min(panel.rows.count, start + height) {
        lines.append(
          selectable(wasteLine(panel.rows[index]), selected: index == panel.cursor.selected, focused: focused))
        if index == panel.cursor.selected { lines += fix.map { $0.fitted(to: width) } }
      }
    }
    return padded(lines, to: height + 1)
  }

  private func wasteTitle() -> String {
    let dive = "dive " + ByteFormat.human(state.analysis.dive.wastedBytes)
    switch state.waste.status {
    case .disabled: return "Waste: off (--no-waste) · " + dive
    case .computing: return "Waste · " + dive
    case .ready: break
    }
    let reclaimable = ByteFormat.human(state.waste.report?.reclaimableBytes ?? 0)
    switch state.waste.order {
    case .findings: return "Waste · strata \(reclaimable) · \(dive)"
    case .largestFiles: return "Waste · strata \(reclaimable) · largest files"
    case .diveInefficiencies: return "Inefficient files (dive)"
    }
  }

  private func wasteLine(_ row: WastePanelModel.Row) -> StyledLine {
    let panel = state.waste
    if case .inefficiency(let index) = row, panel.inefficiencies.indices.contains(index) {
      // As dive lists them: how many layers had the path, their bytes together, the path.
      let item = panel.inefficiencies[index]
      var line = StyledLine(SafeText.padLeft(String(item.count), to: 3) + " ", TextStyle(.muted))
      line.append(SafeText.padLeft(ByteFormat.human(item.cumulativeBytes), to: 8) + "  ", TextStyle(.accent))
      appendPath(item.path, note: nil, to: &line)
      return line
    }
    guard let finding = panel.finding(of: row) else { return StyledLine() }
    var line = StyledLine()
    switch (row, panel.order) {
    case (.finding(let index), _):
      line.append(
        " " + Self.severityTag(finding.severity) + " ", TextStyle(Self.severityRole(finding.severity), bold: true))
      let bytes = panel.shownBytes.indices.contains(index) ? panel.shownBytes[index] : finding.bytes
      line.append(SafeText.padLeft(ByteFormat.human(bytes), to: 8) + " L\(finding.layer) ", TextStyle(.accent))
      line.append(
        SafeText.escape(finding.title) + (finding.fileCount > 1 ? " (\(finding.fileCount) files)" : ""),
        TextStyle(bold: true))
    case (.path, .findings):
      guard let path = panel.findingPath(of: row) else { break }
      line.append("      " + SafeText.padLeft(ByteFormat.human(path.bytes), to: 8) + "    ", TextStyle(.accent))
      appendPath(path.path, note: path.detail, to: &line)
    case (.path, .largestFiles), (.path, .diveInefficiencies):
      guard let path = panel.findingPath(of: row) else { break }
      line.append(" " + SafeText.padLeft(ByteFormat.human(path.bytes), to: 8) + " L\(path.layer) ", TextStyle(.accent))
      appendPath(path.path, note: finding.title, to: &line)
    case (.inefficiency, _): break
    }
    return line
  }

  /// A path shortened in the middle to leave room for a short note after it.
  private func appendPath(_ path: String, note: String?, to line: inout StyledLine) {
    let room = max(8, width - line.width)
    let path = SafeText.escape(path)
    let note = note.map { "  " + SafeText.escape($0) } ?? ""
    // The note only when the whole path fits beside it.
    let withNote = SafeText.width(path) + SafeText.width(note) <= room
    line.append(StyledLine.middle(path, columns: room))
    if withNote { line.append(note, TextStyle(.muted)) }
  }

  /// The selected finding's fix, wrapped under it.
  private func fixLines(_ finding: WasteFinding) -> [StyledLine] {
    StyledLine.wrap("fix: " + SafeText.escape(finding.fix), columns: max(10, width - 7)).prefix(6).map {
      StyledLine("       " + $0, TextStyle(.muted))
    }
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
