import ImageModel

/// The image's filesystem after applying every layer by the OCI rules, with attribution.
///
/// Nodes live in one array and refer to each other by index; removed paths stay in the tree
/// (marked with the layer that removed them) so that their bytes can still be accounted for.
/// A parent always has a lower index than its children.
package struct FileTree: Sendable {
  /// All nodes; index 0 is the root.
  package internal(set) var nodes: [FileNode]
  /// Earlier versions of paths that more than one layer wrote, by node index.
  package internal(set) var earlierVersions: [Int32: [NodeVersion]] = [:]
  /// What each layer did.
  package internal(set) var layerChanges: [LayerChanges] = []
  /// For each layer, how each of its entries changed the tree (aligned with the layer's entries).
  package internal(set) var entryChanges: [[ChangeKind]] = []
  /// For each layer, the node each of its entries landed on (aligned with the layer's entries;
  /// for markers the node of the path they name, `-1` when no such path exists).
  package internal(set) var entryNodes: [[Int32]] = []
  /// For each layer, the paths its markers removed.
  package internal(set) var removals: [[Removal]] = []
  /// Oddities found while merging (whiteouts of nothing, dangling hard links, duplicates).
  package internal(set) var anomalies: [Anomaly] = []
  /// Bytes under each node that are present in the final filesystem (computed after merging).
  package internal(set) var subtreeBytes: [Int64] = []
  /// Present non-directory paths under each node.
  package internal(set) var subtreeFiles: [Int32] = []
  /// Directory path → node. A path keeps its node forever (removal only marks it), so the
  /// index never goes stale; it spares walking from the root for every entry.
  /// Only needed while merging: emptied when the tree is built.
  var directoryIndex: [ExactName: Int32] = [ExactName(""): 0]
  /// Child by parent and name.
  var childIndex = ChildIndex()
  /// Link targets of the links' latest versions, by node: few nodes are links, so the nodes
  /// themselves do not carry a field for it (16 bytes each).
  var linkTargets: [Int32: String] = [:]
  /// For each hard link: the content it was linked to (target node, the layer of the target's
  /// version then, its size). Used when the target is later deleted or replaced.
  var hardLinkContent: [Int32: (target: Int32, layer: Int32, size: Int64)] = [:]
  /// Hard links that carry their content themselves, because their target no longer holds it:
  /// the bytes, and the layer that holds them.
  package internal(set) var orphanedLinks: [Int32: (bytes: Int64, layer: Int32)] = [:]

  /// An empty tree (only the root).
  package init() {
    nodes = [
      FileNode(
        name: "", parent: -1, kind: .directory, size: 0, permissions: 0o755, uid: 0, gid: 0,
        layer: -1, removedIn: -1, implicit: true)
    ]
  }

  /// Builds the tree of `layers`, bottom first.
  package init(layers: [LayerContents]) {
    self.init(expectedEntries: layers.reduce(0) { $0 + $1.entries.count })
    for layer in layers { merge(layer) }
    finishMerging()
  }

  /// An empty tree about to merge layers of `expectedEntries` entries in all, a layer at a time:
  /// `merge(_:)` each, bottom first, then `finishMerging()`. Between two merges the tree holds
  /// the layers merged so far, but only its nodes, children and per-entry records are complete
  /// (totals come with `finishMerging()`).
  package init(expectedEntries: Int) {
    self.init()
    nodes.reserveCapacity(expectedEntries + 1)
    childIndex.reserve(expectedEntries + 1)
  }

  /// Applies the next layer on top of the ones merged so far.
  package mutating func merge(_ layer: LayerContents) { apply(layer, index: Int32(layerChanges.count)) }

  /// Ends merging: computes the totals and lets go of what only merging needs.
  package mutating func finishMerging() {
    directoryIndex = [:]
    childIndex.dropInsertHashes()
    computeTotals()
  }

  /// The root node's index.
  package static let root: Int32 = 0

  // MARK: Queries

  /// The node at a normalised path (`""` is the root), present or removed.
  package func lookup(_ path: String) -> Int32? {
    // Components are cut from the path's bytes in place (empty ones skipped, as
    // PathName.forEachComponent does) and looked up as bytes: no Substring per component.
    var path = path
    return path.withUTF8 { bytes -> Int32? in
      var current = Self.root
      var start = 0
      for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
        if end > start {
          guard let next = child(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]), of: current) else {
            return nil
          }
          current = next
        }
        start = end + 1
      }
      return current
    }
  }

  /// The node's normalised path.
  package func path(of index: Int32) -> String {
    // Measured first, then written from the end into one buffer: one allocation, no list of
    // names (asked for every file the waste analysis compares or reports).
    var length = -1
    var current = index
    while current > 0 {
      length += nodes[Int(current)].name.utf8.count + 1
      current = nodes[Int(current)].parent
    }
    guard length > 0 else { return "" }
    return String(unsafeUninitializedCapacity: length) { buffer in
      var end = length
      var current = index
      while current > 0 {
        var name = nodes[Int(current)].name
        name.withUTF8 { bytes in
          let start = end - bytes.count
          _ = UnsafeMutableBufferPointer(rebasing: buffer[start..<end]).initialize(from: bytes)
          end = start
        }
        current = nodes[Int(current)].parent
        if current > 0 {
          end -= 1
          buffer[end] = UInt8(ascii: "/")
        }
      }
      return length
    }
  }

  /// The children of a node, present or removed, the most recently added first.
  package func children(of index: Int32) -> ChildNodes { ChildNodes(nodes: nodes, first: nodes[Int(index)].firstChild) }

  /// The target of the node's latest version when that is a symlink or hard link.
  package func linkTarget(of index: Int32) -> String? { linkTargets[index] }

  /// The child of `index` called `name`, present or removed.
  package func child(_ name: String, of index: Int32) -> Int32? { childIndex.find(name, under: index, in: nodes) }

  /// The child of `index` whose name has the UTF-8 bytes `name` (cut from a path in place).
  package func child(bytes name: UnsafeBufferPointer<UInt8>, of index: Int32) -> Int32? {
    childIndex.find(bytes: name, under: index, in: nodes)
  }

  /// The child of `index` called `name` (a component cut from a longer path, no copy made).
  package func child(_ name: Substring, of index: Int32) -> Int32? { childIndex.find(name, under: index, in: nodes) }

  /// Children present in the final filesystem, sorted by name (UTF-8 byte order).
  package func presentChildren(of index: Int32) -> [Int32] {
    // Sorted by each name's first eight bytes as one number, the names themselves compared only
    // where those are equal: a directory of thousands of names is sorted without thousands of
    // string comparisons (a CSV report sorts every directory of the image).
    let nodes = nodes
    var keyed: [(prefix: UInt64, node: Int32)] = []
    for child in ChildNodes(nodes: nodes, first: nodes[Int(index)].firstChild) where nodes[Int(child)].isPresent {
      keyed.append((Self.orderPrefix(nodes[Int(child)].name), child))
    }
    keyed.sort {
      $0.prefix != $1.prefix
        ? $0.prefix < $1.prefix : ExactName.bytesPrecede(nodes[Int($0.node)].name, nodes[Int($1.node)].name)
    }
    return keyed.map(\.node)
  }

  /// The first eight UTF-8 bytes of `name`, big-endian, zeros after a shorter name: ordered as
  /// the names' bytes are, up to a tie (a name holds no NUL, so a shorter name's zeros sort it
  /// first, as byte order does).
  static func orderPrefix(_ name: String) -> UInt64 {
    var prefix: UInt64 = 0
    var shift: UInt64 = 56
    for byte in name.utf8.prefix(8) {
      prefix |= UInt64(byte) << shift
      shift &-= 8
    }
    return prefix
  }

  /// Bytes of the final filesystem.
  package var totalBytes: Int64 { subtreeBytes.first ?? 0 }
  /// Non-directory paths in the final filesystem.
  package var fileCount: Int { Int(subtreeFiles.first ?? 0) }
  /// Directories in the final filesystem, the root not counted.
  package var directoryCount: Int { nodes.indices.dropFirst().count { isPresent($0) && isDirectory($0) } }

  /// Whether node `index` is in the final filesystem. Loops over the nodes in other modules ask
  /// this rather than `nodes[i].isPresent`: called there, a computed property of a node had the
  /// node copied out of the array first, its name retained and released (measured; stored
  /// fields such as `nodes[i].kind` are read in place).
  package func isPresent(_ index: Int) -> Bool { nodes[index].isPresent }

  /// Whether node `index` is a directory (see `isPresent(_:)`).
  package func isDirectory(_ index: Int) -> Bool { nodes[index].isDirectory }

  // MARK: Totals

  /// Bytes a node adds to the final filesystem: a regular file's size, and for a hard link whose
  /// target was deleted or replaced, the content it still holds (once per content).
  package func contentBytes(of index: Int32) -> Int64 {
    nodes[Int(index)].contentBytes + (orphanedLinks[index]?.bytes ?? 0)
  }

  /// Finds hard links whose content no longer lives at their target; one link per content
  /// carries the bytes.
  mutating func findOrphanedLinks() {
    var carried = Set<Int64>()
    for (link, content) in hardLinkContent.sorted(by: { $0.key < $1.key }) {
      let node = nodes[Int(link)]
      guard node.isPresent, node.kind == .hardlink else { continue }
      let target = nodes[Int(content.target)]
      if target.isPresent && target.kind == .regular && target.layer == content.layer { continue }
      let key = Int64(content.target) << 32 | Int64(content.layer)
      if carried.insert(key).inserted { orphanedLinks[link] = (content.size, content.layer) }
    }
  }

  mutating func computeTotals() {
    findOrphanedLinks()
    var bytes = [Int64](repeating: 0, count: nodes.count)
    var files = [Int32](repeating: 0, count: nodes.count)
    for index in stride(from: nodes.count - 1, through: 1, by: -1) {
      // Fields read in place: a copy of the node would retain and release its name.
      guard nodes[index].isPresent else { continue }
      bytes[index] += contentBytes(of: Int32(index))
      if !nodes[index].isDirectory { files[index] += 1 }
      let parent = Int(nodes[index].parent)
      bytes[parent] += bytes[index]
      files[parent] += files[index]
    }
    subtreeBytes = bytes
    subtreeFiles = files
  }
}
