import Glibc

/// A regular file opened read-only, shared by the readers of its windows.
///
/// Reads use `pread`, so several readers (on several threads) may read one file at once.
package final class OpenFile: Sendable {
  /// The path it was opened from (`<stdin>` for standard input), for messages.
  package let path: String
  /// Its size in bytes when opened.
  package let size: Int64
  let descriptor: Int32

  /// Opens `path` for reading.
  /// - Throws: `ArchiveError` naming the system error (missing file, permission, a directory).
  package convenience init(path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ArchiveError(Self.systemMessage(errno), kind: .system, code: errno) }
    guard try Self.isRegularFile(fd) else {
      close(fd)
      throw ArchiveError("not a regular file", kind: .system)
    }
    try self.init(owning: fd, name: path)
  }

  /// Opens the regular file an already open descriptor refers to (standard input redirected
  /// from a file), through a duplicate of it, so the caller's descriptor stays its own.
  /// - Parameter name: how to name the file in messages (`<stdin>`).
  /// - Returns: nil when the descriptor is not a regular file (a pipe, a terminal, a socket).
  /// - Throws: `ArchiveError` naming the system error (a closed descriptor).
  package convenience init?(duplicating descriptor: Int32, name: String) throws {
    guard try Self.isRegularFile(descriptor) else { return nil }
    let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
    guard fd >= 0 else { throw ArchiveError(Self.systemMessage(errno), kind: .system, code: errno) }
    try self.init(owning: fd, name: name)
  }

  /// Takes ownership of `fd`, a regular file: records its size, and closes it on failure.
  private init(owning fd: Int32, name: String) throws {
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      close(fd)
      throw ArchiveError(Self.systemMessage(code), kind: .system, code: code)
    }
    self.path = name
    self.size = Int64(info.st_size)
    self.descriptor = fd
  }

  /// Whether `fd` refers to a regular file.
  private static func isRegularFile(_ fd: Int32) throws -> Bool {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw ArchiveError(systemMessage(errno), kind: .system, code: errno) }
    return (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Where the descriptor's shared read position stands (standard input may have been partly
  /// read by the shell script that redirected it): the archive starts there.
  package var readPosition: Int64 {
    let position = lseek(descriptor, 0, SEEK_CUR)
    return position < 0 ? 0 : Int64(position)
  }

  deinit { close(descriptor) }

  /// Reads up to `count` bytes at `offset` into `buffer`, retrying on EINTR.
  /// - Returns: the bytes read; 0 at end of file.
  package func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws -> Int {
    while true {
      let got = pread(descriptor, buffer, count, off_t(offset))
      if got >= 0 { return got }
      if errno == EINTR { continue }
      throw ArchiveError(Self.systemMessage(errno), kind: .system, code: errno)
    }
  }

  /// Reads `count` bytes at `offset`; fewer only at end of file.
  package func readBytes(at offset: Int64, count: Int) throws -> [UInt8] {
    var result = [UInt8](repeating: 0, count: count)
    var filled = 0
    try result.withUnsafeMutableBytes { raw in
      while filled < count {
        guard let base = raw.baseAddress else { return }
        let got = try read(into: base + filled, count: count - filled, at: offset + Int64(filled))
        if got == 0 { break }
        filled += got
      }
    }
    result.removeLast(count - filled)
    return result
  }

  /// The system's text for an errno value, lower-cased to sit inside strata's messages.
  package static func systemMessage(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "system error \(code)" }
    return String(cString: text).lowercased()
  }
}

/// A byte range of an `OpenFile`: a whole archive, or a layer tar stored inside one.
package struct FileWindow: Sendable {
  /// The file the bytes are in.
  package let file: OpenFile
  /// Where the window starts.
  package let offset: Int64
  /// How many bytes it spans.
  package let length: Int64

  /// A window over `length` bytes of `file` from `offset`.
  package init(file: OpenFile, offset: Int64, length: Int64) {
    self.file = file
    self.offset = offset
    self.length = length
  }

  /// The whole file.
  package init(file: OpenFile) {
    self.init(file: file, offset: 0, length: file.size)
  }
}
