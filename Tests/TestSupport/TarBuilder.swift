import CArchive
import Foundation

/// How a test archive is compressed.
public enum TarCompression: String, Sendable, CaseIterable {
  case none, gzip, zstd
}

/// A failure while writing a test archive with libarchive.
public struct TestArchiveError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Builds tar archives in memory with libarchive's writer, for tests.
///
/// Names are written exactly as given (no normalisation), so hostile names (`../x`, `/abs`),
/// long names (PAX `path` records), UTF-8 and spaces can all be produced.
///
/// ```swift
/// let tar = try TarBuilder()
///   .dir("app")
///   .file("app/data.bin", size: 1000)
///   .whiteout("app/old.conf")
///   .build()
/// ```
public struct TarBuilder: Sendable {
  /// The tar dialect to write.
  public enum Format: Sendable {
    /// POSIX pax (restricted: pax records only when needed), like Docker and Go.
    case pax
    /// GNU tar (long names as `././@LongLink` records).
    case gnu
    /// Plain ustar (names over 100/255 bytes fail).
    case ustar
  }

  /// One entry to write.
  public struct Entry: Sendable {
    public enum Kind: Sendable {
      case file([UInt8])
      case directory
      case symlink(String)
      case hardlink(String)
      case fifo
    }
    public var name: String
    public var kind: Kind
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    public var mtime: Int

    public init(
      name: String, kind: Kind, mode: UInt32, uid: Int = 0, gid: Int = 0, mtime: Int = TarBuilder.defaultMTime
    ) {
      self.name = name
      self.kind = kind
      self.mode = mode
      self.uid = uid
      self.gid = gid
      self.mtime = mtime
    }

    /// Content bytes (0 for everything but regular files).
    public var size: Int {
      if case .file(let bytes) = kind { return bytes.count }
      return 0
    }
  }

  /// The mtime every entry gets unless told otherwise.
  public static let defaultMTime = 1_700_000_000

  /// Entries in the order they will be written.
  public private(set) var entries: [Entry] = []
  /// The dialect.
  public var format: Format

  /// An empty archive in `format`.
  public init(format: Format = .pax) {
    self.format = format
  }

  // MARK: Adding entries (each returns a new builder)

  /// Adds any entry.
  public func adding(_ entry: Entry) -> TarBuilder {
    var copy = self
    copy.entries.append(entry)
    return copy
  }

  /// A regular file with these bytes.
  public func file(_ name: String, _ bytes: [UInt8], mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0) -> TarBuilder {
    adding(Entry(name: name, kind: .file(bytes), mode: mode, uid: uid, gid: gid))
  }

  /// A regular file holding this text (UTF-8).
  public func file(_ name: String, text: String, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0) -> TarBuilder {
    file(name, Array(text.utf8), mode: mode, uid: uid, gid: gid)
  }

  /// A regular file of `size` bytes of deterministic content (see `TarBuilder.content`).
  public func file(_ name: String, size: Int, seed: UInt64? = nil, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0)
    -> TarBuilder
  {
    file(name, Self.content(size: size, seed: seed ?? Self.seed(for: name)), mode: mode, uid: uid, gid: gid)
  }

  /// A directory.
  public func dir(_ name: String, mode: UInt32 = 0o755, uid: Int = 0, gid: Int = 0) -> TarBuilder {
    adding(Entry(name: name, kind: .directory, mode: mode, uid: uid, gid: gid))
  }

  /// A symbolic link to `target` (stored as given).
  public func symlink(_ name: String, to target: String, uid: Int = 0, gid: Int = 0) -> TarBuilder {
    adding(Entry(name: name, kind: .symlink(target), mode: 0o777, uid: uid, gid: gid))
  }

  /// A hard link to `target` (an earlier entry's name).
  public func hardlink(_ name: String, to target: String, mode: UInt32 = 0o644) -> TarBuilder {
    adding(Entry(name: name, kind: .hardlink(target), mode: mode))
  }

  /// A named pipe.
  public func fifo(_ name: String, mode: UInt32 = 0o644) -> TarBuilder {
    adding(Entry(name: name, kind: .fifo, mode: mode))
  }

  /// A whiteout deleting `path` from lower layers: an empty file `dir/.wh.base` of mode 0.
  public func whiteout(_ path: String) -> TarBuilder {
    adding(Entry(name: Self.whiteoutName(path), kind: .file([]), mode: 0))
  }

  /// An opaque marker `dir/.wh..wh..opq` (pass `""` for the root).
  public func opaque(_ directory: String) -> TarBuilder {
    let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    let name = trimmed.isEmpty ? ".wh..wh..opq" : trimmed + "/.wh..wh..opq"
    return adding(Entry(name: name, kind: .file([]), mode: 0))
  }

