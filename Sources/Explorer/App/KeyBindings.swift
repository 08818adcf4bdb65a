/// The keys, as the help overlay (and docs/explore.md) lists them.
package enum KeyBindings {
  /// One line of help: the keys and what they do.
  package struct Binding: Sendable, Hashable {
    /// The keys, as printed.
    package var keys: String
    /// What they do.
    package var action: String
  }

  /// A titled group of bindings.
  package struct Section: Sendable, Hashable {
    /// Its heading.
    package var title: String
    /// Its keys.
    package var bindings: [Binding]
  }

  private static func section(_ title: String, _ pairs: [(String, String)]) -> Section {
    Section(title: title, bindings: pairs.map { Binding(keys: $0.0, action: $0.1) })
  }

  /// Every key, grouped: dive's keys pane by pane, then strata's own.
  package static let sections: [Section] = [
    section(
      "dive's keys: everywhere",
      [
        ("Tab", "switch pane: Layers → Tree → Waste (Shift+Tab back)"),
        ("Ctrl+F  /", "filter the tree by path: text, or a glob (*.py, /usr/*)"),
        ("", "  typing filters as you go; Enter keeps it, Esc clears it (also once kept)"),
        ("↑ ↓  PgUp PgDn", "move; a page at a time"),
        ("Ctrl+C  q", "quit"),
      ]),
    section(
      "dive's keys: Layers pane",
      [
        ("↑ ↓", "choose the layer: the tree shows the image as of it"),
        ("Ctrl+L", "marks: this layer's changes (against the layer below)"),
        ("Ctrl+A", "marks: aggregated, every change since layer 0"),
      ]),
    section(
      "dive's keys: Tree pane",
      [
        ("Space", "open or close the directory"),
        ("Ctrl+Space", "open all directories / close all"),
        ("Ctrl+A  A", "show / hide added paths      (+)"),
        ("Ctrl+R  R", "show / hide removed paths    (-)"),
        ("Ctrl+M  M", "show / hide modified paths   (~)  (Ctrl+M is Enter in most terminals: use M)"),
        ("Ctrl+U  U", "show / hide unchanged paths  (blank)"),
        ("Ctrl+B", "show / hide mode and owner"),
        ("Ctrl+O  s", "sort by name / by size"),
        ("Ctrl+E", "save the file or directory to a path you type (never replaces without asking)"),
      ]),
    section(
      "strata's own keys",
      [
        ("?", "this help"),
        ("i", "details: the layer (full command, ids, time) and the image (dive's figures and strata's)"),
        ("[  ]", "previous / next layer, from any pane"),
        ("c", "tree: changes only / the whole tree"),
        ("Home End  g G", "first, last"),
        ("→ ←  l h", "open a directory / close it or go to its parent"),
        ("Enter  v", "view the file's text as of the layer (read-only pager)"),
        ("d", "diff the file against its previous version"),
        ("Ctrl+Z", "suspend to the shell; fg comes back to the same screen"),
      ]),
    section(
      "Waste pane (strata)",
      [
        ("Tab Tab", "go to the Waste pane (findings, worst first; the fix under the selected one)"),
        ("s", "order: by finding → largest wasted files → dive's inefficient files"),
        ("Enter", "show that path in the tree, as of its layer"),
      ]),
    section(
      "Pager",
      [
        ("↑ ↓ PgUp PgDn", "scroll; ← → sideways; g G top, end"),
        ("/", "search (smart case); n N next, previous match; Esc clears it"),
        ("q  Esc", "close"),
      ]),
  ]

  /// The marks drawn before each path.
  package static let legend = "+ added   ~ modified   - removed   (blank) unchanged"
}
