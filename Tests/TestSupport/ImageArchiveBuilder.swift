import CArchive
import Foundation

/// One member of an image archive (or one file of a layout directory).
public struct ArchiveMember: Sendable {
  public enum Kind: Sendable {
    case file([UInt8])
    case symlink(String)
    case directory
  }
  public var name: String
  public var kind: Kind

  public init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
  }

  /// A regular file.
  public static func file(_ name: String, _ bytes: [UInt8]) -> ArchiveMember {
    ArchiveMember(name: name, kind: .file(bytes))
  }
  /// A regular file holding text.
  public static func text(_ name: String, _ text: String) -> ArchiveMember { .file(name, Array(text.utf8)) }
  /// A JSON document.
  public static func json(_ name: String, _ json: TestJSON) -> ArchiveMember { .file(name, json.bytes) }
  /// A symbolic link.
  public static func symlink(_ name: String, to target: String) -> ArchiveMember {
    ArchiveMember(name: name, kind: .symlink(target))
  }

  /// The file's bytes (nil for links and directories).
  public var bytes: [UInt8]? {
    if case .file(let bytes) = kind { return bytes }
    return nil
  }
}

extension Array where Element == ArchiveMember {
  /// The member named `name`.
  public subscript(named name: String) -> ArchiveMember? { first { $0.name == name } }

  /// Replaces the content of the member named `name` (appends it when absent).
  public mutating func replace(_ name: String, with bytes: [UInt8]) {
    if let index = firstIndex(where: { $0.name == name }) {
      self[index].kind = .file(bytes)
    } else {
      append(.file(name, bytes))
    }
  }

  /// Replaces the content of the member named `name` with text.
  public mutating func replace(_ name: String, withText text: String) { replace(name, with: [UInt8](text.utf8)) }

  /// Removes the members named `name`.
  public mutating func remove(_ name: String) { removeAll { $0.name == name } }

  /// Moves the member named `name` to the end.
  public mutating func moveToEnd(_ name: String) {
    guard let index = firstIndex(where: { $0.name == name }) else { return }
    append(remove(at: index))
  }
}

/// A layer of a test image: an uncompressed tar, the compression of its stored blob, its command.
public struct LayerSpec: Sendable {
  /// The uncompressed layer tar.
  public var tar: [UInt8]
  /// How the blob is stored.
  public var compression: TarCompression
  /// `created_by` of its history entry.
  public var command: String?
  /// A media type to write instead of the one the compression implies (OCI layouts).
  public var mediaTypeOverride: String?
  /// The stored blob (the tar, compressed as asked).
  public let blob: [UInt8]

  public init(_ tar: [UInt8], compression: TarCompression = .none, command: String? = nil, mediaType: String? = nil)
    throws
  {
    self.tar = tar
    self.compression = compression
    self.command = command
    self.mediaTypeOverride = mediaType
    self.blob = try compressed(tar, compression)
  }

  /// A layer built from a `TarBuilder`.
  public init(_ builder: TarBuilder, compression: TarCompression = .none, command: String? = nil) throws {
    try self.init(try builder.build(), compression: compression, command: command)
  }

  /// `sha256:` of the uncompressed tar (the config's diff_id).
  public var diffID: String { SHA256.digest(tar) }
  /// `sha256:` of the stored blob.
  public var blobDigest: String { SHA256.digest(blob) }

  /// The OCI media type for the blob.
  public var mediaType: String {
    if let mediaTypeOverride { return mediaTypeOverride }
    switch compression {
    case .none: return "application/vnd.oci.image.layer.v1.tar"
    case .gzip: return "application/vnd.oci.image.layer.v1.tar+gzip"
    case .zstd: return "application/vnd.oci.image.layer.v1.tar+zstd"
    }
  }
}

/// One step of the build history.
public struct HistoryItem: Sendable {
  public var createdBy: String
  public var emptyLayer: Bool
  public var created: String?
  public var comment: String?

  public init(
    _ createdBy: String, emptyLayer: Bool = false, created: String? = "2023-11-14T22:13:20Z", comment: String? = nil
  ) {
    self.createdBy = createdBy
    self.emptyLayer = emptyLayer
    self.created = created
    self.comment = comment
  }

