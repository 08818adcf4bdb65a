import ArchiveIO
import HTTPIO
import Hashing
import ImageModel
import JSONIO
import Synchronization

/// An image in a registry, read without a pull: the manifest (or index) named by the tag or
/// digest, the config, and each layer blob streamed through the layer reader as it downloads.
/// Every manifest and blob is checked against its SHA-256 as it arrives; a mismatch fails the
/// load, so nothing is reported from bytes the registry did not vouch for.
///
/// It looks like an OCI layout to the manifest resolver: a synthesized `index.json` names the
/// top manifest, and `blobs/sha256/…` locations are fetched on demand, from the manifests
/// endpoint for manifests and from the blobs endpoint for the rest.
final class RegistrySource: ImageSource, @unchecked Sendable {
  // `known` and `downloaded` are behind mutexes: layers are read concurrently.
  let displayName: String
  let isDirectory = true
  var ociFormat: ImageFormat { .registry }
  let rereadable = true
  var archiveBytes: Int64? { nil }
  let client: RegistryClient
  private let index: [UInt8]
  /// The contents the analyses read, kept as each layer streams by (layers are read
  /// concurrently, so nothing that follows links across a pass: `wholeFiles` is not kept).
  private let needs: ContentNeeds
  private let known = Mutex<Known>(Known())
  private let downloaded = Atomic<Int64>(0)
  /// Layers read before, by blob digest: a hit downloads nothing.
  let layerCache: LayerCache?
  /// Told of each layer's bytes as they arrive (progress).
  let layerBytes: (@Sendable (Int, Int64, Int64?) -> Void)?

  /// What the manifests read so far say about the digests they name.
  private struct Known {
    /// Bytes of manifests already fetched (and verified), by digest.
    var manifests: [String: [UInt8]] = [:]
    /// Digests that name manifests (the top one, and an index's children).
    var manifestDigests: Set<String> = []
    /// Blob sizes from descriptors.
    var sizes: [String: Int64] = [:]
    /// What layer descriptors' annotations say about listing them from a TOC (eStargz, zstd:chunked).
    var hints: [String: LazyLayerHint] = [:]
    /// Layers listed from their TOC, by position.
    var lazy: [Int: LazyLayer] = [:]
  }

  /// Largest manifest or config accepted.
  static let maxManifestBytes = 4 << 20
  /// Bytes accepted after a layer's tar ends (gzip trailer, padding), short of its size.
  static let trailingLimit: Int64 = 1 << 20

  private init(
    displayName: String, client: RegistryClient, index: [UInt8], needs: ContentNeeds, cache: LayerCache?,
    layerBytes: (@Sendable (Int, Int64, Int64?) -> Void)?
  ) {
    self.layerCache = cache
    self.layerBytes = layerBytes
    self.displayName = displayName
    self.client = client
    self.index = index
    self.needs = needs
  }

  static func open(_ text: String, displayName: String, options: LoadOptions) throws -> any ImageSource {
    guard let reference = RegistryReference.parse(text) else {
      throw ImageLoadError(
        .badReference, file: displayName,
        "'\(text)' is not an image reference (expected [HOST/]NAME[:TAG] or NAME@sha256:DIGEST, e.g. registry://ghcr.io/org/app:1)"
      )
    }
    let lookup = options.environment.map { given in { given[$0] } } ?? EngineEndpoint.processEnvironment
    let client = try RegistryClient.connect(
      reference, displayName: displayName, insecure: options.insecureRegistries, environment: lookup)
    let response = try client.get(
      client.manifestPath(reference.manifestReference), accept: RegistryClient.manifestTypes, limit: maxManifestBytes)
    guard response.status == 200 else {
      throw client.statusError(
        response, what: reference.digest.map { "manifest \($0)" } ?? "tag \(reference.manifestReference)")
    }
    let digest = SHA256.digest(response.body)
    if let wanted = reference.digest, wanted != digest {
      throw ImageLoadError(
        .corrupt, file: displayName,
        "the registry sent a manifest whose digest is \(digest), not the \(wanted) asked for")
    }
    if reference.digest == nil, let claimed = response.header("docker-content-digest"), claimed != digest {
      throw ImageLoadError(
        .corrupt, file: displayName, "the registry says the manifest is \(claimed) but its bytes hash to \(digest)")
    }
    guard let manifest = try? JSONValue.parse(response.body), manifest.objectValue != nil else {
      throw ImageLoadError(
        .malformedJSON, file: displayName,
        "the registry's answer for \(reference.digest ?? "tag " + reference.manifestReference) is not JSON (\(response.body.count) bytes of \(response.header("content-type") ?? "no stated type")), so not a manifest"
      )
    }
    let mediaType =
      response.header("content-type").map { String($0.prefix { $0 != ";" }) }
      ?? manifest["mediaType"]?.stringValue ?? RegistryClient.manifestTypes[2]
    var descriptor = JSONObject()
    descriptor["mediaType"] = .string(mediaType)
    descriptor["digest"] = .string(digest)
    descriptor["size"] = .integer(Int64(response.body.count))
    var annotations = JSONObject()
    annotations["org.opencontainers.image.ref.name"] = .string(reference.description)
    descriptor["annotations"] = .object(annotations)
    var root = JSONObject()
    root["schemaVersion"] = .integer(2)
    root["manifests"] = .array([.object(descriptor)])
    let source = RegistrySource(
      displayName: displayName, client: client, index: Array(JSONValue.object(root).serialized().utf8),
      needs: options.contentNeeds, cache: options.layerCache, layerBytes: options.layerBytes)
    source.downloaded.add(Int64(response.body.count), ordering: .relaxed)
    source.remember(manifest: response.body, digest: digest)
    return source
  }

