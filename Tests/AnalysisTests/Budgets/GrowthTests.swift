import Analysis
import CIPolicy
import TestSupport
import Testing

@Suite("Growth against a baseline")
struct GrowthTests {
  /// A baseline made from an analysis, as a JSON report would give it.
  static func baseline(_ analysis: ImageAnalysis, complete: Bool = true) -> Baseline {
    var paths: [String: Int64] = [:]
    if complete {
      for item in analysis.pathSizes(maxDepth: GrowthAnalyzer.pathDepth) { paths[item.path] = item.bytes }
    } else {
      for item in analysis.largestDirectories(limit: 20) + analysis.largestFiles(limit: 20) {
        paths[item.path] = item.bytes
      }
    }
    return Baseline(
      source: "baseline.json", imageLabel: analysis.image.label, sizeBytes: analysis.dive.sizeBytes,
      layers: analysis.layers.map {
        Baseline.Layer(
          index: $0.descriptor.index, sizeBytes: $0.sizeBytes, command: $0.descriptor.command,
          diffID: $0.descriptor.diffID)
      }, paths: paths, pathsComplete: complete, pathDepth: GrowthAnalyzer.pathDepth)
  }

  @Test("the wasteful image against its clean counterpart: layers and paths that grew")
  func wastefulAgainstClean() throws {
    let clean = try analyzedFixture(cleanPath)
    let wasteful = try analyzedFixture(wastefulPath)
    let growth = GrowthAnalyzer.compare(wasteful, with: Self.baseline(clean))
    // The sizes from the tar headers (truth.json, Python's tarfile), not from strata.
    let cleanBytes = try FixtureTruth.layerBytes(cleanPath)
    let wastefulBytes = try FixtureTruth.layerBytes(wastefulPath)
    #expect(growth.baselineBytes == cleanBytes)
    #expect(growth.currentBytes == wastefulBytes)
    #expect(growth.delta == wastefulBytes - cleanBytes)
    #expect(growth.delta == 880_947, "the delta the other growth tests expect")
    // The base layer is the same blob in both (same diff ID): it did not grow.
    #expect(!growth.layers.contains { $0.index == 0 })
    #expect(growth.layers.first?.index == 4)
    #expect(growth.layers.first?.delta == 307_200)
    #expect(growth.layers.first?.baselineIndex == nil)
    // /tmp is gone from the final filesystem; /var/lib/apt/lists and /root/.cache/pip are new.
    let paths = growth.paths.map(\.path)
    #expect(paths.first == "/var/lib/apt/lists")
    #expect(paths.contains("/root/.cache/pip"))
    // A parent explained by one child is left out.
    #expect(!paths.contains("/var"))
    #expect(!paths.contains("/var/lib"))
  }

  @Test("excluded paths are left out of the grown paths, and out of the directories above them")
  func exclusions() throws {
    let clean = try analyzedFixture(cleanPath)
    let wasteful = try analyzedFixture(wastefulPath)
    let growth = GrowthAnalyzer.compare(
      wasteful, with: Self.baseline(clean), excluded: [Glob("/opt/app/**"), Glob("/app/.git/**")])
    let paths = Dictionary(uniqueKeysWithValues: growth.paths.map { ($0.path, $0) })
    #expect(paths["/opt"] == nil)
    #expect(paths["/opt/app/model.bin"] == nil)
    #expect(!growth.paths.contains { $0.path.hasPrefix("/app/.git") })
    // /app grew by 35,821 bytes (102,607 → 138,428), 32,938 of them under the excluded /app/.git.
    #expect(paths["/app"]?.delta == 2_883)
    // The totals are the image's, exclusions or not.
    #expect(growth.delta == 880_947)
  }

  @Test("the same image: no growth")
  func sameImage() throws {
    let image = try analyzedFixture(wastefulPath)
    let growth = GrowthAnalyzer.compare(image, with: Self.baseline(image))
    #expect(growth.delta == 0)
    #expect(growth.fraction == 0)
    #expect(growth.layers.isEmpty)
    #expect(growth.paths.isEmpty)
  }

  @Test("max-growth and max-growth-percent pass, warn, fail; skip without a baseline")
  func rules() throws {
    let clean = try analyzedFixture(cleanPath)
    let wasteful = try analyzedFixture(wastefulPath)
    let waste = WasteAnalyzer.analyze(wasteful)
    let base = Self.baseline(clean)
    let cases: [(Limits, Limits, RuleStatus, RuleStatus)] = [
      (.fail(.bytes(1_000_000)), .fail(.fraction(0.5)), .pass, .pass),
      (
        Limits(warn: .bytes(500_000), fail: .bytes(1_000_000)), Limits(warn: .fraction(0.4), fail: .fraction(0.5)),
        .warn, .warn
      ),
      (.fail(.bytes(880_946)), .fail(.fraction(0.1)), .fail, .fail),
    ]
    for (bytes, percent, expectedBytes, expectedPercent) in cases {
      var config = BudgetConfig()
      config.maxGrowth = bytes
      config.maxGrowthPercent = percent
      let evaluation = BudgetEvaluator.evaluate(config, analysis: wasteful, waste: waste, baseline: base)
      let growth = try #require(result(evaluation, .maxGrowth))
      #expect(growth.status == expectedBytes)
      #expect(growth.measured == .bytes(880_947))
      #expect(try #require(result(evaluation, .maxGrowthPercent)).status == expectedPercent)
      #expect(
        growth.details.contains { $0.subject == .path("/var/lib/apt/lists") && $0.bytes == 204_800 && $0.before == 0 })
    }
    var config = BudgetConfig()
    config.maxGrowth = .fail(.bytes(1))
    let noBaseline = BudgetEvaluator.evaluate(config, analysis: wasteful, waste: waste)
    #expect(try #require(result(noBaseline, .maxGrowth)).status == .skip)
  }

  @Test("an older report without pathSizes: only paths listed in both are compared")
  func incompleteBaseline() throws {
    let wasteful = try analyzedFixture(wastefulPath)
    let growth = GrowthAnalyzer.compare(wasteful, with: Self.baseline(try analyzedFixture(cleanPath), complete: false))
    #expect(!growth.pathsComplete)
    #expect(!growth.paths.contains { $0.path == "/var/lib/apt/lists" })
    #expect(growth.paths.contains { $0.path == "/app" })
  }

  @Test("commands are matched without Docker's content hashes")
  func commandNormalisation() {
    #expect(
      GrowthAnalyzer.commandKey("COPY dir:53b80010894bbb9d4672dc57c0f2ac395d4f828370bd5e7324f2cdba7acc2d76 in /app/")
        == "COPY dir:* in /app/")
    #expect(GrowthAnalyzer.commandKey("RUN  apt-get   update") == "RUN apt-get update")
  }
}
