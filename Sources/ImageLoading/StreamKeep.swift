import ImageModel

/// What a stream pass keeps of each regular file going by, besides its fingerprint: the
/// leading bytes the analyses said they read (`LoadOptions.contentNeeds`), or the whole file
/// when a caller named it before loading (`LoadOptions.wholeFiles`).
struct StreamKeep {
  /// The analyses' needs.
  var needs = ContentNeeds()
  /// The files named before loading, and the links that lead to them (one pass's state).
  var whole: WholeFileCapture?

  /// How many leading bytes to keep of the regular file at `path` of `size` bytes.
  func bytesToKeep(of path: String, size: Int64) -> Int {
    if let whole, whole.keeps(path, size: size) { return Int(clamping: size) }
    return needs.bytesToKeep(of: path, size: size)
  }

  /// Notes a symbolic link met on the way (see `WholeFileCapture.sawLink`).
  func sawLink(_ path: String, target: String) { whole?.sawLink(path, target: target) }
}
