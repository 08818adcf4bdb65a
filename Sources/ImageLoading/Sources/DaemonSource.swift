import ArchiveIO
import HTTPIO
import ImageModel
import JSONIO

import Glibc

/// An image in the Docker Engine or podman, read through their API: the image is inspected
/// first (`GET /images/{name}/json`), for a clear error when it is absent or of another platform,
/// then its `docker save` stream (`GET /images/{name}/get`) goes through the same one-pass
/// reader as a pipe. No temporary file, no layer held whole; the transfer must end cleanly
/// before anything is reported. File contents the pass did not keep are read by asking for
/// the image again (`DaemonImage`).
enum DaemonSource {
  /// Seconds without a byte from the daemon before strata gives up: `docker save` of a large
  /// image may take a while to start.
  static let stallTimeout = 300
  /// Bytes accepted after the end of the archive (tar padding is at most 10 kB).
  static let trailingLimit: Int64 = 1 << 20

  static func open(_ reference: String, engine: Engine, displayName: String, options: LoadOptions) throws
    -> any ImageSource
  {
    guard ImageReference.isValid(reference) else {
      throw ImageLoadError(
        .badReference, file: displayName,
        "'\(reference)' is not an image reference (expected NAME[:TAG] or NAME@sha256:DIGEST, e.g. app:1)")
    }
    let location = try reach(engine, displayName: displayName, environment: options.environment)
    let endpoint = location.endpoint
    let path = "/images/\(reference)"
    let inspected: HTTPResponse
    do {
      inspected = try HTTPClient.get(path + "/json", from: endpoint, limit: 16 << 20)
    } catch {
      throw transferError(error, engine: engine, location: location, displayName: displayName)
    }
    if inspected.status == 404 {
      throw ImageLoadError(
        .noSuchImage, file: displayName,
        "no such image in the \(engine.title) at \(endpoint); pull it first (`\(engine.command) pull \(reference)`)")
    }
    try checkStatus(inspected, engine: engine, displayName: displayName)
    try checkPlatform(inspected, wanted: options.platform, engine: engine, displayName: displayName)

    let stream: HTTPStream
    do {
      stream = try HTTPClient.stream(path + "/get", from: endpoint, stallTimeout: stallTimeout)
      try checkStatus(try stream.response(), engine: engine, displayName: displayName)
    } catch let error as HTTPError {
      throw transferError(error, engine: engine, location: location, displayName: displayName)
    }
    let archive: ArchiveContainer
    do {
      archive = try ArchiveContainer(
        source: .stream(descriptor: stream.openBody()), displayName: displayName, limits: options.layerLimits,
        keep: options.streamKeep())
    } catch let error as ImageLoadError {
      // A broken transfer explains a broken archive better than the archive's own complaint.
      if let failure = stream.finish(), failure.kind != .abandoned {
        throw endedEarly(failure, engine: engine, displayName: displayName)
      }
      throw error
    }
    guard stream.drain(limit: trailingLimit) else {
      _ = stream.finish()
      throw ImageLoadError(
        .corrupt, file: displayName,
        "the \(engine.title) sent more than \(trailingLimit) bytes past the end of the image archive")
    }
    if let failure = stream.finish() { throw endedEarly(failure, engine: engine, displayName: displayName) }
    guard let id = imageID(inspected) else { return archive }
    return DaemonImage(
      archive: archive, identity: DaemonIdentity(engine: engine, location: location, displayName: displayName, id: id))
  }

