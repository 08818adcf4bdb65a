import Foundation
import JSONIO
import TestSupport
import Testing

/// `strata analyze` as a tool: the per-layer view needs each layer's entries, which the other
/// report formats let go of before the waste analysis.
@Suite("strata analyze, run as a tool", .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct AnalyzeCommandTests {
  static let image = fixtureURL("images/wasteful/wasteful.tar").path

  @Test func the_layer_view_still_lists_the_layer_s_own_entries() throws {
    let run = try StrataTool.run(["analyze", "--layer", "4", Self.image])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Added (1, 307 kB)"))
    #expect(run.stdout.contains("/tmp/sdk-installer.tar.gz"))
  }

  @Test func the_json_report_keeps_each_layer_s_entry_count() throws {
    let run = try StrataTool.run(["analyze", "--format", "json", Self.image])
    #expect(run.status == 0, "\(run.stderr)")
    let report = try JSONValue.parse(run.stdout)
    let entries = report["layers"]?.arrayValue?.compactMap { $0["entries"]?.integerValue } ?? []
    #expect(entries.count == 10)
    #expect(entries.reduce(0, +) > 300, "\(entries)")
  }

  @Test func a_layer_out_of_range_is_refused_before_the_layers_are_read() throws {
    // The one layer is no tar: reading it would fail. --layer is checked against the manifest
    // first, so the error is about --layer.
    let broken = try LayerSpec(Array("not a tar archive".utf8), command: "RUN broken")
    let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["broken:1"], layers: [broken])).build()
    try withTemporaryFile(bytes) { path in
      let run = try StrataTool.run(["analyze", "--layer", "3", path])
      #expect(run.status == 2)
      #expect(run.stderr == "strata: --layer 3: the image has layers 0 to 0\n")
      #expect(run.stdout.isEmpty)
      let unchecked = try StrataTool.run(["analyze", "--layer", "0", path])
      #expect(unchecked.status == 2)
      #expect(!unchecked.stderr.contains("--layer"), "reading the layer fails: \(unchecked.stderr)")
    }
  }
}
