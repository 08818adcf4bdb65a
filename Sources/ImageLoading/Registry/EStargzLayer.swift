import ArchiveIO
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
enum EStargzLayer {
  /// Bytes fetched from the end of the blob first: the footer (either kind), no more, so that
  /// even a small layer is not downloaded whole.
  static let tailBytes = Int64(EStargzTOC.footerSize)

  /// The layer's entries and the layer, or nil when the layer must be downloaded instead.
  static func list(
    client: RegistryClient, digest: String, size: Int64, tocDigest: String, index: Int, name: String,
    limits: LayerReader.Limits
  ) throws -> (contents: LayerContents, layer: LazyLayer)? {
    guard size > Int64(EStargzTOC.footerSize) else { return nil }
    let tailStart = max(0, size - tailBytes)
    guard let tail = try client.blobRange(digest, from: tailStart, to: size, size: size),
      let (tocOffset, footerSize) = EStargzTOC.footer(tail: tail)
    else { return nil }
    var fetched = Int64(tail.count)
    // The TOC's gzip member runs from its offset to the footer.
    let tocEnd = size - Int64(footerSize)
    guard tocOffset >= 0, tocOffset < tocEnd, tocEnd - tocOffset <= Int64(LazyLayer.maxTOCBytes) else { return nil }
    let compressed: [UInt8]
    if tocOffset >= tailStart {
      compressed = Array(tail[Int(tocOffset - tailStart)..<Int(tocEnd - tailStart)])
    } else {
      guard let bytes = try client.blobRange(digest, from: tocOffset, to: tocEnd, size: size) else { return nil }
      fetched += Int64(bytes.count)
      compressed = bytes
    }
    guard
      let json = try? MemoryArchive.member(named: EStargzTOC.memberName, in: compressed, limit: LazyLayer.maxTOCBytes)
    else { return nil }
    let actual = SHA256.digest(json)
    guard actual == tocDigest else {
      throw ImageLoadError(
        .corrupt, file: name,
        "the layer's table of contents (eStargz) hashes to \(actual), but the manifest's \(EStargzTOC.digestAnnotation) says \(tocDigest); nothing is reported from unverified data"
      )
    }
    guard let toc = try? EStargzTOC.parse(json, tocOffset: tocOffset) else { return nil }
    return try LazyLayer.collect(
      toc, format: .estargz, digest: digest, size: size, fetched: fetched, index: index, name: name, limits: limits)
  }
}
