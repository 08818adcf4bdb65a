/// A failure reported by libarchive or by the byte source under it.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, in libarchive's words or ours.
  public var message: String
  /// The `errno`-style code libarchive recorded, when it recorded one.
  public var code: Int32

  /// Creates an error with a message and an optional code.
  public init(_ message: String, code: Int32 = 0) {
    self.message = message
    self.code = code
  }

  public var description: String { message }
}
