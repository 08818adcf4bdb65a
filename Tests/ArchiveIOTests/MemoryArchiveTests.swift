import ArchiveIO
import TestSupport
import Testing

/// Pieces of layers held in memory: one gzip member or zstd frame undone (an eStargz or
/// zstd:chunked chunk, a zstd:chunked manifest), a member of a small compressed tar (an eStargz
/// table of contents).
struct MemoryArchiveTests {
  @Test("gzip undone one level only: a stored .gz file comes back compressed")
  func oneLevel() throws {
    let text = Array("the same words again and again, ".utf8) + Array(repeating: 0x41, count: 70_000)
    let inner = try compressed(text, .gzip)
    #expect(try MemoryArchive.decompress(try compressed(inner, .gzip), filter: .gzip, limit: .max) == inner)
    #expect(try MemoryArchive.decompress(try compressed(text, .gzip), filter: .gzip, limit: .max) == text)
    #expect(
      try MemoryArchive.decompress(try compressed(text, .gzip), filter: .gzip, limit: 100) == Array(text.prefix(100)))
    // Two members in a row read as one stream.
    let two = try compressed(Array(text.prefix(10)), .gzip) + compressed(Array(text.dropFirst(10)), .gzip)
    #expect(try MemoryArchive.decompress(two, filter: .gzip, limit: .max) == text)
    #expect(throws: ArchiveError.self) { try MemoryArchive.decompress(text, filter: .gzip, limit: .max) }
    let cut = try compressed(text, .gzip).dropLast(20)
    #expect(throws: ArchiveError.self) { try MemoryArchive.decompress(Array(cut), filter: .gzip, limit: .max) }
  }

  @Test("zstd frames undone one level only; a skippable frame is passed over; not zstd is an error")
  func zstd() throws {
    let text = Array("the same words again and again, ".utf8) + Array(repeating: 0x42, count: 70_000)
    let inner = try compressed(text, .zstd)
    #expect(try MemoryArchive.decompress(try compressed(inner, .zstd), filter: .zstd, limit: .max) == inner)
    #expect(try MemoryArchive.decompress(inner, filter: .zstd, limit: .max) == text)
    #expect(try MemoryArchive.decompress(inner, filter: .zstd, limit: 100) == Array(text.prefix(100)))
    // A skippable frame (magic 0x184D2A50, little-endian length) between two frames, as
    // zstd:chunked writes its manifest.
    let skippable: [UInt8] = [0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]
    let framed =
      try compressed(Array(text.prefix(10)), .zstd) + skippable + compressed(Array(text.dropFirst(10)), .zstd)
    #expect(try MemoryArchive.decompress(framed, filter: .zstd, limit: .max) == text)
    #expect(throws: ArchiveError.self) { try MemoryArchive.decompress(text, filter: .zstd, limit: .max) }
    #expect(throws: ArchiveError.self) {
      try MemoryArchive.decompress(try compressed(text, .gzip), filter: .zstd, limit: .max)
    }
    let cut = inner.dropLast(5)
    #expect(throws: ArchiveError.self) { try MemoryArchive.decompress(Array(cut), filter: .zstd, limit: .max) }
  }

  @Test("a named member of a gzip'd tar, nil when absent, an error past the limit")
  func member() throws {
    let tar = try TarBuilder().file("a", text: "first").file("stargz.index.json", text: "{}")
      .build(.gzip)
    #expect(try MemoryArchive.member(named: "stargz.index.json", in: tar, limit: 100) == Array("{}".utf8))
    #expect(try MemoryArchive.member(named: "b", in: tar, limit: 100) == nil)
    #expect(throws: ArchiveError.self) { try MemoryArchive.member(named: "a", in: tar, limit: 2) }
  }
}
