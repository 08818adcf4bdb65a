import Analysis
import Foundation
import JSONIO
@testable import Reporting
import Testing
import TestSupport

/// A rectangle of the drawn treemap.
struct Box: CustomStringConvertible {
  var x, y, w, h: Double
  var tag: Tag

  init?(_ tag: Tag) {
    guard let x = tag.number("x"), let y = tag.number("y"), let w = tag.number("width"), let h = tag.number("height")
    else { return nil }
    (self.x, self.y, self.w, self.h, self.tag) = (x, y, w, h, tag)
  }

  var area: Double { w * h }
  var description: String { "\(tag["data-name"] ?? "?") [\(x), \(y), \(w)×\(h)]" }

  /// The area two rectangles share.
  func overlap(_ other: Box) -> Double {
    max(0, min(x + w, other.x + other.w) - max(x, other.x)) * max(0, min(y + h, other.y + other.h) - max(y, other.y))
  }
}

/// Writes `page` to a temporary file and returns the DOM Chromium made of it.
func rendered(_ page: String, width: Int = 1400, height: Int = 1000) throws -> String {
  try withTemporaryDirectory { directory in
    let file = directory.appendingPathComponent("report.html")
    try writeFile(file.path, Array(page.utf8))
    return try Chromium.dumpDOM(of: file, width: width, height: height)
  }
}

/// The labels of directory frames (`bin/` followed by its size).
func headLabels(_ dom: String) -> [String] {
  dom.ranges(of: "<text class=\"head\"").compactMap { range in
    let rest = dom[range.lowerBound...]
    guard let end = rest.firstRange(of: "</text>") else { return nil }
    var text = ""
    var inTag = false
    for character in rest[..<end.lowerBound] {
      if character == "<" {
        inTag = true
      } else if character == ">" {
        inTag = false
      } else if !inTag {
        text.append(character)
      }
    }
    return unescape(text)
  }
}

/// The script ran to its end and reported no error.
func expectDrawn(_ dom: String, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(dom.contains("data-strata-ready=\"true\""), "the script did not finish", sourceLocation: sourceLocation)
  #expect(
    dom.contains("<div id=\"strata-errors\" class=\"errors\" hidden=\"\"></div>"), "the page shows an error",
    sourceLocation: sourceLocation)
}

/// Leaves (files and aggregates) never overlap, and all lie inside the drawing.
func expectTiled(_ boxes: [Box], width: Double, height: Double, sourceLocation: SourceLocation = #_sourceLocation) {
  let leaves = boxes.filter { $0.tag["data-kind"] != "dir" }
  for (index, box) in leaves.enumerated() {
    #expect(
      box.x >= -0.05 && box.y >= -0.05 && box.x + box.w <= width + 0.15 && box.y + box.h <= height + 0.15,
      "\(box) leaves the drawing", sourceLocation: sourceLocation)
    for other in leaves[(index + 1)...] where box.overlap(other) > 0.5 {
      Issue.record("\(box) overlaps \(other)", sourceLocation: sourceLocation)
    }
  }
}

@Suite(
  "HTML report in a real browser (headless Chromium)", .serialized,
  .enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.missing)))
