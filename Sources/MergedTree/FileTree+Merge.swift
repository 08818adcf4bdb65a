import ImageModel

extension FileTree {
  /// Applies one layer on top of the tree: its whiteouts and opaque markers first (they act on
  /// the layers below), then its entries in archive order.
  mutating func apply(_ layer: LayerContents, index: Int32) {
    var changes = LayerChanges()
    changes.entries = layer.entries.count
    var kinds = [ChangeKind](repeating: .ignored, count: layer.entries.count)
    var landed = [Int32](repeating: -1, count: layer.entries.count)
    var layerRemovals: [Removal] = []
    // By position, each entry passed in place: iterating the entries would copy each one
    // (three strings retained and released).
    let entries = layer.entries
    for position in entries.indices where entries[position].kind.isMarker {
      (kinds[position], landed[position]) = applyMarker(
        entries[position], layer: index, changes: &changes, removals: &layerRemovals)
    }
    var cache = ParentCache()
    for position in entries.indices where !entries[position].kind.isMarker {
      (kinds[position], landed[position]) = applyEntry(
        entries[position], layer: index, changes: &changes, cache: &cache)
    }
    layerChanges.append(changes)
    entryChanges.append(kinds)
    entryNodes.append(landed)
    removals.append(layerRemovals)
  }

  /// The directory the previous entry went into, or was: tar entries come grouped by
  /// directory, a directory's own entry first, so most entries skip the walk from the root.
  struct ParentCache {
    var path = ""
    var node: Int32 = -1

    /// The cached node when `directory` is the cached directory.
    func node(for directory: String, in tree: FileTree) -> Int32? {
      guard node >= 0, ExactName.sameBytes(directory, path) else { return nil }
      return tree.nodes[Int(node)].isPresent && tree.nodes[Int(node)].isDirectory ? node : nil
    }
  }

  private mutating func applyMarker(
    _ entry: LayerEntry, layer: Int32, changes: inout LayerChanges, removals: inout [Removal]
  ) -> (ChangeKind, Int32) {
    let found = lookup(entry.path)
    guard let node = found, nodes[Int(node)].isPresent else {
      if entry.kind == .whiteout {
        anomalies.append(
          Anomaly(
            kind: .whiteoutOfMissingPath, layer: Int(layer), path: "/" + entry.path,
            message: "whiteout of '/\(entry.path)', which no lower layer has"))
      }
      return (.ignored, found ?? -1)
    }
    var targets: [Int32] = []
    if entry.kind == .whiteout {
      targets = [node]
    } else if nodes[Int(node)].isDirectory {
      targets = children(of: node).filter { nodes[Int($0)].isPresent }
    }
    for target in targets {
      let (files, bytes) = remove(target, by: layer)
      changes.removedFiles += files
      changes.removedBytes += bytes
      removals.append(Removal(path: path(of: target), files: files, bytes: bytes))
    }
    return (targets.isEmpty ? .ignored : .removed, node)
  }

  /// Marks everything present under the directory `index` as removed by `layer` (something
  /// that is not a directory takes its place).
  /// - Returns: the bytes that went.
  private mutating func removeContents(of index: Int32, by layer: Int32) -> Int64 {
    var bytes: Int64 = 0
    // Gathered first: walking the children keeps a reference to `nodes`, and `remove` changes
    // them (the array would be copied whole). `remove` skips what is already gone.
    for child in Array(children(of: index)) { bytes += remove(child, by: layer).bytes }
    return bytes
  }

  /// Marks a node and everything present under it as removed by `layer`.
  /// - Returns: the files and bytes that went.
  mutating func remove(_ start: Int32, by layer: Int32) -> (files: Int, bytes: Int64) {
    var files = 0
    var bytes: Int64 = 0
    var stack = [start]
    while let current = stack.popLast() {
      let node = nodes[Int(current)]
      guard node.isPresent else { continue }
      nodes[Int(current)].removedIn = layer
      if !node.isDirectory { files += 1 }
      bytes += node.contentBytes
      stack.append(contentsOf: children(of: current))
    }
    return (files, bytes)
  }

