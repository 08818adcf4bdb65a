import Analysis
import JSONIO
@testable import Reporting
import Testing
import TestSupport

/// A file name an attacker could put in an image, as one path (it holds slashes, so directories).
let scriptBreaker = "</script><script>alert(1)</script>"
/// A single file name that would run script if it were ever parsed as markup.
let markupName = "<img src=x onerror=\"document.title='pwned'\">&amp;\u{2028}"

/// An image whose two largest files have hostile names, in a place the waste findings list too.
func hostileImage() throws -> (ImageAnalysis, WasteReport) {
  let tar = TarBuilder().file("tmp" + "/" + scriptBreaker, size: 60_000).file("srv/" + markupName, size: 40_000)
    .file("srv/plain", size: 10_000)
  return try analysed([(tar, "/bin/sh -c echo '</script><b>x</b>'")], tag: "evil:<script>alert(2)</script>")
}

@Suite("HTML report: the page")
struct HTMLReportTests {
  @Test func the_data_block_holds_the_json_report_unchanged() throws {
    let (analysis, waste) = try analysedFixture("images/wasteful/wasteful.tar")
    let page = HTMLReport.render([HTMLImage(analysis, waste: waste, toolVersion: "9.9")])
    let data = try dataBlock(of: page)
    #expect(data["format"] == "strata-html" && data["version"] == 1)
    #expect(data["images"]?.arrayValue?.count == 1)
    #expect(
      data["images"]?.arrayValue?.first?["report"]
        == JSONReport.build(analysis, waste: waste, top: 20, toolVersion: "9.9"))
    let view = try #require(data["images"]?.arrayValue?.first?["view"])
    #expect(view["commands"]?.arrayValue?.count == 10)
    #expect(view["commands"]?.arrayValue?[6] == "mkdir -p /opt/app && cp /app/data/model.bin /opt/app/model.bin")
    #expect(view["categoryTitles"]?["package-cache"] == "Package-manager indexes and caches")
    #expect(data["comparison"] == .null)
  }

  @Test func long_lists_the_page_does_not_draw_are_cut_and_counted() throws {
    let (analysis, waste) = try analysedFixture("images/wasteful/wasteful.tar")
    let full = JSONReport.build(analysis, waste: waste, top: 20, toolVersion: "1")
    #expect(full["dive"]?["inefficiencies"]?.arrayValue?.count == 18)
    let image = HTMLImage(analysis, waste: waste, toolVersion: "1", listLimit: 3)
    #expect(
      image.report["dive"]?["inefficiencies"]?.arrayValue
        == Array(full["dive"]?["inefficiencies"]?.arrayValue?.prefix(3) ?? []))
    #expect(image.omitted == ["dive.inefficiencies": 15])
    #expect(image.json["view"]?["omitted"] == ["dive.inefficiencies": 15])
    // Everything else is the JSON report's.
    for key in [
      "schemaVersion", "tool", "image", "summary", "layers", "history", "largestFiles", "largestDirectories", "waste",
      "anomalies",
    ] {
      #expect(image.report[key] == full[key], "\(key)")
    }
    #expect(image.report["dive"]?["wastedBytes"] == full["dive"]?["wastedBytes"])
    #expect(HTMLImage(analysis, waste: waste, toolVersion: "1").omitted.isEmpty)
  }

  @Test func the_page_loads_nothing() throws {
    let (analysis, waste) = try analysedFixture("images/wasteful/wasteful.tar")
    let page = HTMLReport.render([HTMLImage(analysis, waste: waste, toolVersion: "1")])
    for forbidden in ["<link", "src=", "url(", "@import", "@font-face", "fetch(", "XMLHttpRequest", "import("] {
      #expect(!page.contains(forbidden), "the page has \(forbidden)")
    }
    // The only address is the SVG namespace name, which is never fetched.
    #expect(page.ranges(of: "http://").count == page.ranges(of: "http://www.w3.org/2000/svg").count)
    #expect(!page.contains("https://"))
    #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
  }

  @Test func the_script_makes_text_nodes_never_markup() {
    for forbidden in [
      "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "srcdoc",
    ] {
      #expect(!HTMLScript.source.contains(forbidden), "the script uses \(forbidden)")
    }
  }

  @Test func hostile_names_stay_inside_the_data_block_as_escaped_json() throws {
    let (analysis, waste) = try hostileImage()
    let page = HTMLReport.render([HTMLImage(analysis, waste: waste, toolVersion: "1")])
    #expect(occurrences(of: "<script", in: page) == 2, "the data block and the script, nothing else")
    #expect(occurrences(of: "</script", in: page) == 2)
    #expect(!page.contains("<script>alert"))
    #expect(!page.contains("<img"))
    #expect(!page.contains("\u{2028}"))
    #expect(page.contains(#"<title>strata: evil:&lt;script&gt;alert(2)&lt;/script&gt;</title>"#))
    // The names come back whole from the block.
    let data = try dataBlock(of: page)
    let report = try #require(data["images"]?.arrayValue?.first?["report"])
    let paths = report["largestFiles"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
    #expect(paths.prefix(2) == ["/tmp/" + scriptBreaker, "/srv/" + markupName])
    let leftovers = report["waste"]?["findings"]?.arrayValue?.first { $0["category"] == "leftover" }
    #expect(leftovers?["paths"]?.arrayValue?.first?["path"]?.stringValue == "/tmp/" + scriptBreaker)
    #expect(data["images"]?.arrayValue?.first?["view"]?["commands"] == ["echo '</script><b>x</b>'"])
  }

  @Test func several_images_and_a_comparison_share_one_page() throws {
    let (page, comparison, _, _) = try comparisonPage()
    let data = try dataBlock(of: page)
    #expect(data["images"]?.arrayValue?.count == 2)
    #expect(data["comparison"] == comparison)
    #expect(
      page.contains("<title>strata: localhost/strata/wasteful:latest vs localhost/strata/wasteful-clean:latest</title>")
    )
  }
}

@Suite("HTML escaping")
struct HTMLEscapeTests {
  @Test func markup_characters_become_references() {
    #expect(HTMLEscape.text(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    #expect(HTMLEscape.text("bell\u{07}") == "bell\\x07")
  }

  @Test func script_json_has_no_markup_and_parses_to_the_same_value() throws {
    let value: JSONValue = ["name": .string(scriptBreaker + markupName + "\u{2029}<!-- -->"), "n": 1]
    let escaped = HTMLEscape.scriptJSON(value.serialized(pretty: false))
    for character in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
      #expect(!escaped.contains(character), "\(character.unicodeScalars.map { $0.value }) left")
    }
    #expect(escaped.contains(#"\u003c/script\u003e"#))
    #expect(escaped.contains(#"\u2029\u003c!--"#))
    #expect(try JSONValue.parse(escaped) == value)
  }

  @Test func escaping_leaves_other_text_alone() throws {
    // U+2027 and U+202A share U+2028's first two UTF-8 bytes (E2 80) and stay as they are.
    let value: JSONValue = [
      "path": "/usr/lib/x86_64-linux-gnu/libc.so.6", "emoji": "日本語 🚀", "slash": "a\\b\"c", "near": "\u{2027}\u{202A}…",
    ]
    let serialized = value.serialized(pretty: false)
    #expect(HTMLEscape.scriptJSON(serialized) == serialized)
  }
}