  /// The image's ID in an inspection (`sha256:…`); nil when the daemon gives none, or one that
  /// cannot go into a request path.
  private static func imageID(_ response: HTTPResponse) -> String? {
    guard let id = try? JSONValue.parse(response.body).objectValue?["Id"]?.stringValue, !id.isEmpty,
      id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: ":") })
    else { return nil }
    return id
  }

  /// The first candidate endpoint whose socket exists (TCP endpoints are taken as they are).
  private static func reach(_ engine: Engine, displayName: String, environment: [String: String]?) throws
    -> EngineLocation
  {
    let lookup = environment.map { given in { given[$0] } } ?? EngineEndpoint.processEnvironment
    let candidates = try EngineEndpoint.candidates(for: engine, environment: lookup, displayName: displayName)
    for candidate in candidates {
      guard let socket = candidate.endpoint.unixSocket else { return candidate }
      if access(socket, F_OK) != 0 { continue }
      if access(socket, R_OK | W_OK) != 0 && errno == EACCES {
        let group =
          engine == .docker
          ? "join the docker group (`sudo usermod -aG docker $USER`, then log in again)" : "run as the socket's owner"
        throw ImageLoadError(
          .permissionDenied, file: displayName,
          "permission denied on the \(engine.title) socket \(socket); \(group), or use sudo")
      }
      return candidate
    }
    let tried = candidates.map { "\($0.endpoint) (\($0.origin))" }.joined(separator: ", ")
    let variable = engine == .docker ? "DOCKER_HOST" : "CONTAINER_HOST"
    throw ImageLoadError(
      .noDaemon, file: displayName,
      "no \(engine.title) socket at \(tried); start the daemon or set \(variable), or without a daemon: `\(engine.command) save IMAGE | strata analyze -`"
    )
  }

  static func checkStatus(_ response: HTTPResponse, engine: Engine, displayName: String) throws {
    guard response.status != 200 else { return }
    let message =
      (try? JSONValue.parse(response.body).objectValue?["message"]?.stringValue)
      ?? response.text.prefix(300).description
    throw ImageLoadError(
      .daemonError, file: displayName,
      "the \(engine.title) answered \(response.status): \(message.trimmingSpaces)")
  }

  /// `--platform` against what the daemon says the image is.
  private static func checkPlatform(_ response: HTTPResponse, wanted: String?, engine: Engine, displayName: String)
    throws
  {
    guard let wanted, let object = try? JSONValue.parse(response.body).objectValue,
      let os = object["Os"]?.stringValue, let architecture = object["Architecture"]?.stringValue
    else { return }
    var platform = "\(os)/\(architecture)"
    if let variant = object["Variant"]?.stringValue, !variant.isEmpty { platform += "/\(variant)" }
    guard !ManifestResolver.platform(platform, matches: wanted) else { return }
    throw ImageLoadError(
      .noSuchPlatform, file: displayName,
      "the image in the \(engine.title) is built for \(platform), not \(wanted); available: \(platform) (`\(engine.command) pull --platform \(wanted) …` fetches another)"
    )
  }

  static func transferError(_ error: HTTPError, engine: Engine, location: EngineLocation, displayName: String)
    -> ImageLoadError
  {
    switch error.kind {
    case .cannotConnect:
      return ImageLoadError(
        .noDaemon, file: displayName,
        "cannot connect to the \(engine.title) at \(location.endpoint) (\(location.origin)): \(error.message); is the daemon running?"
      )
    case .timedOut:
      return ImageLoadError(
        .transferFailed, file: displayName,
        "the \(engine.title) at \(location.endpoint) did not answer in time: \(error.message)")
    default:
      return ImageLoadError(
        .transferFailed, file: displayName,
        "talking to the \(engine.title) at \(location.endpoint) failed: \(error.message)")
    }
  }

  /// - Parameter reread: whether the image was asked for again for a file's content.
  static func endedEarly(_ error: HTTPError, engine: Engine, displayName: String, reread: Bool = false)
    -> ImageLoadError
  {
    ImageLoadError(
      .transferFailed, file: displayName,
      "the \(engine.title)'s image stream ended early (\(error.message)); "
        + (reread ? "nothing is shown from a partial read" : "nothing is reported from a partial image"))
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var text = Substring(self)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    while let first = text.first, first.isWhitespace { text = text.dropFirst() }
    return String(text)
  }
}
