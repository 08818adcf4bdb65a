import ArchiveIO
import Hashing
import ImageModel
import Synchronization

/// File contents of a registry image: from what the stream kept for layers that were downloaded,
/// and by HTTP Range requests for layers listed from their TOC (`LazyLayer`: eStargz,
/// zstd:chunked). A fetched chunk is used only after its SHA-256 matched its digest in the
/// (verified) TOC; a mismatch fails the read, and the analyses then say the content could not be
/// read instead of using it.
///
/// The chunks one read needs are fetched in offset order, nearby ones in one request. Files
/// whose chunks the TOC gives the same digests (copies of one content, in any layer) are fetched
/// once: their bytes would have to hash to those same digests to be used, so the content read
/// for one is the content of the others.
final class LazyContentSource: ContentSource, @unchecked Sendable {
  // The client is safe to share (its login is behind a mutex), `known` is behind one; the rest is immutable.
  /// Contents of the layers that were downloaded whole.
  let streamed: any ContentSource
  /// The layers listed from their TOC, by position.
  let lazy: [Int: LazyLayer]
  let client: RegistryClient
  /// Contents read so far, by the chunk digests they were checked against and how much was read.
  private let known = Mutex<[String: FileContent]>([:])

  /// The most compressed bytes one Range request asks for.
  static let maxRequestBytes: Int64 = 8 << 20
  /// Chunks at most this far apart come in one request (the bytes between are downloaded too).
  static let maxGap: Int64 = 4 << 10

  init(streamed: any ContentSource, lazy: [Int: LazyLayer], client: RegistryClient) {
    self.streamed = streamed
    self.lazy = lazy
    self.client = client
  }

  /// What reading a downloaded layer's files again does (the pager, `cat`).
  var rereadNote: String? { streamed.rereadNote }

  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
    guard lazy[layer] != nil else { return try streamed.contents(layer: layer, paths: paths, headLimit: headLimit) }
    let whole = ContentRequest(prefix: nil, headLimit: headLimit)
    return try read(layer: layer, requests: Dictionary(uniqueKeysWithValues: paths.map { ($0, whole) })).files
  }

  /// One file being read: its fingerprint and head so far.
  private final class Reading {
    let key: String
    let fileSize: Int64
    let headLimit: Int
    let hasher = ContentHasher()
    var head: [UInt8] = []
    /// Bytes of the file fed so far, and how many are wanted.
    var fed: Int64 = 0
    let wanted: Int64

    init(key: String, fileSize: Int64, wanted: Int64, headLimit: Int) {
      self.key = key
      self.fileSize = fileSize
      self.wanted = wanted
      self.headLimit = headLimit
    }

    var content: FileContent {
      FileContent(fingerprint: hasher.value, head: head, isComplete: Int64(head.count) >= fileSize)
    }
  }

  func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    guard let files = lazy[layer] else {
      return try streamed.read(layer: layer, requests: requests)
    }
    var read = ContentRead(files: [:])
    var readings: [String: Reading] = [:]
    var paths: [(String, Reading)] = []
    var pieces: [(chunk: LazyChunk, path: String, reading: Reading)] = []
    for (path, request) in requests {
      guard let chunks = files.files[path] else { continue }
      let fileSize = chunks.last.map { $0.fileOffset + $0.length } ?? 0
      let wanted = min(request.prefix ?? .max, fileSize)
      if fileSize > wanted { read.partial.insert(path) }
      let needed = chunks.filter { $0.fileOffset < wanted }
      let key =
        "\(fileSize) \(wanted) \(request.headLimit) "
        + needed.map { "\($0.digest)+\($0.length)" }.joined(separator: " ")
      if let content = known.withLock({ $0[key] }) {
        read.files[path] = content
        continue
      }
      if let reading = readings[key] {
        paths.append((path, reading))
        continue
      }
      let reading = Reading(key: key, fileSize: fileSize, wanted: wanted, headLimit: request.headLimit)
      readings[key] = reading
      paths.append((path, reading))
      pieces += needed.map { ($0, path, reading) }
    }
    pieces.sort { ($0.chunk.offset, $0.chunk.innerOffset) < ($1.chunk.offset, $1.chunk.innerOffset) }
    var first = 0
    while first < pieces.count {
      var last = first
      var end = pieces[first].chunk.end
      while last + 1 < pieces.count, pieces[last + 1].chunk.offset <= end + Self.maxGap,
        max(end, pieces[last + 1].chunk.end) - pieces[first].chunk.offset <= Self.maxRequestBytes
      {
        last += 1
        end = max(end, pieces[last].chunk.end)
      }
      let start = pieces[first].chunk.offset
      guard let bytes = try client.blobRange(files.digest, from: start, to: end, size: files.size) else {
        throw ImageLoadError(
          .transferFailed, file: client.displayName,
          "the registry did not answer a Range request for bytes \(start)-\(end - 1) of blob \(files.digest)")
      }
      read.bytesRead += Int64(bytes.count)
      for (chunk, path, reading) in pieces[first...last] {
        // Chunks come in offset order, which the format makes file order too.
        guard chunk.fileOffset == reading.fed else {
          throw ImageLoadError(
            .corrupt, file: client.displayName,
            "the chunks of '\(path)' are not stored in order (\(files.format.rawValue))")
        }
        let data = try Self.verified(
          chunk, of: path, in: bytes, from: start, format: files.format, name: client.displayName)
        let take = Int(min(Int64(data.count), reading.wanted - reading.fed))
        data.withUnsafeBytes { reading.hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<take])) }
        if reading.head.count < reading.headLimit {
          reading.head.append(contentsOf: data.prefix(min(take, reading.headLimit - reading.head.count)))
        }
        reading.fed += Int64(data.count)
      }
      first = last + 1
    }
    for (path, reading) in paths {
      let content = reading.content
      known.withLock { $0[reading.key] = content }
      read.files[path] = content
    }
    return read
  }

  /// The chunk's bytes, decompressed (one level, as `format` stores them) from its piece in
  /// `bytes` (fetched from `start`), checked against its digest.
  static func verified(
    _ chunk: LazyChunk, of path: String, in bytes: [UInt8], from start: Int64, format: LazyLayer.Format,
    name: String
  ) throws -> [UInt8] {
    let piece = Array(bytes[Int(chunk.offset - start)..<Int(chunk.end - start)])
    let failure = ImageLoadError(
      .corrupt, file: name,
      "a chunk of '\(path)' (\(format.rawValue), at \(chunk.offset)) failed verification against the TOC's digest; its content is not used"
    )
    guard
      let plain = try? MemoryArchive.decompress(
        piece, filter: format.filter, limit: Int(chunk.innerOffset + chunk.length)),
      plain.count == Int(chunk.innerOffset + chunk.length)
    else { throw failure }
    let data = Array(plain[Int(chunk.innerOffset)...])
    guard SHA256.digest(data) == chunk.digest else { throw failure }
    return data
  }
}
