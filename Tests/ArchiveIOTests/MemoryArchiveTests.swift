import ArchiveIO
import TestSupport
import Testing

/// Pieces of layers held in memory: one gzip member undone (an eStargz chunk), a member of a
/// small compressed tar (an eStargz table of contents).
struct MemoryArchiveTests {
  @Test("gunzip undoes one level only: a stored .gz file comes back compressed")
  func oneLevel() throws {
    let text = Array("the same words again and again, ".utf8) + Array(repeating: 0x41, count: 70_000)
    let inner = try compressed(text, .gzip)
    #expect(try MemoryArchive.gunzip(try compressed(inner, .gzip), limit: .max) == inner)
    #expect(try MemoryArchive.gunzip(try compressed(text, .gzip), limit: .max) == text)
    #expect(try MemoryArchive.gunzip(try compressed(text, .gzip), limit: 100) == Array(text.prefix(100)))
    // Two members in a row read as one stream.
    let two = try compressed(Array(text.prefix(10)), .gzip) + compressed(Array(text.dropFirst(10)), .gzip)
    #expect(try MemoryArchive.gunzip(two, limit: .max) == text)
    #expect(throws: ArchiveError.self) { try MemoryArchive.gunzip(text, limit: .max) }
    let cut = try compressed(text, .gzip).dropLast(20)
    #expect(throws: ArchiveError.self) { try MemoryArchive.gunzip(Array(cut), limit: .max) }
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
