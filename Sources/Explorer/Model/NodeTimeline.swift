import ImageModel
import MergedTree

/// Every path's versions laid out along the layers, so the tree "as of layer N" can be read
/// for any N without replaying the merge.
///
/// A version is present from the layer that wrote it up to (not including) the layer that hid
/// it. A directory is also present wherever one of its children is, even when the merge kept no
/// version of its own for that span (a directory first implied by a deeper path, then listed).
/// Spans are stored flat, node by node (`offsets[i]..<offsets[i + 1]`), oldest first.
package struct NodeTimeline: Sendable {
  /// One version of one path, and the layers where it is the one present.
  package struct Span: Sendable, Hashable {
    /// The first layer where it is present.
    package var from: Int32
    /// The layer that hid it (`Int32.max`: never hidden).
    package var until: Int32
    /// Which version: `latest`, `implied`, or an index into the tree's earlier versions.
    package var version: Int32

    /// Whether it is present at `layer`.
    package func contains(_ layer: Int32) -> Bool { from <= layer && layer < until }
  }

  /// The node's latest version (the `FileNode` itself).
  package static let latest: Int32 = -1
  /// A directory with no version of its own there, present because something under it is.
  package static let implied: Int32 = -2

  /// All spans, node after node.
  package let spans: [Span]
  /// Where each node's spans start; one more entry than there are nodes.
  package let offsets: [Int32]

  /// Lays out the versions of every node of `tree`.
  package init(tree: FileTree) {
    let count = tree.nodes.count
    var implied: [Int32: [Range<Int32>]] = [:]
    var coverage: [Int32: [Range<Int32>]] = [:]
    for position in stride(from: count - 1, through: 1, by: -1) {
      let index = Int32(position)
      var mine = Self.ownSpans(tree, index).map { $0.from..<$0.until }
      if let covered = coverage.removeValue(forKey: index) {
        let gaps = RangeSet32.subtract(covered, RangeSet32.union(mine))
        if !gaps.isEmpty {
          implied[index] = gaps
          mine += gaps
        }
      }
      let parent = tree.nodes[position].parent
      guard parent > 0, !mine.isEmpty else { continue }
      if let existing = coverage[parent], RangeSet32.covers(existing, mine) { continue }
      coverage[parent] = RangeSet32.union((coverage[parent] ?? []) + mine)
    }
    var spans: [Span] = [Span(from: Int32.min, until: Int32.max, version: Self.latest)]
    var offsets: [Int32] = [0]
    spans.reserveCapacity(count + count / 8)
    offsets.reserveCapacity(count + 1)
    for position in 1..<max(count, 1) {
      offsets.append(Int32(spans.count))
      let index = Int32(position)
      var own = Self.ownSpans(tree, index)
      if let gaps = implied[index] {
        own += gaps.map { Span(from: $0.lowerBound, until: $0.upperBound, version: Self.implied) }
        own.sort { $0.from < $1.from }
      }
      spans += own
    }
    offsets.append(Int32(spans.count))
    self.spans = spans
    self.offsets = offsets
  }

  /// The spans of a node, oldest first.
  package func spans(of node: Int32) -> ArraySlice<Span> {
    spans[Int(offsets[Int(node)])..<Int(offsets[Int(node) + 1])]
  }

  /// The span present at `layer`, if the path exists there.
  package func span(of node: Int32, at layer: Int32) -> Span? {
    let start = Int(offsets[Int(node)])
    let end = Int(offsets[Int(node) + 1])
    for position in start..<end where spans[position].contains(layer) { return spans[position] }
    return nil
  }

  private static func ownSpans(_ tree: FileTree, _ index: Int32) -> [Span] {
    let node = tree.nodes[Int(index)]
    var spans: [Span] = []
    for (number, version) in (tree.earlierVersions[index] ?? []).enumerated() where version.layer < version.hiddenBy {
      spans.append(Span(from: version.layer, until: version.hiddenBy, version: Int32(number)))
    }
    if node.layer >= 0 {
      let until = node.removedIn >= 0 ? node.removedIn : Int32.max
      if node.layer < until { spans.append(Span(from: node.layer, until: until, version: latest)) }
    }
    return spans
  }
}

/// Unions and differences of sorted, disjoint layer ranges.
enum RangeSet32 {
  /// The ranges merged into sorted, disjoint ones (touching ranges join).
  static func union(_ ranges: [Range<Int32>]) -> [Range<Int32>] {
    guard ranges.count > 1 else { return ranges }
    let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
    var result: [Range<Int32>] = []
    for range in sorted {
      if let last = result.last, range.lowerBound <= last.upperBound {
        result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        result.append(range)
      }
    }
    return result
  }

  /// Whether every range of `inner` lies inside one range of `outer`.
  static func covers(_ outer: [Range<Int32>], _ inner: [Range<Int32>]) -> Bool {
    inner.allSatisfy { range in
      outer.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
    }
  }

  /// The parts of `ranges` not in `removing` (both sorted and disjoint).
  static func subtract(_ ranges: [Range<Int32>], _ removing: [Range<Int32>]) -> [Range<Int32>] {
    var result: [Range<Int32>] = []
    for range in ranges {
      var pieces = [range]
      for cut in removing {
        pieces = pieces.flatMap { piece -> [Range<Int32>] in
          guard cut.overlaps(piece) else { return [piece] }
          var left: [Range<Int32>] = []
          if piece.lowerBound < cut.lowerBound { left.append(piece.lowerBound..<cut.lowerBound) }
          if cut.upperBound < piece.upperBound { left.append(cut.upperBound..<piece.upperBound) }
          return left
        }
      }
      result += pieces
    }
    return result
  }
}
