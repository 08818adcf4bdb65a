import Foundation
import Testing

import TestSupport

@Suite(
  "strata --version, CHANGELOG.md and --help", .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct VersionTests {
  /// `strata 0.1.0 (commit 0123456789ab)`, `… (commit 0123456789ab-modified)` or `… (commit unknown)`.
  static var versionLine: Regex<(Substring, Substring, Substring, Substring?)> {
    #/strata (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}(-modified)?|unknown)\)/#
  }

  @Test("--version prints the version and the commit")
  func versionLine() throws {
    let run = try StrataTool.run(["--version"])
    #expect(run.status == 0)
    let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(line.wholeMatch(of: Self.versionLine) != nil, "unexpected --version output: \(line)")
  }

  @Test("CHANGELOG.md's first entry is the version the binary prints")
  func changelogNamesTheVersion() throws {
    let run = try StrataTool.run(["--version"])
    let version = try #require(run.stdout.firstMatch(of: Self.versionLine)).output.1
    let changelog = try String(contentsOf: TS.repoRoot.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
    let firstEntry = changelog.split(separator: "\n").first { $0.hasPrefix("## ") }
    #expect(firstEntry == "## \(version)")
  }

  @Test("--help says where the manual and the completions are")
  func helpMentionsManualAndCompletions() throws {
    let run = try StrataTool.run(["--help"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("man strata"))
    #expect(run.stdout.contains("--generate-completion-script"))
  }
}
