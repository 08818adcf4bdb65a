import Analysis
import ArgumentParser
import Reporting
import JSONIO
import ImageLoading
import ImageModel
import Platform

import Glibc

/// Where the commands write: standard output, standard error, or a file the user named. (The
/// progress line writes to standard error itself, and `explore` draws through its terminal.)
enum Output {
  /// Writes `text` to standard output.
  static func standardOutput(_ text: String) {
    write(text, to: STDOUT_FILENO)
  }

  /// Writes bytes (a file's content) to standard output.
  static func standardOutput(bytes: [UInt8]) {
    bytes.withUnsafeBytes { _ = writeAll($0, to: STDOUT_FILENO) }
  }

  /// Writes one line to standard error.
  static func standardError(_ line: String) {
    let text = line.hasSuffix("\n") ? line : line + "\n"
    guard let progress = Progress.current else {
      write(text, to: STDERR_FILENO)
      return
    }
    progress.interrupt { write(text, to: STDERR_FILENO) }
  }

  /// Writes `text` to `path`, or to standard output when `path` is nil or `-`.
  /// - Throws: `CommandError` when the file cannot be written.
  static func deliver(_ text: String, to path: String?) throws {
    try deliver(to: path) { write(text, to: $0) }
  }

  /// Writes a JSON document to `path`, or to standard output when `path` is nil or `-`, as it is
  /// serialised: the text of a large report is never held whole in memory.
  /// - Throws: `CommandError` when the file cannot be written.
  static func deliver(json: consuming JSONValue, to path: String?) throws {
    let document = consume json
    try deliver(to: path) { descriptor in document.write { writeAll($0, to: descriptor) } }
  }

  /// Writes a rendered report to `path`, or to standard output when `path` is nil or `-`.
  /// - Throws: `CommandError` when the file cannot be written.
  static func deliver(_ document: ReportDocument, to path: String?) throws {
    switch document {
    case .text(let text): try deliver(text, to: path)
    case .json(let json): try deliver(json: json, to: path)
    }
  }

  /// Opens `path` (or takes standard output) and runs `body` on the descriptor.
  private static func deliver(to path: String?, _ body: (Int32) -> Bool) throws {
    guard let path, path != "-" else {
      _ = body(STDOUT_FILENO)
      return
    }
    try write(to: path, flags: O_TRUNC, body)
  }

  /// Appends `text` to `path` (creating it), as GitHub's `$GITHUB_STEP_SUMMARY` wants.
  /// - Throws: `CommandError` when the file cannot be written.
  static func append(_ text: String, to path: String) throws {
    try write(to: path, flags: O_APPEND) { write(text, to: $0) }
  }

  /// Opens `path` for writing (created when missing; `flags` add O_TRUNC or O_APPEND) and runs
  /// `body` on it; a failure to open or to write is a `CommandError` naming the file.
  private static func write(to path: String, flags: Int32, _ body: (Int32) -> Bool) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0o644)
    guard descriptor >= 0 else { throw CommandError("\(path): cannot write: \(systemMessage(errno))") }
    defer { close(descriptor) }
    guard body(descriptor) else { throw CommandError("\(path): cannot write: \(systemMessage(errno))") }
  }

  private static func systemMessage(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }

  /// Set by `--quiet`: no warnings (errors are still printed).
  nonisolated(unsafe) static var quiet = false

  /// Prints `strata: warning: message` on standard error, unless `--quiet`.
  static func warning(_ message: String) {
    guard !quiet else { return }
    standardError("strata: warning: \(message)")
  }

  @discardableResult
  private static func write(_ text: String, to descriptor: Int32) -> Bool {
    var text = text
    return text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
  }

  /// Writes all of `bytes`, retrying short writes and interruptions.
  private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    var offset = 0
    while offset < bytes.count {
      let written = systemWrite(descriptor, base + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += written
    }
    return true
  }
}

/// Loads an image; `progress` is told of each layer read, then of the merge; `merge` is handed
/// the layers as they are read (for `Analyzer.analyze(_:keepingLayerEntries:merged:)`);
/// `layersPlanned` is told the number of layers before any is read.
/// - Throws: `ImageLoadError`, or what `layersPlanned` throws, for the boundary in `Strata.main`.
func loadImage(
  _ options: ImageOptions, progress: Progress? = nil, merging merge: LayerMerge? = nil,
  layersPlanned: (@Sendable (Int) throws -> Void)? = nil
) throws -> Image {
  var loadOptions = options.loadOptions
  loadOptions.layersPlanned = layersPlanned
  if let merge { loadOptions.layerReady = { merge.add($0, $1) } }
  if let progress {
    loadOptions.layerRead = { progress.layerRead(done: $0, total: $1) }
    loadOptions.layerBytes = { progress.blobBytes(layer: $0, bytes: $1, size: $2) }
  }
  let image = try loadImage(options.image, read: options.read, options: loadOptions)
  progress?.step("merging \(image.layers.count) layers")
  return image
}

/// Loads the image `argument` names with `read`'s options (`options` may add callbacks).
/// - Throws: `ImageLoadError`, for the boundary in `Strata.main` to print.
func loadImage(_ argument: String, read: ImageReadOptions, options: LoadOptions) throws -> Image {
  try ImageLoader.load(try read.locate(argument), displayName: argument, options: options)
}
