import Foundation
import TestSupport
import Testing

/// The sample outputs in README.md and docs/ are what strata prints: each
/// `<!-- sample: strata ARGS -->` block is run again here (at the repository root, standard
/// output not a terminal) and compared. `Scripts/update-samples.sh` rewrites them.
@Suite("Documentation samples", .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct SampleTests {
  /// One sample: where, the arguments, and the block's text after its `$ strata …` line.
  struct Sample: CustomTestStringConvertible, Sendable {
    var file: String
    var arguments: String
    var shown: String
    var testDescription: String { "\(file): strata \(arguments)" }
  }

  static let documents: [String] = {
    let docs =
      (try? FileManager.default.contentsOfDirectory(atPath: TS.repoRoot.appendingPathComponent("docs").path)) ?? []
    return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
  }()

  static let samples: [Sample] = documents.flatMap { file -> [Sample] in
    guard let text = try? String(contentsOf: TS.repoRoot.appendingPathComponent(file), encoding: .utf8) else {
      return []
    }
    var samples: [Sample] = []
    var rest = Substring(text)
    while let start = rest.range(of: "<!-- sample: strata ") {
      guard let close = rest[start.upperBound...].range(of: " -->\n```\n"),
        let end = rest[close.upperBound...].range(of: "```\n<!-- /sample -->")
      else { break }
      let arguments = String(rest[start.upperBound..<close.lowerBound])
      var block = String(rest[close.upperBound..<end.lowerBound])
      let command = "$ strata \(arguments)\n"
      block = block.hasPrefix(command) ? String(block.dropFirst(command.count)) : "(no `\(command)` line)\n" + block
      samples.append(Sample(file: file, arguments: arguments, shown: block))
      rest = rest[end.upperBound...]
    }
    return samples
  }

  @Test func the_readme_has_samples() {
    #expect(Self.samples.contains { $0.file == "README.md" && $0.arguments.hasPrefix("analyze ") })
  }

  @Test(arguments: samples)
  func a_sample_is_what_strata_prints(_ sample: Sample) throws {
    let arguments = sample.arguments.split(separator: " ").map(String.init)
    let run = try StrataTool.run(arguments, in: TS.repoRoot)
    #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
    guard run.stdout != sample.shown else { return }
    let got = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let want = sample.shown.split(separator: "\n", omittingEmptySubsequences: false)
    let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
    Issue.record(
      """
      \(sample.file): the sample of `strata \(sample.arguments)` is not what strata prints (Scripts/update-samples.sh \
      rewrites it); first difference at its line \(line + 1):
        shown:  \(line < want.count ? String(want[line]) : "(end)")
        prints: \(line < got.count ? String(got[line]) : "(end)")
      """)
  }
}
