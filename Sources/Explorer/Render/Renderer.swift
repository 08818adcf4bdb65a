import Analysis
import Reporting

/// Turns the explorer's state into a frame. Pure: it never writes; the run loop does.
package struct Renderer: Sendable {
  /// Creates a renderer.
  package init() {}

  /// The screen for `state` on a terminal of `size`.
  package func frame(_ state: ExplorerState, size: TerminalSize) -> Frame {
    let layout = Layout(size: size, layerCount: state.layers.rows.count, wasteOff: state.waste.status == .disabled)
    guard !layout.tooSmall else { return tooSmall(size) }
    var lines = [title(state, width: size.columns).fitted(to: size.columns, fill: TextStyle(reverse: true))]
    let side = SidePaneRenderer(state: state, width: layout.leftWidth)
    var left = side.layerLines(height: layout.layerRows)
    if layout.layerDetailsHeight > 0 { left += side.layerDetailLines(height: layout.layerDetailsRows) }
    left += side.wasteLines(height: layout.wasteRows)
    let right: [StyledLine]
    switch state.overlay {
    case .help(let top):
      right = OverlayRenderer(width: size.columns, height: layout.paneHeight).help(top: top)
    case .pager(let page):
      right = OverlayRenderer(width: size.columns, height: layout.paneHeight).pager(page)
    case nil:
      right = TreePaneRenderer(state: state, width: layout.rightWidth, height: layout.treeRows).lines()
    }
    for row in 0..<layout.paneHeight {
      if state.overlay != nil {
        lines.append(right[row])
        continue
      }
      var line = row < left.count ? left[row] : StyledLine().fitted(to: layout.leftWidth)
      line.append("│", TextStyle(.muted))
      line.append(row < right.count ? right[row] : StyledLine().fitted(to: layout.rightWidth))
      lines.append(line)
    }
    lines.append(DetailsText(state: state, width: size.columns).line().fitted(to: size.columns))
    lines.append(status(state, width: size.columns).fitted(to: size.columns))
    return Frame(lines: lines)
  }

  /// The title bar: the image and its figures, in a shorter form when the full one does not fit.
  private func title(_ state: ExplorerState, width: Int) -> StyledLine {
    let analysis = state.analysis
    let label = SafeText.escape(analysis.image.label)
    let efficiency = ByteFormat.fixed(analysis.dive.efficiency * 100, digits: 1) + " %"
    let wasted = ByteFormat.human(analysis.dive.wastedBytes)
    let size = ByteFormat.human(analysis.finalBytes)
    let full =
      " strata explore · \(label) · \(analysis.layers.count) layers · \(size) in \(analysis.fileCount) files"
      + " · dive efficiency \(efficiency), wasted \(wasted)"
    let figures = " · \(size) · dive \(efficiency), \(wasted) wasted"
    let short = " strata · \(label)" + figures
    var text = full
    if SafeText.width(full) > width {
      text =
        SafeText.width(short) <= width
        ? short : " " + StyledLine.middle(label, columns: max(8, width - SafeText.width(figures) - 1)) + figures
    }
    return StyledLine(text, TextStyle(bold: true, reverse: true))
  }

  private func status(_ state: ExplorerState, width: Int) -> StyledLine {
    if let input = state.filterInput {
      var line = StyledLine(" / ", TextStyle(.accent, bold: true))
      line.append(SafeText.escape(input), TextStyle(reverse: state.filterReplacesText))
      line.append("█", TextStyle(.accent))
      let hint = state.filterReplacesText ? "typing replaces it · " : ""
      line.append("   " + hint + "Enter keep · Esc clear · text or glob (*.py)", TextStyle(.muted))
      return line
    }
    if let prompt = state.prompt { return promptLine(prompt, state: state, width: width) }
    if let message = state.message {
      return StyledLine(" " + SafeText.escape(message), TextStyle(.warning, bold: true))
    }
    return KeyBar.line(state, width: width)
  }

  private func promptLine(_ prompt: Prompt, state: ExplorerState, width: Int) -> StyledLine {
    var line: StyledLine
    let hint: String
    switch prompt.purpose {
    case .search:
      line = StyledLine(" search / ", TextStyle(.accent, bold: true))
      hint = "Enter find · Esc cancel · then n N"
    case .extract(let node, let layer):
      let path = StyledLine.middle(SafeText.escape(state.tree.path(of: node)), columns: max(12, width / 3))
      line = StyledLine(" save " + path + " (layer \(layer)) to: ", TextStyle(.accent, bold: true))
      hint = "Enter save · Esc cancel"
    case .overwrite(let request):
      return StyledLine(
        " " + SafeText.escape(request.destination) + " exists: replace it? y/n ", TextStyle(.warning, bold: true))
    }
    line.append(SafeText.escape(prompt.text))
    line.append("█", TextStyle(.accent))
    line.append("   " + hint, TextStyle(.muted))
    return line
  }

  private func tooSmall(_ size: TerminalSize) -> Frame {
    let message =
      "Terminal too small (\(size.columns)×\(size.rows)): needs \(Layout.minimum.columns)×\(Layout.minimum.rows). q quits."
    var lines = [StyledLine(message).fitted(to: size.columns)]
    while lines.count < size.rows { lines.append(StyledLine().fitted(to: size.columns)) }
    return Frame(lines: Array(lines.prefix(max(1, size.rows))))
  }
}
