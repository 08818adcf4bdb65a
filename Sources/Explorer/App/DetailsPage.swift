import Analysis
import ImageModel
import Reporting

/// The text of the details: a layer's ids, size, time and full command, and the image's figures
/// as dive reports them next to strata's, with a line on how they differ. Lines are raw text
/// (escaped when drawn), wrapped to the width they are built for.
struct DetailsPage {
  let state: ExplorerState
  let columns: Int

  /// How dive's wasted space and strata's reclaimable bytes differ, in one line.
  static let difference =
    "dive's wasted space adds up every copy of each path found in two or more layers, the copy kept "
    + "included; strata's reclaimable counts the bytes a rebuild would not ship (hidden copies, caches, "
    + "leftovers, duplicates), each byte once."

  /// The selected layer's facts, the command wrapped to fill the rest.
  func layer(_ index: Int) -> [String] {
    let analysis = state.analysis
    guard analysis.layers.indices.contains(index) else { return [] }
    let summary = analysis.layers[index]
    let descriptor = summary.descriptor
    let counts =
      state.tree.snapshot.layer == index && state.tree.compare == .layer ? state.tree.snapshot.fileCounts : nil
    var facts: [(String, String)] = [
      ("Digest", descriptor.digest ?? "(not recorded)"),
      ("Diff ID", descriptor.diffID ?? "(not recorded)"),
      (
        "Size",
        ByteFormat.human(summary.sizeBytes)
          + (counts.map { " · +\($0.added) ~\($0.modified) -\($0.removed) files" } ?? "")
      ),
      ("Created", descriptor.created ?? "(not recorded)"),
    ]
    if let comment = descriptor.comment, !comment.isEmpty { facts.append(("Comment", comment)) }
    var lines = facts.map { Self.pad($0.0) + $0.1 }
    lines.append("Command:")
    let command = descriptor.command.map { CommandText.display($0) } ?? ""
    lines += StyledLine.wrap(command.isEmpty ? "(no command recorded)" : command, columns: max(10, columns - 2)).map {
      "  " + $0
    }
    return lines
  }

  /// The whole page: the layer, then the image with dive's figures and strata's.
  func page() -> PagerModel {
    let analysis = state.analysis
    let dive = analysis.dive
    var lines = ["Layer \(state.layers.selected)"] + layer(state.layers.selected).map { "  " + $0 } + ["", "Image"]
    lines.append("  " + Self.pad("Name") + analysis.image.label)
    lines.append("  " + Self.pad("Total image size (dive)", 32) + ByteFormat.human(dive.sizeBytes))
    lines.append("  " + Self.pad("Potential wasted space (dive)", 32) + ByteFormat.human(dive.wastedBytes))
    lines.append(
      "  " + Self.pad("Image efficiency score (dive)", 32) + ByteFormat.fixed(dive.efficiency * 100, digits: 1) + " %")
    switch state.waste.status {
    case .ready:
      let report = state.waste.report
      lines.append("  " + Self.pad("Reclaimable (strata)", 32) + ByteFormat.human(report?.reclaimableBytes ?? 0))
      for (category, bytes) in (report?.bytesByCategory ?? [:]).sorted(by: { $0.value > $1.value }) where bytes > 0 {
        let title = WasteCategory(rawValue: category)?.title ?? category
        lines.append("    " + Self.pad(ByteFormat.human(bytes), 10) + title)
      }
    case .computing: lines.append("  Reclaimable (strata): still being computed")
    case .disabled: lines.append("  Reclaimable (strata): off (--no-waste)")
    }
    lines += StyledLine.wrap(Self.difference, columns: max(10, columns - 4)).map { "  " + $0 }
    lines += ["", "Inefficient files (dive: paths in two or more layers)", "  Count  Total Space  Path"]
    for item in dive.inefficiencies {
      lines.append(
        "  " + SafeText.padLeft(String(item.count), to: 5) + "  "
          + SafeText.padLeft(ByteFormat.human(item.cumulativeBytes), to: 11) + "  " + item.path)
    }
    if dive.inefficiencies.isEmpty { lines.append("  (none)") }
    return PagerModel(
      title: "Details: layer \(state.layers.selected) and the image", subtitle: "i or q closes", lines: lines)
  }

  private static func pad(_ label: String, _ width: Int = 9) -> String { SafeText.pad(label, to: width) }
}
