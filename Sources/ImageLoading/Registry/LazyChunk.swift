/// One stored piece of a regular file of a layer listed from its table of contents (eStargz,
/// zstd:chunked): where its compressed bytes lie in the blob, and what its uncompressed bytes
/// must hash to before strata uses them.
struct LazyChunk: Sendable, Hashable {
  /// Where its compressed piece (a gzip member, a zstd frame) starts and ends in the blob.
  var offset, end: Int64
  /// Where the chunk starts within the piece's uncompressed bytes (eStargz: several small files
  /// may share one member; zstd:chunked: always 0), where it starts in the file, and its
  /// uncompressed length.
  var innerOffset, fileOffset, length: Int64
  /// The SHA-256 of its uncompressed bytes (`sha256:…`).
  var digest: String
}
