import ImageModel
import MergedTree

/// One version of a path: which layer wrote it, what it was, and which layer hid it.
package struct PathVersion: Sendable, Hashable {
  /// The layer that wrote it.
  package var layer: Int
  /// The layer that deleted or overwrote it, if any.
  package var hiddenBy: Int?
  /// Whether it was hidden by a deletion rather than overwritten.
  package var deleted: Bool
  /// What it was.
  package var kind: EntryKind
  /// Its size field.
  package var size: Int64
  /// Permission bits.
  package var permissions: UInt32
  /// Owner.
  package var uid: UInt32
  /// Group.
  package var gid: UInt32
  /// Link target (known for the latest version only).
  package var linkTarget: String?
  /// A directory no layer listed there: present because something under it is.
  package var implied: Bool

  /// Bytes of content it holds (regular files only).
  package var contentBytes: Int64 { kind == .regular ? size : 0 }
}

extension NodeTimeline {
  /// The version of `span` for `node`.
  package func version(_ span: Span, of node: Int32, in tree: FileTree) -> PathVersion {
    let latest = tree.nodes[Int(node)]
    let hiddenBy: Int? = span.until == Int32.max ? nil : Int(span.until)
    switch span.version {
    case NodeTimeline.latest:
      return PathVersion(
        layer: Int(span.from), hiddenBy: hiddenBy, deleted: hiddenBy != nil, kind: latest.kind, size: latest.size,
        permissions: latest.permissions, uid: latest.uid, gid: latest.gid, linkTarget: tree.linkTarget(of: node),
        implied: false)
    case NodeTimeline.implied:
      return PathVersion(
        layer: Int(span.from), hiddenBy: hiddenBy, deleted: false, kind: .directory, size: 0, permissions: 0o755,
        uid: 0,
        gid: 0, linkTarget: nil, implied: true)
    default:
      let versions = tree.earlierVersions[node] ?? []
      guard Int(span.version) < versions.count else {
        return PathVersion(
          layer: Int(span.from), hiddenBy: hiddenBy, deleted: false, kind: .unknown, size: 0, permissions: 0, uid: 0,
          gid: 0, linkTarget: nil, implied: false)
      }
      let old = versions[Int(span.version)]
      return PathVersion(
        layer: Int(old.layer), hiddenBy: Int(old.hiddenBy), deleted: old.deleted, kind: old.kind, size: old.size,
        permissions: old.permissions, uid: old.uid, gid: old.gid, linkTarget: nil, implied: false)
    }
  }

  /// What `node` is in `span`.
  package func kind(_ span: Span, of node: Int32, in tree: FileTree) -> EntryKind {
    switch span.version {
    case NodeTimeline.latest: return tree.nodes[Int(node)].kind
    case NodeTimeline.implied: return .directory
    default: return tree.earlierVersions[node]?[Int(span.version)].kind ?? .unknown
    }
  }

  /// Every version of `node`, oldest first.
  package func versions(of node: Int32, in tree: FileTree) -> [PathVersion] {
    spans(of: node).map { version($0, of: node, in: tree) }
  }

  /// The version present at `layer`, or, when the path was removed by `layer`, the one it
  /// removed.
  package func version(of node: Int32, at layer: Int, in tree: FileTree) -> PathVersion? {
    if let span = span(of: node, at: Int32(layer)) { return version(span, of: node, in: tree) }
    if layer > 0, let span = span(of: node, at: Int32(layer - 1)) { return version(span, of: node, in: tree) }
    return nil
  }
}
