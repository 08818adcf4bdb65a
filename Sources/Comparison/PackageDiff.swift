import Analysis
import PackageDatabases

/// The packages added, removed and changed between a baseline image and another.
///
/// Packages are matched by ecosystem and name (Python names normalised); when a name occurs
/// more than once in an image (two site-packages, nested node_modules) the location is part
/// of the match too.
package struct PackageDiff: Sendable, Hashable {
  /// A package on both sides that differs.
  package struct Change: Sendable, Hashable {
    /// The baseline's package.
    package var before: InstalledPackage
    /// The other image's.
    package var after: InstalledPackage

    /// Whether the version changed (otherwise only its bytes did).
    package var versionChanged: Bool { before.version != after.version }
    /// Bytes after minus before (unknown sizes count 0).
    package var deltaBytes: Int64 { (after.bytes ?? 0) - (before.bytes ?? 0) }
  }

  /// Packages only in the other image, largest first.
  package var added: [InstalledPackage]
  /// Packages only in the baseline, largest first.
  package var removed: [InstalledPackage]
  /// Packages in both whose version or bytes differ, largest change first.
  package var changed: [Change]
  /// Packages in both with the same version and bytes.
  package var unchangedCount: Int

  /// Bytes of added and removed packages.
  package var addedBytes: Int64 { added.reduce(0) { $0 + ($1.bytes ?? 0) } }
  package var removedBytes: Int64 { removed.reduce(0) { $0 + ($1.bytes ?? 0) } }

  /// Compares two inventories.
  package static func compute(baseline: PackageInventory, other: PackageInventory) -> PackageDiff {
    let left = keyed(baseline.packages)
    let right = keyed(other.packages)
    let bySize: (InstalledPackage, InstalledPackage) -> Bool = { lhs, rhs in
      let a = lhs.bytes ?? -1
      let b = rhs.bytes ?? -1
      return a != b ? a > b : (lhs.ecosystem, lhs.name, lhs.location) < (rhs.ecosystem, rhs.name, rhs.location)
    }
    var added: [InstalledPackage] = []
    var removed: [InstalledPackage] = []
    var changed: [Change] = []
    var unchanged = 0
    for (key, package) in right {
      guard let before = left[key] else {
        added.append(package)
        continue
      }
      if before.version != package.version || before.bytes != package.bytes {
        changed.append(Change(before: before, after: package))
      } else {
        unchanged += 1
      }
    }
    for (key, package) in left where right[key] == nil { removed.append(package) }
    changed.sort {
      let a = abs($0.deltaBytes)
      let b = abs($1.deltaBytes)
      return a != b ? a > b : ($0.after.ecosystem, $0.after.name) < ($1.after.ecosystem, $1.after.name)
    }
    return PackageDiff(
      added: added.sorted(by: bySize), removed: removed.sorted(by: bySize), changed: changed, unchangedCount: unchanged)
  }

  /// Packages by match key: `ecosystem name`, plus the location for names that repeat.
  static func keyed(_ packages: [InstalledPackage]) -> [String: InstalledPackage] {
    var counts: [String: Int] = [:]
    for package in packages { counts["\(package.ecosystem.rawValue) \(package.matchName)", default: 0] += 1 }
    var result: [String: InstalledPackage] = [:]
    for package in packages {
      let base = "\(package.ecosystem.rawValue) \(package.matchName)"
      let key = counts[base, default: 0] > 1 ? base + " " + package.location + " " + (package.architecture ?? "") : base
      result[key] = package
    }
    return result
  }
}
