/// An image in a registry, named the way `docker pull` names it: `python:3.12-slim` is
/// `registry-1.docker.io/library/python:3.12-slim`, `ghcr.io/org/app:1.4` is on ghcr.io, and
/// `host:5000/team/app@sha256:…` is pinned to a manifest digest.
struct RegistryReference: Sendable, Equatable {
  /// The host (and port) requests go to; Docker Hub's is `registry-1.docker.io`.
  var host: String
  /// The repository path (`library/python`).
  var repository: String
  /// The tag, when no digest pins the image (`latest` when neither is given).
  var tag: String?
  /// The manifest digest, when given (`sha256:…`).
  var digest: String?

  /// What to ask the registry for: the digest when given, else the tag.
  var manifestReference: String { digest ?? tag ?? "latest" }

  /// `host/repository:tag` or `host/repository@digest`, for messages and reports.
  var description: String {
    let name = "\(displayHost)/\(repository)"
    if let digest { return name + "@" + digest }
    return name + ":" + (tag ?? "latest")
  }

  /// The host as users write it (`docker.io` for Docker Hub).
  var displayHost: String { host == Self.dockerHubHost ? "docker.io" : host }

  static let dockerHubHost = "registry-1.docker.io"

  /// Parses `text`; nil when it is not a well-formed image reference.
  static func parse(_ text: String) -> RegistryReference? {
    guard ImageReference.isValid(text), !ImageReference.isDigest(Substring(text)) else { return nil }
    var rest = Substring(text)
    var digest: String?
    if let at = rest.firstIndex(of: "@") {
      digest = String(rest[rest.index(after: at)...])
      rest = rest[..<at]
    }
    var components = rest.split(separator: "/").map(String.init)
    var tag: String?
    if let last = components.last, let colon = last.lastIndex(of: ":") {
      tag = String(last[last.index(after: colon)...])
      components[components.count - 1] = String(last[..<colon])
    }
    var host = "docker.io"
    if components.count > 1, let first = components.first,
      first == "localhost" || first.contains(".") || first.contains(":")
    {
      host = first
      components.removeFirst()
    }
    if host == "docker.io" || host == "index.docker.io" {
      host = dockerHubHost
      if components.count == 1 { components.insert("library", at: 0) }
    }
    if digest == nil && tag == nil { tag = "latest" }
    return RegistryReference(host: host, repository: components.joined(separator: "/"), tag: tag, digest: digest)
  }

  /// Whether the host is this machine (plain HTTP is allowed there, as docker allows it).
  var isLoopback: Bool {
    let name = hostName
    return name == "localhost" || name.hasPrefix("127.") || name == "[::1]" || name == "::1"
  }

  /// The host without its port.
  var hostName: String {
    if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[...close]) }
    if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
    return host
  }
}
