/// Why an image could not be read. Every case says which file and what is wrong with it.
package struct ImageLoadError: Error, Sendable, CustomStringConvertible, Equatable {
  /// The broad kind of failure, for callers that branch on it.
  package enum Kind: String, Sendable {
    case notFound, unreadable, notAnArchive, corrupt, emptyArchive, bareLayer, noManifest, missingBlob
    case malformedJSON, invalidMetadata, unknownMediaType, ambiguousImage, noSuchImage, noSuchPlatform
    case tooLarge, unsafePath
    /// The argument names no source strata knows, or no well-formed image reference.
    case badReference
    /// No daemon answers at any of the places tried.
    case noDaemon
    /// The daemon's socket exists but this user may not use it.
    case permissionDenied
    /// The daemon answered with an error.
    case daemonError
    /// The transfer broke, stalled, or ended before the image did.
    case transferFailed
    /// The image in the daemon is no longer the one read first (asked again for a file's content).
    case imageChanged
  }

  /// What kind of failure.
  package var kind: Kind
  /// The file named in the message: the archive, or `archive: member` for a file inside it.
  package var file: String
  /// What is wrong, in a sentence that tells the user what to do where it can.
  package var problem: String

  /// Creates an error.
  package init(_ kind: Kind, file: String, _ problem: String) {
    self.kind = kind
    self.file = file
    self.problem = problem
  }

  /// `file: problem`, one line.
  package var description: String { "\(file): \(problem)" }
}
