/// The kind of object a tar header describes.
public enum ArchiveEntryKind: String, Sendable, Hashable {
  case regular, directory, symlink, hardlink
  case characterDevice, blockDevice, fifo, socket, unknown
}

/// One header of a tar archive, as libarchive decoded it (PAX and GNU long names resolved).
public struct ArchiveEntry: Sendable, Hashable {
  /// The stored name, not normalised. Bytes that are not valid UTF-8 are escaped as `\xNN`.
  public var path: String
  /// What the header describes.
  public var kind: ArchiveEntryKind
  /// The size field of the header: the bytes of content that follow it.
  public var size: Int64
  /// Permission bits (`0o7777` part of `st_mode`).
  public var permissions: UInt32
  /// Owner and group ids.
  public var uid: Int64
  public var gid: Int64
  /// Target of a symlink or hard link (escaped like `path`).
  public var linkTarget: String?
  /// Modification time, seconds since the epoch.
  public var modificationTime: Int64
  /// Where this entry's content starts in the underlying source, when the source is not
  /// compressed and the entry is not sparse (its content is then the bytes from there on).
  public var dataOffset: Int64?
  /// Whether the stored name had bytes that are not UTF-8 (shown escaped in `path`).
  public var nameWasEscaped = false

  /// Creates an entry; used by the reader and by tests.
  public init(
    path: String, kind: ArchiveEntryKind, size: Int64, permissions: UInt32 = 0o644,
    uid: Int64 = 0, gid: Int64 = 0, linkTarget: String? = nil, modificationTime: Int64 = 0,
    dataOffset: Int64? = nil
  ) {
    self.path = path
    self.kind = kind
    self.size = size
    self.permissions = permissions
    self.uid = uid
    self.gid = gid
    self.linkTarget = linkTarget
    self.modificationTime = modificationTime
    self.dataOffset = dataOffset
  }
}
