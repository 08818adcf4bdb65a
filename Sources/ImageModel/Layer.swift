/// Where a layer is and what the image's metadata says about it.
package struct LayerDescriptor: Sendable, Hashable {
  /// Position in the image, bottom layer 0.
  package var index: Int
  /// The name of the layer's tar inside the archive or layout (`abc/layer.tar`, `blobs/sha256/…`).
  package var location: String
  /// The digest of the stored blob (compressed when the layer is compressed), when known.
  package var digest: String?
  /// The digest of the uncompressed tar, from the config's `rootfs.diff_ids`.
  package var diffID: String?
  /// The media type from an OCI manifest, when the format records one.
  package var mediaType: String?
  /// Bytes the layer takes in the archive (compressed size for compressed layers).
  package var storedSize: Int64?
  /// The command that made it (`created_by` of its history entry), when recorded.
  package var command: String?
  /// When it was made, as the history says.
  package var created: String?
  /// The history's comment for it.
  package var comment: String?

  /// Creates a descriptor.
  package init(
    index: Int, location: String, digest: String? = nil, diffID: String? = nil, mediaType: String? = nil,
    storedSize: Int64? = nil, command: String? = nil, created: String? = nil, comment: String? = nil
  ) {
    self.index = index
    self.location = location
    self.digest = digest
    self.diffID = diffID
    self.mediaType = mediaType
    self.storedSize = storedSize
    self.command = command
    self.created = created
    self.comment = comment
  }
}

/// The entries of one layer tar, as read.
package struct LayerContents: Sendable {
  /// The entries in archive order (`.` entries and pure metadata are left out).
  package var entries: [LayerEntry]
  /// Oddities found while reading.
  package var anomalies: [Anomaly]
  /// Sum of the size fields of all headers (dive's layer size).
  package var headerBytes: Int64
  /// Compression filters libarchive found (`gzip`, `zstd`), empty for a plain tar.
  package var compression: [String]
  /// Bytes read from the source to get these entries.
  package var bytesRead: Int64
  /// Contents seen while the layer streamed by (standard input, compressed archives), by entry
  /// position: every regular file's fingerprint, and the head of the few files worth keeping.
  package var streamedContents: [Int32: FileContent] = [:]
  /// Where each entry's content starts in the layer tar, in 512-byte tar blocks, when the layer
  /// is a plain tar (empty otherwise): a file is then read again with one `pread`, without
  /// walking the headers before it. `LayerContents.unknownOffset` where it cannot be (anything
  /// but a regular file, a sparse file).
  package var contentBlocks: [UInt32] = []

  /// The `contentBlocks` value of an entry whose content is not read from one offset.
  package static let unknownOffset = UInt32.max

  /// Creates layer contents.
  package init(
    entries: [LayerEntry], anomalies: [Anomaly] = [], headerBytes: Int64? = nil, compression: [String] = [],
    bytesRead: Int64 = 0
  ) {
    self.entries = entries
    self.anomalies = anomalies
    self.headerBytes = headerBytes ?? entries.reduce(0) { $0 + $1.size }
    self.compression = compression
    self.bytesRead = bytesRead
  }
}

/// A layer: where it is and what it holds.
package struct Layer: Sendable {
  /// Metadata.
  package var descriptor: LayerDescriptor
  /// Entries.
  package var contents: LayerContents

  /// Creates a layer.
  package init(descriptor: LayerDescriptor, contents: LayerContents) {
    self.descriptor = descriptor
    self.contents = contents
  }

  /// Position in the image.
  package var index: Int { descriptor.index }
}
