import ImageModel
import Testing

/// `ExactName.bytesPrecede` (memcmp) orders names as their UTF-8 bytes do, the order path lists
/// are written in.
@Suite struct ExactNameOrderTests {
  @Test func bytesPrecedeIsUTF8ByteOrder() {
    let names = [
      "", "a", "A", "ab", "a b", "a/b", "a-b", "abc", "b", "é", "e\u{301}", "ü", "z", "Z", "_", "~", "usr",
      "usr/lib", "usr/lib64", "usr/libexec", "\u{1F4E6}", "a\u{0}b", String(repeating: "x", count: 40),
      String(repeating: "x", count: 39) + "y",
    ]
    var before = 0
    for left in names {
      for right in names {
        let expected = left.utf8.lexicographicallyPrecedes(right.utf8)
        #expect(ExactName.bytesPrecede(left, right) == expected, "\(left.debugDescription) < \(right.debugDescription)")
        if expected { before += 1 }
      }
    }
    #expect(before == names.count * (names.count - 1) / 2)
  }
}
