import ImageModel

/// One path of the merged filesystem, present or removed, with the version that is (or was) last.
package struct FileNode: Sendable {
  // Stored properties are ordered by size so the struct packs into 56 bytes: with a million
  // nodes, padding alone would cost tens of megabytes. Link targets live in the tree.

  /// The last path component (`""` for the root).
  package internal(set) var name: String
  /// Content bytes of the latest version (the tar header's size field).
  package internal(set) var size: Int64
  /// The newest child (`-1`: none) and the next older sibling: see `FileTree.children(of:)`.
  var firstChild: Int32 = -1
  var nextSibling: Int32 = -1
  /// Index of the parent node (`-1` for the root).
  package internal(set) var parent: Int32
  /// Owner and group of the latest version.
  package internal(set) var uid: UInt32
  package internal(set) var gid: UInt32
  /// The layer that gave the latest version (`-1` for the root and for directories no layer listed).
  package internal(set) var layer: Int32
  /// The layer that removed the path (whiteout, opaque directory, or replacement of a parent), or `-1`.
  package internal(set) var removedIn: Int32
  /// The permission bits (the 12 bits of a tar header's mode that every source keeps).
  private var mode: UInt16
  /// What the latest version is.
  package internal(set) var kind: EntryKind
  /// Whether the latest version was created only because a path below it was listed.
  package internal(set) var implicit: Bool

  init(
    name: String, parent: Int32, kind: EntryKind, size: Int64, permissions: UInt32, uid: UInt32, gid: UInt32,
    layer: Int32, removedIn: Int32, implicit: Bool
  ) {
    self.name = name
    self.size = size
    self.parent = parent
    self.mode = UInt16(truncatingIfNeeded: permissions)
    self.uid = uid
    self.gid = gid
    self.layer = layer
    self.removedIn = removedIn
    self.kind = kind
    self.implicit = implicit
  }

  /// Permission bits of the latest version.
  package internal(set) var permissions: UInt32 {
    get { UInt32(mode) }
    set { mode = UInt16(truncatingIfNeeded: newValue) }
  }

  /// Whether the path is in the final filesystem.
  package var isPresent: Bool { removedIn < 0 }
  /// Whether it is a directory.
  package var isDirectory: Bool { kind == .directory }
  /// Bytes it adds to the final filesystem (hard links share their target's content: 0).
  package var contentBytes: Int64 { kind == .regular ? size : 0 }
}

/// An earlier version of a path, hidden by a later layer: still shipped in its own layer.
package struct NodeVersion: Sendable, Hashable {
  /// The layer that held this version.
  package var layer: Int32
  /// What it was.
  package var kind: EntryKind
  /// Its size field.
  package var size: Int64
  /// Its permission bits, owner and group.
  package var permissions: UInt32
  package var uid: UInt32
  package var gid: UInt32
  /// The layer that hid it.
  package var hiddenBy: Int32
  /// Whether it was hidden by a deletion (whiteout, opaque directory) rather than overwritten.
  package var deleted: Bool
}

/// How a layer's entry changed the tree.
package enum ChangeKind: UInt8, Sendable {
  /// A path that was not present below.
  case added
  /// A path that was present below, now replaced or rewritten.
  case changed
  /// A directory listed again with the same metadata.
  case unchanged
  /// A whiteout or opaque marker that removed lower content.
  case removed
  /// A whiteout of a path no lower layer has; or an entry not applied.
  case ignored
}
