import Glibc

/// Where an image argument leads: which source reads it, and what that source is given.
package struct ImageLocation: Sendable, Equatable {
  /// The source's name, as `--source` calls it (`docker-archive`, `docker`, `podman`, …).
  package var source: String
  /// What the source is given: a path, `-`, or an image reference.
  package var reference: String
}

/// Turns what the user typed into an `ImageLocation`, the same way for every command:
///
/// 1. `--source NAME` names the source; a `NAME://` prefix on the argument is then dropped.
/// 2. `NAME://REF` (`docker://app:1`, `podman://app:1`, `docker-archive://x.tar`, …) names it.
/// 3. `-` is standard input; an existing file or directory is read as an archive or layout.
/// 4. Anything else that is a well-formed image reference goes to the Docker Engine, as
///    `dive IMAGE` does; a name that looks like a path (`./x`, `x.tar`) is a missing file.
package enum ImageResolver {
  /// The names `--source` accepts.
  package static var sourceNames: [String] { SourceRegistry.names }

  /// Resolves `argument`, with `source` from `--source` when given.
  /// - Parameter exists: whether a path exists (the file system, unless a test says otherwise).
  /// - Throws: `ImageLoadError` for an unknown source or a name that is neither a file nor a
  ///   reference.
  package static func resolve(_ argument: String, source: String? = nil, exists: (String) -> Bool = pathExists)
    throws -> ImageLocation
  {
    let (scheme, rest) = splitScheme(argument)
    if let source {
      guard SourceRegistry.kind(named: source) != nil else { throw unknownSource(source, in: argument) }
      if let scheme, scheme != source {
        throw ImageLoadError(
          .badReference, file: argument, "--source \(source) contradicts the '\(scheme)://' prefix; give one of them")
      }
      return ImageLocation(source: source, reference: rest)
    }
    if let scheme {
      guard SourceRegistry.kind(named: scheme) != nil else { throw unknownSource(scheme, in: argument) }
      return ImageLocation(source: scheme, reference: rest)
    }
    if argument == "-" || exists(argument) { return ImageLocation(source: "docker-archive", reference: argument) }
    if !ImageReference.looksLikePath(argument) && ImageReference.isValid(argument) {
      return ImageLocation(source: "docker", reference: argument)
    }
    throw ImageLoadError(
      .notFound, file: argument,
      "no such file or directory (nor an image reference such as app:1 or docker://app:1)")
  }

  /// `("docker", "app:1")` for `docker://app:1`; `(nil, argument)` without a prefix.
  static func splitScheme(_ argument: String) -> (scheme: String?, rest: String) {
    guard let colon = argument.firstIndex(of: ":"), argument[colon...].hasPrefix("://") else { return (nil, argument) }
    let scheme = String(argument[..<colon])
    guard !scheme.isEmpty, scheme.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "-") }) else {
      return (nil, argument)
    }
    return (scheme, String(argument[argument.index(colon, offsetBy: 3)...]))
  }

  private static func unknownSource(_ name: String, in argument: String) -> ImageLoadError {
    ImageLoadError(
      .badReference, file: argument,
      "unknown image source '\(name)'; strata reads: \(SourceRegistry.names.joined(separator: ", "))")
  }

  /// Whether anything exists at `path` (a broken symlink counts: it is a path, not a reference).
  package static func pathExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// Opens the image a location names.
  static func open(_ location: ImageLocation, displayName: String, options: LoadOptions) throws -> any ImageSource {
    guard let kind = SourceRegistry.kind(named: location.source) else {
      throw unknownSource(location.source, in: displayName)
    }
    if !kind.takesPath && location.reference.isEmpty {
      throw ImageLoadError(.badReference, file: displayName, "no image named after '\(location.source)://'")
    }
    return try kind.open(location.reference, displayName, options)
  }
}
