internal import CArchive

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a tar archive, possibly gzip- or zstd-compressed, entry by entry through libarchive.
///
/// The reader never writes anything to disk. Content is read only when asked for
/// (`readData`, `readAll`); otherwise `next()` skips it, by seeking when the source allows.
public final class ArchiveReader {
  /// Where the bytes come from.
  public enum Source {
    /// A byte range of a regular file (seekable: content is skipped without reading it).
    case window(FileWindow)
    /// Standard input, read once from start to end.
    case standardInput
    /// The content of the current entry of another reader (a tar stored inside a tar);
    /// `prefix` gives back bytes already taken from it with `peek`.
    case entryOf(ArchiveReader, prefix: [UInt8])
  }

  private let handle: OpaquePointer
  private let source: ByteSource
  private var opened = false
  private var hasEntry = false

  /// Default block size for reads from the source.
  public static let blockSize = 64 * 1024

  private static let localeReady: Bool = {
    // libarchive converts PAX (UTF-8) names to the current locale; use a UTF-8 one.
    setlocale(LC_CTYPE, "C.UTF-8") != nil
  }()

  /// Opens an archive on `source`.
  /// - Parameter allowRaw: also accept a non-archive stream as a single entry (unused by images).
  /// - Throws: `ArchiveError` when libarchive recognises no tar format in the data.
  public init(source: Source) throws {
    _ = Self.localeReady
    guard let archive = archive_read_new() else { throw ArchiveError("out of memory") }
    handle = archive
    switch source {
    case .window(let window): self.source = FileWindowSource(window: window, blockSize: Self.blockSize)
    case .standardInput:
      // A pipe hands over 64 KiB at a time by default; a larger pipe and larger reads mean far
      // fewer wake-ups when a whole `docker save` streams through.
      _ = fcntl(0, 1031 /* F_SETPIPE_SZ */, 1 << 20)
      self.source = DescriptorSource(descriptor: 0, blockSize: 1 << 20)
    case .entryOf(let outer, let prefix):
      self.source = EntryDataSource(outer: outer, prefix: prefix, blockSize: Self.blockSize)
    }
    archive_read_support_filter_all(archive)
    archive_read_support_format_tar(archive)
    archive_read_support_format_gnutar(archive)
    try open()
  }

  deinit { archive_read_free(handle) }

  private func open() throws {
    let context = Unmanaged.passUnretained(source).toOpaque()
    archive_read_set_callback_data(handle, context)
    archive_read_set_read_callback(handle, readCallback)
    if source.canSkip { archive_read_set_skip_callback(handle, skipCallback) }
    let status = archive_read_open1(handle)
    guard status >= ARCHIVE_WARN else { throw currentError(fallback: "cannot open archive") }
    opened = true
  }

  /// Names of the compression filters in use, outermost last (empty when uncompressed).
  public var compression: [String] {
    let count = archive_filter_count(handle)
    var names: [String] = []
    for index in 0..<count {
      let code = archive_filter_code(handle, index)
      if code == ARCHIVE_FILTER_NONE { continue }
      if let name = archive_filter_name(handle, index) { names.append(String(cString: name)) }
    }
    return names
  }

  /// Makes reads fail once the uncompressed data passes `limit` bytes, even in the middle of
  /// one entry: a small compressed layer cannot make strata decompress without end.
  public func limitUncompressedBytes(to limit: Int64) {
    source.uncompressedLimit = limit
  }

  /// The message of the error a passed `limitUncompressedBytes` limit raises.
  public static let uncompressedLimitMessage = "expands past the uncompressed size limit"

  /// Bytes of uncompressed archive data libarchive has gone through (equals the position in
  /// the source when nothing is compressed).
  public var uncompressedPosition: Int64 { archive_filter_bytes(handle, 0) }

  /// Bytes taken from the source so far (what was actually read, not skipped).
  public var bytesRead: Int64 { source.bytesRead }

  /// Advances to the next entry, skipping the rest of the current one.
  /// - Returns: the entry, or `nil` at the end of the archive.
  /// - Throws: `ArchiveError` for truncated or corrupt data.
  public func next() throws -> ArchiveEntry? {
    var entry: OpaquePointer?
    let status = archive_read_next_header(handle, &entry)
    if status == ARCHIVE_EOF {
      hasEntry = false
      return nil
    }
    guard status >= ARCHIVE_WARN, let entry else {
      hasEntry = false
      throw currentError(fallback: "cannot read the next header")
    }
    hasEntry = true
    var decoded = Self.decode(entry)
    if compression.isEmpty { decoded.dataOffset = archive_filter_bytes(handle, -1) }
    return decoded
  }

