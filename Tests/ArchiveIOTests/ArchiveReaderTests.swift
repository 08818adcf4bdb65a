import ArchiveIO
import Foundation
import TestSupport
import Testing

/// Opens `bytes` (written to a temporary file) with an `ArchiveReader` and runs `body`.
private func withReader<T>(_ bytes: [UInt8], _ body: (ArchiveReader, OpenFile) throws -> T) throws -> T {
  try withTemporaryFile(bytes) { path in
    let file = try OpenFile(path: path)
    let reader = try ArchiveReader(source: .window(FileWindow(file: file)))
    return try body(reader, file)
  }
}

/// Every entry of `bytes`.
private func entries(_ bytes: [UInt8]) throws -> [ArchiveEntry] {
  try withReader(bytes) { reader, _ in
    var all: [ArchiveEntry] = []
    while let entry = try reader.next() { all.append(entry) }
    return all
  }
}

/// Every entry with its content.
private func contents(_ bytes: [UInt8]) throws -> [(ArchiveEntry, [UInt8])] {
  try withReader(bytes) { reader, _ in
    var all: [(ArchiveEntry, [UInt8])] = []
    while let entry = try reader.next() { all.append((entry, try reader.readAll(limit: 1 << 24))) }
    return all
  }
}

@Suite("ArchiveReader: entries")
struct ArchiveReaderEntryTests {
  @Test("entries come back in order with kind, size, mode, owner, link target and mtime")
  func kindsAndMetadata() throws {
    let tar = try TarBuilder()
      .dir("etc", mode: 0o755)
      .file("etc/passwd", size: 300, mode: 0o600, uid: 1000, gid: 2000)
      .symlink("etc/link", to: "/etc/passwd")
      .hardlink("etc/hard", to: "etc/passwd")
      .fifo("run/pipe")
      .file("empty", [])
      .dir("sticky", mode: 0o1777)
      .build()
    let all = try entries(tar)
    #expect(all.map(\.path) == ["etc/", "etc/passwd", "etc/link", "etc/hard", "run/pipe", "empty", "sticky/"])
    #expect(all.map(\.kind) == [.directory, .regular, .symlink, .hardlink, .fifo, .regular, .directory])
    #expect(all.map(\.size) == [0, 300, 0, 0, 0, 0, 0])
    #expect(all[0].permissions == 0o755)
    #expect(all[1].permissions == 0o600)
    #expect(all[6].permissions == 0o1777)
    #expect(all[1].uid == 1000 && all[1].gid == 2000)
    #expect(all[2].linkTarget == "/etc/passwd")
    #expect(all[3].linkTarget == "etc/passwd")
    #expect(all[1].linkTarget == nil)
    #expect(all.allSatisfy { $0.modificationTime == Int64(TarBuilder.defaultMTime) })
  }

  @Test("an archive with no entries ends at once")
  func emptyTar() throws {
    #expect(try entries(try TarBuilder().build()).isEmpty)
  }

  @Test(
    "content is read whole, and readAll refuses more than its limit", arguments: [TarCompression.none, .gzip, .zstd])
  func readAllAndLimit(compression: TarCompression) throws {
    let tar = try TarBuilder().file("a", size: 70_000).file("b", text: "hello").build(compression)
    try withReader(tar) { reader, _ in
      _ = try #require(try reader.next())
      #expect(throws: ArchiveError.self) { try reader.readAll(limit: 1000) }
      let second = try #require(try reader.next())
      #expect(second.path == "b")
      #expect(try reader.readAll(limit: 5) == Array("hello".utf8))
      #expect(try reader.next() == nil)
    }
    let all = try contents(tar)
    #expect(all[0].1 == TarBuilder.content(of: "a", size: 70_000))
  }

  @Test("readAll at exactly the limit succeeds")
  func readAllExactLimit() throws {
    let tar = try TarBuilder().file("a", size: 4096).build()
    try withReader(tar) { reader, _ in
      _ = try reader.next()
      #expect(try reader.readAll(limit: 4096).count == 4096)
    }
  }

  @Test("reading past the end or before the first entry gives no data")
  func readDataWithoutEntry() throws {
    let tar = try TarBuilder().file("a", text: "x").build()
    try withReader(tar) { reader, _ in
      #expect(try reader.readAll(limit: 10) == [])
      _ = try reader.next()
      #expect(try reader.next() == nil)
      #expect(try reader.readAll(limit: 10) == [])
    }
  }
}

