import ArchiveIO
import CMultibyte
import Foundation
import Glibc
import TestSupport
import Testing

/// strata's `mbrtowc` (CMultibyte) answers ASCII bytes itself and everything else through
/// glibc's: every answer must be glibc's, and libarchive must be calling it.
@Suite struct MultibyteFastPathTests {
  /// One conversion: the return value, the wide character stored, and whether the state is
  /// back in the initial one.
  struct Answer: Equatable {
    var result: Int
    var character: UInt32
    var initial: Bool
  }

  /// Converts `bytes` (up to `count` of them) from `state` with `function`.
  private static func convert(
    _ bytes: [UInt8], count: Int, from state: mbstate_t,
    with function: (UnsafeMutablePointer<wchar_t>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<mbstate_t>?) -> Int
  ) -> Answer {
    var state = state
    var character: wchar_t = 0x7777
    let result = bytes.map { CChar(bitPattern: $0) }.withUnsafeBufferPointer { buffer in
      function(&character, buffer.baseAddress, count, &state)
    }
    return Answer(result: result, character: UInt32(bitPattern: character), initial: mbsinit(&state) != 0)
  }

  private static func ours(_ bytes: [UInt8], count: Int, from state: mbstate_t = mbstate_t()) -> Answer {
    convert(bytes, count: count, from: state) { mbrtowc($0, $1, $2, $3) }
  }

  private static func glibcs(_ bytes: [UInt8], count: Int, from state: mbstate_t = mbstate_t()) -> Answer {
    convert(bytes, count: count, from: state) { strata_multibyte_system_mbrtowc($0, $1, $2, $3) }
  }

  /// A state holding the first byte of a two-byte UTF-8 character.
  private static func partialState() -> mbstate_t {
    var state = mbstate_t()
    var byte: CChar = CChar(bitPattern: 0xC3)
    let result = mbrtowc(nil, &byte, 1, &state)
    #expect(result == Int(bitPattern: UInt(bitPattern: -2)))
    return state
  }

  /// Opening an archive sets the locale (C.UTF-8) and turns the fast path on.
  private static func openArchive() throws {
    try withTemporaryFile(try TarBuilder().file("a", text: "x").build()) { path in
      _ = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: path))))
    }
  }

  @Test func everyByteIsAnsweredAsGlibcAnswersIt() throws {
    try Self.openArchive()
    #expect(String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8")
    #expect(strata_multibyte_enable_ascii_fast_path() == 1)
    for byte in 0...255 {
      let bytes = [UInt8(byte), 0x41]
      #expect(Self.ours(bytes, count: 2) == Self.glibcs(bytes, count: 2), "byte \(byte)")
      #expect(Self.ours(bytes, count: 0) == Self.glibcs(bytes, count: 0), "byte \(byte), no length")
      // In the middle of a character, even an ASCII byte is glibc's to judge (an error).
      let partial = Self.partialState()
      #expect(Self.ours(bytes, count: 2, from: partial) == Self.glibcs(bytes, count: 2, from: partial), "byte \(byte)")
    }
    // Whole characters of two, three and four bytes, and a byte that ends one.
    for bytes: [UInt8] in [[0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x93, 0xA6], [0xA9]] {
      #expect(Self.ours(bytes, count: bytes.count) == Self.glibcs(bytes, count: bytes.count), "\(bytes)")
    }
    let partial = Self.partialState()
    #expect(Self.ours([0xA9], count: 1, from: partial) == Self.glibcs([0xA9], count: 1, from: partial))
    #expect(Self.ours([0xA9], count: 1, from: partial).character == 0xE9)
    // A NUL byte ends the conversion with 0, as glibc says.
    #expect(Self.ours([0], count: 1) == Answer(result: 0, character: 0, initial: true))
    #expect(Self.ours([0x2F], count: 1) == Answer(result: 1, character: 0x2F, initial: true))
  }

  @Test func librariesCallStrataMbrtowc() throws {
    // libarchive finds mbrtowc in the process's global scope: it must be this one, not glibc's.
    let global = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mbrtowc")
    let next = dlsym(UnsafeMutableRawPointer(bitPattern: -1), "mbrtowc")
    #expect(global != nil && next != nil)
    #expect(global != next)
  }

  @Test func namesReadThroughTheFastPathAreUnchanged() throws {
    let names = [
      "usr/lib/python3/dist-packages/numpy/core/_multiarray_umath.so", "usr/share/doc/café/naïve.txt", "a b/c",
    ]
    var builder = TarBuilder()
    for name in names { builder = builder.file(name, text: "x") }
    try withTemporaryFile(try builder.build()) { path in
      let reader = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: path))))
      var read: [String] = []
      while let entry = try reader.next() { read.append(entry.path) }
      #expect(read == names)
    }
  }
}
