/// A kind of place images come from, as `--source NAME` and `NAME://REF` call it.
struct SourceKind: Sendable {
  /// The name in `--source` and in the `NAME://` prefix.
  let name: String
  /// Whether its references are paths of this machine (archives, layout directories).
  let takesPath: Bool
  /// Opens the image `reference` (the argument without its `NAME://` prefix); `displayName` is
  /// what messages call it.
  let open: @Sendable (_ reference: String, _ displayName: String, _ options: LoadOptions) throws -> any ImageSource
}

/// Every source strata reads, in one list. A new source is a type conforming to `ImageSource`
/// plus one entry here.
enum SourceRegistry {
  static let kinds: [SourceKind] = [
    SourceKind(name: "docker-archive", takesPath: true, open: LocalSource.openPath),
    SourceKind(name: "oci-archive", takesPath: true, open: LocalSource.openPath),
    SourceKind(name: "docker", takesPath: false) {
      try DaemonSource.open($0, engine: .docker, displayName: $1, options: $2)
    },
    SourceKind(name: "podman", takesPath: false) {
      try DaemonSource.open($0, engine: .podman, displayName: $1, options: $2)
    },
    SourceKind(name: "registry", takesPath: false, open: RegistrySource.open),
  ]

  /// The kind called `name`.
  static func kind(named name: String) -> SourceKind? { kinds.first { $0.name == name } }

  /// The names `--source` accepts, for help and errors.
  static var names: [String] { kinds.map(\.name) }
}
