import Foundation
import Analysis
import ImageModel
import MergedTree
import TestSupport
import Testing

@testable import Explorer

@Suite("File contents: text, binary, diffs")
struct ContentTests {
  @Test func line_diff_shows_changed_lines_with_context() {
    let old = ["a", "b", "c", "d", "e", "f", "g", "h"]
    let new = ["a", "b", "c", "D", "e", "f", "g", "h", "i"]
    let hunks = LineDiff.hunks(old, new, context: 1)
    #expect(hunks.map(\.text) == ["@@ -3,3 +3,3 @@", "c", "d", "D", "e", "@@ -8,1 +8,2 @@", "h", "i"])
    #expect(hunks.map(\.kind) == [.hunk, .same, .removed, .added, .same, .hunk, .same, .added])
  }

  @Test func identical_texts_have_no_hunks() {
    #expect(LineDiff.hunks(["x", "y"], ["x", "y"]).isEmpty)
  }

  @Test func edits_are_minimal() {
    let edits = LineDiff.edits(["a", "b", "c", "a", "b", "b", "a"], ["c", "b", "a", "b", "a", "c"])
    #expect(edits.filter { $0.kind != .same }.count == 5)
    #expect(edits.filter { $0.kind != .added }.map(\.text) == ["a", "b", "c", "a", "b", "b", "a"])
    #expect(edits.filter { $0.kind != .removed }.map(\.text) == ["c", "b", "a", "b", "a", "c"])
  }

  @Test func too_many_edits_fall_back_to_whole_replacement() {
    let edits = LineDiff.edits((0..<50).map(String.init), (50..<100).map(String.init), maxEdits: 10)
    #expect(edits.count == 100)
    #expect(edits.prefix(50).allSatisfy { $0.kind == .removed })
  }

  @Test(arguments: [
    ([0x7F, 0x45, 0x4C, 0x46, 2, 1], FileType.Kind.binary("ELF executable or library")),
    ([0x1F, 0x8B, 8, 0], .binary("gzip data")),
    (Array("hello\nworld\n".utf8), .text),
    (Array("naïve".utf8).dropLast(1).map { $0 }, .text),
    ([0x61, 0, 0x62], .binary("binary data")),
    ([0xFF, 0xFE, 0x41], .binary("binary data")),
  ])
  func binary_files_are_told_from_text(bytes: [UInt8], kind: FileType.Kind) {
    #expect(FileType.classify(bytes) == kind)
  }

  @Test func pager_lines_split_on_lf_and_crlf() {
    #expect(PagerModel.split("a\r\nb\nc\n") == ["a", "b", "c"])
    #expect(PagerModel.split("") == [])
  }

  @Test func tabs_expand_and_control_characters_are_escaped() {
    #expect(OverlayRenderer.visible("a\tb", from: 0) == "a       b")
    #expect(OverlayRenderer.visible("x\u{1B}[2Jy", from: 0) == "x\\x1B[2Jy")
    #expect(OverlayRenderer.visible("abcdef", from: 2) == "cdef")
  }

  @Test(arguments: [
    (EntryKind.directory, UInt32(0o755), "drwxr-xr-x"), (.regular, 0o644, "-rw-r--r--"),
    (.regular, 0o4755, "-rwsr-xr-x"), (.directory, 0o1777, "drwxrwxrwt"), (.symlink, 0o777, "lrwxrwxrwx"),
  ])
  func modes_read_like_ls(kind: EntryKind, permissions: UInt32, text: String) {
    #expect(ModeText.string(kind: kind, permissions: permissions) == text)
  }

  func reader() -> (ContentReader, ImageAnalysis) {
    let analysis = Images.analysis([
      [Images.file("etc/app.conf", 12), Images.file("bin/tool", 4)],
      [Images.file("etc/app.conf", 12)],
      [Images.file("etc/app.conf", 13, mode: 0o600)],
    ])
    let source = MemoryContentSource(files: [
      0: ["etc/app.conf": Array("level=debug\n".utf8), "bin/tool": [0x7F, 0x45, 0x4C, 0x46]],
      1: ["etc/app.conf": Array("level=debug\n".utf8)],
      2: ["etc/app.conf": Array("level=info\nx\n".utf8)],
    ])
    return (ContentReader(source: source, tree: analysis.tree, timeline: NodeTimeline(tree: analysis.tree)), analysis)
  }

  @Test func a_text_file_opens_in_the_pager() throws {
    let (reader, analysis) = reader()
    let node = try #require(analysis.tree.lookup("etc/app.conf"))
    let page = reader.pager(for: .file(node: node, layer: 0))
    #expect(page.title == "/etc/app.conf")
    #expect(page.lines.map(\.text) == ["level=debug"])
    #expect(page.subtitle.hasPrefix("layer 0 · file · 12 B"))
  }

