import Analysis
import ImageModel
import PackageDatabases

/// The file-level differences between two merged filesystems: a baseline and another.
///
/// Only non-directory paths are items (directories are where they are grouped). Bytes are what
/// each path adds to its filesystem (`FileTree.contentBytes(of:)`), so
/// `addedBytes - removedBytes + changedAfter - changedBefore == netBytes` exactly.
package struct FileDiff: Sendable {
  /// What differs about a path present in both.
  package enum Change: String, Sendable, Hashable, CaseIterable {
    /// File, symlink, … became another kind.
    case kind
    /// Its bytes differ.
    case size
    /// Permission bits.
    case mode
    /// Owner or group.
    case owner
    /// A link's target.
    case link
    /// Same size and metadata, different content (by XXH3 fingerprint).
    case content
  }

  /// One path that differs.
  package struct Item: Sendable, Hashable {
    /// `/`-rooted path.
    package var path: String
    /// What it is in the other image (in the baseline for removed paths).
    package var kind: EntryKind
    /// Bytes in the baseline (0 when added).
    package var before: Int64
    /// Bytes in the other image (0 when removed).
    package var after: Int64
    /// For changed paths: what changed.
    package var changes: [Change]
    /// The layer that gave its content in the other image (in the baseline for removed paths).
    package var layer: Int

    /// `after - before`.
    package var delta: Int64 { after - before }
    /// The larger side, for ordering by size.
    package var magnitude: Int64 { max(before, after) }
  }

  /// Paths only in the other image.
  package var added: [Item]
  /// Paths only in the baseline.
  package var removed: [Item]
  /// Paths in both that differ.
  package var changed: [Item]
  /// Bytes of the baseline's and the other's filesystem.
  package var baselineBytes: Int64
  package var otherBytes: Int64
  /// How content was compared.
  package var content: ContentComparison

  /// Bytes added, removed, and the changed paths' bytes before and after.
  package var addedBytes: Int64 { added.reduce(0) { $0 + $1.after } }
  package var removedBytes: Int64 { removed.reduce(0) { $0 + $1.before } }
  package var changedBefore: Int64 { changed.reduce(0) { $0 + $1.before } }
  package var changedAfter: Int64 { changed.reduce(0) { $0 + $1.after } }
  /// `otherBytes - baselineBytes`.
  package var netBytes: Int64 { otherBytes - baselineBytes }

  /// Whether nothing differs.
  package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

  /// The `limit` largest items of a list, by size then path.
  package static func largest(_ items: [Item], limit: Int, minBytes: Int64 = 0) -> [Item] {
    Array(
      items.filter { $0.magnitude >= minBytes }.sorted {
        $0.magnitude != $1.magnitude ? $0.magnitude > $1.magnitude : $0.path < $1.path
      }.prefix(limit))
  }

  /// The differences grouped by directory: every item counted in its ancestor `depth` levels
  /// down (or its own directory when shallower), groups whose added, removed or changed bytes
  /// reach `minBytes`, largest change first.
  package func grouped(depth: Int, minBytes: Int64 = 0) -> [DirectoryDelta] {
    var groups: [String: DirectoryDelta] = [:]
    func key(_ path: String) -> String {
      let components = PathName.components(of: String(path.dropFirst())).dropLast()
      return "/" + components.prefix(max(0, depth)).joined(separator: "/")
    }
    for item in added { groups[key(item.path), default: DirectoryDelta(path: key(item.path))].add(item, as: .added) }
    for item in removed {
      groups[key(item.path), default: DirectoryDelta(path: key(item.path))].add(item, as: .removed)
    }
    for item in changed {
      groups[key(item.path), default: DirectoryDelta(path: key(item.path))].add(item, as: .changed)
    }
    return groups.values.filter { max($0.addedBytes, $0.removedBytes, $0.changedBytes) >= minBytes }.sorted {
      let left = max($0.addedBytes, $0.removedBytes, $0.changedBytes)
      let right = max($1.addedBytes, $1.removedBytes, $1.changedBytes)
      return left != right ? left > right : $0.path < $1.path
    }
  }
}

/// The differences under one directory.
package struct DirectoryDelta: Sendable, Hashable {
  /// How an item counts.
  enum Side { case added, removed, changed }

  /// `/`-rooted directory (`/` for the root).
  package var path: String
  /// Files added and their bytes.
  package var addedFiles = 0
  package var addedBytes: Int64 = 0
  /// Files removed and their bytes.
  package var removedFiles = 0
  package var removedBytes: Int64 = 0
  /// Files changed, and the larger of each one's before and after bytes, summed.
  package var changedFiles = 0
  package var changedBytes: Int64 = 0
  /// Net bytes: what the other image holds here minus what the baseline holds.
  package var netBytes: Int64 = 0

  /// An empty group.
  package init(path: String) { self.path = path }

  mutating func add(_ item: FileDiff.Item, as side: Side) {
    switch side {
    case .added:
      addedFiles += 1
      addedBytes += item.after
    case .removed:
      removedFiles += 1
      removedBytes += item.before
    case .changed:
      changedFiles += 1
      changedBytes += item.magnitude
    }
    netBytes += item.delta
  }
}

/// How far file contents were compared.
package struct ContentComparison: Sendable, Hashable {
  /// Same-path files of equal size and metadata whose content was compared by fingerprint.
  package var comparedFiles = 0
  /// Of those, the ones whose content differs (listed as changed with `.content`).
  package var differentFiles = 0
  /// Same-size files known identical without reading: their content came from the same layer.
  package var sameLayerFiles = 0
  /// Candidates not compared (over the byte budget, or contents unavailable), and their bytes.
  package var uncomparedFiles = 0
  package var uncomparedBytes: Int64 = 0
  /// Why some were not compared.
  package var notes: [String] = []

  /// Nothing compared yet.
  package init() {}
}
