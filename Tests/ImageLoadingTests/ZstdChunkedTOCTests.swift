import ArchiveIO
import JSONIO
import Testing

@testable import ImageLoading

/// The zstd:chunked manifest (TOC) parser and the annotations that point at it, on hand-written
/// manifests shaped as containers/storage writes them (see the registry tests for real ones).
struct ZstdChunkedTOCTests {
  static func parse(_ entries: String, contentEnd: Int64 = 10_000) throws -> LazyTOC {
    try ZstdChunkedTOC.parse(Array(#"{"version": 1, "entries": [\#(entries)]}"#.utf8), contentEnd: contentEnd)
  }

  static let digest = "sha256:" + String(repeating: "a", count: 64)

  @Test("entries in order; one-frame files by their digest, chunked files frame by frame to endOffset")
  func frames() throws {
    let toc = try Self.parse(
      """
      {"type": "dir", "name": "app/", "mode": 16877},
      {"type": "reg", "name": "app/small", "mode": 33188, "size": 10, "uid": 1000, "gid": 1000,
       "digest": "\(Self.digest)", "offset": 100, "endOffset": 120},
      {"type": "reg", "name": "app/.wh.gone"},
      {"type": "reg", "name": "app/big", "mode": 33261, "size": 300, "offset": 200, "endOffset": 500,
       "chunkSize": 100, "chunkDigest": "sha256:1"},
      {"type": "chunk", "name": "app/big", "offset": 260, "chunkOffset": 100, "chunkSize": 150,
       "chunkDigest": "sha256:2", "chunkType": "zeros"},
      {"type": "chunk", "name": "app/big", "offset": 270, "chunkOffset": 250, "chunkSize": 50, "chunkDigest": "sha256:3"},
      {"type": "hardlink", "name": "app/link", "linkName": "app/small", "mode": 33188},
      {"type": "symlink", "name": "app/sym", "linkName": "/app/big", "mode": 41471}
      """)
    #expect(toc.entries.map(\.path) == ["app/", "app/small", "app/.wh.gone", "app/big", "app/link", "app/sym"])
    #expect(toc.entries.map(\.kind) == [.directory, .regular, .regular, .regular, .hardlink, .symlink])
    #expect(toc.entries[1].permissions == 0o644 && toc.entries[1].uid == 1000 && toc.entries[3].permissions == 0o755)
    #expect(toc.entries[4].linkTarget == "app/small" && toc.entries[4].size == 0)
    #expect(
      toc.chunks["app/small"]
        == [LazyChunk(offset: 100, end: 120, innerOffset: 0, fileOffset: 0, length: 10, digest: Self.digest)])
    #expect(toc.chunks["app/.wh.gone"] == nil)
    #expect(
      toc.chunks["app/big"] == [
        LazyChunk(offset: 200, end: 260, innerOffset: 0, fileOffset: 0, length: 100, digest: "sha256:1"),
        LazyChunk(offset: 260, end: 270, innerOffset: 0, fileOffset: 100, length: 150, digest: "sha256:2"),
        LazyChunk(offset: 270, end: 500, innerOffset: 0, fileOffset: 250, length: 50, digest: "sha256:3"),
      ])
  }

  @Test("a path stored twice: the later entry's frames")
  func laterWins() throws {
    let toc = try Self.parse(
      """
      {"type": "reg", "name": "a", "size": 5, "digest": "sha256:1", "offset": 10, "endOffset": 20},
      {"type": "reg", "name": "a", "size": 7, "digest": "sha256:2", "offset": 30, "endOffset": 40}
      """)
    #expect(toc.entries.count == 2)
    #expect(toc.chunks["a"]?.map(\.digest) == ["sha256:2"])
    #expect(toc.chunks["a"]?.first?.length == 7)
  }

