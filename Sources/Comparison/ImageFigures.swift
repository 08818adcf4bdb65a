import Analysis
import ImageModel
import MergedTree
import PackageDatabases

/// One image's column of the side-by-side table: the same figures `strata analyze` prints.
package struct ImageFigures: Sendable {
  /// The column's label (`--label`, else the first tag, else the path).
  package var label: String
  /// The path given.
  package var source: String
  /// Its tags.
  package var tags: [String]
  /// Size of the archive file, when a file.
  package var archiveBytes: Int64?
  /// Sum of every layer's header sizes (analyze's "holding N of content", dive's image size).
  package var sizeBytes: Int64
  /// Bytes of regular files in the merged filesystem.
  package var finalBytes: Int64
  /// Non-directory paths in the merged filesystem.
  package var fileCount: Int
  /// Directories in the merged filesystem.
  package var directoryCount: Int
  /// dive's efficiency (0–1) and wasted bytes.
  package var efficiency: Double
  package var wastedBytes: Int64
  /// strata's reclaimable waste (removable + caches), when the waste analysis ran.
  package var reclaimableBytes: Int64?
  /// strata's waste to review (toolchains, docs, duplicates…), when the waste analysis ran.
  package var reviewBytes: Int64?
  /// Every top-level directory (and file) of the merged filesystem with its bytes, largest first.
  package var topLevel: [PathSize]
  /// The layers, bottom first.
  package var layers: [LayerFigure]
  /// Packages per ecosystem (count and bytes), when packages were read.
  package var packageTotals: [PackageEcosystem: PackageTotal]?
  /// What a pull of it downloads (config and compressed layers), when known.
  package var pullBytes: Int64?
  /// Where `pullBytes` comes from.
  package var pullBytesSource: PullSizeSource
  /// What a pull of it downloads when the baseline (the first image) is present: blobs with a
  /// digest of the baseline's are not downloaded again. Nil for the baseline, or when unknown.
  package var pullBytesGivenBaseline: Int64?
  /// How many of its blobs (config and layers) the baseline has too.
  package var blobsSharedWithBaseline = 0
  /// The config's digest, when the image names it by one.
  package var configDigest: String?
}

/// One layer of a compared image.
package struct LayerFigure: Sendable, Hashable {
  /// Position, bottom 0.
  package var index: Int
  /// What identifies its content across images: the diffID, else the blob digest.
  package var contentID: String?
  /// Sum of its header sizes.
  package var sizeBytes: Int64
  /// The command that made it.
  package var command: String?
  /// Other images (by position in the comparison) holding a layer with the same content ID.
  package var sharedWith: [Int]
  /// The digest of its stored blob (compressed, for compressed layers), when known.
  package var blobDigest: String? = nil
  /// Bytes of its stored blob, when known.
  package var storedBytes: Int64? = nil
}

/// Count and bytes of one ecosystem's packages.
package struct PackageTotal: Sendable, Hashable {
  /// Packages.
  package var count: Int
  /// Their bytes (known sizes summed).
  package var bytes: Int64
}

extension ImageFigures {
  /// The figures of an analysed image.
  package init(label: String, analysis: ImageAnalysis, waste: WasteReport?, packages: PackageInventory?) {
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