  /// `a/b` → `a/.wh.b`.
  public static func whiteoutName(_ path: String) -> String {
    if let slash = path.lastIndex(of: "/") {
      return String(path[...slash]) + ".wh." + String(path[path.index(after: slash)...])
    }
    return ".wh." + path
  }

  // MARK: Content

  /// A stable seed for a name (FNV-1a), so `file(name, size:)` content depends on the name.
  public static func seed(for name: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in name.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }

  /// `size` bytes of deterministic pseudo-random content (xorshift), reproducible from `seed`.
  public static func content(size: Int, seed: UInt64) -> [UInt8] {
    var state = seed == 0 ? 0x9e37_79b9_7f4a_7c15 : seed
    var bytes = [UInt8](repeating: 0, count: size)
    for index in 0..<size {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      bytes[index] = UInt8(truncatingIfNeeded: state >> 24)
    }
    return bytes
  }

  /// The content `file(name, size:)` writes for `name`.
  public static func content(of name: String, size: Int) -> [UInt8] { content(size: size, seed: seed(for: name)) }

  // MARK: Writing

  /// The archive bytes, optionally compressed.
  public func build(_ compression: TarCompression = .none) throws -> [UInt8] {
    try LibarchiveWriter.write(compression: compression) { archive in
      switch format {
      case .pax: archive_write_set_format_pax_restricted(archive)
      case .gnu: archive_write_set_format_gnutar(archive)
      case .ustar: archive_write_set_format_ustar(archive)
      }
    } body: { archive in
      for entry in entries { try Self.write(entry, to: archive, rawNames: format != .pax) }
    }
  }

  /// Writes the archive to `path`; returns `path`.
  @discardableResult
  public func write(to path: String, _ compression: TarCompression = .none) throws -> String {
    try writeFile(path, try build(compression))
    return path
  }

  /// - Parameter rawNames: store the name's bytes as they are (GNU and ustar headers). A name
  ///   given as UTF-8 is converted with Unicode normalisation to NFC by libarchive; pax needs that
  ///   form for its `path` records.
  static func write(_ entry: Entry, to archive: OpaquePointer, rawNames: Bool = false) throws {
    guard let header = archive_entry_new() else { throw TestArchiveError("archive_entry_new failed") }
    defer { archive_entry_free(header) }
    if rawNames {
      archive_entry_set_pathname(header, entry.name)
    } else {
      archive_entry_set_pathname_utf8(header, entry.name)
    }
    archive_entry_set_perm(header, mode_t(entry.mode & 0o7777))
    archive_entry_set_uid(header, la_int64_t(entry.uid))
    archive_entry_set_gid(header, la_int64_t(entry.gid))
    archive_entry_set_mtime(header, time_t(entry.mtime), 0)
    var data: [UInt8] = []
    switch entry.kind {
    case .file(let bytes):
      archive_entry_set_filetype(header, 0o100000)
      archive_entry_set_size(header, la_int64_t(bytes.count))
      data = bytes
    case .directory:
      archive_entry_set_filetype(header, 0o040000)
      archive_entry_set_size(header, 0)
    case .symlink(let target):
      archive_entry_set_filetype(header, 0o120000)
      archive_entry_set_symlink_utf8(header, target)
      archive_entry_set_size(header, 0)
    case .hardlink(let target):
      archive_entry_set_filetype(header, 0o100000)
      archive_entry_set_hardlink_utf8(header, target)
      archive_entry_set_size(header, 0)
    case .fifo:
      archive_entry_set_filetype(header, 0o010000)
      archive_entry_set_size(header, 0)
    }
    let status = archive_write_header(archive, header)
    guard status >= ARCHIVE_WARN else {
      throw TestArchiveError("cannot write header for '\(entry.name)': \(LibarchiveWriter.errorText(archive))")
    }
    if !data.isEmpty {
      let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
      guard written == data.count else {
        throw TestArchiveError("cannot write data for '\(entry.name)': \(LibarchiveWriter.errorText(archive))")
      }
    }
  }
}

/// Runs libarchive's writer into a byte array.
enum LibarchiveWriter {
  final class Sink {
    var bytes: [UInt8] = []
  }

  static let localeReady: Bool = {
    // The pax writer converts names through the locale; make it UTF-8 like the reader does.
    setlocale(LC_CTYPE, "C.UTF-8") != nil
  }()

  static func errorText(_ archive: OpaquePointer) -> String {
    archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
  }

