import ArchiveIO
import ImageModel

/// A registry layer listed from its table of contents, fetched with HTTP Range requests, instead
/// of from its blob: an eStargz layer (`EStargzLayer`) or a zstd:chunked one
/// (`ZstdChunkedLayer`). What it keeps is what its files' contents are read from later
/// (`LazyContentSource`): each regular file's chunks, by normalised path.
///
/// What is verified: the TOC, against the annotation of the layer's descriptor in the manifest
/// strata verified. What is not: the blob's own digest (checking it takes the whole blob), so
/// such a layer is never stored in the layer cache.
struct LazyLayer: Sendable {
  /// The formats a layer can be listed lazily in.
  enum Format: String, Sendable {
    case estargz = "eStargz"
    case zstdChunked = "zstd:chunked"

    /// What one chunk's compressed piece is undone with.
    var filter: MemoryArchive.Filter {
      switch self {
      case .estargz: .gzip
      case .zstdChunked: .zstd
      }
    }

    /// The layer's compression, as the layer reader names it for a downloaded blob.
    var compression: String {
      switch self {
      case .estargz: "gzip"
      case .zstdChunked: "zstd"
      }
    }
  }

  /// How its contents are stored.
  let format: Format
  /// The TOC's chunks of each regular file, by normalised path (the last entry of a path wins,
  /// as in the tar).
  let files: [String: [LazyChunk]]
  /// The blob they are in.
  let digest: String
  /// The blob's size, from the manifest.
  let size: Int64

  /// The largest TOC accepted, compressed and as JSON; a larger one is not read lazily.
  static let maxTOCBytes = 64 << 20

  /// The layer's entries from what its annotations say, and the layer, or nil when it must be
  /// downloaded instead.
  /// - Throws: `ImageLoadError` when the TOC does not match its annotation, or a request fails.
  static func list(
    _ hint: LazyLayerHint, client: RegistryClient, digest: String, size: Int64, index: Int, name: String,
    limits: LayerReader.Limits
  ) throws -> (contents: LayerContents, layer: LazyLayer)? {
    switch hint {
    case .estargz(let tocDigest):
      try EStargzLayer.list(
        client: client, digest: digest, size: size, tocDigest: tocDigest, index: index, name: name, limits: limits)
    case .zstdChunked(let position):
      try ZstdChunkedLayer.list(
        client: client, digest: digest, size: size, position: position, index: index, name: name, limits: limits)
    }
  }

  /// Lists a layer from its verified `toc`, every entry in tar order through the same rules as a
  /// tar read (`LayerEntryCollector`), so the entries equal those of the blob read whole;
  /// `fetched` are the bytes the listing downloaded.
  static func collect(
    _ toc: LazyTOC, format: Format, digest: String, size: Int64, fetched: Int64, index: Int, name: String,
    limits: LayerReader.Limits
  ) throws -> (contents: LayerContents, layer: LazyLayer) {
    var collector = LayerEntryCollector(index: index, name: name, limits: limits)
    var files: [String: [LazyChunk]] = [:]
    for entry in toc.entries {
      guard let converted = try collector.add(entry), converted.kind == .regular else { continue }
      files[converted.path] = toc.chunks[entry.path] ?? []
    }
    return (
      collector.contents(compression: [format.compression], bytesRead: fetched),
      LazyLayer(format: format, files: files, digest: digest, size: size)
    )
  }
}
