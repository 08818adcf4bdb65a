import ArchiveIO
import ImageModel

/// Hands out one shared string per directory name, so entries of a directory share it.
/// Directories are told apart by their bytes (`ExactName`), as the tree tells names apart.
struct DirectoryNames {
  private var known: [ExactName: String] = [:]
  private var last = ""

  mutating func intern(_ directory: String) -> String {
    if ExactName.sameBytes(directory, last) { return last }
    if let shared = known[ExactName(directory)] {
      last = shared
      return shared
    }
    known[ExactName(directory)] = directory
    last = directory
    return directory
  }

  /// `path` (a normalised path) cut at its last `/`: the shared directory string (`""` for a
  /// top-level name) and the last component. Done on the bytes in place: most entries follow
  /// one of their own directory, whose bytes are compared with the last one handed out, and
  /// need no string, hash or lookup for it.
  mutating func split(_ path: String) -> (directory: String, name: String) {
    var path = path
    var last = self.last
    let (slash, sameDirectory, name) = path.withUTF8 { bytes -> (Int?, Bool, String) in
      var slash = bytes.count
      while slash > 0 && bytes[slash - 1] != UInt8(ascii: "/") { slash -= 1 }
      let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[slash...]), as: UTF8.self)
      guard slash > 0 else { return (nil, false, name) }
      let directory = UnsafeBufferPointer(rebasing: bytes[..<(slash - 1)])
      let same = last.withUTF8 { ExactName.sameBytes(directory, $0) }
      return (slash - 1, same, name)
    }
    guard let slash else { return (intern(""), name) }
    if sameDirectory { return (self.last, name) }
    let directory = path.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[..<slash]), as: UTF8.self) }
    return (intern(directory), name)
  }
}

/// Reads one layer tar (any compression) into `LayerContents`, reading headers only.
enum LayerReader {
  /// Limits that keep a hostile layer from exhausting memory.
  struct Limits: Sendable {
    /// The most entries one layer may have.
    var maxEntries: Int = 5_000_000
    /// The most uncompressed bytes one layer may expand to (a decompression bomb stops here).
    var maxUncompressedBytes: Int64 = 100 << 30
  }

  /// Whether to read contents while reading headers (streams: the only chance).
  enum ContentMode {
    case skip
    case fingerprintAll
  }

  /// Reads every header of the archive `reader` is positioned at.
  /// - Parameters:
  ///   - index: the layer's position, for anomalies.
  ///   - name: how to name the layer in errors.
  ///   - keep: with `.fingerprintAll`, how much of each file to keep besides its fingerprint.
  static func read(
    _ reader: ArchiveReader, index: Int, name: String, limits: Limits = Limits(), content: ContentMode = .skip,
    keep: StreamKeep = StreamKeep()
  ) throws -> LayerContents {
    try readCounting(reader, index: index, name: name, limits: limits, content: content, keep: keep).contents
  }

  /// What a read went through besides the entries it kept: what the limits are checked against,
  /// so that contents kept in the layer cache are held to the same limits as a read.
  struct Extent: Sendable, Equatable {
    /// Headers read, the skipped ones (the root, pure metadata) included.
    var headers: Int
    /// Bytes of uncompressed tar gone through.
    var uncompressedBytes: Int64

    /// Whether a read of this layer under `limits` succeeds.
    func fits(_ limits: Limits) -> Bool {
      headers <= limits.maxEntries && uncompressedBytes <= limits.maxUncompressedBytes
    }
  }

  /// Like `read`, and tells the layer's extent.
  static func readCounting(
    _ reader: ArchiveReader, index: Int, name: String, limits: Limits = Limits(), content: ContentMode = .skip,
    keep: StreamKeep = StreamKeep()
  ) throws -> (contents: LayerContents, extent: Extent) {
    var streamed: [Int32: FileContent] = [:]
    var collector = LayerEntryCollector(index: index, name: name, limits: limits)
    var offsets: [UInt32] = []
    var anyOffset = false
    reader.limitUncompressedBytes(to: limits.maxUncompressedBytes)
    while let entry = try reader.next() {
      try checkExpansion(reader, limits: limits, name: name)
      guard let converted = try collector.add(entry) else { continue }
      if content == .fingerprintAll, converted.kind == .symlink, let target = converted.linkTarget {
        keep.sawLink(converted.path, target: target)
      }
      if content == .fingerprintAll && converted.kind == .regular {
        let kept = keep.bytesToKeep(of: converted.path, size: converted.size)
        let (fingerprint, head) = try reader.fingerprintData(keeping: kept)
        streamed[Int32(collector.entries.count - 1)] = FileContent(
          fingerprint: fingerprint, head: head, isComplete: Int64(head.count) >= converted.size)
      }
      let block = content == .skip ? contentBlock(of: entry, as: converted.kind) : LayerContents.unknownOffset
      anyOffset = anyOffset || block != LayerContents.unknownOffset
      offsets.append(block)
    }
    try checkExpansion(reader, limits: limits, name: name)
    var contents = collector.contents(compression: reader.compression, bytesRead: reader.bytesRead)
    contents.streamedContents = streamed
    if anyOffset { contents.contentBlocks = exactCapacity(offsets) }
    return (contents, Extent(headers: collector.headersRead, uncompressedBytes: reader.uncompressedPosition))
  }

