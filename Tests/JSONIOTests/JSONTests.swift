import Foundation
import JSONIO
import Testing

@Suite("JSON parsing")
struct JSONParseTests {
  @Test("every JSON type parses to the matching case")
  func types() throws {
    let value = try JSONValue.parse(
      #"{"n": null, "t": true, "f": false, "i": -42, "r": 1.5, "s": "x\u00e9\n", "a": [1, "two", [3]], "o": {"k": {}}}"#
    )
    #expect(value["n"] == .null)
    #expect(value["n"]?.isNull == true)
    #expect(value["t"]?.boolValue == true)
    #expect(value["f"] == .bool(false))
    #expect(value["i"] == .integer(-42))
    #expect(value["r"] == .real(1.5))
    #expect(value["s"]?.stringValue == "xé\n")
    #expect(value["a"]?.arrayValue?.count == 3)
    #expect(value["a"]?.arrayValue?[2] == .array([.integer(3)]))
    #expect(value["o"]?["k"] == .object(JSONObject()))
    #expect(value["missing"] == nil)
    #expect(value["s"]?["k"] == nil, "subscripting a non-object gives nil")
  }

  @Test("scalars are accepted at the top level")
  func topLevelScalars() throws {
    #expect(try JSONValue.parse("3") == .integer(3))
    #expect(try JSONValue.parse("\"x\"") == .string("x"))
    #expect(try JSONValue.parse(" null ") == .null)
  }

  @Test("object keys keep document order, not sorted order")
  func insertionOrder() throws {
    let keys = ["zeta", "alpha", "Mid", "beta", "1", "", "ä"]
    let text = "{" + keys.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ",") + "}"
    let object = try #require(try JSONValue.parse(text).objectValue)
    #expect(object.keys == keys)
    #expect(object.pairs.map(\.key) == keys)
    #expect(object.pairs.map(\.value) == (0..<keys.count).map { .integer(Int64($0)) })
    #expect(object.count == keys.count)
  }

  @Test("duplicate keys are rejected")
  func duplicates() {
    let error = #expect(throws: JSONError.self) { try JSONValue.parse(#"{"a": 1, "b": 2, "a": 3}"#) }
    #expect(error?.text.contains("duplicate") == true, "\(String(describing: error))")
    #expect(throws: JSONError.self) { try JSONValue.parse(#"[{"x": {"k": 1, "k": 1}}]"#) }
  }

  @Test("errors carry the line and column of the problem")
  func lineAndColumn() throws {
    let text = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}"
    let error = try #require(#expect(throws: JSONError.self) { try JSONValue.parse(text) })
    #expect(error.line == 3)
    #expect(error.column > 0)
    #expect(error.description.hasPrefix("invalid JSON at line 3, column \(error.column): "))
    let truncated = try #require(#expect(throws: JSONError.self) { try JSONValue.parse("{\n\"a\": [1,\n2") })
    #expect(truncated.line >= 2)
  }

  @Test(
    "malformed documents are rejected",
    arguments: ["", "{", "[1,]", "{'a': 1}", "tru", "01", "\"unterminated", "[1] [2]", "{\"a\" 1}", "NaN"])
  func malformed(text: String) {
    #expect(throws: JSONError.self) { try JSONValue.parse(text) }
  }

  @Test("an empty document says so")
  func emptyDocument() {
    let error = #expect(throws: JSONError.self) { try JSONValue.parse([UInt8]()) }
    #expect(error?.text == "empty document")
    #expect(error?.description.hasSuffix(": empty document") == true)
  }

  @Test("bytes that are not UTF-8 are rejected")
  func invalidUTF8() {
    #expect(throws: JSONError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
  }

  @Test("nesting deeper than the parser's limit is an error, not a crash", arguments: [5_000, 100_000])
  func deepNesting(depth: Int) {
    let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    #expect(throws: JSONError.self) { try JSONValue.parse(text) }
    let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
    #expect(throws: JSONError.self) { try JSONValue.parse(objects) }
  }

  @Test("moderate nesting is fine")
  func moderateNesting() throws {
    let depth = 500
    var value = try JSONValue.parse(String(repeating: "[", count: depth) + "7" + String(repeating: "]", count: depth))
    for _ in 0..<depth { value = try #require(value.arrayValue?.first) }
    #expect(value == .integer(7))
  }

  @Test("integers are exact up to the Int64 limits")
  func integerLimits() throws {
    #expect(try JSONValue.parse("9223372036854775807") == .integer(Int64.max))
    #expect(try JSONValue.parse("-9223372036854775808") == .integer(Int64.min))
    #expect(try JSONValue.parse("[9007199254740993]") == .array([.integer(9_007_199_254_740_993)]))
    #expect(try JSONValue.parse("9007199254740993").integerValue == 9_007_199_254_740_993)
  }

  @Test(
    "integers beyond Int64 are an error, not a silent wrap",
    arguments: ["9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"])
  func integerOverflow(text: String) {
    #expect(throws: JSONError.self) { try JSONValue.parse(text) }
  }

  @Test("strings with NUL, escapes and astral characters survive")
  func strings() throws {
    #expect(try JSONValue.parse(#""a\u0000b""#) == .string("a\u{0}b"))
    #expect(try JSONValue.parse(#""\ud83c\udf89 \/ \"""#) == .string("🎉 / \""))
    // jansson refuses NUL inside object keys (strings are fine).
    #expect(throws: JSONError.self) { try JSONValue.parse(#"{"k\u0000ey": 1}"#) }
  }
}

