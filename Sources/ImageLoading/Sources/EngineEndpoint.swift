import ArchiveIO
import HTTPIO
import JSONIO

import Glibc

/// A daemon that speaks the Docker Engine API: Docker itself, or podman's compatible service.
enum Engine: Sendable {
  case docker, podman

  /// How messages name it.
  var title: String { self == .docker ? "Docker Engine" : "podman service" }
  /// Its command-line tool, for suggestions.
  var command: String { self == .docker ? "docker" : "podman" }
}

/// Where a daemon is reached, and what said so (for messages).
struct EngineLocation: Sendable, Equatable {
  var endpoint: HTTPEndpoint
  /// `DOCKER_HOST`, `docker context 'x'`, `default`, …
  var origin: String
}

/// Finds the daemon's endpoint the way its own command-line tool does.
enum EngineEndpoint {
  /// Reads one environment variable.
  typealias Environment = (String) -> String?

  /// The process's own environment.
  static func processEnvironment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

  /// The places to try, in order, from the environment and the Docker configuration.
  /// - Throws: `ImageLoadError` for a host URL strata cannot use (ssh://, a broken context).
  static func candidates(for engine: Engine, environment: Environment, displayName: String) throws
    -> [EngineLocation]
  {
    switch engine {
    case .docker:
      if let host = environment("DOCKER_HOST"), !host.isEmpty {
        return [
          EngineLocation(
            endpoint: try parse(host, variable: "DOCKER_HOST", displayName: displayName), origin: "DOCKER_HOST")
        ]
      }
      if let context = try currentContext(environment: environment, displayName: displayName) {
        return [context]
      }
      return [EngineLocation(endpoint: HTTPEndpoint(unixSocket: "/var/run/docker.sock"), origin: "the default socket")]
    case .podman:
      if let host = environment("CONTAINER_HOST"), !host.isEmpty {
        return [
          EngineLocation(
            endpoint: try parse(host, variable: "CONTAINER_HOST", displayName: displayName), origin: "CONTAINER_HOST")
        ]
      }
      var places: [EngineLocation] = []
      if let runtime = environment("XDG_RUNTIME_DIR"), !runtime.isEmpty {
        places.append(
          EngineLocation(endpoint: HTTPEndpoint(unixSocket: runtime + "/podman/podman.sock"), origin: "XDG_RUNTIME_DIR")
        )
      }
      places.append(
        EngineLocation(endpoint: HTTPEndpoint(unixSocket: "/run/podman/podman.sock"), origin: "the default socket"))
      return places
    }
  }

  /// `unix:///path` or `tcp://host:port` (`http://` and `https://` taken as written).
  static func parse(_ host: String, variable: String, displayName: String) throws -> HTTPEndpoint {
    if host.hasPrefix("unix://") {
      let path = String(host.dropFirst("unix://".count))
      guard path.hasPrefix("/") else {
        throw ImageLoadError(
          .badReference, file: displayName, "\(variable)=\(host): a unix:// socket path must be absolute")
      }
      return HTTPEndpoint(unixSocket: path)
    }
    if host.hasPrefix("tcp://") { return HTTPEndpoint(baseURL: "http://" + host.dropFirst("tcp://".count)) }
    if host.hasPrefix("http://") || host.hasPrefix("https://") { return HTTPEndpoint(baseURL: host) }
    throw ImageLoadError(
      .badReference, file: displayName,
      "\(variable)=\(host): strata reaches a daemon through unix:// or tcp:// only; for ssh://, forward the socket (ssh -L) and point \(variable) at it"
    )
  }

  /// The endpoint of the current Docker context (`DOCKER_CONTEXT`, else `currentContext` in
  /// the Docker config), unless it is `default`.
  static func currentContext(environment: Environment, displayName: String) throws -> EngineLocation? {
    let configDirectory =
      environment("DOCKER_CONFIG").flatMap { $0.isEmpty ? nil : $0 }
      ?? environment("HOME").map { $0 + "/.docker" }
    guard let configDirectory else { return nil }
    var name = environment("DOCKER_CONTEXT").flatMap { $0.isEmpty ? nil : $0 }
    if name == nil, let bytes = readSmallFile(configDirectory + "/config.json"),
      let root = try? JSONValue.parse(bytes).objectValue
    {
      name = root["currentContext"]?.stringValue
    }
    guard let name, name != "default" else { return nil }
    // Contexts live in contexts/meta/<sha256 of the name>/meta.json; matching the name inside
    // each file finds the same one without hashing.
    let metaDirectory = configDirectory + "/contexts/meta"
    for entry in directoryEntries(metaDirectory) {
      guard let bytes = readSmallFile("\(metaDirectory)/\(entry)/meta.json"),
        let meta = try? JSONValue.parse(bytes).objectValue, meta["Name"]?.stringValue == name
      else { continue }
      guard let host = meta["Endpoints"]?.objectValue?["docker"]?.objectValue?["Host"]?.stringValue else { break }
      return EngineLocation(
        endpoint: try parse(host, variable: "docker context '\(name)'", displayName: displayName),
        origin: "docker context '\(name)'")
    }
    throw ImageLoadError(
      .noDaemon, file: displayName,
      "the current docker context '\(name)' is not defined in \(metaDirectory); run `docker context use default` or set DOCKER_HOST"
    )
  }

  /// A small JSON file's bytes (the Docker config files are kilobytes), or nil.
  private static func readSmallFile(_ path: String) -> [UInt8]? {
    guard let file = try? OpenFile(path: path), file.size <= 4 << 20 else { return nil }
    return try? file.readBytes(at: 0, count: Int(file.size))
  }

  private static func directoryEntries(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }
}
