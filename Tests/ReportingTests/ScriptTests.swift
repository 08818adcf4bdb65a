import Foundation
import JSONIO
@testable import Reporting
import Testing
import TestSupport

/// A small deterministic generator (SplitMix64), so the cases are the same on every run.
struct SeededNumbers {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in 0..<1.
  mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}

/// One layout problem: values (largest first) and the rectangle to tile.
struct LayoutCase {
  var values: [Double]
  var x, y, w, h: Double

  var json: JSONValue {
    ["values": .array(values.map { .real($0) }), "x": .real(x), "y": .real(y), "w": .real(w), "h": .real(h)]
  }
}

/// Runs the report's script on a page of its own and returns what `driver` put in `<pre id="out">`.
func runScript(_ driver: String) throws -> JSONValue {
  let page = """
    <!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out"></pre><script>
    \(HTMLScript.source)
    \(driver)
    </script></body></html>
    """
  let dom = try rendered(page)
  let start = try #require(dom.firstRange(of: "<pre id=\"out\">"))
  let end = try #require(dom[start.upperBound...].firstRange(of: "</pre>"))
  return try JSONValue.parse(unescape(String(dom[start.upperBound..<end.lowerBound])))
}

@Suite(
  "The report script in Chromium: treemap layout and number formats", .serialized,
  .enabled(if: Chromium.path != nil, Comment(rawValue: Chromium.missing)))
struct ScriptTests {
  static let cases: [LayoutCase] = {
    var random = SeededNumbers(state: 2024)
    var cases: [LayoutCase] = [
      LayoutCase(values: [5], x: 0, y: 0, w: 300, h: 200),
      LayoutCase(values: Array(repeating: 1, count: 12), x: 10, y: 20, w: 400, h: 300),
      LayoutCase(values: [1e12, 1], x: 0, y: 0, w: 1400, h: 700),
      LayoutCase(values: [6, 6, 4, 3, 2, 2, 1], x: 0, y: 0, w: 600, h: 400),  // the paper's example
      LayoutCase(values: [3, 2, 1], x: 5, y: 5, w: 2, h: 900),  // a sliver
    ]
    for _ in 0..<60 {
      let count = 1 + Int(random.unit() * 80)
      // Sizes spread over nine orders of magnitude, as file sizes are.
      let values = (0..<count).map { _ in (pow(10, random.unit() * 9) * 1000).rounded() }.sorted(by: >)
      cases.append(
        LayoutCase(
          values: values, x: (random.unit() * 50).rounded(), y: (random.unit() * 50).rounded(),
          w: 1 + (random.unit() * 1600).rounded(), h: 1 + (random.unit() * 1000).rounded()))
    }
    return cases
  }()

  @Test func squarify_tiles_the_rectangle_with_areas_proportional_to_the_values() throws {
    let output = try runScript(
      "const cases = \(JSONValue.array(Self.cases.map(\.json)).serialized(pretty: false));\n"
        + "document.getElementById('out').textContent = JSON.stringify(cases.map((c) => squarify(c.values, c.x, c.y, c.w, c.h)));"
    )
    let layouts = try #require(output.arrayValue)
    #expect(layouts.count == Self.cases.count)
    for (layoutCase, layout) in zip(Self.cases, layouts) {
      let rects = try (layout.arrayValue ?? []).map { rect in
        try ["x", "y", "w", "h"].map { try #require(rect[$0]?.doubleValue) }
      }
      try #require(rects.count == layoutCase.values.count)
      let area = layoutCase.w * layoutCase.h
      let total = layoutCase.values.reduce(0, +)
      let tolerance = 1e-7 * area
      for (value, rect) in zip(layoutCase.values, rects) {
        let (x, y, w, h) = (rect[0], rect[1], rect[2], rect[3])
        #expect(w >= 0 && h >= 0)
        #expect(abs(w * h - value / total * area) <= tolerance, "area of \(value) in \(layoutCase.w)×\(layoutCase.h)")
        #expect(x >= layoutCase.x - 1e-6 && y >= layoutCase.y - 1e-6)
        #expect(x + w <= layoutCase.x + layoutCase.w + 1e-6 && y + h <= layoutCase.y + layoutCase.h + 1e-6)
      }
      for i in rects.indices {
        for j in rects.indices where j > i {
          let a = rects[i], b = rects[j]
          let shared =
            max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
            * max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
          #expect(shared <= tolerance, "rectangles \(i) and \(j) overlap by \(shared)")
        }
      }
    }
  }

  @Test func squarified_rectangles_stay_close_to_squares() throws {
    let equal = LayoutCase(values: Array(repeating: 1, count: 16), x: 0, y: 0, w: 400, h: 400)
    let output = try runScript(
      "const c = \(equal.json.serialized(pretty: false));\n"
        + "document.getElementById('out').textContent = JSON.stringify(squarify(c.values, c.x, c.y, c.w, c.h));")
    for rect in output.arrayValue ?? [] {
      let w = rect["w"]?.doubleValue ?? 0, h = rect["h"]?.doubleValue ?? 0
      #expect(abs(w - 100) < 1e-9 && abs(h - 100) < 1e-9, "16 equal values in a square are a 4×4 grid")
    }
  }

  @Test func numbers_read_as_in_the_text_report() throws {
    let bytes: [Int64] = [
      0, 1, 999, 1000, 1005, 1015, 9994, 9995, 9999, 99_949, 99_950, 99_994, 99_995, 999_994, 999_995, 999_999,
      1_000_000, 1_982_256, 2_520_363, 2_966_048, 584_107, 880_272, 123_456_789, 999_995_000, 1_099_511_627_776,
      9_007_199_254_740_991,
    ]
    let fractions = [
      0, 1, 0.8497477218568, 0.29678278975930262, 0.9844212134184309, 0.000_050_000_1, 0.123_456_785, 0.5,
    ]
    let output = try runScript(
      "const bytes = \(JSONValue.array(bytes.map { .integer($0) }).serialized(pretty: false));\n"
        + "const fractions = \(JSONValue.array(fractions.map { .real($0) }).serialized(pretty: false));\n"
        + "document.getElementById('out').textContent = JSON.stringify({ human: bytes.map(human), grouped: bytes.map(grouped), percent: fractions.map(percent) });"
    )
    #expect(output["human"] == .array(bytes.map { .string(ByteFormat.human($0)) }))
    #expect(output["grouped"] == .array(bytes.map { .string(ByteFormat.grouped($0)) }))
    #expect(output["percent"] == .array(fractions.map { .string(ByteFormat.percent($0)) }))
  }
}
