/// The kind of object a tar header describes.
package enum ArchiveEntryKind: String, Sendable, Hashable {
  case regular, directory, symlink, hardlink
  case characterDevice, blockDevice, fifo, socket, unknown
}

/// One header of a tar archive, as libarchive decoded it (PAX and GNU long names resolved).
package struct ArchiveEntry: Sendable, Hashable {
  /// The stored name, not normalised. Bytes that are not valid UTF-8 are escaped as `\xNN`.
  package var path: String
  /// What the header describes.
  package var kind: ArchiveEntryKind
  /// The size field of the header: the bytes of content that follow it.
  package var size: Int64
  /// Permission bits (`0o7777` part of `st_mode`).
  package var permissions: UInt32
  /// Owner and group ids.
  package var uid: Int64
  package var gid: Int64
  /// Target of a symlink or hard link (escaped like `path`).
  package var linkTarget: String?
  /// Modification time, seconds since the epoch.
  package var modificationTime: Int64
  /// Where this entry's content starts in the underlying source, when the source is not
  /// compressed and the entry is not sparse (its content is then the bytes from there on).
  package var dataOffset: Int64?
  /// Whether the stored name had bytes that are not UTF-8 (shown escaped in `path`).
  package var nameWasEscaped = false

  /// Creates an entry; used by the reader and by tests.
  package init(
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
