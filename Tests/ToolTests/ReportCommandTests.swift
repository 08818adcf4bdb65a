import Foundation
import TestSupport
import Testing

/// The default report a person reads, and the command line around it: no silent no-ops.
@Suite(
  "strata analyze: the short report and its options",
  .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct ReportCommandTests {
  static let image = fixtureURL("images/wasteful/wasteful.tar").path

  /// Every category of the wasteful fixture, by title.
  static let titles = [
    "Deleted or overwritten by a later layer", "Rewritten only to change owner or mode",
    "Package-manager indexes and caches", "Language package caches", "Leftovers (temp files, logs, VCS, junk)",
    "Duplicate content at different paths", "Python bytecode", "Sensitive files",
  ]

  @Test func the_default_report_fits_a_screen_and_names_every_category() throws {
    let run = try StrataTool.run(["analyze", Self.image])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count <= 50, "\(lines.count) lines")
    for line in lines { #expect(line.count <= 100, "wider than 100 columns: \(line)") }
    for title in Self.titles { #expect(run.stdout.contains(title), "missing: \(title)") }
    #expect(
      run.stdout.contains("reclaimable 776 kB (26.2 % of the image) = removable 446 kB + caches 330 kB; review 105 kB"))
    #expect(run.stdout.contains("COPY dir:53b80010… in /var/lib/apt/lists/"), "commands keep their end")
    let waste = try #require(run.stdout.range(of: "Waste  reclaimable"))
    #expect(!run.stdout[waste.lowerBound...].contains(" 0 B "), "no finding of 0 bytes")
  }

  @Test func verbose_lists_every_finding_with_paths_and_directories() throws {
    let run = try StrataTool.run(["analyze", "-v", Self.image])
    #expect(run.status == 0)
    #expect(run.stdout.contains("Largest directories"))
    #expect(run.stdout.contains("/app/.env  (L5, environment file, overwritten in layer 8)"))
    #expect(run.stdout.split(separator: "\n").count > 100)
  }

  @Test func min_size_and_top_apply_to_findings() throws {
    let run = try StrataTool.run(["analyze", "--min-size", "100kB", "--top", "1", Self.image])
    #expect(run.status == 0)
    #expect(!run.stdout.contains("Python bytecode") && !run.stdout.contains("Sensitive files"))
    #expect(run.stdout.contains("… 4 smaller than --min-size"))
    #expect(run.stdout.contains("Top findings  (1 of 4;"))
  }

  @Test func depth_implies_the_tree_which_comes_before_the_waste() throws {
    let run = try StrataTool.run(["analyze", "--depth", "1", Self.image])
    #expect(run.status == 0)
    let tree = try #require(run.stdout.range(of: "Filesystem  (size, layer"))
    let waste = try #require(run.stdout.range(of: "Waste  reclaimable"))
    #expect(tree.lowerBound < waste.lowerBound)
  }

  @Test(arguments: [["--depth", "2"], ["--tree"], ["--layer", "3"], ["-v"]])
  func text_only_options_are_refused_with_other_formats(_ option: [String]) throws {
    let run = try StrataTool.run(["analyze", "--format", "json"] + option + [Self.image])
    #expect(run.status == 2)
    #expect(run.stderr.contains("applies to the text report, not to --format json"), "\(run.stderr)")
    #expect(run.stdout.isEmpty)
  }

  @Test func analyse_is_analyze() throws {
    let british = try StrataTool.run(["analyse", Self.image])
    let american = try StrataTool.run(["analyze", Self.image])
    #expect(british.status == 0 && british.stdout == american.stdout)
  }

  @Test(arguments: [("anlayze", "analyze"), ("comapre", "compare"), ("explroe", "explore"), ("cii", "ci")])
  func a_misspelt_command_gets_a_suggestion(word: String, suggestion: String) throws {
    let run = try StrataTool.run([word, Self.image])
    #expect(run.status == 2)
    #expect(
      run.stderr
        == "strata: unknown command '\(word)'; did you mean '\(suggestion)'? (strata --help lists the commands)\n")
    #expect(run.stdout.isEmpty)
  }

  @Test func a_word_two_edits_from_a_command_is_not_taken_for_it() throws {
    let run = try StrataTool.run(["compose"])
    #expect(!run.stderr.contains("did you mean"), "\(run.stderr)")
  }

  @Test func a_baseline_that_is_an_image_archive_is_named_as_such() throws {
    let run = try StrataTool.run(["ci", "--baseline", Self.image, Self.image])
    #expect(run.status == 2)
    #expect(
      run.stderr.contains(
        "an image archive; --baseline expects a strata JSON report (`strata analyze IMAGE --format json"))
  }

  @Test func quiet_silences_configuration_warnings() throws {
    try withTemporaryDirectory { directory in
      try writeFile(directory.appendingPathComponent(".dive-ci").path, Array("rules:\n  lowestEfficency: 0.5\n".utf8))
      let loud = try StrataTool.run(["ci", Self.image], in: directory)
      let quiet = try StrataTool.run(["ci", "-q", Self.image], in: directory)
      #expect(loud.stderr.contains("strata: warning: .dive-ci:2"), "\(loud.stderr)")
      #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
      #expect(quiet.status == loud.status)
    }
  }
}
