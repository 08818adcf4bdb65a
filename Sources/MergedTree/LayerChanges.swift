/// What one layer did to the tree, counted while merging.
package struct LayerChanges: Sendable, Hashable {
  /// Entries in the layer tar (markers included).
  package var entries = 0
  /// Non-directory paths new to the tree, and their bytes.
  package var addedFiles = 0
  package var addedBytes: Int64 = 0
  /// Non-directory paths that existed below and were replaced, and their new bytes.
  package var changedFiles = 0
  package var changedBytes: Int64 = 0
  /// Directories new to the tree, and directories whose metadata changed.
  package var addedDirectories = 0
  package var changedDirectories = 0
  /// Files removed by this layer's whiteouts and opaque markers, and their bytes.
  package var removedFiles = 0
  package var removedBytes: Int64 = 0
  /// Bytes of lower versions this layer hid by writing the same paths again.
  package var overwrittenBytes: Int64 = 0

  /// Creates an empty count.
  package init() {}
}

/// A path removed by a marker of a layer, with what went with it.
package struct Removal: Sendable, Hashable {
  /// The path removed (for an opaque marker, each lower child of the directory).
  package var path: String
  /// Files (non-directories) removed at or under it.
  package var files: Int
  /// Their bytes.
  package var bytes: Int64
}