  private mutating func applyEntry(
    _ entry: LayerEntry, layer: Int32, changes: inout LayerChanges, cache: inout ParentCache
  ) -> (ChangeKind, Int32) {
    let parent: Int32
    if let cached = cache.node(for: entry.directory, in: self) {
      parent = cached
    } else {
      let parentPath = entry.directory
      if let known = directoryIndex[ExactName(parentPath)], nodes[Int(known)].isPresent, nodes[Int(known)].isDirectory {
        parent = known
      } else {
        var walked = Self.root
        var walkedPath = ""
        for component in PathName.components(of: parentPath) {
          walked = ensureDirectory(String(component), under: walked, layer: layer, changes: &changes)
          walkedPath = walkedPath.appendingComponent(String(component))
          directoryIndex[ExactName(walkedPath)] = walked
        }
        parent = walked
      }
      cache.path = parentPath
      cache.node = parent
    }
    let name = entry.name
    guard !name.isEmpty else { return (.ignored, -1) }
    let (kind, node) = place(entry, name: name, under: parent, layer: layer, changes: &changes)
    if entry.kind == .directory && node >= 0 {
      // The entries that follow are most likely its own, and a later one may come back to it
      // after a subdirectory: found without walking from the root either way.
      let path = entry.path
      directoryIndex[ExactName(path)] = node
      cache.path = path
      cache.node = node
    }
    return (kind, node)
  }

  private mutating func place(
    _ entry: LayerEntry, name: String, under parent: Int32, layer: Int32, changes: inout LayerChanges
  ) -> (ChangeKind, Int32) {
    let isDirectory = entry.kind == .directory
    let (found, hash) = childIndex.findOrHash(name, under: parent, in: nodes)
    guard let existing = found else {
      let created = addNode(name, under: parent, entry: entry, layer: layer, hash: hash)
      countAdded(entry, changes: &changes)
      checkHardLink(entry, layer: layer)
      return (.added, created)
    }
    let old = nodes[Int(existing)]
    if !old.isPresent {
      record(existing, hiddenBy: old.removedIn, deleted: true)
      overwrite(existing, with: entry, layer: layer)
      countAdded(entry, changes: &changes)
      checkHardLink(entry, layer: layer)
      return (.added, existing)
    }
    if old.layer == layer && !old.implicit {
      anomalies.append(
        Anomaly(
          kind: .duplicateEntry, layer: Int(layer), path: "/" + entry.path,
          message: "'/\(entry.path)' appears twice in the layer; the later entry wins"))
      return (replaceWithinLayer(existing, with: entry, layer: layer, changes: &changes), existing)
    }
    if isDirectory && old.isDirectory {
      let same = old.permissions == entry.permissions && old.uid == entry.uid && old.gid == entry.gid
      if same && !old.implicit { return (.unchanged, existing) }
      if !old.implicit { record(existing, hiddenBy: layer, deleted: false) }
      overwrite(existing, with: entry, layer: layer)
      changes.changedDirectories += 1
      return (.changed, existing)
    }
    // A file over anything, or a directory over a non-directory: the lower version is hidden.
    if old.isDirectory { changes.overwrittenBytes += removeContents(of: existing, by: layer) }
    changes.overwrittenBytes += old.contentBytes
    if old.layer != layer || old.implicit { record(existing, hiddenBy: layer, deleted: false) }
    overwrite(existing, with: entry, layer: layer)
    if isDirectory {
      changes.changedDirectories += 1
    } else {
      changes.changedFiles += 1
      changes.changedBytes += entry.kind == .regular ? entry.size : 0
    }
    checkHardLink(entry, layer: layer)
    return (.changed, existing)
  }

  /// The same path listed again in the layer that already wrote it: the later entry wins, and
  /// the layer's counts are corrected instead of counting a change below.
  private mutating func replaceWithinLayer(
    _ index: Int32, with entry: LayerEntry, layer: Int32, changes: inout LayerChanges
  ) -> ChangeKind {
    let old = nodes[Int(index)]
    let replacedLower = earlierVersions[index]?.last?.hiddenBy == layer
    let oldBytes = old.kind == .regular ? old.size : 0
    let newBytes = entry.kind == .regular ? entry.size : 0
    if old.isDirectory && entry.kind != .directory { changes.overwrittenBytes += removeContents(of: index, by: layer) }
    let wasDirectory = old.isDirectory
    let isDirectory = entry.kind == .directory
    if replacedLower {
      if wasDirectory { changes.changedDirectories -= 1 } else { changes.changedFiles -= 1 }
      if isDirectory { changes.changedDirectories += 1 } else { changes.changedFiles += 1 }
      changes.changedBytes += newBytes - oldBytes
    } else {
      if wasDirectory { changes.addedDirectories -= 1 } else { changes.addedFiles -= 1 }
      if isDirectory { changes.addedDirectories += 1 } else { changes.addedFiles += 1 }
      changes.addedBytes += newBytes - oldBytes
    }
    overwrite(index, with: entry, layer: layer)
    checkHardLink(entry, layer: layer)
    return replacedLower ? .changed : .added
  }

