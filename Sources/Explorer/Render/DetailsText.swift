import Analysis
import ImageModel
import Reporting

/// The details line: facts about whatever is selected in the focused pane.
struct DetailsText {
  let state: ExplorerState
  let width: Int

  func line() -> StyledLine {
    switch state.focus {
    case .layers: return layer()
    case .tree: return node()
    case .waste: return finding()
    }
  }

  private func node() -> StyledLine {
    let tree = state.tree
    guard let node = tree.cursorNode, let version = tree.version(of: node) else { return StyledLine() }
    let path = StyledLine.middle(SafeText.escape(tree.path(of: node)), columns: max(20, width - 48))
    var line = StyledLine(" " + path, TextStyle(bold: true))
    var facts = "  " + version.kind.name
    facts += " · " + ByteFormat.human(version.kind == .directory ? tree.bytes(of: node) : version.size)
    facts += " · " + ModeText.string(kind: version.kind, permissions: version.permissions)
    facts += " \(version.uid):\(version.gid)"
    line.append(facts)
    if let target = version.linkTarget {
      line.append(" → " + SafeText.escape(version.kind == .hardlink ? "/" + target : target), TextStyle(.muted))
    }
    line.append("  " + Self.history(tree.timeline.versions(of: node, in: tree.analysis.tree)), TextStyle(.accent))
    return line
  }

  /// `added L0, changed L8, removed L9`.
  static func history(_ versions: [PathVersion]) -> String {
    var parts: [String] = []
    var previous: PathVersion?
    for version in versions {
      if version.implied {
        if previous == nil { parts.append("implied from L\(version.layer)") }
      } else if let previous, previous.hiddenBy == version.layer, !previous.deleted {
        parts.append("changed L\(version.layer)")
      } else {
        parts.append("added L\(version.layer)")
      }
      if version.deleted, let hidden = version.hiddenBy { parts.append("removed L\(hidden)") }
      previous = version
    }
    return parts.joined(separator: ", ")
  }

  private func layer() -> StyledLine {
    let layers = state.layers
    guard layers.rows.indices.contains(layers.selected) else { return StyledLine() }
    let row = layers.rows[layers.selected]
    var line = StyledLine(" Layer \(row.index)", TextStyle(bold: true))
    // The counts are the tree's marks, so they agree with what the tree shows.
    let counts = state.tree.snapshot.fileCounts
    let since = state.tree.snapshot.base.map { $0 < row.index - 1 ? " since layer \($0)" : "" } ?? ""
    line.append("  +\(counts.added) ~\(counts.modified) -\(counts.removed) files\(since)", TextStyle(.accent))
    line.append(" · \(ByteFormat.human(row.bytes))")
    if let digest = row.digest { line.append(" · " + SafeText.escape(String(digest.prefix(19))), TextStyle(.muted)) }
    line.append("  ")
    line.append(StyledLine.middle(SafeText.escape(row.command), columns: max(10, width - line.width)))
    return line
  }

  private func finding() -> StyledLine {
    let panel = state.waste
    if case .inefficiency? = panel.selectedRow {
      return StyledLine(
        " dive counts every copy of a path seen in two or more layers, the copy kept included", TextStyle(.muted))
    }
    guard let row = panel.selectedRow, let finding = panel.finding(of: row) else {
      return StyledLine(" Enter on a line shows its path in the tree", TextStyle(.muted))
    }
    var line = StyledLine(" fix: ", TextStyle(.accent, bold: true))
    if let path = panel.findingPath(of: row), let detail = path.detail {
      line.append(SafeText.escape(detail) + " — ", TextStyle(.muted))
    }
    line.append(SafeText.escape(finding.fix))
    return line
  }
}
