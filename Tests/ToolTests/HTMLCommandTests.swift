import Foundation
import JSONIO
import TestSupport
import Testing

/// Runs `strata arguments…`; returns its exit status and standard output.
private func strata(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
  let run = try StrataTool.run(arguments)
  return (run.status, run.stdout)
}

@Suite("strata analyze --format html", .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct HTMLCommandTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path

  @Test func writes_one_page_whose_data_is_the_json_report() throws {
    let json = try strata(["analyze", Self.wasteful, "--format", "json"])
    #expect(json.status == 0)
    try withTemporaryDirectory { directory in
      let file = directory.appendingPathComponent("report.html").path
      let run = try strata(["analyze", Self.wasteful, "--format", "html", "--output", file])
      #expect(run.status == 0 && run.stdout.isEmpty)
      let page = String(decoding: try readFile(file), as: UTF8.self)
      #expect(page.hasPrefix("<!DOCTYPE html>"))
      let data = try JSONValue.parse(try #require(htmlDataBlock(of: page)))
      #expect(data["images"]?.arrayValue?.first?["report"] == (try JSONValue.parse(json.stdout)))
      #expect(data["images"]?.arrayValue?.first?["view"]?["treemap"]?["minBytes"] == 64)
    }
  }

  @Test func min_size_sets_the_treemap_threshold() throws {
    let run = try strata(["analyze", Self.wasteful, "--format", "html", "--min-size", "10kB"])
    #expect(run.status == 0)
    let data = try JSONValue.parse(try #require(htmlDataBlock(of: run.stdout)))
    #expect(data["images"]?.arrayValue?.first?["view"]?["treemap"]?["minBytes"] == 10_000)
  }
}