  private func countAdded(_ entry: LayerEntry, changes: inout LayerChanges) {
    if entry.kind == .directory {
      changes.addedDirectories += 1
    } else {
      changes.addedFiles += 1
      changes.addedBytes += entry.kind == .regular ? entry.size : 0
    }
  }

  /// The directory `name` under `parent`, created (implicitly) or restored when needed.
  private mutating func ensureDirectory(_ name: String, under parent: Int32, layer: Int32, changes: inout LayerChanges)
    -> Int32
  {
    let implicitEntry = LayerEntry(path: name, kind: .directory, permissions: 0o755)
    let (found, hash) = childIndex.findOrHash(name, under: parent, in: nodes)
    guard let existing = found else {
      let created = addNode(name, under: parent, entry: implicitEntry, layer: layer, hash: hash)
      nodes[Int(created)].implicit = true
      changes.addedDirectories += 1
      return created
    }
    let node = nodes[Int(existing)]
    if node.isPresent && node.isDirectory { return existing }
    if node.isPresent {
      // A lower file (or link) stands where this layer puts a directory: it is hidden.
      anomalies.append(
        Anomaly(
          kind: .parentIsNotDirectory, layer: Int(layer), path: "/" + path(of: existing),
          message: "'/\(path(of: existing))' is a \(node.kind.name) below but a directory in this layer; replaced"))
      changes.overwrittenBytes += node.contentBytes
      record(existing, hiddenBy: layer, deleted: false)
    } else {
      record(existing, hiddenBy: node.removedIn, deleted: true)
    }
    overwrite(existing, with: implicitEntry, layer: layer)
    nodes[Int(existing)].implicit = true
    changes.addedDirectories += 1
    return existing
  }

  /// Adds a node for `entry` called `name` under `parent`; `hash` is the child index's hash of
  /// that name and parent (`ChildIndex.findOrHash`).
  private mutating func addNode(_ name: String, under parent: Int32, entry: LayerEntry, layer: Int32, hash: Int)
    -> Int32
  {
    let index = Int32(nodes.count)
    nodes.append(
      FileNode(
        name: name, parent: parent, kind: entry.kind, size: entry.size, permissions: entry.permissions, uid: entry.uid,
        gid: entry.gid, layer: layer, removedIn: -1, implicit: false))
    if let target = entry.linkTarget { linkTargets[index] = target }
    nodes[Int(index)].nextSibling = nodes[Int(parent)].firstChild
    nodes[Int(parent)].firstChild = index
    childIndex.insert(index, hash: hash, in: nodes)
    return index
  }

  private mutating func overwrite(_ index: Int32, with entry: LayerEntry, layer: Int32) {
    nodes[Int(index)].kind = entry.kind
    nodes[Int(index)].size = entry.size
    nodes[Int(index)].permissions = entry.permissions
    nodes[Int(index)].uid = entry.uid
    nodes[Int(index)].gid = entry.gid
    linkTargets[index] = entry.linkTarget
    nodes[Int(index)].layer = layer
    nodes[Int(index)].removedIn = -1
    nodes[Int(index)].implicit = false
  }

  /// Keeps the node's current version as an earlier version.
  private mutating func record(_ index: Int32, hiddenBy layer: Int32, deleted: Bool) {
    let node = nodes[Int(index)]
    guard node.layer >= 0 else { return }
    let version = NodeVersion(
      layer: node.layer, kind: node.kind, size: node.size, permissions: node.permissions, uid: node.uid, gid: node.gid,
      hiddenBy: layer, deleted: deleted)
    earlierVersions[index, default: []].append(version)
  }

  private mutating func checkHardLink(_ entry: LayerEntry, layer: Int32) {
    guard entry.kind == .hardlink, let target = entry.linkTarget else { return }
    if target != entry.path, let node = lookup(target), nodes[Int(node)].isPresent {
      var resolved = node
      // A link to a link shares the first link's content.
      if nodes[Int(node)].kind == .hardlink, let content = hardLinkContent[node] { resolved = content.target }
      let content = nodes[Int(resolved)]
      if content.kind == .regular, let link = lookup(entry.path) {
        hardLinkContent[link] = (resolved, content.layer, content.size)
      }
      return
    }
    anomalies.append(
      Anomaly(
        kind: .danglingHardLink, layer: Int(layer), path: "/" + entry.path,
        message: "hard link '/\(entry.path)' points to '/\(target)', which is not in the image"))
  }
}
