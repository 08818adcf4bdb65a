import Analysis
import Comparison
import Foundation
import ImageLoading
import PackageDatabases
import Reporting
import Testing
import TestSupport

/// Every text, Markdown and CSV renderer on the committed fixtures, compared with the files in
/// `Tests/ReportingTests/Golden/`. After a deliberate change, re-record them with
/// `STRATA_RECORD_GOLDEN=1 swift test --filter GoldenTests` and review the diff like code.
@Suite("Golden reports")
struct GoldenTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
  static let recording = !(ProcessInfo.processInfo.environment["STRATA_RECORD_GOLDEN"] ?? "").isEmpty

  let wasteful: (ImageAnalysis, WasteReport)

  init() throws {
    wasteful = try analysedFixture("images/wasteful/wasteful.tar")
  }

  /// Compares `text` with `Golden/<name>`, or writes it there when recording. Absolute paths of
  /// this checkout are written as `<repo>/`, so the files hold on any machine.
  func check(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let normalised = text.replacingOccurrences(of: TS.repoRoot.path + "/", with: "<repo>/")
    let file = Self.directory.appendingPathComponent(name)
    if Self.recording {
      try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
      try normalised.write(to: file, atomically: true, encoding: .utf8)
      return
    }
    let expected = try #require(
      try? String(contentsOf: file, encoding: .utf8),
      "no golden file \(name): record it with STRATA_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
    guard normalised != expected else { return }
    let got = normalised.split(separator: "\n", omittingEmptySubsequences: false)
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
    Issue.record(
      """
      \(name) differs from its golden file at line \(line + 1) (STRATA_RECORD_GOLDEN=1 re-records it):
        golden: \(line < want.count ? String(want[line]) : "(end)")
        now:    \(line < got.count ? String(got[line]) : "(end)")
      """, sourceLocation: sourceLocation)
  }

  func text(_ configure: (inout TextReport.Options) -> Void = { _ in }) -> String {
    var options = TextReport.Options()
    configure(&options)
    return TextReport(options: options).render(wasteful.0, waste: wasteful.1)
  }

  @Test func the_default_text_report() throws {
    try check("analyze-wasteful.txt", text())
  }

  @Test func the_verbose_text_report() throws {
    try check("analyze-wasteful-verbose.txt", text { $0.verbose = true })
  }

  @Test func the_tree_top_and_min_size() throws {
    try check(
      "analyze-wasteful-tree.txt",
      text {
        $0.tree = true
        $0.depth = 2
        $0.top = 2
        $0.minBytes = 50_000
      })
  }

  @Test func exact_bytes_in_a_narrow_terminal() throws {
    try check(
      "analyze-wasteful-narrow-bytes.txt",
      text {
        $0.exactBytes = true
        $0.width = 60
      })
  }

  @Test func the_layer_view() throws {
    try check("analyze-wasteful-layer-8.txt", text { $0.layer = 8 })
  }

  @Test func markdown_and_csv() throws {
    try check("analyze-wasteful.md", MarkdownReport.render(wasteful.0, waste: wasteful.1))
    try check("analyze-wasteful.csv", CSVReport.render(wasteful.0))
  }

  @Test func ci_text_and_markdown() throws {
    let context = try CIFixture().context()
    try check("ci-wasteful.txt", CITextReport().render(context))
    try check("ci-wasteful.md", CIMarkdownReport.render(context))
  }

  @Test func compare_text_markdown_and_packages() throws {
    func input(_ tag: String) throws -> ComparisonInput {
      var options = LoadOptions()
      options.image = "localhost/strata/compare-app:\(tag)"
      let analysis = Analyzer.analyze(
        try ImageLoader.load(fixtureURL("images/compare/compare.tar").path, options: options))
      return ComparisonInput(
        label: tag, analysis: analysis, waste: WasteAnalyzer.analyze(analysis), packages: PackageScanner.scan(analysis))
    }
    let inputs = [try input("v1"), try input("v2")]
    let comparison = Comparer.compare(inputs)
    var options = CompareText.Options()
    options.depth = 2
    try check("compare-v1-v2.txt", CompareText(options: options).render(comparison))
    try check("compare-v1-v2.md", CompareMarkdown.render(comparison))
    let packages = try #require(inputs[1].packages)
    try check("packages-v2.txt", PackageText().inventory(packages))
    try check("packages-v2.md", PackageMarkdown.render(packages))
    let range = try #require(LayerRangeDiff.compute(inputs[1].analysis, lower: 1, upper: 2))
    try check("compare-v2-layers-1-2.txt", CompareText(options: options).render(range, label: "v2"))
    try check("compare-v2-layers-1-2.md", CompareMarkdown.render(range, label: "v2"))
  }
}
