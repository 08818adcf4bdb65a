internal import CArchive
import Glibc

/// Where an `ArchiveReader` gets its bytes. Subclasses feed libarchive through C callbacks.
class ByteSource {
  /// The error that made the last callback fail, reported instead of libarchive's generic text.
  var failure: ArchiveError?
  /// Bytes handed to libarchive so far.
  var bytesRead: Int64 = 0
  /// Chunks handed to libarchive so far (for a file, one `pread` each).
  var chunksRead = 0
  /// Stop when the uncompressed data passes this many bytes (a decompression bomb).
  var uncompressedLimit: Int64?
  /// Shown each chunk handed to libarchive (see `ArchiveReader.init(source:observer:)`).
  var observer: ((UnsafeRawBufferPointer) -> Void)?
  /// Whether libarchive may skip forward without reading (seekable sources).
  var canSkip: Bool { false }
  /// Says that about `bytes` of content are wanted next (then a header), so a source that
  /// sizes its reads can read that much at once.
  func expect(_ bytes: Int64) {}

  /// Returns the next chunk of bytes, or an empty buffer at the end.
  func nextChunk() throws -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
  /// Skips up to `count` bytes; returns how many were skipped.
  func skip(_ count: Int64) -> Int64 { 0 }
}

/// Reads a window of a regular file with `pread`, and skips by moving the offset.
///
/// After a skip, libarchive wants the next header: a few hundred bytes, or 1.5 KiB with a PAX
/// record. A full block there would bring in the contents after the header, mostly to be skipped
/// again (a 1.4 GB image of 60,000 files read 380 MB that way). So the first read after a long
/// skip is `smallestRead`. A short skip (under `denseSkip`) says that small files lie here, and
/// small files come in runs (headers, documentation): the next read is `denseRead`, which holds
/// the next few of them whole, so that libarchive skips their contents inside it instead of
/// asking for one read per file (on a 2 GB image of 60,000 files: 58,000 reads became 27,000,
/// 10 % less CPU, for 145 MB more read through the page cache). Each read in a row without a
/// skip doubles, up to the block size: whole contents still come in large reads.
final class FileWindowSource: ByteSource {
  let window: FileWindow
  private var position: Int64 = 0
  private let buffer: UnsafeMutableRawBufferPointer
  /// The size of the next read.
  private var readSize = FileWindowSource.smallestRead
  /// The first read after a long skip: two header blocks.
  static let smallestRead = 1024
  /// Skips shorter than this are over small files.
  static let denseSkip: Int64 = 16 * 1024
  /// The first read after a short skip.
  static let denseRead = 16 * 1024

  init(window: FileWindow, blockSize: Int) {
    self.window = window
    self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
  }

  deinit { buffer.deallocate() }

  override var canSkip: Bool { true }

  override func nextChunk() throws -> UnsafeRawBufferPointer {
    let remaining = window.length - position
    guard remaining > 0, let base = buffer.baseAddress else {
      return UnsafeRawBufferPointer(start: nil, count: 0)
    }
    let want = Int(min(Int64(min(readSize, buffer.count)), remaining))
    readSize = min(readSize * 2, buffer.count)
    let got = try window.file.read(into: base, count: want, at: window.offset + position)
    position += Int64(got)
    bytesRead += Int64(got)
    return UnsafeRawBufferPointer(start: base, count: got)
  }

  override func skip(_ count: Int64) -> Int64 {
    let step = max(0, min(count, window.length - position))
    position += step
    if step > 0 { readSize = step < Self.denseSkip ? Self.denseRead : Self.smallestRead }
    return step
  }

  override func expect(_ bytes: Int64) {
    // The content, then the next header, in 512-byte tar blocks.
    let wanted = (min(bytes, Int64(buffer.count)) + 1023) / 512 * 512
    readSize = min(max(Int(wanted), Self.smallestRead), buffer.count)
  }
}

/// Reads a file descriptor it owns sequentially (a pipe): no skipping; closes it when done.
final class DescriptorSource: ByteSource {
  private let descriptor: Int32
  private let buffer: UnsafeMutableRawBufferPointer

  init(descriptor: Int32, blockSize: Int) {
    self.descriptor = descriptor
    self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
  }

  deinit {
    buffer.deallocate()
    close(descriptor)
  }

  override func nextChunk() throws -> UnsafeRawBufferPointer {
    guard let base = buffer.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    while true {
      let got = read(descriptor, base, buffer.count)
      if got >= 0 {
        bytesRead += Int64(got)
        return UnsafeRawBufferPointer(start: base, count: got)
      }
      if errno == EINTR { continue }
      throw ArchiveError(OpenFile.systemMessage(errno), kind: .system, code: errno)
    }
  }
}

/// Reads the content of the current entry of another archive: a layer tar inside an image tar.
///
/// Bytes already read from the entry (to look at them) are given back first as `prefix`; the
/// rest is handed over where the outer reader holds it, without a copy.
final class EntryDataSource: ByteSource {
  private let outer: ArchiveReader
  private var prefix: UnsafeMutableRawBufferPointer?
  private var prefixServed = false

  init(outer: ArchiveReader, prefix: [UInt8]) {
    self.outer = outer
    if !prefix.isEmpty {
      let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: prefix.count, alignment: 16)
      copy.copyBytes(from: prefix)
      self.prefix = copy
    }
  }

  deinit { prefix?.deallocate() }

  override func nextChunk() throws -> UnsafeRawBufferPointer {
    // The prefix stays allocated until the reader goes: libarchive may still point into it.
    if let prefix, !prefixServed {
      prefixServed = true
      bytesRead += Int64(prefix.count)
      return UnsafeRawBufferPointer(prefix)
    }
    let piece = try outer.nextContent()
    bytesRead += Int64(piece.count)
    return piece
  }
}
