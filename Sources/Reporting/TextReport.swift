import Analysis
import ImageModel
import MergedTree

/// Renders `strata analyze` as text for a terminal or a log.
package struct TextReport: Sendable {
  /// What to include and how.
  package struct Options: Sendable {
    /// Exact byte counts instead of `1.2 MB`.
    package var exactBytes = false
    /// ANSI colours.
    package var style = Style.plain
    /// Terminal width to fit lines into (nil: not a terminal; lines are fitted to 100 columns).
    package var width: Int?
    /// How many findings (with their fixes) and largest files to list; nil: 3 findings and 5
    /// files, or with `verbose` every finding and 10 files and directories.
    package var top: Int?
    /// Everything: every finding with its layers, paths and fixes, largest directories, notes.
    package var verbose = false
    /// Show the merged tree.
    package var tree = false
    /// Tree depth.
    package var depth = Int.max
    /// Leave out tree entries, findings, finding paths, largest files (and layer-view items)
    /// smaller than this.
    package var minBytes: Int64 = 0

    /// The columns lines are fitted into.
    package var columns: Int { max(40, width ?? 100) }
    /// How many findings to detail (nil: all).
    var findingsShown: Int? { top ?? (verbose ? nil : 3) }
    /// How many largest files (and, verbose, directories) to list.
    var pathsShown: Int { top ?? (verbose ? 10 : 5) }
    /// Show what one layer did instead of the whole-image view.
    package var layer: Int?

    /// Default options.
    package init() {}
  }

  let options: Options
  var bytes: ByteFormat { ByteFormat(exact: options.exactBytes) }

  /// Creates a renderer.
  package init(options: Options) { self.options = options }

  /// The report; `waste` adds the findings section.
  package func render(_ analysis: ImageAnalysis, waste: WasteReport? = nil) -> String {
    var out = header(analysis)
    if let layer = options.layer, let view = analysis.layerView(layer, minBytes: options.minBytes) {
      out += "\n" + LayerViewText(options: options).render(view)
      return out
    }
    out += "\n" + layerTable(analysis.layers)
    if options.tree { out += "\n" + TreeText(options: options).render(analysis) }
    if let waste { out += "\n" + WasteText(options: options).render(waste) }
    out += "\n" + largest(analysis)
    if !analysis.anomalies.isEmpty { out += "\n" + anomalies(analysis.anomalies) }
    return out
  }

  private func header(_ analysis: ImageAnalysis) -> String {
    let image = analysis.image
    let style = options.style
    var lines: [String] = []
    let platform = [image.config.os, image.config.architecture].compactMap { $0 }.joined(separator: "/")
    var imageLine = SafeText.escape(image.label) + "  (\(image.format.rawValue)"
    imageLine += platform.isEmpty ? ")" : ", \(platform))"
    lines.append(row("Image", imageLine))
    if options.verbose, let archive = image.archiveBytes {
      lines.append(
        row(
          "Archive", "\(SafeText.escape(image.source)): \(bytes.format(archive)), \(bytes.format(image.bytesRead)) read"
        ))
    }
    lines.append(
      row("Layers", "\(analysis.layers.count), holding \(bytes.format(analysis.dive.sizeBytes)) of content"))
    if let pull = image.pullBytes {
      let origin = image.pullBytesSource == .registry ? "the registry's blob sizes" : "the manifest's compressed layers"
      lines.append(
        row("Pull", "\(bytes.format(pull)) to download" + style.apply(.muted, "  (config and layers, from \(origin))")))
    }
    lines.append(
      row(
        "Filesystem",
        "\(bytes.format(analysis.finalBytes)) in \(ByteFormat.grouped(Int64(analysis.fileCount))) files, \(ByteFormat.grouped(Int64(analysis.tree.directoryCount))) directories"
      ))
    let dive = analysis.dive
    var diveLine = "efficiency \(ByteFormat.percent(dive.efficiency)), wasted \(bytes.format(dive.wastedBytes))"
    diveLine += ", user wasted \(Self.percentOrUndefined(dive.userWastedFraction))"
    lines.append(row("dive", diveLine + style.apply(.muted, "  (dive's definitions)")))
    return lines.joined(separator: "\n") + "\n"
  }

  /// `48.3491 %`, or `n/a` for NaN (one layer), `+inf %` when infinite.
  static func percentOrUndefined(_ fraction: Double) -> String {
    if fraction.isNaN { return "n/a (one layer)" }
    if fraction.isInfinite { return "+inf %" }
    return ByteFormat.percent(fraction)
  }

  private func row(_ label: String, _ value: String) -> String {
    options.style.apply(.heading, SafeText.pad(label, to: 11)) + value
  }

  private func layerTable(_ layers: [LayerSummary]) -> String {
    let style = options.style
    let sizeWidth = max(8, layers.map { bytes.format($0.sizeBytes).count }.max() ?? 0)
    var out = style.apply(.heading, "Layers") + "\n"
    let head =
      "  " + SafeText.padLeft("#", to: 3) + "  " + SafeText.padLeft("SIZE", to: sizeWidth) + "  "
      + SafeText.padLeft("+ADD", to: 6) + " " + SafeText.padLeft("~CHG", to: 6) + " " + SafeText.padLeft("-DEL", to: 6)
      + "  COMMAND"
    out += style.apply(.muted, head) + "\n"
    let prefixWidth = SafeText.width(head) - "COMMAND".count
    for layer in layers {
      let changes = layer.changes
      var command = SafeText.escape(CommandText.compact(layer.descriptor.command))
      command = SafeText.truncateMiddle(command, to: max(10, options.columns - prefixWidth))
      if command.isEmpty { command = style.apply(.muted, "(no history)") }
      out +=
        "  " + SafeText.padLeft(String(layer.descriptor.index), to: 3) + "  "
        + SafeText.padLeft(bytes.format(layer.sizeBytes), to: sizeWidth) + "  "
        + style.apply(.added, SafeText.padLeft(String(changes.addedFiles), to: 6)) + " "
        + style.apply(.changed, SafeText.padLeft(String(changes.changedFiles), to: 6)) + " "
        + style.apply(.removed, SafeText.padLeft(String(changes.removedFiles), to: 6)) + "  " + command + "\n"
    }
    return out
  }

  private func largest(_ analysis: ImageAnalysis) -> String {
    let style = options.style
    var out = style.apply(.heading, "Largest files") + "\n"
    let files = analysis.largestFiles(limit: options.pathsShown).filter { $0.bytes >= options.minBytes }
    let width = max(8, files.map { bytes.format($0.bytes).count }.max() ?? 0)
    for file in files {
      let prefix = "  " + SafeText.padLeft(bytes.format(file.bytes), to: width) + "  " + "L\(file.layer)" + "  "
      let path = SafeText.truncateMiddle(
        SafeText.escape(file.path), to: max(10, options.columns - SafeText.width(prefix)))
      out +=
        "  " + SafeText.padLeft(bytes.format(file.bytes), to: width) + "  "
        + style.apply(.muted, "L\(file.layer)") + "  " + path + "\n"
    }
    if files.isEmpty { out += "  (none)\n" }
    guard options.verbose else { return out }
    out += "\n" + style.apply(.heading, "Largest directories") + "\n"
    let directories = analysis.largestDirectories(limit: options.pathsShown).filter { $0.bytes >= options.minBytes }
    let dirWidth = max(8, directories.map { bytes.format($0.bytes).count }.max() ?? 0)
    for directory in directories {
      out +=
        "  " + SafeText.padLeft(bytes.format(directory.bytes), to: dirWidth) + "  "
        + SafeText.padLeft(directory.files == 1 ? "1 file" : "\(directory.files) files", to: 12) + "  "
        + SafeText.escape(directory.path) + "/\n"
    }
    if directories.isEmpty { out += "  (none)\n" }
    return out
  }

  private func anomalies(_ anomalies: [Anomaly]) -> String {
    var out = options.style.apply(.warning, "Warnings") + " (\(anomalies.count))\n"
    for anomaly in anomalies.prefix(50) {
      let place = anomaly.layer.map { "layer \($0): " } ?? ""
      out += "  " + place + SafeText.escape(anomaly.message) + "\n"
    }
    if anomalies.count > 50 { out += "  … and \(anomalies.count - 50) more (see --format json)\n" }
    return out
  }
}
