import Analysis
import ImageModel

/// Draws the merged tree with sizes, largest first.
struct TreeText {
  let options: TextReport.Options

  func render(_ analysis: ImageAnalysis) -> String {
    let bytes = ByteFormat(exact: options.exactBytes)
    let style = options.style
    let lines = analysis.treeLines(maxDepth: options.depth, minBytes: options.minBytes)
    let width = max(8, lines.map { bytes.format($0.item.bytes).count }.max() ?? 0)
    var out =
      style.apply(.heading, "Filesystem") + style.apply(.muted, "  (size, layer of the final content, path)") + "\n"
    out += SafeText.padLeft(bytes.format(analysis.finalBytes), to: width + 2) + "       /\n"
    for line in lines {
      var branches = ""
      for flag in line.lastFlags.dropLast() { branches += flag ? "    " : "│   " }
      branches += (line.lastFlags.last ?? true) ? "└── " : "├── "
      var name = SafeText.escape(line.name)
      if line.item.kind == .directory { name = style.apply(.emphasis, name + "/") }
      if let target = line.linkTarget { name += style.apply(.muted, " → " + SafeText.escape(target)) }
      if line.hiddenChildren > 0 { name += style.apply(.muted, "  (+\(line.hiddenChildren) more)") }
      let layer = line.item.layer >= 0 ? "L\(line.item.layer)" : "  "
      out +=
        "  " + SafeText.padLeft(bytes.format(line.item.bytes), to: width) + "  "
        + style.apply(.muted, SafeText.pad(layer, to: 4)) + " " + branches + name + "\n"
    }
    return out
  }
}

/// Draws what one layer added, changed and removed.
struct LayerViewText {
  let options: TextReport.Options

  func render(_ view: LayerView) -> String {
    let bytes = ByteFormat(exact: options.exactBytes)
    let style = options.style
    let layer = view.layer
    var out =
      style.apply(.heading, "Layer \(layer.descriptor.index)") + "  "
      + SafeText.escape(CommandText.compact(layer.descriptor.command)) + "\n"
    out += "  size \(bytes.format(layer.sizeBytes)), \(layer.entries) entries"
    if let digest = layer.descriptor.diffID ?? layer.descriptor.digest { out += ", \(digest)" }
    out += "\n"
    let sections: [(String, Style.Role, String, [LayerView.Item])] = [
      ("Added", .added, "+", view.added), ("Changed", .changed, "~", view.changed),
      ("Removed", .removed, "-", view.removed),
    ]
    for (title, role, symbol, items) in sections {
      let total = items.reduce(Int64(0)) { $0 + $1.bytes }
      out += "\n" + style.apply(role, "\(title) (\(items.count), \(bytes.format(total)))") + "\n"
      let width = max(8, items.map { bytes.format($0.bytes).count }.max() ?? 0)
      for item in items {
        var path = SafeText.escape(item.path)
        if item.kind == .directory { path += "/" }
        if title == "Removed" && item.files > 1 { path += style.apply(.muted, "  (\(item.files) files)") }
        out +=
          "  " + style.apply(role, symbol) + " " + SafeText.padLeft(bytes.format(item.bytes), to: width) + "  " + path
          + "\n"
      }
    }
    return out
  }
}