  @Test func a_binary_file_shows_its_type_and_size_only() throws {
    let (reader, analysis) = reader()
    let page = reader.pager(for: .file(node: try #require(analysis.tree.lookup("bin/tool")), layer: 2))
    #expect(page.lines.first?.text == "Binary file: ELF executable or library, 4 B.")
  }

  @Test func the_diff_compares_a_version_with_the_one_before() throws {
    let (reader, analysis) = reader()
    let node = try #require(analysis.tree.lookup("etc/app.conf"))
    let diff = reader.pager(for: .diff(node: node, layer: 2))
    #expect(diff.isDiff)
    #expect(diff.title == "diff /etc/app.conf  layer 1 → layer 2")
    #expect(diff.lines.map(\.kind) == [.hunk, .removed, .added, .added])
    let same = reader.pager(for: .diff(node: node, layer: 1))
    #expect(same.lines.first?.text == "Same content in both layers; only the metadata differs.")
    let first = reader.pager(for: .diff(node: node, layer: 0))
    #expect(first.lines.first?.text.hasPrefix("Only one version") == true)
  }

  @Test func content_not_kept_from_a_stream_is_said_so() throws {
    struct FingerprintsOnly: ContentSource {
      func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
        Dictionary(uniqueKeysWithValues: paths.map { ($0, FileContent(fingerprint: 7, head: [], isComplete: false)) })
      }
    }
    let analysis = Images.sample
    let reader = ContentReader(
      source: FingerprintsOnly(), tree: analysis.tree, timeline: NodeTimeline(tree: analysis.tree), imageName: "-")
    let page = reader.pager(for: .file(node: try #require(analysis.tree.lookup("etc/hosts")), layer: 1))
    let text = page.lines.map(\.text).joined(separator: " ")
    #expect(text.contains("The content of /etc/hosts (layer 1) was not kept: standard input was read once"), "\(text)")
    #expect(text.contains("docker save -o image.tar IMAGE && strata explore image.tar"), "\(text)")
    #expect(text.contains("strata explore docker://IMAGE"), "\(text)")
    #expect(page.lines.allSatisfy { $0.text.count <= 78 }, "a note line longer than an 80-column screen")
  }

  @Test func a_named_stream_is_told_how_a_compressed_archive_is_read_again() {
    let note = ContentReader.notKept(path: "etc/hosts", layer: 1, image: "app.tar.gz")
    #expect(note[1].hasPrefix("app.tar.gz was read once, as a stream"))
    #expect(note.last == "A compressed archive file: decompress it, and explore the .tar.")
    #expect(!ContentReader.notKept(path: "etc/hosts", layer: 1, image: "-").contains { $0.contains("decompress") })
  }

  @Test func without_a_content_source_the_pager_says_so() throws {
    let analysis = Images.sample
    let reader = ContentReader(source: nil, tree: analysis.tree, timeline: NodeTimeline(tree: analysis.tree))
    let page = reader.pager(for: .file(node: try #require(analysis.tree.lookup("etc/hosts")), layer: 1))
    #expect(page.lines.first?.text == "File contents are not available for this image.")
  }
}

@Suite("Saving files and finding them as of a layer")
struct ExtractorTests {
  let analysis = Images.analysis([
    [
      Images.dir("app"), Images.file("app/a.txt", 3),
      LayerEntry(path: "app/out", kind: .symlink, linkTarget: "/etc/passwd"),
    ],
    [Images.file("app/a.txt", 4)],
  ])

  var source: MemoryContentSource {
    MemoryContentSource(files: [0: ["app/a.txt": Array("old".utf8)], 1: ["app/a.txt": Array("new!".utf8)]])
  }

  func extractor() -> Extractor {
    Extractor(source: source, tree: analysis.tree, timeline: NodeTimeline(tree: analysis.tree))
  }

  @Test func a_directory_is_saved_with_its_link_as_a_link_and_nothing_is_replaced() throws {
    try withTemporaryDirectory { directory in
      let node = try #require(analysis.tree.lookup("app"))
      let destination = directory.appendingPathComponent("saved").path
      let request = ExtractRequest(node: node, layer: 0, destination: destination, overwrite: false)
      #expect(extractor().extract(request) == .saved(entries: 3, bytes: 3, skipped: 0))
      #expect(try String(contentsOfFile: destination + "/a.txt", encoding: .utf8) == "old")
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: destination + "/out") == "/etc/passwd")
      #expect(extractor().extract(request) == .exists)
      var newer = request
      newer.layer = 1
      newer.overwrite = true
      #expect(extractor().extract(newer) == .saved(entries: 3, bytes: 4, skipped: 0))
      #expect(try String(contentsOfFile: destination + "/a.txt", encoding: .utf8) == "new!")
    }
  }

  @Test func a_destination_without_a_name_or_a_parent_is_refused() throws {
    let node = try #require(analysis.tree.lookup("app/a.txt"))
    for destination in ["..", "/nonexistent/dir/x"] {
      guard
        case .failed = extractor().extract(
          ExtractRequest(node: node, layer: 1, destination: destination, overwrite: false))
      else {
        Issue.record("\(destination) was accepted")
        continue
      }
    }
  }

  @Test func lookups_follow_links_and_name_what_is_missing() throws {
    let tree = analysis.tree
    let timeline = NodeTimeline(tree: tree)
    #expect(try LayerFileLookup.resolve("/app/a.txt", at: 1, tree: tree, timeline: timeline).get().layer == 1)
    #expect(try LayerFileLookup.resolve("app/../app/./a.txt", at: 0, tree: tree, timeline: timeline).get().size == 3)
    guard case .failure(let failure) = LayerFileLookup.resolve("/app/out", at: 1, tree: tree, timeline: timeline) else {
      Issue.record("a link out of the image resolved")
      return
    }
    #expect(failure.description == "/etc: no such file in the image at layer 1")
  }
}
