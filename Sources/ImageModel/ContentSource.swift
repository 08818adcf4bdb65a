/// The content of one file of a layer, as read on demand.
package struct FileContent: Sendable, Hashable {
  /// XXH3-64 fingerprint of the whole content.
  package var fingerprint: UInt64
  /// The first bytes of the content, up to the limit asked for (empty when none was asked).
  package var head: [UInt8]
  /// Whether `head` is the whole content.
  package var isComplete: Bool

  /// Creates a file content.
  package init(fingerprint: UInt64, head: [UInt8], isComplete: Bool) {
    self.fingerprint = fingerprint
    self.head = head
    self.isComplete = isComplete
  }

  /// The same content with at most `limit` bytes of head (then no longer complete).
  package func keepingHead(_ limit: Int) -> FileContent {
    guard head.count > limit else { return self }
    return FileContent(fingerprint: fingerprint, head: Array(head.prefix(limit)), isComplete: false)
  }
}

/// Files read from one layer, and what reading them took.
package struct ContentRead: Sendable {
  /// What was found, by path (see `ContentSource.contents`).
  package var files: [String: FileContent]
  /// The paths whose fingerprint covers only the first bytes asked for (the file is longer).
  package var partial: Set<String>
  /// Bytes taken from the image for them (0 when they were kept while a stream went by).
  package var bytesRead: Int64

  /// Creates a read.
  package init(files: [String: FileContent], partial: Set<String> = [], bytesRead: Int64 = 0) {
    self.files = files
    self.partial = partial
    self.bytesRead = bytesRead
  }
}

/// One file to read from a layer: its path, and how much of it (with its entry when known).
package struct FileRequest: Sendable {
  /// The normalised path, no leading `/`.
  package var path: String
  /// How much to read, and which entry the file is.
  package var request: ContentRequest

  /// Creates a file request.
  package init(path: String, request: ContentRequest) {
    self.path = path
    self.request = request
  }
}

/// What reading a list of files found, in the list's order.
package struct FileReads: Sendable {
  /// Each file's content; nil where `ContentRead.files` would have no entry for its path.
  package var contents: [FileContent?]
  /// Whether each file's fingerprint covers only the first bytes asked for.
  package var partial: [Bool]
  /// Bytes taken from the image for them.
  package var bytesRead: Int64

  /// Creates reads.
  package init(contents: [FileContent?], partial: [Bool], bytesRead: Int64) {
    self.contents = contents
    self.partial = partial
    self.bytesRead = bytesRead
  }

  /// Reads of `count` files that found nothing yet.
  package init(count: Int) {
    self.init(
      contents: Array(repeating: nil, count: count), partial: Array(repeating: false, count: count), bytesRead: 0)
  }
}

extension ContentRead {
  /// The same answers by path: `reads` answers `files`, in order.
  package init(_ reads: FileReads, of files: [FileRequest]) {
    self.init(files: [:], bytesRead: reads.bytesRead)
    self.files.reserveCapacity(files.count)
    for (position, file) in files.enumerated() {
      if let content = reads.contents[position] { self.files[file.path] = content }
      if reads.partial[position] { partial.insert(file.path) }
    }
  }
}

/// Reads the contents of chosen files of an image's layers, never the whole image.
///
/// Analyses that need content identity (metadata-only rewrites, duplicates, credentials,
/// package databases) ask for the few paths they need, layer by layer.
package protocol ContentSource: Sendable {
  /// The contents of the regular files at `paths` (normalised, no leading `/`) in layer `layer`.
  /// - Parameter headLimit: how many leading bytes of each to return besides the fingerprint.
  /// - Returns: what was found; a path absent from the result was not a regular file there, or
  ///   its content is not available (a stream already consumed).
  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent]

  /// Like `contents`, in one forward pass over the layer, each path read as its request says:
  /// at most `prefix` bytes when given (files longer than that are fingerprinted by those bytes
  /// only and listed in `partial`), keeping `headLimit` of them; and how many bytes of the image
  /// that took.
  func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead

  /// `read(layer:requests:)` for a list of files, answered in the list's order: a source that
  /// reads each file where its entry says (`ContentRequest.entry`) hashes no path.
  func read(layer: Int, files: [FileRequest]) throws -> FileReads

  /// The contents of the regular files `requests` names, by layer, handed to `body` one layer
  /// at a time as they are read (in any order, each layer once), so that only one layer's files
  /// need be held. Sources that read the image once for all layers implement it.
  func contents(
    _ requests: [Int: Set<String>], headLimit: Int, _ body: (Int, [String: FileContent]) throws -> Void
  ) throws

  /// What `contents` does when the content was not kept and reading it takes a while (`the
  /// Docker Engine sends the image again`), for a message while it runs; nil when reads are quick.
  var rereadNote: String? { get }

  /// Whether `read(layer:requests:)` may run for several layers at once (reads of a file with
  /// `pread`, each through its own reader).
  var readsLayersConcurrently: Bool { get }

  /// This source for a caller that from now on asks only with requests naming their entry
  /// (`ContentRequest.entry`): a source may then let go of what it kept to find files by path.
  /// Requests by path alone may find nothing afterwards.
  func releasingEntries() -> any ContentSource
}

