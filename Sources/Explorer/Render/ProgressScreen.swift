import Reporting

/// The screen shown while the image loads: what is happening, a bar when the fraction is
/// known, a spinner otherwise.
enum ProgressScreen {
  static func frame(_ progress: (text: String, fraction: Double?), tick: Int, size: TerminalSize) -> Frame {
    let width = max(1, size.columns)
    var lines: [StyledLine] = []
    let middle = max(0, size.rows / 2 - 1)
    for _ in 0..<middle { lines.append(StyledLine().fitted(to: width)) }
    let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"][tick % 10]
    var heading = StyledLine("  " + spinner + " ", TextStyle(.accent, bold: true))
    heading.append("strata explore: " + SafeText.escape(progress.text), TextStyle(bold: true))
    lines.append(heading.fitted(to: width))
    if let fraction = progress.fraction {
      let barWidth = max(10, min(60, width - 12))
      let filled = Int((Double(barWidth) * min(1, max(0, fraction))).rounded())
      var bar = StyledLine("  [")
      bar.append(String(repeating: "█", count: filled), TextStyle(.accent))
      bar.append(String(repeating: "·", count: barWidth - filled) + "] \(Int(fraction * 100)) %")
      lines.append(bar.fitted(to: width))
    } else {
      lines.append(StyledLine().fitted(to: width))
    }
    lines.append(StyledLine("  q or Ctrl+C cancels", TextStyle(.muted)).fitted(to: width))
    while lines.count < size.rows { lines.append(StyledLine().fitted(to: width)) }
    return Frame(lines: Array(lines.prefix(max(1, size.rows))))
  }
}
