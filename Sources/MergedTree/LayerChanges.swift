/// What one layer did to the tree, counted while merging.
public struct LayerChanges: Sendable, Hashable {
  /// Entries in the layer tar (markers included).
  public var entries = 0
  /// Non-directory paths new to the tree, and their bytes.
  public var addedFiles = 0
  public var addedBytes: Int64 = 0
  /// Non-directory paths that existed below and were replaced, and their new bytes.
  public var changedFiles = 0
  public var changedBytes: Int64 = 0
  /// Directories new to the tree, and directories whose metadata changed.
  public var addedDirectories = 0
  public var changedDirectories = 0
  /// Files removed by this layer's whiteouts and opaque markers, and their bytes.
  public var removedFiles = 0
  public var removedBytes: Int64 = 0
  /// Bytes of lower versions this layer hid by writing the same paths again.
  public var overwrittenBytes: Int64 = 0

  /// Creates an empty count.
  public init() {}
}

/// A path removed by a marker of a layer, with what went with it.
public struct Removal: Sendable, Hashable {
  /// The path removed (for an opaque marker, each lower child of the directory).
  public var path: String
  /// Files (non-directories) removed at or under it.
  public var files: Int
  /// Their bytes.
  public var bytes: Int64
}
