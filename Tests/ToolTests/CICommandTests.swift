import Foundation
import JSONIO
import TestSupport
import Testing

@Suite("strata ci: configuration, reports, exit codes")
struct CICommandTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
  static let clean = fixtureURL("images/wasteful-clean/wasteful-clean.tar").path

  @Test("without --config: .strata.yaml first, then .dive-ci, then the defaults")
  func configDiscovery() throws {
    try withTemporaryDirectory { directory in
      let defaults = try StrataTool.run(["ci", Self.clean], in: directory)
      #expect(defaults.stdout.contains("(config: built-in defaults)"))
      #expect(defaults.stdout.contains("PASS  forbid[sensitive]"))
      try writeFile(directory.appendingPathComponent(".dive-ci").path, Array("rules:\n  lowestEfficiency: 0.95\n".utf8))
      let dive = try StrataTool.run(["ci", Self.clean], in: directory)
      #expect(dive.stdout.contains("(config: .dive-ci (dive's rules))"))
      #expect(dive.stdout.contains("PASS  lowestEfficiency          100 % ≥ limit 95 %"))
      #expect(!dive.stdout.contains("forbid"))
      try writeFile(directory.appendingPathComponent(".strata.yaml").path, Array("ci:\n  max-layer-count: 3\n".utf8))
      let strata = try StrataTool.run(["ci", Self.clean], in: directory)
      #expect(strata.stdout.contains("(config: .strata.yaml)"))
      #expect(strata.stdout.contains("FAIL  max-layer-count  4 layers > limit 3 layers"))
      #expect(strata.status == 1)
    }
  }

  @Test(
    "an invalid configuration exits 2 naming the file, line and key",
    arguments: [
      (
        "ci:\n  max-layer-count: 5\n  max-image-size: big\n",
        "strata: .strata.yaml:3: ci.max-image-size: 'big' is not a size (write e.g. 500kB, 20MB, 1.5GiB)\n"
      ),
      (
        "rules:\n  lowestEfficiency: 1.5\n",
        "strata: .strata.yaml:2: rules.lowestEfficiency: lowestEfficiency config value is outside allowed range (0-1), given '1.5'\n"
      ),
      (
        "ci:\n  forbid: [secrets]\n",
        "strata: .strata.yaml:2: ci.forbid[0]: unknown waste category 'secrets'; expected one of: metadata-rewrite, unchanged-rewrite, hidden-by-later-layer, package-cache, language-cache, leftover, bytecode, toolchain, duplicate, sensitive, docs\n"
      ),
      (
        "ci:\n  max-image-size: {warn: 5MB, fail: 1MB}\n",
        "strata: .strata.yaml:2: ci.max-image-size: the warn limit is above the fail limit, so it could never warn\n"
      ),
    ])
  func invalidConfig(text: String, message: String) throws {
    try withTemporaryDirectory { directory in
      try writeFile(directory.appendingPathComponent(".strata.yaml").path, Array(text.utf8))
      let run = try StrataTool.run(["ci", Self.clean], in: directory)
      #expect(run.status == 2)
      #expect(run.stderr == message)
      #expect(run.stdout.isEmpty)
    }
  }

  @Test("warnings about keys dive ignores go to standard error and the report")
  func configWarnings() throws {
    try withTemporaryDirectory { directory in
      try writeFile(directory.appendingPathComponent(".dive-ci").path, Array("rules:\n  lowestEfficency: 0.5\n".utf8))
      let run = try StrataTool.run(["ci", Self.clean], in: directory)
      #expect(run.status == 0)
      #expect(run.stderr.contains("strata: warning: .dive-ci:2: rules.lowestEfficency: not one of dive's rules"))
      #expect(run.stdout.contains("warning: .dive-ci:2: rules.lowestEfficency"))
    }
  }

  @Test(
    "errors exit 2",
    arguments: [
      (["ci", "/nonexistent/image.tar"], "strata: /nonexistent/image.tar: no such file or directory"),
      (["ci", "--config", "/nonexistent.yaml", Self.clean], "strata: /nonexistent.yaml: no such configuration file"),
      (
        ["ci", "--baseline", "/nonexistent.json", Self.clean],
        "strata: /nonexistent.json: cannot read the baseline report"
      ),
      (["ci", "--bogus", Self.clean], "Error: Unknown option '--bogus'"),
      (["ci", "--max-growth", "lots", Self.clean], "Error: --max-growth 'lots' is not a size"),
      (["ci"], "Error: Missing expected argument '<image>'"),
    ])
  func errors(arguments: [String], message: String) throws {
    let run = try StrataTool.run(arguments)
    #expect(run.status == 2)
    #expect(run.stderr.hasPrefix(message))
  }

  @Test("a baseline that is not an analyze report exits 2")
  func badBaseline() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("ci.json").path
      let ci = try StrataTool.run(["ci", "--format", "json", Self.clean], in: directory)
      try writeFile(path, Array(ci.stdout.utf8))
      let run = try StrataTool.run(["ci", "--baseline", path, Self.clean], in: directory)
      #expect(run.status == 2)
      #expect(
        run.stderr
          == "strata: \(path): this is a `strata ci` report; give a report from `strata analyze --format json`\n")
    }
  }

  @Test("--junit writes one test case per rule; the file parses back")
  func junit() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("ci.xml").path
      let run = try StrataTool.run(["ci", "--junit", path, Self.wasteful], in: directory)
      #expect(run.status == 1)
      let xml = try String(contentsOfFile: path, encoding: .utf8)
      let document = try JUnitDocument(xml)
      #expect(
        document.cases.map(\.name) == [
          "highestUserWastedPercent", "highestWastedBytes", "lowestEfficiency", "forbid[sensitive]",
        ])
      #expect(
        document.testCase("lowestEfficiency")?.failure?.message
          == "efficiency (dive): 84.9748 % (0.8497482171562969) < limit 90 % (0.9)")
      #expect(
        document.testCase("highestUserWastedPercent")?.failure?.message
          == "user wasted percent (dive): 59.3859 % (0.5938587546094416) > limit 10 % (0.1)")
      #expect(document.cases.filter { $0.skipped != nil }.map(\.name) == ["highestWastedBytes"])
      #expect(document.suites.last?["failures"] == "2")
    }
  }

  @Test("--markdown writes the summary; GITHUB_STEP_SUMMARY gets it appended")
  func markdown() throws {
    try withTemporaryDirectory { directory in
      let summary = directory.appendingPathComponent("summary.md").path
      try writeFile(summary, Array("# earlier step\n".utf8))
      let file = directory.appendingPathComponent("comment.md").path
      let environment = ["GITHUB_STEP_SUMMARY": summary]
      let first = try StrataTool.run(
        ["ci", "--markdown", file, Self.wasteful], in: directory, environment: environment)
      #expect(first.status == 1)
      let comment = try String(contentsOfFile: file, encoding: .utf8)
      #expect(comment.hasPrefix("## ❌ strata ci: FAIL — `localhost/strata/wasteful:latest`\n"))
      _ = try StrataTool.run(["ci", Self.clean], in: directory, environment: environment)
      let appended = try String(contentsOfFile: summary, encoding: .utf8)
      #expect(appended.hasPrefix("# earlier step\n## ❌ strata ci: FAIL"))
      #expect(appended.contains("\n## ✅ strata ci: PASS — `localhost/strata/wasteful-clean:latest`\n"))
    }
  }

  @Test("--format json: the verdict agrees with the exit code")
  func json() throws {
    for (image, status, verdict) in [(Self.wasteful, Int32(1), "fail"), (Self.clean, Int32(0), "pass")] {
      let run = try StrataTool.run(["ci", "--format", "json", image])
      #expect(run.status == status)
      let json = try JSONValue.parse(run.stdout)
      #expect(json["verdict"]?.stringValue == verdict)
      #expect(json["passed"] == .bool(status == 0))
      #expect(json["schemaVersion"]?.integerValue == 2)
      let figures = json["figures"]
      #expect(
        figures?["reclaimableBytes"]?.integerValue == (figures?["removableBytes"]?.integerValue ?? -1)
          + (figures?["cachesBytes"]?.integerValue ?? -1))
      #expect(figures?["pullBytes"]?.isNull == true)
    }
  }

  @Test("--help states the defaults and the exit codes")
  func help() throws {
    let run = try StrataTool.run(["ci", "--help"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("highestUserWastedPercent: 0.1"))
    #expect(run.stdout.contains("forbid: {sensitive: warn}"))
    #expect(run.stdout.contains("Exit codes: 0 pass (warnings included), 1 a rule failed, 2 an error"))
  }
}
