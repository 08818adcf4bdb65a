import ArchiveIO
import ImageModel

/// Reads chosen files again from a seekable archive or a layout directory.
struct ContainerContentSource: ContentSource, @unchecked Sendable {
  // Once loading is done the source is only read, through per-call readers.
  let source: any ImageSource
  let locations: [String]
  /// Where each entry's content starts, by layer (`LayerContents.contentBlocks`; empty for a
  /// compressed layer): requests that say which entry they are read there with one `pread`
  /// each, instead of walking the layer's headers again. Not the layers' entries: those are
  /// let go after the tree is built.
  var contentBlocks: [[UInt32]] = []

  var readsLayersConcurrently: Bool { true }

  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
    let whole = ContentRequest(prefix: nil, headLimit: headLimit)
    return try read(layer: layer, requests: Dictionary(uniqueKeysWithValues: paths.map { ($0, whole) })).files
  }

  func read(layer: Int, files: [FileRequest]) throws -> FileReads {
    if !files.isEmpty, let window = window(of: layer),
      let direct = try readDirectly(layer: layer, window: window, files: files)
    {
      return direct
    }
    return try readByPath(layer: layer, files: files)
  }

  /// Where layer `layer`'s tar lies in the file, if it lies in one uncompressed.
  private func window(of layer: Int) -> FileWindow? {
    guard layer >= 0, layer < locations.count else { return nil }
    return source.member(locations[layer])?.window
  }

  /// The files read where their entries' contents start, when every request says which entry
  /// it is and the layer noted where that is; nil otherwise.
  private func readDirectly(layer: Int, window: FileWindow, files: [FileRequest]) throws -> FileReads? {
    guard layer < contentBlocks.count,
      let direct = DirectContentRead(blocks: contentBlocks[layer], window: window, files: files)
    else { return nil }
    do {
      return try direct.read()
    } catch let error as ArchiveError {
      throw source.layerError(locations[layer], error)
    }
  }

  func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    guard !requests.isEmpty, let window = window(of: layer) else { return ContentRead(files: [:]) }
    if layer < contentBlocks.count {
      let files = requests.map { FileRequest(path: $0.key, request: $0.value) }
      if let direct = try readDirectly(layer: layer, window: window, files: files) {
        return ContentRead(direct, of: files)
      }
    }
    var read = ContentRead(files: [:])
    do {
      let reader = try ArchiveReader(source: .window(window))
      defer { read.bytesRead = reader.bytesRead }
      while read.files.count < requests.count, let entry = try reader.next() {
        guard entry.kind == .regular, case .path(let path, _) = PathNormalizer.normalize(entry.path),
          let request = requests[path]
        else { continue }
        let limit = min(request.prefix ?? .max, max(entry.size, 0))
        if entry.size > limit { read.partial.insert(path) }
        let (fingerprint, head) = try reader.fingerprintData(keeping: request.headLimit, upTo: limit)
        read.files[path] = FileContent(
          fingerprint: fingerprint, head: head, isComplete: Int64(head.count) >= entry.size)
      }
    } catch let error as ArchiveError {
      throw source.layerError(locations[layer], error)
    }
    return read
  }
}

/// Answers from what was kept while a stream went by.
struct StreamedContentSource: ContentSource {
  /// The layers as read: their kept contents, and their entries to answer requests by path
  /// (let go by `releasingEntries()`).
  let layers: [LayerContents]

  /// Requests that name their entry are answered by its position, the entry the tree says won
  /// (no path compared, and so without the layers' entries); the others by path, as `contents`.
  func read(layer: Int, requests: [String: ContentRequest]) throws -> ContentRead {
    guard layer >= 0, layer < layers.count else { return ContentRead(files: [:]) }
    let byPath = requests.filter { $0.value.entry == nil }
    var read = byPath.isEmpty ? ContentRead(files: [:]) : try readThroughContents(layer: layer, requests: byPath)
    for (path, request) in requests {
      if let entry = request.entry, let content = layers[layer].streamedContents[entry.position] {
        read.files[path] = content.keepingHead(request.headLimit)
      }
    }
    return read
  }

  /// The kept contents without the entries: a million-file stream's entries are most of what
  /// `analyze` would otherwise hold to the end.
  func releasingEntries() -> any ContentSource {
    var lighter = layers
    for index in lighter.indices { lighter[index].entries = [] }
    return StreamedContentSource(layers: lighter)
  }

  func contents(layer: Int, paths: Set<String>, headLimit: Int) throws -> [String: FileContent] {
    guard layer >= 0, layer < layers.count else { return [:] }
    var found: [String: FileContent] = [:]
    let entries = layers[layer].entries
    for (position, content) in layers[layer].streamedContents where Int(position) < entries.count {
      let path = entries[Int(position)].path
      guard paths.contains(path) else { continue }
      found[path] = content.keepingHead(headLimit)
    }
    return found
  }
}
