import ArchiveIO
import ImageModel

/// One file of an image container: a member of the archive or a file of a layout directory.
struct ContainerMember: Sendable {
  /// Bytes of content.
  var size: Int64
  /// Where its content is, when it can be read again later (seekable archives and directories).
  var window: FileWindow?
}

/// Where an image's files come from: an archive read by seeking, an archive read once as a
/// stream (a pipe, a daemon's export), or an OCI layout directory. Locations are normalised
/// relative paths. The loader asks only this protocol, never which concrete source it holds;
/// a new kind of source is one new type plus its entry in `SourceRegistry`.
protocol ImageSource: AnyObject {
  /// The name to put in messages (what the user gave: a path, `-`, `docker://app:1`).
  var displayName: String { get }
  /// Whether the files form a directory tree (an OCI layout) rather than an archive.
  var isDirectory: Bool { get }
  /// The format an OCI index found here is reported as.
  var ociFormat: ImageFormat { get }
  /// Whether layers can be read again after the first pass, concurrently: false for a stream,
  /// whose only pass already read every layer.
  var rereadable: Bool { get }
  /// The size of the archive, when it is known before reading it (a file; nil for a stream).
  var archiveBytes: Int64? { get }
  /// The member at `location`, following the archive's own links; nil when absent.
  func member(_ location: String) -> ContainerMember?
  /// The bytes of a small metadata member (manifest, index, config).
  func metadata(_ location: String) throws -> [UInt8]
  /// The entries of the layer stored at `location`.
  func layer(_ location: String, index: Int, limits: LayerReader.Limits) throws -> LayerContents
  /// Bytes taken from the input in all, given what reading the layers took.
  func bytesRead(layers: [LayerContents]) -> Int64
  /// Reads chosen files again later, for the analyses that need content.
  func contentSource(locations: [String], layers: [LayerContents]) -> any ContentSource
  /// Where layers read before are kept, when this source may use it (nil: read everything).
  var layerCache: LayerCache? { get }
  /// Confirms that the input arrived whole (a transfer may fail after its archive's end);
  /// throws what went wrong otherwise. Called once every layer was read.
  func finish() throws
}

/// Largest metadata file strata reads (manifests and configs are kilobytes).
let maxMetadataBytes = 64 * 1024 * 1024

extension ImageSource {
  var ociFormat: ImageFormat { isDirectory ? .ociLayout : .ociArchive }

  var layerCache: LayerCache? { nil }

  /// Reads a member's bytes through its window.
  func readWindow(_ location: String, _ member: ContainerMember) throws -> [UInt8] {
    guard let window = member.window else {
      throw ImageLoadError(.missingBlob, file: displayName, "'\(location)' cannot be read again")
    }
    guard member.size <= Int64(maxMetadataBytes) else {
      throw ImageLoadError(
        .tooLarge, file: "\(displayName): \(location)",
        "metadata file of \(member.size) bytes is larger than \(maxMetadataBytes)")
    }
    do {
      let bytes = try window.file.readBytes(at: window.offset, count: Int(member.size))
      guard bytes.count == Int(member.size) else {
        throw ImageLoadError(
          .corrupt, file: "\(displayName): \(location)", "truncated: \(bytes.count) of \(member.size) bytes present")
      }
      return bytes
    } catch let error as ArchiveError {
      throw ImageLoadError(.unreadable, file: "\(displayName): \(location)", error.message)
    }
  }

  /// Reads a layer through its window, headers only, with skipping.
  func readLayerWindow(_ location: String, _ member: ContainerMember, index: Int, limits: LayerReader.Limits)
    throws -> LayerContents
  {
    guard let window = member.window else {
      throw ImageLoadError(.missingBlob, file: displayName, "layer '\(location)' cannot be read again")
    }
    let name = "\(displayName): \(location)"
    do {
      if let cached = try layerCache?.read(window, location: location, index: index, name: name, limits: limits) {
        return cached
      }
      let reader = try ArchiveReader(source: .window(window))
      return try LayerReader.read(reader, index: index, name: name, limits: limits)
    } catch let error as ArchiveError {
      throw layerError(location, error)
    }
  }

  func layerError(_ location: String, _ error: ArchiveError) -> ImageLoadError {
    let name = "\(displayName): \(location)"
    switch error.kind {
    case .tooLarge:
      return ImageLoadError(
        .tooLarge, file: name, "the layer expands past the uncompressed size limit (raise --max-layer-size to read it)")
    case .notAnArchive:
      return ImageLoadError(.notAnArchive, file: name, "layer is not a tar archive (nor gzip/zstd-compressed tar)")
    case .system:
      return ImageLoadError(.unreadable, file: name, error.message)
    case .truncated, .corrupt, .entryTooLarge, .source:
      return ImageLoadError(.corrupt, file: name, "layer is truncated or corrupt: \(error.message)")
    }
  }
}