  /// Reads the next piece of the current entry's content into `buffer`.
  /// - Returns: the bytes read; 0 at the end of the content.
  public func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard hasEntry, let base = buffer.baseAddress else { return 0 }
    let got = archive_read_data(handle, base, buffer.count)
    if got < 0 { throw currentError(fallback: "cannot read entry data") }
    return got
  }

  /// Reads the current entry's content whole.
  /// - Parameter limit: the most bytes accepted; more throws instead of growing without bound.
  public func readAll(limit: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 16)
    defer { chunk.deallocate() }
    while true {
      let got = try readData(into: chunk)
      if got == 0 { return result }
      if result.count + got > limit {
        throw ArchiveError("entry is larger than \(limit) bytes")
      }
      result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<got]))
    }
  }

  /// Reads at most `count` bytes of the current entry's content, to look at them.
  /// Pass the result as `prefix` of a nested reader so it sees them again.
  public func peek(count: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    let want = min(count, Self.blockSize)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: want, alignment: 16)
    defer { chunk.deallocate() }
    while result.count < want {
      let slice = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<(want - result.count)])
      let got = try readData(into: slice)
      if got == 0 { break }
      result.append(contentsOf: UnsafeRawBufferPointer(rebasing: slice[0..<got]))
    }
    return result
  }

  private func currentError(fallback: String) -> ArchiveError {
    if let failure = source.failure { return failure }
    let code = archive_errno(handle)
    if let text = archive_error_string(handle) {
      return ArchiveError(String(cString: text), code: code)
    }
    return ArchiveError(fallback, code: code)
  }

  private static func decode(_ entry: OpaquePointer) -> ArchiveEntry {
    let (path, escaped) = decodeNameReportingEscapes(archive_entry_pathname(entry), archive_entry_pathname_utf8(entry))
    var kind: ArchiveEntryKind
    switch archive_entry_filetype(entry) & 0o170000 {
    case 0o100000: kind = .regular
    case 0o040000: kind = .directory
    case 0o120000: kind = .symlink
    case 0o020000: kind = .characterDevice
    case 0o060000: kind = .blockDevice
    case 0o010000: kind = .fifo
    case 0o140000: kind = .socket
    default: kind = .unknown
    }
    var target: String?
    if archive_entry_hardlink(entry) != nil || archive_entry_hardlink_utf8(entry) != nil {
      kind = .hardlink
      target = decodeName(archive_entry_hardlink(entry), archive_entry_hardlink_utf8(entry))
    } else if kind == .symlink {
      target = decodeName(archive_entry_symlink(entry), archive_entry_symlink_utf8(entry))
    }
    var decoded = ArchiveEntry(
      path: path, kind: kind, size: archive_entry_size(entry),
      permissions: UInt32(archive_entry_perm(entry)) & 0o7777,
      uid: archive_entry_uid(entry), gid: archive_entry_gid(entry),
      linkTarget: target, modificationTime: Int64(archive_entry_mtime(entry)))
    decoded.nameWasEscaped = escaped
    return decoded
  }

  /// Turns a C name into a String; bytes that are not UTF-8 become `\xNN` so no two names collide.
  static func decodeName(_ raw: UnsafePointer<CChar>?, _ utf8: UnsafePointer<CChar>?) -> String {
    decodeNameReportingEscapes(raw, utf8).0
  }

  /// `decodeName`, also saying whether bytes had to be escaped.
  static func decodeNameReportingEscapes(_ raw: UnsafePointer<CChar>?, _ utf8: UnsafePointer<CChar>?) -> (String, Bool) {
    for candidate in [raw, utf8] {
      guard let candidate else { continue }
      let bytes = UnsafeRawBufferPointer(start: candidate, count: strlen(candidate)).bindMemory(to: UInt8.self)
      if let text = String(validating: bytes, as: UTF8.self) { return (text, false) }
      return (escapingInvalidBytes(Array(bytes)), true)
    }
    return ("", false)
  }

  /// Keeps every valid UTF-8 sequence and writes each other byte as `\xNN`.
  static func escapingInvalidBytes(_ all: [UInt8]) -> String {
    var escaped = ""
    var index = 0
    while index < all.count {
      // Take the longest ASCII run, then one multi-byte character or one escaped byte.
      var end = index
      while end < all.count && all[end] < 0x80 { end += 1 }
      if end > index {
        escaped += String(decoding: all[index..<end], as: UTF8.self)
        index = end
        continue
      }
      var matched = false
      for length in stride(from: 4, through: 2, by: -1) where index + length <= all.count {
        if let piece = String(validating: all[index..<(index + length)], as: UTF8.self) {
          escaped += piece
          index += length
          matched = true
          break
        }
      }
      if !matched {
        escaped += "\\x" + String(all[index], radix: 16, uppercase: true).leftPadded(to: 2)
        index += 1
      }
    }
    return escaped
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

private func readCallback(
  _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
  _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
  guard let context, let buffer else { return -1 }
  let source = Unmanaged<ByteSource>.fromOpaque(context).takeUnretainedValue()
  if let limit = source.uncompressedLimit, let archive, archive_filter_bytes(archive, 0) > limit {
    source.failure = ArchiveError(ArchiveReader.uncompressedLimitMessage)
    return -1
  }
  do {
    let chunk = try source.nextChunk()
    buffer.pointee = chunk.baseAddress
    return chunk.count
  } catch let error as ArchiveError {
    source.failure = error
    return -1
  } catch {
    source.failure = ArchiveError("\(error)")
    return -1
  }
}

private func skipCallback(
  _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ request: la_int64_t
) -> la_int64_t {
  guard let context else { return 0 }
  let source = Unmanaged<ByteSource>.fromOpaque(context).takeUnretainedValue()
  return source.skip(request)
}
