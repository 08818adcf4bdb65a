/// The layout an image was read from.
package enum ImageFormat: String, Sendable, Hashable {
  /// `docker save` before Docker 25: `manifest.json` and `<id>/layer.tar`.
  case dockerArchive = "docker-archive"
  /// `docker save` from Docker 25 on: `manifest.json` naming OCI blobs, plus `index.json`.
  case dockerOCIArchive = "docker-oci-archive"
  /// An OCI image layout in a tar (`index.json`, `oci-layout`, `blobs/`).
  case ociArchive = "oci-archive"
  /// An OCI image layout directory.
  case ociLayout = "oci-layout"
  /// Read from a registry through the OCI distribution API.
  case registry
}

/// An image read from an archive: metadata and every layer's entries, bottom layer first.
package struct Image: Sendable {
  /// How the user named it (a path, or `-`).
  package var source: String
  /// The layout it came in.
  package var format: ImageFormat
  /// Its tags (`RepoTags` or OCI ref names), possibly none.
  package var tags: [String]
  /// The digest (or archive name) of its config.
  package var configReference: String?
  /// The config.
  package var config: ImageConfig
  /// The layers, bottom first.
  package var layers: [Layer]
  /// Oddities found at the image level (history mismatch, …) and in every layer.
  package var anomalies: [Anomaly]
  /// Size of the archive file, when reading a file.
  package var archiveBytes: Int64?
  /// Bytes actually read from the input (headers and the few contents needed).
  package var bytesRead: Int64
  /// What a pull of the image downloads (config and compressed layers), when known.
  package var pullBytes: Int64?
  /// Where `pullBytes` comes from.
  package var pullBytesSource: PullSizeSource = .unknown
  /// Reads file contents on demand (nil for images built in memory).
  package var content: (any ContentSource)?

  /// Creates an image.
  package init(
    source: String, format: ImageFormat, tags: [String], configReference: String?, config: ImageConfig,
    layers: [Layer], anomalies: [Anomaly] = [], archiveBytes: Int64? = nil, bytesRead: Int64 = 0
  ) {
    self.source = source
    self.format = format
    self.tags = tags
    self.configReference = configReference
    self.config = config
    self.layers = layers
    self.anomalies = anomalies
    self.archiveBytes = archiveBytes
    self.bytesRead = bytesRead
  }

  /// A short label: the first tag, else the source.
  package var label: String { tags.first ?? source }
}

/// Where an image's pull size comes from.
package enum PullSizeSource: String, Sendable {
  /// The registry's descriptors: what a pull of it downloads.
  case registry
  /// The manifest's descriptors of compressed layers in an archive (OCI gzip/zstd, the
  /// containerd store): what a registry holding these blobs would serve.
  case manifest
  /// Not known: the archive's layers are stored uncompressed (`docker save` of the classic store).
  case unknown
}