@Suite("JSON accessors")
struct JSONAccessorTests {
  @Test("integerValue accepts whole reals in the exact range only")
  func integerValue() {
    #expect(JSONValue.real(3.0).integerValue == 3)
    #expect(JSONValue.real(-2.0).integerValue == -2)
    #expect(JSONValue.real(3.5).integerValue == nil)
    #expect(JSONValue.real(1e16).integerValue == nil)
    #expect(JSONValue.real(.infinity).integerValue == nil)
    #expect(JSONValue.real(.nan).integerValue == nil)
    #expect(JSONValue.string("3").integerValue == nil)
  }

  @Test("doubleValue covers both number cases")
  func doubleValue() {
    #expect(JSONValue.integer(4).doubleValue == 4)
    #expect(JSONValue.real(0.25).doubleValue == 0.25)
    #expect(JSONValue.bool(true).doubleValue == nil)
  }

  @Test("typeDescription names each type")
  func typeDescriptions() {
    let values: [JSONValue] = [
      .null, .bool(true), .integer(1), .real(1), .string(""), .array([]), .object(JSONObject()),
    ]
    #expect(
      values.map(\.typeDescription) == [
        "null", "a boolean", "a number", "a number", "a string", "an array", "an object",
      ])
  }

  @Test("JSONObject keeps insertion order, replaces in place and removes")
  func objectEditing() {
    var object = JSONObject()
    object["b"] = 1
    object["a"] = 2
    object["b"] = 3
    #expect(object.keys == ["b", "a"])
    #expect(object["b"] == .integer(3))
    object["b"] = nil
    #expect(object.keys == ["a"])
    object["b"] = 4
    #expect(object.keys == ["a", "b"])
    object["zzz"] = nil
    #expect(object.count == 2)
    let literal: JSONValue = ["y": 1, "x": [true, nil, 2.5, "s"]]
    #expect(literal.objectValue?.keys == ["y", "x"])
    #expect(JSONObject(["q": 1, "p": 2]).keys == ["q", "p"])
  }
}

@Suite("JSON serialisation")
struct JSONSerializeTests {
  static let sample: JSONValue = [
    "name": "strata", "zeta": 1, "alpha": [1, 2.5, "x", nil, true, false],
    "nested": ["k": ["deep": "é🎉\"\\\n\t\u{1}"]], "empty": [:], "list": [],
    "max": .integer(Int64.max), "min": .integer(Int64.min),
  ]

  @Test("serialise then parse gives the same value, pretty or compact", arguments: [true, false])
  func roundTrip(pretty: Bool) throws {
    let text = Self.sample.serialized(pretty: pretty)
    #expect(text.hasSuffix("\n"))
    #expect(try JSONValue.parse(text) == Self.sample)
  }

  @Test("key order is written as inserted")
  func orderWritten() {
    let text = Self.sample.serialized(pretty: false)
    let positions = ["\"name\"", "\"zeta\"", "\"alpha\"", "\"nested\"", "\"empty\"", "\"list\"", "\"max\"", "\"min\""]
      .map {
        text.range(of: $0)?.lowerBound
      }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
  }