struct BrowserTests {
  @Test func the_wasteful_fixture_shows_its_treemap_figures_and_findings() throws {
    let (analysis, waste) = try analysedFixture("images/wasteful/wasteful.tar")
    let image = HTMLImage(analysis, waste: waste, toolVersion: "1")
    let report = JSONReport.build(analysis, waste: waste, top: 20, toolVersion: "1")
    let dom = try rendered(HTMLReport.render([image]))
    expectDrawn(dom)

    // The treemap: the top level tiles the drawing, area proportional to bytes.
    let map = try #require(Tag.all("svg", in: dom).first { $0["class"] == "treemap" })
    let width = try #require(map.number("width")), height = try #require(map.number("height"))
    #expect(width > 800 && height >= 380)
    let boxes = Tag.all("rect", in: dom).compactMap(Box.init)
    let top = boxes.filter { $0.tag["data-depth"] == "1" }
    let total = Double(analysis.finalBytes)
    let expectedTop = image.treemap.root.children.filter { Double($0.bytes) / total * width * height >= 1 }
    #expect(top.map { $0.tag["data-name"] ?? "?" } == expectedTop.map(\.name))
    for box in top {
      let bytes = try #require(box.tag["data-bytes"].flatMap(Double.init))
      let expected = bytes / total * width * height
      #expect(abs(box.area - expected) <= 0.1 * (box.w + box.h) + 1, "\(box): area \(box.area), expected \(expected)")
    }
    #expect(abs(top.reduce(0) { $0 + $1.area } - width * height) <= 0.01 * width * height)
    expectTiled(boxes, width: width, height: height)

    // The largest directories are labelled with their names and sizes (the size left out when
    // there is no room); a directory whose bytes all sit in one subdirectory is one frame.
    let labels = headLabels(dom)
    for (name, bytes) in [
      ("bin/", 1_982_256), ("var/lib/apt/lists/", 204_800), ("app/", 138_428), ("opt/app/", 102_400),
      ("root/…/pip/", 92_241),
    ] {
      let size = ByteFormat.human(Int64(bytes))
      #expect(labels.contains { $0 == name + size || $0 == name }, "no label for \(name) in \(labels)")
    }
    #expect(dom.contains(">busybox<"), "the largest file is labelled")

    // The summary figures are the JSON report's, formatted as the text report formats them.
    let figures = Tag.all("div", in: dom).filter { $0["data-field"] != nil }
    #expect(figures.count == 5)
    for figure in figures {
      let field = try #require(figure["data-field"])
      let value = try #require(field.split(separator: ".").reduce(Optional(report)) { $0?[String($1)] })
      #expect(figure["data-value"].flatMap(Double.init) == value.doubleValue, "\(field)")
      let text =
        field == "dive.efficiency"
        ? ByteFormat.percent(value.doubleValue ?? 0) : ByteFormat.human(value.integerValue ?? -1)
      #expect(figure.text == text, "\(field)")
    }
    #expect(dom.contains("26.1514 % of the image"))

    // Every finding, in the report's order, with its bytes, title and fix.
    let findings = try #require(report["waste"]?["findings"]?.arrayValue)
    let listed = Tag.all("div", in: dom).filter { $0["class"] == "finding" }
    #expect(listed.map { $0["data-category"] ?? "" } == findings.map { $0["category"]?.stringValue ?? "" })
    #expect(listed.map { $0["data-bytes"] ?? "" } == findings.map { String($0["bytes"]?.integerValue ?? -1) })
    for finding in findings {
      #expect(dom.contains(escapedText(finding["title"]?.stringValue ?? "?")))
      let fixes = finding["fixes"]?.arrayValue?.compactMap(\.stringValue) ?? ["?"]
      #expect(dom.contains(escapedText(fixes.joined(separator: " "))))
    }

    // One row per layer, with the layer's size.
    let rows = Tag.all("tr", in: dom).filter { $0["data-layer"] != nil }
    #expect(rows.count == 10)
    let sizes = Tag.all("td", in: dom).filter { $0["class"] == "num" && $0["data-value"] != nil }.map {
      $0["data-value"] ?? ""
    }
    #expect(stride(from: 0, to: sizes.count, by: 4).map { sizes[$0] } == analysis.layers.map { String($0.sizeBytes) })
  }

  @Test func the_screenshot_is_a_png_of_the_window() throws {
    let (analysis, waste) = try analysedFixture("images/wasteful/wasteful.tar")
    let png = try withTemporaryDirectory { directory in
      let page = directory.appendingPathComponent("report.html")
      try writeFile(page.path, Array(HTMLReport.render([HTMLImage(analysis, waste: waste, toolVersion: "1")]).utf8))
      let shot = directory.appendingPathComponent("report.png")
      try Chromium.screenshot(of: page, to: shot)
      return try readFile(shot.path)
    }
    #expect(png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    let size = png.count >= 24 ? png[16..<24].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } : 0
    #expect(size == UInt64(1400) << 32 | 1000, "1400 × 1000")
    #expect(png.count > 30_000, "a blank page compresses to a few kB")
  }

