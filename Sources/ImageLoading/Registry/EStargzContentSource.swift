import ArchiveIO
import Hashing
import ImageModel
import Synchronization

/// File contents of a registry image: from what the stream kept for layers that were downloaded,
/// and by HTTP Range requests for eStargz layers listed from their TOC. A fetched chunk is used
/// only after its SHA-256 matched the `chunkDigest` of the (verified) TOC; a mismatch fails the
/// read, and the analyses then say the content could not be read instead of using it.
///
/// Files whose chunks the TOC gives the same digests (copies of one content, in any layer) are
/// fetched once: their bytes would have to hash to those same digests to be used, so the
/// content read for one is the content of the others.
final class EStargzContentSource: ContentSource, @unchecked Sendable {
  // The client is safe to share (its login is behind a mutex), `known` is behind one; the rest is immutable.
  let streamed: StreamedContentSource
  let lazy: [Int: EStargzLayer]
  let client: RegistryClient
  let blobSizes: [Int: Int64]
  /// Contents read so far, by the chunk digests they were checked against and how much was read.
  private let known = Mutex<[String: FileContent]>([:])

  init(streamed: StreamedContentSource, lazy: [Int: EStargzLayer], client: RegistryClient, blobSizes: [Int: Int64]) {
    self.streamed = streamed
    self.lazy = lazy
    self.client = client
    self.blobSizes = blobSizes
  }

  /// The most compressed bytes one Range request asks for (a run of adjacent chunks).
  static let maxRequestBytes: Int64 = 8 << 20

  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
    let whole = ContentRequest(prefix: nil, headLimit: headLimit)
    return try read(layer: layer, requests: Dictionary(uniqueKeysWithValues: paths.map { ($0, whole) })).files
  }

  func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    guard let files = lazy[layer], let size = blobSizes[layer] else {
      return try streamed.read(layer: layer, requests: requests)
    }
    var read = ContentRead(files: [:])
    for (path, request) in requests.sorted(by: { $0.key < $1.key }) {
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
      let hasher = ContentHasher()
      var head: [UInt8] = []
      var left = wanted
      var position = 0
      while position < needed.count {
        // A run of adjacent members, fetched in one request.
        var last = position
        while last + 1 < needed.count,
          needed[last + 1].offset == needed[last].end
            || needed[last + 1].offset == needed[last].offset,
          needed[last + 1].end - needed[position].offset <= Self.maxRequestBytes
        {
          last += 1
        }
        let start = needed[position].offset
        guard
          let bytes = try EStargzLayer.fetch(
            client, digest: files.digest, from: start, to: needed[last].end, size: size)
        else {
          throw ImageLoadError(
            .transferFailed, file: client.displayName,
            "the registry did not answer a Range request for '\(path)' in blob \(files.digest)")
        }
        read.bytesRead += Int64(bytes.count)
        for chunk in needed[position...last] {
          let data = try Self.verified(chunk, of: path, in: bytes, from: start, name: client.displayName)
          let take = Int(min(Int64(data.count), left))
          data.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<take])) }
          if head.count < request.headLimit {
            head.append(contentsOf: data.prefix(min(take, request.headLimit - head.count)))
          }
          left -= Int64(take)
        }
        position = last + 1
      }
      let content = FileContent(fingerprint: hasher.value, head: head, isComplete: Int64(head.count) >= fileSize)
      known.withLock { $0[key] = content }
      read.files[path] = content
    }
    return read
  }

  /// The chunk's bytes, decompressed from its member in `bytes` (fetched from `start`), checked
  /// against its digest.
  static func verified(_ chunk: EStargzTOC.Chunk, of path: String, in bytes: [UInt8], from start: Int64, name: String)
    throws -> [UInt8]
  {
    let member = Array(bytes[Int(chunk.offset - start)..<Int(chunk.end - start)])
    let failure = ImageLoadError(
      .corrupt, file: name,
      "a chunk of '\(path)' (eStargz, at \(chunk.offset)) failed verification against the TOC's chunkDigest; its content is not used"
    )
    guard let plain = try? MemoryArchive.decompress(member, limit: Int(chunk.innerOffset + chunk.length)),
      plain.count == Int(chunk.innerOffset + chunk.length)
    else { throw failure }
    let data = Array(plain[Int(chunk.innerOffset)...])
    guard SHA256.digest(data) == chunk.digest else { throw failure }
    return data
  }
}
