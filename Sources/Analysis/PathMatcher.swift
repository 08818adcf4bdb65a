import ImageModel
import MergedTree

/// Many `Glob` patterns compiled into one matcher that says which pattern matches a path first
/// (in the order given), trying for each path only the patterns that can match it.
///
/// Patterns of the common shapes become byte tests: a literal path (`/usr/bin/make`), a literal
/// directory and everything below it (`/var/lib/apt/lists/**`), a name or a name's ends at any
/// depth (`**/.DS_Store`, `**/*.pyc`, `/usr/bin/gcc*`), a run of literal directories at any depth
/// (`**/__pycache__/**`). They are found through tables: by the path's top-level directory, by
/// its last byte, by each of its directory names. Other patterns (`[a-z]`, `?`, several `*` in one
/// name, `**` in the middle) are matched as globs, the ones anchored at a top-level directory
/// only for paths under it. The answer is always that of trying every glob in order.
package struct PathMatcher: Sendable {
  /// What a pattern compiled to.
  enum Test: Sendable {
    /// The path is exactly these bytes.
    case exact([UInt8])
    /// The path is these bytes or lies below them.
    case under([UInt8])
    /// The path starts with `directory` (ending in `/`), and the rest is one name matching
    /// the `*`-separated `pieces`.
    case nameIn(directory: [UInt8], pieces: [[UInt8]])
    /// The path starts with `directory` (ending in `/`), then a name matching `pieces`, then
    /// the end or `/` and anything.
    case nameUnder(directory: [UInt8], pieces: [[UInt8]])
    /// The last name is exactly these bytes (any directory).
    case lastName([UInt8])
    /// The last name matches the `*`-separated `pieces` (any directory).
    case name(pieces: [[UInt8]])
    /// `/`-joined literal names found as whole names anywhere in the path.
    case contains([UInt8])
    /// Anything else.
    case glob(Glob)
  }

  /// The patterns in order, as given (for paths the byte tests do not fit).
  let globs: [Glob]
  /// The patterns in order, compiled.
  let tests: [Test]
  /// The patterns anchored at a top-level name, by the hash of that name.
  private let anchored: [UInt64: [Int]]
  /// `.name` patterns, by their last byte (an empty tail: every byte, in `anyLastByte`).
  private let byLastByte: [[Int]]
  /// `.contains` patterns, by the hash of their first name.
  private let byName: [UInt64: [Int]]
  /// The patterns that must be tried for every path.
  private let always: [Int]
  /// `tests` as plain values over one byte table, for running: a `Test` holds arrays, and
  /// taking one out of `tests` for every path retained and released them (a quarter of the
  /// matcher's time).
  private let flat: FlatTests

  /// Compiles `globs`; `firstMatch` answers with an index into them.
  package init(_ globs: [Glob]) {
    var tests: [Test] = []
    var anchored: [UInt64: [Int]] = [:]
    var byLastByte = [[Int]](repeating: [], count: 256)
    var byName: [UInt64: [Int]] = [:]
    var always: [Int] = []
    for (order, glob) in globs.enumerated() {
      let test = Self.compile(glob)
      tests.append(test)
      switch test {
      case .exact(let bytes), .under(let bytes), .nameIn(let bytes, _), .nameUnder(let bytes, _):
        anchored[Self.hash(Self.topName(bytes)), default: []].append(order)
      case .lastName, .name:
        if let last = Self.lastByte(test) {
          byLastByte[Int(last)].append(order)
        } else {
          always.append(order)
        }
      case .contains(let bytes):
        byName[Self.hash(Self.topName(bytes)), default: []].append(order)
      case .glob:
        let parts = glob.components
        if let first = parts.first, glob.pattern.hasPrefix("/"), Self.isLiteral(first) {
          anchored[Self.hash(Array(first.utf8)), default: []].append(order)
        } else {
          always.append(order)
        }
      }
    }
    self.globs = globs
    self.tests = tests
    self.anchored = anchored
    self.byLastByte = byLastByte
    self.byName = byName
    self.always = always
    self.flat = FlatTests(tests)
  }

  /// The index of the first pattern that matches the `/`-rooted `path`, or nil.
  package func firstMatch(_ path: String) -> Int? {
    var bytes = path
    return bytes.withUTF8 { firstMatch($0) { path } }
  }

  /// The first matching pattern of every node of `tree` that `wanted` accepts, by node, found in
  /// one walk that builds each `/`-rooted path in one buffer: no string per path (only globs
  /// that are not byte tests get one). The patterns a directory's names bring up (by its
  /// top-level name, by each of its names) are looked up once per directory, not once per path
  /// below it, and a directory drops those that cannot match below it (`/usr/bin/gcc*` below
  /// `/usr/share`), so that a path is tried against the few that lie on its way.
  package func firstMatches(in tree: FileTree, where wanted: (Int32) -> Bool) -> [Int32: Int] {
    var found: [Int32: Int] = [:]
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1024)
    // The candidates of each directory on the walk's stack, by the position its entries hold.
    var prefixes: [[Int]] = [[]]
    // Whether each path is plain (`isPlain`) is known from its parent's and the bytes around the
    // `/` that joins them, not by scanning it whole.
    var stack: [(node: Int32, parentLength: Int, prefix: Int, depth: Int, parentPlain: Bool)] = [
      (FileTree.root, 0, 0, 0, true)
    ]
    while let (node, parentLength, prefix, depth, parentPlain) = stack.popLast() {
      buffer.removeSubrange(parentLength...)
      var own: [Int] = []
      var plain = true
      if node != FileTree.root {
        let before = buffer.last ?? 0
        buffer.append(UInt8(ascii: "/"))
        let nameStart = buffer.count
        buffer.append(contentsOf: tree.nodes[Int(node)].name.utf8)
        plain = parentPlain && buffer.count > nameStart && before < 0x80 && buffer[nameStart] < 0x80
        own = buffer.withUnsafeBufferPointer { bytes in
          ownCandidates(UnsafeBufferPointer(rebasing: bytes[nameStart...]), isTop: depth == 1)
        }
        if wanted(node) {
          let match = buffer.withUnsafeBufferPointer { bytes in
            plain
              ? firstMatch(bytes, prefixes[prefix], own) { String(decoding: bytes, as: UTF8.self) }
              : firstMatch(bytes) { String(decoding: bytes, as: UTF8.self) }
          }
          if let match { found[node] = match }
        }
      }
      // Any node may have children (a removed directory's stay under what replaced it).
      var children = tree.children(of: node).makeIterator()
      guard let first = children.next() else { continue }
      var childPrefix = prefix
      let inherited = own.isEmpty ? prefixes[prefix] : (prefixes[prefix] + own).sorted()
      let kept = buffer.withUnsafeBufferPointer { directory in
        inherited.filter { canMatch(below: directory, $0) }
      }
      if !own.isEmpty || kept.count != inherited.count {
        prefixes.append(kept)
        childPrefix = prefixes.count - 1
      }
      let length = buffer.count
      stack.append((first, length, childPrefix, depth + 1, plain))
      while let child = children.next() { stack.append((child, length, childPrefix, depth + 1, plain)) }
    }
    return found
  }

  /// Whether pattern `order` can match a path strictly below the plain `directory` (`""` for
  /// the root, else `/`-rooted without a trailing `/`). Anchored byte tests answer from their
  /// literal part: it must lie below the directory, or (`.under`, `.nameUnder`) hold it. The
  /// other patterns are kept.
  private func canMatch(below directory: UnsafeBufferPointer<UInt8>, _ order: Int) -> Bool {
    flat.withTables { tables in
      let test = tables.tests[order]
      let literal = tables.bytes(test.literal)
      /// Whether `bytes` starts with the directory and a `/`.
      func belowDirectory(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        Self.starts(bytes, with: directory) && bytes.count > directory.count
          && bytes[directory.count] == UInt8(ascii: "/")
      }
      switch test.kind {
      case .exact, .nameIn:
        return belowDirectory(literal)
      case .under:
        // Below the directory, or the directory is the literal or lies below it.
        return belowDirectory(literal)
          || (Self.starts(directory, with: literal)
            && (directory.count == literal.count || directory[literal.count] == UInt8(ascii: "/")))
      case .nameUnder:
        // The literal ends in `/`: below the directory, or the directory lies below it.
        return belowDirectory(literal) || Self.starts(directory, with: literal)
      case .lastName, .name, .contains, .glob:
        return true
      }
    }
  }

  /// The patterns one name of a path brings up: by its hash among the floating literal runs,
  /// and among the anchored patterns when it is the top-level name.
  private func ownCandidates(_ name: UnsafeBufferPointer<UInt8>, isTop: Bool) -> [Int] {
    let hash = Self.hash(name)
    var candidates = byName[hash] ?? []
    if isTop, let top = anchored[hash] { candidates = (candidates + top).sorted() }
    return candidates
  }

  /// `firstMatch` on the path's bytes; `path` makes its string for the patterns that need one.
  func firstMatch(_ bytes: UnsafeBufferPointer<UInt8>, path: () -> String) -> Int? {
    guard Self.isPlain(bytes) else {
      let text = path()
      return globs.firstIndex { $0.matches(text) }
    }
    // The top-level name, then each name in turn for the floating literal runs.
    var candidates: [Int] = []
    var start = 1
    var isTop = true
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != UInt8(ascii: "/") { end += 1 }
      candidates += ownCandidates(UnsafeBufferPointer(rebasing: bytes[start..<end]), isTop: isTop)
      isTop = false
      start = end + 1
    }
    return firstMatch(bytes, candidates.sorted(), [], path: path)
  }

  /// The first pattern that matches the plain path `bytes` among the candidates its names
  /// bring up (`directory`'s and `own`, each in ascending order), those its last byte brings
  /// up, and those tried for every path.
  private func firstMatch(_ bytes: UnsafeBufferPointer<UInt8>, _ directory: [Int], _ own: [Int], path: () -> String)
    -> Int?
  {
    // Plain loops, no nested functions: variables they captured were checked for exclusive
    // access at every use (`swift_beginAccess`, a tenth of the matcher's instructions).
    var text: String?
    var best = Int.max
    flat.withTables { tables in
      // The four lists in turn, picked by number: an array of them was built and freed for
      // every path.
      for which in 0..<4 {
        let list: [Int]
        switch which {
        case 0: list = directory
        case 1: list = own
        case 2: list = bytes.last.map { byLastByte[Int($0)] } ?? []
        default: list = always
        }
        for order in list {
          if order >= best { break }
          let test = tables.tests[order]
          let matched: Bool
          if test.kind == .glob {
            // Most paths lack one of the pattern's literal runs: no string for them.
            if !Self.containsInOrder(bytes, globs[order].literals) { continue }
            if text == nil { text = path() }
            matched = globs[order].matches(text ?? "")
          } else {
            matched = Self.run(test, bytes, tables)
          }
          if matched {
            best = order
            break
          }
        }
      }
    }
    return best == Int.max ? nil : best
  }

  /// Whether the path is `/`-rooted with no empty name (no `//`, no trailing `/`) and no
  /// non-ASCII byte next to a `/` (where a combining mark would make `/` part of a larger
  /// character, which `Glob` does not split at): the shape the byte tests assume. Others go
  /// through every glob in order.
  static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.first == UInt8(ascii: "/") else { return false }
    if bytes.count == 1 { return true }
    var previous: UInt8 = 0
    for byte in bytes {
      if byte == UInt8(ascii: "/") {
        if previous == UInt8(ascii: "/") || previous >= 0x80 { return false }
      } else if byte >= 0x80 && previous == UInt8(ascii: "/") {
        return false
      }
      previous = byte
    }
    return previous != UInt8(ascii: "/")
  }

  /// Runs a byte test (`.glob` is run by the caller, with the path's string).
  private static func run(_ test: FlatTest, _ bytes: UnsafeBufferPointer<UInt8>, _ tables: FlatTests.Tables) -> Bool {
    let literal = tables.bytes(test.literal)
    switch test.kind {
    case .exact:
      return ExactName.sameBytes(bytes, literal)
    case .under:
      return starts(bytes, with: literal) && (bytes.count == literal.count || bytes[literal.count] == UInt8(ascii: "/"))
    case .nameIn:
      guard starts(bytes, with: literal) else { return false }
      let name = UnsafeBufferPointer(rebasing: bytes[literal.count...])
      return !name.contains(UInt8(ascii: "/")) && matchesName(name, test.pieces, tables)
    case .nameUnder:
      guard starts(bytes, with: literal) else { return false }
      let rest = bytes[literal.count...]
      let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
      return matchesName(UnsafeBufferPointer(rebasing: bytes[literal.count..<end]), test.pieces, tables)
    case .lastName:
      return ExactName.sameBytes(lastName(bytes), literal)
    case .name:
      return matchesName(lastName(bytes), test.pieces, tables)
    case .contains:
      return contains(bytes, literal)
    case .glob:
      return false
    }
  }

  /// The bytes after the last `/` (empty for the root).
  private static func lastName(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = bytes.count
    while start > 0 && bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
    return UnsafeBufferPointer(rebasing: bytes[start...])
  }

  /// Whether the non-empty `name` matches `pieces` (ranges of the byte table) joined by `*`: it
  /// starts with the first, ends with the last, and holds the others in order between them,
  /// without overlaps.
  private static func matchesName(
    _ name: UnsafeBufferPointer<UInt8>, _ pieces: Range<Int32>, _ tables: FlatTests.Tables
  ) -> Bool {
    guard !name.isEmpty, pieces.count >= 2 else { return false }
    let head = tables.bytes(tables.pieces[Int(pieces.lowerBound)])
    let tail = tables.bytes(tables.pieces[Int(pieces.upperBound) - 1])
    guard name.count >= head.count + tail.count, starts(name, with: head),
      ExactName.sameBytes(UnsafeBufferPointer(rebasing: name[(name.count - tail.count)...]), tail)
    else { return false }
    var position = head.count
    let limit = name.count - tail.count
    for index in (Int(pieces.lowerBound) + 1)..<(Int(pieces.upperBound) - 1) {
      let piece = tables.bytes(tables.pieces[index])
      if piece.isEmpty { continue }
      var found = false
      while position + piece.count <= limit {
        if ExactName.sameBytes(UnsafeBufferPointer(rebasing: name[position..<(position + piece.count)]), piece) {
          position += piece.count
          found = true
          break
        }
        position += 1
      }
      if !found { return false }
    }
    return true
  }

  /// The byte a path matched by a `.lastName` or `.name` test must end with, if one.
  private static func lastByte(_ test: Test) -> UInt8? {
    switch test {
    case .lastName(let name): return name.last
    case .name(let pieces): return pieces.last?.last
    default: return nil
    }
  }

  private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, with prefix: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.count >= prefix.count && ExactName.sameBytes(UnsafeBufferPointer(rebasing: bytes[0..<prefix.count]), prefix)
  }

  /// Whether `/run` occurs followed by `/` or the end.
  private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ run: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = run.count
    guard bytes.count > count else { return false }
    var index = 0
    while index + count < bytes.count {
      if bytes[index] == UInt8(ascii: "/")
        && ExactName.sameBytes(UnsafeBufferPointer(rebasing: bytes[(index + 1)...(index + count)]), run)
      {
        let after = index + count + 1
        if after == bytes.count || bytes[after] == UInt8(ascii: "/") { return true }
      }
      index += 1
    }
    return false
  }

  /// Whether the `literals` occur in `bytes` in their order, each after the end of the one
  /// before (what a glob's literal runs need of a matching path).
  private static func containsInOrder(_ bytes: UnsafeBufferPointer<UInt8>, _ literals: [[UInt8]]) -> Bool {
    var from = 0
    for literal in literals {
      guard let start = literal.withUnsafeBufferPointer({ ExactName.firstIndex(of: $0, in: bytes, from: from) })
      else { return false }
      from = start + literal.count
    }
    return true
  }

  /// FNV-1a of a name's bytes.
  static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  /// The first name of a `/`-started or bare literal path.
  private static func topName(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    let body = bytes.first == UInt8(ascii: "/") ? bytes[1...] : bytes[...]
    return body.prefix { $0 != UInt8(ascii: "/") }
  }

  static func isLiteral(_ component: String) -> Bool {
    !component.isEmpty && !component.utf8.contains(UInt8(ascii: "/"))
      && !component.unicodeScalars.contains(where: { "*?[\\".unicodeScalars.contains($0) })
  }

  /// A name pattern with `*` and nothing else special (not `**`), as the pieces between them.
  static func starPieces(_ component: String) -> [[UInt8]]? {
    let bytes = Array(component.utf8)
    guard bytes.contains(UInt8(ascii: "*")), component != "**", !bytes.contains(UInt8(ascii: "/")),
      !component.unicodeScalars.contains(where: { "?[\\".unicodeScalars.contains($0) })
    else { return nil }
    return bytes.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
  }

  /// The test of one pattern, from its components (`**` already added where `Glob` adds it).
  static func compile(_ glob: Glob) -> Test {
    let parts = glob.components
    func joined(_ names: ArraySlice<String>) -> [UInt8] { Array(names.joined(separator: "/").utf8) }
    if parts.isEmpty { return .glob(glob) }
    if parts[0] != "**" {
      // Anchored: literal names, then nothing, `**`, or one `head*tail` name.
      var literal = 0
      while literal < parts.count && isLiteral(parts[literal]) { literal += 1 }
      guard literal > 0 else { return .glob(glob) }
      let path = [UInt8(ascii: "/")] + joined(parts[..<literal])
      if literal == parts.count { return .exact(path) }
      let directory = path + [UInt8(ascii: "/")]
      if literal == parts.count - 1 {
        if parts[literal] == "**" { return .under(path) }
        if let pieces = starPieces(parts[literal]) { return .nameIn(directory: directory, pieces: pieces) }
      }
      if literal == parts.count - 2, parts[literal + 1] == "**", let pieces = starPieces(parts[literal]) {
        return .nameUnder(directory: directory, pieces: pieces)
      }
      return .glob(glob)
    }
    // Floating: `**` then one name, or `**`, literal names, `**`.
    let rest = parts.dropFirst()
    if rest.count == 1, let only = rest.first {
      if isLiteral(only) { return .lastName(Array(only.utf8)) }
      if let pieces = starPieces(only) { return .name(pieces: pieces) }
      return .glob(glob)
    }
    if rest.count >= 2, rest.last == "**", rest.dropLast().allSatisfy(isLiteral) {
      return .contains(joined(rest.dropLast()))
    }
    return .glob(glob)
  }
}
