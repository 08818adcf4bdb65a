/// What one entry of a layer does to the filesystem.
package enum EntryKind: UInt8, Sendable, Hashable {
  case regular, directory, symlink, hardlink
  case characterDevice, blockDevice, fifo, socket, unknown
  /// `dir/.wh.NAME`: deletes `dir/NAME` (and everything under it) from the layers below.
  case whiteout
  /// `dir/.wh..wh..opq`: hides everything the layers below put in `dir`.
  case opaque

  /// Whether the entry is a marker rather than a filesystem object.
  package var isMarker: Bool { self == .whiteout || self == .opaque }

  /// A short lowercase name for reports.
  package var name: String {
    switch self {
    case .regular: return "file"
    case .directory: return "dir"
    case .symlink: return "symlink"
    case .hardlink: return "hardlink"
    case .characterDevice: return "chardev"
    case .blockDevice: return "blockdev"
    case .fifo: return "fifo"
    case .socket: return "socket"
    case .unknown: return "other"
    case .whiteout: return "whiteout"
    case .opaque: return "opaque"
    }
  }
}

/// One entry of a layer tar, with its path normalised.
///
/// The path is kept as its directory and its last component: entries of one directory share
/// one directory string, which keeps a million-entry layer small.
package struct LayerEntry: Sendable, Hashable {
  /// The directory part of the normalised path (`""` for top-level names).
  package var directory: String
  /// The last component (`""` only for an opaque marker on the root).
  package var name: String
  /// Target of a symlink (as stored) or of a hard link (normalised like `path`).
  package var linkTarget: String?

  /// The normalised path: relative, `/`-separated, no `.` or `..` components, no trailing
  /// slash. For a whiteout, the path it deletes; for an opaque marker, the directory
  /// (`""` is the root).
  package var path: String {
    get { directory.appendingComponent(name) }
    set {
      directory = PathName.parent(of: newValue)
      name = PathName.base(of: newValue)
    }
  }
  /// The size field of its tar header (content bytes; 0 for directories, links and markers
  /// unless the archive says otherwise).
  package var size: Int64
  /// Permission bits.
  package var permissions: UInt32
  /// Owner and group.
  package var uid: UInt32
  package var gid: UInt32
  /// What it is (last: the struct packs tighter).
  package var kind: EntryKind

  /// Creates an entry from a normalised path.
  package init(
    path: String, kind: EntryKind, size: Int64 = 0, permissions: UInt32 = 0o644, uid: UInt32 = 0,
    gid: UInt32 = 0, linkTarget: String? = nil
  ) {
    self.init(
      directory: PathName.parent(of: path), name: PathName.base(of: path), kind: kind, size: size,
      permissions: permissions, uid: uid, gid: gid, linkTarget: linkTarget)
  }

  /// Creates an entry from its directory and last component.
  package init(
    directory: String, name: String, kind: EntryKind, size: Int64 = 0, permissions: UInt32 = 0o644, uid: UInt32 = 0,
    gid: UInt32 = 0, linkTarget: String? = nil
  ) {
    self.directory = directory
    self.name = name
    self.kind = kind
    self.size = size
    self.permissions = permissions
    self.uid = uid
    self.gid = gid
    self.linkTarget = linkTarget
  }

  /// The path as a tar name would spell the entry (whiteout prefixes put back), `/`-rooted.
  package var storedPath: String {
    switch kind {
    case .whiteout: return "/" + directory.appendingComponent(".wh." + name)
    case .opaque: return "/" + path.appendingComponent(".wh..wh..opq")
    default: return "/" + path
    }
  }
}

extension String {
  /// `self + "/" + component`, or `component` when `self` is empty (the root).
  package func appendingComponent(_ component: String) -> String {
    isEmpty ? component : self + "/" + component
  }
}

/// Helpers for normalised relative paths.
package enum PathName {
  /// The parent path (`""` for a top-level name).
  /// (Cut on the bytes, like `components(of:)`: `String`'s own indices step over a `/` together
  /// with a combining mark after it.)
  package static func parent(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(Substring(path.utf8[..<slash]))
  }

  /// The last component.
  package static func base(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
    return String(Substring(path.utf8[path.utf8.index(after: slash)...]))
  }

  /// The components of a path (none for the root), split at every `/` byte and without empty
  /// ones. Split on the bytes as the kernel does, not on `Character`s: a name that starts with a
  /// combining mark (`a/\u{301}b`) is a component of its own, not glued to the one before.
  package static func components(of path: String) -> [Substring] {
    var result: [Substring] = []
    forEachComponent(of: path) { result.append($0) }
    return result
  }

  /// Calls `body` with each component of `path`, as `components(of:)` lists them, without
  /// building the list.
  @inlinable
  package static func forEachComponent(of path: String, _ body: (Substring) throws -> Void) rethrows {
    let bytes = path.utf8
    var start = bytes.startIndex
    var index = start
    while index != bytes.endIndex {
      if bytes[index] == UInt8(ascii: "/") {
        if start != index { try body(Substring(bytes[start..<index])) }
        start = bytes.index(after: index)
      }
      index = bytes.index(after: index)
    }
    if start != bytes.endIndex { try body(Substring(bytes[start..<bytes.endIndex])) }
  }
}
