import Analysis

/// The figures of an earlier report (`strata analyze --format json`) that growth is measured
/// against.
package struct Baseline: Sendable, Hashable {
  /// One layer of the baseline image.
  package struct Layer: Sendable, Hashable {
    /// 0 = bottom.
    package var index: Int
    /// Its bytes (dive's layer size).
    package var sizeBytes: Int64
    /// Its command, from the history.
    package var command: String?
    /// Its uncompressed digest, when known.
    package var diffID: String?

    /// Creates a layer.
    package init(index: Int, sizeBytes: Int64, command: String?, diffID: String?) {
      self.index = index
      self.sizeBytes = sizeBytes
      self.command = command
      self.diffID = diffID
    }
  }

  /// Where it was read from.
  package var source: String
  /// The image it describes (first tag or path).
  package var imageLabel: String?
  /// Bytes of all its layers.
  package var sizeBytes: Int64
  /// Its layers, bottom first.
  package var layers: [Layer]
  /// Bytes per path (`/usr/lib`).
  package var paths: [String: Int64]
  /// Whether `paths` lists every path down to `pathDepth` holding a byte (the report's
  /// `pathSizes`), so that a missing path holds 0 bytes; false when it only has the report's
  /// largest files and directories (reports written before `pathSizes` existed).
  package var pathsComplete: Bool
  /// How deep `paths` goes.
  package var pathDepth: Int

  /// Creates a baseline.
  package init(
    source: String, imageLabel: String?, sizeBytes: Int64, layers: [Layer], paths: [String: Int64],
    pathsComplete: Bool, pathDepth: Int
  ) {
    self.source = source
    self.imageLabel = imageLabel
    self.sizeBytes = sizeBytes
    self.layers = layers
    self.paths = paths
    self.pathsComplete = pathsComplete
    self.pathDepth = pathDepth
  }
}

/// How the image changed since the baseline.
package struct GrowthReport: Sendable, Hashable {
  /// A layer whose bytes changed, matched to its baseline counterpart.
  package struct LayerChange: Sendable, Hashable {
    /// Its index in the image (nil for a baseline layer that is gone).
    package var index: Int?
    /// Its counterpart's index in the baseline (nil for a new layer).
    package var baselineIndex: Int?
    /// Its command (the baseline's, for a layer that is gone).
    package var command: String?
    /// Bytes in the baseline.
    package var before: Int64
    /// Bytes now.
    package var after: Int64
    /// `after - before`.
    package var delta: Int64 { after - before }
  }

  /// A path whose bytes changed.
  package struct PathChange: Sendable, Hashable {
    /// `/`-rooted path.
    package var path: String
    /// Bytes in the baseline.
    package var before: Int64
    /// Bytes now.
    package var after: Int64
    /// `after - before`.
    package var delta: Int64 { after - before }
  }

  /// Where the baseline came from.
  package var baselineSource: String
  /// Bytes of all the baseline's layers.
  package var baselineBytes: Int64
  /// Bytes of all the image's layers.
  package var currentBytes: Int64
  /// Layers that grew, most first (new layers included).
  package var layers: [LayerChange]
  /// Paths that grew, most first; a directory is left out when one of its children explains
  /// nine tenths of its growth.
  package var paths: [PathChange]
  /// Whether `paths` was computed from complete path lists (see `Baseline.pathsComplete`).
  package var pathsComplete: Bool

  /// Bytes grown (negative when the image shrank).
  package var delta: Int64 { currentBytes - baselineBytes }
  /// Growth over the baseline's bytes (`+infinity` when the baseline was empty and the image
  /// is not).
  package var fraction: Double {
    if baselineBytes == 0 { return delta == 0 ? 0 : (delta > 0 ? .infinity : -.infinity) }
    return Double(delta) / Double(baselineBytes)
  }
}
