import Analysis
import Comparison
import ImageModel
import PackageDatabases

/// Renders `strata compare` as text: the side-by-side table, shared layers, and what differs
/// from the baseline, files and packages.
package struct CompareText: Sendable {
  /// What to include and how.
  package struct Options: Sendable {
    /// Exact byte counts instead of `1.2 MB`.
    package var exactBytes = false
    /// ANSI colours.
    package var style = Style.plain
    /// Terminal width to fit commands into (nil: no cutting).
    package var width: Int?
    /// Items listed per list (largest files, packages).
    package var top = 10
    /// Top-level directories in the table.
    package var topLevel = 8
    /// Directory depth the differences are grouped at.
    package var depth = 2
    /// Leave out groups and items smaller than this.
    package var minBytes: Int64 = 0

    /// Default options.
    package init() {}
  }

  let options: Options
  var bytes: ByteFormat { ByteFormat(exact: options.exactBytes) }

  /// Creates a renderer.
  package init(options: Options) { self.options = options }

  /// The whole report.
  package func render(_ comparison: ImageComparison) -> String {
    var out = table(comparison)
    out += "\n" + sharedLayers(comparison)
    for (offset, diff) in comparison.fileDiffs.enumerated() {
      let label = comparison.images[offset + 1].label
      out += "\n" + DiffText(options: options).render(diff, title: "\(label) vs \(comparison.baselineLabel)")
    }
    if let packages = comparison.packages {
      out += "\n" + PackageText(options: options).comparison(comparison, inventories: packages)
    }
    return out
  }

  // MARK: Side by side

  private func table(_ comparison: ImageComparison) -> String {
    let style = options.style
    let images = comparison.images
    var rows: [(String, [String])] = []
    rows.append(("", images.map { SafeText.truncate(SafeText.escape($0.label), to: 32) }))
    rows.append(("content (layers)", images.map { bytes.format($0.sizeBytes) }))
    rows.append(("filesystem", images.map { bytes.format($0.finalBytes) }))
    rows.append(("files", images.map { ByteFormat.grouped(Int64($0.fileCount)) }))
    rows.append(("directories", images.map { ByteFormat.grouped(Int64($0.directoryCount)) }))
    rows.append(("layers", images.map { String($0.layers.count) }))
    if images.contains(where: { $0.pullBytes != nil }) {
      rows.append(("pull", images.map { $0.pullBytes.map(bytes.format) ?? "unknown" }))
      rows.append(("pull, baseline present", Self.pullGivenBaseline(images, bytes)))
    }
    rows.append(("efficiency (dive)", images.map { ByteFormat.percent($0.efficiency) }))
    rows.append(("wasted (dive)", images.map { bytes.format($0.wastedBytes) }))
    if images.contains(where: { $0.reclaimableBytes != nil }) {
      rows.append(("reclaimable", images.map { $0.reclaimableBytes.map(bytes.format) ?? "—" }))
      rows.append(("to review", images.map { $0.reviewBytes.map(bytes.format) ?? "—" }))
    }
    for ecosystem in PackageEcosystem.allCases where images.contains(where: { $0.packageTotals?[ecosystem] != nil }) {
      rows.append(
        (
          "\(ecosystem.rawValue) packages",
          images.map { image in
            guard let total = image.packageTotals?[ecosystem] else { return image.packageTotals == nil ? "" : "—" }
            return "\(total.count) (\(bytes.format(total.bytes)))"
          }
        ))
    }
    for path in topLevelPaths(images) {
      let cells = images.map { image in
        image.topLevel.first { $0.path == path }.map { bytes.format($0.bytes) } ?? "—"
      }
      let isDirectory = images.contains { $0.topLevel.first { $0.path == path }?.kind == .directory }
      rows.append((SafeText.escape(path) + (isDirectory ? "/" : ""), cells))
    }
    let keys = layerKeys(comparison.sharing)
    let layerRows = images.map(\.layers.count).max() ?? 0
    for index in 0..<layerRows {
      rows.append(
        (
          "layer \(index)",
          images.map { image in
            guard index < image.layers.count else { return "" }
            let layer = image.layers[index]
            let key = layer.contentID.flatMap { keys[$0] }.map { " [\($0)]" } ?? ""
            return bytes.format(layer.sizeBytes) + key
          }
        ))
    }
    let labelWidth = max(18, rows.map { SafeText.width($0.0) }.max() ?? 0)
    var widths = images.map { _ in 10 }
    for row in rows {
      for (column, cell) in row.1.enumerated() { widths[column] = max(widths[column], SafeText.width(cell)) }
    }
    var out = style.apply(.heading, "Images") + "  (baseline: \(SafeText.escape(comparison.baselineLabel)))\n"
    for (position, image) in images.enumerated() {
      let name = image.tags.first.flatMap { $0 == image.label ? nil : "\(SafeText.escape($0))  " } ?? ""
      out +=
        "  \(position + 1). \(SafeText.escape(image.label))  "
        + style.apply(.muted, name + SafeText.escape(image.source)) + "\n"
    }
    out += "\n"
    for (rowIndex, row) in rows.enumerated() {
      var line = "  " + SafeText.pad(row.0, to: labelWidth)
      for (column, cell) in row.1.enumerated() { line += "  " + SafeText.padLeft(cell, to: widths[column]) }
      out += (rowIndex == 0 ? style.apply(.heading, line) : line) + "\n"
    }
    return out
  }

  /// What each image after the first costs to pull when the baseline is present (`—` for the
  /// baseline, `unknown` where the pull size is), and how many blobs that spares.
  static func pullGivenBaseline(_ images: [ImageFigures], _ bytes: ByteFormat) -> [String] {
    images.enumerated().map { position, image in
      guard position > 0 else { return "—" }
      guard let cost = image.pullBytesGivenBaseline else { return "unknown" }
      let shared = image.blobsSharedWithBaseline
      return bytes.format(cost) + (shared > 0 ? " (\(shared) shared)" : "")
    }
  }

  /// The top-level paths to show: the largest in any image.
  private func topLevelPaths(_ images: [ImageFigures]) -> [String] {
    var largest: [String: Int64] = [:]
    for image in images { for item in image.topLevel { largest[item.path] = max(largest[item.path] ?? 0, item.bytes) } }
    return largest.filter { $0.value > 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .prefix(options.topLevel).map(\.key)
  }

  /// `A`, `B`, … for each shared layer.
  func layerKeys(_ sharing: LayerSharing) -> [String: String] {
    var keys: [String: String] = [:]
    for (offset, layer) in sharing.shared.enumerated() { keys[layer.contentID] = Self.key(offset) }
    return keys
  }

  static func key(_ offset: Int) -> String {
    let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return offset < letters.count ? String(letters[offset]) : "L\(offset)"
  }

  // MARK: Shared layers

  private func sharedLayers(_ comparison: ImageComparison) -> String {
    let style = options.style
    let sharing = comparison.sharing
    let images = comparison.images
    var out =
      style.apply(.heading, "Shared layers")
      + style.apply(.muted, "  (same diffID: a registry or a host stores each once)") + "\n"
    if sharing.shared.isEmpty {
      out += "  none: these images have no layer in common\n"
    }
    let width = max(8, sharing.shared.map { bytes.format($0.sizeBytes).count }.max() ?? 0)
    for (offset, layer) in sharing.shared.enumerated() {
      let places = layer.placements.map { "\(SafeText.escape(images[$0.image].label)) L\($0.layer)" }.joined(
        separator: ", ")
      var command = SafeText.escape(CommandText.compact(layer.command))
      if let limit = options.width { command = SafeText.truncateMiddle(command, to: max(20, limit - 40)) }
      out +=
        "  [\(Self.key(offset))] " + SafeText.padLeft(bytes.format(layer.sizeBytes), to: width) + "  "
        + style.apply(.muted, Self.shortDigest(layer.contentID)) + "  " + places + "\n"
      if !command.isEmpty { out += "      " + SafeText.pad("", to: width) + command + "\n" }
    }
    if sharing.commonBaseLayers > 0 {
      let count = sharing.commonBaseLayers
      out +=
        "  Common base: all \(images.count) images start with the same \(count == 1 ? "layer" : "\(count) layers") ("
        + (0..<count).map { "[\(Self.key($0))]" }.joined(separator: " ") + ")\n"
    }
    out +=
      "  Stored separately \(bytes.format(sharing.separateBytes)); distinct layers \(bytes.format(sharing.distinctBytes)); sharing saves \(bytes.format(sharing.savedBytes))\n"
    let labelWidth = images.map { SafeText.width(SafeText.escape($0.label)) }.max() ?? 0
    for (image, share) in zip(images, sharing.images) {
      out +=
        "    " + SafeText.pad(SafeText.escape(image.label), to: labelWidth) + "  shared "
        + SafeText.padLeft(bytes.format(share.sharedBytes), to: 9)
        + " (\(share.sharedLayers) of \(image.layers.count) layers)  unique "
        + bytes.format(share.uniqueBytes) + "\n"
    }
    return out
  }

  /// `sha256:0123456789ab`.
  static func shortDigest(_ digest: String) -> String {
    guard let colon = digest.firstIndex(of: ":") else { return String(digest.prefix(16)) }
    return String(digest[...colon]) + digest[digest.index(after: colon)...].prefix(12)
  }
}

extension CompareText {
  /// What a range of one image's layers did together.
  package func render(_ range: LayerRangeDiff, label: String) -> String {
    let style = options.style
    let bytes = ByteFormat(exact: options.exactBytes)
    let span = range.lower == range.upper ? "Layer \(range.lower)" : "Layers \(range.lower)..\(range.upper)"
    var out = style.apply(.heading, "\(span) of \(SafeText.escape(label))") + "\n"
    let width = max(8, range.layers.map { bytes.format($0.sizeBytes).count }.max() ?? 0)
    for layer in range.layers {
      var command = SafeText.escape(CommandText.compact(layer.descriptor.command))
      if let limit = options.width { command = SafeText.truncateMiddle(command, to: max(20, limit - width - 12)) }
      out +=
        "  " + SafeText.padLeft(String(layer.descriptor.index), to: 3) + "  "
        + SafeText.padLeft(bytes.format(layer.sizeBytes), to: width) + "  " + command + "\n"
    }
    let count = range.layers.count
    out += "  ships \(bytes.format(range.shippedBytes)) in \(count) \(count == 1 ? "layer" : "layers"); "
    out += "filesystem \(bytes.format(range.diff.baselineBytes)) → \(bytes.format(range.diff.otherBytes)) "
    out += "(net \(DiffText(options: options).signed(range.diff.netBytes, bytes)))\n"
    let hidden = range.shippedBytes - range.diff.addedBytes - range.diff.changedAfter
    if hidden > 0 {
      out +=
        style.apply(
          .muted,
          "  \(bytes.format(hidden)) of what the range ships is not new in the filesystem after it (overwritten or deleted within the range, or rewritten unchanged)"
        ) + "\n"
    }
    let before = range.lower == 0 ? "empty" : "after layer \(range.lower - 1)"
    out +=
      "\n" + DiffText(options: options).render(range.diff, title: "Filesystem after layer \(range.upper) vs \(before)")
    return out
  }
}
