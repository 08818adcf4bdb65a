import ArchiveIO

import Glibc

/// Opens images of this machine: an archive file, an OCI layout directory, a named pipe or
/// device (`<(docker save app)`), or standard input (`-`).
enum LocalSource {
  /// How standard input is named in messages.
  static let standardInputName = "<stdin>"

  static func openPath(_ path: String, displayName: String, options: LoadOptions) throws -> any ImageSource {
    let limits = options.layerLimits
    if path == "-" { return try openStandardInput(limits: limits, keep: options.streamKeep()) }
    var info = stat()
    guard stat(path, &info) == 0 else {
      let code = errno
      if code == ENOENT { throw ImageLoadError(.notFound, file: path, "no such file or directory") }
      throw ImageLoadError(.unreadable, file: path, OpenFile.systemMessage(code))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR { return try DirectoryContainer(path: path, cache: options.layerCache) }
    if [S_IFIFO, S_IFCHR, S_IFSOCK].contains(info.st_mode & S_IFMT) {
      // `strata analyze <(docker save app)`, `/dev/stdin` from a pipe: read once, as a stream.
      if isatty(STDIN_FILENO) != 0 && isSameFile(STDIN_FILENO, info) { throw terminalError(path) }
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { throw ImageLoadError(.unreadable, file: path, OpenFile.systemMessage(errno)) }
      return try ArchiveContainer(
        source: .stream(descriptor: descriptor), displayName: path, limits: limits, keep: options.streamKeep())
    }
    let file: OpenFile
    do {
      file = try OpenFile(path: path)
    } catch let error as ArchiveError {
      throw ImageLoadError(.unreadable, file: path, error.message)
    }
    if file.size == 0 { throw ImageLoadError(.emptyArchive, file: path, "the file is empty") }
    return try ArchiveContainer(
      source: .window(FileWindow(file: file)), displayName: path, limits: limits, keep: options.streamKeep(),
      cache: options.layerCache)
  }

  /// Standard input redirected from a regular file is read like a named file: seeking over
  /// contents, from wherever the shell left its read position. A pipe is read once, as a stream.
  /// A terminal is refused: nobody types an image.
  private static func openStandardInput(limits: LayerReader.Limits, keep: StreamKeep) throws
    -> ArchiveContainer
  {
    let name = standardInputName
    if isatty(STDIN_FILENO) != 0 { throw terminalError(name) }
    let redirected: OpenFile?
    do {
      redirected = try OpenFile(duplicating: STDIN_FILENO, name: name)
    } catch let error as ArchiveError {
      throw ImageLoadError(.unreadable, file: name, error.message)
    }
    guard let file = redirected else {
      let descriptor = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)  // the reader closes its own copy
      guard descriptor >= 0 else { throw ImageLoadError(.unreadable, file: name, OpenFile.systemMessage(errno)) }
      return try ArchiveContainer(
        source: .stream(descriptor: descriptor), displayName: name, limits: limits, keep: keep)
    }
    let start = min(file.readPosition, file.size)
    if file.size == start { throw ImageLoadError(.emptyArchive, file: name, "standard input is empty") }
    let window = FileWindow(file: file, offset: start, length: file.size - start)
    return try ArchiveContainer(source: .window(window), displayName: name, limits: limits, keep: keep)
  }

  private static func terminalError(_ name: String) -> ImageLoadError {
    ImageLoadError(
      .unreadable, file: name,
      "standard input is a terminal, not an image; pipe one in (`docker save IMAGE | strata analyze -`) or name it (`strata analyze IMAGE`)"
    )
  }

  private static func isSameFile(_ descriptor: Int32, _ info: stat) -> Bool {
    var other = stat()
    return fstat(descriptor, &other) == 0 && other.st_dev == info.st_dev && other.st_ino == info.st_ino
  }
}