  @Test(
    "what cannot be used throws (the layer is then downloaded whole)",
    arguments: [
      // not version 1
      (#"{"version": 2, "entries": []}"#, true),
      // a chunk not following its file
      (#"{"type": "chunk", "name": "x", "offset": 5, "chunkOffset": 0, "chunkDigest": "sha256:1"}"#, false),
      // a file with content but no frames, or frames past the manifest, or no digest
      (#"{"type": "reg", "name": "x", "size": 3, "digest": "sha256:1"}"#, false),
      (#"{"type": "reg", "name": "x", "size": 3, "digest": "sha256:1", "offset": 9000, "endOffset": 20000}"#, false),
      (#"{"type": "reg", "name": "x", "size": 3, "offset": 10, "endOffset": 20}"#, false),
      // frames out of order, chunks that leave a gap or do not cover the file
      (
        #"{"type": "reg", "name": "x", "size": 4, "offset": 50, "endOffset": 90, "chunkSize": 2, "chunkDigest": "sha256:1"}, {"type": "chunk", "name": "x", "offset": 40, "chunkOffset": 2, "chunkSize": 2, "chunkDigest": "sha256:2"}"#,
        false
      ),
      (
        #"{"type": "reg", "name": "x", "size": 4, "offset": 50, "endOffset": 90, "chunkSize": 1, "chunkDigest": "sha256:1"}, {"type": "chunk", "name": "x", "offset": 60, "chunkOffset": 2, "chunkSize": 2, "chunkDigest": "sha256:2"}"#,
        false
      ),
      (
        #"{"type": "reg", "name": "x", "size": 4, "offset": 50, "endOffset": 90, "chunkSize": 3, "chunkDigest": "sha256:1"}"#,
        false
      ),
      // an unknown entry type
      (#"{"type": "socket", "name": "x"}"#, false),
    ])
  func unusable(json: String, whole: Bool) throws {
    let bytes = Array((whole ? json : #"{"version": 1, "entries": [\#(json)]}"#).utf8)
    #expect(throws: LazyTOC.Unusable.self) { try ZstdChunkedTOC.parse(bytes, contentEnd: 10_000) }
  }

  @Test("annotations: either prefix, both keys needed; four integers; eStargz's digest first")
  func hints() throws {
    func hint(_ json: String) throws -> LazyLayerHint? {
      LazyLayerHint(annotations: try JSONValue.parse(Array(json.utf8)))
    }
    let old = try hint(
      #"{"io.containers.zstd-chunked.manifest-checksum": "sha256:c", "io.containers.zstd-chunked.manifest-position": "10:20:30:1"}"#
    )
    guard case .zstdChunked(let position) = old else {
      Issue.record("no zstd:chunked hint: \(String(describing: old))")
      return
    }
    #expect(position.offset == 10 && position.length == 20 && position.uncompressedLength == 30 && position.type == 1)
    #expect(position.checksum == "sha256:c")
    #expect(position.checksumAnnotation == "io.containers.zstd-chunked.manifest-checksum")
    let new = try hint(
      #"{"io.github.containers.zstd-chunked.manifest-checksum": "sha256:d", "io.github.containers.zstd-chunked.manifest-position": "1:2:3:1"}"#
    )
    guard case .zstdChunked(let newer) = new else {
      Issue.record("no hint from the io.github. prefix")
      return
    }
    #expect(newer.checksumAnnotation == "io.github.containers.zstd-chunked.manifest-checksum")
    #expect(try hint(#"{"io.containers.zstd-chunked.manifest-position": "10:20:30:1"}"#) == nil)
    #expect(
      try hint(
        #"{"io.containers.zstd-chunked.manifest-checksum": "sha256:c", "io.containers.zstd-chunked.manifest-position": "10:20:x:1"}"#
      ) == nil)
    #expect(
      try hint(#"{"containerd.io/snapshot/stargz/toc.digest": "sha256:e"}"#) == .estargz(tocDigest: "sha256:e"))
    #expect(try hint("{}") == nil)
  }
}
