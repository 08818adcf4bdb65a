import ImageModel
import MergedTree

/// Fingerprints for the files whose content the waste analysis compares (a lower and an upper
/// copy of a path, groups of files of one size), reading as little as the answers need.
///
/// Equal size is weak evidence of equal content, so each candidate's first block is read
/// first, in one forward pass per layer; only files longer than that block whose first block
/// matches another candidate's are then read whole (a second pass, over the layers that hold
/// them). Empty files are equal without reading. The fingerprints given back are of whole
/// contents (XXH3 of every byte), as if every candidate had been read whole, except that a file
/// whose first block matched no other's is left out: nothing can have its content. The heads of
/// files named like secrets are read in the first pass too, not in one of their own.
struct SameContentCheck {
  /// How many leading bytes are compared first.
  static let firstBlock: Int64 = 4096

  /// How many leading bytes of a file named like a secret are read to confirm it.
  static let headLimit = 64 * 1024

  let tree: FileTree
  private var pairs: [(FileUnit, FileUnit)] = []
  private var groups: [[FileUnit]] = []
  private var heads: [FileUnit] = []

  init(tree: FileTree) { self.tree = tree }

  /// Two copies of one path whose contents are compared (a rewrite).
  mutating func addPair(_ lower: FileUnit, _ upper: FileUnit) { pairs.append((lower, upper)) }

  /// Files of one size compared with each other (duplicates).
  mutating func addGroup(_ group: [FileUnit]) { groups.append(group) }

  /// A file whose first `headLimit` bytes are wanted (a secret's name), read in the same pass.
  mutating func addHead(_ unit: FileUnit) { heads.append(unit) }

  /// Whole-content fingerprints by layer, then node; and the heads asked for, by layer, then
  /// path (no leading `/`).
  func fingerprints(using fetcher: inout ContentFetcher) -> (
    fingerprints: [Int: [Int32: FileContent]], heads: [Int: [String: FileContent]]
  ) {
    var result: [Int: [Int32: FileContent]] = [:]
    // Each layer's requested paths and the nodes they name (a path names one node).
    var requests: [Int: [String: Int32]] = [:]
    var paths: [Int32: String] = [:]
    for unit in pairs.flatMap({ [$0.0, $0.1] }) + groups.joined() {
      if unit.size == 0 && fetcher.hasSource {
        result[unit.layer, default: [:]][unit.node] = Self.empty
        continue
      }
      let path = paths[unit.node] ?? unit.relativePath(in: tree)
      paths[unit.node] = path
      requests[unit.layer, default: [:]][path] = unit.node
    }
    // Where each copy's entry is: found once, kept in the first requests (a whole read asks for
    // the same entry), and let go before anything is read.
    var entries = EntryLocator.entries(
      of: Dictionary(
        (pairs.flatMap { [$0.0, $0.1] } + groups.joined() + heads).map {
          (EntryLocator.LayerNode(layer: $0.layer, node: $0.node), $0.size)
        }, uniquingKeysWith: { first, _ in first }),
      in: tree)
    func request(_ layer: Int, _ node: Int32, prefix: Int64?, headLimit: Int) -> ContentRequest {
      ContentRequest(
        prefix: prefix, headLimit: headLimit, entry: entries[EntryLocator.LayerNode(layer: layer, node: node)])
    }
    var firstRequests = requests.mapValues { _ in [String: ContentRequest]() }
    for (layer, nodes) in requests {
      for (path, node) in nodes {
        firstRequests[layer, default: [:]][path] = request(layer, node, prefix: Self.firstBlock, headLimit: 0)
      }
    }
    // Heads come in the same pass, but for files that are candidates too (read apart after),
    // and when nothing can be read (each kind of request notes that, as before).
    var apart: [Int: [String: ContentRequest]] = [:]
    for unit in heads {
      let path = unit.relativePath(in: tree)
      if requests[unit.layer]?[path] != nil || !fetcher.hasSource {
        apart[unit.layer, default: [:]][path] = request(unit.layer, unit.node, prefix: nil, headLimit: Self.headLimit)
      } else {
        firstRequests[unit.layer, default: [:]][path] = request(
          unit.layer, unit.node, prefix: Int64(Self.headLimit), headLimit: Self.headLimit)
      }
    }
    entries = [:]
    let first = fetcher.read(firstRequests, purpose: .firstBlocks)
    var headsFound: [Int: [String: FileContent]] = [:]
    for unit in heads {
      let path = unit.relativePath(in: tree)
      if requests[unit.layer]?[path] == nil, let content = first[unit.layer]?.files[path] {
        headsFound[unit.layer, default: [:]][path] = content
      }
    }
    // What the first blocks leave open: equal first blocks of files longer than a block.
    func prefix(_ unit: FileUnit) -> (fingerprint: UInt64, partial: Bool)? {
      guard let path = paths[unit.node], let read = first[unit.layer], let content = read.files[path] else {
        return nil
      }
      return (content.fingerprint, read.partial.contains(path))
    }
    var wholeRequests: [Int: [String: ContentRequest]] = [:]
    func needWhole(_ unit: FileUnit) {
      if let path = paths[unit.node] {
        wholeRequests[unit.layer, default: [:]][path] = ContentRequest(
          prefix: nil, headLimit: 0, entry: firstRequests[unit.layer]?[path]?.entry)
      }
    }
    for (lower, upper) in pairs {
      guard let a = prefix(lower), let b = prefix(upper), a.fingerprint == b.fingerprint, a.partial || b.partial else {
        continue
      }
      needWhole(lower)
      needWhole(upper)
    }
    for group in groups {
      var byPrefix: [UInt64: [FileUnit]] = [:]
      for unit in group {
        guard let found = prefix(unit), found.partial else { continue }
        byPrefix[found.fingerprint, default: []].append(unit)
      }
      for same in byPrefix.values where same.count > 1 { same.forEach(needWhole) }
    }
    // Complete first blocks are whole fingerprints; partial ones are dropped, and whole ones
    // come for those that matched another.
    for (layer, read) in first {
      guard let nodes = requests[layer] else { continue }
      for (path, content) in read.files where !read.partial.contains(path) {
        if let node = nodes[path] { result[layer, default: [:]][node] = content }
      }
    }
    for (layer, read) in fetcher.read(wholeRequests, purpose: .wholeFiles) {
      guard let nodes = requests[layer] else { continue }
      for (path, content) in read.files {
        if let node = nodes[path] { result[layer, default: [:]][node] = content }
      }
    }
    for (layer, read) in fetcher.read(apart, purpose: .sensitiveHeads) {
      headsFound[layer, default: [:]].merge(read.files) { _, apart in apart }
    }
    return (result, headsFound)
  }

  /// The fingerprint of empty content, as reading an empty file gives it (XXH3-64 of no bytes).
  /// Only empty files are ever compared with it: any value equal to itself would do.
  static let empty = FileContent(fingerprint: 0x2D06_8005_38D3_94C2, head: [], isComplete: true)
}
