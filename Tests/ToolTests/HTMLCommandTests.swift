import Foundation
import JSONIO
import TestSupport
import Testing

/// The built `strata` executable: beside the running test executable (where `swift test` builds
/// it), else under `.build/debug`.
private let strataBinary: URL? = {
  var candidates: [URL] = []
  if let first = CommandLine.arguments.first {
    candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("strata"))
  }
  candidates.append(TS.repoRoot.appendingPathComponent(".build/debug/strata"))
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

/// Runs `strata arguments…`; returns its exit status and standard output.
private func strata(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
  let binary = try #require(strataBinary)
  let run = try StrataTool.run(executable: binary, arguments)
  return (run.status, run.stdout)
}

@Suite("strata analyze --format html", .enabled(if: strataBinary != nil, "the strata executable is not built"))
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
