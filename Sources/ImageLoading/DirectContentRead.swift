import ArchiveIO
import Dispatch
import ImageModel
import Synchronization

/// Reads requested files of a plain layer tar where the header pass noted their contents
/// start, one `pread` per file (a few for a large one), instead of walking every header before
/// them again.
///
/// Each request names its entry (`ContentRequest.entry`); the fingerprints equal those of a
/// walk (XXH3 of the same bytes), and so do `partial` and `isComplete`.
struct DirectContentRead {
  private let window: FileWindow
  /// The files to read, in archive order: path, where the content starts in the window, size.
  private let files: [(path: String, offset: Int64, size: Int64, request: ContentRequest)]

  /// Bytes read at once for a large file.
  static let chunk = 1 << 20

  /// Plans the reads; nil when some request names no entry, or one whose content has no known
  /// offset (a compressed layer, a sparse file), so that the caller walks the layer instead.
  init?(blocks: [UInt32], window: FileWindow, requests: [String: ContentRequest]) {
    var files: [(path: String, offset: Int64, size: Int64, request: ContentRequest)] = []
    files.reserveCapacity(requests.count)
    for (path, request) in requests {
      guard let entry = request.entry, entry.position >= 0, Int(entry.position) < blocks.count else { return nil }
      let block = blocks[Int(entry.position)]
      guard block != LayerContents.unknownOffset else { return nil }
      let offset = Int64(block) * 512
      guard entry.size >= 0, offset + entry.size <= window.length else { return nil }
      files.append((path, offset, entry.size, request))
    }
    files.sort { $0.offset < $1.offset }
    self.window = window
    self.files = files
  }

  /// Bytes to read above which the files are read in two runs at once.
  static let splitBytes: Int64 = 8 << 20

  /// Reads and fingerprints every planned file.
  ///
  /// When the files hold more than `splitBytes`, they are read as two runs of about equal
  /// bytes, each in archive order, at the same time: the layers of an image are read
  /// concurrently, but most of what a waste analysis reads whole often lies in one of them.
  func read() throws -> ContentRead {
    let lengths = files.map { min($0.request.prefix ?? .max, $0.size) }
    let total = lengths.reduce(0, +)
    guard total > Self.splitBytes, files.count > 1 else { return try read(files.indices) }
    var split = 0
    var before: Int64 = 0
    while split < files.count - 1 && (before + lengths[split]) * 2 <= total {
      before += lengths[split]
      split += 1
    }
    let runs = [0..<max(split, 1), max(split, 1)..<files.count]
    let outcomes = Mutex<[Result<ContentRead, any Error>?]>([nil, nil])
    DispatchQueue.concurrentPerform(iterations: runs.count) { run in
      let outcome = Result { try read(runs[run]) }
      outcomes.withLock { $0[run] = outcome }
    }
    var result = ContentRead(files: [:])
    for outcome in outcomes.withLock({ $0 }) {
      guard let part = try outcome?.get() else { continue }
      result.files.merge(part.files) { first, _ in first }
      result.partial.formUnion(part.partial)
      result.bytesRead += part.bytesRead
    }
    return result
  }

  /// Reads and fingerprints the planned files at `positions`, in order.
  private func read(_ positions: Range<Int>) throws -> ContentRead {
    var result = ContentRead(files: [:])
    let largest = files[positions].map(\.size).max() ?? 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Int(min(Int64(Self.chunk), largest)) + 1, alignment: 16)
    defer { buffer.deallocate() }
    for file in files[positions] {
      let limit = min(file.request.prefix ?? .max, file.size)
      if file.size > limit { result.partial.insert(file.path) }
      let (fingerprint, head) = try fingerprint(at: file.offset, count: limit, keeping: file.request.headLimit, buffer)
      result.bytesRead += limit
      result.files[file.path] = FileContent(
        fingerprint: fingerprint, head: head, isComplete: Int64(head.count) >= file.size)
    }
    return result
  }

  private func fingerprint(at offset: Int64, count: Int64, keeping keep: Int, _ buffer: UnsafeMutableRawBufferPointer)
    throws -> (UInt64, [UInt8])
  {
    let hasher = ContentHasher()
    var head: [UInt8] = []
    var done: Int64 = 0
    guard let base = buffer.baseAddress else { return (hasher.value, head) }
    while done < count {
      let want = Int(min(count - done, Int64(buffer.count)))
      var filled = 0
      while filled < want {
        let got = try window.file.read(
          into: base + filled, count: want - filled, at: window.offset + offset + done + Int64(filled))
        guard got > 0 else { throw ArchiveError("truncated: a file's content ends early", kind: .truncated) }
        filled += got
      }
      let piece = UnsafeRawBufferPointer(start: base, count: filled)
      hasher.update(piece)
      if head.count < keep { head.append(contentsOf: piece.prefix(keep - head.count)) }
      done += Int64(filled)
    }
    return (hasher.value, head)
  }
}