  /// A step that made no layer (`ENV`, `CMD`, …).
  public static func empty(_ createdBy: String) -> HistoryItem { HistoryItem(createdBy, emptyLayer: true) }
}

/// One image of a test archive.
public struct ImageSpec: Sendable {
  /// Tags (`RepoTags`, or OCI ref names).
  public var tags: [String]
  /// Layers, bottom first.
  public var layers: [LayerSpec]
  /// The config's history; nil makes one non-empty entry per layer from the layers' commands.
  public var history: [HistoryItem]?
  public var architecture: String
  public var os: String
  public var variant: String?
  /// For OCI layouts: when not empty, this image is a multi-platform index of these variants
  /// (each with its own architecture/os/variant); `layers` is then unused.
  public var platforms: [ImageSpec]
  /// Replaces the generated config document.
  public var configOverride: TestJSON?

  public init(
    tags: [String] = [], layers: [LayerSpec], history: [HistoryItem]? = nil, architecture: String = "amd64",
    os: String = "linux", variant: String? = nil, platforms: [ImageSpec] = [], configOverride: TestJSON? = nil
  ) {
    self.tags = tags
    self.layers = layers
    self.history = history
    self.architecture = architecture
    self.os = os
    self.variant = variant
    self.platforms = platforms
    self.configOverride = configOverride
  }

  /// A multi-platform image (OCI index) of `platforms`.
  public static func multiPlatform(tags: [String], _ platforms: [ImageSpec]) -> ImageSpec {
    ImageSpec(tags: tags, layers: [], platforms: platforms)
  }

  /// `os/arch[/variant]`.
  public var platform: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

  /// The history actually written.
  public var effectiveHistory: [HistoryItem] {
    history ?? layers.enumerated().map { index, layer in HistoryItem(layer.command ?? "/bin/sh -c layer \(index)") }
  }

  /// The config document.
  public var config: TestJSON {
    if let configOverride { return configOverride }
    var pairs: [(String, TestJSON)] = [
      ("architecture", .string(architecture)), ("os", .string(os)),
    ]
    if let variant { pairs.append(("variant", .string(variant))) }
    pairs += [
      ("created", "2023-11-14T22:13:20Z"),
      ("config", .obj(("Env", .strings(["PATH=/usr/bin:/bin"])), ("Cmd", .strings(["/bin/sh"])))),
      ("rootfs", .obj(("type", "layers"), ("diff_ids", .strings(layers.map(\.diffID))))),
      (
        "history",
        .array(
          effectiveHistory.map { item in
            var entry: [(String, TestJSON)] = []
            if let created = item.created { entry.append(("created", .string(created))) }
            entry.append(("created_by", .string(item.createdBy)))
            if let comment = item.comment { entry.append(("comment", .string(comment))) }
            if item.emptyLayer { entry.append(("empty_layer", true)) }
            return .object(entry)
          })
      ),
    ]
    return .object(pairs)
  }

  /// The config document's bytes.
  public var configBytes: [UInt8] { config.bytes }
}

/// Assembles whole image archives (or OCI layout directories) from layer tars.
public struct ImageArchiveBuilder: Sendable {
  /// The archive layouts.
  public enum Layout: Sendable {
    /// `docker save` before Docker 25: `manifest.json`, `<id>/layer.tar`, `<hex>.json`, `repositories`.
    case dockerLegacy
    /// `docker save` from Docker 25 on: `manifest.json` naming `blobs/sha256/<hex>`, plus
    /// `index.json` and `oci-layout`.
    case docker25
    /// An OCI image layout: `oci-layout`, `index.json` → manifests (or nested indexes) → blobs.
    case oci
  }

  public static let ociManifestType = "application/vnd.oci.image.manifest.v1+json"
  public static let ociIndexType = "application/vnd.oci.image.index.v1+json"
  public static let ociConfigType = "application/vnd.oci.image.config.v1+json"

  public var layout: Layout
  public var images: [ImageSpec]
  /// Put the metadata (manifest.json, index.json, oci-layout, repositories) after the blobs, as a
  /// `docker save` to a pipe does.
  public var metadataLast: Bool

