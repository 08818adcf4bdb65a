import ArchiveIO
import Dispatch
import ImageModel
import Synchronization

/// Reads requested files of a plain layer tar where the header pass noted their contents
/// start, one `pread` per file (a few for a large one), instead of walking every header before
/// them again.
///
/// Each request names its entry (`ContentRequest.entry`); the fingerprints equal those of a
/// walk (XXH3 of the same bytes), and so do `partial` and `isComplete`. Answers come in the
/// requests' order, with no path looked at.
struct DirectContentRead {
  private let window: FileWindow
  /// The files to read, in archive order.
  private let files: [Planned]

  /// One file to read: where its content starts in the window, how much to read and keep,
  /// and which request it answers.
  private struct Planned {
    var offset: Int64
    var size: Int64
    var limit: Int64
    var headLimit: Int
    var answers: Int
  }

  /// Bytes read at once for a large file.
  static let chunk = 1 << 20

  /// Plans the reads; nil when some request names no entry, or one whose content has no known
  /// offset (a compressed layer, a sparse file), so that the caller walks the layer instead.
  init?(blocks: [UInt32], window: FileWindow, files requests: [FileRequest]) {
    var files: [Planned] = []
    files.reserveCapacity(requests.count)
    for (position, file) in requests.enumerated() {
      let request = file.request
      guard let entry = request.entry, entry.position >= 0, Int(entry.position) < blocks.count else { return nil }
      let block = blocks[Int(entry.position)]
      guard block != LayerContents.unknownOffset else { return nil }
      let offset = Int64(block) * 512
      guard entry.size >= 0, offset + entry.size <= window.length else { return nil }
      files.append(
        Planned(
          offset: offset, size: entry.size, limit: min(request.prefix ?? .max, entry.size),
          headLimit: request.headLimit, answers: position))
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
  func read() throws -> FileReads {
    var reads = FileReads(count: files.count)
    let total = files.reduce(0) { $0 + $1.limit }
    guard total > Self.splitBytes, files.count > 1 else {
      try read(files.indices, into: &reads)
      return reads
    }
    var split = 0
    var before: Int64 = 0
    while split < files.count - 1 && (before + files[split].limit) * 2 <= total {
      before += files[split].limit
      split += 1
    }
    let runs = [0..<max(split, 1), max(split, 1)..<files.count]
    let outcomes = Mutex<[Result<FileReads, any Error>?]>([nil, nil])
    DispatchQueue.concurrentPerform(iterations: runs.count) { run in
      let outcome = Result {
        var part = FileReads(count: files.count)
        try read(runs[run], into: &part)
        return part
      }
      outcomes.withLock { $0[run] = outcome }
    }
    for (run, outcome) in outcomes.withLock({ $0 }).enumerated() {
      guard let part = try outcome?.get() else { continue }
      for file in files[runs[run]] {
        reads.contents[file.answers] = part.contents[file.answers]
        reads.partial[file.answers] = part.partial[file.answers]
      }
      reads.bytesRead += part.bytesRead
    }
    return reads
  }

  /// Reads and fingerprints the planned files at `positions`, in order, into `reads`.
  private func read(_ positions: Range<Int>, into reads: inout FileReads) throws {
    let largest = files[positions].map(\.size).max() ?? 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Int(min(Int64(Self.chunk), largest)) + 1, alignment: 16)
    defer { buffer.deallocate() }
    for file in files[positions] {
      let (fingerprint, head) = try fingerprint(at: file.offset, count: file.limit, keeping: file.headLimit, buffer)
      reads.bytesRead += file.limit
      reads.partial[file.answers] = file.size > file.limit
      reads.contents[file.answers] = FileContent(
        fingerprint: fingerprint, head: head, isComplete: Int64(head.count) >= file.size)
    }
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
