import Analysis
import ImageLoading
import ImageModel
import Reporting
import TestSupport
import Testing

@testable import Explorer

@Suite("Explorer state: keys across panes")
struct ExplorerStateTests {
  static let wasteful: (ImageAnalysis, WasteReport)? = {
    guard let image = try? ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path) else { return nil }
    let analysis = Analyzer.analyze(image)
    return (analysis, WasteAnalyzer.analyze(analysis))
  }()

  func state() throws -> ExplorerState {
    let (analysis, waste) = try #require(Self.wasteful)
    var state = ExplorerState(analysis: analysis, waste: waste)
    state.layout(TerminalSize(rows: 24, columns: 80))
    return state
  }

  func press(_ keys: [KeyStroke], _ state: inout ExplorerState) -> [Effect] {
    keys.map { state.handle($0) }
  }

  @Test func it_opens_on_the_layers_pane_at_the_top_layer() throws {
    let state = try state()
    #expect(state.focus == .layers)
    #expect(state.layers.selected == 9)
    #expect(state.tree.layer == 9)
  }

  @Test func moving_in_the_layer_list_changes_the_tree() throws {
    var state = try state()
    _ = press([.up, .up], &state)
    #expect(state.tree.layer == 7)
    _ = press([.home], &state)
    #expect(state.tree.layer == 0)
    _ = press([.character("]")], &state)
    #expect(state.tree.layer == 1)
  }

  @Test func tab_cycles_the_panes_and_shift_tab_goes_back() throws {
    var state = try state()
    _ = press([.tab], &state)
    #expect(state.focus == .tree)
    _ = press([.tab], &state)
    #expect(state.focus == .waste)
    _ = press([.tab], &state)
    #expect(state.focus == .layers)
    _ = press([.backTab], &state)
    #expect(state.focus == .waste)
  }

  @Test func the_largest_wasted_file_is_two_tabs_an_s_and_enter_away() throws {
    var state = try state()
    _ = press([.tab, .tab, .character("s"), .enter], &state)
    #expect(state.focus == .tree)
    #expect(state.tree.layer == 4)
    #expect(state.layers.selected == 4)
    #expect(state.tree.cursorNode.map(state.tree.path) == "/tmp/sdk-installer.tar.gz")
  }

  @Test func enter_on_a_finding_jumps_to_its_largest_path() throws {
    var state = try state()
    _ = press([.tab, .tab], &state)
    let index = try #require(
      state.waste.rows.firstIndex { row in
        state.waste.finding(of: row)?.category == "package-cache"
          && { if case .finding = row { true } else { false } }()
      })
    state.waste.select(index)
    _ = press([.enter], &state)
    #expect(state.tree.layer == 1)
    #expect(state.tree.cursorNode.map(state.tree.path)?.hasPrefix("/var/lib/apt/lists/") == true)
  }

  @Test func typing_a_filter_applies_it_as_you_go() throws {
    var state = try state()
    _ = press([.character("/")] + "conf".map { .character($0) }, &state)
    #expect(state.filterInput == "conf")
    #expect(state.tree.filter?.text == "conf")
    #expect(state.tree.visiblePaths.contains("/etc/myapp/app.conf"))
    _ = press([.backspace], &state)
    #expect(state.tree.filter?.text == "con")
    _ = press([.enter], &state)
    #expect(state.filterInput == nil)
    #expect(state.tree.filter?.text == "con")
    _ = press([.control("f"), .escape], &state)
    #expect(state.tree.filter == nil)
  }

  @Test func deferred_filter_typing_filters_once_when_settled() throws {
    var state = try state()
    state.defersFilterUpdates = true
    _ = press([.character("/")] + "conf".map { .character($0) }, &state)
    #expect(state.filterInput == "conf")
    #expect(state.tree.filter == nil)
    state.settle()
    #expect(state.tree.filter?.text == "conf")
    _ = press([.character("x"), .enter], &state)
    #expect(state.tree.filter?.text == "confx")
  }

  @Test func control_keys_toggle_kinds_mode_sort_and_attributes() throws {
    var state = try state()
    _ = press([.tab, .control("a"), .control("r"), .character("M"), .control("u")], &state)
    #expect(state.tree.hiddenMarks == Set(ChangeMark.allCases))
    #expect(state.tree.rows.isEmpty)
    _ = press([.character("A"), .character("R"), .control("m"), .character("U")], &state)
    #expect(state.tree.hiddenMarks.isEmpty)
    _ = press([.character("c"), .control("o"), .control("b")], &state)
    #expect(state.tree.mode == .changesOnly)
    #expect(state.tree.sort == .size)
    #expect(state.showAttributes)
  }

  @Test func ctrl_a_and_ctrl_l_in_the_layers_pane_switch_dive_s_views() throws {
    var state = try state()
    _ = press([.control("a")], &state)
    #expect(state.tree.compare == .aggregated)
    #expect(state.tree.hiddenMarks.isEmpty)
    // At the last layer the aggregated view marks everything added since layer 0.
    let snapshot = state.tree.snapshot
    let tree = state.analysis.tree
    for path in ["app/requirements.txt", "opt/app/model.bin", "etc/myapp/app.conf"] {
      #expect(snapshot.mark(of: try #require(tree.lookup(path))) == .added, "\(path)")
    }
    #expect(snapshot.mark(of: try #require(tree.lookup("bin/busybox"))) == .unchanged)
    _ = press([.control("l")], &state)
    #expect(state.tree.compare == .layer)
    #expect(state.tree.snapshot.mark(of: try #require(tree.lookup("app/requirements.txt"))) != .added)
  }

  @Test func a_kept_filter_is_cleared_by_escape_and_replaced_when_typed_again() throws {
    var state = try state()
    _ = press([.character("/")] + "conf".map { .character($0) } + [.enter], &state)
    #expect(state.tree.filter?.text == "conf")
    _ = press([.character("/"), .character("b"), .enter], &state)
    #expect(state.tree.filter?.text == "b")
    _ = press([.character("/"), .backspace, .enter], &state)
    #expect(state.tree.filter == nil)
    _ = press([.character("/")] + "app.conf".map { .character($0) } + [.enter], &state)
    let etc = try #require(state.analysis.tree.lookup("etc"))
    #expect(
      state.tree.bytes(of: etc)
        == state.tree.version(of: try #require(state.analysis.tree.lookup("etc/myapp/app.conf")))?.size)
    _ = press([.escape], &state)
    #expect(state.tree.filter == nil)
    #expect(state.tree.bytes(of: etc) > 100)
  }

  @Test func layer_counts_are_the_tree_s_marks() throws {
    var state = try state()
    let counts = state.tree.snapshot.fileCounts
    let tree = state.analysis.tree
    #expect(state.tree.snapshot.mark(of: try #require(tree.lookup("etc/myapp/app.conf"))) == .modified)
    #expect(counts.modified >= 1)
    _ = press([.character("c")], &state)
    // The changes-only view lists no directory that is unchanged with nothing changed under it.
    for row in state.tree.rows where state.tree.isDirectory(row.node) {
      #expect(state.tree.snapshot.shownMark(of: row.node) != .unchanged, "\(state.tree.path(of: row.node))")
    }
  }

  @Test func i_opens_the_details_with_dive_s_figures_and_strata_s() throws {
    var state = try state()
    _ = press([.character("i")], &state)
    guard case .pager(let page) = state.overlay else { throw Failure("details are not open") }
    let text = page.lines.map(\.text).joined(separator: "\n")
    #expect(text.contains("Potential wasted space (dive)"))
    #expect(text.contains("Reclaimable (strata)"))
    #expect(text.contains("dive's wasted space adds up every copy"))
    #expect(text.contains("Diff ID"))
    #expect(text.contains("/tmp/sdk-installer.tar.gz"))
  }

  @Test func the_pager_finds_text_and_steps_between_matches() throws {
    var state = try state()
    state.show(PagerModel(title: "t", subtitle: "s", text: (1...100).map { "line \($0)" }.joined(separator: "\n")))
    _ = press([.character("/")] + "LINE 5".map { .character($0) } + [.enter], &state)
    guard case .pager(let upper) = state.overlay else { throw Failure("pager is not open") }
    #expect(upper.matches.isEmpty)
    _ = press([.character("/")] + "line 5".map { .character($0) } + [.enter], &state)
    guard case .pager(let page) = state.overlay else { throw Failure("pager is not open") }
    #expect(page.matches == [4] + Array(49...58))
    #expect(page.currentMatch == 4)
    _ = press([.character("n"), .character("n")], &state)
    guard case .pager(let next) = state.overlay else { throw Failure("pager is not open") }
    #expect(next.currentMatch == 50)
    #expect(next.top <= 50 && 50 < next.top + next.height)
    _ = press([.character("N"), .character("N"), .character("N")], &state)
    guard case .pager(let back) = state.overlay else { throw Failure("pager is not open") }
    #expect(back.currentMatch == 58)
  }

  @Test func enter_on_a_file_asks_to_read_it_and_d_asks_for_a_diff() throws {
    var state = try state()
    _ = press([.tab, .character("/")] + "app.conf".map { .character($0) } + [.enter, .end], &state)
    let node = try #require(state.tree.cursorNode)
    #expect(state.tree.path(of: node) == "/etc/myapp/app.conf")
    #expect(press([.enter], &state) == [.read(.file(node: node, layer: 9))])
    #expect(press([.character("d")], &state) == [.read(.diff(node: node, layer: 9))])
  }

  @Test func help_opens_scrolls_and_closes() throws {
    var state = try state()
    _ = press([.character("?"), .down], &state)
    guard case .help(let top) = state.overlay else { throw Failure("help is not open") }
    #expect(top == 1)
    _ = press([.escape], &state)
    #expect(state.overlay == nil)
  }

  @Test func the_pager_scrolls_and_closes() throws {
    var state = try state()
    state.show(PagerModel(title: "t", subtitle: "s", text: (1...100).map(String.init).joined(separator: "\n")))
    _ = press([.pageDown, .down], &state)
    guard case .pager(let page) = state.overlay else { throw Failure("pager is not open") }
    #expect(page.top == page.height)
    _ = press([.character("q")], &state)
    #expect(state.overlay == nil)
  }

  @Test func q_and_ctrl_c_quit() throws {
    var state = try state()
    #expect(state.handle(.character("q")) == .quit)
    #expect(state.handle(.control("c")) == .quit)
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }
}

