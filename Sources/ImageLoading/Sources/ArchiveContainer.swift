import ArchiveIO
import ImageModel

/// An image archive (a `docker save` or OCI tar), read in one pass over its headers.
///
/// When the archive is an uncompressed file, the pass only records where each member is and
/// skips the content by seeking; manifests and layers are read afterwards through windows of
/// the file, layers concurrently. When it is compressed or comes from standard input, the pass
/// is the only chance: small JSON members are kept, and every other member is read as a layer
/// while it streams by; the results are matched to the manifest at the end.
final class ArchiveContainer: ImageSource {
  let displayName: String
  private var members: [String: ContainerMember] = [:]
  private var links: [String: String] = [:]
  private var buffered: [String: [UInt8]] = [:]
  private var streamedLayers: [String: Result<LayerContents, ImageLoadError>] = [:]
  private(set) var metadataBytesRead: Int64 = 0
  /// Whether members can be read again (uncompressed file).
  private(set) var seekable = false
  var rereadable: Bool { seekable }
  var isDirectory: Bool { false }
  /// Bytes read by the pass itself.
  private(set) var passBytesRead: Int64 = 0
  /// The archive's size, when it is read from a file (nil for a pipe).
  private(set) var archiveBytes: Int64?
  /// What a stream pass keeps of the files going by (what the analyses read, the files a
  /// caller named before loading).
  private let keep: StreamKeep
  /// The layer cache, for the layers of a seekable archive (a stream's are read in its pass).
  private let cache: LayerCache?
  var layerCache: LayerCache? { seekable ? cache : nil }

  /// Runs the pass.
  /// - Parameters:
  ///   - source: the archive's bytes; a window of a file enables seeking.
  ///   - keep: what to keep of the files going by when the archive turns out to be a stream.
  ///   - cache: the layer cache, used when the archive turns out to be seekable.
  init(
    source: ArchiveReader.Source, displayName: String, limits: LayerReader.Limits, keep: StreamKeep = StreamKeep(),
    cache: LayerCache? = nil
  ) throws {
    self.displayName = displayName
    self.keep = keep
    self.cache = cache
    var archiveWindow: FileWindow?
    if case .window(let window) = source {
      archiveWindow = window
      archiveBytes = window.length
    }
    let reader: ArchiveReader
    do {
      reader = try ArchiveReader(source: source)
    } catch let error as ArchiveError {
      throw Self.openError(error, file: displayName)
    }
    var sawEntry = false
    do {
      while let entry = try reader.next() {
        if !sawEntry {
          sawEntry = true
          seekable = archiveWindow != nil && reader.compression.isEmpty
        }
        try record(entry, reader: reader, archive: archiveWindow, limits: limits)
      }
    } catch let error as ArchiveError {
      if !sawEntry { throw Self.openError(error, file: displayName) }
      switch error.kind {
      case .system: throw ImageLoadError(.unreadable, file: displayName, error.message)
      case .truncated: throw ImageLoadError(.corrupt, file: displayName, "the archive is truncated: \(error.message)")
      default: throw ImageLoadError(.corrupt, file: displayName, "truncated or corrupt archive: \(error.message)")
      }
    }
    passBytesRead = reader.bytesRead
    if !sawEntry {
      throw ImageLoadError(.emptyArchive, file: displayName, "the archive has no entries")
    }
  }

  private static func openError(_ error: ArchiveError, file: String) -> ImageLoadError {
    switch error.kind {
    case .notAnArchive, .truncated, .corrupt:
      return ImageLoadError(
        .notAnArchive, file: file,
        "not an image archive: expected a tar from `docker save`, `podman save` or an OCI archive (\(error.message))")
    case .tooLarge, .entryTooLarge, .system, .source:
      return ImageLoadError(.unreadable, file: file, error.message)
    }
  }

  /// Notes where a member is (seekable) or reads it as it streams by.
  /// - Parameter archive: the window of the file the archive fills, when it is read from one.
  private func record(_ entry: ArchiveEntry, reader: ArchiveReader, archive: FileWindow?, limits: LayerReader.Limits)
    throws
  {
    guard case .path(let location, _) = PathNormalizer.normalize(entry.path) else { return }
    switch entry.kind {
    case .symlink:
      if let target = entry.linkTarget {
        let base = PathName.parent(of: location)
        let joined = target.hasPrefix("/") ? target : base.appendingComponent(target)
        if case .path(let resolved, _) = PathNormalizer.normalize(joined) { links[location] = resolved }
      }
      return
    case .hardlink:
      if let target = entry.linkTarget, case .path(let resolved, _) = PathNormalizer.normalize(target) {
        links[location] = resolved
      }
      return
    case .regular:
      break
    default:
      return
    }
    links[location] = nil
    if seekable, let archive, let offset = entry.dataOffset {
      let window = FileWindow(file: archive.file, offset: archive.offset + offset, length: entry.size)
      members[location] = ContainerMember(size: entry.size, window: window)
      return
    }
    members[location] = ContainerMember(size: entry.size, window: nil)
    try consumeStreamed(entry, location: location, reader: reader, limits: limits)
  }

