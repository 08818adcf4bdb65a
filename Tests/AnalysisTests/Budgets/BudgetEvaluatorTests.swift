import Analysis
import CIPolicy
import Testing

/// Every strata rule passing, warning and failing on the `wasteful` fixture, whose figures are:
/// 2,966,048 bytes in 10 layers (largest 1,982,469), dive efficiency 0.8497…, 584,107 wasted
/// bytes, 775,664 reclaimable (package-cache 204,800; language-cache 92,241), 4 sensitive file
/// copies, final /app 138,428 bytes.
@Suite("Budget rules on the wasteful image")
struct BudgetEvaluatorTests {
  let analysis: ImageAnalysis
  let waste: WasteReport

  init() throws {
    analysis = try analyzedFixture(wastefulPath)
    waste = WasteAnalyzer.analyze(analysis)
  }

  func evaluate(_ configure: (inout BudgetConfig) -> Void, strict: Bool = false) -> CIEvaluation {
    var config = BudgetConfig()
    configure(&config)
    return BudgetEvaluator.evaluate(config, analysis: analysis, waste: waste, strict: strict)
  }

  /// Pass, warn and fail limits for a rule measured at `value` (`atMost` rules).
  static func limits(around value: Int64) -> [(Limits, RuleStatus)] {
    [
      (Limits(warn: .bytes(value), fail: .bytes(value + 1)), .pass),  // equal to the limit passes
      (Limits(warn: .bytes(value - 1), fail: .bytes(value + 1)), .warn),
      (Limits(warn: .bytes(value - 2), fail: .bytes(value - 1)), .fail),
      (Limits.disabled, .skip),
    ]
  }

  @Test("max-image-size")
  func imageSize() throws {
    for (limits, expected) in Self.limits(around: 2_966_048) {
      let evaluation = evaluate { $0.maxImageSize = limits }
      let rule = try #require(result(evaluation, .maxImageSize))
      #expect(rule.status == expected)
      if expected != .skip { #expect(rule.measured == .bytes(2_966_048)) }
    }
    let failed = try #require(result(evaluate { $0.maxImageSize = .fail(.bytes(2_500_000)) }, .maxImageSize))
    #expect(failed.limit == .bytes(2_500_000))
    #expect(failed.details.first?.subject == .layer(0, command: analysis.layers[0].descriptor.command))
  }

  @Test("max-layer-size names the layers over the limit")
  func layerSize() throws {
    for (limits, expected) in Self.limits(around: 1_982_469) {
      #expect(try #require(result(evaluate { $0.maxLayerSize = limits }, .maxLayerSize)).status == expected)
    }
    let rule = try #require(
      result(evaluate { $0.maxLayerSize = Limits(warn: .bytes(200_000), fail: .bytes(300_000)) }, .maxLayerSize))
    #expect(rule.status == .fail)
    #expect(rule.details.map(\.bytes) == [1_982_469, 307_200, 204_800])
  }

  @Test("max-layer-count")
  func layerCount() throws {
    let cases: [(Limits, RuleStatus)] = [
      (Limits(warn: .count(10), fail: .count(12)), .pass), (Limits(warn: .count(8), fail: .count(12)), .warn),
      (Limits(warn: .count(5), fail: .count(9)), .fail),
    ]
    for (limits, expected) in cases {
      let rule = try #require(result(evaluate { $0.maxLayerCount = limits }, .maxLayerCount))
      #expect(rule.status == expected)
      #expect(rule.measured == .count(10))
    }
  }

