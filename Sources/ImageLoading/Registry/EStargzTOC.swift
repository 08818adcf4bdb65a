import ArchiveIO
import JSONIO

/// The table of contents of an eStargz layer (`stargz.index.json`, see containerd's
/// stargz-snapshotter, docs/estargz.md): every tar entry of the layer in order, and for each
/// regular file the gzip members ("chunks") its content is stored in, each with its offset in
/// the blob and the SHA-256 of its uncompressed bytes. Read into a `LazyTOC`.
///
/// Trust: the TOC is believed only after its SHA-256 matched the `toc.digest` annotation of the
/// layer's descriptor in the manifest, which was itself verified. The layer blob's own digest is
/// not checked (that would take downloading it), so a listing from the TOC is what the image's
/// author recorded about the blob, not a reading of the blob; each chunk fetched later is checked
/// against its `chunkDigest` before strata uses its bytes.
enum EStargzTOC {
  /// The annotation holding the TOC's digest.
  static let digestAnnotation = "containerd.io/snapshot/stargz/toc.digest"
  /// The TOC's name in its tar.
  static let memberName = "stargz.index.json"
  /// Bytes of the footer (eStargz) and of the older stargz footer.
  static let footerSize = 51
  static let legacyFooterSize = 47

  /// The TOC's offset, and the footer's size, from the blob's tail (`tail` are the last bytes
  /// of the blob); nil when the tail ends with neither footer.
  static func footer(tail: [UInt8]) -> (tocOffset: Int64, size: Int)? {
    for size in [footerSize, legacyFooterSize] where tail.count >= size {
      let footer = Array(tail.suffix(size))
      // A gzip header with FEXTRA (flags 4), then XLEN.
      guard footer[0] == 0x1f, footer[1] == 0x8b, footer[2] == 8, footer[3] & 4 != 0 else { continue }
      let extraLength = Int(footer[10]) | Int(footer[11]) << 8
      guard 12 + extraLength <= footer.count else { continue }
      var extra = footer[12..<(12 + extraLength)]
      if size == footerSize {
        // RFC 1952 subfield: 'S' 'G', then its length (22), then the text.
        guard extra.count == 26, extra.starts(with: [0x53, 0x47, 22, 0]) else { continue }
        extra = extra.dropFirst(4)
      }
      guard extra.count == 22, extra.suffix(6).elementsEqual("STARGZ".utf8),
        let offset = Int64(String(decoding: extra.prefix(16), as: UTF8.self), radix: 16)
      else { continue }
      return (offset, size)
    }
    return nil
  }

  /// Parses a TOC's JSON; `tocOffset` bounds the last member.
  static func parse(_ json: [UInt8], tocOffset: Int64) throws -> LazyTOC {
    let items = try LazyTOC.entries(of: json)
    var entries: [ArchiveEntry] = []
    entries.reserveCapacity(items.count)
    // Chunks without their end yet: (file name, chunk).
    var pending: [(String, LazyChunk)] = []
    var starts: Set<Int64> = [tocOffset]
    for item in items {
      guard let name = item["name"]?.stringValue, let type = item["type"]?.stringValue else {
        throw LazyTOC.Unusable("a TOC entry has no name or type")
      }
      let size = item["size"]?.integerValue ?? 0
      if type == "reg" || type == "chunk", size > 0 || type == "chunk" {
        guard let offset = item["offset"]?.integerValue, offset >= 0, offset < tocOffset,
          let digest = item["chunkDigest"]?.stringValue
        else { throw LazyTOC.Unusable("file '\(name)' has no offset or chunk digest") }
        let fileOffset = type == "chunk" ? item["chunkOffset"]?.integerValue ?? -1 : 0
        let inner = item["innerOffset"]?.integerValue ?? 0
        guard fileOffset >= 0, inner >= 0 else { throw LazyTOC.Unusable("chunk of '\(name)' has a bad offset") }
        starts.insert(offset)
        pending.append(
          (
            name,
            LazyChunk(
              offset: offset, end: 0, innerOffset: inner, fileOffset: fileOffset,
              length: item["chunkSize"]?.integerValue ?? 0, digest: digest)
          ))
      }
      if type == "chunk" { continue }
      entries.append(try LazyTOC.header(item, name: name, type: type))
    }
    // Each member ends where the next one starts; a chunk's length, when 0, runs to its file's end.
    let sorted = starts.sorted()
    var sizes: [String: Int64] = [:]
    for entry in entries where entry.kind == .regular { sizes[entry.path] = entry.size }
    var chunks: [String: [LazyChunk]] = [:]
    for (name, chunk) in pending {
      var chunk = chunk
      guard let next = firstAbove(chunk.offset, in: sorted), let size = sizes[name] else {
        throw LazyTOC.Unusable("chunk of '\(name)' lies outside the blob's files")
      }
      chunk.end = next
      if chunk.length == 0 { chunk.length = size - chunk.fileOffset }
      guard chunk.length > 0, chunk.fileOffset + chunk.length <= size else {
        throw LazyTOC.Unusable("chunk of '\(name)' lies outside its file")
      }
      chunks[name, default: []].append(chunk)
    }
    return LazyTOC(entries: entries, chunks: try LazyTOC.covering(chunks, sizes: sizes))
  }

  /// The first of the ascending `values` above `value`.
  static func firstAbove(_ value: Int64, in values: [Int64]) -> Int64? {
    var low = 0
    var high = values.count
    while low < high {
      let middle = (low + high) / 2
      if values[middle] > value { high = middle } else { low = middle + 1 }
    }
    return low < values.count ? values[low] : nil
  }
}