@Suite("Waste panel")
struct WastePanelTests {
  @Test func largest_files_are_sorted_and_leave_out_what_is_not_waste() throws {
    let (_, report) = try #require(ExplorerStateTests.wasteful)
    var panel = WastePanelModel(report: report)
    #expect(panel.status == .ready)
    // No byte under two findings, no finding without bytes.
    var seen: Set<String> = []
    for row in panel.rows {
      let finding = try #require(panel.finding(of: row))
      switch row {
      case .finding(let index): #expect(panel.shownBytes[index] > 0 || finding.category == "sensitive")
      case .path:
        guard finding.countsTowardTotal, let path = panel.findingPath(of: row) else { continue }
        #expect(seen.insert("\(finding.layer) \(path.path)").inserted, "\(path.path) twice")
      case .inefficiency: Issue.record("dive's list among the findings")
      }
    }
    panel.toggleOrder()
    let sizes = panel.rows.compactMap { panel.findingPath(of: $0)?.bytes }
    #expect(sizes == sizes.sorted(by: >))
    #expect(panel.rows.allSatisfy { panel.finding(of: $0)?.category != "sensitive" })
    let first = try #require(panel.rows.first.flatMap(panel.target))
    #expect(first == WastePanelModel.Target(path: "/tmp/sdk-installer.tar.gz", layer: 4))
  }

  @Test func the_third_order_is_dive_s_inefficient_files_and_enter_shows_one() throws {
    let (analysis, report) = try #require(ExplorerStateTests.wasteful)
    var state = ExplorerState(analysis: analysis, waste: report)
    state.layout(TerminalSize(rows: 24, columns: 80))
    for key: KeyStroke in [.tab, .tab, .character("s"), .character("s")] { _ = state.handle(key) }
    #expect(state.waste.order == .diveInefficiencies)
    #expect(state.waste.rows.count == analysis.dive.inefficiencies.count)
    #expect(analysis.dive.inefficiencies.first?.path == "/tmp/sdk-installer.tar.gz")
    _ = state.handle(.down)
    _ = state.handle(.enter)
    #expect(state.tree.cursorNode.map(state.tree.path) == analysis.dive.inefficiencies[1].path)
  }

  @Test func a_pane_without_findings_says_why() {
    #expect(WastePanelModel(report: nil).status == .disabled)
    #expect(WastePanelModel(report: nil, status: .computing).status == .computing)
  }
}
