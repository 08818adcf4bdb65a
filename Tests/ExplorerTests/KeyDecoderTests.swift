import Testing

@testable import Explorer

@Suite("Key decoding")
struct KeyDecoderTests {
  func decode(_ text: String) -> [KeyStroke] {
    var decoder = KeyDecoder()
    return decoder.feed(Array(text.utf8)) + decoder.flush()
  }

  @Test(arguments: [
    ("\u{1B}[A", KeyStroke.up), ("\u{1B}[B", .down), ("\u{1B}[C", .right), ("\u{1B}[D", .left),
    ("\u{1B}OA", .up), ("\u{1B}[H", .home), ("\u{1B}[F", .end), ("\u{1B}[1~", .home), ("\u{1B}[4~", .end),
    ("\u{1B}[5~", .pageUp), ("\u{1B}[6~", .pageDown), ("\u{1B}[3~", .delete), ("\u{1B}[Z", .backTab),
    ("\u{1B}[1;5A", .up), ("\r", .enter), ("\t", .tab), ("\u{7F}", .backspace), ("\u{0}", .control(" ")),
    ("\u{1}", .control("a")), ("\u{3}", .control("c")), ("\u{6}", .control("f")), ("\u{C}", .control("l")),
    ("\u{15}", .control("u")), ("q", .character("q")), ("/", .character("/")), ("名", .character("名")),
    ("\u{1B}[109;5u", .control("m")), ("\u{1B}[27u", .escape), ("\u{1B}[97;5u", .control("a")),
    ("\u{1B}[27;5;109~", .control("m")), ("\u{1B}[13u", .enter), ("\u{1B}[9;2u", .backTab),
  ])
  func decodes_one_key(bytes: String, key: KeyStroke) {
    #expect(decode(bytes) == [key])
  }

  @Test func a_burst_of_keys_decodes_in_order() {
    #expect(decode("j\u{1B}[Bk ") == [.character("j"), .down, .character("k"), .character(" ")])
  }

  @Test func a_sequence_split_between_reads_waits_for_the_rest() {
    var decoder = KeyDecoder()
    #expect(decoder.feed([0x1B, 0x5B]).isEmpty)
    #expect(decoder.hasPending)
    #expect(decoder.feed([0x41]) == [.up])
    #expect(decoder.feed([0xE5, 0x90]).isEmpty)
    #expect(decoder.feed([0x8D]) == [.character("名")])
  }

  @Test func a_lone_escape_is_escape_once_flushed() {
    var decoder = KeyDecoder()
    #expect(decoder.feed([0x1B]).isEmpty)
    #expect(decoder.flush() == [.escape])
    #expect(!decoder.hasPending)
  }

  @Test func escape_followed_by_a_key_is_both() {
    #expect(decode("\u{1B}q") == [.escape, .character("q")])
    #expect(decode("\u{1B}\u{1B}[A") == [.escape, .up])
  }

  @Test func ctrl_c_is_the_interrupt() {
    #expect(KeyStroke.control("c").isInterrupt)
    #expect(!KeyStroke.character("c").isInterrupt)
  }
}