@Suite("ArchiveReader: names")
struct ArchiveReaderNameTests {
  static let longDirectory =
    "app/very/long/path/segment-one/segment-two/segment-three/segment-four/segment-five/segment-six"
  static let longName = longDirectory + "/a-file-with-a-rather-long-name-to-push-past-the-ustar-limit.txt"

  @Test(
    "names over 100 and 255 bytes and long link targets survive (pax and GNU)",
    arguments: [TarBuilder.Format.pax, .gnu])
  func longNames(format: TarBuilder.Format) throws {
    let veryLong = String(repeating: "d", count: 120) + "/" + String(repeating: "e", count: 200)
    #expect(Self.longName.utf8.count > 100)
    let tar = try TarBuilder(format: format)
      .file(Self.longName, text: "deep file\n")
      .file(veryLong, size: 3)
      .symlink("app/long-target-link", to: "/" + Self.longName)
      .hardlink("app/h", to: veryLong)
      .build()
    let all = try entries(tar)
    #expect(all.map(\.path) == [Self.longName, veryLong, "app/long-target-link", "app/h"])
    #expect(all[0].size == 10)
    #expect(all[2].linkTarget == "/" + Self.longName)
    #expect(all[3].linkTarget == veryLong)
  }

  @Test("plain ustar cannot hold a 300-byte name (the writer refuses it)")
  func ustarRefusesLongName() throws {
    #expect(throws: TestArchiveError.self) {
      try TarBuilder(format: .ustar).file(String(repeating: "x", count: 300), size: 1).build()
    }
  }

  @Test("UTF-8 names and spaces are kept", arguments: [TarBuilder.Format.pax, .gnu])
  func utf8Names(format: TarBuilder.Format) throws {
    let names = ["app/docs/café menu.txt", "日本語/ファイル", "emoji 🎉/x y z", "tab\tname"]
    var builder = TarBuilder(format: format)
    for name in names { builder = builder.file(name, size: 1) }
    builder = builder.symlink("link", to: "café menu.txt")
    let all = try entries(try builder.build())
    #expect(all.map(\.path) == names + ["link"])
    #expect(all.last?.linkTarget == "café menu.txt")
  }

  @Test("hostile names are returned as stored, not normalised")
  func rawNames() throws {
    let tar = try TarBuilder().file("../x", size: 1).file("/abs/b", size: 2).file("./a/./b", size: 3).dir("./").build()
    #expect(try entries(tar).map(\.path) == ["../x", "/abs/b", "./a/./b", "./"])
  }

  @Test("bytes that are not UTF-8 are escaped as \\xNN, valid sequences around them kept")
  func nonUTF8Names() throws {
    let name: [UInt8] = Array("bad".utf8) + [0xFF] + Array("né".utf8) + [0xC3] + Array("end".utf8)
    let tar = RawTar.entry(name: name, content: [1, 2]) + RawTar.end
    let all = try entries(tar)
    #expect(all.map(\.path) == ["bad\\xFFné\\xC3end"])
    #expect(all.first?.size == 2)
  }
}

@Suite("ArchiveReader: data offsets")
struct ArchiveReaderOffsetTests {
  @Test("in an uncompressed archive the bytes at dataOffset are the entry's content")
  func dataOffsetMatchesContent() throws {
    let long = String(repeating: "long-segment/", count: 12) + "file.bin"
    let tar = try TarBuilder()
      .dir("a")
      .file("a/one", size: 1)
      .file("a/two", size: 511)
      .file("a/three", size: 512)
      .file("a/four", size: 513)
      .file(long, size: 1000)
      .file("café/ü.txt", size: 77)
      .symlink("s", to: String(repeating: "t", count: 150))
      .file("big", size: 200_000)
      .file("last", size: 9)
      .build()
    try withReader(tar) { reader, file in
      var checked = 0
      while let entry = try reader.next() {
        let offset = try #require(entry.dataOffset)
        #expect(offset % 512 == 0, "content starts on a block boundary")
        guard entry.kind == .regular, entry.size > 0 else { continue }
        let stored = try file.readBytes(at: offset, count: Int(entry.size))
        #expect(stored == TarBuilder.content(of: entry.path, size: Int(entry.size)), "content of \(entry.path)")
        checked += 1
      }
      #expect(checked == 8)
    }
  }

