import ImageModel

/// Where one layer of an image is, before it is read.
struct LayerPlan: Sendable {
  var location: String
  var digest: String?
  var mediaType: String?
  var storedSize: Int64?
}

/// One image found in a container, before its layers are read.
struct ImagePlan: Sendable {
  var format: ImageFormat
  var tags: [String]
  var configLocation: String
  var configDigest: String?
  /// The config's size from its descriptor, when a manifest gives one.
  var configSize: Int64?
  var layers: [LayerPlan]
  /// Manifest digest, to name untagged images.
  var manifestDigest: String?

  /// How to name this image in a list of choices.
  var choiceName: String { tags.first ?? manifestDigest ?? configDigest ?? configLocation }
}

/// Options that pick one image out of a container and bound the work.
package struct LoadOptions: Sendable {
  /// `NAME:TAG` to pick from an archive holding several images.
  package var image: String?
  /// `os/arch[/variant]` to pick from a multi-platform index.
  package var platform: String?
  /// The most entries a layer may have.
  package var maxEntriesPerLayer: Int
  /// The most uncompressed bytes one layer may expand to.
  package var maxLayerBytes: Int64
  /// The most entries all layers together may have.
  package var maxTotalEntries: Int
  /// Read layers of a seekable archive concurrently.
  package var concurrent: Bool
  /// Told after each layer is read: (layers read, layers in all). Called from any thread.
  package var layerRead: (@Sendable (Int, Int) -> Void)?
  /// Handed each layer's contents as soon as it and every layer below it are read: (index,
  /// contents), bottom first, one call at a time, from the threads that read the layers (so a
  /// caller can merge layers while later ones are read: where the layers are read concurrently,
  /// an archive file, a layout folder, a registry, the merge overlaps the reading; from a stream
  /// it runs between one layer and the next). Every source calls it. It returns whether the
  /// image may let go of that layer's entries (the caller has taken what it needs from them):
  /// the layer then comes back with none (`entries` empty, everything else kept), so that they
  /// are not all alive at once beside what the caller built. Otherwise the image holds the same
  /// contents. A failed load may have handed over some layers.
  package var layerReady: (@Sendable (Int, LayerContents) -> Bool)?
  /// Told how many layers the chosen image has, once its manifest is read and before any layer
  /// is; what it throws ends the load (a command checks a layer number there, not after the
  /// whole image is read).
  package var layersPlanned: (@Sendable (Int) throws -> Void)?
  /// The environment that says where daemons listen (`DOCKER_HOST`, `CONTAINER_HOST`, `HOME`,
  /// …); nil reads the process's own.
  package var environment: [String: String]?
  /// Registry hosts (`host` or `host:port`) that may be reached over plain HTTP
  /// (`--insecure-registry`); loopback hosts always may.
  package var insecureRegistries: Set<String> = []
  /// Paths (`/etc/os-release`) whose whole content to keep when the image is read as a stream
  /// (standard input, a pipe, a compressed archive, a daemon), for callers that know before
  /// loading which files they will print: a stream cannot be read again for them.
  package var wholeFiles: Set<String> = []
  /// The largest file `wholeFiles` keeps (larger ones keep their fingerprint only).
  package var wholeFileLimit: Int64 = 1 << 30
  /// The contents the analyses that will run read (credentials, package databases), kept as a
  /// stream goes by; none by default.
  package var contentNeeds = ContentNeeds()
  /// Told as layer blobs download from a registry: (layer index, bytes so far, the blob's size
  /// when known); first once for every layer with 0 bytes, so the total is known from the
  /// start. Called from any thread.
  package var layerBytes: (@Sendable (Int, Int64, Int64?) -> Void)?
  /// Where to keep and find what layers held, by the digest of their bytes (nil: no cache).
  package var layerCache: LayerCache?

  /// Creates options.
  package init(
    image: String? = nil, platform: String? = nil, maxEntriesPerLayer: Int = 5_000_000,
    maxLayerBytes: Int64 = 100 << 30, maxTotalEntries: Int = 50_000_000, concurrent: Bool = true
  ) {
    self.image = image
    self.platform = platform
    self.maxEntriesPerLayer = maxEntriesPerLayer
    self.maxLayerBytes = maxLayerBytes
    self.maxTotalEntries = maxTotalEntries
    self.concurrent = concurrent
  }
}

extension LoadOptions {
  /// The per-layer limits these options set.
  var layerLimits: LayerReader.Limits {
    LayerReader.Limits(maxEntries: maxEntriesPerLayer, maxUncompressedBytes: maxLayerBytes)
  }

  /// What one stream pass keeps of the files going by: `contentNeeds`, and `wholeFiles` whole.
  func streamKeep() -> StreamKeep {
    StreamKeep(
      needs: contentNeeds,
      whole: wholeFiles.isEmpty ? nil : WholeFileCapture(paths: wholeFiles, limit: wholeFileLimit))
  }
}
