/// The keys, as the help overlay (and docs/explore.md) lists them.
public enum KeyBindings {
  /// One line of help: the keys and what they do.
  public struct Binding: Sendable, Hashable {
    /// The keys, as printed.
    public var keys: String
    /// What they do.
    public var action: String
  }

  /// A titled group of bindings.
  public struct Section: Sendable, Hashable {
    /// Its heading.
    public var title: String
    /// Its keys.
    public var bindings: [Binding]
  }

  private static func section(_ title: String, _ pairs: [(String, String)]) -> Section {
    Section(title: title, bindings: pairs.map { Binding(keys: $0.0, action: $0.1) })
  }

  /// Every key, grouped.
  public static let sections: [Section] = [
    section(
      "Find the biggest waste",
      [
        ("Tab Tab", "go to the Waste pane (findings, worst first)"),
        ("s", "in Waste: list the largest wasted files first"),
        ("Enter", "in Waste: show that path in the tree, as of its layer"),
      ]),
    section(
      "Everywhere",
      [
        ("Tab / Shift+Tab", "next / previous pane: Layers → Tree → Waste"),
        ("↑ ↓  k j", "move; PgUp PgDn by a page; Home End  g G first, last"),
        ("[  ]", "previous / next layer"),
        ("/  Ctrl+F", "filter the tree by path: text, or a glob (*.py, /usr/*)"),
        ("", "  typing filters as you go; Enter keeps it, Esc clears it"),
        ("?", "this help"),
        ("q  Ctrl+C", "quit"),
      ]),
    section(
      "Layers",
      [
        ("↑ ↓", "choose the layer: the tree shows the image as of it"),
        ("Ctrl+L", "tree: this layer's changes only / everything up to it"),
      ]),
    section(
      "Tree",
      [
        ("Space", "open or close the directory"),
        ("Ctrl+Space", "open all directories / close all"),
        ("→ ←  l h", "open a directory / close it or go to its parent"),
        ("Enter  v", "view the file's text as of the layer (read-only pager)"),
        ("d", "diff the file against its previous version"),
        ("Ctrl+A  A", "show / hide added paths      (+)"),
        ("Ctrl+R  R", "show / hide removed paths    (-)"),
        ("Ctrl+M  M", "show / hide modified paths   (~)  (Ctrl+M is Enter in most terminals: use M)"),
        ("Ctrl+U  U", "show / hide unchanged paths  (blank)"),
        ("Ctrl+O  s", "sort by name / by size"),
        ("Ctrl+B", "show / hide mode and owner"),
      ]),
    section(
      "Pager",
      [
        ("↑ ↓ PgUp PgDn", "scroll; ← → sideways"),
        ("q  Esc", "close"),
      ]),
  ]

  /// The marks drawn before each path.
  public static let legend = "+ added   ~ modified   - removed   (blank) unchanged"
}
