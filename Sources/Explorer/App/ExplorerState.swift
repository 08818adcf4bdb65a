import Analysis
import ImageModel
import MergedTree

/// The explorer's panes, in Tab order.
package enum Pane: Int, Sendable, CaseIterable {
  case layers, tree, waste

  /// The next pane (`step` 1) or the previous one (`step` -1).
  func cycled(_ step: Int) -> Pane {
    let all = Pane.allCases
    return all[(rawValue + step + all.count) % all.count]
  }
}

/// What covers the panes.
package enum Overlay: Sendable {
  /// The key list, scrolled to `top`.
  case help(top: Int)
  /// A file, a diff or a note.
  case pager(PagerModel)
}

/// What the run loop must do after a key.
package enum Effect: Sendable, Hashable {
  /// Nothing but redraw.
  case none
  /// Leave the explorer.
  case quit
  /// Read contents and show them in the pager.
  case read(ContentRequest)
  /// Give the terminal back to the shell (Ctrl+Z) until it continues us.
  case suspend
  /// Save a file or directory of the image to the disk.
  case extract(ExtractRequest)
}

/// What Ctrl+E asked to save.
package struct ExtractRequest: Sendable, Hashable {
  /// The node of the merged tree.
  package var node: Int32
  /// As of this layer.
  package var layer: Int
  /// Where to, as typed (relative to the current directory, or absolute).
  package var destination: String
  /// Whether the user agreed to replace what is there.
  package var overwrite: Bool
}

/// A line of text typed at the bottom of the screen for something other than the filter.
package struct Prompt: Sendable, Hashable {
  /// What the text is for.
  package enum Purpose: Sendable, Hashable {
    /// A search in the pager.
    case search
    /// The destination of an extraction.
    case extract(node: Int32, layer: Int)
    /// y/n: replace what is at the destination.
    case overwrite(ExtractRequest)
  }

  /// What the text is for.
  package var purpose: Purpose
  /// The text so far.
  package var text: String
}

/// Everything on screen, and how keys change it. Pure: the run loop does the reading and the
/// drawing.
package struct ExplorerState: Sendable {
  /// The pane keys go to.
  package internal(set) var focus: Pane = .layers
  /// The layers pane.
  package internal(set) var layers: LayerListModel
  /// The tree pane.
  package internal(set) var tree: TreeViewModel
  /// The waste pane.
  package internal(set) var waste: WastePanelModel
  /// Help or the pager, when open.
  package internal(set) var overlay: Overlay?
  /// The filter being typed (nil when not typing).
  package internal(set) var filterInput: String?
  /// A search or extraction being typed.
  package internal(set) var prompt: Prompt?
  /// Whether the filter text shown is a kept one that the next typed character replaces.
  package internal(set) var filterReplacesText = false
  /// A one-line note for the status bar, cleared by the next key.
  package internal(set) var message: String?
  /// Whether tree lines show mode and owner.
  package internal(set) var showAttributes = false
  /// Lines the help overlay shows.
  var helpHeight = 10
  /// The terminal's width, for text wrapped when a page opens.
  var columns = 80
  /// When set, typing a filter only records the text; `settle()` applies it. The run loop sets
  /// it so that a burst of typed keys filters a big tree once, not once per key.
  package var defersFilterUpdates = false
  var filterNeedsApplying = false

  /// The state for an analysed image; `waste` nil with `wastePending` means findings will come.
  package init(analysis: ImageAnalysis, waste: WasteReport?, wastePending: Bool = false) {
    layers = LayerListModel(analysis: analysis)
    tree = TreeViewModel(analysis: analysis, layer: layers.rows.isEmpty ? 0 : layers.selected)
    self.waste = WastePanelModel(
      report: waste, status: wastePending ? .computing : nil, inefficiencies: analysis.dive.inefficiencies)
  }

  /// The image.
  package var analysis: ImageAnalysis { tree.analysis }

  /// Applies a filter typed while `defersFilterUpdates` was set.
  package mutating func settle() {
    guard filterNeedsApplying else { return }
    filterNeedsApplying = false
    tree.setFilter(filterInput ?? tree.filter?.text ?? "")
  }

  /// Takes the findings computed in the background.
  package mutating func wasteArrived(_ report: WasteReport) { waste.load(report) }

  /// Shows a page read by the run loop.
  package mutating func show(_ pager: PagerModel) {
    var page = pager
    page.setHeight(helpHeight)
    overlay = .pager(page)
  }

  /// Sizes the panes for a terminal of `size`.
  package mutating func layout(_ size: TerminalSize) {
    let layout = Layout(size: size, layerCount: layers.rows.count, wasteOff: waste.status == .disabled)
    columns = size.columns
    tree.setHeight(layout.treeRows)
    layers.setHeight(layout.layerRows)
    waste.setHeight(layout.wasteRows)
    helpHeight = layout.overlayRows
    if case .pager(var page) = overlay {
      page.setHeight(layout.overlayRows)
      overlay = .pager(page)
    }
  }

  /// Asks whether to replace what is at an extraction's destination.
  package mutating func askToOverwrite(_ request: ExtractRequest) {
    prompt = Prompt(purpose: .overwrite(request), text: "")
  }

  /// Shows a one-line note until the next key.
  package mutating func say(_ text: String) { message = text }

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
