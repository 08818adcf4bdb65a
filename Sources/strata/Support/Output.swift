import ArgumentParser
import Reporting
import ImageLoading

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The only place strata writes: standard output, standard error, or a file the user named.
enum Output {
  /// Writes `text` to standard output.
  static func standardOutput(_ text: String) {
    write(text, to: STDOUT_FILENO)
  }

  /// Writes one line to standard error.
  static func standardError(_ line: String) {
    write(line.hasSuffix("\n") ? line : line + "\n", to: STDERR_FILENO)
  }

  /// Writes `text` to `path`, or to standard output when `path` is nil or `-`.
  /// - Throws: `ExitCode(2)` after printing the error when the file cannot be written.
  static func deliver(_ text: String, to path: String?) throws {
    guard let path, path != "-" else { return standardOutput(text) }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw fail("\(path): cannot write: \(String(cString: strerror(errno)).lowercased())")
    }
    defer { close(descriptor) }
    guard write(text, to: descriptor) else {
      throw fail("\(path): cannot write: \(String(cString: strerror(errno)).lowercased())")
    }
  }

  /// Appends `text` to `path` (creating it), as GitHub's `$GITHUB_STEP_SUMMARY` wants.
  /// - Throws: `ExitCode(2)` after printing the error when the file cannot be written.
  static func append(_ text: String, to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw fail("\(path): cannot write: \(String(cString: strerror(errno)).lowercased())")
    }
    defer { close(descriptor) }
    guard write(text, to: descriptor) else {
      throw fail("\(path): cannot write: \(String(cString: strerror(errno)).lowercased())")
    }
  }

  /// Prints `strata: warning: message` on standard error.
  static func warning(_ message: String) {
    standardError("strata: warning: \(message)")
  }

  /// Prints `strata: message` on standard error and returns the exit code for errors (2).
  static func fail(_ message: String) -> ExitCode {
    // Messages quote names from the image: never let their control characters reach a terminal.
    standardError("strata: \(SafeText.escape(message))")
    return ExitCode(2)
  }

  @discardableResult
  private static func write(_ text: String, to descriptor: Int32) -> Bool {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { raw in
        Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += written
    }
    bytes.removeAll()
    return true
  }
}

/// Loads an image, turning load errors into the one-line message and exit code 2.
func loadImage(_ options: ImageOptions) throws -> Image {
  do {
    return try ImageLoader.load(options.image, options: options.loadOptions)
  } catch let error as ImageLoadError {
    throw Output.fail(error.description)
  }
}

import ImageModel
