import Dispatch
import Platform
import Reporting

import Glibc

/// One status line on standard error while a command works: what it is doing, the bytes read so
/// far (of the archive's size, when known) and the layers done; for a registry, the blob bytes
/// downloaded of the pull's total, the rate and each layer downloading now. A line wider than
/// the terminal loses its middle (a long reference), so its figures stay. Shown only when standard error
/// is a terminal, `--quiet` was not given and the work lasts over half a second; never in a pipe
/// or a CI log. The line is erased before the report is written.
final class Progress: @unchecked Sendable {
  /// What is being done, e.g. `reading app.tar`.
  private var phase = ""
  /// Layers read, and in all.
  private var layers: (done: Int, total: Int)?
  /// Registry reads: each layer blob's bytes downloaded so far and its size, by layer.
  private var blobs: [Int: (bytes: Int64, size: Int64?)] = [:]
  /// When the work started, for the download rate.
  private let started = DispatchTime.now()
  /// The archive's size, when it is a regular file.
  private let totalBytes: Int64?
  /// The process's read bytes when the work started.
  private let startBytes: Int64
  private var shown = false
  private var finished = false
  private var lock = pthread_mutex_t()
  private let timer: DispatchSourceTimer?

  /// The delay before the line first appears.
  static let delay = 0.5

  /// The line on screen now, if any: messages on standard error erase it first.
  nonisolated(unsafe) static var current: Progress?

  /// Starts reporting on `path`'s reading, when `enabled`.
  init(reading path: String, enabled: Bool) {
    pthread_mutex_init(&lock, nil)
    phase = "reading \(path == "-" ? "standard input" : path)"
    totalBytes = Self.regularFileSize(path)
    startBytes = Self.processReadBytes() ?? 0
    guard enabled else {
      timer = nil
      return
    }
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    self.timer = timer
    timer.schedule(deadline: .now() + Self.delay, repeating: .milliseconds(200))
    timer.setEventHandler { [weak self] in self?.draw() }
    timer.resume()
    Self.current = self
  }

  deinit {
    timer?.cancel()
    pthread_mutex_destroy(&lock)
  }

  /// Whether progress may be shown: standard error is a terminal, not `TERM=dumb`, not `--quiet`.
  static func wanted(quiet: Bool) -> Bool {
    !quiet && isatty(STDERR_FILENO) != 0 && Terminal.environment("TERM") != "dumb"
  }

  /// Moves on to the next step (`merging layers`, `finding waste`).
  func step(_ text: String) {
    locked { phase = text }
  }

  /// Records that `done` of `total` layers are read (called from any thread).
  func layerRead(done: Int, total: Int) {
    locked { layers = (done, total) }
  }

  /// Records that `bytes` of layer `index`'s blob (of `size`) have downloaded (any thread).
  func blobBytes(layer index: Int, bytes: Int64, size: Int64?) {
    locked { blobs[index] = (bytes, size) }
  }

  /// `312 MB of 855 MB downloaded, 24.1 MB/s` (the blobs in all, the rate since the start) and
  /// `layer 3 45 %`, `layer 4 12 %` (the layers downloading now), apart: a narrow line sheds the
  /// layers first.
  private func downloadText() -> (summary: String, layers: [String]) {
    let received = blobs.values.reduce(Int64(0)) { $0 + $1.bytes }
    var text = ByteFormat.human(received)
    if blobs.values.allSatisfy({ $0.size != nil }) {
      text += " of " + ByteFormat.human(blobs.values.reduce(Int64(0)) { $0 + ($1.size ?? 0) })
    }
    text += " downloaded"
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    if seconds > 0 { text += ", " + ByteFormat.human(Int64(Double(received) / seconds)) + "/s" }
    var layers: [String] = []
    for (index, blob) in blobs.sorted(by: { $0.key < $1.key }) {
      guard blob.bytes > 0, let size = blob.size, size > 0, blob.bytes < size else { continue }
      layers.append("layer \(index) \(blob.bytes * 100 / size) %")
    }
    return (text, layers)
  }

  /// Stops and erases the line.
  func finish() {
    timer?.cancel()
    locked {
      if shown { Self.write("\r\u{1B}[K") }
      shown = false
      finished = true
    }
  }

  /// Runs `body` (which writes to standard error) with the line erased; it comes back at the
  /// next tick.
  func interrupt(_ body: () -> Void) {
    locked {
      if shown { Self.write("\r\u{1B}[K") }
      shown = false
      body()
    }
  }

  private func draw() {
    locked {
      guard !finished else { return }
      var summary = ""
      var downloading: [String] = []
      if !blobs.isEmpty {
        let download = downloadText()
        summary = ": " + download.summary
        downloading = download.layers
      } else if let read = Self.processReadBytes().map({ $0 - startBytes }), read > 0 {
        summary += ": " + ByteFormat.human(read)
        if let totalBytes { summary += " of " + ByteFormat.human(totalBytes) }
        summary += " read"
      }
      let counted = layers.map { ", \($0.done) of \($0.total) layers" } ?? ""
      func figureText(_ shown: ArraySlice<String>) -> String {
        SafeText.escape(summary + shown.map { ", " + $0 }.joined() + counted) + "…"
      }
      let width = max(10, Self.columns() - 1)
      // A line too wide loses the layers downloading (the last first), then the middle of the
      // step's text (the image's name); the other figures only when nothing else is left.
      var kept = downloading.count
      while kept > 0 && width - SafeText.width(figureText(downloading.prefix(kept))) < 16 { kept -= 1 }
      let figures = figureText(downloading.prefix(kept))
      let room = width - SafeText.width(figures)
      let line =
        room >= 16
        ? SafeText.truncateMiddle(SafeText.escape(phase), to: room) + figures
        : SafeText.truncateMiddle(SafeText.escape(phase) + figures, to: width)
      Self.write("\r\u{1B}[K" + line)
      shown = true
    }
  }

  private func locked(_ body: () -> Void) {
    pthread_mutex_lock(&lock)
    body()
    pthread_mutex_unlock(&lock)
  }

  private static func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = systemWrite(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  }

  /// Columns of the terminal on standard error.
  private static func columns() -> Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  /// The size of `path` when it is a regular file (not a pipe, a directory or standard input).
  private static func regularFileSize(_ path: String) -> Int64? {
    var info = stat()
    guard path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int64(info.st_size)
  }

  /// Bytes this process has read so far (`rchar` of /proc/self/io: every read and pread, the
  /// archive's above all), or nil where the kernel does not tell.
  static func processReadBytes() -> Int64? {
    guard let file = fopen("/proc/self/io", "r") else { return nil }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 256)
    while fgets(&buffer, Int32(buffer.count), file) != nil {
      let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if line.hasPrefix("rchar:") {
        return Int64(line.dropFirst("rchar:".count).trimmingCharacters())
      }
    }
    return nil
  }
}

extension Substring {
  fileprivate func trimmingCharacters() -> String {
    String(drop { $0 == " " || $0 == "\t" }.prefix { $0.isNumber })
  }
}