  public init(_ layout: Layout, images: [ImageSpec], metadataLast: Bool = false) {
    self.layout = layout
    self.images = images
    self.metadataLast = metadataLast
  }

  public init(_ layout: Layout, _ image: ImageSpec, metadataLast: Bool = false) {
    self.init(layout, images: [image], metadataLast: metadataLast)
  }

  /// The members of the archive, in the order they will be written.
  public func members() -> [ArchiveMember] {
    var blobs = MemberList()
    var metadata: [ArchiveMember] = []
    switch layout {
    case .dockerLegacy:
      var manifest: [TestJSON] = []
      var repositories: [(String, TestJSON)] = []
      for image in images {
        var layerNames: [String] = []
        for layer in image.layers {
          let id = SHA256.hex(layer.blob + Array(layer.diffID.utf8))
          let name = "\(id)/layer.tar"
          blobs.add(.file(name, layer.blob))
          blobs.add(.text("\(id)/VERSION", "1.0"))
          blobs.add(.json("\(id)/json", .obj(("id", .string(id)))))
          layerNames.append(name)
        }
        let configBytes = image.configBytes
        let configName = SHA256.hex(configBytes) + ".json"
        blobs.add(.file(configName, configBytes))
        manifest.append(
          .obj(("Config", .string(configName)), ("RepoTags", .strings(image.tags)), ("Layers", .strings(layerNames))))
        for tag in image.tags {
          let parts = tag.split(separator: ":", maxSplits: 1).map(String.init)
          if parts.count == 2, let last = layerNames.last {
            repositories.append((parts[0], .obj((parts[1], .string(String(last.prefix(64)))))))
          }
        }
      }
      metadata.append(.json("manifest.json", .array(manifest)))
      metadata.append(.json("repositories", .object(repositories)))
    case .docker25:
      var manifest: [TestJSON] = []
      var index: [TestJSON] = []
      for image in images {
        let (descriptor, configLocation, layerLocations) = addOCIImage(image, to: &blobs)
        manifest.append(
          .obj(
            ("Config", .string(configLocation)), ("RepoTags", .strings(image.tags)),
            ("Layers", .strings(layerLocations))))
        if let tag = image.tags.first {
          index.append(
            descriptor.setting(
              "annotations",
              .obj(
                ("io.containerd.image.name", .string(tag)),
                ("org.opencontainers.image.ref.name", .string(String(tag.split(separator: ":").last ?? ""))))))
        } else {
          index.append(descriptor)
        }
      }
      metadata.append(
        .json(
          "index.json",
          .obj(("schemaVersion", 2), ("mediaType", .string(Self.ociIndexType)), ("manifests", .array(index)))))
      metadata.append(.json("manifest.json", .array(manifest)))
      metadata.append(.json("oci-layout", .obj(("imageLayoutVersion", "1.0.0"))))
    case .oci:
      var index: [TestJSON] = []
      for image in images {
        let descriptor: TestJSON
        if image.platforms.isEmpty {
          descriptor = addOCIImage(image, to: &blobs).descriptor
        } else {
          var children: [TestJSON] = []
          for platform in image.platforms {
            var child = addOCIImage(platform, to: &blobs).descriptor
            var platformPairs: [(String, TestJSON)] = [
              ("architecture", .string(platform.architecture)), ("os", .string(platform.os)),
            ]
            if let variant = platform.variant { platformPairs.append(("variant", .string(variant))) }
            child = child.setting("platform", .object(platformPairs))
            children.append(child)
          }
          let nested = TestJSON.obj(
            ("schemaVersion", 2), ("mediaType", .string(Self.ociIndexType)), ("manifests", .array(children)))
          let bytes = nested.bytes
          blobs.add(.file(Self.blobName(bytes), bytes))
          descriptor = .obj(
            ("mediaType", .string(Self.ociIndexType)), ("digest", .string(SHA256.digest(bytes))),
            ("size", .int(Int64(bytes.count))))
        }
        if image.tags.isEmpty {
          index.append(descriptor)
        }
        for tag in image.tags {
          index.append(descriptor.setting("annotations", .obj(("org.opencontainers.image.ref.name", .string(tag)))))
        }
      }
      metadata.append(.json("oci-layout", .obj(("imageLayoutVersion", "1.0.0"))))
      metadata.append(
        .json(
          "index.json",
          .obj(("schemaVersion", 2), ("mediaType", .string(Self.ociIndexType)), ("manifests", .array(index)))))
    }
    return metadataLast ? blobs.members + metadata : metadata + blobs.members
  }

