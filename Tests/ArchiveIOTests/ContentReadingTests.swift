import ArchiveIO
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Files of sizes around the 64 KiB blocks the readers use, so content crosses block boundaries.
private let sizes = [0, 1, 511, 512, 65_535, 65_536, 65_537, 300_000, 1_100_000]

private func name(_ size: Int) -> String { "data/file-\(size)" }

/// A layer tar holding one file of each size.
private func layer(_ compression: TarCompression) throws -> [UInt8] {
  try sizes.reduce(TarBuilder().dir("data")) { $0.file(name($1), size: $1) }.build(compression)
}

/// Each regular file's content, fingerprint and head, read through `reader` from its start.
private func readFiles(_ reader: ArchiveReader) throws -> [String: (
  content: [UInt8], fingerprint: UInt64, head: [UInt8]
)] {
  var found: [String: (content: [UInt8], fingerprint: UInt64, head: [UInt8])] = [:]
  while let entry = try reader.next() {
    guard entry.kind == .regular else { continue }
    // Every other file is read whole, the others only fingerprinted: both paths take content
    // from libarchive's blocks, and a file left unread must not disturb the next one.
    if found.count % 2 == 0 {
      let content = try reader.readAll(limit: 2 << 20)
      found[entry.path] = (content, ContentHasher.fingerprint(content), [])
    } else {
      let (fingerprint, head) = try reader.fingerprintData(keeping: 1000)
      found[entry.path] = ([], fingerprint, head)
    }
  }
  return found
}

/// A tar with one old-GNU sparse file ('S'): `chunks` of data at their offsets, `realSize` long.
private func gnuSparse(_ name: String, realSize: Int, chunks: [(offset: Int, bytes: [UInt8])]) -> [UInt8] {
  var record = RawTar.entry(name: Array(name.utf8), typeflag: UInt8(ascii: "S"), content: chunks.flatMap(\.bytes))
  func put(_ text: String, at offset: Int) {
    for (index, byte) in text.utf8.enumerated() { record[offset + index] = byte }
  }
  func octal(_ value: Int, width: Int) -> String {
    let digits = String(value, radix: 8)
    return String(repeating: "0", count: width - 1 - digits.count) + digits
  }
  put("ustar  \0", at: 257)
  for (index, chunk) in chunks.prefix(4).enumerated() {
    put(octal(chunk.offset, width: 12), at: 386 + 24 * index)
    put(octal(chunk.bytes.count, width: 12), at: 386 + 24 * index + 12)
  }
  put(octal(realSize, width: 12), at: 483)
  put("        ", at: 148)
  let sum = record[0..<512].reduce(0) { $0 + Int($1) }
  put(octal(sum, width: 7) + "\0", at: 148)
  return record + RawTar.end
}