  /// Where a regular file's content starts, in 512-byte blocks, when its bytes lie there in
  /// one piece (a plain tar, not sparse).
  static func contentBlock(of entry: ArchiveEntry, as kind: EntryKind) -> UInt32 {
    guard kind == .regular, entry.kind == .regular, let offset = entry.dataOffset, offset >= 0, offset % 512 == 0,
      offset / 512 < Int64(LayerContents.unknownOffset)
    else { return LayerContents.unknownOffset }
    return UInt32(offset / 512)
  }

  /// The entries in an array no larger than they need: appending leaves up to twice the room,
  /// and the entries of every layer stay in memory for the whole run.
  static func exactCapacity<Element>(_ entries: [Element]) -> [Element] {
    guard entries.capacity > entries.count + entries.count / 16 else { return entries }
    var exact: [Element] = []
    exact.reserveCapacity(entries.count)
    exact.append(contentsOf: entries)
    return exact
  }

  /// Stops a layer that decompresses past the limit (checked between entries and at the end;
  /// the read callback checks too, between chunks of compressed input).
  static func checkExpansion(_ reader: ArchiveReader, limits: Limits, name: String) throws {
    guard reader.uncompressedPosition > limits.maxUncompressedBytes else { return }
    throw ImageLoadError(
      .tooLarge, file: name,
      "the layer expands to more than \(limits.maxUncompressedBytes) bytes (raise --max-layer-size to read it)")
  }

  /// The largest size one entry may count for (1 TiB): sums over millions of entries stay far
  /// from overflowing, and no real layer holds a larger file.
  static let maxEntrySize: Int64 = 1 << 40

  static func clampedSize(_ size: Int64) -> Int64 { min(max(0, size), maxEntrySize) }

  static func convert(
    _ entry: ArchiveEntry, path: String, index: Int, directories: inout DirectoryNames, anomalies: inout [Anomaly]
  ) -> LayerEntry? {
    let size = clampedSize(entry.size)
    let permissions = entry.permissions
    let uid = UInt32(clamping: entry.uid)
    let gid = UInt32(clamping: entry.gid)
    switch PathNormalizer.marker(of: path) {
    case .whiteout(let target):
      let (directory, name) = directories.split(target)
      return LayerEntry(
        directory: directory, name: name, kind: .whiteout, size: size, permissions: permissions, uid: uid, gid: gid)
    case .opaque(let opaque):
      let (directory, name) = directories.split(opaque)
      return LayerEntry(
        directory: directory, name: name, kind: .opaque, size: size, permissions: permissions, uid: uid, gid: gid)
    case .metadata:
      return nil
    case .invalid:
      anomalies.append(
        Anomaly(
          kind: .invalidWhiteout, layer: index, path: entry.path, message: "malformed whiteout '\(entry.path)'; ignored"
        ))
      return nil
    case .none:
      break
    }
    var target = entry.linkTarget
    let kind: EntryKind
    switch entry.kind {
    case .regular: kind = .regular
    case .directory: kind = .directory
    case .symlink: kind = .symlink
    case .hardlink:
      kind = .hardlink
      if let raw = entry.linkTarget {
        switch PathNormalizer.normalize(raw) {
        case .path(let normalized, _): target = normalized
        case .root, .escapes:
          anomalies.append(
            Anomaly(
              kind: .escapingPath, layer: index, path: entry.path,
              message: "hard link '\(entry.path)' points outside the image ('\(raw)'); not applied"))
          return nil
        }
      }
    case .characterDevice: kind = .characterDevice
    case .blockDevice: kind = .blockDevice
    case .fifo: kind = .fifo
    case .socket: kind = .socket
    case .unknown: kind = .unknown
    }
    let (directory, name) = directories.split(path)
    return LayerEntry(
      directory: directory, name: name, kind: kind, size: size, permissions: permissions, uid: uid, gid: gid,
      linkTarget: target)
  }
}
