import ArchiveIO
import JSONIO

/// The table of contents of a zstd:chunked layer (containers/storage, pkg/chunked): a zstd tar
/// whose files' contents start new zstd frames (large files are cut into several, "chunks"),
/// followed by skippable frames holding the TOC ("manifest": every tar entry in order, with each
/// file's frames and the SHA-256 of their uncompressed bytes), the tar-split data, and a footer.
/// Read into a `LazyTOC`.
///
/// Where the manifest is, and the SHA-256 of its compressed bytes, come from the layer
/// descriptor's annotations (`Position`), as containers/storage reads them (it never reads the
/// footer). Trust: the manifest is believed only after its SHA-256 matched the checksum
/// annotation, in the manifest strata verified; the blob's own digest is not checked, and each
/// frame fetched later is checked against its digest before strata uses its bytes.
enum ZstdChunkedTOC {
  /// The annotation prefixes: containers/storage's current one, and the one skopeo 1.9 and
  /// buildah 1.28 (containers/storage 1.4x) write.
  static let annotationPrefixes = ["io.github.containers.zstd-chunked.", "io.containers.zstd-chunked."]
  /// The manifest type a `manifest-position` annotation names for a CRFS-style TOC, the only one.
  static let crfsManifestType: Int64 = 1

  /// Where the manifest is in the blob, from the annotations `manifest-position`
  /// (`offset:length:uncompressedLength:type`) and `manifest-checksum` (`sha256:…` of the
  /// compressed bytes) of one prefix.
  struct Position: Sendable, Equatable {
    /// The offset and length of the compressed manifest (the skippable frame's payload), its
    /// length as JSON, and its type (`crfsManifestType`).
    var offset, length, uncompressedLength, type: Int64
    /// The SHA-256 of the compressed manifest, and the annotation that gave it (for messages).
    var checksum, checksumAnnotation: String

    /// The position the annotations give; nil when neither prefix has both annotations, or the
    /// position is not four decimal integers.
    init?(annotations: JSONValue) {
      for prefix in ZstdChunkedTOC.annotationPrefixes {
        guard let text = annotations[prefix + "manifest-position"]?.stringValue,
          let checksum = annotations[prefix + "manifest-checksum"]?.stringValue
        else { continue }
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map { Int64($0) }
        guard fields.count == 4, let offset = fields[0], let length = fields[1], let plain = fields[2],
          let type = fields[3]
        else { return nil }
        (self.offset, self.length, uncompressedLength, self.type) = (offset, length, plain, type)
        (self.checksum, checksumAnnotation) = (checksum, prefix + "manifest-checksum")
        return
      }
      return nil
    }
  }

  /// Parses a manifest's JSON; `contentEnd` (where the manifest's frame starts) bounds every
  /// file's frames.
  ///
  /// A regular file's content starts a new frame at its `offset`, and its last frame ends at its
  /// `endOffset`. A file stored in one frame has its content's SHA-256 as `digest`; a file cut
  /// into chunks has `chunkSize` and `chunkDigest` on its `reg` entry (its first chunk) and on
  /// each `chunk` entry that follows it, every chunk's frame ending where the next one starts.
  static func parse(_ json: [UInt8], contentEnd: Int64) throws -> LazyTOC {
    let items = try LazyTOC.entries(of: json)
    var entries: [ArchiveEntry] = []
    entries.reserveCapacity(items.count)
    var sizes: [String: Int64] = [:]
    var chunks: [String: [LazyChunk]] = [:]
    // The regular file whose chunks are being read: its name, size, frames' end, and chunks.
    var file: (name: String, size: Int64, end: Int64, chunks: [LazyChunk])?
    func finish() throws {
      guard let current = file else { return }
      file = nil
      var list = current.chunks
      for position in list.indices {
        let end = position + 1 < list.count ? list[position + 1].offset : current.end
        guard list[position].offset < end else {
          throw LazyTOC.Unusable("the frames of '\(current.name)' are not in order")
        }
        list[position].end = end
        if list[position].length == 0 { list[position].length = current.size - list[position].fileOffset }
      }
      chunks[current.name] = list
    }
    for item in items {
      guard let name = item["name"]?.stringValue, let type = item["type"]?.stringValue else {
        throw LazyTOC.Unusable("a TOC entry has no name or type")
      }
      if type == "chunk" {
        guard file?.name == name, let offset = item["offset"]?.integerValue,
          let fileOffset = item["chunkOffset"]?.integerValue, let digest = item["chunkDigest"]?.stringValue
        else { throw LazyTOC.Unusable("a chunk of '\(name)' does not follow its file or has no offset or digest") }
        file?.chunks.append(
          LazyChunk(
            offset: offset, end: 0, innerOffset: 0, fileOffset: fileOffset,
            length: item["chunkSize"]?.integerValue ?? 0, digest: digest))
        continue
      }
      try finish()
      let header = try LazyTOC.header(item, name: name, type: type)
      entries.append(header)
      guard header.kind == .regular else { continue }
      sizes[name] = header.size
      chunks[name] = nil
      guard header.size > 0 else { continue }
      guard let offset = item["offset"]?.integerValue, let end = item["endOffset"]?.integerValue, offset > 0,
        offset < end, end <= contentEnd
      else { throw LazyTOC.Unusable("file '\(name)' has no frames before the manifest") }
      let first: LazyChunk
      if let digest = item["chunkDigest"]?.stringValue {
        first = LazyChunk(
          offset: offset, end: 0, innerOffset: 0, fileOffset: 0, length: item["chunkSize"]?.integerValue ?? 0,
          digest: digest)
      } else if let digest = item["digest"]?.stringValue {
        first = LazyChunk(offset: offset, end: 0, innerOffset: 0, fileOffset: 0, length: header.size, digest: digest)
      } else {
        throw LazyTOC.Unusable("file '\(name)' has no digest")
      }
      file = (name, header.size, end, [first])
    }
    try finish()
    return LazyTOC(entries: entries, chunks: try LazyTOC.covering(chunks, sizes: sizes))
  }
}
