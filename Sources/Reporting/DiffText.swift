import Analysis
import Comparison
import ImageModel

/// Draws one `FileDiff`: totals, the differences grouped by directory, the largest items.
struct DiffText {
  let options: CompareText.Options

  func render(_ diff: FileDiff, title: String) -> String {
    let bytes = ByteFormat(exact: options.exactBytes)
    let style = options.style
    var out = style.apply(.heading, SafeText.escape(title)) + "\n"
    out +=
      "  "
      + style.apply(.added, "+\(ByteFormat.grouped(Int64(diff.added.count))) files (+\(bytes.format(diff.addedBytes)))")
    out +=
      "   "
      + style.apply(
        .removed, "-\(ByteFormat.grouped(Int64(diff.removed.count))) files (-\(bytes.format(diff.removedBytes)))")
    out +=
      "   "
      + style.apply(
        .changed,
        "~\(ByteFormat.grouped(Int64(diff.changed.count))) changed (\(bytes.format(diff.changedBefore)) → \(bytes.format(diff.changedAfter)))"
      )
    out += "   net " + signed(diff.netBytes, bytes) + "\n"
    out += "  filesystem \(bytes.format(diff.baselineBytes)) → \(bytes.format(diff.otherBytes))\n"
    out += contentLine(diff.content)
    if diff.isEmpty { return out + "  no differences\n" }
    let groups = diff.grouped(depth: options.depth, minBytes: options.minBytes)
    out +=
      "\n  " + style.apply(.heading, "By directory")
      + style.apply(
        .muted,
        "  (depth \(options.depth)"
          + (options.minBytes > 0 ? ", ≥ \(bytes.format(options.minBytes))" : "") + ")") + "\n"
    let shown = Array(groups.prefix(max(options.top * 2, 20)))
    let cells = shown.map { group in
      [
        signed(group.netBytes, bytes),
        group.addedFiles > 0
          ? "+\(bytes.format(group.addedBytes)) (\(ByteFormat.grouped(Int64(group.addedFiles))))" : "",
        group.removedFiles > 0
          ? "-\(bytes.format(group.removedBytes)) (\(ByteFormat.grouped(Int64(group.removedFiles))))" : "",
        group.changedFiles > 0
          ? "~\(bytes.format(group.changedBytes)) (\(ByteFormat.grouped(Int64(group.changedFiles))))" : "",
      ]
    }
    let headers = ["NET", "ADDED (files)", "REMOVED (files)", "CHANGED (files)"]
    var widths = headers.map { SafeText.width($0) }
    for row in cells {
      for (column, cell) in row.enumerated() { widths[column] = max(widths[column], SafeText.width(cell)) }
    }
    var head = "   "
    for (column, header) in headers.enumerated() { head += " " + SafeText.padLeft(header, to: widths[column]) }
    out += style.apply(.muted, head + "  DIRECTORY") + "\n"
    for (group, row) in zip(shown, cells) {
      var line = "   "
      for (column, cell) in row.enumerated() { line += " " + SafeText.padLeft(cell, to: widths[column]) }
      out += line + "  " + SafeText.escape(group.path == "/" ? "/" : group.path + "/") + "\n"
    }
    if groups.count > shown.count {
      out += style.apply(.muted, "    … \(groups.count - shown.count) more directories") + "\n"
    }
    out += items(
      "Largest added", FileDiff.largest(diff.added, limit: options.top, minBytes: options.minBytes),
      total: diff.added.count, role: .added, symbol: "+", bytes)
    out += items(
      "Largest removed", FileDiff.largest(diff.removed, limit: options.top, minBytes: options.minBytes),
      total: diff.removed.count, role: .removed, symbol: "-", bytes)
    out += items(
      "Largest changed", FileDiff.largest(diff.changed, limit: options.top, minBytes: options.minBytes),
      total: diff.changed.count, role: .changed, symbol: "~", bytes)
    return out
  }

  private func contentLine(_ content: ContentComparison) -> String {
    var parts: [String] = []
    if content.comparedFiles > 0 {
      parts.append("\(content.comparedFiles) same-size files compared by content, \(content.differentFiles) differ")
    }
    if content.sameLayerFiles > 0 {
      parts.append("\(content.sameLayerFiles) same-size files identical without reading (same layer)")
    }
    if content.uncomparedFiles > 0 {
      parts.append(
        "\(content.uncomparedFiles) (\(ByteFormat(exact: options.exactBytes).format(content.uncomparedBytes))) by metadata only"
      )
    }
    var out = parts.isEmpty ? "" : "  content: " + parts.joined(separator: "; ") + "\n"
    for note in content.notes { out += options.style.apply(.muted, "  note: " + SafeText.escape(note)) + "\n" }
    return out
  }

  private func items(
    _ title: String, _ list: [FileDiff.Item], total: Int, role: Style.Role, symbol: String, _ bytes: ByteFormat
  ) -> String {
    guard !list.isEmpty else { return "" }
    let style = options.style
    var out =
      "\n  " + style.apply(role, title) + style.apply(.muted, " (\(list.count) of \(ByteFormat.grouped(Int64(total))))")
      + "\n"
    let sizes = list.map { item -> String in
      symbol == "~" ? "\(bytes.format(item.before)) → \(bytes.format(item.after))" : bytes.format(item.magnitude)
    }
    let width = max(8, sizes.map { SafeText.width($0) }.max() ?? 0)
    for (item, size) in zip(list, sizes) {
      var line =
        "    " + style.apply(role, symbol) + " " + SafeText.padLeft(size, to: width) + "  " + SafeText.escape(item.path)
      if item.kind == .symlink { line += style.apply(.muted, " (symlink)") }
      if !item.changes.isEmpty {
        line += style.apply(.muted, "  (" + item.changes.map(\.rawValue).joined(separator: ", ") + ")")
      }
      out += line + "\n"
    }
    return out
  }

  func signed(_ value: Int64, _ bytes: ByteFormat) -> String {
    value > 0 ? "+" + bytes.format(value) : bytes.format(value)
  }
}
