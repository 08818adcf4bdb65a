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
    // Every copy to compare, once, by position: the lists below and the reads' answers refer
    // to copies by their position, so the check hashes no path (a source that walks a layer
    // still finds the files by path).
    var copies: [Copy] = []
    var copyAt: [EntryLocator.LayerNode: Int] = [:]
    func copy(_ unit: FileUnit) -> Int? {
      if unit.size == 0 && fetcher.hasSource {
        result[unit.layer, default: [:]][unit.node] = Self.empty
        return nil
      }
      let key = EntryLocator.LayerNode(layer: unit.layer, node: unit.node)
      if let known = copyAt[key] { return known }
      copyAt[key] = copies.count
      copies.append(Copy(unit: unit))
      return copies.count - 1
    }
    let pairCopies = pairs.map { (copy($0.0), copy($0.1)) }
    let groupCopies = groups.map { $0.map(copy) }
    // Where each copy's entry is, found once; heads' too.
    var sizes = [EntryLocator.LayerNode: Int64](minimumCapacity: copies.count + heads.count)
    for unit in copies.map(\.unit) + heads {
      let key = EntryLocator.LayerNode(layer: unit.layer, node: unit.node)
      if sizes[key] == nil { sizes[key] = unit.size }
    }
    let entries = EntryLocator.entries(of: sizes, in: tree)
    func request(_ unit: FileUnit, prefix: Int64?, headLimit: Int) -> ContentRequest {
      ContentRequest(
        prefix: prefix, headLimit: headLimit,
        entry: entries[EntryLocator.LayerNode(layer: unit.layer, node: unit.node)])
    }
    var firstFiles: [Int: [FileRequest]] = [:]
    for index in copies.indices {
      let unit = copies[index].unit
      copies[index].firstSlot = firstFiles[unit.layer, default: []].count
      firstFiles[unit.layer, default: []].append(
        FileRequest(path: unit.relativePath(in: tree), request: request(unit, prefix: Self.firstBlock, headLimit: 0)))
    }
    // Heads come in the same pass, but for files that are candidates too (read apart after),
    // and when nothing can be read (each kind of request notes that, as before).
    var apart: [Int: [String: ContentRequest]] = [:]
    var headSlots: [(unit: FileUnit, path: String, slot: Int)] = []
    for unit in heads {
      let path = unit.relativePath(in: tree)
      if copyAt[EntryLocator.LayerNode(layer: unit.layer, node: unit.node)] != nil || !fetcher.hasSource {
        apart[unit.layer, default: [:]][path] = request(unit, prefix: nil, headLimit: Self.headLimit)
      } else {
        headSlots.append((unit, path, firstFiles[unit.layer, default: []].count))
        firstFiles[unit.layer, default: []].append(
          FileRequest(path: path, request: request(unit, prefix: Int64(Self.headLimit), headLimit: Self.headLimit)))
      }
    }
    let first = fetcher.read(files: firstFiles, purpose: .firstBlocks)
    var headsFound: [Int: [String: FileContent]] = [:]
    for (unit, path, slot) in headSlots {
      if let content = first[unit.layer]?.contents[slot] { headsFound[unit.layer, default: [:]][path] = content }
    }
    // What the first blocks leave open: equal first blocks of files longer than a block.
    func prefix(_ index: Int?) -> (fingerprint: UInt64, partial: Bool)? {
      guard let index, let read = first[copies[index].unit.layer],
        let content = read.contents[copies[index].firstSlot]
      else { return nil }
      return (content.fingerprint, read.partial[copies[index].firstSlot])
    }
    var wholeFiles: [Int: [FileRequest]] = [:]
    func needWhole(_ index: Int?) {
      guard let index, copies[index].wholeSlot < 0 else { return }
      let unit = copies[index].unit
      guard var file = firstFiles[unit.layer]?[copies[index].firstSlot] else { return }
      file.request = ContentRequest(prefix: nil, headLimit: 0, entry: file.request.entry)
      copies[index].wholeSlot = wholeFiles[unit.layer, default: []].count
      wholeFiles[unit.layer, default: []].append(file)
    }
    for (lower, upper) in pairCopies {
      guard let a = prefix(lower), let b = prefix(upper), a.fingerprint == b.fingerprint, a.partial || b.partial else {
        continue
      }
      needWhole(lower)
      needWhole(upper)
    }
    for group in groupCopies {
      var byPrefix: [UInt64: [Int]] = [:]
      for index in group {
        guard let index, let found = prefix(index), found.partial else { continue }
        byPrefix[found.fingerprint, default: []].append(index)
      }
      for same in byPrefix.values where same.count > 1 { same.forEach(needWhole) }
    }
    // Complete first blocks are whole fingerprints; partial ones are dropped, and whole ones
    // come for those that matched another.
    let whole = fetcher.read(files: wholeFiles, purpose: .wholeFiles)
    for item in copies {
      let layer = item.unit.layer
      if let read = first[layer], !read.partial[item.firstSlot], let content = read.contents[item.firstSlot] {
        result[layer, default: [:]][item.unit.node] = content
      }
      if item.wholeSlot >= 0, let content = whole[layer]?.contents[item.wholeSlot] {
        result[layer, default: [:]][item.unit.node] = content
      }
    }
    for (layer, read) in fetcher.read(apart, purpose: .sensitiveHeads) {
      headsFound[layer, default: [:]].merge(read.files) { _, apart in apart }
    }
    return (result, headsFound)
  }

  /// One copy compared: a file's version in one layer, and where it sits in the first pass's
  /// list of its layer (whose request names its path) and in the whole pass's (-1: not read
  /// whole).
  private struct Copy {
    var unit: FileUnit
    var firstSlot = -1
    var wholeSlot = -1

    init(unit: FileUnit) { self.unit = unit }
  }

  /// The fingerprint of empty content, as reading an empty file gives it (XXH3-64 of no bytes).
  /// Only empty files are ever compared with it: any value equal to itself would do.
  static let empty = FileContent(fingerprint: 0x2D06_8005_38D3_94C2, head: [], isComplete: true)
}
