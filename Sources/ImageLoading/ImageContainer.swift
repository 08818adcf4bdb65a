import ArchiveIO
import ImageModel

/// One file of an image container: a member of the archive or a file of a layout directory.
struct ContainerMember: Sendable {
  /// Bytes of content.
  var size: Int64
  /// Where its content is, when it can be read again later (seekable archives and directories).
  var window: FileWindow?
}

/// The files of an image, wherever they live: an archive read by seeking, an archive read
/// once as a stream, or an OCI layout directory. Locations are normalised relative paths.
protocol ImageContainer {
  /// The name to put in messages (the path the user gave).
  var displayName: String { get }
  /// The member at `location`, following the archive's own links; nil when absent.
  func member(_ location: String) -> ContainerMember?
  /// The bytes of a small metadata member (manifest, index, config).
  func metadata(_ location: String) throws -> [UInt8]
  /// The entries of the layer stored at `location`.
  func layer(_ location: String, index: Int, limits: LayerReader.Limits) throws -> LayerContents
  /// Bytes read so far from the input outside of layers.
  var metadataBytesRead: Int64 { get }
}

/// Largest metadata file strata reads (manifests and configs are kilobytes).
let maxMetadataBytes = 64 * 1024 * 1024

extension ImageContainer {
  /// Reads a member's bytes through its window.
  func readWindow(_ location: String, _ member: ContainerMember) throws -> [UInt8] {
    guard let window = member.window else {
      throw ImageLoadError(.missingBlob, file: displayName, "'\(location)' cannot be read again")
    }
    guard member.size <= Int64(maxMetadataBytes) else {
      throw ImageLoadError(.tooLarge, file: "\(displayName): \(location)", "metadata file of \(member.size) bytes is larger than \(maxMetadataBytes)")
    }
    do {
      let bytes = try window.file.readBytes(at: window.offset, count: Int(member.size))
      guard bytes.count == Int(member.size) else {
        throw ImageLoadError(.corrupt, file: "\(displayName): \(location)", "truncated: \(bytes.count) of \(member.size) bytes present")
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
      let reader = try ArchiveReader(source: .window(window))
      return try LayerReader.read(reader, index: index, name: name, limits: limits)
    } catch let error as ArchiveError {
      throw layerError(location, error)
    }
  }

  func layerError(_ location: String, _ error: ArchiveError) -> ImageLoadError {
    let name = "\(displayName): \(location)"
    if error.message == ArchiveReader.uncompressedLimitMessage {
      return ImageLoadError(
        .tooLarge, file: name, "the layer expands past the uncompressed size limit (raise --max-layer-size to read it)")
    }
    if error.message.contains("Unrecognized archive format") {
      return ImageLoadError(.notAnArchive, file: name, "layer is not a tar archive (nor gzip/zstd-compressed tar)")
    }
    return ImageLoadError(.corrupt, file: name, "layer is truncated or corrupt: \(error.message)")
  }
}
