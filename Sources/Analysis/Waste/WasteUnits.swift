import ImageModel
import MergedTree

/// One stored copy of a file: the version present in the final image, or a lower version that
/// a later layer deleted or overwrote. Waste is counted in these, each at most once.
struct FileUnit: Hashable {
  /// Node of the merged tree.
  var node: Int32
  /// -1 for the node's latest version, else the index into its earlier versions.
  var version: Int32
  private var storedLayer: Int32
  private var storedHiddenBy: Int32
  var size: Int64

  /// `hiddenBy` nil is stored as -1, a copy overwritten by layer L as L, one deleted by layer L
  /// as -2 - L: the flag costs no field (a unit is 24 bytes, and there is one per stored copy).
  init(node: Int32, version: Int, layer: Int, size: Int64, hiddenBy: Int?, deleted: Bool) {
    self.node = node
    self.version = Int32(version)
    self.storedLayer = Int32(layer)
    self.storedHiddenBy = hiddenBy.map { deleted ? -2 - Int32($0) : Int32($0) } ?? -1
    self.size = size
  }

  /// For hidden copies: whether by deleting (else by overwriting).
  var deleted: Bool { storedHiddenBy < -1 }

  /// The copy's permission bits, owner and group, from the tree (a unit does not carry them: a
  /// million units would pay 12 bytes each for what only rewrites of one path compare).
  func metadata(in tree: FileTree) -> (permissions: UInt32, uid: UInt32, gid: UInt32) {
    if version >= 0, let earlier = tree.earlierVersions[node], Int(version) < earlier.count {
      let copy = earlier[Int(version)]
      return (copy.permissions, copy.uid, copy.gid)
    }
    let latest = tree.nodes[Int(node)]
    return (latest.permissions, latest.uid, latest.gid)
  }

  /// The layer whose tar holds the bytes.
  var layer: Int { Int(storedLayer) }
  /// For hidden copies: the layer that hid it.
  var hiddenBy: Int? {
    switch storedHiddenBy {
    case -1: return nil
    case ..<(-1): return Int(-2 - storedHiddenBy)
    default: return Int(storedHiddenBy)
    }
  }

  var isPresent: Bool { hiddenBy == nil }
  /// Identity of the copy (node and version), to count it once.
  var key: UnitKey { UnitKey(node: node, version: version) }

  /// The `/`-rooted path (built on demand: a million stored paths would dominate memory).
  func path(in tree: FileTree) -> String { "/" + tree.path(of: node) }
  /// The layer-relative path content readers take (no leading `/`).
  func relativePath(in tree: FileTree) -> String { tree.path(of: node) }
}

/// A copy's identity: its node and which of its versions.
struct UnitKey: Hashable {
  var node: Int32
  var version: Int32
}

/// Enumerates every copy of every regular file of the tree.
enum FileUnits {
  static func all(in tree: FileTree) -> [FileUnit] {
    // Counted first: growing the array by doubling would hold up to three times its size at once.
    var count = tree.earlierVersions.values.reduce(0) { $0 + $1.count { $0.kind == .regular } }
    count += tree.nodes.indices.dropFirst().count { hasLatestUnit(Int32($0), in: tree.nodes) }
    var units: [FileUnit] = []
    units.reserveCapacity(count)
    for position in tree.nodes.indices where position > 0 {
      let index = Int32(position)
      let versions = tree.earlierVersions[index] ?? []
      for (number, version) in versions.enumerated() where version.kind == .regular {
        units.append(earlier(version, number: number, of: index))
      }
      if let current = latest(of: index, in: tree) { units.append(current) }
    }
    return units
  }

  /// The copy that replaced `unit` (the next version of the same path), when it was overwritten.
  static func successor(of unit: FileUnit, in tree: FileTree) -> FileUnit? {
    guard unit.version >= 0, !unit.deleted else { return nil }
    let number = Int(unit.version) + 1
    let versions = tree.earlierVersions[unit.node] ?? []
    guard number < versions.count else { return latest(of: unit.node, in: tree) }
    return versions[number].kind == .regular ? earlier(versions[number], number: number, of: unit.node) : nil
  }

  /// Earlier version `number` of a node (always hidden: by deletion or by a rewrite).
  private static func earlier(_ version: NodeVersion, number: Int, of node: Int32) -> FileUnit {
    FileUnit(
      node: node, version: number, layer: Int(version.layer), size: version.size, hiddenBy: Int(version.hiddenBy),
      deleted: version.deleted)
  }

  /// Whether a node's latest version is a regular file some layer wrote (present, or deleted).
  /// Stored fields, read in place.
  private static func hasLatestUnit(_ index: Int32, in nodes: [FileNode]) -> Bool {
    nodes[Int(index)].kind == .regular && nodes[Int(index)].layer >= 0
  }

  /// A node's latest version, when it is a regular file some layer wrote (present, or deleted).
  private static func latest(of index: Int32, in tree: FileTree) -> FileUnit? {
    let nodes = tree.nodes
    guard hasLatestUnit(index, in: nodes) else { return nil }
    let present = tree.isPresent(Int(index))
    return FileUnit(
      node: index, version: -1, layer: Int(nodes[Int(index)].layer), size: nodes[Int(index)].size,
      hiddenBy: present ? nil : Int(nodes[Int(index)].removedIn), deleted: !present)
  }
}
