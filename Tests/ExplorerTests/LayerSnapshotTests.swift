import Analysis
import ImageModel
import MergedTree
import Testing

@testable import Explorer

@Suite("The tree as of a layer")
struct LayerSnapshotTests {
  let analysis = Images.sample

  func snapshot(_ layer: Int) -> LayerSnapshot {
    LayerSnapshot(analysis: analysis, timeline: NodeTimeline(tree: analysis.tree), layer: layer)
  }

  func node(_ path: String) throws -> Int32 { try #require(analysis.tree.lookup(path)) }

  @Test func every_path_is_added_in_the_first_layer() throws {
    let first = snapshot(0)
    for path in ["etc", "etc/hosts", "etc/passwd", "usr", "usr/bin", "usr/bin/tool"] {
      #expect(first.mark(of: try node(path)) == .added, "\(path)")
    }
    #expect(first.mark(of: try node("var")) == nil)
    #expect(first.bytes(of: FileTree.root) == 130)
  }

  @Test func a_rewritten_file_is_modified_and_a_new_one_added() throws {
    let second = snapshot(1)
    #expect(second.mark(of: try node("etc/hosts")) == .modified)
    #expect(second.mark(of: try node("var/log/app.log")) == .added)
    #expect(second.mark(of: try node("var")) == .added)
    #expect(second.mark(of: try node("etc/passwd")) == .unchanged)
    #expect(second.bytes(of: try node("etc")) == 35)
  }

  @Test func a_directory_listed_again_unchanged_is_not_a_change() throws {
    let second = snapshot(1)
    #expect(second.mark(of: try node("etc")) == .unchanged)
    #expect(!second.isListed(try node("etc")))
    #expect(!second.isListed(try node("usr")))
  }

  @Test func the_aggregated_view_marks_against_the_first_layer() throws {
    let timeline = NodeTimeline(tree: analysis.tree)
    let third = LayerSnapshot(analysis: analysis, timeline: timeline, layer: 2, aggregated: true)
    #expect(third.base == 0)
    #expect(third.mark(of: try node("var/log/app.log")) == .added)
    #expect(third.mark(of: try node("etc/hosts")) == .modified)
    #expect(third.mark(of: try node("etc/passwd")) == .removed)
    #expect(third.fileCounts == LayerSnapshot.FileCounts(added: 1, modified: 1, removed: 1))
    #expect(snapshot(2).fileCounts == LayerSnapshot.FileCounts(added: 0, modified: 0, removed: 1))
  }

  @Test func a_whiteout_removes_and_the_removed_bytes_are_shown() throws {
    let third = snapshot(2)
    #expect(third.mark(of: try node("etc/passwd")) == .removed)
    #expect(third.bytes(of: try node("etc/passwd")) == 20)
    #expect(third.bytes(of: try node("etc")) == 15)
    #expect(third.shownMark(of: try node("etc")) == .modified)
    #expect(third.bytes(of: FileTree.root) == 165)
  }

  @Test func an_implied_directory_exists_before_it_is_listed() throws {
    let timeline = NodeTimeline(tree: analysis.tree)
    let bin = try node("usr/bin")
    #expect(timeline.span(of: bin, at: 0)?.version == NodeTimeline.implied)
    #expect(timeline.span(of: bin, at: 2)?.version == NodeTimeline.latest)
    #expect(snapshot(2).mark(of: bin) == .modified)
    #expect(snapshot(1).mark(of: bin) == .unchanged)
  }

  @Test func versions_name_the_layers_that_added_changed_and_removed_a_path() throws {
    let timeline = NodeTimeline(tree: analysis.tree)
    let hosts = timeline.versions(of: try node("etc/hosts"), in: analysis.tree)
    #expect(hosts.map(\.layer) == [0, 1])
    #expect(hosts.map(\.size) == [10, 15])
    #expect(DetailsText.history(hosts) == "added L0, changed L1")
    let passwd = timeline.versions(of: try node("etc/passwd"), in: analysis.tree)
    #expect(DetailsText.history(passwd) == "added L0, removed L2")
  }

  @Test func a_path_deleted_and_written_again_has_two_spans() throws {
    let analysis = Images.analysis([
      [Images.file("a/x", 5)], [Images.whiteout("a")], [Images.file("a/x", 7)],
    ])
    let timeline = NodeTimeline(tree: analysis.tree)
    let x = try #require(analysis.tree.lookup("a/x"))
    #expect(timeline.spans(of: x).map { [$0.from, $0.until] } == [[0, 1], [2, Int32.max]])
    let marks = (0..<3).map { LayerSnapshot(analysis: analysis, timeline: timeline, layer: $0).mark(of: x) }
    #expect(marks == [.added, .removed, .added])
  }
}
