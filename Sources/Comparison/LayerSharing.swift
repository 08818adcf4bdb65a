import Analysis
import PackageDatabases

/// Which layers several images have in common (same diffID), and the bytes that saves: a
/// registry or a host stores each distinct layer once.
package struct LayerSharing: Sendable {
  /// A layer held by two or more images.
  package struct SharedLayer: Sendable, Hashable {
    /// Its diffID (or blob digest).
    package var contentID: String
    /// Its bytes (sum of header sizes).
    package var sizeBytes: Int64
    /// Where it is: image position and layer index, for each image that holds it.
    package var placements: [Placement]
    /// The command that made it, from the first image that holds it.
    package var command: String?
    /// Whether every compared image holds it.
    package var inAllImages: Bool
  }

  /// Image position and layer index.
  package struct Placement: Sendable, Hashable {
    /// Position of the image in the comparison.
    package var image: Int
    /// Layer index in that image.
    package var layer: Int

    /// Creates a placement.
    package init(image: Int, layer: Int) {
      self.image = image
      self.layer = layer
    }
  }

  /// Bytes of one image's layers that other images hold too, and bytes only it holds.
  package struct ImageShare: Sendable, Hashable {
    /// Bytes of layers some other image also holds.
    package var sharedBytes: Int64
    /// Bytes of layers no other image holds.
    package var uniqueBytes: Int64
    /// Layers some other image also holds.
    package var sharedLayers: Int
    /// How many bottom layers it has in common, in order, with every other image (the shared base).
    package var commonBaseLayers: Int
  }

  /// Layers held by two or more images, in the order the first image holding each lists them.
  package var shared: [SharedLayer]
  /// Per image, in comparison order.
  package var images: [ImageShare]
  /// The bottom layers every image has, in the same order (the common base), by count.
  package var commonBaseLayers: Int
  /// Sum of every image's layer bytes, as if each were stored alone.
  package var separateBytes: Int64
  /// Bytes of the distinct layers (what a registry or host stores).
  package var distinctBytes: Int64

  /// Bytes sharing saves.
  package var savedBytes: Int64 { separateBytes - distinctBytes }

  /// Finds the layers `images` share. Layers without a diffID or digest are never shared.
  package static func compute(_ images: [ImageFigures]) -> LayerSharing {
    var holders: [String: [Placement]] = [:]
    var order: [String] = []
    var sizes: [String: Int64] = [:]
    var commands: [String: String?] = [:]
    for (imageIndex, image) in images.enumerated() {
      for layer in image.layers {
        guard let id = layer.contentID else { continue }
        if holders[id] == nil {
          order.append(id)
          sizes[id] = layer.sizeBytes
          commands[id] = layer.command
        }
        holders[id, default: []].append(Placement(image: imageIndex, layer: layer.index))
      }
    }
    let sharedIDs = order.filter { id in Set(holders[id, default: []].map(\.image)).count > 1 }
    let shared = sharedIDs.map { id in
      SharedLayer(
        contentID: id, sizeBytes: sizes[id] ?? 0, placements: holders[id] ?? [], command: commands[id] ?? nil,
        inAllImages: Set(holders[id, default: []].map(\.image)).count == images.count)
    }
    let sharedSet = Set(sharedIDs)
    var distinct: Int64 = 0
    for id in order { distinct += sizes[id] ?? 0 }
    var separate: Int64 = 0
    var shares: [ImageShare] = []
    let base = commonBase(images)
    for image in images {
      var share = ImageShare(sharedBytes: 0, uniqueBytes: 0, sharedLayers: 0, commonBaseLayers: base)
      for layer in image.layers {
        separate += layer.sizeBytes
        if let id = layer.contentID, sharedSet.contains(id) {
          share.sharedBytes += layer.sizeBytes
          share.sharedLayers += 1
        } else {
          share.uniqueBytes += layer.sizeBytes
        }
      }
      shares.append(share)
    }
    // Layers with no content ID cannot be matched: each counts as distinct.
    for image in images { for layer in image.layers where layer.contentID == nil { distinct += layer.sizeBytes } }
    return LayerSharing(
      shared: shared, images: shares, commonBaseLayers: base, separateBytes: separate, distinctBytes: distinct)
  }

  /// How many bottom layers all images have in the same order.
  static func commonBase(_ images: [ImageFigures]) -> Int {
    guard let first = images.first else { return 0 }
    var count = 0
    while count < first.layers.count {
      guard let id = first.layers[count].contentID else { break }
      let all = images.allSatisfy { count < $0.layers.count && $0.layers[count].contentID == id }
      guard all else { break }
      count += 1
    }
    return count
  }

  /// Fills each layer's `sharedWith` (the other images holding the same content).
  package func annotate(_ images: inout [ImageFigures]) {
    var holders: [String: Set<Int>] = [:]
    for layer in shared { holders[layer.contentID] = Set(layer.placements.map(\.image)) }
    for imageIndex in images.indices {
      for layerIndex in images[imageIndex].layers.indices {
        guard let id = images[imageIndex].layers[layerIndex].contentID, let others = holders[id] else { continue }
        images[imageIndex].layers[layerIndex].sharedWith = others.subtracting([imageIndex]).sorted()
      }
    }
  }
}