  @Test("compressed archives have no dataOffset", arguments: [TarCompression.gzip, .zstd])
  func noOffsetWhenCompressed(compression: TarCompression) throws {
    let tar = try TarBuilder().file("a", size: 10).build(compression)
    let all = try entries(tar)
    #expect(all.count == 1)
    #expect(all[0].dataOffset == nil)
  }

  @Test("a window of a larger file reads the archive inside it")
  func windowInsideFile() throws {
    let tar = try TarBuilder().file("inner", size: 600).build()
    let prefix = [UInt8](repeating: 0xAB, count: 1536)
    let suffix = [UInt8](repeating: 0xCD, count: 700)
    try withTemporaryFile(prefix + tar + suffix) { path in
      let file = try OpenFile(path: path)
      let reader = try ArchiveReader(
        source: .window(FileWindow(file: file, offset: Int64(prefix.count), length: Int64(tar.count))))
      let entry = try #require(try reader.next())
      #expect(entry.path == "inner")
      let offset = try #require(entry.dataOffset)
      // dataOffset is relative to the window.
      let stored = try file.readBytes(at: Int64(prefix.count) + offset, count: 600)
      #expect(stored == TarBuilder.content(of: "inner", size: 600))
      #expect(try reader.next() == nil)
    }
  }

  @Test("a run of small files comes in a few reads, not one per file")
  func smallFilesShareReads() throws {
    var builder = TarBuilder()
    for index in 0..<300 { builder = builder.file("docs/file\(index)", size: 1500 + index * 7) }
    let tar = try builder.build()
    try withReader(tar) { reader, _ in
      var count = 0
      while try reader.next() != nil { count += 1 }
      #expect(count == 300)
      // Each entry takes 2.5 to 4.5 kB: a 16 kB read holds four or more of them.
      #expect(reader.chunksRead <= 100, "\(reader.chunksRead) reads for 300 entries")
    }
  }

  @Test("skipping content seeks instead of reading it")
  func skipDoesNotRead() throws {
    let tar = try TarBuilder().file("a", size: 1_500_000).file("b", size: 1_500_000).file("c", text: "x").build()
    try withReader(tar) { reader, _ in
      var names: [String] = []
      while let entry = try reader.next() { names.append(entry.path) }
      #expect(names == ["a", "b", "c"])
      #expect(reader.bytesRead < 512 * 1024, "read \(reader.bytesRead) of \(tar.count) bytes")
    }
  }
}

@Suite("ArchiveReader: compression")
struct ArchiveReaderCompressionTests {
  @Test(
    "compression names the filter in use",
    arguments: [(TarCompression.none, [String]()), (.gzip, ["gzip"]), (.zstd, ["zstd"])])
  func detectsCompression(compression: TarCompression, expected: [String]) throws {
    let tar = try TarBuilder().file("a/b", size: 2000).dir("c").build(compression)
    try withReader(tar) { reader, _ in
      let first = try #require(try reader.next())
      #expect(first.path == "a/b")
      #expect(reader.compression == expected)
      #expect(try reader.readAll(limit: 4000) == TarBuilder.content(of: "a/b", size: 2000))
      #expect(try reader.next()?.path == "c/")
    }
  }

  @Test(
    "a tar stored inside a tar is read through entryOf, peeked bytes given back", arguments: TarCompression.allCases)
  func nestedArchive(compression: TarCompression) throws {
    let inner = try TarBuilder().dir("usr").file("usr/bin", size: 5000).file("usr/x", text: "hi").build(compression)
    let outer = try TarBuilder().file("manifest.json", text: "[]").file("layer.tar", inner).build()
    try withReader(outer) { reader, _ in
      _ = try reader.next()
      let layer = try #require(try reader.next())
      #expect(layer.path == "layer.tar")
      let head = try reader.peek(count: 512)
      #expect(head.count == min(512, inner.count))
      let nested = try ArchiveReader(source: .entryOf(reader, prefix: head))
      var names: [String] = []
      var data: [UInt8] = []
      while let entry = try nested.next() {
        names.append(entry.path)
        if entry.path == "usr/bin" { data = try nested.readAll(limit: 10_000) }
        #expect(entry.dataOffset == nil || compression == .none)
      }
      #expect(names == ["usr/", "usr/bin", "usr/x"])
      #expect(data == TarBuilder.content(of: "usr/bin", size: 5000))
      #expect(nested.compression == (compression == .none ? [] : [compression.rawValue]))
      #expect(try reader.next() == nil)
    }
  }
}