  /// Names that are always metadata in the layouts strata reads.
  private static func isMetadataName(_ location: String) -> Bool {
    let base = PathName.base(of: location)
    return location == "manifest.json" || location == "index.json" || location == "oci-layout"
      || location == "repositories" || base.hasSuffix(".json") || base == "json" || base == "VERSION"
  }

  private func consumeStreamed(
    _ entry: ArchiveEntry, location: String, reader: ArchiveReader, limits: LayerReader.Limits
  )
    throws
  {
    let small = entry.size <= Int64(maxMetadataBytes)
    if Self.isMetadataName(location) && small {
      buffered[location] = try reader.readAll(limit: maxMetadataBytes)
      return
    }
    let head = try reader.peek(count: 512)
    if small, !Self.looksLikeArchive(head), let first = head.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
      first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    {
      buffered[location] = head + (try reader.readAll(limit: maxMetadataBytes))
      return
    }
    do {
      let nested = try ArchiveReader(source: .entryOf(reader, prefix: head))
      streamedLayers[location] = .success(
        try LayerReader.read(
          nested, index: -1, name: "\(displayName): \(location)", limits: limits, content: .fingerprintAll,
          keep: keep))
    } catch let error as ArchiveError {
      streamedLayers[location] = .failure(layerError(location, error))
    }
  }

  /// A tar header (`ustar` magic at 257), or gzip / zstd magic: a layer, whatever its first name.
  static func looksLikeArchive(_ head: [UInt8]) -> Bool {
    if head.count >= 262 && Array(head[257..<262]) == Array("ustar".utf8) { return true }
    if head.starts(with: [0x1F, 0x8B]) || head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return true }
    return false
  }

  /// The member `location` names once the archive's own links are followed.
  func resolve(_ location: String) -> String {
    var current = location
    var hops = 0
    while let next = links[current], hops < 32 {
      current = next
      hops += 1
    }
    return current
  }

  func member(_ location: String) -> ContainerMember? { members[resolve(location)] }

  func metadata(_ location: String) throws -> [UInt8] {
    let resolved = resolve(location)
    if let bytes = buffered[resolved] { return bytes }
    guard let found = members[resolved] else {
      throw ImageLoadError(.missingBlob, file: displayName, "'\(location)' is missing from the archive")
    }
    if found.window == nil {
      throw ImageLoadError(.invalidMetadata, file: "\(displayName): \(location)", "expected JSON metadata here")
    }
    let bytes = try readWindow(location, found)
    metadataBytesRead += Int64(bytes.count)
    return bytes
  }

  func layer(_ location: String, index: Int, limits: LayerReader.Limits) throws -> LayerContents {
    let resolved = resolve(location)
    if let streamed = streamedLayers[resolved] {
      var contents = try streamed.get()
      for position in contents.anomalies.indices { contents.anomalies[position].layer = index }
      return contents
    }
    guard let found = members[resolved] else {
      throw ImageLoadError(
        .missingBlob, file: displayName, "layer '\(location)' named by the manifest is missing from the archive")
    }
    if found.window == nil {
      throw ImageLoadError(.notAnArchive, file: "\(displayName): \(location)", "layer is JSON, not a tar archive")
    }
    return try readLayerWindow(location, found, index: index, limits: limits)
  }

  func bytesRead(layers: [LayerContents]) -> Int64 {
    // A streamed archive is read once: its layers were read as part of the pass.
    seekable ? passBytesRead + metadataBytesRead + layers.reduce(0) { $0 + $1.bytesRead } : passBytesRead
  }

  func contentSource(locations: [String], layers: [LayerContents]) -> any ContentSource {
    seekable
      ? ContainerContentSource(source: self, locations: locations, contentBlocks: layers.map(\.contentBlocks))
      : StreamedContentSource(layers: layers)
  }

  func finish() throws {}
}
