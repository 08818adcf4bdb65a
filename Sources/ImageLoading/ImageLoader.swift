import ArchiveIO
import Dispatch
import ImageModel
import Synchronization

/// Reads an image from wherever it lives: an archive file, an OCI layout directory, standard
/// input (`-`), the Docker Engine or podman (`docker://app:1`, a bare `app:1`).
///
/// ```swift
/// let image = try ImageLoader.load("app.tar")
/// print(image.layers.count)
/// ```
package enum ImageLoader {
  /// Lists the images an archive or layout holds (tags, or digests for untagged ones).
  package static func listImages(_ argument: String, source: String? = nil) throws -> [String] {
    let location = try ImageResolver.resolve(argument, source: source)
    let opened = try ImageResolver.open(location, displayName: argument, options: LoadOptions())
    return try ManifestResolver(container: opened, options: LoadOptions()).plans().map(\.choiceName)
  }

  /// Reads the image `argument` names (see `ImageResolver` for how it is resolved).
  /// - Parameter source: `--source`'s value, when given.
  /// - Throws: `ImageLoadError`, naming the input and the problem.
  package static func load(_ argument: String, source: String? = nil, options: LoadOptions = LoadOptions()) throws
    -> Image
  {
    let location = try ImageResolver.resolve(argument, source: source)
    return try load(location, displayName: argument, options: options)
  }

  /// Reads the image at a resolved location.
  package static func load(_ location: ImageLocation, displayName: String, options: LoadOptions = LoadOptions())
    throws -> Image
  {
    let container = try ImageResolver.open(location, displayName: displayName, options: options)
    let resolver = ManifestResolver(container: container, options: options)
    let (plan, config) = try resolver.selectWithConfig(from: try resolver.plans())
    try options.layersPlanned?(plan.layers.count)
    if plan.format == .registry, let report = options.layerBytes {
      for (index, layer) in plan.layers.enumerated() { report(index, 0, layer.storedSize) }
    }
    let stored = options.layerCache?.usage.stores ?? 0
    let (contents, totalEntries) = try readLayers(
      plan.layers, from: container, limits: options.layerLimits, concurrent: options.concurrent,
      maxTotalEntries: options.maxTotalEntries, layerRead: options.layerRead, layerReady: options.layerReady)
    if let cache = options.layerCache, cache.usage.stores > stored { cache.trim() }
    if totalEntries > options.maxTotalEntries {
      throw ImageLoadError(
        .tooLarge, file: container.displayName,
        "the image has \(totalEntries) entries, more than \(options.maxTotalEntries) (raise --max-total-entries to read it)"
      )
    }
    var layers: [Layer] = []
    var anomalies: [Anomaly] = []
    for (index, layerPlan) in plan.layers.enumerated() {
      var descriptor = LayerDescriptor(
        index: index, location: layerPlan.location, digest: layerPlan.digest, mediaType: layerPlan.mediaType,
        storedSize: layerPlan.storedSize)
      if index < config.diffIDs.count { descriptor.diffID = config.diffIDs[index] }
      layers.append(Layer(descriptor: descriptor, contents: contents[index]))
      anomalies += contents[index].anomalies
    }
    anomalies += HistoryMapper.attach(config.history, to: &layers)
    if !config.diffIDs.isEmpty && config.diffIDs.count != layers.count {
      anomalies.append(
        Anomaly(
          kind: .historyMismatch,
          message: "the config lists \(config.diffIDs.count) diff_ids but the manifest names \(layers.count) layers"))
    }
    var image = Image(
      source: displayName, format: plan.format, tags: plan.tags,
      configReference: plan.configDigest ?? plan.configLocation, config: config, layers: layers, anomalies: anomalies,
      archiveBytes: container.archiveBytes, bytesRead: container.bytesRead(layers: contents))
    image.content = container.contentSource(locations: plan.layers.map(\.location), layers: contents)
    (image.pullBytes, image.pullBytesSource) = pullSize(plan, format: plan.format)
    return image
  }

  /// What a pull downloads: the config and every layer blob as the manifest sizes them. From a
  /// registry that is exact; from an archive only when its layers are stored compressed, as a
  /// registry would serve them (uncompressed `docker save` layers say nothing of a pull).
  static func pullSize(_ plan: ImagePlan, format: ImageFormat) -> (Int64?, PullSizeSource) {
    guard let configSize = plan.configSize else { return (nil, .unknown) }
    var total = configSize
    for layer in plan.layers {
      guard let size = layer.storedSize else { return (nil, .unknown) }
      if format != .registry {
        let type = layer.mediaType ?? ""
        guard type.hasSuffix("gzip") || type.hasSuffix("zstd") else { return (nil, .unknown) }
      }
      total += size
    }
    return (total, format == .registry ? .registry : .manifest)
  }

  /// Reads every layer (concurrently when the source can), handing them to `layerReady` in
  /// order as they are read (no more once they would pass `maxTotalEntries`). Returns the
  /// contents and the entries they held, counted before any were let go.
  private static func readLayers(
    _ plans: [LayerPlan], from container: any ImageSource, limits: LayerReader.Limits, concurrent: Bool,
    maxTotalEntries: Int, layerRead: (@Sendable (Int, Int) -> Void)?,
    layerReady: (@Sendable (Int, LayerContents) -> Bool)?
  ) throws -> (contents: [LayerContents], totalEntries: Int) {
    let reads = Mutex(LayerReads(count: plans.count, maxTotalEntries: maxTotalEntries))
    let box = UncheckedBox(container)
    let work: @Sendable (Int) -> Void = { index in
      let outcome = Result { try box.value.layer(plans[index].location, index: index, limits: limits) }
      let done = reads.withLock { reads in
        reads.outcomes[index] = outcome
        if case .success(let contents) = outcome { reads.entryCounts[index] = contents.entries.count }
        return reads.outcomes.count { $0 != nil }
      }
      layerRead?(done, plans.count)
      guard let layerReady else { return }
      // Hands over, in order, every layer that is now next and read, unless another thread is
      // handing over already (it takes this one too when its turn comes).
      while let (next, contents) = reads.withLock({ $0.takeNext() }) {
        let letGo = layerReady(next, contents)
        reads.withLock { reads in
          if letGo, case .success(var kept)? = reads.outcomes[next] {
            kept.entries = []
            reads.outcomes[next] = .success(kept)
          }
          reads.handing = false
        }
      }
    }
    if concurrent && plans.count > 1 && container.rereadable {
      DispatchQueue.concurrentPerform(iterations: plans.count, execute: work)
    } else {
      for index in plans.indices { work(index) }
    }
    return try reads.withLock { reads in
      let contents = try reads.outcomes.map { outcome in
        guard let outcome else { throw ImageLoadError(.corrupt, file: container.displayName, "a layer was not read") }
        return try outcome.get()
      }
      return (contents, reads.entryCounts.reduce(0, +))
    }
  }
}

