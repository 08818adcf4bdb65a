/// The content of one file of a layer, as read on demand.
public struct FileContent: Sendable, Hashable {
  /// XXH3-64 fingerprint of the whole content.
  public var fingerprint: UInt64
  /// The first bytes of the content, up to the limit asked for (empty when none was asked).
  public var head: [UInt8]
  /// Whether `head` is the whole content.
  public var isComplete: Bool

  /// Creates a file content.
  public init(fingerprint: UInt64, head: [UInt8], isComplete: Bool) {
    self.fingerprint = fingerprint
    self.head = head
    self.isComplete = isComplete
  }
}

/// Reads the contents of chosen files of an image's layers, never the whole image.
///
/// Analyses that need content identity (metadata-only rewrites, duplicates, credentials,
/// package databases) ask for the few paths they need, layer by layer.
public protocol ContentSource: Sendable {
  /// The contents of the regular files at `paths` (normalised, no leading `/`) in layer `layer`.
  /// - Parameter headLimit: how many leading bytes of each to return besides the fingerprint.
  /// - Returns: what was found; a path absent from the result was not a regular file there, or
  ///   its content is not available (a stream already consumed).
  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent]
}
