import Analysis
import ImageModel
import Reporting
import Testing

@testable import Explorer

@Suite("Renderer")
struct RendererTests {
  func frame(_ analysis: ImageAnalysis, rows: Int = 24, columns: Int = 80, _ keys: [KeyStroke] = []) -> Frame {
    var state = ExplorerState(analysis: analysis, waste: nil)
    let size = TerminalSize(rows: rows, columns: columns)
    state.layout(size)
    for key in keys { _ = state.handle(key) }
    return Renderer().frame(state, size: size)
  }

  @Test(arguments: [(24, 80), (40, 120), (60, 250), (10, 40)])
  func every_line_is_exactly_as_wide_as_the_terminal(rows: Int, columns: Int) {
    let frame = frame(Images.sample, rows: rows, columns: columns, [.tab, .control(" ")])
    #expect(frame.lines.count == rows)
    #expect(frame.lines.allSatisfy { SafeText.width($0.plain) == columns })
  }

  @Test func wide_characters_and_control_characters_keep_the_columns_aligned() {
    let analysis = Images.analysis([
      [Images.file("名前/読んでください.txt", 2048), Images.file("bad\u{1B}[2Jname", 5), Images.file("tab\tname", 1)]
    ])
    let frame = frame(analysis, [.tab, .control(" ")])
    #expect(frame.lines.allSatisfy { SafeText.width($0.plain) == 80 })
    #expect(frame.plainText.contains("bad\\x1B[2Jname"))
    #expect(frame.plainText.contains("tab\\tname"))
    #expect(frame.plainText.contains("読んでください.txt"))
    #expect(!frame.lines.contains { $0.plain.unicodeScalars.contains { $0.value < 0x20 } })
    let separators = frame.lines.dropFirst().prefix(20).map { line in
      var column = 0
      for character in line.plain {
        if character == "│" { return column }
        column += SafeText.width(String(character))
      }
      return -1
    }
    #expect(Set(separators).count == 1)
  }

  @Test func marks_read_without_colour() {
    let plain = frame(Images.sample, [.tab, .control(" ")]).plainText
    #expect(plain.contains("│-     20 B │ └ passwd"))
    #expect(plain.contains("│~    100 B │ └ ▾ bin/"))
    #expect(plain.contains("│     100 B │   └ tool"))
    let wide = frame(Images.sample, rows: 24, columns: 160, [.tab, .control(" ")]).plainText
    #expect(wide.contains("│-     20 B │   └── passwd"))
    #expect(!frame(Images.sample).encodedLines(colored: false).joined().contains("\u{1B}[0;32m"))
  }

  @Test func colour_is_added_only_when_asked() {
    let lines = frame(Images.sample, [.tab, .control(" ")]).encodedLines(colored: true).joined()
    #expect(lines.contains("31m"))
  }

  @Test func the_help_overlay_lists_the_keys() {
    let plain = frame(Images.sample, rows: 60, columns: 100, [.character("?")]).plainText
    for text in ["dive's keys: Layers pane", "strata's own keys", "Ctrl+L", "Ctrl+Space", "Ctrl+C  q", "+ added"] {
      #expect(plain.contains(text), "\(text)")
    }
  }

  @Test func a_tiny_terminal_gets_a_message() {
    let plain = frame(Images.sample, rows: 5, columns: 30).plainText
    #expect(plain.contains("Terminal too small"))
  }

  @Test func the_filter_prompt_shows_what_is_typed() {
    let plain = frame(Images.sample, [.character("/"), .character("h"), .character("o")]).plainText
    #expect(plain.contains(" / ho█"))
    #expect(plain.contains("filter ho"))
  }

  @Test func styled_lines_cut_with_an_ellipsis_and_pad() {
    var line = StyledLine("abc", TextStyle(.added))
    line.append("名前xyz")
    #expect(line.width == 10)
    #expect(line.fitted(to: 6).plain == "abc名…")
    #expect(line.fitted(to: 5).plain == "abc… ")
    #expect(line.fitted(to: 12).plain == "abc名前xyz  ")
  }

  @Test func the_frame_writer_rewrites_only_changed_lines() {
    let first = FrameWriter.update(from: nil, to: ["a", "b"])
    #expect(first.contains("\u{1B}[2J"))
    let second = FrameWriter.update(from: ["a", "b"], to: ["a", "c"])
    #expect(second == "\u{1B}[2;1H\u{1B}[0mc")
  }

  @Test func long_text_is_shortened_in_the_middle_keeping_its_end() {
    #expect(StyledLine.middle("/usr/lib/python3/a_really_long_file_name.py", columns: 20) == "/usr/lib/p…e_name.py")
    #expect(StyledLine.middle("short", columns: 20) == "short")
    #expect(StyledLine.middle("名前/読んでください.txt", columns: 12).hasSuffix(".txt"))
    #expect(SafeText.width(StyledLine.middle("名前/読んでください.txt", columns: 12)) <= 12)
  }

  @Test func text_wraps_at_spaces_and_cuts_only_longer_words() {
    #expect(
      StyledLine.wrap("rm -rf /etc/myapp && mkdir /etc/myapp", columns: 17) == [
        "rm -rf /etc/myapp", "&& mkdir", "/etc/myapp",
      ])
    #expect(StyledLine.wrap("abcdefghij", columns: 4) == ["abcd", "efgh", "ij"])
  }

  @Test func the_key_bar_drops_hints_before_help_and_quit() {
    let leading: [KeyBar.Hint] = [("Tab", "pane"), ("Space", "open"), ("Enter", "view")]
    let bar = KeyBar.line(leading: leading, trailing: [("?", "help"), ("q", "quit")], width: 30)
    #expect(bar.plain == " Tab pane  ? help  q quit ")
    #expect(bar.width <= 30)
  }
}