/// The layers read so far, and which of them have been handed to `LoadOptions.layerReady`.
private struct LayerReads {
  var outcomes: [Result<LayerContents, any Error>?]
  /// Each layer's entries, counted when it was read (a layer handed over may let them go).
  var entryCounts: [Int]
  /// The lowest layer not handed over yet.
  var next = 0
  /// Whether a thread is handing a layer over now.
  var handing = false
  /// The entries handed over so far, and the most the image may have: a layer that would pass
  /// it is not handed over (the load then fails on the total).
  var handedEntries = 0
  let maxTotalEntries: Int

  init(count: Int, maxTotalEntries: Int) {
    outcomes = Array(repeating: nil, count: count)
    entryCounts = Array(repeating: 0, count: count)
    self.maxTotalEntries = maxTotalEntries
  }

  /// The next layer to hand over, marked as being handed; nil when another thread is handing one
  /// over, the next one is not read yet, its read failed, or its entries would pass the image's
  /// limit (nothing after it is handed over).
  mutating func takeNext() -> (Int, LayerContents)? {
    guard !handing, next < outcomes.count, case .success(let contents)? = outcomes[next],
      handedEntries + contents.entries.count <= maxTotalEntries
    else { return nil }
    handing = true
    handedEntries += contents.entries.count
    next += 1
    return (next - 1, contents)
  }
}

/// Carries a source into concurrent layer reads. Safe because, once its pass is done, a
/// rereadable source is only read: its members are read with `pread` through their own readers.
private struct UncheckedBox: @unchecked Sendable {
  let value: any ImageSource
  init(_ value: any ImageSource) { self.value = value }
}
