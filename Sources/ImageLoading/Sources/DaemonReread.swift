import ArchiveIO
import HTTPIO
import ImageModel
import JSONIO

/// An image read from the Docker Engine or podman: the archive its one stream pass gave, plus
/// what it takes to ask the daemon for the image again when a file's content is wanted later
/// (the explorer's pager and extraction, `strata cat` for a file the pass did not keep).
final class DaemonImage: ImageSource {
  let archive: ArchiveContainer
  let identity: DaemonIdentity

  init(archive: ArchiveContainer, identity: DaemonIdentity) {
    self.archive = archive
    self.identity = identity
  }

  var displayName: String { archive.displayName }
  var isDirectory: Bool { false }
  var rereadable: Bool { archive.rereadable }
  var archiveBytes: Int64? { archive.archiveBytes }
  func member(_ location: String) -> ContainerMember? { archive.member(location) }
  func metadata(_ location: String) throws -> [UInt8] { try archive.metadata(location) }
  func layer(_ location: String, index: Int, limits: LayerReader.Limits) throws -> LayerContents {
    try archive.layer(location, index: index, limits: limits)
  }
  func bytesRead(layers: [LayerContents]) -> Int64 { archive.bytesRead(layers: layers) }
  func finish() throws {}

  func contentSource(locations: [String], layers: [LayerContents]) -> any ContentSource {
    let members = locations.map { location -> DaemonContentSource.LayerMember in
      let resolved = archive.resolve(location)
      return DaemonContentSource.LayerMember(location: resolved, size: archive.member(resolved)?.size ?? -1)
    }
    return DaemonContentSource(kept: StreamedContentSource(layers: layers), identity: identity, members: members)
  }
}

/// Which image a daemon gave, to ask for it again and to know the second answer is the same.
struct DaemonIdentity: Sendable {
  let engine: Engine
  let location: EngineLocation
  let displayName: String
  /// The image's ID at the first read (`sha256:…`, the digest of its config).
  let id: String
}

/// File contents of an image in a daemon (see `SecondReadContentSource`): the files the pass did
/// not keep are read from the image the daemon is asked to send again (by its ID, so another image under the same name is never read)
/// and reads only the asked layers' asked files in one forward pass, stopping the transfer as
/// soon as they are read: no temporary file, no layer held whole. Each file read again must
/// match the fingerprint the first pass took, or the read fails instead of showing other bytes.
struct DaemonContentSource: SecondReadContentSource {
  /// Where a layer's tar is in the daemon's archive, and its size there.
  struct LayerMember: Sendable {
    var location: String
    var size: Int64
  }

  let kept: StreamedContentSource
  let identity: DaemonIdentity
  let members: [LayerMember]

  var rereadNote: String? { "the \(identity.engine.title) sends the image again" }

  /// What the first pass kept is handed over at once; the rest comes from one more stream for
  /// all the layers.
  func contents(
    _ requests: [Int: Set<String>], headLimit: Int, _ body: (Int, [String: FileContent]) throws -> Void
  ) throws {
    var again: [DaemonSource.RereadLayer] = []
    var keptFiles: [Int: [String: FileContent]] = [:]
    for (layer, paths) in requests.sorted(by: { $0.key < $1.key }) where layer >= 0 && layer < members.count {
      let (found, missing) = try kept.keptAndMissing(layer: layer, paths: paths, headLimit: headLimit)
      if missing.isEmpty {
        try body(layer, found)
      } else {
        keptFiles[layer] = found
        again.append(DaemonSource.RereadLayer(layer: layer, member: members[layer], paths: missing))
      }
    }
    guard !again.isEmpty else { return }
    try DaemonSource.reread(identity, layers: again, headLimit: headLimit) { layer, files in
      try body(layer, (keptFiles[layer] ?? [:]).merging(files) { _, read in read })
    }
  }
}

extension DaemonSource {
  /// One layer to read files of from a daemon's second stream.
  struct RereadLayer {
    var layer: Int
    var member: DaemonContentSource.LayerMember
    /// The paths, with the fingerprints the first pass took of them.
    var paths: [String: UInt64]
  }

