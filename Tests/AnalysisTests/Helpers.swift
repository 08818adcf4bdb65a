import Analysis
import ImageLoading
import ImageModel
import MergedTree
import TestSupport
import Testing

// Hand-built layer entries (paths already normalised, as LayerReader makes them).

func f(_ path: String, _ size: Int64, mode: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0) -> LayerEntry {
  LayerEntry(path: path, kind: .regular, size: size, permissions: mode, uid: uid, gid: gid)
}

func d(_ path: String, mode: UInt32 = 0o755, uid: UInt32 = 0, gid: UInt32 = 0) -> LayerEntry {
  LayerEntry(path: path, kind: .directory, permissions: mode, uid: uid, gid: gid)
}

func wh(_ path: String) -> LayerEntry { LayerEntry(path: path, kind: .whiteout, permissions: 0) }

func opq(_ directory: String) -> LayerEntry { LayerEntry(path: directory, kind: .opaque, permissions: 0) }

func sym(_ path: String, _ target: String) -> LayerEntry {
  LayerEntry(path: path, kind: .symlink, permissions: 0o777, linkTarget: target)
}

func hard(_ path: String, _ target: String) -> LayerEntry {
  LayerEntry(path: path, kind: .hardlink, linkTarget: target)
}

func layer(_ entries: LayerEntry...) -> LayerContents { LayerContents(entries: entries) }

extension FileTree {
  /// The node at `path`; fails the test when there is none.
  func node(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FileNode {
    let index = try #require(lookup(path), "no node at '\(path)'", sourceLocation: sourceLocation)
    return nodes[Int(index)]
  }

  /// The link target of the node at `path`; fails the test when there is no node.
  func linkTarget(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
    linkTarget(of: try #require(lookup(path), "no node at '\(path)'", sourceLocation: sourceLocation))
  }

  /// Whether `path` is in the final filesystem.
  func isPresent(_ path: String) -> Bool {
    guard let index = lookup(path) else { return false }
    return nodes[Int(index)].isPresent
  }

  /// Earlier versions of `path`.
  func versions(_ path: String) -> [NodeVersion] {
    guard let index = lookup(path) else { return [] }
    return earlierVersions[index] ?? []
  }

  /// Present bytes under `path`.
  func bytes(under path: String) -> Int64? { lookup(path).map { subtreeBytes[Int($0)] } }

  /// Present non-directories under `path`.
  func files(under path: String) -> Int32? { lookup(path).map { subtreeFiles[Int($0)] } }

  /// Every present path, sorted.
  var presentPaths: [String] {
    nodes.indices.dropFirst().filter { nodes[$0].isPresent }.map { path(of: Int32($0)) }.sorted()
  }
}

/// Builds an image in memory from hand-made layers, for `Analyzer`.
func image(_ layers: [LayerContents]) -> Image {
  Image(
    source: "memory", format: .dockerArchive, tags: ["memory:1"], configReference: nil, config: ImageConfig(),
    layers: layers.enumerated().map { index, contents in
      Layer(descriptor: LayerDescriptor(index: index, location: "\(index)/layer.tar"), contents: contents)
    })
}

/// Loads an archive held in memory.
func loadImage(_ bytes: [UInt8], options: LoadOptions = LoadOptions()) throws -> Image {
  try withTemporaryFile(bytes) { path in try ImageLoader.load(path, options: options) }
}

/// Loads a legacy docker archive made of these layer tars and analyses it.
func analyze(layers: [TarBuilder]) throws -> ImageAnalysis {
  let specs = try layers.map { try LayerSpec($0) }
  let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["probe:1"], layers: specs)).build()
  return Analyzer.analyze(try loadImage(bytes))
}

/// The parts of a `NodeVersion` tests compare.
struct Version: Equatable, CustomStringConvertible {
  var layer: Int32
  var kind: EntryKind
  var size: Int64
  var permissions: UInt32 = 0o644
  var hiddenBy: Int32
  var deleted: Bool

  init(
    layer: Int32, kind: EntryKind = .regular, size: Int64, permissions: UInt32 = 0o644, hiddenBy: Int32, deleted: Bool
  ) {
    self.layer = layer
    self.kind = kind
    self.size = size
    self.permissions = permissions
    self.hiddenBy = hiddenBy
    self.deleted = deleted
  }

  init(_ version: NodeVersion) {
    self.init(
      layer: version.layer, kind: version.kind, size: version.size, permissions: version.permissions,
      hiddenBy: version.hiddenBy, deleted: version.deleted)
  }

  var description: String {
    "v(layer \(layer), \(kind.name), \(size) B, hidden by \(hiddenBy)\(deleted ? ", deleted" : ""))"
  }
}

extension FileTree {
  /// Earlier versions of `path`, comparable.
  func history(_ path: String) -> [Version] { versions(path).map(Version.init) }
}

/// `path files bytes` of a removal.
func describe(_ removal: Removal) -> String { "\(removal.path) \(removal.files) \(removal.bytes)" }

/// dive's figures for hand-built layers (through the merged tree, as `Analyzer` does).
func dive(_ layers: [LayerContents]) -> DiveFigures {
  DiveEfficiency.compute(layers, tree: FileTree(layers: layers))
}
