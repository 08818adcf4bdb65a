internal import CArchive
internal import CMultibyte

import Glibc

/// Reads a tar archive, possibly gzip- or zstd-compressed, entry by entry through libarchive.
///
/// The reader never writes anything to disk. Content is read only when asked for
/// (`nextContent`, `readAll`, `peek`); otherwise `next()` skips it, by seeking when the source
/// allows.
package final class ArchiveReader {
  /// Where the bytes come from.
  package enum Source {
    /// A byte range of a regular file (seekable: content is skipped without reading it).
    case window(FileWindow)
    /// A pipe, FIFO or device (standard input, `<(docker save …)`), read once from start to
    /// end. The reader owns the descriptor and closes it: pass a duplicate of one to keep.
    case stream(descriptor: Int32)
    /// The content of the current entry of another reader (a tar stored inside a tar);
    /// `prefix` gives back bytes already taken from it with `peek`.
    case entryOf(ArchiveReader, prefix: [UInt8])
  }

  private let handle: OpaquePointer
  private let source: ByteSource
  private var opened = false
  private var hasEntry = false
  /// Whether a header was read: errors before the first one mean the data is no archive.
  private var sawHeader = false
  /// The current entry's content as libarchive hands it over: the block it gave last.
  private var content = ContentBlocks()

  /// Default block size for reads from the source.
  package static let blockSize = 64 * 1024

  private static let localeReady: Bool = {
    // libarchive converts PAX (UTF-8) names to the current locale; use a UTF-8 one.
    let ready = setlocale(LC_CTYPE, "C.UTF-8") != nil
    // It also converts every regular file's name to wide characters, one mbrtowc call per
    // byte: answer the ASCII bytes without glibc's conversion machinery (CMultibyte).
    strata_multibyte_enable_ascii_fast_path()
    return ready
  }()

  /// Opens an archive on `source`.
  /// - Parameter observer: shown every chunk of the source's bytes as libarchive takes it, in
  ///   order (a digest of what was parsed, a byte count for progress). With an observer the
  ///   reader never skips by seeking: every byte it goes past is read and shown.
  /// - Throws: `ArchiveError` when libarchive recognises no tar format in the data.
  package init(source: Source, observer: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
    _ = Self.localeReady
    guard let archive = archive_read_new() else { throw ArchiveError("out of memory", kind: .system) }
    handle = archive
    switch source {
    case .window(let window): self.source = FileWindowSource(window: window, blockSize: Self.blockSize)
    case .stream(let descriptor):
      // A pipe holds 64 KiB by default; a 1 MiB one lets the writer run ahead. Reads stay at
      // 64 KiB, so the bytes are hashed and parsed while still in the core's cache: reads of
      // 1 MiB took 1.6 s of wall time and 1.2 s of CPU for `cat real-1gb.tar | strata analyze -`,
      // 64 KiB ones 0.95 s and 0.95 s (the copy out of the pipe went to memory and back).
      _ = fcntl(descriptor, 1031 /* F_SETPIPE_SZ */, 1 << 20)
      self.source = DescriptorSource(descriptor: descriptor, blockSize: Self.blockSize)
    case .entryOf(let outer, let prefix):
      self.source = EntryDataSource(outer: outer, prefix: prefix)
    }
    self.source.observer = observer
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
    if source.canSkip && source.observer == nil { archive_read_set_skip_callback(handle, skipCallback) }
    let status = archive_read_open1(handle)
    guard status >= ARCHIVE_WARN else { throw currentError(fallback: "cannot open archive") }
    opened = true
  }

  /// Whether no compression filter is in use (known once the first header was read): asked
  /// once, not for every entry.
  private lazy var isUncompressed: Bool = {
    (0..<archive_filter_count(handle)).allSatisfy { archive_filter_code(handle, $0) == ARCHIVE_FILTER_NONE }
  }()

  /// Names of the compression filters in use, outermost last (empty when uncompressed).
  package var compression: [String] {
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
  package func limitUncompressedBytes(to limit: Int64) {
    source.uncompressedLimit = limit
  }

  /// The message of the error a passed `limitUncompressedBytes` limit raises.
  package static let uncompressedLimitMessage = "expands past the uncompressed size limit"

  /// Bytes of uncompressed archive data libarchive has gone through (equals the position in
  /// the source when nothing is compressed).
  package var uncompressedPosition: Int64 { archive_filter_bytes(handle, 0) }

  /// Bytes taken from the source so far (what was actually read, not skipped).
  package var bytesRead: Int64 { source.bytesRead }

  /// Reads from the source so far (chunks handed to libarchive).
  package var chunksRead: Int { source.chunksRead }

  /// Says that about `bytes` of the current entry's content will be read next: a seekable
  /// source then reads them in one piece instead of growing its reads from a header's size.
  package func expectContent(_ bytes: Int64) { source.expect(bytes) }

  /// Advances to the next entry, skipping the rest of the current one.
  /// - Returns: the entry, or `nil` at the end of the archive.
  /// - Throws: `ArchiveError` for truncated or corrupt data.
  package func next() throws -> ArchiveEntry? {
    var entry: OpaquePointer?
    let status = archive_read_next_header(handle, &entry)
    content = ContentBlocks()
    if status == ARCHIVE_EOF {
      hasEntry = false
      return nil
    }
    guard status >= ARCHIVE_WARN, let entry else {
      hasEntry = false
      throw currentError(fallback: "cannot read the next header")
    }
    hasEntry = true
    sawHeader = true
    var decoded = Self.decode(entry)
    // A sparse entry's stored bytes are not its content laid out from one offset.
    if isUncompressed, archive_entry_sparse_count(entry) == 0 {
      decoded.dataOffset = archive_filter_bytes(handle, -1)
    }
    return decoded
  }

  /// Hands over the next piece of the current entry's content without copying it: the bytes
  /// stay in libarchive's buffer (or the source's), valid only until the next call on this
  /// reader. Holes between the blocks of a sparse entry come as zeros; a hole at its end does
  /// not, as with `archive_read_data` (a header cannot make strata hash zeros up to any size).
  /// - Parameter limit: the most bytes to hand over.
  /// - Returns: an empty buffer at the end of the content.
  package func nextContent(limit: Int = .max) throws -> UnsafeRawBufferPointer {
    guard hasEntry else { return ContentBlocks.none }
    try fillContent()
    return content.take(limit)
  }

  /// Like `nextContent`, except that a hole of a sparse entry comes as its length (`hole` > 0,
  /// `data` empty) instead of as zeros: a 20 kB archive can claim a terabyte of holes, and
  /// hashing them as zeros took 12 s for 200 GB.
  package func nextContentOrHole(limit: Int = .max) throws -> (data: UnsafeRawBufferPointer, hole: Int64) {
    guard hasEntry else { return (ContentBlocks.none, 0) }
    try fillContent()
    let hole = content.takeHole()
    return hole > 0 ? (ContentBlocks.none, hole) : (content.take(limit), 0)
  }

  /// Asks libarchive for the next block of the current entry when nothing is left to take.
  private func fillContent() throws {
    // A block may be empty without ending the content (the end of a sparse map): ask again.
    while content.isEmpty && !content.ended {
      var block: UnsafeRawPointer?
      var size = 0
      var offset: la_int64_t = 0
      let status = archive_read_data_block(handle, &block, &size, &offset)
      if status == ARCHIVE_EOF {
        content.end()
      } else {
        guard status >= ARCHIVE_WARN else { throw currentError(fallback: "cannot read entry data") }
        try content.receive(UnsafeRawBufferPointer(start: block, count: size), at: Int64(offset))
      }
    }
  }

  /// Reads the current entry's content whole.
  /// - Parameter limit: the most bytes accepted; more throws instead of growing without bound.
  package func readAll(limit: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    while true {
      let piece = try nextContent()
      if piece.isEmpty { return result }
      if result.count + piece.count > limit {
        throw ArchiveError("entry is larger than \(limit) bytes", kind: .entryTooLarge)
      }
      result.append(contentsOf: piece)
    }
  }

  /// Reads at most `count` bytes of the current entry's content, to look at them.
  /// Pass the result as `prefix` of a nested reader so it sees them again.
  package func peek(count: Int) throws -> [UInt8] {
    var result: [UInt8] = []
    let want = min(count, Self.blockSize)
    while result.count < want {
      let piece = try nextContent(limit: want - result.count)
      if piece.isEmpty { break }
      result.append(contentsOf: piece)
    }
    return result
  }

  private func currentError(fallback: String) -> ArchiveError {
    if let failure = source.failure { return failure }
    let code = archive_errno(handle)
    let message = archive_error_string(handle).map { String(cString: $0) } ?? fallback
    return ArchiveError(message, kind: Self.kind(of: message, code: code, sawHeader: sawHeader), code: code)
  }

  /// libarchive reports every format problem with one errno (`ARCHIVE_ERRNO_FILE_FORMAT`), so
  /// its kinds are told apart here, once: nothing recognised before the first header is not an
  /// archive; data that stops early is truncated; the rest is damage.
  static func kind(of message: String, code: Int32, sawHeader: Bool) -> ArchiveError.Kind {
    if message.contains("runcated") || message.contains("premature end") { return .truncated }
    if !sawHeader && (message.contains("Unrecognized archive format") || message.contains("Damaged tar archive")) {
      return .notAnArchive
    }
    // On Linux, ARCHIVE_ERRNO_FILE_FORMAT is EILSEQ, _PROGRAMMER is EINVAL and _MISC is -1.
    if code > 0 && code != EILSEQ && code != EINVAL { return .system }
    return .corrupt
  }

  private static func decode(_ entry: OpaquePointer) -> ArchiveEntry {
    // The UTF-8 form is asked for only when there is no other: libarchive makes it by a
    // conversion (with Unicode normalisation) for every name it is asked for.
    let raw = archive_entry_pathname(entry)
    let (path, escaped) = decodeNameReportingEscapes(raw, raw == nil ? archive_entry_pathname_utf8(entry) : nil)
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
    if let hardlink = archive_entry_hardlink(entry) {
      kind = .hardlink
      target = decodeName(hardlink, nil)
    } else if let hardlink = archive_entry_hardlink_utf8(entry) {
      kind = .hardlink
      target = decodeName(nil, hardlink)
    } else if kind == .symlink {
      let symlink = archive_entry_symlink(entry)
      target = decodeName(symlink, symlink == nil ? archive_entry_symlink_utf8(entry) : nil)
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
  static func decodeNameReportingEscapes(_ raw: UnsafePointer<CChar>?, _ utf8: UnsafePointer<CChar>?) -> (String, Bool)
  {
    // (No array of the two candidates: this runs for every header, and the array was a
    // heap allocation each time.)
    guard let candidate = raw ?? utf8 else { return ("", false) }
    // The C-string validation takes the standard library's fast UTF-8 check (a word at a time
    // over ASCII); `String(validating:as:)` over the same bytes went through its generic
    // decoder, a tenth of reading a header.
    if let text = String(validatingCString: candidate) { return (text, false) }
    let bytes = UnsafeRawBufferPointer(start: candidate, count: strlen(candidate)).bindMemory(to: UInt8.self)
    return (escapingInvalidBytes(Array(bytes)), true)
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

/// The part of an entry's content libarchive handed over and strata has not taken yet.
///
/// `archive_read_data_block` gives pointers into libarchive's own buffer: taking bytes from
/// them costs no copy. Each block says where in the content it starts; a gap before it is a
/// hole of a sparse file, owed as zeros before the block.
struct ContentBlocks {
  /// An empty piece: the end of the content.
  static var none: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
  /// Zeros to hand over for holes, a piece at a time: allocated once, never written again.
  nonisolated(unsafe) private static let zeros: UnsafeRawBufferPointer = {
    let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    memory.initializeMemory(as: UInt8.self, repeating: 0)
    return UnsafeRawBufferPointer(memory)
  }()

  /// What is left of the block handed over last.
  private var block = none
  /// Zeros still owed before `block`.
  private var hole: Int64 = 0
  /// Where in the content the next byte taken stands.
  private var position: Int64 = 0
  /// Whether libarchive said the content ended.
  private(set) var ended = false

  /// Whether nothing is left to take before asking libarchive for more.
  var isEmpty: Bool { block.isEmpty && hole == 0 }

  /// Keeps the block libarchive handed over, starting at `offset` in the content.
  /// - Throws: `ArchiveError` when the block starts before bytes already taken.
  mutating func receive(_ piece: UnsafeRawBufferPointer, at offset: Int64) throws {
    guard offset >= position else { throw ArchiveError("sparse blocks out of order", kind: .corrupt) }
    hole = offset - position
    block = piece
  }

  /// Notes that libarchive has no more blocks.
  mutating func end() {
    ended = true
    block = Self.none
    hole = 0
  }

  /// Takes all the zeros owed before the block, as a count.
  mutating func takeHole() -> Int64 {
    defer { hole = 0 }
    position += hole
    return hole
  }

  /// Takes at most `limit` bytes: owed zeros first, then the block.
  mutating func take(_ limit: Int) -> UnsafeRawBufferPointer {
    if hole > 0 {
      let count = Int(min(hole, Int64(min(limit, Self.zeros.count))))
      hole -= Int64(count)
      position += Int64(count)
      return UnsafeRawBufferPointer(rebasing: Self.zeros[0..<count])
    }
    let count = min(limit, block.count)
    guard count > 0 else { return Self.none }
    let piece = UnsafeRawBufferPointer(rebasing: block[0..<count])
    block = UnsafeRawBufferPointer(rebasing: block[count...])
    position += Int64(count)
    return piece
  }
}

private func readCallback(
  _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
  _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
  guard let context, let buffer else { return -1 }
  let source = Unmanaged<ByteSource>.fromOpaque(context).takeUnretainedValue()
  if let limit = source.uncompressedLimit, let archive, archive_filter_bytes(archive, 0) > limit {
    source.failure = ArchiveError(ArchiveReader.uncompressedLimitMessage, kind: .tooLarge)
    return -1
  }
  do {
    let chunk = try source.nextChunk()
    if chunk.count > 0 { source.chunksRead += 1 }
    source.observer?(chunk)
    buffer.pointee = chunk.baseAddress
    return chunk.count
  } catch let error as ArchiveError {
    source.failure = error
    return -1
  } catch {
    source.failure = ArchiveError("\(error)", kind: .source)
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
