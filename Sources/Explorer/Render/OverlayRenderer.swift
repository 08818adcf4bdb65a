import Reporting

/// Draws the help overlay and the pager over the panes.
struct OverlayRenderer {
  let width: Int
  let height: Int

  /// Every line of the help text, actions wrapped to `width`.
  static func helpText(width: Int = 200) -> [StyledLine] {
    var lines: [StyledLine] = []
    let keyWidth = KeyBindings.sections.flatMap(\.bindings).map { SafeText.width($0.keys) }.max() ?? 10
    for section in KeyBindings.sections {
      if !lines.isEmpty { lines.append(StyledLine()) }
      lines.append(StyledLine(" " + section.title, TextStyle(.heading, bold: true)))
      for binding in section.bindings {
        let indent = 3 + keyWidth + 2
        let wrapped = StyledLine.wrap(binding.action, columns: max(10, width - indent - 1))
        for (index, part) in wrapped.enumerated() {
          let keys = index == 0 ? binding.keys : ""
          var line = StyledLine("   " + SafeText.pad(keys, to: keyWidth) + "  ", TextStyle(.accent, bold: true))
          line.append(part)
          lines.append(line)
        }
      }
    }
    lines.append(StyledLine())
    var legend = StyledLine(" Marks  ", TextStyle(.heading, bold: true))
    for mark in ChangeMark.allCases {
      legend.append(mark.symbol, TextStyle(mark.role, bold: true))
      legend.append(" " + mark.name + "   ")
    }
    lines.append(legend)
    lines.append(
      StyledLine(" Sizes are decimal (kB, MB); a removed path shows the bytes that went.", TextStyle(.muted)))
    return lines
  }

  func help(top: Int) -> [StyledLine] {
    let text = Self.helpText(width: width)
    let start = max(0, min(top, text.count - (height - 1)))
    var lines = [
      StyledLine(" Keys — Esc, q or ? closes; ↑ ↓ scroll", TextStyle(bold: true, reverse: true)).fitted(
        to: width, fill: TextStyle(reverse: true))
    ]
    lines += text.dropFirst(start).prefix(height - 1).map { $0.fitted(to: width) }
    return padded(lines)
  }

  /// The pager in a heavy frame (the focus is there, not on the panes behind it).
  func pager(_ page: PagerModel) -> [StyledLine] {
    let inner = max(1, width - 2)
    let frame = TextStyle(.accent, bold: true)
    let marks = StyledLine.scrollMarks(top: page.top, height: max(1, height - 3), count: page.lines.count)
    var top = StyledLine("┏━", frame)
    let title = StyledLine(" " + SafeText.escape(page.title) + " ", TextStyle(bold: true, reverse: true))
    top.append(title.fitted(to: min(title.width, max(1, inner - 1 - SafeText.width(marks)))))
    top.append(String(repeating: "━", count: max(0, inner - top.width + 1 - SafeText.width(marks))) + marks, frame)
    top = top.fitted(to: width - 1)
    top.append("┓", frame)
    var lines = [top]
    var subtitle = StyledLine(" " + SafeText.escape(page.subtitle), TextStyle(.muted))
    if let search = page.search {
      let count = page.matches.count
      subtitle.append(
        "   /" + SafeText.escape(search) + " · \(count) matching line" + (count == 1 ? "" : "s"), TextStyle(.accent))
    }
    lines.append(boxed(subtitle, inner: inner, frame: frame))
    let numberWidth = String(page.lines.count).count
    for (offset, line) in page.lines.dropFirst(page.top).prefix(max(0, height - 3)).enumerated() {
      var styled = StyledLine()
      switch line.kind {
      case .same where line.number != nil:
        styled.append(SafeText.padLeft(String(line.number ?? 0), to: numberWidth) + " ", TextStyle(.muted))
      case .same: styled.append(" ")
      case .added: styled.append("+ ", TextStyle(.added, bold: true))
      case .removed: styled.append("- ", TextStyle(.removed, bold: true))
      case .hunk: styled.append(" ")
      }
      let role: TextStyle.Role? =
        line.kind == .added ? .added : line.kind == .removed ? .removed : line.kind == .hunk ? .accent : nil
      let text = Self.visible(line.text, from: page.left)
      let current = page.currentMatch == page.top + offset
      styled.append(Self.highlighting(page.search, in: text, style: TextStyle(role), current: current))
      lines.append(boxed(styled, inner: inner, frame: frame))
    }
    while lines.count < height - 1 { lines.append(boxed(StyledLine(), inner: inner, frame: frame)) }
    lines.append(StyledLine("┗" + String(repeating: "━", count: inner) + "┛", frame))
    return padded(lines)
  }

  private func boxed(_ line: StyledLine, inner: Int, frame: TextStyle) -> StyledLine {
    var result = StyledLine("┃", frame)
    result.append(line.fitted(to: inner))
    result.append("┃", frame)
    return result
  }

  /// `text` with the occurrences of `search` in reverse video (bold on the current match).
  static func highlighting(_ search: String?, in text: String, style: TextStyle, current: Bool) -> StyledLine {
    guard let search, !search.isEmpty else { return StyledLine(text, style) }
    let characters = Array(text)
    var line = StyledLine()
    var position = 0
    var match = style
    match.reverse = true
    match.bold = current
    for range in PagerModel.ranges(of: search, in: text) {
      line.append(String(characters[position..<range.lowerBound]), style)
      line.append(String(characters[range]), match)
      position = range.upperBound
    }
    line.append(String(characters[position...]), style)
    return line
  }

  /// A line of file text as drawn: tabs to spaces, control characters escaped, the first
  /// `left` columns scrolled away.
  static func visible(_ text: String, from left: Int) -> String {
    var expanded = ""
    var column = 0
    for character in text {
      if character == "\t" {
        let spaces = 8 - column % 8
        expanded += String(repeating: " ", count: spaces)
        column += spaces
      } else {
        let safe = SafeText.escape(String(character))
        expanded += safe
        column += SafeText.width(safe)
      }
    }
    guard left > 0 else { return expanded }
    var skipped = 0
    var index = expanded.startIndex
    while index < expanded.endIndex, skipped < left {
      skipped += SafeText.width(String(expanded[index]))
      index = expanded.index(after: index)
    }
    return String(expanded[index...])
  }

  private func padded(_ lines: [StyledLine]) -> [StyledLine] {
    var lines = Array(lines.prefix(height))
    while lines.count < height { lines.append(StyledLine().fitted(to: width)) }
    return lines
  }
}
