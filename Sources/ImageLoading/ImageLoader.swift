import ArchiveIO
import Dispatch
import ImageModel
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads an image from a path (archive file or OCI layout directory) or standard input (`-`).
///
/// ```swift
/// let image = try ImageLoader.load("app.tar")
/// print(image.layers.count)
/// ```
public enum ImageLoader {
  /// Lists the images an archive or layout holds (tags, or digests for untagged ones).
  public static func listImages(_ path: String) throws -> [String] {
    let container = try openContainer(path, options: LoadOptions())
    return try ManifestResolver(container: container, options: LoadOptions()).plans().map(\.choiceName)
  }

  /// Reads the image at `path`.
  /// - Throws: `ImageLoadError`, naming the file and the problem.
  public static func load(_ path: String, options: LoadOptions = LoadOptions()) throws -> Image {
    let container = try openContainer(path, options: options)
    let resolver = ManifestResolver(container: container, options: options)
    let plan = try resolver.select(from: try resolver.plans())
    let configFile = "\(container.displayName): \(plan.configLocation)"
    let config = try ConfigParser.parse(try container.metadata(plan.configLocation), file: configFile)
    let limits = LayerReader.Limits(maxEntries: options.maxEntriesPerLayer, maxUncompressedBytes: options.maxLayerBytes)
    let contents = try readLayers(
      plan.layers, from: container, limits: limits, concurrent: options.concurrent, layerRead: options.layerRead)
    let totalEntries = contents.reduce(0) { $0 + $1.entries.count }
    if totalEntries > options.maxTotalEntries {
      throw ImageLoadError(
        .tooLarge, file: container.displayName,
        "the image has \(totalEntries) entries, more than \(options.maxTotalEntries) (raise --max-total-entries to read it)")
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
    var bytesRead = container.metadataBytesRead + contents.reduce(0) { $0 + $1.bytesRead }
    var archiveBytes: Int64?
    if let archive = container as? ArchiveContainer {
      // A streamed archive is read once: its layers were read as part of the pass.
      bytesRead = archive.seekable ? bytesRead + archive.passBytesRead : archive.passBytesRead
      archiveBytes = archive.archiveBytes
    }
    var image = Image(
      source: path, format: plan.format, tags: plan.tags, configReference: plan.configDigest ?? plan.configLocation,
      config: config, layers: layers, anomalies: anomalies, archiveBytes: archiveBytes, bytesRead: bytesRead)
    if let archive = container as? ArchiveContainer, !archive.seekable {
      image.content = StreamedContentSource(layers: contents)
    } else {
      image.content = ContainerContentSource(container: container, locations: plan.layers.map(\.location))
    }
    return image
  }

  static func openContainer(_ path: String, options: LoadOptions) throws -> any ImageContainer {
    let limits = LayerReader.Limits(maxEntries: options.maxEntriesPerLayer, maxUncompressedBytes: options.maxLayerBytes)
    if path == "-" { return try openStandardInput(limits: limits) }
    var info = stat()
    guard stat(path, &info) == 0 else {
      let code = errno
      if code == ENOENT { throw ImageLoadError(.notFound, file: path, "no such file or directory") }
      throw ImageLoadError(.unreadable, file: path, OpenFile.systemMessage(code))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR { return try DirectoryContainer(path: path) }
    if [S_IFIFO, S_IFCHR, S_IFSOCK].contains(info.st_mode & S_IFMT) {
      // `strata analyze <(docker save app)`, `/dev/stdin` from a pipe: read once, as a stream.
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { throw ImageLoadError(.unreadable, file: path, OpenFile.systemMessage(errno)) }
      return try ArchiveContainer(source: .stream(descriptor: descriptor), displayName: path, limits: limits)
    }
    let file: OpenFile
    do {
      file = try OpenFile(path: path)
    } catch let error as ArchiveError {
      throw ImageLoadError(.unreadable, file: path, error.message)
    }
    if file.size == 0 { throw ImageLoadError(.emptyArchive, file: path, "the file is empty") }
    return try ArchiveContainer(source: .window(FileWindow(file: file)), displayName: path, limits: limits)
  }

  /// How standard input is named in messages.
  static let standardInputName = "<stdin>"

  /// Standard input redirected from a regular file is read like a named file: seeking over
  /// contents, from wherever the shell left its read position. A pipe is read once, as a stream.
  private static func openStandardInput(limits: LayerReader.Limits) throws -> ArchiveContainer {
    let name = standardInputName
    let redirected: OpenFile?
    do {
      redirected = try OpenFile(duplicating: 0, name: name)
    } catch let error as ArchiveError {
      throw ImageLoadError(.unreadable, file: name, error.message)
    }
    guard let file = redirected else {
      let descriptor = fcntl(0, F_DUPFD_CLOEXEC, 0)  // the reader closes its own copy
      guard descriptor >= 0 else { throw ImageLoadError(.unreadable, file: name, OpenFile.systemMessage(errno)) }
      return try ArchiveContainer(source: .stream(descriptor: descriptor), displayName: name, limits: limits)
    }
    let start = min(file.readPosition, file.size)
    if file.size == start { throw ImageLoadError(.emptyArchive, file: name, "standard input is empty") }
    let window = FileWindow(file: file, offset: start, length: file.size - start)
    return try ArchiveContainer(source: .window(window), displayName: name, limits: limits)
  }

  private static func readLayers(
    _ plans: [LayerPlan], from container: any ImageContainer, limits: LayerReader.Limits, concurrent: Bool,
    layerRead: (@Sendable (Int, Int) -> Void)?
  ) throws -> [LayerContents] {
    let results = Mutex<[Result<LayerContents, any Error>?]>(Array(repeating: nil, count: plans.count))
    let box = UncheckedBox(container)
    let work: @Sendable (Int) -> Void = { index in
      let outcome = Result { try box.value.layer(plans[index].location, index: index, limits: limits) }
      let done = results.withLock { all in
        all[index] = outcome
        return all.count { $0 != nil }
      }
      layerRead?(done, plans.count)
    }
    let rereadable = (box.value as? ArchiveContainer)?.seekable ?? true
    if concurrent && plans.count > 1 && rereadable {
      DispatchQueue.concurrentPerform(iterations: plans.count, execute: work)
    } else {
      for index in plans.indices { work(index) }
    }
    return try results.withLock { all in
      try all.map { outcome in
        guard let outcome else { throw ImageLoadError(.corrupt, file: container.displayName, "a layer was not read") }
        return try outcome.get()
      }
    }
  }
}

/// Carries a container into concurrent layer reads. Safe because, once its pass is done, the
/// container is only read: seekable members are read with `pread` through their own readers.
private struct UncheckedBox: @unchecked Sendable {
  let value: any ImageContainer
  init(_ value: any ImageContainer) { self.value = value }
}
