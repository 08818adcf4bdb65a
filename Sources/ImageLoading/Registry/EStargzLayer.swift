import ArchiveIO
import HTTPIO
import Hashing
import ImageModel

/// Lists an eStargz layer from its table of contents, fetched with HTTP Range requests: the
/// blob's footer, then the TOC; nothing else of the blob is downloaded.
///
/// What is verified: the TOC's SHA-256 against the `toc.digest` annotation of the layer's
/// descriptor, in the manifest strata verified. What is not: the blob's own digest (checking it
/// takes the whole blob). A TOC whose digest differs from the annotation fails the load; a TOC
/// that cannot be found or read (no footer, a registry without Range support, a TOC that is not
/// what the format says) gives nil, and the caller downloads the layer whole instead.
struct EStargzLayer: Sendable {
  /// The TOC's chunks of each regular file, by normalised path (the last entry of a path wins, as
  /// in the tar).
  let files: [String: [EStargzTOC.Chunk]]
  /// The blob they are in.
  let digest: String

  /// Bytes fetched from the end of the blob first: the footer (either kind), no more, so that
  /// even a small layer is not downloaded whole.
  static let tailBytes = Int64(EStargzTOC.footerSize)
  /// The largest TOC accepted, compressed and as JSON; a larger one is not read lazily.
  static let maxTOCBytes = 64 << 20

  /// The layer's entries and the fetched bytes, or nil when the layer must be downloaded instead.
  static func list(
    client: RegistryClient, digest: String, size: Int64, tocDigest: String, index: Int, name: String,
    limits: LayerReader.Limits
  ) throws -> (contents: LayerContents, layer: EStargzLayer)? {
    guard size > Int64(EStargzTOC.footerSize) else { return nil }
    let tailStart = max(0, size - tailBytes)
    guard let tail = try fetch(client, digest: digest, from: tailStart, to: size, size: size),
      let (tocOffset, footerSize) = EStargzTOC.footer(tail: tail)
    else { return nil }
    var fetched = Int64(tail.count)
    // The TOC's gzip member runs from its offset to the footer.
    let tocEnd = size - Int64(footerSize)
    guard tocOffset >= 0, tocOffset < tocEnd, tocEnd - tocOffset <= Int64(maxTOCBytes) else { return nil }
    let compressed: [UInt8]
    if tocOffset >= tailStart {
      compressed = Array(tail[Int(tocOffset - tailStart)..<Int(tocEnd - tailStart)])
    } else {
      guard let bytes = try fetch(client, digest: digest, from: tocOffset, to: tocEnd, size: size) else { return nil }
      fetched += Int64(bytes.count)
      compressed = bytes
    }
    guard let json = try? MemoryArchive.member(named: EStargzTOC.memberName, in: compressed, limit: maxTOCBytes)
    else { return nil }
    let actual = SHA256.digest(json)
    guard actual == tocDigest else {
      throw ImageLoadError(
        .corrupt, file: name,
        "the layer's table of contents (eStargz) hashes to \(actual), but the manifest's \(EStargzTOC.digestAnnotation) says \(tocDigest); nothing is reported from unverified data"
      )
    }
    guard let toc = try? EStargzTOC.parse(json, tocOffset: tocOffset) else { return nil }
    var collector = LayerEntryCollector(index: index, name: name, limits: limits)
    var files: [String: [EStargzTOC.Chunk]] = [:]
    for entry in toc.entries {
      guard let converted = try collector.add(entry), converted.kind == .regular else { continue }
      files[converted.path] = toc.chunks[entry.path] ?? []
    }
    return (
      collector.contents(compression: ["gzip"], bytesRead: fetched), EStargzLayer(files: files, digest: digest)
    )
  }

  /// Bytes `start..<end` of the blob; nil when the registry does not answer with exactly them.
  static func fetch(_ client: RegistryClient, digest: String, from start: Int64, to end: Int64, size: Int64) throws
    -> [UInt8]?
  {
    let response: HTTPResponse
    do {
      response = try client.get(
        client.blobPath(digest), headers: ["Range: bytes=\(start)-\(end - 1)"], limit: Int(end - start))
    } catch let error as ImageLoadError where error.kind == .tooLarge {
      return nil  // the whole blob, the Range ignored
    }
    if response.status == 200 && start == 0 && end == size { return response.body }
    guard response.status == 206 else {
      if response.status == 200 || response.status == 416 { return nil }
      throw client.statusError(response, what: "blob \(digest)")
    }
    guard response.header("content-range") == "bytes \(start)-\(end - 1)/\(size)",
      Int64(response.body.count) == end - start
    else { return nil }
    return response.body
  }
}