  @Test("compact output has no spaces or newlines inside, pretty output indents by two")
  func layout() {
    let value: JSONValue = ["a": [1, 2], "b": ["c": nil]]
    #expect(value.serialized(pretty: false) == "{\"a\":[1,2],\"b\":{\"c\":null}}\n")
    #expect(
      value.serialized(pretty: true) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}\n")
  }

  @Test(
    "reals read back as the same Double",
    arguments: [
      0.1, 1.0 / 3.0, 2.0, -0.0, 1e300, .leastNonzeroMagnitude, 123456.789, Double.pi, 0.8497482171562969,
      0.9844212134184309,
      2.2250738585072014e-308,
    ])
  func realRoundTrip(value: Double) throws {
    let parsed = try JSONValue.parse(JSONValue.real(value).serialized(pretty: false))
    guard case .real(let back) = parsed else {
      Issue.record("\(value) read back as \(parsed)")
      return
    }
    #expect(back == value)
    #expect(back.sign == value.sign)
  }

  @Test("non-finite reals become null")
  func nonFinite() {
    #expect(JSONValue.real(.nan).serialized(pretty: false) == "null\n")
    #expect(JSONValue.array([.real(.infinity)]).serialized(pretty: false) == "[null]\n")
  }

  @Test("scalars serialise at the top level")
  func scalars() {
    #expect(JSONValue.integer(5).serialized() == "5\n")
    #expect(JSONValue.string("a\"b").serialized() == "\"a\\\"b\"\n")
    #expect(JSONValue.null.serialized() == "null\n")
  }

  @Test("strings with NUL round-trip")
  func nulRoundTrip() throws {
    var object = JSONObject()
    object["k"] = .string("v\u{0}v")
    let value = JSONValue.object(object)
    #expect(value.serialized(pretty: false) == "{\"k\":\"v\\u0000v\"}\n")
    #expect(try JSONValue.parse(value.serialized()) == value)
  }

  @Test("a large document round-trips")
  func largeDocument() throws {
    let value = JSONValue.array(
      (0..<5_000).map { index in ["i": .integer(Int64(index)), "s": .string("item \(index)")] })
    #expect(try JSONValue.parse(value.serialized(pretty: false)) == value)
  }
}

@Suite("JSON writing in pieces")
struct JSONStreamTests {
  /// A document of about 300 kB, so that it crosses several 64 KiB pieces.
  static let large: JSONValue = {
    var root = JSONObject()
    root["schema"] = 1
    root["entries"] = .array(
      (0..<5_000).map { number in
        [
          "path": .string("/usr/lib/file-\(number)-é"), "bytes": .integer(Int64(number) * 4096),
          "ratio": .real(0.1 * Double(number)),
        ]
      })
    return .object(root)
  }()

  @Test("the pieces put together are exactly the serialised text", arguments: [true, false])
  func piecesEqualText(pretty: Bool) {
    let expected = Self.large.serialized(pretty: pretty)
    var collected: [UInt8] = []
    var sizes: [Int] = []
    let value = Self.large
    let ok = value.write(pretty: pretty) { piece in
      sizes.append(piece.count)
      collected.append(contentsOf: piece)
      return true
    }
    #expect(ok)
    #expect(sizes.count > 1, "a 300 kB document arrives in more than one piece")
    // jansson's tokens are gathered: every piece but the last fills the whole 64 KiB.
    #expect(sizes.dropLast().allSatisfy { $0 == 64 * 1024 })
    #expect((1...64 * 1024).contains(sizes.last ?? 0))
    #expect(String(decoding: collected, as: UTF8.self) == expected)
  }

  @Test("a failing sink stops the writing and is reported")
  func failingSink() {
    var calls = 0
    let value = Self.large
    let ok = value.write { _ in
      calls += 1
      return false
    }
    #expect(!ok)
    #expect(calls == 1)
  }
}

@Suite("JSON objects")
struct JSONObjectTests {
  @Test("equality compares keys in order and values")
  func equality() {
    let one = JSONObject(["a": 1, "b": 2])
    #expect(one == JSONObject(["a": 1, "b": 2]))
    #expect(one != JSONObject(["b": 2, "a": 1]))
    #expect(one != JSONObject(["a": 1, "b": 3]))
    #expect(one != JSONObject(["a": 1]))
  }

  @Test("a parsed object with many keys keeps them all, in document order")
  func manyKeys() throws {
    let text = "{" + (0..<20_000).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
    let object = try #require(try JSONValue.parse(text).objectValue)
    #expect(object.count == 20_000)
    #expect(object.keys.first == "k0")
    #expect(object.keys.last == "k19999")
    #expect(object["k12345"] == .integer(12345))
  }
}
