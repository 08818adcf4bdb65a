import Reporting

/// The bottom line: the keys of what has the focus (a pane, the pager, a prompt), as many as
/// fit, with the way to help and out always kept at the end.
enum KeyBar {
  /// A key and what it does, as shown.
  typealias Hint = (key: String, action: String)

  /// The hints for the state, most useful first, and the ones kept at the end.
  static func hints(_ state: ExplorerState) -> (leading: [Hint], trailing: [Hint]) {
    switch state.overlay {
    case .pager(let page):
      var leading: [Hint] = [("↑↓ PgUp PgDn", "scroll"), ("/", "search")]
      if page.search != nil { leading.append(("n N", "next/prev match")) }
      leading += [("←→", "sideways"), ("g G", "top/end")]
      return (leading, [("q", "close")])
    case .help: return ([("↑↓ PgUp PgDn", "scroll")], [("?", "close"), ("q", "close")])
    case nil: break
    }
    let trailing: [Hint] = [("?", "help"), ("q", "quit")]
    var leading: [Hint] = []
    if state.tree.filter != nil { leading.append(("Esc", "clear filter")) }
    switch state.focus {
    case .layers:
      leading += [
        ("Tab", "pane"), ("↑↓", "layer"),
        state.tree.compare == .layer ? ("^A", "aggregated") : ("^L", "this layer only"),
        ("i", "details"), ("/", "filter"), ("c", "changes only"), ("PgUp PgDn", "page"),
      ]
    case .tree:
      leading += [
        ("Tab", "pane"), ("Space", "open"), ("Enter", "view"), ("d", "diff"), ("^E", "extract"), ("/", "filter"),
        ("^A ^R ^M ^U", "kinds"), ("^O", "sort"), ("^B", "attrs"), ("c", "changes only"), ("^Space", "all dirs"),
      ]
    case .waste:
      leading += [("Tab", "pane"), ("Enter", "show in tree"), ("s", "order"), ("i", "details")]
    }
    return (leading, trailing)
  }

  /// The bar for `state`, `width` columns wide.
  static func line(_ state: ExplorerState, width: Int) -> StyledLine {
    let (leading, trailing) = hints(state)
    return line(leading: leading, trailing: trailing, width: width)
  }

  /// Leading hints while they fit, then the trailing ones.
  static func line(leading: [Hint], trailing: [Hint], width: Int) -> StyledLine {
    let tail = trailing.reduce(StyledLine()) { line, hint in append(hint, to: line) }
    var line = StyledLine()
    for hint in leading {
      let next = append(hint, to: line)
      guard next.width + tail.width <= width else { break }
      line = next
    }
    line.append(tail)
    return line
  }

  private static func append(_ hint: Hint, to line: StyledLine) -> StyledLine {
    var line = line
    line.append(" " + hint.key, TextStyle(.accent, bold: true))
    line.append(" " + hint.action + " ", TextStyle(.muted))
    return line
  }
}
