import ArchiveIO
import Hashing
import ImageModel

/// Lists a zstd:chunked layer from its manifest (its table of contents), fetched with one HTTP
/// Range request at the position its descriptor's annotations give; nothing else of the blob is
/// downloaded.
///
/// What is verified: the compressed manifest's SHA-256 against the `manifest-checksum`
/// annotation, in the manifest strata verified. What is not: the blob's own digest (checking it
/// takes the whole blob). A manifest whose checksum differs fails the load; one that cannot be
/// fetched or read (a position outside the blob, an unknown manifest type, a registry without
/// Range support, a manifest that is not zstd or not the TOC the format says) gives nil, and the
/// caller downloads the layer whole instead.
enum ZstdChunkedLayer {
  /// The layer's entries and the layer, or nil when the layer must be downloaded instead.
  static func list(
    client: RegistryClient, digest: String, size: Int64, position: ZstdChunkedTOC.Position, index: Int,
    name: String, limits: LayerReader.Limits
  ) throws -> (contents: LayerContents, layer: LazyLayer)? {
    let start = position.offset
    let end = position.offset + position.length
    guard position.type == ZstdChunkedTOC.crfsManifestType, position.checksum.hasPrefix("sha256:"), start > 0,
      position.length > 0, position.length <= Int64(LazyLayer.maxTOCBytes),
      position.uncompressedLength <= Int64(LazyLayer.maxTOCBytes), end <= size,
      let compressed = try client.blobRange(digest, from: start, to: end, size: size)
    else { return nil }
    let actual = SHA256.digest(compressed)
    guard actual == position.checksum else {
      throw ImageLoadError(
        .corrupt, file: name,
        "the layer's table of contents (zstd:chunked manifest) hashes to \(actual), but the manifest's \(position.checksumAnnotation) says \(position.checksum); nothing is reported from unverified data"
      )
    }
    guard let json = try? MemoryArchive.decompress(compressed, filter: .zstd, limit: LazyLayer.maxTOCBytes + 1),
      json.count <= LazyLayer.maxTOCBytes,
      let toc = try? ZstdChunkedTOC.parse(json, contentEnd: start)
    else { return nil }
    return try LazyLayer.collect(
      toc, format: .zstdChunked, digest: digest, size: size, fetched: Int64(compressed.count), index: index,
      name: name, limits: limits)
  }
}
