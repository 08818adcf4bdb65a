import Analysis
import ArgumentParser
import PackageDatabases
import Reporting

/// `strata analyze IMAGE`: summary, layers, largest paths, the tree.
struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Summarise an image: sizes, layers, efficiency, waste and its fixes, largest files, the merged tree.",
    aliases: ["analyse"])

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv, markdown, html
  }

  @OptionGroup var source: ImageOptions

  @Option(
    help: "Output format: text, json, markdown, csv (one row per file), or html (a self-contained page with a treemap)."
  )
  var format: Format = .text

  @OptionGroup var report: ReportOptions<ReportHelp>

  @Flag(help: "Show the merged filesystem tree with sizes (before the waste).")
  var tree = false

  @Option(help: "Tree depth (implies --tree).")
  var depth: Int?

  @Flag(
    name: [.short, .long],
    help: "Everything: every finding with its layers, paths and fixes, largest directories, notes.")
  var verbose = false

  @Flag(name: [.short, .long], help: "No progress and no warnings on standard error.")
  var quiet = false

  @Option(help: "Show what layer N added, changed and removed.")
  var layer: Int?

  @Option(help: "Configuration file (waste categories, custom patterns). Default: ./.strata.yaml when present.")
  var config: String?

  @Flag(help: "Skip the waste findings.")
  var noWaste = false

  @Flag(help: "Read the package databases (dpkg, apk, Python, npm) and list the largest packages.")
  var packages = false

  func validate() throws {
    if let depth, depth < 1 { throw ValidationError("--depth must be at least 1") }
    // Options only the text report uses are refused with the others, not ignored.
    if format != .text {
      let textOnly = [(tree, "--tree"), (depth != nil, "--depth"), (layer != nil, "--layer"), (verbose, "--verbose")]
      if let (_, name) = textOnly.first(where: \.0) {
        throw ValidationError("\(name) applies to the text report, not to --format \(format.rawValue)")
      }
    }
  }

  func run() throws {
    Output.quiet = quiet
    let progress = Progress(reading: source.image, enabled: Progress.wanted(quiet: quiet))
    defer { progress.finish() }
    let settings = try loadSettings(config)
    // --layer is checked against the manifest, before the layers are read.
    let layer = self.layer
    // The image goes straight into the analysis, with no variable of its own: one would keep
    // every layer's entries alive after the analysis let its copy go (10 MB on a 60,000-file
    // image, 65 MB on a million files). Only the per-layer view (`--layer`) lists a layer's own
    // entries.
    let keepingLayerEntries = format == .text && layer != nil
    let merge = LayerMerge(keepingLayerEntries: keepingLayerEntries)
    let analysis = Analyzer.analyze(
      try loadImage(source, progress: progress, merging: merge) { count in
        if let layer, layer < 0 || layer >= count {
          throw CommandError("--layer \(layer): the image has layers 0 to \(count - 1)")
        }
      }, keepingLayerEntries: keepingLayerEntries, merged: merge)
    progress.step("finding waste")
    let waste = noWaste ? nil : WasteAnalyzer.analyze(analysis, config: settings.waste, mapPaths: format == .html)
    if packages { progress.step("reading package databases") }
    let inventory = packages ? PackageScanner.scan(analysis) : nil
    progress.step("writing the report")
    let document = reportFormat().render(ImageReportContent(analysis, waste: waste, packages: inventory))
    progress.finish()
    try Output.deliver(document, to: report.output)
  }

  /// The report format `--format` names, set up from the options.
  func reportFormat() -> any ImageReportFormat {
    let top = report.top
    switch format {
    case .json: return JSONReportFormat(top: max(top, 20), toolVersion: Strata.version)
    case .html:
      var treemap = TreemapOptions()
      treemap.minBytes = report.minSizeBytes
      return HTMLReportFormat(top: max(top, 20), toolVersion: Strata.version, treemap: treemap)
    case .markdown: return MarkdownReportFormat(exactBytes: report.bytes, packagesTop: top)
    case .csv: return CSVReportFormat()
    case .text:
      var options = TextReport.Options()
      options.exactBytes = report.bytes
      options.style = report.style
      options.width = report.width
      options.top = report.topGiven
      options.verbose = verbose
      options.tree = tree || depth != nil
      options.depth = depth ?? .max
      options.minBytes = report.minBytes
      options.layer = layer
      return TextReportFormat(options: options, packagesTop: top)
    }
  }
}

extension Analyze {
  /// `analyze`'s wording of the shared report options.
  enum ReportHelp: ReportOptionsHelp {
    static let minSize =
      "Leave out findings, files and tree entries smaller than SIZE (e.g. 1MB, 512KiB); with html, draw them together per directory."
    static let minSizeHint = " (try 1MB, 500kB, 2GiB)"
    static let top = "How many findings (with fixes) and largest files to list (default 3 and 5; -v: all and 10)."
    static let color = "Colour: auto, always, never (auto honours NO_COLOR and non-terminals)."
  }
}
