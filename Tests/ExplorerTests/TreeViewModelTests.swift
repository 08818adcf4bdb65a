import ImageModel
import MergedTree
import Testing

@testable import Explorer

@Suite("Tree view model")
struct TreeViewModelTests {
  func model(layer: Int = 2) -> TreeViewModel {
    var tree = TreeViewModel(analysis: Images.sample, layer: layer)
    tree.setHeight(20)
    return tree
  }

  @Test func it_opens_with_the_top_level_collapsed() {
    #expect(model().visiblePaths == ["/etc", "/usr", "/var"])
  }

  @Test func space_expands_and_collapses_one_directory() {
    var tree = model()
    tree.toggleExpanded()
    #expect(tree.visiblePaths == ["/etc", "/etc/hosts", "/etc/passwd", "/usr", "/var"])
    tree.toggleExpanded()
    #expect(tree.visiblePaths == ["/etc", "/usr", "/var"])
  }

  @Test func expand_all_then_collapse_all() {
    var tree = model()
    tree.toggleAll()
    #expect(tree.visiblePaths.count == 9)
    tree.toggleAll()
    #expect(tree.visiblePaths == ["/etc", "/usr", "/var"])
  }

  @Test func arrows_open_directories_and_go_back_to_the_parent() {
    var tree = model()
    tree.expandOrEnter()
    tree.expandOrEnter()
    #expect(tree.cursorNode == tree.node("/etc/hosts"))
    tree.collapseOrLeave()
    #expect(tree.cursorNode == tree.node("/etc"))
    tree.collapseOrLeave()
    #expect(tree.visiblePaths == ["/etc", "/usr", "/var"])
  }

  @Test func an_earlier_layer_shows_the_tree_as_it_was() {
    var tree = model()
    tree.select(layer: 0)
    #expect(tree.visiblePaths == ["/etc", "/usr"])
    tree.select(layer: 1)
    #expect(tree.visiblePaths == ["/etc", "/usr", "/var"])
  }

  @Test func layer_changes_mode_shows_only_what_the_layer_did() {
    var tree = model(layer: 1)
    tree.toggleMode()
    tree.toggleAll()
    #expect(tree.visiblePaths == ["/etc", "/etc/hosts", "/var", "/var/log", "/var/log/app.log"])
    tree.select(layer: 2)
    #expect(tree.visiblePaths == ["/etc", "/etc/passwd", "/usr", "/usr/bin"])
  }

  @Test(arguments: [
    (ChangeMark.unchanged, ["/etc", "/etc/hosts", "/var", "/var/log", "/var/log/app.log"]),
    (
      ChangeMark.modified,
      ["/etc", "/etc/passwd", "/usr", "/usr/bin", "/usr/bin/tool", "/var", "/var/log", "/var/log/app.log"]
    ),
    (ChangeMark.added, ["/etc", "/etc/hosts", "/etc/passwd", "/usr", "/usr/bin", "/usr/bin/tool"]),
  ])
  func hiding_a_kind_hides_its_paths(mark: ChangeMark, expected: [String]) {
    var tree = model(layer: 1)
    tree.toggleAll()
    tree.toggle(mark)
    #expect(tree.visiblePaths == expected)
    tree.toggle(mark)
    #expect(tree.visiblePaths.count == 9)
  }

  @Test func removed_paths_can_be_hidden() {
    var tree = model(layer: 2)
    tree.toggleAll()
    tree.toggle(.removed)
    #expect(!tree.visiblePaths.contains("/etc/passwd"))
  }

  @Test func sorting_by_size_puts_the_largest_first() {
    var tree = model()
    tree.toggleSort()
    #expect(tree.visiblePaths == ["/usr", "/var", "/etc"])
    tree.toggleSort()
    #expect(tree.visiblePaths == ["/etc", "/usr", "/var"])
  }

  @Test func a_substring_filter_shows_matches_and_their_parents_expanded() {
    var tree = model(layer: 1)
    tree.setFilter("LOG")
    #expect(tree.visiblePaths.isEmpty)
    tree.setFilter("log")
    #expect(tree.visiblePaths == ["/var", "/var/log", "/var/log/app.log"])
    tree.setFilter("")
    #expect(tree.visiblePaths == ["/etc", "/usr", "/var"])
  }

  @Test func a_glob_filter_matches_names_at_any_depth() {
    var tree = model(layer: 1)
    tree.setFilter("*.log")
    #expect(tree.filter?.isGlob == true)
    #expect(tree.visiblePaths == ["/var", "/var/log", "/var/log/app.log"])
    tree.setFilter("/etc/*")
    #expect(tree.visiblePaths == ["/etc", "/etc/hosts", "/etc/passwd"])
  }

  @Test func a_filter_with_a_slash_matches_across_components() {
    var tree = model(layer: 1)
    tree.setFilter("r/log/a")
    #expect(tree.visiblePaths == ["/var", "/var/log", "/var/log/app.log"])
    tree.setFilter("etc/")
    #expect(tree.visiblePaths == ["/etc", "/etc/hosts", "/etc/passwd"])
  }

  @Test func the_cursor_stays_on_its_path_when_rows_change() {
    var tree = model()
    tree.moveCursor(by: 1)
    #expect(tree.cursorNode == tree.node("/usr"))
    tree.toggleSort()
    #expect(tree.cursorNode == tree.node("/usr"))
    #expect(tree.cursor == 0)
  }

  @Test func reveal_opens_the_parents_and_shows_the_hidden_kind() {
    var tree = model(layer: 2)
    tree.toggle(.unchanged)
    let found = tree.reveal(path: "/usr/bin/tool")
    #expect(found)
    #expect(tree.cursorNode == tree.node("/usr/bin/tool"))
    #expect(!tree.hiddenMarks.contains(.unchanged))
    let missing = tree.reveal(path: "/nowhere")
    #expect(!missing)
  }

  @Test func paging_and_ends_move_the_cursor_and_scroll() {
    var tree = model()
    tree.toggleAll()
    tree.setHeight(3)
    tree.moveToBottom()
    #expect(tree.cursor == 8)
    #expect(tree.top == 6)
    tree.page(by: -1)
    #expect(tree.cursor == 6)
    tree.moveToTop()
    #expect(tree.top == 0)
  }

  @Test func guides_mark_ancestors_with_later_siblings() throws {
    var tree = model()
    tree.toggleAll()
    let tool = try #require(tree.rows.first { $0.node == tree.node("/usr/bin/tool") })
    #expect(tool.depth == 3)
    #expect(TreePaneRenderer.branches(tool, compact: false) == "│       └── ")
  }
}
