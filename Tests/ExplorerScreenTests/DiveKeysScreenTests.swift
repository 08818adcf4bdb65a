import Foundation
import TestSupport
import Testing

/// dive's keys, the details, the small screen, the filter, the waste pane and the pager, each at
/// 80×24 and 160×45, on the real binary in tmux.
@Suite(
  "strata explore: dive's keys and what strata adds (tmux)", .serialized,
  .enabled(if: Tmux.available, Comment(rawValue: Tmux.missing)))
struct DiveKeysScreenTests {
  static let sizes = [(80, 24), (160, 45)]
  let screens = ExplorerScreenTests()

  /// The screen's lines.
  func lines(_ screen: String) -> [Substring] { screen.split(separator: "\n", omittingEmptySubsequences: false) }

  @Test(arguments: sizes) func ctrl_a_in_the_layers_pane_marks_everything_added_since_the_base(columns: Int, rows: Int)
    throws
  {
    let tmux = try screens.open(columns: columns, rows: rows)
    defer { tmux.kill() }
    var screen = try tmux.waitFor("Files as of layer 9")
    #expect(!screen.contains("+   138 kB ├"))
    try tmux.send("C-a")
    try tmux.waitFor("Layers · aggregated")
    // Frames are drawn top to bottom: wait for the lowest line that changes.
    screen = try tmux.waitFor("+   102 kB ├")
    #expect(screen.contains("+   138 kB ├ ▸ app/") || screen.contains("+   138 kB ├── ▸ app/"))
    #expect(!screen.contains("+  1.98 MB"))
    try tmux.send("Tab", "C-a")
    screen = try tmux.waitForNo("▸ app/")
    #expect(screen.contains("▸ bin/"))
    try tmux.send("C-a", "BTab", "C-l")
    try tmux.waitFor("Layers · this layer")
    try tmux.waitForNo("+   138 kB")
  }

  @Test(arguments: sizes) func the_key_bar_keeps_help_and_quit_in_every_pane(columns: Int, rows: Int) throws {
    let tmux = try screens.open(columns: columns, rows: rows)
    defer { tmux.kill() }
    try tmux.waitFor("reclaimable") { $0.contains("strata 776 kB") }
    for expected in ["^A aggregated", "Space open", "Enter show in tree"] {
      let screen = try tmux.waitFor(expected)
      let bar = try #require(lines(screen).last { !$0.isEmpty })
      #expect(bar.hasSuffix("? help  q quit"), "\(bar)")
      try tmux.send("Tab")
    }
    try tmux.send("C-Space")
    let screen = try tmux.waitFor("more in the tree") { $0.contains(" more") && $0.contains("▾ app/") }
    #expect(lines(screen)[1].contains("↓"))
  }

  @Test(arguments: sizes) func i_shows_the_layer_and_dive_s_figures_next_to_strata_s(columns: Int, rows: Int) throws {
    let tmux = try screens.open(columns: columns, rows: rows)
    defer { tmux.kill() }
    try tmux.waitFor("strata 776 kB")
    try tmux.send("i")
    var screen = try tmux.waitFor("/etc/myapp/app.conf && echo")
    #expect(screen.contains("Details: layer 9"))
    #expect(screen.contains("Diff ID"))
    #expect(screen.contains("Created  2023-11-14T22:13:20Z"))
    #expect(screen.contains("workers=4"), "the whole command, wrapped")
    try tmux.send("End")
    screen = try tmux.waitFor("/tmp/sdk-installer.tar.gz")
    #expect(screen.contains("/app/data/model.bin"))
    try tmux.send("/")
    try tmux.type("Potential")
    try tmux.send("Enter")
    // The whole frame after the search: the prompt gone, the match and the lines around it drawn.
    screen = try tmux.waitFor("the search drawn") {
      $0.contains("/Potential · 1 matching line") && !$0.contains("Enter find") && $0.contains("dive's wasted space")
    }
    #expect(screen.contains("584 kB"))
    #expect(screen.contains("Reclaimable (strata)"))
    #expect(screen.contains("776 kB"))
    #expect(screen.contains("dive's wasted space adds up every copy"))
    #expect(screen.contains("┏━"))
    #expect(screen.contains("n N next/prev match") || columns < 100)
    try tmux.send("q")
    try tmux.waitForNo("Details: layer 9")
  }

