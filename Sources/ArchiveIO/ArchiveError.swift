/// A failure reported by libarchive or by the byte source under it.
package struct ArchiveError: Error, Sendable, CustomStringConvertible {
  /// What kind of failure, so that callers never classify errors by their text.
  package enum Kind: Sendable, Equatable {
    /// The bytes are not a tar archive (nor a gzip/zstd-compressed one): nothing was recognised.
    case notAnArchive
    /// The data ends before the archive does.
    case truncated
    /// The data is damaged: a bad header, a bad checksum, a broken compressed stream.
    case corrupt
    /// The data expands past the limit set with `limitUncompressedBytes`.
    case tooLarge
    /// An entry is larger than a caller's limit for reading it whole.
    case entryTooLarge
    /// The operating system refused or failed a read (`code` holds `errno`).
    case system
    /// The source feeding the reader failed for a reason of its own (a transfer, a pipe).
    case source
  }

  /// What went wrong, in libarchive's words or ours.
  package var message: String
  /// The `errno`-style code libarchive recorded, when it recorded one.
  package var code: Int32
  /// What kind of failure.
  package var kind: Kind

  /// Creates an error with a message, a kind and an optional code.
  package init(_ message: String, kind: Kind, code: Int32 = 0) {
    self.message = message
    self.kind = kind
    self.code = code
  }

  package var description: String { message }
}
