/// Where each part of the screen goes for a terminal size.
///
/// Line 0 is the title bar; then the panes (on the left layers, the selected layer's details
/// when there is room, and waste; the tree on the right); then the details line and the key bar.
/// With waste findings off, the waste pane is one line saying so.
struct Layout: Sendable, Hashable {
  let size: TerminalSize
  /// The smallest usable terminal.
  static let minimum = TerminalSize(rows: 10, columns: 40)

  init(size: TerminalSize, layerCount: Int, wasteOff: Bool = false) {
    self.size = size
    paneHeight = max(2, size.rows - 3)
    leftWidth = max(20, min(size.columns * 9 / 20, 64))
    rightWidth = max(10, size.columns - leftWidth - 1)
    layerDetailsHeight = paneHeight >= 30 ? 9 : 0
    let room = paneHeight - layerDetailsHeight
    if wasteOff {
      layersHeight = max(2, room - 1)
    } else {
      layersHeight = max(2, min(layerCount + 1, max(4, (room + 1) / 2)))
    }
    wasteHeight = max(1, room - layersHeight)
  }

  /// Whether the terminal is too small to draw the panes.
  var tooSmall: Bool { size.rows < Self.minimum.rows || size.columns < Self.minimum.columns }
  /// First line of the panes.
  let paneTop = 1
  /// Lines of the panes.
  let paneHeight: Int
  /// Columns of the left column (layers, waste) and of the tree; a `│` between them.
  let leftWidth: Int
  let rightWidth: Int
  /// Lines of the layers pane and of the waste pane, headings included.
  let layersHeight: Int
  let wasteHeight: Int
  /// Lines of the layer details pane (0: no room; `i` shows them).
  let layerDetailsHeight: Int
  /// The details line and the status line.
  var detailsRow: Int { size.rows - 2 }
  var statusRow: Int { size.rows - 1 }

  /// Content lines (without headings) of each pane and of an overlay.
  var treeRows: Int { max(1, paneHeight - 1) }
  var layerRows: Int { max(1, layersHeight - 1) }
  var wasteRows: Int { max(1, wasteHeight - 1) }
  var layerDetailsRows: Int { max(0, layerDetailsHeight - 1) }
  var overlayRows: Int { max(1, paneHeight - 3) }
}
