import ImageModel
import Reporting

/// Draws the tree pane: a heading, then one line per visible row.
struct TreePaneRenderer {
  let state: ExplorerState
  let width: Int
  let height: Int

  func lines() -> [StyledLine] {
    let tree = state.tree
    let focused = state.focus == .tree && state.overlay == nil
    let marks = StyledLine.scrollMarks(top: tree.top, height: height, count: tree.rows.count)
    var lines = [SidePaneRenderer.heading(heading(), focused: focused, marks: marks, width: width)]
    let rows = tree.rows
    let compact = width < 60
    for index in tree.top..<min(rows.count, tree.top + height) {
      var line = self.line(rows[index], compact: compact)
      if index == tree.cursor {
        line = line.fitted(to: width, fill: TextStyle(reverse: focused, underline: !focused))
          .highlighted(TextStyle(reverse: focused, underline: !focused))
      }
      lines.append(line.fitted(to: width))
    }
    if rows.isEmpty {
      let why = tree.filter != nil ? "  no path matches the filter" : "  nothing to show (see hidden kinds above)"
      lines.append(StyledLine(why, TextStyle(.muted)).fitted(to: width))
    }
    while lines.count < height + 1 { lines.append(StyledLine().fitted(to: width)) }
    return lines
  }

  private func heading() -> String {
    let tree = state.tree
    let aggregated = tree.compare == .aggregated && tree.layer > 0
    var text: String
    switch tree.mode {
    case .wholeTree: text = "Files as of layer \(tree.layer)" + (aggregated ? " · marks since layer 0" : "")
    case .changesOnly: text = aggregated ? "Changes in layers 1–\(tree.layer)" : "Changes in layer \(tree.layer)"
    }
    if tree.sort == .size { text += " · by size" }
    if !tree.hiddenMarks.isEmpty {
      let hidden = ChangeMark.allCases.filter(tree.hiddenMarks.contains).map(\.name)
      text += " · hiding " + hidden.joined(separator: ", ")
    }
    if let filter = tree.filter {
      text += " · " + (filter.isGlob ? "glob " : "filter ") + SafeText.escape(filter.text)
    }
    return text
  }

  func line(_ row: TreeRow, compact: Bool) -> StyledLine {
    let tree = state.tree
    let node = row.node
    let mark = tree.snapshot.shownMark(of: node) ?? .unchanged
    let version = tree.version(of: node)
    let isDirectory = version?.kind == .directory
    var line = StyledLine()
    line.append(mark.symbol, TextStyle(mark.role, bold: true))
    line.append(" " + SafeText.padLeft(ByteFormat.human(tree.bytes(of: node)), to: 8) + " ")
    if state.showAttributes, let version {
      line.append(ModeText.string(kind: version.kind, permissions: version.permissions) + " ", TextStyle(.muted))
      line.append(SafeText.pad("\(version.uid):\(version.gid)", to: 9) + " ", TextStyle(.muted))
    }
    line.append(Self.branches(row, compact: compact), TextStyle(.muted))
    if isDirectory { line.append(tree.isExpanded(node) ? "▾ " : "▸ ", TextStyle(.muted)) }
    var name = SafeText.escape(tree.analysis.tree.nodes[Int(node)].name) + (isDirectory ? "/" : "")
    var link = ""
    if version?.kind == .symlink || version?.kind == .hardlink, let target = version?.linkTarget {
      link = (version?.kind == .symlink ? " → " : " ⇒ /") + SafeText.escape(target)
    }
    // Long names and link targets are shortened in the middle: their ends (extensions) stay.
    let room = max(6, width - line.width)
    if SafeText.width(name) + SafeText.width(link) > room {
      // The name first; the link target in what is left, when that is enough to read.
      name = StyledLine.middle(name, columns: max(room - SafeText.width(link), min(SafeText.width(name), room)))
      let linkRoom = room - SafeText.width(name)
      link = linkRoom >= 8 ? StyledLine.middle(link, columns: linkRoom) : ""
    }
    let role: TextStyle.Role? = mark == .unchanged ? (isDirectory ? .directory : nil) : mark.role
    line.append(name, TextStyle(role, bold: isDirectory))
    line.append(link, TextStyle(.muted))
    return line
  }

  /// `│   │   ├── ` for a row, or the two-column form for narrow panes.
  static func branches(_ row: TreeRow, compact: Bool) -> String {
    var text = ""
    for level in 0..<max(0, row.depth - 1) {
      let open = level < 64 && row.guides & (1 << UInt64(level)) != 0
      text += compact ? (open ? "│ " : "  ") : (open ? "│   " : "    ")
    }
    return text + (compact ? (row.isLast ? "└ " : "├ ") : (row.isLast ? "└── " : "├── "))
  }
}

extension ChangeMark {
  /// The colour role of the mark.
  var role: TextStyle.Role? {
    switch self {
    case .added: return .added
    case .modified: return .modified
    case .removed: return .removed
    case .unchanged: return nil
    }
  }
}
