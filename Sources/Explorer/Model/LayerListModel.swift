import Analysis
import ImageModel
import MergedTree

/// The layers pane: one line per layer, bottom layer first, with the selection.
public struct LayerListModel: Sendable {
  /// One layer as listed.
  public struct Row: Sendable, Hashable {
    /// Position in the image.
    public var index: Int
    /// dive's layer size (sum of the tar's header sizes).
    public var bytes: Int64
    /// The command that made it, shortened (raw text: escape before drawing).
    public var command: String
    /// What it did to the tree.
    public var changes: LayerChanges
    /// Its digest (diffID, else the blob's), when known.
    public var digest: String?
  }

  /// The layers.
  public let rows: [Row]
  /// The selection and scroll position.
  public private(set) var cursor: ListCursor

  /// Lists the layers of `analysis`, with the top layer selected.
  public init(analysis: ImageAnalysis) {
    rows = analysis.layers.enumerated().map { index, layer in
      Row(
        index: index, bytes: layer.sizeBytes, command: CommandText.display(layer.descriptor.command),
        changes: layer.changes, digest: layer.descriptor.diffID ?? layer.descriptor.digest)
    }
    cursor = ListCursor(count: rows.count)
    cursor.select(rows.count - 1)
  }

  /// The selected layer.
  public var selected: Int { cursor.selected }

  /// Moves the selection by `delta` layers.
  public mutating func move(by delta: Int) { cursor.move(by: delta) }
  /// Moves the selection by pages.
  public mutating func page(by pages: Int) { cursor.page(by: pages) }
  /// Selects a layer.
  public mutating func select(_ index: Int) { cursor.select(index) }
  /// Sets the lines on screen.
  public mutating func setHeight(_ lines: Int) { cursor.setHeight(lines) }
}