  /// Keeps a verified manifest and what it says about the digests it names.
  private func remember(manifest bytes: [UInt8], digest: String) {
    let json = try? JSONValue.parse(bytes)
    known.withLock { known in
      known.manifests[digest] = bytes
      known.manifestDigests.insert(digest)
      for child in json?["manifests"]?.arrayValue ?? [] {
        if let childDigest = child["digest"]?.stringValue {
          known.manifestDigests.insert(childDigest)
          if let size = child["size"]?.integerValue { known.sizes[childDigest] = size }
        }
      }
      for blob in (json?["layers"]?.arrayValue ?? []) + [json?["config"]].compactMap({ $0 }) {
        if let blobDigest = blob["digest"]?.stringValue, let size = blob["size"]?.integerValue {
          known.sizes[blobDigest] = size
        }
        if let blobDigest = blob["digest"]?.stringValue, let hint = LazyLayerHint(annotations: blob["annotations"]) {
          known.hints[blobDigest] = hint
        }
      }
    }
  }

  private static func digest(of location: String) -> String? {
    let parts = location.split(separator: "/")
    guard parts.count == 3, parts[0] == "blobs" else { return nil }
    return "\(parts[1]):\(parts[2])"
  }

  func member(_ location: String) -> ContainerMember? {
    if location == "index.json" { return ContainerMember(size: Int64(index.count), window: nil) }
    guard let digest = Self.digest(of: location) else { return nil }
    return ContainerMember(size: known.withLock { $0.sizes[digest] } ?? 0, window: nil)
  }

  func metadata(_ location: String) throws -> [UInt8] {
    if location == "index.json" { return index }
    guard let digest = Self.digest(of: location) else {
      throw ImageLoadError(.missingBlob, file: displayName, "'\(location)' is not a blob of this image")
    }
    let (cached, isManifest, size) = known.withLock {
      ($0.manifests[digest], $0.manifestDigests.contains(digest), $0.sizes[digest])
    }
    if let cached { return cached }
    if let size, size > Int64(Self.maxManifestBytes) {
      throw ImageLoadError(
        .tooLarge, file: displayName, "\(digest) claims \(size) bytes, more than a manifest or config may have")
    }
    let path = isManifest ? client.manifestPath(digest) : client.blobPath(digest)
    let response = try client.get(
      path, accept: isManifest ? RegistryClient.manifestTypes : [], limit: Self.maxManifestBytes)
    guard response.status == 200 else {
      throw client.statusError(response, what: isManifest ? "manifest \(digest)" : "config \(digest)")
    }
    downloaded.add(Int64(response.body.count), ordering: .relaxed)
    let actual = SHA256.digest(response.body)
    guard actual == digest else {
      throw ImageLoadError(
        .corrupt, file: displayName,
        "\(digest) failed verification: its content hashes to \(actual); nothing is reported from unverified data")
    }
    if let size, size != Int64(response.body.count) {
      throw ImageLoadError(
        .corrupt, file: displayName, "\(digest) is \(response.body.count) bytes, but its descriptor says \(size)")
    }
    if isManifest { remember(manifest: response.body, digest: digest) }
    return response.body
  }

