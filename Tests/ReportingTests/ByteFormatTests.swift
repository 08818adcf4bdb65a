import Reporting
import Testing

@Suite("Byte and percent formatting")
struct ByteFormatTests {
  @Test(arguments: [
    (Int64(0), "0 B"), (999, "999 B"), (1_000, "1.00 kB"), (12_345, "12.3 kB"), (999_999, "1.00 MB"),
    (1_234_567_890, "1.23 GB"), (Int64.max, "9.22 EB"), (-2_500, "-2.50 kB"),
  ])
  func human(bytes: Int64, expected: String) {
    #expect(ByteFormat.human(bytes) == expected)
  }

  @Test func extreme_fractions_do_not_trap() {
    // A user-wasted ratio over a one-byte upper layer can be astronomically large.
    #expect(ByteFormat.percent(9.2e18) == "9.2e+20 %")
    #expect(ByteFormat.percent(.infinity) == "inf %")
    #expect(ByteFormat.percent(.nan) == "nan %")
    #expect(ByteFormat.percent(0.984421213) == "98.4421 %")
    #expect(ByteFormat.grouped(-1_234_567) == "-1,234,567")
  }

  @Test func control_characters_are_escaped() {
    #expect(SafeText.escape("a\u{1B}[2Jb\nc\u{9B}") == "a\\x1B[2Jb\\nc\\x9B")
    #expect(SafeText.escape("plain ü 名前") == "plain ü 名前")
    #expect(SafeText.width("名前") == 4)
    // Printable ASCII is returned at once; DEL, C1 and the Unicode line and direction controls
    // are not printable ASCII and are escaped.
    #expect(SafeText.escape(" !~az/AZ09") == " !~az/AZ09")
    #expect(SafeText.escape("a\u{7F}b\u{85}c\u{2028}d\u{202E}e") == "a\\x7Fb\\x85c\\u{2028}d\\u{202E}e")
  }

  @Test func csv_fields_are_quoted_when_they_hold_a_comma_or_quote() {
    #expect(CSVReport.field("/usr/lib/a.so") == "/usr/lib/a.so")
    #expect(CSVReport.field("/srv/a,b") == "\"/srv/a,b\"")
    #expect(CSVReport.field("/srv/say \"hi\"") == "\"/srv/say \"\"hi\"\"\"")
    #expect(CSVReport.field("/srv/é,名") == "\"/srv/é,名\"")
    #expect(CSVReport.field("/srv/a\rb") == "\"/srv/a\rb\"")
    #expect(CSVReport.field("/srv/a\nb") == "\"/srv/a\nb\"")
  }
}
