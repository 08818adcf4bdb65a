import ImageLoading
import ImageModel
import TestSupport
import Testing

/// Files read at the offsets the header pass noted give what a walk of the layer gives.
@Suite struct DirectContentReadTests {
  static let longName = "usr/share/doc/" + String(repeating: "long-directory-name/", count: 8) + "file.txt"

  /// A layer of files of many sizes (empty, one block, over the 1 MiB read size), a name that
  /// needs a pax record, a directory, a link and a whiteout between them.
  static func layer() -> TarBuilder {
    TarBuilder(format: .pax)
      .dir("etc")
      .file("etc/empty", [])
      .file("etc/small", size: 100)
      .file("etc/block", size: 4096)
      .symlink("etc/link", to: "small")
      .file(longName, size: 5000)
      .file("opt/big.bin", size: (1 << 20) * 2 + 777)
      .whiteout("etc/gone")
      .file("opt/tail", size: 513)
  }

  @Test func directReadsEqualTheWalk() throws {
    let base = TarBuilder(format: .pax).file("etc/gone", size: 10)
    let spec = ImageSpec(tags: ["t:1"], layers: [try LayerSpec(base), try LayerSpec(Self.layer())])
    let bytes = try ImageArchiveBuilder(.dockerLegacy, spec).build()
    try withTemporaryFile(bytes) { path in
      let image = try ImageLoader.load(path)
      let contents = image.layers[1].contents
      #expect(contents.contentBlocks.count == contents.entries.count)
      let source = try #require(image.content)
      var regular = 0
      for (position, entry) in contents.entries.enumerated() where entry.kind == .regular {
        regular += 1
        let known = KnownEntry(position: Int32(position), size: entry.size)
        for (prefix, headLimit) in [(nil, 0), (Int64(4096), 0), (nil, 1 << 30), (Int64(64), 64)] as [(Int64?, Int)] {
          let walked = try source.read(
            layer: 1, requests: [entry.path: ContentRequest(prefix: prefix, headLimit: headLimit)])
          let direct = try source.read(
            layer: 1, requests: [entry.path: ContentRequest(prefix: prefix, headLimit: headLimit, entry: known)])
          #expect(walked.files[entry.path] != nil, "\(entry.path)")
          #expect(direct.files == walked.files, "\(entry.path) prefix \(String(describing: prefix))")
          #expect(direct.partial == walked.partial, "\(entry.path)")
          // The walk reads headers too; the direct read only the bytes asked for.
          #expect(direct.bytesRead == min(prefix ?? .max, entry.size), "\(entry.path)")
        }
      }
      #expect(regular == 6)
      // All requests of a layer in one read, as the waste analysis asks.
      var walkRequests: [String: ContentRequest] = [:]
      var directRequests: [String: ContentRequest] = [:]
      for (position, entry) in contents.entries.enumerated() where entry.kind == .regular {
        walkRequests[entry.path] = ContentRequest(prefix: nil, headLimit: 16)
        directRequests[entry.path] = ContentRequest(
          prefix: nil, headLimit: 16, entry: KnownEntry(position: Int32(position), size: entry.size))
      }
      #expect(
        try source.read(layer: 1, requests: directRequests).files == source.read(layer: 1, requests: walkRequests).files
      )
    }
  }

  /// A list of files is answered in its own order, read directly or by a walk, with the same
  /// contents and partial marks as the requests by path; a path that is no regular file gets nil.
  @Test func listsAreAnsweredInTheirOrder() throws {
    let spec = ImageSpec(tags: ["t:1"], layers: [try LayerSpec(Self.layer())])
    try withTemporaryFile(try ImageArchiveBuilder(.dockerLegacy, spec).build()) { path in
      let image = try ImageLoader.load(path)
      let entries = image.layers[0].contents.entries
      let source = try #require(image.content)
      // Against archive order, with a prefix that leaves the large file partial.
      let regular = entries.enumerated().filter { $0.element.kind == .regular }.reversed()
      var direct: [FileRequest] = []
      var walked: [FileRequest] = []
      var byPath: [String: ContentRequest] = [:]
      for (position, entry) in regular {
        let known = KnownEntry(position: Int32(position), size: entry.size)
        direct.append(FileRequest(path: entry.path, request: ContentRequest(prefix: 8192, headLimit: 4, entry: known)))
        walked.append(FileRequest(path: entry.path, request: ContentRequest(prefix: 8192, headLimit: 4)))
        byPath[entry.path] = ContentRequest(prefix: 8192, headLimit: 4)
      }
      walked.append(FileRequest(path: "etc/link", request: ContentRequest(prefix: nil, headLimit: 0)))
      let expected = try source.read(layer: 0, requests: byPath)
      let directReads = try source.read(layer: 0, files: direct)
      let walkedReads = try source.read(layer: 0, files: walked)
      #expect(directReads.contents.count == direct.count && walkedReads.contents.count == walked.count)
      for (index, file) in direct.enumerated() {
        #expect(directReads.contents[index] == expected.files[file.path], "\(file.path)")
        #expect(walkedReads.contents[index] == expected.files[file.path], "\(file.path)")
        #expect(directReads.partial[index] == expected.partial.contains(file.path), "\(file.path)")
        #expect(walkedReads.partial[index] == expected.partial.contains(file.path), "\(file.path)")
      }
      #expect(directReads.partial.contains(true))
      #expect(walkedReads.contents.last == .some(nil))
      #expect(directReads.bytesRead == direct.reduce(0) { $0 + min(8192, $1.request.entry?.size ?? 0) })
    }
  }

  /// More than `DirectContentRead.splitBytes` asked of one layer is read as two runs at once:
  /// the same files, partial marks and byte count as a walk, whichever run a file falls in.
  @Test func largeReadsSplitIntoTwoRunsEqualTheWalk() throws {
    let layer = TarBuilder()
      .file("a/small", size: 300)
      .file("a/four", size: 4 << 20)
      .file("b/five", size: (5 << 20) + 3)
      .file("b/tiny", size: 1)
      .file("c/three", size: 3 << 20)
      .file("c/last", size: 4097)
    let spec = ImageSpec(tags: ["t:1"], layers: [try LayerSpec(layer)])
    try withTemporaryFile(try ImageArchiveBuilder(.dockerLegacy, spec).build()) { path in
      let image = try ImageLoader.load(path)
      let entries = image.layers[0].contents.entries
      let source = try #require(image.content)
      for prefix in [nil, Int64(1 << 20)] as [Int64?] {
        var walkRequests: [String: ContentRequest] = [:]
        var directRequests: [String: ContentRequest] = [:]
        var asked: Int64 = 0
        for (position, entry) in entries.enumerated() where entry.kind == .regular {
          walkRequests[entry.path] = ContentRequest(prefix: prefix, headLimit: 8)
          directRequests[entry.path] = ContentRequest(
            prefix: prefix, headLimit: 8, entry: KnownEntry(position: Int32(position), size: entry.size))
          asked += min(prefix ?? .max, entry.size)
        }
        let walked = try source.read(layer: 0, requests: walkRequests)
        let direct = try source.read(layer: 0, requests: directRequests)
        #expect(walked.files.count == 6)
        #expect(direct.files == walked.files, "prefix \(String(describing: prefix))")
        #expect(direct.partial == walked.partial)
        #expect(direct.bytesRead == asked)
      }
    }
  }

  /// A request naming an entry with no noted offset (a symlink here) makes the source walk.
  @Test func unknownOffsetsFallBackToTheWalk() throws {
    let spec = ImageSpec(tags: ["t:1"], layers: [try LayerSpec(Self.layer())])
    try withTemporaryFile(try ImageArchiveBuilder(.dockerLegacy, spec).build()) { path in
      let image = try ImageLoader.load(path)
      let entries = image.layers[0].contents.entries
      let link = try #require(entries.firstIndex { $0.kind == .symlink })
      #expect(image.layers[0].contents.contentBlocks[link] == LayerContents.unknownOffset)
      let source = try #require(image.content)
      let wrong = ContentRequest(prefix: nil, headLimit: 8, entry: KnownEntry(position: Int32(link), size: 100))
      let read = try source.read(layer: 0, requests: ["etc/small": wrong])
      #expect(
        read.files["etc/small"]?.head
          == Array(TarBuilder.content(size: 100, seed: TarBuilder.seed(for: "etc/small")).prefix(8)))
    }
  }

  /// Compressed layers have no offsets: every read walks.
  @Test func compressedLayersHaveNoOffsets() throws {
    let spec = ImageSpec(tags: ["t:1"], layers: [try LayerSpec(Self.layer(), compression: .gzip)])
    try withTemporaryFile(try ImageArchiveBuilder(.dockerLegacy, spec).build()) { path in
      let image = try ImageLoader.load(path)
      #expect(image.layers[0].contents.contentBlocks.isEmpty)
    }
  }
}
