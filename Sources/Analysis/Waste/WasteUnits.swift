import ImageModel
import MergedTree

/// One stored copy of a file: the version present in the final image, or a lower version that
/// a later layer deleted or overwrote. Waste is counted in these, each at most once.
struct FileUnit: Hashable {
  /// Node of the merged tree.
  var node: Int32
  /// -1 for the node's latest version, else the index into its earlier versions.
  var version: Int
  /// The layer whose tar holds the bytes.
  var layer: Int
  var size: Int64
  /// `/`-rooted path.
  var path: String
  /// For hidden copies: the layer that hid it, and whether by deleting.
  var hiddenBy: Int?
  var deleted: Bool
  var permissions: UInt32
  var uid: UInt32
  var gid: UInt32

  var isPresent: Bool { hiddenBy == nil }
  /// The layer-relative path content readers take (no leading `/`).
  var relativePath: String { String(path.dropFirst()) }
}

/// Enumerates every copy of every regular file of the tree.
enum FileUnits {
  static func all(in tree: FileTree) -> [FileUnit] {
    var units: [FileUnit] = []
    for (position, node) in tree.nodes.enumerated() where position > 0 {
      let index = Int32(position)
      let versions = tree.earlierVersions[index] ?? []
      guard node.kind == .regular || versions.contains(where: { $0.kind == .regular }) else { continue }
      let path = "/" + tree.path(of: index)
      for (number, version) in versions.enumerated() where version.kind == .regular {
        units.append(
          FileUnit(
            node: index, version: number, layer: Int(version.layer), size: version.size, path: path,
            hiddenBy: Int(version.hiddenBy), deleted: version.deleted, permissions: version.permissions,
            uid: version.uid, gid: version.gid))
      }
      if node.kind == .regular && node.layer >= 0 {
        units.append(
          FileUnit(
            node: index, version: -1, layer: Int(node.layer), size: node.size, path: path,
            hiddenBy: node.isPresent ? nil : Int(node.removedIn), deleted: !node.isPresent,
            permissions: node.permissions, uid: node.uid, gid: node.gid))
      }
    }
    return units
  }

  /// The copy that replaced `unit` (the next version of the same path), when it was overwritten.
  static func successor(of unit: FileUnit, in tree: FileTree) -> FileUnit? {
    guard unit.version >= 0, !unit.deleted else { return nil }
    let versions = tree.earlierVersions[unit.node] ?? []
    let node = tree.nodes[Int(unit.node)]
    if unit.version + 1 < versions.count {
      let next = versions[unit.version + 1]
      guard next.kind == .regular else { return nil }
      return FileUnit(
        node: unit.node, version: unit.version + 1, layer: Int(next.layer), size: next.size, path: unit.path,
        hiddenBy: Int(next.hiddenBy), deleted: next.deleted, permissions: next.permissions, uid: next.uid, gid: next.gid)
    }
    guard node.kind == .regular, node.layer >= 0 else { return nil }
    return FileUnit(
      node: unit.node, version: -1, layer: Int(node.layer), size: node.size, path: unit.path,
      hiddenBy: node.isPresent ? nil : Int(node.removedIn), deleted: !node.isPresent, permissions: node.permissions,
      uid: node.uid, gid: node.gid)
  }
}
