import Analysis
import ArgumentParser
import Comparison
import ImageLoading
import ImageModel
import PackageDatabases
import Reporting

/// `strata compare IMAGE IMAGE [IMAGE…]`, or `strata compare IMAGE --layers A..B`.
struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare images side by side: sizes, shared layers, file and package differences.",
    discussion: """
      Each IMAGE is named as for `strata analyze`: an archive or OCI layout, - for standard
      input, or an image in the Docker Engine or podman (app:1, docker://app:1, podman://app:1).
      FILE#NAME:TAG picks one image of an archive holding several (`#` cannot appear in an image
      reference, so `host:5000/team/app:1.2` is never taken for a file). The first image is the
      baseline the others are compared with.
      With one IMAGE and --layers A..B, shows what that range of layers did together.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
  }

  @Argument(help: "Images: archives, layouts, -, image names, or FILE#NAME:TAG.", completion: .file())
  var images: [String]

  @OptionGroup var read: ImageReadOptions

  @Option(help: "A column label, one per image in order (default: the image's first tag).")
  var label: [String] = []

  @Option(help: "With one image: the layers to show together, e.g. 3..7 (or one index).")
  var layers: String?

  @Option(help: "Output format: text, json or markdown.")
  var format: Format = .text

  @OptionGroup var report: ReportOptions<ReportHelp>

  @Option(help: "Directory depth differences are grouped at.")
  var depth: Int = 2

  @Flag(help: "Skip reading package databases.")
  var noPackages = false

  @Flag(help: "Skip the waste analysis (the reclaimable row).")
  var noWaste = false

  @Option(help: "Most bytes to read comparing same-size files by content (0: metadata only).")
  var contentBudget: String = "256MB"

  @Option(help: "Configuration file for the waste analysis. Default: ./.strata.yaml when present.")
  var config: String?

  func validate() throws {
    if let layers {
      guard images.count == 1 else { throw ValidationError("--layers takes exactly one image") }
      guard LayerRangeDiff.parseRange(layers) != nil else {
        throw ValidationError("--layers '\(layers)' is not a range (try 3..7)")
      }
    } else if images.count < 2 {
      throw ValidationError("compare needs two or more images (or one image with --layers A..B)")
    }
    if !label.isEmpty && label.count != images.count {
      throw ValidationError("give one --label per image (\(images.count)), or none")
    }
    if images.filter({ $0 == "-" }).count > 1 { throw ValidationError("only one image can come from standard input") }
    if read.imageName != nil && images.count > 1 {
      throw ValidationError("--image applies to one archive; with several images, pick each with FILE#NAME:TAG")
    }
    if ByteSize.parse(contentBudget) == nil {
      throw ValidationError("--content-budget '\(contentBudget)' is not a size")
    }
    if depth < 0 { throw ValidationError("--depth must not be negative") }
  }

  func run() throws {
    let settings = try loadSettings(config)
    let budget = ByteSize.parse(contentBudget) ?? FileDiffer.defaultContentBudget
    let minBytes = report.minBytes
    if let layers, let bounds = LayerRangeDiff.parseRange(layers), let spec = images.first {
      // The range is checked against the manifest, before the layers are read.
      let image = try load(spec) { count in
        guard bounds.lower >= 0, bounds.lower <= bounds.upper, bounds.upper < count else {
          throw CommandError("--layers \(bounds.lower)..\(bounds.upper): the image has layers 0 to \(count - 1)")
        }
      }
      try runRange(
        Analyzer.analyze(image), label: label.first ?? ImageLabels.make([image]).first ?? image.label, bounds: bounds,
        budget: budget, minBytes: minBytes)
      return
    }
    // Each image is read and analysed on its own, all at once: one image's work rarely keeps
    // both cores busy (merging the tree and most of the waste analysis run on one thread).
    let wasteConfig = settings.waste
    let (noWaste, noPackages) = (self.noWaste, self.noPackages)
    let prepared = try concurrentMap(images) { spec in
      let merge = LayerMerge()
      let image = try load(spec, merging: merge)
      let analysis = Analyzer.analyze(image, merged: merge)
      return PreparedImage(
        image: image, analysis: analysis,
        waste: noWaste ? nil : WasteAnalyzer.analyze(analysis, config: wasteConfig, mapPaths: false),
        packages: noPackages ? nil : PackageScanner.scan(analysis))
    }
    let names = label.isEmpty ? ImageLabels.make(prepared.map(\.image)) : label
    let inputs = zip(prepared, names).map { item, name in
      ComparisonInput(label: name, analysis: item.analysis, waste: item.waste, packages: item.packages)
    }
    let comparison = Comparer.compare(inputs, contentBudget: budget)
    let text: String
    switch format {
    case .json:
      let json = CompareJSON.build(
        comparison, top: max(report.top, 100), depth: depth, minBytes: minBytes, toolVersion: Strata.version)
      return try Output.deliver(json: json, to: report.output)
    case .markdown:
      text = CompareMarkdown.render(
        comparison, exactBytes: report.bytes, top: report.top, depth: depth, minBytes: minBytes)
    case .text:
      text = CompareText(options: textOptions(minBytes: minBytes)).render(comparison)
    }
    try Output.deliver(text, to: report.output)
  }

  private func runRange(
    _ analysis: ImageAnalysis, label: String, bounds: (lower: Int, upper: Int), budget: Int64, minBytes: Int64
  ) throws {
    guard
      let range = LayerRangeDiff.compute(analysis, lower: bounds.lower, upper: bounds.upper, contentBudget: budget)
    else {
      throw CommandError(
        "--layers \(bounds.lower)..\(bounds.upper): the image has layers 0 to \(analysis.layers.count - 1)")
    }
    let text: String
    switch format {
    case .json:
      let json = CompareJSON.build(
        range, label: label, top: max(report.top, 100), depth: depth, minBytes: minBytes, toolVersion: Strata.version)
      return try Output.deliver(json: json, to: report.output)
    case .markdown:
      text = CompareMarkdown.render(
        range, label: label, exactBytes: report.bytes, top: report.top, depth: depth, minBytes: minBytes)
    case .text:
      text = CompareText(options: textOptions(minBytes: minBytes)).render(range, label: label)
    }
    try Output.deliver(text, to: report.output)
  }

  private func textOptions(minBytes: Int64) -> CompareText.Options {
    var options = CompareText.Options()
    options.exactBytes = report.bytes
    options.style = report.style
    options.width = report.width
    options.top = report.top
    options.depth = depth
    options.minBytes = minBytes
    return options
  }

  /// Loads an image as `analyze` would, or `FILE#NAME:TAG`: one image of an archive;
  /// `layersPlanned` is told the number of layers before any is read.
  private func load(
    _ spec: String, merging merge: LayerMerge? = nil, layersPlanned: (@Sendable (Int) throws -> Void)? = nil
  ) throws -> Image {
    let (argument, name) = ImageSpec.split(spec, exists: ImageResolver.pathExists)
    var options = read.loadOptions
    if let name { options.image = name }
    options.layersPlanned = layersPlanned
    if let merge { options.layerReady = { merge.add($0, $1) } }
    return try loadImage(argument, read: read, options: options)
  }
}

/// One image of a comparison, read and analysed.
private struct PreparedImage: Sendable {
  let image: Image
  let analysis: ImageAnalysis
  let waste: WasteReport?
  let packages: PackageInventory?
}

extension Compare {
  /// `compare`'s wording of the shared report options.
  enum ReportHelp: ReportOptionsHelp {
    static let minSize = "Leave out directories and files whose differences are smaller than SIZE (e.g. 1MB)."
    static let minSizeHint = ""
    static let top = "How many largest files and packages to list."
    static let color = "Colour: auto, always, never."
  }
}

/// Default column labels: each image's first tag without its registry and namespace
/// (`localhost/team/app:1` → `app:1`), or the whole tag (or path) when that would be ambiguous.
enum ImageLabels {
  static func make(_ images: [Image]) -> [String] {
    let short = images.map { image -> String in
      guard let tag = image.tags.first else { return image.source }
      return tag.split(separator: "/").last.map(String.init) ?? tag
    }
    let full = images.map(\.label)
    let unique = Set(short).count == short.count
    let fullUnique = Set(full).count == full.count
    if unique { return short }
    if fullUnique { return full }
    let sources = images.map(\.source)
    if Set(sources).count == sources.count { return sources }
    return sources.enumerated().map { "\($0.element) (\($0.offset + 1))" }
  }
}

/// Splits `FILE#NAME:TAG` into the file and the image name.
enum ImageSpec {
  /// The argument and the image name after its last `#`, when what comes before it exists as a
  /// path; otherwise the whole spec (which may itself be a path with a `#` in its name).
  static func split(_ spec: String, exists: (String) -> Bool) -> (path: String, image: String?) {
    if spec == "-" || exists(spec) { return (spec, nil) }
    guard let hash = spec.lastIndex(of: "#") else { return (spec, nil) }
    let path = String(spec[..<hash])
    let name = String(spec[spec.index(after: hash)...])
    guard !path.isEmpty, !name.isEmpty, path == "-" || exists(path) else { return (spec, nil) }
    return (path, name)
  }
}
