/// The media types strata understands.
enum MediaTypes {
  static let ociIndex = "application/vnd.oci.image.index.v1+json"
  static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
  static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
  static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"

  static let configs: Set<String> = [
    "application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json",
  ]

  static let layers: Set<String> = [
    "application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar.zstd", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar",
  ]

  static func isIndex(_ type: String?) -> Bool { type == ociIndex || type == dockerManifestList }
  static func isManifest(_ type: String?) -> Bool { type == ociManifest || type == dockerManifest }

  /// A blob location for a digest (`sha256:abc` → `blobs/sha256/abc`), or nil when the digest is
  /// not of the form `algorithm:hex` (which also keeps `..` out of paths).
  static func blobLocation(_ digest: String) -> String? {
    let parts = digest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
    let algorithmOK = parts[0].allSatisfy {
      $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || "+._-".contains($0)
    }
    let encodedOK = parts[1].allSatisfy { ($0.isLetter || $0.isNumber) && $0.isASCII || "=_-".contains($0) }
    guard algorithmOK, encodedOK, parts[0].first?.isLetter == true else { return nil }
    return "blobs/\(parts[0])/\(parts[1])"
  }
}