@Suite("ArchiveReader: errors")
struct ArchiveReaderErrorTests {
  /// Opening and reading every header of `bytes`; the first error thrown.
  private func readError(_ bytes: [UInt8]) -> ArchiveError? {
    do {
      _ = try withReader(bytes) { reader, _ in
        while (try reader.next()) != nil { _ = try reader.readAll(limit: 1 << 24) }
      }
      return nil
    } catch let error as ArchiveError {
      return error
    } catch {
      Issue.record("unexpected error \(error)")
      return nil
    }
  }

  @Test("text that is not an archive is refused")
  func notAnArchive() {
    let error = readError(Array(String(repeating: "this is not a tar archive\n", count: 100).utf8))
    #expect(error != nil)
    #expect(error?.message.contains("Unrecognized archive format") == true, "\(String(describing: error))")
  }

  @Test("random bytes are refused")
  func randomBytes() {
    #expect(readError(TarBuilder.content(size: 4096, seed: 42)) != nil)
  }

  @Test("an archive cut in the middle of a content is reported")
  func truncatedInContent() throws {
    let tar = try TarBuilder().file("a", size: 5000).file("b", size: 5000).build()
    let cut = Array(tar.prefix(512 + 2000))
    let error = readError(cut)
    #expect(error != nil)
    #expect(error?.message.lowercased().contains("truncated") == true, "\(String(describing: error))")
  }

  @Test("an archive cut while skipping (headers only) is reported")
  func truncatedWhileSkipping() throws {
    let tar = try TarBuilder().file("a", size: 5000).file("b", size: 5000).build()
    let cut = Array(tar.prefix(512 + 5120 + 512 + 100))
    #expect(throws: ArchiveError.self) {
      try withReader(cut) { reader, _ in
        while (try reader.next()) != nil {}
      }
    }
  }

  @Test("a header cut in half is reported", arguments: [100, 700])
  func truncatedHeader(length: Int) throws {
    let tar = try TarBuilder().file("a", size: 10).file("b", size: 10).build()
    #expect(readError(Array(tar.prefix(length))) != nil)
  }

  @Test("a gzip stream cut short is reported")
  func truncatedGzip() throws {
    let tar = try TarBuilder().file("a", size: 50_000).file("b", size: 50_000).build(.gzip)
    #expect(readError(Array(tar.prefix(tar.count / 2))) != nil)
  }

  @Test("a damaged header checksum is reported")
  func badChecksum() throws {
    var tar = try TarBuilder().file("a", size: 10).file("b", size: 10).build()
    tar[1024 + 5] ^= 0xFF  // inside the second header's name
    #expect(readError(tar) != nil)
  }

  @Test("an empty file is not an archive with zero entries")
  func emptyFile() {
    // libarchive recognises no format in zero bytes.
    #expect(readError([]) != nil)
  }

  @Test("opening a missing file or a directory fails with the system's words")
  func openFileErrors() throws {
    let missing = #expect(throws: ArchiveError.self) { try OpenFile(path: "/nonexistent/strata/archive.tar") }
    #expect(missing?.message.contains("no such file") == true)
    try withTemporaryDirectory { directory in
      let error = #expect(throws: ArchiveError.self) { try OpenFile(path: directory.path) }
      #expect(error?.message == "not a regular file")
    }
  }

  @Test("OpenFile.readBytes returns fewer bytes only at the end of the file")
  func readBytesAtEnd() throws {
    try withTemporaryFile([1, 2, 3, 4, 5]) { path in
      let file = try OpenFile(path: path)
      #expect(file.size == 5)
      #expect(try file.readBytes(at: 1, count: 3) == [2, 3, 4])
      #expect(try file.readBytes(at: 3, count: 10) == [4, 5])
      #expect(try file.readBytes(at: 10, count: 10) == [])
    }
  }
}