  @Test("max-pull-size: compressed layers measured; uncompressed ones fail (or warn) saying the size is unknown")
  func pullSize() throws {
    let oci = try analyzedFixture("images/busybox-app/busybox-app-oci-gzip.tar")
    let pull = try #require(oci.image.pullBytes)
    let compressed = oci.image.layers.compactMap(\.descriptor.storedSize)
    #expect(pull > compressed.reduce(0, +) && !compressed.isEmpty)
    for (limits, expected) in Self.limits(around: pull) {
      var config = BudgetConfig()
      config.maxPullSize = limits
      let evaluation = BudgetEvaluator.evaluate(config, analysis: oci, waste: WasteAnalyzer.analyze(oci))
      let rule = try #require(result(evaluation, .maxPullSize))
      #expect(rule.status == expected)
      if expected != .skip { #expect(rule.measured == .bytes(pull)) }
      if expected == .fail { #expect(rule.details.first?.bytes == compressed.max()) }
    }
    // wasteful is a docker save: its layers are stored uncompressed.
    #expect(analysis.image.pullBytes == nil)
    let cases: [(Limits, RuleStatus)] = [
      (.fail(.bytes(1 << 40)), .fail), (Limits(warn: .bytes(1 << 40)), .warn), (.disabled, .skip),
    ]
    for (limits, expected) in cases {
      let rule = try #require(result(evaluate { $0.maxPullSize = limits }, .maxPullSize))
      #expect(rule.status == expected)
      if expected != .skip {
        #expect(rule.measured == nil && rule.message.contains("pull size unknown"), "\(rule.message)")
        #expect(rule.message.contains("registry://"))
      }
    }
  }

  @Test("dive's figures with warn and fail limits")
  func diveFigures() throws {
    let efficiency: [(Limits, RuleStatus)] = [
      (Limits(warn: .fraction(0.8), fail: .fraction(0.7)), .pass),
      (Limits(warn: .fraction(0.9), fail: .fraction(0.8)), .warn),
      (Limits(warn: .fraction(0.95), fail: .fraction(0.9)), .fail),
    ]
    for (limits, expected) in efficiency {
      #expect(try #require(result(evaluate { $0.minEfficiency = limits }, .minEfficiency)).status == expected)
    }
    for (limits, expected) in Self.limits(around: 584_107) {
      #expect(try #require(result(evaluate { $0.maxWastedBytes = limits }, .maxWastedBytes)).status == expected)
    }
    let user: [(Limits, RuleStatus)] = [
      (Limits(warn: .fraction(0.6), fail: .fraction(0.7)), .pass),
      (Limits(warn: .fraction(0.5), fail: .fraction(0.7)), .warn),
      (Limits(fail: .fraction(0.5)), .fail),
    ]
    for (limits, expected) in user {
      #expect(
        try #require(result(evaluate { $0.maxUserWastedPercent = limits }, .maxUserWastedPercent)).status == expected)
    }
  }

  @Test("max-waste and max-waste-percent")
  func wasteTotals() throws {
    for (limits, expected) in Self.limits(around: 775_664) {
      #expect(try #require(result(evaluate { $0.maxWaste = limits }, .maxWaste)).status == expected)
    }
    let percent: [(Limits, RuleStatus)] = [
      (Limits(warn: .fraction(0.3), fail: .fraction(0.4)), .pass),
      (Limits(warn: .fraction(0.25), fail: .fraction(0.4)), .warn),
      (Limits(warn: .fraction(0.1), fail: .fraction(0.2)), .fail),
    ]
    for (limits, expected) in percent {
      let rule = try #require(result(evaluate { $0.maxWastePercent = limits }, .maxWastePercent))
      #expect(rule.status == expected)
      #expect(rule.measured == .fraction(775_664.0 / 2_966_048.0))
    }
    let rule = try #require(result(evaluate { $0.maxWaste = .fail(.bytes(1)) }, .maxWaste))
    #expect(rule.details.first == RuleDetail(subject: .category("hidden-by-later-layer"), bytes: 307_257))
  }

  @Test("per-category waste, bytes and percent")
  func categories() throws {
    for (limits, expected) in Self.limits(around: 204_800) {
      let evaluation = evaluate { $0.maxCategoryWaste = [CategoryLimit(category: "package-cache", limits: limits)] }
      let rule = try #require(result(evaluation, .maxCategoryWaste, "package-cache"))
      #expect(rule.status == expected)
      #expect(rule.id == "max-category-waste[package-cache]")
    }
    let evaluation = evaluate {
      $0.maxCategoryWastePercent = [
        CategoryLimit(category: "language-cache", limits: Limits(warn: .fraction(0.01), fail: .fraction(0.05))),
        CategoryLimit(category: "toolchain", limits: .fail(.fraction(0))),
      ]
    }
    #expect(try #require(result(evaluation, .maxCategoryWastePercent, "language-cache")).status == .warn)
    #expect(try #require(result(evaluation, .maxCategoryWastePercent, "toolchain")).status == .pass)
    let paths = try #require(result(evaluation, .maxCategoryWastePercent, "language-cache")).details
    #expect(paths.count == 4)
    #expect(paths.first?.bytes == 40_960)
  }

  @Test("forbid: a category that appears fails (or warns), one that does not passes")
  func forbid() throws {
    let evaluation = evaluate {
      $0.forbid = [
        CategoryLimit(category: "sensitive", limits: .fail(.count(0))),
        CategoryLimit(category: "bytecode", limits: Limits(warn: .count(0))),
        CategoryLimit(category: "toolchain", limits: .fail(.count(0))),
      ]
    }
    let sensitive = try #require(result(evaluation, .forbid, "sensitive"))
    #expect(sensitive.status == .fail)
    #expect(sensitive.measured == .count(4))
    #expect(sensitive.details.contains { $0.subject == .path("/app/id_rsa") })
    #expect(try #require(result(evaluation, .forbid, "bytecode")).status == .warn)
    #expect(try #require(result(evaluation, .forbid, "toolchain")).status == .pass)
    #expect(evaluation.verdict == .fail)
  }

  @Test("max-path-size counts files under matching paths, excluded paths left out")
  func pathBudgets() throws {
    let evaluation = evaluate {
      $0.maxPathSize = [
        PathLimit(glob: Glob("/app/**"), limits: Limits(warn: .bytes(100_000), fail: .bytes(200_000))),
        PathLimit(glob: Glob("/app"), limits: .fail(.bytes(138_427))),
        PathLimit(glob: Glob("/var/lib/apt/lists"), limits: .fail(.bytes(204_800))),
        PathLimit(glob: Glob("*.pyc"), limits: .fail(.bytes(10_000))),
      ]
    }
    let app = try #require(result(evaluation, .maxPathSize, "/app/**"))
    #expect(app.measured == .bytes(138_428))
    #expect(app.status == .warn)
    #expect(app.details.first?.subject == .path("/app/data/model.bin"))
    #expect(try #require(result(evaluation, .maxPathSize, "/app")).status == .fail)
    #expect(try #require(result(evaluation, .maxPathSize, "/var/lib/apt/lists")).status == .pass)
    #expect(try #require(result(evaluation, .maxPathSize, "*.pyc")).measured == .bytes(2_208))

    let excluded = evaluate {
      $0.excluded = [Glob("/app/data/**")]
      $0.maxPathSize = [PathLimit(glob: Glob("/app/**"), limits: .fail(.bytes(100_000)))]
    }
    #expect(try #require(result(excluded, .maxPathSize, "/app/**")).measured == .bytes(138_428 - 102_400))
  }

  @Test("the verdict: fail beats warn; warnings fail only with strict")
  func verdict() {
    let warned = evaluate { $0.maxLayerCount = Limits(warn: .count(1)) }
    #expect(warned.verdict == .warn)
    #expect(warned.passed)
    let strict = evaluate({ $0.maxLayerCount = Limits(warn: .count(1)) }, strict: true)
    #expect(strict.verdict == .fail)
    #expect(!strict.passed)
    let empty = evaluate { _ in }
    #expect(empty.results.isEmpty)
    #expect(empty.verdict == .pass)
    let skipped = evaluate { $0.maxImageSize = .disabled }
    #expect(skipped.verdict == .pass)
    #expect(skipped.count(.skip) == 1)
  }

  @Test("the defaults: dive's rules, and sensitive files as a warning")
  func defaults() throws {
    let evaluation = BudgetEvaluator.evaluate(.defaults, analysis: analysis, waste: waste)
    #expect(
      evaluation.results.map(\.id) == [
        "highestUserWastedPercent", "highestWastedBytes", "lowestEfficiency", "forbid[sensitive]",
      ])
    #expect(evaluation.results.map(\.status) == [.fail, .skip, .fail, .warn])
  }
}