  /// `blobs/sha256/<hex>` of `bytes`.
  public static func blobName(_ bytes: [UInt8]) -> String { "blobs/sha256/" + SHA256.hex(bytes) }

  /// Adds an image's config, layers and OCI manifest as blobs; returns the manifest's descriptor
  /// and the config's and layers' locations.
  private func addOCIImage(_ image: ImageSpec, to blobs: inout MemberList) -> (
    descriptor: TestJSON, configLocation: String, layerLocations: [String]
  ) {
    var layerDescriptors: [TestJSON] = []
    var layerLocations: [String] = []
    for layer in image.layers {
      let name = Self.blobName(layer.blob)
      blobs.add(.file(name, layer.blob))
      layerLocations.append(name)
      layerDescriptors.append(
        .obj(
          ("mediaType", .string(layer.mediaType)), ("digest", .string(layer.blobDigest)),
          ("size", .int(Int64(layer.blob.count)))))
    }
    let configBytes = image.configBytes
    let configLocation = Self.blobName(configBytes)
    blobs.add(.file(configLocation, configBytes))
    let manifest = TestJSON.obj(
      ("schemaVersion", 2), ("mediaType", .string(Self.ociManifestType)),
      (
        "config",
        .obj(
          ("mediaType", .string(Self.ociConfigType)), ("digest", .string(SHA256.digest(configBytes))),
          ("size", .int(Int64(configBytes.count))))
      ),
      ("layers", .array(layerDescriptors)))
    let manifestBytes = manifest.bytes
    blobs.add(.file(Self.blobName(manifestBytes), manifestBytes))
    let descriptor = TestJSON.obj(
      ("mediaType", .string(Self.ociManifestType)), ("digest", .string(SHA256.digest(manifestBytes))),
      ("size", .int(Int64(manifestBytes.count))))
    return (descriptor, configLocation, layerLocations)
  }

  /// The archive's bytes, optionally compressed as a whole.
  public func build(_ compression: TarCompression = .none) throws -> [UInt8] {
    try Self.tar(members(), compression)
  }

  /// Writes the archive to `path`; returns `path`.
  @discardableResult
  public func write(to path: String, _ compression: TarCompression = .none) throws -> String {
    try writeFile(path, try build(compression))
    return path
  }

  /// Writes the members as files of the directory `path` (an OCI layout directory).
  @discardableResult
  public func writeDirectory(at path: String) throws -> String {
    try Self.writeDirectory(members(), at: path)
    return path
  }

  /// A tar of arbitrary members.
  public static func tar(_ members: [ArchiveMember], _ compression: TarCompression = .none) throws -> [UInt8] {
    var builder = TarBuilder(format: .pax)
    for member in members {
      switch member.kind {
      case .file(let bytes): builder = builder.file(member.name, bytes)
      case .symlink(let target): builder = builder.symlink(member.name, to: target)
      case .directory: builder = builder.dir(member.name)
      }
    }
    return try builder.build(compression)
  }

  /// Writes members as files under `path`.
  public static func writeDirectory(_ members: [ArchiveMember], at path: String) throws {
    let manager = FileManager.default
    try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
    for member in members {
      let full = path + "/" + member.name
      let parent = (full as NSString).deletingLastPathComponent
      try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
      switch member.kind {
      case .file(let bytes): try writeFile(full, bytes)
      case .symlink(let target): try manager.createSymbolicLink(atPath: full, withDestinationPath: target)
      case .directory: try manager.createDirectory(atPath: full, withIntermediateDirectories: true)
      }
    }
  }
}

/// Members in order, each name once.
private struct MemberList {
  var members: [ArchiveMember] = []
  var names: Set<String> = []

  mutating func add(_ member: ArchiveMember) {
    guard names.insert(member.name).inserted else { return }
    members.append(member)
  }
}
