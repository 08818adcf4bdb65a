internal import CArchive

/// Small archives and compressed members held in memory, read through libarchive: the pieces of
/// a layer fetched by HTTP Range requests (an eStargz table of contents, a zstd:chunked manifest,
/// one file's chunk).
package enum MemoryArchive {
  /// A compression one piece is undone from.
  package enum Filter: Sendable {
    /// One or more gzip members (eStargz).
    case gzip
    /// One or more zstd frames (zstd:chunked); skippable frames are passed over.
    case zstd

    var code: Int32 {
      switch self {
      case .gzip: ARCHIVE_FILTER_GZIP
      case .zstd: ARCHIVE_FILTER_ZSTD
      }
    }
  }

  /// Undoes `filter` on `bytes`, one level only: content that is itself compressed (a `.gz` or
  /// `.zst` file stored in a layer) comes back as stored. Returns at most `limit` bytes of the
  /// result: reading stops there, the rest is not decompressed.
  /// - Throws: `ArchiveError` when the data is not in that compression, is damaged, or ends early.
  package static func decompress(_ bytes: [UInt8], filter: Filter, limit: Int) throws -> [UInt8] {
    try withReader(bytes, raw: filter) { handle in
      var entry: OpaquePointer?
      let status = archive_read_next_header(handle, &entry)
      if status == ARCHIVE_EOF { return [] }
      guard status >= ARCHIVE_WARN else { throw error(handle, fallback: "cannot decompress") }
      return try readData(handle, limit: limit, overflow: false)
    }
  }

  /// The content of the member named `name` of the tar archive (any compression) in `bytes`,
  /// nil when the archive has no such member.
  /// - Throws: `ArchiveError` when the data is no archive, is damaged, or the member is larger than `limit`.
  package static func member(named name: String, in bytes: [UInt8], limit: Int) throws -> [UInt8]? {
    try withReader(bytes, raw: nil) { handle in
      while true {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status >= ARCHIVE_WARN, let entry else { throw error(handle, fallback: "cannot read the next header") }
        guard let path = archive_entry_pathname(entry), String(cString: path) == name else { continue }
        return try readData(handle, limit: limit, overflow: true)
      }
    }
  }

  /// Runs `body` on a reader of `bytes`: a tar in any compression, or with `raw` the data that
  /// one filter undone gives.
  private static func withReader<T>(_ bytes: [UInt8], raw: Filter?, _ body: (OpaquePointer) throws -> T) throws -> T {
    guard let handle = archive_read_new() else { throw ArchiveError("out of memory", kind: .system) }
    defer { archive_read_free(handle) }
    if let raw {
      // One filter, named rather than detected: detection would also undo a compressed payload.
      guard archive_read_append_filter(handle, raw.code) == ARCHIVE_OK else {
        throw error(handle, fallback: "\(raw) is not available")
      }
      archive_read_support_format_raw(handle)
    } else {
      archive_read_support_filter_all(handle)
      archive_read_support_format_tar(handle)
      archive_read_support_format_gnutar(handle)
    }
    return try bytes.withUnsafeBytes { buffer in
      guard archive_read_open_memory(handle, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
        throw error(handle, fallback: "cannot open the data")
      }
      return try body(handle)
    }
  }

  /// Reads the current entry's data; past `limit` it stops (or throws when `overflow`).
  private static func readData(_ handle: OpaquePointer, limit: Int, overflow: Bool) throws -> [UInt8] {
    var result: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 64 * 1024)
    while result.count < limit || overflow {
      let want = overflow ? block.count : min(block.count, limit - result.count)
      let count = block.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, want) }
      if count == 0 { break }
      guard count > 0 else { throw error(handle, fallback: "cannot read the data") }
      if overflow && result.count + count > limit {
        throw ArchiveError("entry is larger than \(limit) bytes", kind: .entryTooLarge)
      }
      result.append(contentsOf: block[0..<count])
    }
    return result
  }

  private static func error(_ handle: OpaquePointer, fallback: String) -> ArchiveError {
    let message = archive_error_string(handle).map { String(cString: $0) } ?? fallback
    let kind: ArchiveError.Kind =
      message.contains("runcated") || message.contains("premature end") ? .truncated : .corrupt
    return ArchiveError(message, kind: kind, code: archive_errno(handle))
  }
}
