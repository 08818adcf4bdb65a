import ArchiveIO
import Hashing
import ImageModel

import Glibc

extension LayerCache {
  /// Reads the compressed layer in `window` through the cache; nil when the layer is not
  /// compressed (an uncompressed tar is read headers-only, by seeking: hashing all of it to
  /// find it in the cache would cost more than the read it saves).
  ///
  /// A compressed layer is read whole anyway. Its digest is computed over the window's bytes:
  /// first, when the cache may hold it, to look it up (the location's digest is only a hint of
  /// which file to try); on a miss, over the very bytes the reader parses, and that digest keys
  /// the new file. What the image says the digest is never keys nor finds anything.
  /// - Parameter location: the layer's place in the image (`blobs/sha256/<hex>` names a digest).
  /// - Throws: `ArchiveError` from reading the layer.
  func read(
    _ window: FileWindow, location: String, index: Int, name: String, limits: LayerReader.Limits
  ) throws -> LayerContents? {
    guard let magic = try? window.file.readBytes(at: window.offset, count: 4),
      magic.starts(with: [0x1F, 0x8B]) || magic.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
    else { return nil }
    let hint = Self.digest(named: location)
    if hint.map({ path(for: $0).map { access($0, F_OK) == 0 } ?? false }) ?? true {
      let actual = try Self.digest(of: window)
      if var hit = load(actual, index: index, limits: limits, streamedContents: nil) {
        hit.bytesRead = window.length
        return hit
      }
    }
    let hash = SHA256()
    let reader = try ArchiveReader(source: .window(window), observer: { hash.update($0) })
    var (contents, extent) = try LayerReader.readCounting(reader, index: index, name: name, limits: limits)
    contents.bytesRead = reader.bytesRead
    // What follows the tar's end in the blob (the rest of the gzip or zstd frame) is hashed
    // apart: it cannot change what was read, and a file that ends early is not kept.
    guard (try? Self.hash(window, from: reader.bytesRead, into: hash)) != nil else { return contents }
    store(hash.finalize(), contents, extent: extent, streamedContents: nil)
    return contents
  }

  /// `sha256:<hex>` for a location `blobs/sha256/<hex>`.
  static func digest(named location: String) -> String? {
    let parts = location.split(separator: "/")
    guard parts.count == 3, parts[0] == "blobs", parts[1] == "sha256" else { return nil }
    return "sha256:" + parts[2]
  }

  /// The SHA-256 of a window's bytes.
  static func digest(of window: FileWindow) throws -> String {
    let hash = SHA256()
    try Self.hash(window, from: 0, into: hash)
    return hash.finalize()
  }

  /// Adds the window's bytes from `start` to its end to `hash`.
  private static func hash(_ window: FileWindow, from start: Int64, into hash: SHA256) throws {
    var position = start
    while position < window.length {
      let chunk = try window.file.readBytes(
        at: window.offset + position, count: Int(min(1 << 20, window.length - position)))
      guard !chunk.isEmpty else { throw ArchiveError("the layer ends early", kind: .truncated) }
      hash.update(chunk)
      position += Int64(chunk.count)
    }
  }
}
