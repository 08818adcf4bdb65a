/// One step of the image's build history (`history[]` of the config).
package struct HistoryEntry: Sendable, Hashable {
  /// When the step ran.
  package var created: String?
  /// The command (`created_by`).
  package var createdBy: String?
  /// A comment.
  package var comment: String?
  /// Whether the step made no layer tar (`empty_layer`).
  package var emptyLayer: Bool

  /// Creates a history entry.
  package init(created: String? = nil, createdBy: String? = nil, comment: String? = nil, emptyLayer: Bool = false) {
    self.created = created
    self.createdBy = createdBy
    self.comment = comment
    self.emptyLayer = emptyLayer
  }
}

/// The parts of the image config strata uses.
package struct ImageConfig: Sendable, Hashable {
  /// CPU architecture (`amd64`).
  package var architecture: String?
  /// Operating system (`linux`).
  package var os: String?
  /// CPU variant (`v8` of `arm64`), when the config names one.
  package var variant: String?
  /// Build history, one entry per step, empty layers included.
  package var history: [HistoryEntry]
  /// `rootfs.diff_ids`: the uncompressed digests of the layers, bottom first.
  package var diffIDs: [String]
  /// When the image was made.
  package var created: String?

  /// Creates a config.
  package init(
    architecture: String? = nil, os: String? = nil, history: [HistoryEntry] = [], diffIDs: [String] = [],
    created: String? = nil
  ) {
    self.architecture = architecture
    self.os = os
    self.history = history
    self.diffIDs = diffIDs
    self.created = created
  }
}

extension ImageConfig {
  /// `os/architecture[/variant]`, when the config names both of the first two.
  package var platform: String? {
    guard let os, let architecture else { return nil }
    return variant.map { "\(os)/\(architecture)/\($0)" } ?? "\(os)/\(architecture)"
  }
}
