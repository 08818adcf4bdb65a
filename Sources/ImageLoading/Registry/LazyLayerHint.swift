import JSONIO

/// What a layer descriptor's annotations say about reading the layer lazily: which table of
/// contents it has, and what vouches for it. A descriptor with neither is downloaded whole.
enum LazyLayerHint: Sendable, Equatable {
  /// eStargz: the SHA-256 of its TOC (`EStargzTOC.digestAnnotation`).
  case estargz(tocDigest: String)
  /// zstd:chunked: where its manifest is and the SHA-256 of its compressed bytes.
  case zstdChunked(ZstdChunkedTOC.Position)

  /// The hint in `annotations` (a descriptor's `annotations` object), nil when there is none or
  /// it cannot be read.
  init?(annotations: JSONValue?) {
    guard let annotations else { return nil }
    if let tocDigest = annotations[EStargzTOC.digestAnnotation]?.stringValue {
      self = .estargz(tocDigest: tocDigest)
    } else if let position = ZstdChunkedTOC.Position(annotations: annotations) {
      self = .zstdChunked(position)
    } else {
      return nil
    }
  }
}
