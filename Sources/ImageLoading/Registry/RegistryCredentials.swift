import JSONIO

import Glibc

/// A user name and secret for one registry, found where docker and podman keep them. Never
/// printed: `description` hides the secret.
struct RegistryCredentials: Sendable, CustomStringConvertible {
  var username: String
  var secret: String
  /// The file or credential helper they came from, for messages.
  var origin: String
  /// Whether the secret is an identity token (a credential helper's `<token>` user): an OAuth2
  /// refresh token for the registry's token service, not a password.
  var identityToken = false

  var description: String {
    identityToken ? "identity token from \(origin)" : "credentials for \(username) from \(origin)"
  }

  /// `Authorization: Basic …` for these credentials.
  var basicHeader: String { "Authorization: Basic " + Base64.encode(Array("\(username):\(secret)".utf8)) }

  /// The credentials for `host`, looked up as podman and docker do: `REGISTRY_AUTH_FILE`, then
  /// podman's `$XDG_RUNTIME_DIR/containers/auth.json`, then docker's `config.json`
  /// (`$DOCKER_CONFIG`, else `~/.docker`). In each file, the credential helper `credHelpers`
  /// names for the host, then the `auths` entry for it, then the `credsStore` helper.
  /// - Throws: a helper's failure, in words that name it.
  static func lookup(host: String, environment: (String) -> String?) throws(CredentialHelper.HelperError)
    -> RegistryCredentials?
  {
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
      guard let bytes = readSmallFile(file), let root = try? JSONValue.parse(bytes).objectValue else { continue }
      let wanted = normalise(host)
      let helper = root["credHelpers"]?.objectValue?.pairs.first { normalise($0.0) == wanted }?.1.stringValue
      if let helper, !helper.isEmpty,
        let found = try CredentialHelper.credentials(helper: helper, host: host, environment: environment)
      {
        return found
      }
      if let found = credentials(in: root, host: host, origin: file) { return found }
      if let store = root["credsStore"]?.stringValue, !store.isEmpty,
        let found = try CredentialHelper.credentials(helper: store, host: host, environment: environment)
      {
        return found
      }
    }
    return nil
  }

  /// The `auths` entry for `host` of an auth file's contents.
  static func credentials(in root: JSONObject, host: String, origin file: String) -> RegistryCredentials? {
    guard let auths = root["auths"]?.objectValue else { return nil }
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