  /// Has the daemon send the image `identity` names again and reads, in one forward pass, the
  /// files `layers` asks for, handing each layer's to `body` as soon as they are read; the
  /// transfer stops after the last one.
  static func reread(
    _ identity: DaemonIdentity, layers: [RereadLayer], headLimit: Int,
    _ body: (Int, [String: FileContent]) throws -> Void
  ) throws {
    let engine = identity.engine
    let name = identity.displayName
    let endpoint = identity.location.endpoint
    let path = "/images/\(identity.id)"
    let inspected: HTTPResponse
    do {
      inspected = try HTTPClient.get(path + "/json", from: endpoint, limit: 16 << 20)
    } catch {
      throw transferError(error, engine: engine, location: identity.location, displayName: name)
    }
    if inspected.status == 404 {
      throw ImageLoadError(
        .imageChanged, file: name,
        "the image strata read (\(short(identity.id))) is no longer in the \(engine.title) (removed, or its name moved to another image and it was pruned); open it again"
      )
    }
    try checkStatus(inspected, engine: engine, displayName: name)
    let stream: HTTPStream
    do {
      stream = try HTTPClient.stream(path + "/get", from: endpoint, stallTimeout: stallTimeout)
      try checkStatus(try stream.response(), engine: engine, displayName: name)
    } catch let error as HTTPError {
      throw transferError(error, engine: engine, location: identity.location, displayName: name)
    }
    let outcome = Result { try findFiles(stream.openBody(), identity, layers: layers, headLimit: headLimit, body) }
    // Every reader of the body is closed by now: ending the transfer early cannot block.
    let failure = stream.finish()
    switch outcome {
    case .success(let notFound):
      guard let missing = notFound.first else { return }
      if let failure, failure.kind != .abandoned {
        throw endedEarly(failure, engine: engine, displayName: name, reread: true)
      }
      throw changed(
        identity, "its archive no longer holds layer \(missing.layer) as strata read it ('\(missing.member.location)')")
    case .failure(let error):
      if let failure, failure.kind != .abandoned {
        throw endedEarly(failure, engine: engine, displayName: name, reread: true)
      }
      throw error
    }
  }

  /// Reads the archive on `descriptor` up to the last layer wanted, and in each up to its last
  /// file wanted.
  /// - Returns: the layers the archive does not hold.
  private static func findFiles(
    _ descriptor: Int32, _ identity: DaemonIdentity, layers: [RereadLayer], headLimit: Int,
    _ body: (Int, [String: FileContent]) throws -> Void
  ) throws -> [RereadLayer] {
    // Identical layers share one member: read it once for all of them.
    var pending = Dictionary(grouping: layers, by: \.member.location)
    var location = ""
    do {
      let archive = try ArchiveReader(source: .stream(descriptor: descriptor))
      while !pending.isEmpty, let entry = try archive.next() {
        guard entry.kind == .regular, case .path(let name, _) = PathNormalizer.normalize(entry.path),
          let wanted = pending.removeValue(forKey: name), let first = wanted.first
        else { continue }
        location = name
        guard entry.size == first.member.size else {
          throw changed(
            identity, "layer \(first.layer) ('\(name)') is \(entry.size) bytes now, \(first.member.size) before")
        }
        let paths = wanted.reduce(into: [String: UInt64]()) { $0.merge($1.paths) { old, _ in old } }
        let layerReader = try ArchiveReader(source: .entryOf(archive, prefix: []))
        let read = try StreamedContentSource.readAgain(layerReader, expected: paths, headLimit: headLimit) { path in
          changed(identity, "/\(path) in layer \(first.layer) came with other content than the first time")
        }
        for layer in wanted { try body(layer.layer, read.filter { layer.paths[$0.key] != nil }) }
      }
      return pending.values.flatMap { $0 }.sorted { $0.layer < $1.layer }
    } catch let error as ArchiveError {
      throw ImageLoadError(
        .corrupt, file: location.isEmpty ? identity.displayName : "\(identity.displayName): \(location)",
        "the image the \(identity.engine.title) sent again is truncated or corrupt: \(error.message)")
    }
  }

  private static func changed(_ identity: DaemonIdentity, _ what: String) -> ImageLoadError {
    ImageLoadError(
      .imageChanged, file: identity.displayName,
      "the \(identity.engine.title) sent the image again differently (\(what)); nothing is shown from it: open the image again"
    )
  }

  private static func short(_ id: String) -> String {
    let hex = id.hasPrefix("sha256:") ? id.dropFirst(7) : Substring(id)
    return "sha256:" + hex.prefix(12)
  }
}