/// How much of one file to read.
package struct ContentRequest: Sendable, Hashable {
  /// The most bytes to read (nil: all of it).
  package var prefix: Int64?
  /// How many leading bytes to keep.
  package var headLimit: Int
  /// Which entry of the layer the file is, when the caller knows: a source that noted where
  /// each entry's content starts reads it there, without walking the layer's headers.
  package var entry: KnownEntry?

  /// Creates a request.
  package init(prefix: Int64?, headLimit: Int, entry: KnownEntry? = nil) {
    self.prefix = prefix
    self.headLimit = headLimit
    self.entry = entry
  }
}

/// A regular file's entry in its layer: its position in `LayerContents.entries` and its size.
package struct KnownEntry: Sendable, Hashable {
  // The size comes first so the struct is 12 bytes and an optional one 13, not 17: a
  // `ContentRequest` then takes 40 bytes, and there is one per file compared.
  /// The size field of its header.
  package var size: Int64
  /// The position in the layer's entries (archive order).
  package var position: Int32

  /// Creates a known entry.
  package init(position: Int32, size: Int64) {
    self.position = position
    self.size = size
  }
}

extension ContentSource {
  /// Reads are quick: from a file, or from what a stream pass kept.
  package var rereadNote: String? { nil }

  /// One layer at a time, unless a source says otherwise.
  package var readsLayersConcurrently: Bool { false }

  /// Nothing to let go, unless a source says otherwise.
  package func releasingEntries() -> any ContentSource { self }

  /// Layer by layer, lowest first, through `contents(layer:paths:headLimit:)`.
  package func contents(
    _ requests: [Int: Set<String>], headLimit: Int, _ body: (Int, [String: FileContent]) throws -> Void
  ) throws {
    for (layer, paths) in requests.sorted(by: { $0.key < $1.key }) {
      try body(layer, try contents(layer: layer, paths: paths, headLimit: headLimit))
    }
  }

  /// Whole files through `contents`, nothing read from the image (contents kept from an
  /// earlier pass): sources that read the image implement it themselves.
  package func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    try readThroughContents(layer: layer, requests: requests)
  }

  /// Through `read(layer:requests:)`, by path.
  package func read(layer: Int, files: [FileRequest]) throws -> FileReads {
    try readByPath(layer: layer, files: files)
  }

  /// `read(layer:files:)` through `read(layer:requests:)`: a path asked twice gets one answer,
  /// the last request's.
  package func readByPath(layer: Int, files: [FileRequest]) throws -> FileReads {
    var requests = [String: ContentRequest](minimumCapacity: files.count)
    for file in files { requests[file.path] = file.request }
    let read = try self.read(layer: layer, requests: requests)
    return FileReads(
      contents: files.map { read.files[$0.path] }, partial: files.map { read.partial.contains($0.path) },
      bytesRead: read.bytesRead)
  }

  /// `read(layer:requests:)` by path through `contents`, each file's head cut to its request's.
  package func readThroughContents(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    let headLimit = requests.values.map(\.headLimit).max() ?? 0
    var read = ContentRead(files: try contents(layer: layer, paths: Set(requests.keys), headLimit: headLimit))
    for (path, request) in requests {
      read.files[path] = read.files[path]?.keepingHead(request.headLimit)
    }
    return read
  }
}
