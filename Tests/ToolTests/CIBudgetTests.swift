import Foundation
import JSONIO
import TestSupport
import Testing

/// `Fixtures/budgets/every-rule.strata.yaml` (every rule kind) against the real images in
/// `Fixtures/images`: the verdicts and exit codes the fixture's README promises.
@Suite("strata ci with a budget file exercising every rule kind")
struct CIBudgetTests {
  static let budget = fixtureURL("budgets/every-rule.strata.yaml").path

  /// The wasteful image's rule statuses, in report order.
  static let wasteful: [(String, String)] = [
    ("highestUserWastedPercent", "skip"), ("highestWastedBytes", "pass"), ("lowestEfficiency", "pass"),
    ("max-image-size", "warn"), ("max-layer-size", "warn"), ("max-layer-count", "warn"), ("min-efficiency", "warn"),
    ("max-wasted-bytes", "warn"), ("max-user-wasted-percent", "warn"), ("max-waste", "fail"),
    ("max-waste-percent", "warn"),
    ("max-category-waste[package-cache]", "fail"), ("max-category-waste[language-cache]", "pass"),
    ("max-category-waste-percent[hidden-by-later-layer]", "warn"), ("forbid[sensitive]", "fail"),
    ("forbid[toolchain]", "pass"), ("forbid[bytecode]", "warn"), ("max-path-size[/app/**]", "pass"),
    ("max-path-size[/usr/lib/python3*/**]", "pass"), ("max-path-size[/var/lib/apt/lists]", "fail"),
    ("max-growth", "skip"), ("max-growth-percent", "skip"),
  ]

  /// The committed images that only warn (their base layer is over max-layer-size's warning limit).
  static let warnOnly = [
    "images/wasteful-clean/wasteful-clean.tar", "images/busybox-app/busybox-app.tar",
    "images/busybox-app/busybox-app-docker25.tar", "images/busybox-app/busybox-app-oci-gzip.tar",
    "images/busybox-app/busybox-app-oci-zstd.tar",
  ]

  static func ci(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> (
    StrataTool.Run, JSONValue?
  ) {
    let run = try StrataTool.run(["ci"] + arguments, in: directory, environment: environment)
    return (run, arguments.contains("json") ? try? JSONValue.parse(run.stdout) : nil)
  }

  static func statuses(_ json: JSONValue?) -> [(String, String)] {
    (json?["rules"]?.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0["status"]?.stringValue ?? "") }
  }

  @Test("the wasteful image fails (exit 1), each rule with its expected status")
  func wastefulFails() throws {
    let (run, json) = try Self.ci([
      "--config", Self.budget, "--format", "json", fixtureURL("images/wasteful/wasteful.tar").path,
    ])
    #expect(run.status == 1)
    #expect(json?["verdict"] == "fail")
    let statuses = Self.statuses(json)
    #expect(statuses.map(\.0) == Self.wasteful.map(\.0))
    #expect(statuses.map(\.1) == Self.wasteful.map(\.1))
    // The excluded /app/.git and /opt/app are left out of the waste rules.
    // The expected figure and its categories from the tar headers, by Python's tarfile (the script
    // says which files count and why): bytecode is to review, not reclaimable.
    let truth = try JSONValue.parse(
      try ChildProcess.run("python3", [TS.repoRoot.appendingPathComponent("Scripts/testing/wasteful-waste.py").path])
        .stdout)
    let waste = json?["rules"]?.arrayValue?.first { $0["id"] == "max-waste" }
    #expect(waste?["measured"]?["value"]?.integerValue == truth["total"]?.integerValue)
    #expect(truth["total"]?.integerValue == 709_788)
    for detail in waste?["details"]?.arrayValue ?? [] {
      let category = try #require(detail["category"]?.stringValue)
      #expect(detail["bytes"]?.integerValue == truth["categories"]?[category]?.integerValue, "\(category)")
    }
  }

  @Test("images within budget pass with a warning (exit 0), and fail with --strict (exit 1)", arguments: warnOnly)
  func warnOnlyImages(archive: String) throws {
    try warnsOnly(try requireFixture(archive).path)
  }

  @Test(
    "the uncompressed OCI layout of busybox-app passes with a warning too",
    .enabled(if: LocalFixture.present(LocalFixture.busyboxOCI), Comment(rawValue: LocalFixture.missing)))
  func warnOnlyLocalImage() throws {
    try warnsOnly(fixtureURL(LocalFixture.busyboxOCI).path)
  }

