import Analysis
import ImageModel
import MergedTree

/// The layers pane: one line per layer, bottom layer first, with the selection.
package struct LayerListModel: Sendable {
  /// One layer as listed.
  package struct Row: Sendable, Hashable {
    /// Position in the image.
    package var index: Int
    /// dive's layer size (sum of the tar's header sizes).
    package var bytes: Int64
    /// The command that made it, shortened (raw text: escape before drawing).
    package var command: String
    /// What it did to the tree.
    package var changes: LayerChanges
    /// Its digest (diffID, else the blob's), when known.
    package var digest: String?
  }

  /// The layers.
  package let rows: [Row]
  /// The selection and scroll position.
  package private(set) var cursor: ListCursor

  /// Lists the layers of `analysis`, with the top layer selected.
  package init(analysis: ImageAnalysis) {
    rows = analysis.layers.enumerated().map { index, layer in
      Row(
        index: index, bytes: layer.sizeBytes, command: CommandText.display(layer.descriptor.command),
        changes: layer.changes, digest: layer.descriptor.diffID ?? layer.descriptor.digest)
    }
    cursor = ListCursor(count: rows.count)
    cursor.select(rows.count - 1)
  }

  /// The selected layer.
  package var selected: Int { cursor.selected }

  /// Moves the selection by `delta` layers.
  package mutating func move(by delta: Int) { cursor.move(by: delta) }
  /// Moves the selection by pages.
  package mutating func page(by pages: Int) { cursor.page(by: pages) }
  /// Selects a layer.
  package mutating func select(_ index: Int) { cursor.select(index) }
  /// Sets the lines on screen.
  package mutating func setHeight(_ lines: Int) { cursor.setHeight(lines) }
}