  static func write(
    compression: TarCompression, format: (OpaquePointer) -> Void, body: (OpaquePointer) throws -> Void
  ) throws -> [UInt8] {
    _ = localeReady
    guard let archive = archive_write_new() else { throw TestArchiveError("archive_write_new failed") }
    // The sink outlives the writer: archive_write_free may still flush into it on error paths.
    let sink = Sink()
    let retained = Unmanaged.passRetained(sink)
    defer {
      archive_write_free(archive)
      retained.release()
    }
    format(archive)
    switch compression {
    case .none: break
    case .gzip:
      guard archive_write_add_filter_gzip(archive) == ARCHIVE_OK else { throw TestArchiveError(errorText(archive)) }
      _ = archive_write_set_filter_option(archive, "gzip", "timestamp", nil)
    case .zstd:
      guard archive_write_add_filter_zstd(archive) >= ARCHIVE_WARN else { throw TestArchiveError(errorText(archive)) }
    }
    archive_write_set_bytes_per_block(archive, 512)
    archive_write_set_bytes_in_last_block(archive, 1)
    let context = retained.toOpaque()
    let opened = archive_write_open(
      archive, context, nil,
      { _, context, buffer, length in
        guard let context else { return -1 }
        let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
        if length > 0, let buffer {
          sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
        }
        return la_ssize_t(length)
      }, nil)
    guard opened == ARCHIVE_OK else { throw TestArchiveError("cannot open writer: \(errorText(archive))") }
    try body(archive)
    guard archive_write_close(archive) == ARCHIVE_OK else { throw TestArchiveError("close: \(errorText(archive))") }
    return sink.bytes
  }

  /// Compresses `bytes` as one raw stream (no tar framing).
  static func compress(_ bytes: [UInt8], _ compression: TarCompression) throws -> [UInt8] {
    if compression == .none { return bytes }
    return try write(compression: compression, format: { archive_write_set_format_raw($0) }) { archive in
      guard let header = archive_entry_new() else { throw TestArchiveError("archive_entry_new failed") }
      defer { archive_entry_free(header) }
      archive_entry_set_pathname(header, "data")
      archive_entry_set_filetype(header, 0o100000)
      archive_entry_set_size(header, la_int64_t(bytes.count))
      guard archive_write_header(archive, header) >= ARCHIVE_WARN else { throw TestArchiveError(errorText(archive)) }
      if !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw TestArchiveError(errorText(archive)) }
      }
    }
  }
}

/// Compresses `bytes` with gzip or zstd (a whole stream, as a layer blob would be).
public func compressed(_ bytes: [UInt8], _ compression: TarCompression) throws -> [UInt8] {
  try LibarchiveWriter.compress(bytes, compression)
}

/// Hand-made ustar records, for names libarchive's writer will not produce (bytes that are not
/// UTF-8) and for damaged headers.
public enum RawTar {
  /// One 512-byte ustar header followed by `content` padded to 512 bytes.
  public static func entry(
    name: [UInt8], typeflag: UInt8 = UInt8(ascii: "0"), content: [UInt8] = [], mode: UInt32 = 0o644,
    linkName: [UInt8] = []
  ) -> [UInt8] {
    var header = [UInt8](repeating: 0, count: 512)
    func put(_ bytes: [UInt8], at offset: Int, width: Int) {
      for (index, byte) in bytes.prefix(width).enumerated() { header[offset + index] = byte }
    }
    func octal(_ value: Int, width: Int) -> [UInt8] {
      let digits = String(value, radix: 8)
      return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
    }
    put(name, at: 0, width: 100)
    put(octal(Int(mode), width: 8), at: 100, width: 8)
    put(octal(0, width: 8), at: 108, width: 8)
    put(octal(0, width: 8), at: 116, width: 8)
    put(octal(content.count, width: 12), at: 124, width: 12)
    put(octal(TarBuilder.defaultMTime, width: 12), at: 136, width: 12)
    put(Array(repeating: UInt8(ascii: " "), count: 8), at: 148, width: 8)
    header[156] = typeflag
    put(linkName, at: 157, width: 100)
    put(Array("ustar".utf8) + [0], at: 257, width: 6)
    put(Array("00".utf8), at: 263, width: 2)
    let sum = header.reduce(0) { $0 + Int($1) }
    put(
      Array((String(repeating: "0", count: max(0, 6 - String(sum, radix: 8).count)) + String(sum, radix: 8)).utf8) + [
        0, 0x20,
      ], at: 148, width: 8)
    var padded = content
    if padded.count % 512 != 0 { padded += [UInt8](repeating: 0, count: 512 - padded.count % 512) }
    return header + padded
  }

  /// The end-of-archive marker (two zero blocks).
  public static let end = [UInt8](repeating: 0, count: 1024)
}
