import ImageModel

/// Finds a node by its parent and name: one open-addressing table of node indices for the whole
/// tree, instead of a hash table of names in every directory.
///
/// A directory's children are also linked through `FileNode.firstChild` / `nextSibling`, so the
/// table only answers "which child is called this". Nodes are never taken out of a tree (removal
/// only marks them), so the table only grows. Five bytes a slot, at most half the slots used:
/// for 20,000 paths 320 kB, where a dictionary per directory took 0.9 MB.
///
/// Each slot also keeps eight bits of its node's hash (`tags`, a byte array of its own): a probe
/// walks the tags, which lie packed in one or two cache lines, and looks at a node (its parent
/// and name, far apart in memory) only when the tag agrees. A new name, which walks to an empty
/// slot, read up to about 2.5 nodes (linear probing at half full) and now reads almost none.
struct ChildIndex: Sendable {
  /// Node index + 1 in each slot (meaningful where the tag is not 0).
  private var slots: [UInt32] = Array(repeating: 0, count: 64)
  /// Eight bits of each slot's hash, never 0; 0 marks an empty slot.
  private var tags: [UInt8] = Array(repeating: 0, count: 64)
  private var count = 0
  /// The low 32 bits of each inserted node's hash, by node index (0 for the root, which is
  /// never inserted), while the tree is merged: growing the table re-places nodes from these
  /// instead of hashing every name again. A tree merged as its layers are read cannot reserve
  /// its final size up front. Let go by `dropInsertHashes()` once merging ends.
  private var insertHashes: [UInt32] = []

  /// Makes room for `nodes` nodes at once, so that merging that many never rehashes the table.
  mutating func reserve(_ nodes: Int) {
    var wanted = slots.count
    while nodes * 2 > wanted { wanted *= 2 }
    guard wanted > slots.count, count == 0 else { return }
    slots = Array(repeating: 0, count: wanted)
    tags = Array(repeating: 0, count: wanted)
  }

  /// The child of `parent` called `name`, if any.
  func find(_ name: String, under parent: Int32, in nodes: [FileNode]) -> Int32? {
    probe(from: Self.hash(name, parent), under: parent, in: nodes) { ExactName.sameBytes($0, name) }
  }

  /// The child of `parent` called `name` (a component cut from a longer path), if any.
  func find(_ name: Substring, under parent: Int32, in nodes: [FileNode]) -> Int32? {
    probe(from: Self.hash(name, parent), under: parent, in: nodes) { ExactName.sameBytes($0, name) }
  }

  /// The child of `parent` whose name has the UTF-8 bytes `name` (cut from a path in place).
  func find(bytes name: UnsafeBufferPointer<UInt8>, under parent: Int32, in nodes: [FileNode]) -> Int32? {
    var hasher = Hasher()
    hasher.combine(parent)
    // As ExactName.hashBytes feeds a name: its bytes, then 0xFF.
    hasher.combine(bytes: UnsafeRawBufferPointer(name))
    hasher.combine(UInt8(0xFF))
    return probe(from: hasher.finalize(), under: parent, in: nodes) { candidate in
      var candidate = candidate
      return candidate.withUTF8 { ExactName.sameBytes($0, name) }
    }
  }

  /// Walks the slots from `hash`'s until an empty one, for the child of `parent` whose name
  /// `matches`.
  @inline(__always)
  private func probe(from hash: Int, under parent: Int32, in nodes: [FileNode], matches: (String) -> Bool) -> Int32? {
    let mask = slots.count - 1
    let tag = Self.tag(hash)
    var slot = hash & mask
    while tags[slot] != 0 {
      if tags[slot] == tag {
        let candidate = Int(slots[slot] - 1)
        if nodes[candidate].parent == parent && matches(nodes[candidate].name) { return Int32(candidate) }
      }
      slot = (slot + 1) & mask
    }
    return nil
  }

  /// Bits 24 to 31 of `hash` (the slot comes from the lowest ones), never 0: within the low
  /// 32 bits that `insertHashes` keeps.
  private static func tag(_ hash: Int) -> UInt8 { UInt8(truncatingIfNeeded: UInt(bitPattern: hash) >> 24) | 1 }

  /// Records `node` (already in `nodes`, with its parent and name set) under its parent; its
  /// name and parent hash to `hash` (from `findOrHash`).
  mutating func insert(_ node: Int32, hash: Int, in nodes: [FileNode]) {
    if (count + 1) * 2 > slots.count { grow(nodes) }
    let kept = UInt32(truncatingIfNeeded: hash)
    if insertHashes.count == Int(node) {
      insertHashes.append(kept)
    } else {
      if insertHashes.count < Int(node) {
        insertHashes.append(contentsOf: repeatElement(0, count: Int(node) - insertHashes.count))
        insertHashes.append(kept)
      } else {
        insertHashes[Int(node)] = kept
      }
    }
    place(node, hash: hash)
    count += 1
  }

  /// The child of `parent` called `name`; when there is none, the hash `insert(_:hash:in:)`
  /// needs for a new child of that name (computed once for both).
  func findOrHash(_ name: String, under parent: Int32, in nodes: [FileNode]) -> (found: Int32?, hash: Int) {
    let hash = Self.hash(name, parent)
    return (probe(from: hash, under: parent, in: nodes) { ExactName.sameBytes($0, name) }, hash)
  }

  /// Lets go of the hashes kept for growing the table (after merging: nothing is inserted then;
  /// an insert after it would hash the names again to grow).
  mutating func dropInsertHashes() { insertHashes = [] }

  /// Puts `node` in the slot for `hash` (its low 32 bits are enough: a table never has 2³² slots).
  private mutating func place(_ node: Int32, hash: Int) {
    let mask = slots.count - 1
    var slot = hash & mask
    while tags[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = UInt32(node) + 1
    tags[slot] = Self.tag(hash)
  }

  private mutating func grow(_ nodes: [FileNode]) {
    let old = slots
    let oldTags = tags
    slots = Array(repeating: 0, count: old.count * 2)
    tags = Array(repeating: 0, count: old.count * 2)
    for (entry, tag) in zip(old, oldTags) where tag != 0 {
      let node = Int(entry - 1)
      let hash =
        node < insertHashes.count
        ? Int(insertHashes[node]) : Int(UInt32(truncatingIfNeeded: Self.hash(nodes[node].name, nodes[node].parent)))
      place(Int32(node), hash: hash)
    }
  }

  /// Names are told apart by their bytes (`ExactName`), as the kernel does; a `Substring`
  /// hashes as the `String` of the same bytes does, so either finds the child.
  private static func hash(_ name: String, _ parent: Int32) -> Int {
    var hasher = Hasher()
    hasher.combine(parent)
    ExactName.hashBytes(name, into: &hasher)
    return hasher.finalize()
  }

  private static func hash(_ name: Substring, _ parent: Int32) -> Int {
    var hasher = Hasher()
    hasher.combine(parent)
    ExactName.hashBytes(name, into: &hasher)
    return hasher.finalize()
  }
}

/// The children of one node, present or removed, newest first, walked through the sibling links.
package struct ChildNodes: Sequence, Sendable {
  let nodes: [FileNode]
  let first: Int32

  package struct Iterator: IteratorProtocol {
    let nodes: [FileNode]
    var upcoming: Int32

    package mutating func next() -> Int32? {
      guard upcoming >= 0 else { return nil }
      defer { upcoming = nodes[Int(upcoming)].nextSibling }
      return upcoming
    }
  }

  package func makeIterator() -> Iterator { Iterator(nodes: nodes, upcoming: first) }
}
