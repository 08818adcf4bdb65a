import Analysis
import CIPolicy
import ArgumentParser
import Configuration
import Reporting

/// `strata ci IMAGE`: evaluates budgets and dive's rules; exit 0 pass, 1 a rule failed, 2 an
/// error.
struct CI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ci",
    abstract: "Check an image against budgets and dive's CI rules.",
    discussion: """
      Configuration: --config FILE; else ./.strata.yaml; else dive's ./.dive-ci
      (read as dive reads it); else the defaults below. .strata.yaml has a `ci:`
      section (budgets with warn and fail limits) and may have dive's `rules:`;
      see docs/ci.md.

      Defaults (no file, or a file without `ci:` and `rules:`):
        lowestEfficiency: 0.9          fail: dive's efficiency below 90 %
        highestWastedBytes: disabled
        highestUserWastedPercent: 0.1  fail: dive's wasted bytes above 10 % of
                                       the bytes of all layers but the first
        forbid: {sensitive: warn}      warn (not fail): keys, credentials, .env
      The first three are dive's defaults, so the verdict is `CI=true dive`'s.

      Each rule passes, warns or fails; warnings fail only with --strict.
      Exit codes: 0 pass (warnings included), 1 a rule failed, 2 an error
      (unreadable image, invalid configuration or baseline, bad arguments,
      a report that cannot be written). With GITHUB_STEP_SUMMARY set, the
      Markdown summary is appended to that file.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @OptionGroup var source: ImageOptions

  @Option(help: "Configuration file (.strata.yaml or dive's .dive-ci).")
  var config: String?

  @Option(help: "A report from `strata analyze --format json` to measure growth against.")
  var baseline: String?

  @Option(help: "Fail when the image grew by more than SIZE since the baseline (sets ci.max-growth's fail limit).")
  var maxGrowth: String?

  @Option(
    help:
      "Fail when the image grew by more than PERCENT since the baseline, e.g. 10% (sets ci.max-growth-percent's fail limit)."
  )
  var maxGrowthPercent: String?

  @Flag(help: "Warnings fail the build too.")
  var strict = false

  @Option(help: "Write a JUnit XML report to FILE: one test case per rule.")
  var junit: String?

  @Option(help: "Write a Markdown summary to FILE (a pull-request comment).")
  var markdown: String?

  @Option(help: "Standard output: text (a short summary) or json.")
  var format: Format = .text

  @Option(help: "Colour: auto, always, never (auto honours NO_COLOR and non-terminals).")
  var color: String = "auto"

  @Flag(name: [.short, .long], help: "No progress and no warnings on standard error.")
  var quiet = false

  func validate() throws {
    try ColorMode.validate(color)
    if let maxGrowth, ByteSize.parse(maxGrowth) == nil {
      throw ValidationError("--max-growth '\(maxGrowth)' is not a size (try 10MB, 500kB)")
    }
    if let maxGrowthPercent, Self.percent(maxGrowthPercent) == nil {
      throw ValidationError("--max-growth-percent '\(maxGrowthPercent)' is not a percentage (try 10%)")
    }
  }

  func run() throws {
    Output.quiet = quiet
    let progress = Progress(reading: source.image, enabled: Progress.wanted(quiet: quiet))
    defer { progress.finish() }
    let choice = try loadCIConfig(config)
    var budget = choice.settings.budget
    if let bytes = maxGrowth.flatMap(ByteSize.parse) {
      budget.maxGrowth = Limits(warn: budget.maxGrowth?.warn, fail: .bytes(bytes))
    }
    if let fraction = maxGrowthPercent.flatMap(Self.percent) {
      budget.maxGrowthPercent = Limits(warn: budget.maxGrowthPercent?.warn, fail: .fraction(fraction))
    }
    let reference = try baseline.map(loadBaseline)
    // No CI report lists a layer's own entries; the image goes straight into the analysis (see
    // `Analyze.run`) so that each layer's entries are let go once counted.
    let merge = LayerMerge(keepingLayerEntries: false)
    let analysis = Analyzer.analyze(
      try loadImage(source, progress: progress, merging: merge), keepingLayerEntries: false, merged: merge)
    progress.step("finding waste")
    let waste = WasteAnalyzer.analyze(analysis, config: choice.settings.ciWaste, mapPaths: false)
    progress.finish()
    let evaluation = BudgetEvaluator.evaluate(
      budget, analysis: analysis, waste: waste, baseline: reference, strict: strict)
    let context = CIReportContext(
      evaluation: evaluation, analysis: analysis, waste: waste, configSource: choice.source, configKind: choice.kind,
      warnings: choice.settings.warnings.map(\.description), toolVersion: Strata.version)

    if let junit { try Output.deliver(CIJUnitReport.render(context), to: junit) }
    let markdownText = CIMarkdownReport.render(context)
    if let markdown { try Output.deliver(markdownText, to: markdown) }
    if let summary = Terminal.environment("GITHUB_STEP_SUMMARY"), !summary.isEmpty {
      try Output.append(markdownText + "\n", to: summary)
    }
    switch format {
    case .json: try Output.deliver(json: CIJSONReport.build(context), to: nil)
    case .text:
      Output.standardOutput(CITextReport(style: ColorMode.style(color)).render(context))
    }
    if !evaluation.passed { throw ExitCode(1) }
  }

  /// `10%` → 0.1; a bare number is a fraction (`0.1`).
  static func percent(_ text: String) -> Double? {
    let trimmed = text.hasSuffix("%") ? String(text.dropLast()) : text
    guard let value = Double(trimmed), value.isFinite, value >= 0 else { return nil }
    return text.hasSuffix("%") ? value / 100 : (value <= 1 ? value : nil)
  }
}

/// Reads a baseline report.
/// - Throws: `CommandError` for a file that cannot be read, `BaselineError` for one that is no
///   report.
func loadBaseline(_ path: String) throws -> Baseline {
  guard let bytes = readFile(path) else { throw CommandError("\(path): cannot read the baseline report") }
  return try BaselineReader.read(bytes, source: path)
}
