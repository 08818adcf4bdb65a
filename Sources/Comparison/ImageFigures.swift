import Analysis
import ImageModel
import MergedTree
import PackageDatabases

/// One image's column of the side-by-side table: the same figures `strata analyze` prints.
public struct ImageFigures: Sendable {
  /// The column's label (`--label`, else the first tag, else the path).
  public var label: String
  /// The path given.
  public var source: String
  /// Its tags.
  public var tags: [String]
  /// Size of the archive file, when a file.
  public var archiveBytes: Int64?
  /// Sum of every layer's header sizes (analyze's "holding N of content", dive's image size).
  public var sizeBytes: Int64
  /// Bytes of regular files in the merged filesystem.
  public var finalBytes: Int64
  /// Non-directory paths in the merged filesystem.
  public var fileCount: Int
  /// Directories in the merged filesystem.
  public var directoryCount: Int
  /// dive's efficiency (0–1) and wasted bytes.
  public var efficiency: Double
  public var wastedBytes: Int64
  /// strata's reclaimable waste (removable + caches), when the waste analysis ran.
  public var reclaimableBytes: Int64?
  /// strata's waste to review (toolchains, docs, duplicates…), when the waste analysis ran.
  public var reviewBytes: Int64?
  /// Every top-level directory (and file) of the merged filesystem with its bytes, largest first.
  public var topLevel: [PathSize]
  /// The layers, bottom first.
  public var layers: [LayerFigure]
  /// Packages per ecosystem (count and bytes), when packages were read.
  public var packageTotals: [PackageEcosystem: PackageTotal]?
  /// What a pull of it downloads (config and compressed layers), when known.
  public var pullBytes: Int64?
  /// Where `pullBytes` comes from.
  public var pullBytesSource: PullSizeSource
  /// What a pull of it downloads when the baseline (the first image) is present: blobs with a
  /// digest of the baseline's are not downloaded again. Nil for the baseline, or when unknown.
  public var pullBytesGivenBaseline: Int64?
  /// How many of its blobs (config and layers) the baseline has too.
  public var blobsSharedWithBaseline = 0
  /// The config's digest, when the image names it by one.
  public var configDigest: String?
}

/// One layer of a compared image.
public struct LayerFigure: Sendable, Hashable {
  /// Position, bottom 0.
  public var index: Int
  /// What identifies its content across images: the diffID, else the blob digest.
  public var contentID: String?
  /// Sum of its header sizes.
  public var sizeBytes: Int64
  /// The command that made it.
  public var command: String?
  /// Other images (by position in the comparison) holding a layer with the same content ID.
  public var sharedWith: [Int]
  /// The digest of its stored blob (compressed, for compressed layers), when known.
  public var blobDigest: String? = nil
  /// Bytes of its stored blob, when known.
  public var storedBytes: Int64? = nil
}

/// Count and bytes of one ecosystem's packages.
public struct PackageTotal: Sendable, Hashable {
  /// Packages.
  public var count: Int
  /// Their bytes (known sizes summed).
  public var bytes: Int64
}

extension ImageFigures {
  /// The figures of an analysed image.
  public init(label: String, analysis: ImageAnalysis, waste: WasteReport?, packages: PackageInventory?) {
    let tree = analysis.tree
    let image = analysis.image
    self.label = label
    source = image.source
    tags = image.tags
    archiveBytes = image.archiveBytes
    sizeBytes = analysis.dive.sizeBytes
    finalBytes = analysis.finalBytes
    fileCount = analysis.fileCount
    directoryCount = tree.directoryCount
    efficiency = analysis.dive.efficiency
    wastedBytes = analysis.dive.wastedBytes
    reclaimableBytes = waste?.reclaimableBytes
    reviewBytes = waste?.reviewBytes
    topLevel = tree.presentChildren(of: FileTree.root).map { analysis.pathSize($0) }.sorted {
      $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.path < $1.path
    }
    layers = analysis.layers.map { layer in
      LayerFigure(
        index: layer.descriptor.index, contentID: layer.descriptor.diffID ?? layer.descriptor.digest,
        sizeBytes: layer.sizeBytes, command: layer.descriptor.command, sharedWith: [],
        blobDigest: layer.descriptor.digest, storedBytes: layer.descriptor.storedSize)
    }
    pullBytes = image.pullBytes
    pullBytesSource = image.pullBytesSource
    configDigest = image.configReference.flatMap { $0.hasPrefix("sha256:") ? $0 : nil }
    packageTotals = packages.map { inventory in
      inventory.totals().mapValues { PackageTotal(count: $0.count, bytes: $0.bytes) }
    }
  }
}