@Suite("ArchiveReader: content taken from libarchive's blocks")
struct ContentReadingTests {
  @Test(
    "a layer nested in an image tar gives the same content and fingerprints as read on its own",
    arguments: TarCompression.allCases)
  func nestedLayerMatchesTheLayer(compression: TarCompression) throws {
    let tar = try layer(compression)
    let image = try TarBuilder().file("manifest.json", text: "[]").file("layer.tar", tar).file("after", size: 70_000)
      .build()
    try withTemporaryDirectory { directory in
      let layerPath = directory.appendingPathComponent("layer.tar").path
      let imagePath = directory.appendingPathComponent("image.tar").path
      try writeFile(layerPath, tar)
      try writeFile(imagePath, image)
      let alone = try readFiles(try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: layerPath)))))

      let outer = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: imagePath))))
      _ = try outer.next()
      #expect(try outer.next()?.path == "layer.tar")
      let nested = try readFiles(try ArchiveReader(source: .entryOf(outer, prefix: try outer.peek(count: 512))))
      // The outer reader goes on after the layer as if nothing had been taken from it.
      #expect(try outer.next()?.path == "after")
      #expect(try outer.readAll(limit: 1 << 20) == TarBuilder.content(of: "after", size: 70_000))

      #expect(Set(nested.keys) == Set(sizes.map(name)))
      for size in sizes {
        let expected = TarBuilder.content(of: name(size), size: size)
        let (alone, nested) = (try #require(alone[name(size)]), try #require(nested[name(size)]))
        #expect(nested.fingerprint == ContentHasher.fingerprint(expected), "\(size) bytes")
        #expect(alone.fingerprint == nested.fingerprint, "\(size) bytes")
        #expect(nested.content == alone.content && alone.head == nested.head, "\(size) bytes")
        #expect(nested.content.isEmpty || nested.content == expected, "\(size) bytes")
        #expect(nested.head.isEmpty || nested.head == Array(expected.prefix(1000)), "\(size) bytes")
      }
    }
  }

  @Test("content taken in pieces of any size, mixing peek, nextContent and readAll, loses no byte")
  func piecesAddUp() throws {
    let size = 200_000
    let tar = try TarBuilder().file("big", size: size).file("next", text: "after").build()
    try withTemporaryFile(tar) { path in
      let reader = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: path))))
      _ = try reader.next()
      var taken = try reader.peek(count: 512)
      for limit in [1, 7, 4096, 65_536, 100] {
        taken += Array(try reader.nextContent(limit: limit))
      }
      taken += try reader.readAll(limit: size)
      #expect(taken == TarBuilder.content(of: "big", size: size))
      #expect(try reader.nextContent().isEmpty)
      #expect(try reader.next()?.path == "next")
      #expect(try reader.readAll(limit: 10) == Array("after".utf8))
    }
  }

  @Test("a sparse file's holes between its blocks come as zeros, as archive_read_data gives them")
  func sparseHoles() throws {
    let first = [UInt8](repeating: UInt8(ascii: "a"), count: 512)
    let second = [UInt8](repeating: UInt8(ascii: "b"), count: 1024)
    let tar = gnuSparse("sparse", realSize: 300_000, chunks: [(0, first), (100_352, second)])
    // Like archive_read_data, no zeros after the last block: a header alone cannot make strata
    // hash zeros up to whatever size it claims.
    let expected = first + [UInt8](repeating: 0, count: 100_352 - 512) + second
    try withTemporaryFile(tar) { path in
      let reader = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: path))))
      let entry = try #require(try reader.next())
      #expect(entry.path == "sparse" && entry.size == 300_000)
      #expect(try reader.readAll(limit: 1 << 20) == expected)
    }
    try withTemporaryFile(tar) { path in
      let reader = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: path))))
      _ = try reader.next()
      let (fingerprint, head) = try reader.fingerprintData(keeping: 1_000)
      #expect(head == Array(expected.prefix(1_000)), "the kept head has the hole's zeros")
      // Holes are hashed as their length: stable, but not the dense copy's fingerprint.
      let hasher = ContentHasher()
      first.withUnsafeBytes { hasher.update($0) }
      hasher.updateHole(100_352 - 512)
      second.withUnsafeBytes { hasher.update($0) }
      let reread = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: path))))
      _ = try reread.next()
      var pieces: [String] = []
      while true {
        let (data, hole) = try reread.nextContentOrHole()
        if hole == 0 && data.isEmpty { break }
        pieces.append(hole > 0 ? "hole \(hole)" : "data \(data.count)")
      }
      #expect(pieces == ["data 512", "hole 99840", "data 1024"])
      #expect(fingerprint == hasher.value)
      #expect(fingerprint != ContentHasher.fingerprint(expected))
    }
  }

  @Test("a hole of gigabytes comes as its length in one piece, not as zeros to hash")
  func hugeHole() throws {
    let hole = 0o70_000_000_000  // 7.5 GB; an old-GNU sparse map field holds at most 8 GiB
    let tar = gnuSparse(
      "huge", realSize: hole + 1024, chunks: [(0, [1, 2, 3]), (hole, [UInt8](repeating: 9, count: 1024))])
    try withTemporaryFile(tar) { path in
      let reader = try ArchiveReader(source: .window(FileWindow(file: try OpenFile(path: path))))
      _ = try reader.next()
      #expect(Array(try reader.nextContentOrHole().data) == [1, 2, 3])
      let gap = try reader.nextContentOrHole()
      #expect(gap.hole == Int64(hole - 3) && gap.data.isEmpty)
      // The data after the hole, in as many pieces as the source's reads cut it into.
      var rest: [UInt8] = []
      while true {
        let piece = try reader.nextContentOrHole()
        #expect(piece.hole == 0)
        if piece.data.isEmpty { break }
        rest += piece.data
      }
      #expect(rest == [UInt8](repeating: 9, count: 1024), "the end")
    }
  }

  @Test("OpenFile over a descriptor: a regular file is opened at the descriptor's position, anything else is not")
  func openFileOverDescriptor() throws {
    try withTemporaryFile(Array(repeating: 7, count: 5000)) { path in
      let handle = try #require(FileHandle(forReadingAtPath: path))
      try handle.seek(toOffset: 1200)
      let file = try #require(try OpenFile(duplicating: handle.fileDescriptor, name: "<stdin>"))
      try handle.close()
      // The duplicate outlives the caller's descriptor.
      #expect(file.size == 5000 && file.path == "<stdin>" && file.readPosition == 1200)
      #expect(try file.readBytes(at: 4998, count: 10) == [7, 7])
    }
    let pipe = Pipe()
    #expect(try OpenFile(duplicating: pipe.fileHandleForReading.fileDescriptor, name: "<stdin>") == nil)
    #expect(throws: ArchiveError.self) { try OpenFile(duplicating: -1, name: "<stdin>") }
  }
}
