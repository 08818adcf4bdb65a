/// Recognises files that should never be in an image.
enum SensitiveFiles {
  /// What a name suggests, and whether the content must confirm it.
  enum Kind: String {
    case privateKey = "private key"
    case keyFile = "key or certificate file"
    case credentials = "credentials file"
    case dotenv = "environment file"
    case cloudCredentials = "cloud credentials"
  }

  /// A cheap test on the last component alone: false means `classify` would say nil. Asked for
  /// every file, so it compares bytes (no hashing, no `Character`s): the names and ends it looks
  /// for are ASCII, with no other spelling that `String` would call equal.
  static func mayMatch(name: String) -> Bool {
    var name = name
    return name.withUTF8 { bytes in
      if bytes.starts(with: idPrefix) || bytes.starts(with: envPrefix) { return true }
      if maybeNames.contains(where: { $0.count == bytes.count && bytes.elementsEqual($0) }) { return true }
      return maybeEnds.contains { $0.count <= bytes.count && bytes.suffix($0.count).elementsEqual($0) }
    }
  }

  private static let idPrefix = Array("id_".utf8)
  private static let envPrefix = Array(".env".utf8)
  /// Every name `classify` knows, the ones it knows only at the end of a longer path included.
  private static let maybeNames: [[UInt8]] = [
    ".npmrc", ".pypirc", ".git-credentials", ".netrc", ".yarnrc.yml", "pip.conf", ".dockercfg", "config.json", "config",
    "credentials", "application_default_credentials.json", "accessTokens.json",
  ].map { Array($0.utf8) }
  private static let maybeEnds: [[UInt8]] = [".p12", ".pfx", ".jks", ".keystore", ".pem", ".key"].map {
    Array($0.utf8)
  }

  /// The kind a `/`-rooted path suggests, or nil.
  static func classify(_ path: String) -> Kind? {
    let base = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(path[path.index(after: $0)...]) } ?? path
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"].contains(base) {
      return .privateKey
    }
    if base.hasSuffix(".p12") || base.hasSuffix(".pfx") || base.hasSuffix(".jks") || base.hasSuffix(".keystore") {
      return .privateKey
    }
    if base.hasSuffix(".pem") || base.hasSuffix(".key") { return .keyFile }
    if base == ".env"
      || (base.hasPrefix(".env.")
        && !["example", "sample", "template", "dist"].contains(where: { base.hasSuffix($0) }))
    {
      return .dotenv
    }
    if [".npmrc", ".pypirc", ".git-credentials", ".netrc", ".yarnrc.yml", "pip.conf", ".dockercfg"].contains(base) {
      return .credentials
    }
    if path.hasSuffix("/.docker/config.json") || path.hasSuffix("/.kube/config") { return .credentials }
    if path.hasSuffix("/.aws/credentials") || path.hasSuffix("/application_default_credentials.json")
      || path.hasSuffix("/.azure/accessTokens.json")
    {
      return .cloudCredentials
    }
    return nil
  }

  /// Whether the kind needs its content read to confirm.
  static func needsContent(_ kind: Kind) -> Bool { kind == .keyFile || kind == .credentials }

  /// Whether the content confirms the suspicion.
  static func confirms(_ kind: Kind, head: [UInt8]) -> Bool {
    let text = String(decoding: head, as: UTF8.self)
    switch kind {
    case .keyFile: return text.contains("PRIVATE KEY")
    case .credentials:
      let markers = [
        "_authToken", "_auth", "_password", "password", "token", "auth\"", "client-key-data", "secret",
      ]
      if markers.contains(where: { text.contains($0) }) { return true }
      // https://user:secret@host (git-credentials)
      return text.contains("://") && text.contains("@") && text.contains(":")
    default: return true
    }
  }
}
