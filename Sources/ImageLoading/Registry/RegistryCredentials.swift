import JSONIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A user name and secret for one registry, found where docker and podman keep them. Never
/// printed: `description` hides the secret.
struct RegistryCredentials: Sendable, CustomStringConvertible {
  var username: String
  var secret: String
  /// The file they came from, for messages.
  var origin: String

  var description: String { "credentials for \(username) from \(origin)" }

  /// `Authorization: Basic …` for these credentials.
  var basicHeader: String { "Authorization: Basic " + Base64.encode(Array("\(username):\(secret)".utf8)) }

  /// The credentials for `host`, looked up as podman and docker do: `REGISTRY_AUTH_FILE`, then
  /// podman's `$XDG_RUNTIME_DIR/containers/auth.json`, then docker's `config.json`
  /// (`$DOCKER_CONFIG`, else `~/.docker`), each file's `auths` entry for the host.
  static func lookup(host: String, environment: (String) -> String?) -> RegistryCredentials? {
    var files: [String] = []
    if let file = environment("REGISTRY_AUTH_FILE"), !file.isEmpty { files.append(file) }
    if let runtime = environment("XDG_RUNTIME_DIR"), !runtime.isEmpty {
      files.append(runtime + "/containers/auth.json")
    }
    if let config = environment("DOCKER_CONFIG"), !config.isEmpty {
      files.append(config + "/config.json")
    } else if let home = environment("HOME"), !home.isEmpty {
      files.append(home + "/.docker/config.json")
    }
    for file in files {
      if let found = credentials(in: file, host: host) { return found }
    }
    return nil
  }

  /// The `auths` entry of one auth file for `host`.
  static func credentials(in file: String, host: String) -> RegistryCredentials? {
    guard let bytes = readSmallFile(file), let root = try? JSONValue.parse(bytes).objectValue,
      let auths = root["auths"]?.objectValue
    else { return nil }
    let wanted = normalise(host)
    for (key, value) in auths.pairs where normalise(key) == wanted {
      guard let entry = value.objectValue else { continue }
      if let encoded = entry["auth"]?.stringValue, let decoded = Base64.decode(encoded),
        let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
      {
        return RegistryCredentials(
          username: String(decoding: decoded[..<colon], as: UTF8.self),
          secret: String(decoding: decoded[(colon + 1)...], as: UTF8.self), origin: file)
      }
      if let user = entry["username"]?.stringValue, let password = entry["password"]?.stringValue {
        return RegistryCredentials(username: user, secret: password, origin: file)
      }
    }
    return nil
  }

  /// A key of `auths` as a bare host: `https://index.docker.io/v1/` and `docker.io` are Docker Hub.
  static func normalise(_ key: String) -> String {
    var text = Substring(key)
    for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
    if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
    let host = String(text)
    return ["docker.io", "index.docker.io", RegistryReference.dockerHubHost].contains(host) ? "docker.io" : host
  }

  private static func readSmallFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while bytes.count < 4 << 20 {
      let got = fread(&buffer, 1, buffer.count, file)
      if got <= 0 { break }
      bytes.append(contentsOf: buffer[..<got])
    }
    return bytes
  }
}
