import Analysis
import MergedTree

/// The merged filesystem as the HTML report draws it: sizes, the layer that gave each file, its
/// waste category, and small entries folded into one aggregate per directory.
///
/// Geometry is not computed here: the report's script lays the tree out at whatever size the
/// browser window has, and again for each directory the reader zooms into. This value decides
/// what there is to draw, and guarantees the numbers: every directory's `bytes` and `files` equal
/// the merged tree's, aggregates included.
package struct Treemap: Sendable, Hashable {
  /// The root directory (`name` is `""`).
  package var root: TreemapNode
  /// Entries smaller than this were folded into their directory's aggregate.
  package var minBytes: Int64
  /// The waste categories that colour some entry, in the order of the total.
  package var categories: [String]
}

/// One rectangle of the treemap: a file, a directory, or the aggregate of a directory's small entries.
package struct TreemapNode: Sendable, Hashable {
  /// What the rectangle stands for.
  package enum Kind: Sendable, Hashable {
    /// A file (any non-directory) of at least `Treemap.minBytes`.
    case file
    /// A directory of at least `Treemap.minBytes`, with its children.
    case directory
    /// Everything in one directory smaller than `Treemap.minBytes`, subtrees included.
    case aggregate
  }

  /// What it is.
  package var kind: Kind
  /// The last path component (`""` for the root and for aggregates).
  package var name: String
  /// Bytes of the final filesystem under it.
  package var bytes: Int64
  /// Non-directory paths under it (1 for a file).
  package var files: Int
  /// The layer that gave a file's content; for an aggregate, the layer that gave most of its
  /// bytes; `-1` for directories (and for an aggregate of empty entries).
  package var layer: Int
  /// A file's waste category; for an aggregate, the category of most of its bytes (nil when most
  /// of them are no waste); nil for directories.
  package var waste: String?
  /// A directory's children, largest first (an aggregate last among equals).
  package var children: [TreemapNode]

  /// Creates a node.
  package init(
    kind: Kind, name: String, bytes: Int64, files: Int, layer: Int = -1, waste: String? = nil,
    children: [TreemapNode] = []
  ) {
    self.kind = kind
    self.name = name
    self.bytes = bytes
    self.files = files
    self.layer = layer
    self.waste = waste
    self.children = children
  }
}

/// How finely the treemap keeps entries.
package struct TreemapOptions: Sendable, Hashable {
  /// The area, in CSS pixels, the whole filesystem is first drawn into.
  package var referenceArea: Double = 1000 * 640
  /// Entries that would cover fewer square pixels than this in that first view are folded into
  /// their directory's aggregate.
  package var minArea: Double = 16
  /// The most entries kept, whatever the image: the threshold rises until at most this many
  /// files and directories stay (it bounds the report's size).
  package var maxEntries = 40_000
  /// A threshold in bytes chosen by the user, instead of the one `minArea` gives.
  package var minBytes: Int64?

  /// The defaults.
  package init() {}
}
