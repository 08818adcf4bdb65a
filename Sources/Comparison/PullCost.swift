/// What pulling each image costs when the baseline (the first image) is already present, as a
/// registry client pulls: a blob (the config or a layer) with a digest the baseline has is not
/// downloaded again, and a blob named twice is downloaded once.
enum PullCost {
  /// Fills `pullBytesGivenBaseline` and `blobsSharedWithBaseline` of every image after the first.
  static func annotate(_ images: inout [ImageFigures]) {
    guard let baseline = images.first else { return }
    var present = Set(baseline.layers.compactMap(\.blobDigest))
    if let config = baseline.configDigest { present.insert(config) }
    for index in images.indices.dropFirst() {
      let image = images[index]
      guard let full = image.pullBytes else { continue }
      let layerBytes = image.layers.reduce(Int64(0)) { $0 + ($1.storedBytes ?? 0) }
      var cost = full - layerBytes  // the config
      var shared = 0
      if let config = image.configDigest, present.contains(config) {
        cost = 0
        shared += 1
      }
      var seen: Set<String> = []
      for layer in image.layers {
        guard let digest = layer.blobDigest else {
          cost += layer.storedBytes ?? 0
          continue
        }
        guard seen.insert(digest).inserted else { continue }
        if present.contains(digest) {
          shared += 1
        } else {
          cost += layer.storedBytes ?? 0
        }
      }
      images[index].pullBytesGivenBaseline = cost
      images[index].blobsSharedWithBaseline = shared
    }
  }
}