  @Test(arguments: sizes) func no_waste_leaves_no_empty_waste_pane(columns: Int, rows: Int) throws {
    let tmux = try Tmux(columns: columns, rows: rows, exploreCommand(ExplorerScreenTests.wasteful, "--no-waste"))
    defer { tmux.kill() }
    let screen = try tmux.waitFor("Waste: off (--no-waste)")
    let all = lines(screen)
    let row = try #require(all.firstIndex { $0.contains("Waste: off") })
    #expect(row == rows - 3, "the waste pane is its heading only")
    try tmux.send("Tab", "Tab")
    try tmux.waitFor("^A aggregated")
  }

  @Test(arguments: sizes) func esc_clears_a_kept_filter_and_sizes_follow_it(columns: Int, rows: Int) throws {
    let tmux = try screens.open(columns: columns, rows: rows)
    defer { tmux.kill() }
    try tmux.filter("id_rsa")
    try tmux.send("Enter")
    var screen = try tmux.waitForNo("/ id_rsa█")
    let app = try #require(lines(screen).first { $0.contains("app/") })
    #expect(app.contains("614 B"), "\(app)")
    try tmux.send("/")
    try tmux.waitFor("typing replaces it")
    try tmux.type("env")
    try tmux.waitFor("the filter replaced") { $0.contains("filter env") && $0.contains(" / env█") }
    try tmux.send("Enter")
    try tmux.waitForNo(" / env█")
    try tmux.send("Escape")
    screen = try tmux.waitFor("the whole tree") {
      !$0.contains("filter env") && $0.contains("138 kB") && $0.contains("▸ var/")
    }
  }

  @Test(arguments: sizes) func waste_lines_have_titles_and_the_fix_is_wrapped(columns: Int, rows: Int) throws {
    let tmux = try screens.open(columns: columns, rows: rows)
    defer { tmux.kill() }
    try tmux.waitFor("strata 776 kB")
    try tmux.send("Tab", "Tab")
    // Findings come largest first within their severity: the deleted installer's fix, wrapped.
    try tmux.waitFor("the wrapped fix") { $0.contains("fix: Files deleted by a later") && $0.contains("creates") }
    try tmux.send("s")
    // The key bar is the last line drawn; the details line above it names the selected path.
    let screen = try tmux.waitFor("the largest files") {
      $0.contains("307 kB L4 /tmp/sdk") && $0.contains("fix: deleted")
    }
    for id in ["hidden-by-later-layer", "metadata-rewrite", "package-cache"] { #expect(!screen.contains(id)) }
    #expect(!screen.contains("0 B L1 /var/lib/apt/lists/lock"))
    #expect(!screen.contains("     0 B L"))
    // The third order: dive's inefficient files, as dive lists them.
    try tmux.send("s")
    try tmux.waitFor("dive's list") { $0.contains("Inefficient files (dive)") && $0.contains("dive counts every copy") }
    try tmux.waitFor("  2   307 kB  /tmp/sdk-in")
  }

  @Test(arguments: sizes) func the_pager_searches_and_d_on_a_removed_binary_says_so(columns: Int, rows: Int) throws {
    let tmux = try screens.open(columns: columns, rows: rows)
    defer { tmux.kill() }
    try tmux.filter("app.conf")
    try tmux.send("Enter", "End", "Enter")
    try tmux.waitFor("log_level=info")
    try tmux.waitFor("/ search")
    try tmux.send("/")
    try tmux.type("workers")
    try tmux.send("Enter")
    try tmux.waitFor("/workers · 1 matching line")
    try tmux.send("q")
    try tmux.waitForNo("┏━")
    try tmux.send("Escape")
    try tmux.waitForNo("filter app.conf")
    try tmux.send("[", "[")
    try tmux.waitFor("Files as of layer 7")
    try tmux.send("/")
    try tmux.type("sdk")
    try tmux.send("Enter", "End", "d")
    let screen = try tmux.waitFor("removed in layer 7")
    #expect(!screen.contains("contents differ"))
  }
}