  func layer(_ location: String, index: Int, limits: LayerReader.Limits) throws -> LayerContents {
    guard let digest = Self.digest(of: location) else {
      throw ImageLoadError(.missingBlob, file: displayName, "'\(location)' is not a blob of this image")
    }
    if let cached = layerCache?.load(digest, index: index, limits: limits, streamedContents: needs) {
      layerBytes?(index, 0, 0)  // nothing to download
      return cached
    }
    let (size, hint) = known.withLock { ($0.sizes[digest], $0.hints[digest]) }
    let name = "\(displayName): layer \(index + 1) (\(digest.prefix(19)))"
    // eStargz, zstd:chunked: listed from the verified TOC without downloading the blob (see LazyLayer).
    if let size, let hint,
      let listed = try LazyLayer.list(
        hint, client: client, digest: digest, size: size, index: index, name: name, limits: limits)
    {
      downloaded.add(listed.contents.bytesRead, ordering: .relaxed)
      known.withLock { $0.lazy[index] = listed.layer }
      // Not downloaded: out of the progress total, as a cache hit. Not cached either: the
      // listing comes from the verified TOC, not from bytes hashed to the blob's digest.
      layerBytes?(index, 0, 0)
      return listed.contents
    }
    let stream = try client.streamBlob(digest, size: size)
    var contents: LayerContents
    let extent: LayerReader.Extent
    do {
      var received: Int64 = 0
      let report = layerBytes.map { report in
        { (chunk: UnsafeRawBufferPointer) in
          received += Int64(chunk.count)
          report(index, received, size)
        }
      }
      let reader = try ArchiveReader(source: .stream(descriptor: stream.openBody()), observer: report)
      (contents, extent) = try LayerReader.readCounting(
        reader, index: index, name: name, limits: limits, content: .fingerprintAll, keep: StreamKeep(needs: needs))
    } catch {
      let failure = stream.finish()
      downloaded.add(stream.bytesReceived, ordering: .relaxed)
      if let failure, failure.kind != .abandoned { throw blobError(failure, digest: digest, resumes: stream.resumes) }
      if let error = error as? ArchiveError { throw layerError(location, error) }
      throw error
    }
    let drained = stream.drain(limit: Self.trailingLimit)
    let failure = stream.finish()
    downloaded.add(stream.bytesReceived, ordering: .relaxed)
    if let failure { throw blobError(failure, digest: digest, resumes: stream.resumes) }
    guard drained else {
      throw ImageLoadError(.corrupt, file: name, "more than \(Self.trailingLimit) bytes follow the layer's end")
    }
    if let size, stream.bytesReceived != size {
      throw ImageLoadError(
        .corrupt, file: name, "the blob is \(stream.bytesReceived) bytes, but the manifest says \(size)")
    }
    contents.bytesRead = stream.bytesReceived
    // The blob's bytes hashed to its digest as they streamed (a mismatch threw above).
    layerCache?.store(digest, contents, extent: extent, streamedContents: needs)
    return contents
  }

  private func blobError(_ error: HTTPError, digest: String, resumes: Int) -> ImageLoadError {
    switch error.kind {
    case .digestMismatch:
      return ImageLoadError(
        .corrupt, file: displayName,
        "blob \(digest) failed verification: \(error.message); nothing is reported from unverified data")
    case .tooLarge:
      return ImageLoadError(.corrupt, file: displayName, "blob \(digest) is larger than its descriptor says")
    default:
      let resumed = resumes > 0 ? ", and again each of the \(resumes) times it was resumed" : ""
      return ImageLoadError(
        .transferFailed, file: displayName,
        "the download of blob \(digest) broke (\(error.message))\(resumed); nothing is reported from a partial image")
    }
  }

  func bytesRead(layers: [LayerContents]) -> Int64 { downloaded.load(ordering: .relaxed) }

  func contentSource(locations: [String], layers: [LayerContents]) -> any ContentSource {
    let sizes = known.withLock { $0.sizes }
    let blobs = locations.map { location in
      let digest = Self.digest(of: location) ?? location
      return RegistryContentSource.LayerBlob(digest: digest, size: sizes[digest])
    }
    // Layers downloaded whole: what the pass kept, else the blob again; layers listed from their
    // TOC (eStargz, zstd:chunked): by verified chunk ranges.
    let downloadedLayers = RegistryContentSource(
      kept: StreamedContentSource(layers: layers), client: client, displayName: displayName, blobs: blobs)
    let lazy = known.withLock { $0.lazy }
    if lazy.isEmpty { return downloadedLayers }
    return LazyContentSource(streamed: downloadedLayers, lazy: lazy, client: client)
  }

  func finish() throws {}
}
