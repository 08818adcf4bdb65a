import ArchiveIO
import ImageModel

import Glibc

/// An OCI image layout (or an unpacked `docker save`) in a directory.
///
/// Locations are resolved inside the directory only: a member that is a symlink pointing
/// outside it is refused.
final class DirectoryContainer: ImageSource {
  let displayName: String
  private let root: String
  private let realRoot: String
  private(set) var metadataBytesRead: Int64 = 0
  var isDirectory: Bool { true }
  var rereadable: Bool { true }
  var archiveBytes: Int64? { nil }
  let layerCache: LayerCache?

  init(path: String, cache: LayerCache? = nil) throws {
    displayName = path
    layerCache = cache
    root = path
    guard let resolved = realpath(path, nil) else {
      throw ImageLoadError(.unreadable, file: path, "cannot resolve the directory")
    }
    realRoot = String(cString: resolved)
    free(resolved)
  }

  func member(_ location: String) -> ContainerMember? {
    guard let real = resolve(location) else { return nil }
    guard let file = try? OpenFile(path: real) else { return nil }
    return ContainerMember(size: file.size, window: FileWindow(file: file))
  }

  private func resolve(_ location: String) -> String? {
    let full = root + "/" + location
    guard let resolved = realpath(full, nil) else { return nil }
    defer { free(resolved) }
    let real = String(cString: resolved)
    guard real.hasPrefix(realRoot + "/") else { return nil }
    return real
  }

  func metadata(_ location: String) throws -> [UInt8] {
    guard let found = member(location) else {
      throw ImageLoadError(.missingBlob, file: displayName, "'\(location)' is missing from the layout")
    }
    let bytes = try readWindow(location, found)
    metadataBytesRead += Int64(bytes.count)
    return bytes
  }

  func layer(_ location: String, index: Int, limits: LayerReader.Limits) throws -> LayerContents {
    guard let found = member(location) else {
      throw ImageLoadError(.missingBlob, file: displayName, "layer '\(location)' is missing from the layout")
    }
    return try readLayerWindow(location, found, index: index, limits: limits)
  }

  func bytesRead(layers: [LayerContents]) -> Int64 { metadataBytesRead + layers.reduce(0) { $0 + $1.bytesRead } }

  func contentSource(locations: [String], layers: [LayerContents]) -> any ContentSource {
    ContainerContentSource(source: self, locations: locations, contentBlocks: layers.map(\.contentBlocks))
  }

  func finish() throws {}
}
