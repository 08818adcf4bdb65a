import Analysis
import ImageModel
import MergedTree

/// The explorer's panes, in Tab order.
public enum Pane: Int, Sendable, CaseIterable {
  case layers, tree, waste

  /// The next pane (`step` 1) or the previous one (`step` -1).
  func cycled(_ step: Int) -> Pane {
    let all = Pane.allCases
    return all[(rawValue + step + all.count) % all.count]
  }
}

/// What covers the panes.
public enum Overlay: Sendable {
  /// The key list, scrolled to `top`.
  case help(top: Int)
  /// A file, a diff or a note.
  case pager(PagerModel)
}

/// What the run loop must do after a key.
public enum Effect: Sendable, Hashable {
  /// Nothing but redraw.
  case none
  /// Leave the explorer.
  case quit
  /// Read contents and show them in the pager.
  case read(ContentRequest)
}

/// Everything on screen, and how keys change it. Pure: the run loop does the reading and the
/// drawing.
public struct ExplorerState: Sendable {
  /// The pane keys go to.
  public internal(set) var focus: Pane = .layers
  /// The layers pane.
  public internal(set) var layers: LayerListModel
  /// The tree pane.
  public internal(set) var tree: TreeViewModel
  /// The waste pane.
  public internal(set) var waste: WastePanelModel
  /// Help or the pager, when open.
  public internal(set) var overlay: Overlay?
  /// The filter being typed (nil when not typing).
  public internal(set) var filterInput: String?
  /// A one-line note for the status bar, cleared by the next key.
  public internal(set) var message: String?
  /// Whether tree lines show mode and owner.
  public internal(set) var showAttributes = false
  /// Lines the help overlay shows.
  var helpHeight = 10
  /// When set, typing a filter only records the text; `settle()` applies it. The run loop sets
  /// it so that a burst of typed keys filters a big tree once, not once per key.
  public var defersFilterUpdates = false
  var filterNeedsApplying = false

  /// The state for an analysed image; `waste` nil with `wastePending` means findings will come.
  public init(analysis: ImageAnalysis, waste: WasteReport?, wastePending: Bool = false) {
    layers = LayerListModel(analysis: analysis)
    tree = TreeViewModel(analysis: analysis, layer: layers.rows.isEmpty ? 0 : layers.selected)
    self.waste = WastePanelModel(report: waste, status: wastePending ? .computing : nil)
  }

  /// The image.
  public var analysis: ImageAnalysis { tree.analysis }

  /// Applies a filter typed while `defersFilterUpdates` was set.
  public mutating func settle() {
    guard filterNeedsApplying else { return }
    filterNeedsApplying = false
    tree.setFilter(filterInput ?? tree.filter?.text ?? "")
  }

  /// Takes the findings computed in the background.
  public mutating func wasteArrived(_ report: WasteReport) { waste.load(report) }

  /// Shows a page read by the run loop.
  public mutating func show(_ pager: PagerModel) {
    var page = pager
    page.setHeight(helpHeight)
    overlay = .pager(page)
  }

  /// Sizes the panes for a terminal of `size`.
  public mutating func layout(_ size: TerminalSize) {
    let layout = Layout(size: size, layerCount: layers.rows.count)
    tree.setHeight(layout.treeRows)
    layers.setHeight(layout.layerRows)
    waste.setHeight(layout.wasteRows)
    helpHeight = layout.overlayRows
    if case .pager(var page) = overlay {
      page.setHeight(layout.overlayRows)
      overlay = .pager(page)
    }
  }

  /// Selects a layer in the list and shows the tree as of it.
  mutating func selectLayer(_ index: Int) {
    layers.select(index)
    tree.select(layer: layers.selected)
  }

  /// Shows the path of a waste line in the tree, as of the layer holding its bytes.
  mutating func jump(to target: WastePanelModel.Target) {
    filterInput = nil
    selectLayer(target.layer)
    if tree.reveal(path: target.path) {
      focus = .tree
    } else {
      message = "\(target.path) is not in the tree at layer \(target.layer)"
    }
  }
}