  @Test func clicking_zooms_switching_colours_by_waste_and_hovering_explains() throws {
    let (analysis, waste) = try analysedFixture("images/wasteful/wasteful.tar")
    let driver = """
      <script>
      const map = document.querySelector('svg.treemap');
      const frame = [...map.querySelectorAll('rect[data-kind="dir"]')].find((r) => r.getAttribute('data-name') === 'app');
      frame.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      document.querySelector('button[data-mode="waste"]').click();
      const model = [...map.querySelectorAll('rect')].find((r) => r.getAttribute('data-name') === 'model.bin');
      model.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: 100, clientY: 100 }));
      </script>
      </body>
      """
    let page = HTMLReport.render([HTMLImage(analysis, waste: waste, toolVersion: "1")]).replacingOccurrences(
      of: "</body>", with: driver)
    let dom = try rendered(page)
    expectDrawn(dom)
    let app = try #require(
      HTMLImage(analysis, waste: waste, toolVersion: "1").treemap.root.children.first { $0.name == "app" })
    let map = try #require(Tag.all("svg", in: dom).first { $0["class"] == "treemap" })
    let width = try #require(map.number("width")), height = try #require(map.number("height"))
    let boxes = Tag.all("rect", in: dom).compactMap(Box.init)
    let top = boxes.filter { $0.tag["data-depth"] == "1" }
    #expect(top.map { $0.tag["data-name"] ?? "?" } == app.children.filter { $0.bytes > 0 }.map(\.name))
    for box in top {
      let bytes = try #require(box.tag["data-bytes"].flatMap(Double.init))
      #expect(abs(box.area - bytes / Double(app.bytes) * width * height) <= 0.1 * (box.w + box.h) + 1, "\(box)")
    }
    expectTiled(boxes, width: width, height: height)
    #expect(dom.contains("<button type=\"button\" aria-current=\"location\">app</button>"), "breadcrumbs end at app")
    let model = try #require(boxes.first { $0.tag["data-name"] == "model.bin" })
    #expect(model.tag["fill"] == "#ff9da7" && model.tag["data-waste"] == "duplicate")
    #expect(dom.contains("<div class=\"path\">/app/data/model.bin</div>"))
    #expect(dom.contains("waste: Duplicate content at different paths"))
    #expect(dom.contains("layer 8: <span class=\"dim\">chown -R 1000:1000 /app &amp;&amp; chmod -R g+w /app</span>"))
  }

  @Test func hostile_names_are_shown_as_text_and_never_run() throws {
    let (analysis, waste) = try hostileImage()
    let dom = try rendered(HTMLReport.render([HTMLImage(analysis, waste: waste, toolVersion: "1")]))
    expectDrawn(dom)
    #expect(dom.contains("<title>strata: evil:&lt;script&gt;alert(2)&lt;/script&gt;</title>"))
    #expect(!dom.contains("pwned</title>"))
    #expect(occurrences(of: "<script", in: dom) == 2)
    #expect(!dom.contains("<img"))
    let breaker = escapedText("/tmp/" + scriptBreaker)
    #expect(occurrences(of: breaker, in: dom) >= 2, "in the largest files and in the leftover finding")
    #expect(dom.contains(escapedText("/srv/" + markupName)))
    let names = Tag.all("rect", in: dom).compactMap { $0["data-name"] }
    // `/tmp/</script><script>alert(1)</script>` is the directories `<` and
    // `script><script>alert(1)<`, drawn as one frame under /tmp, and the file `script>`.
    #expect(names.contains("tmp") && names.contains("script>"))
    #expect(names.contains(markupName))
    #expect(headLabels(dom).contains { $0.hasPrefix("tmp/</script><script>alert(1)</") })
    #expect(dom.contains("<code>echo '&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;'</code>"), "the layer's command, as text")
    #expect(!dom.contains("<b>x</b>"))
  }

  @Test func several_images_open_with_their_comparison() throws {
    let (page, _, wasteful, clean) = try comparisonPage()
    let dom = try rendered(page)
    expectDrawn(dom)
    #expect(Tag.all("svg", in: dom).filter { $0["class"] == "treemap" }.count == 2)
    #expect(dom.contains("<a href=\"#image-0\">localhost/strata/wasteful:latest</a>"))
    #expect(dom.contains("<a href=\"#image-1\">localhost/strata/wasteful-clean:latest</a>"))
    #expect(
      dom.contains(
        "<th>Filesystem</th><td class=\"num\">\(ByteFormat.human(wasteful.finalBytes))</td><td class=\"num\">\(ByteFormat.human(clean.finalBytes))</td>"
      ))
    #expect(
      dom.contains(
        "<td>localhost/strata/wasteful:latest, localhost/strata/wasteful-clean:latest</td><td><code>ADD busybox</code></td>"
      ))
  }
}