  /// Checks that `path` passes with one warning (exit 0), and fails with --strict (exit 1).
  func warnsOnly(_ path: String) throws {
    let (run, json) = try Self.ci(["--config", Self.budget, "--format", "json", path])
    #expect(run.status == 0)
    #expect(json?["verdict"] == "warn")
    let flagged = Self.statuses(json).filter { $0.1 == "warn" || $0.1 == "fail" }.map(\.0)
    #expect(flagged == ["max-layer-size"])
    let strict = try Self.ci(["--config", Self.budget, "--strict", path]).0
    #expect(strict.status == 1)
    #expect(strict.stdout.contains("Result: FAIL (strict: warnings fail the build)"))
  }

  @Test("a baseline: the wasteful image grew past the growth limits since its clean version")
  func baselineRegression() throws {
    try withTemporaryDirectory { directory in
      let baseline = directory.appendingPathComponent("clean.json").path
      let analyze = try StrataTool.run(
        ["analyze", fixtureURL("images/wasteful-clean/wasteful-clean.tar").path, "--format", "json", "-o", baseline])
      #expect(analyze.status == 0)
      let (run, json) = try Self.ci([
        "--config", Self.budget, "--baseline", baseline, "--format", "json",
        fixtureURL("images/wasteful/wasteful.tar").path,
      ])
      #expect(run.status == 1)
      let statuses = Dictionary(uniqueKeysWithValues: Self.statuses(json))
      #expect(statuses["max-growth"] == "fail")
      #expect(statuses["max-growth-percent"] == "fail")
      // From the tar headers (truth.json), not from strata.
      let delta =
        try FixtureTruth.layerBytes("images/wasteful/wasteful.tar")
        - FixtureTruth.layerBytes("images/wasteful-clean/wasteful-clean.tar")
      #expect(json?["growth"]?["deltaBytes"]?.integerValue == delta)
      let layers = json?["growth"]?["layers"]?.arrayValue ?? []
      #expect(layers.first?["layer"]?.integerValue == 4)
      #expect(layers.first?["deltaBytes"]?.integerValue == 307_200)
      let paths = (json?["growth"]?["paths"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
      #expect(paths.first == "/var/lib/apt/lists")
      // The excluded paths are not listed as grown.
      #expect(!paths.contains { $0.hasPrefix("/opt") || $0.hasPrefix("/app/.git") })

      let text = try StrataTool.run([
        "ci", "--config", Self.budget, "--baseline", baseline, fixtureURL("images/wasteful/wasteful.tar").path,
      ])
      #expect(text.stdout.contains("  FAIL  max-growth"))
      #expect(text.stdout.contains("+881 kB > limit +500 kB"))
      #expect(text.stdout.contains("layers that grew most:"))
      #expect(text.stdout.contains("+307 kB  layer 4: COPY file:c84cdc4f"))
      #expect(text.stdout.contains("+205 kB  /var/lib/apt/lists (new)"))

      // The clean image against itself: no growth, the growth rules pass.
      let same = try Self.ci([
        "--config", Self.budget, "--baseline", baseline, "--format", "json",
        fixtureURL("images/wasteful-clean/wasteful-clean.tar").path,
      ])
      #expect(same.0.status == 0)
      let sameStatuses = Dictionary(uniqueKeysWithValues: Self.statuses(same.1))
      #expect(sameStatuses["max-growth"] == "pass")
      #expect(same.1?["growth"]?["deltaBytes"]?.integerValue == 0)
    }
  }

  @Test("--max-growth and --max-growth-percent set the growth limits from the command line")
  func growthOptions() throws {
    try withTemporaryDirectory { directory in
      let baseline = directory.appendingPathComponent("clean.json").path
      _ = try StrataTool.run([
        "analyze", fixtureURL("images/wasteful-clean/wasteful-clean.tar").path, "--format", "json", "-o", baseline,
      ])
      let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
      let fails = try Self.ci(
        ["--baseline", baseline, "--max-growth-percent", "10%", "--format", "json", wasteful], in: directory)
      #expect(Dictionary(uniqueKeysWithValues: Self.statuses(fails.1))["max-growth-percent"] == "fail")
      let passes = try Self.ci(
        ["--baseline", baseline, "--max-growth", "1MB", "--format", "json", wasteful], in: directory)
      #expect(Dictionary(uniqueKeysWithValues: Self.statuses(passes.1))["max-growth"] == "pass")
    }
  }
}
