import Testing
import YAMLIO

@Suite("YAML documents composed from libyaml's events")
struct YAMLComposerTests {
  /// The error `text` gives, or nil when it composes.
  func failure(_ text: String) -> YAMLError? {
    do {
      _ = try YAMLNode.compose(text)
      return nil
    } catch {
      return error
    }
  }

  @Test("nested mappings and sequences keep their order, and each node its line")
  func nested() throws {
    let text = """
      ci:
        max-image-size:
          warn: 3MB
          fail: 2MB
        forbid: [a, b]
      waste:
        - glob: x
        -
          - 1
          - 2
      """
    let root = try #require(try YAMLNode.compose(text))
    let top = try #require(root.mapping)
    #expect(top.map { $0.key.scalar?.text } == ["ci", "waste"])
    #expect(top.map(\.key.line) == [1, 6])
    let ci = try #require(top[0].value.mapping)
    #expect(ci.map { $0.key.scalar?.text } == ["max-image-size", "forbid"])
    #expect(ci.map(\.key.line) == [2, 5])
    // A block mapping starts at its first key.
    #expect(ci[0].value.line == 3)
    #expect(ci[0].value.mapping?.map { $0.value.scalar?.text } == ["3MB", "2MB"])
    #expect(ci[1].value.sequence?.map { $0.scalar?.text } == ["a", "b"])
    let waste = try #require(top[1].value.sequence)
    #expect(waste.count == 2)
    #expect(waste[0].mapping?.first?.value.scalar == YAMLScalar("x"))
    #expect(waste[1].sequence?.map { $0.scalar?.text } == ["1", "2"])
    #expect(waste[1].sequence?.map(\.line) == [9, 10])
  }

  @Test("duplicate keys are kept, in order; keys may be collections")
  func keys() throws {
    let pairs = try #require(try YAMLNode.compose("a: 1\na: 2\n? [x, y]\n: 3\n")?.mapping)
    #expect(pairs.map { $0.key.scalar?.text } == ["a", "a", nil])
    #expect(pairs.map { $0.value.scalar?.text } == ["1", "2", "3"])
    #expect(pairs[2].key.sequence?.count == 2)
  }

  @Test("quoted and block scalars keep their text and say how they were written")
  func scalars() throws {
    let text = "a: '0x10'\nb: \"x\\ty\\u00e9\"\nc: |\n  one\n  two\nd: >\n  folded\n  text\ne: plain  \nf:\ng: \"\"\n"
    let values = try #require(try YAMLNode.compose(text)?.mapping).map(\.value.scalar)
    #expect(
      values == [
        YAMLScalar("0x10", style: .singleQuoted),
        YAMLScalar("x\tyé", style: .doubleQuoted),
        YAMLScalar("one\ntwo\n", style: .literal),
        YAMLScalar("folded text\n", style: .folded),
        YAMLScalar("plain"),
        YAMLScalar(""),
        YAMLScalar("", style: .doubleQuoted),
      ])
  }

  @Test("an alias is the node its anchor names, line included")
  func aliases() throws {
    let text = "base: &b {a: 1, b: [x]}\nother: *b\nlist:\n  - &s hello\n  - *s\nre: &s again\nlast: *s\n"
    let pairs = try #require(try YAMLNode.compose(text)?.mapping)
    let other = try #require(pairs[1].value.mapping)
    #expect(other.map { $0.key.scalar?.text } == ["a", "b"])
    #expect(pairs[1].value.line == 1)
    #expect(pairs[2].value.sequence?.map { $0.scalar?.text } == ["hello", "hello"])
    // An anchor defined again names the later node from there on.
    #expect(pairs[4].value.scalar?.text == "again")
  }

  @Test("an undefined or self-referencing alias is an error at its line")
  func undefinedAlias() {
    #expect(failure("a: 1\nb: *nope\n") == YAMLError(line: 2, problem: "found undefined alias"))
    #expect(failure("a: &r [1, *r]\n") == YAMLError(line: 1, problem: "found undefined alias"))
  }

  @Test("a billion-laughs document is refused once its aliases pass the node limit")
  func aliasBomb() throws {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      let previous = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
      text += "a\(level): &a\(level) [\(previous)]\n"
    }
    let error = try #require(failure(text))
    #expect(error.problem == "more than \(YAMLNode.maxNodes) nodes once aliases are expanded")
    #expect(error.line == 7)
  }

  @Test("nesting deeper than the limit is an error, not a deep recursion")
  func tooDeep() throws {
    let depth = YAMLNode.maxDepth + 1
    let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    #expect(failure(text) == YAMLError(line: 1, problem: "nested deeper than \(YAMLNode.maxDepth) levels"))
    let allowed = String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1)
    #expect(try YAMLNode.compose(allowed)?.sequence != nil)
  }

  @Test(
    "libyaml's errors keep its problem text and line",
    arguments: [
      ("waste: [1, 2\n", 2, "did not find expected ',' or ']'"),
      ("ci:\n  max-image-size: 1MB\n rules: x\n", 3, "did not find expected key"),
      ("a:\n\tb: 1\n", 2, "found character that cannot start any token"),
      ("a: \"abc\n", 2, "found unexpected end of stream"),
      ("a: 1\nb: 2\nc: \u{07}x\n", 3, "control characters are not allowed"),
    ])
  func syntaxErrors(text: String, line: Int, problem: String) {
    #expect(failure(text) == YAMLError(line: line, problem: problem))
  }

  @Test("a stream without a document composes to nil; an empty document to an empty scalar")
  func emptyDocuments() throws {
    #expect(try YAMLNode.compose("") == nil)
    #expect(try YAMLNode.compose("# only a comment\n") == nil)
    #expect(try YAMLNode.compose("---\n")?.scalar == YAMLScalar(""))
    #expect(try YAMLNode.compose("---\na: 1\n...\n")?.mapping?.count == 1)
  }

  @Test("a second document is refused at its start, as Yams' compose refuses it")
  func multipleDocuments() {
    #expect(failure("a: 1\n---\nb: 2\n") == YAMLError(line: 2, problem: "but found another document"))
    #expect(failure("---\na: 1\n...\n---\n") == YAMLError(line: 4, problem: "but found another document"))
  }

  @Test("the error's description names the line")
  func description() {
    #expect(
      YAMLError(line: 3, problem: "did not find expected key").description
        == "invalid YAML at line 3: did not find expected key")
    #expect(YAMLError(line: 0, problem: "out of memory").description == "invalid YAML: out of memory")
  }
}
