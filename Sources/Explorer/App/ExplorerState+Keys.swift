extension ExplorerState {
  /// Applies one key.
  /// - Returns: what the run loop must do next.
  package mutating func handle(_ key: KeyStroke) -> Effect {
    message = nil
    if key.isInterrupt { return .quit }
    if prompt != nil { return handlePrompt(key) }
    if overlay != nil { return handleOverlay(key) }
    if filterInput != nil { return handleFilterInput(key) }
    if let effect = handleGlobal(key) { return effect }
    switch focus {
    case .layers: handleLayers(key)
    case .tree: return handleTree(key)
    case .waste: handleWaste(key)
    }
    return .none
  }

  private mutating func handleGlobal(_ key: KeyStroke) -> Effect? {
    switch key {
    case .character("q"): return .quit
    case .character("?"): overlay = .help(top: 0)
    case .escape where tree.filter != nil:
      filterNeedsApplying = false
      tree.setFilter("")
    case .tab: cycleFocus(1)
    case .backTab: cycleFocus(-1)
    case .character("i"): show(DetailsPage(state: self, columns: columns).page())
    case .character("/"), .control("f"):
      focus = .tree
      filterInput = tree.filter?.text ?? ""
      filterReplacesText = true
    case .control("l"): tree.setCompare(.layer)
    case .control("a") where focus == .layers: tree.setCompare(.aggregated)
    case .control("a"), .character("A"): tree.toggle(.added)
    case .character("c"): tree.toggleMode()
    case .control("z"): return .suspend
    case .control("r"), .character("R"): tree.toggle(.removed)
    case .control("m"), .character("M"): tree.toggle(.modified)
    case .control("u"), .character("U"): tree.toggle(.unchanged)
    case .control("b"): showAttributes.toggle()
    case .control("o"): tree.toggleSort()
    case .control(" "): tree.toggleAll()
    case .character("["): selectLayer(layers.selected - 1)
    case .character("]"): selectLayer(layers.selected + 1)
    default: return nil
    }
    return Effect.none
  }

  private mutating func cycleFocus(_ step: Int) {
    focus = focus.cycled(step)
    if focus == .waste && waste.status == .disabled { focus = focus.cycled(step) }
  }

  private mutating func handleLayers(_ key: KeyStroke) {
    switch Navigation(key) {
    case .move(let delta): selectLayer(layers.selected + delta)
    case .page(let pages):
      layers.page(by: pages)
      tree.select(layer: layers.selected)
    case .first: selectLayer(0)
    case .last: selectLayer(layers.rows.count - 1)
    case nil:
      if key == .enter || key == .right { focus = .tree }
    }
  }

  private mutating func handleTree(_ key: KeyStroke) -> Effect {
    switch Navigation(key) {
    case .move(let delta): tree.moveCursor(by: delta)
    case .page(let pages): tree.page(by: pages)
    case .first: tree.moveToTop()
    case .last: tree.moveToBottom()
    case nil: return handleTreeAction(key)
    }
    return .none
  }

  private mutating func handleTreeAction(_ key: KeyStroke) -> Effect {
    guard let node = tree.cursorNode else { return .none }
    switch key {
    case .character(" "): tree.toggleExpanded()
    case .right, .character("l"): tree.expandOrEnter()
    case .left, .character("h"): tree.collapseOrLeave()
    case .character("s"): tree.toggleSort()
    case .enter:
      if tree.isDirectory(node) {
        tree.toggleExpanded()
      } else {
        return .read(.file(node: node, layer: tree.layer))
      }
    case .character("v"): return .read(.file(node: node, layer: tree.layer))
    case .character("d"): return .read(.diff(node: node, layer: tree.layer))
    case .control("e"):
      prompt = Prompt(purpose: .extract(node: node, layer: tree.layer), text: tree.analysis.tree.nodes[Int(node)].name)
    default: break
    }
    return .none
  }

  private mutating func handleWaste(_ key: KeyStroke) {
    switch Navigation(key) {
    case .move(let delta): waste.move(by: delta)
    case .page(let pages): waste.page(by: pages)
    case .first: waste.select(0)
    case .last: waste.select(waste.rows.count - 1)
    case nil:
      switch key {
      case .character("s"): waste.toggleOrder()
      case .enter, .right:
        if let row = waste.selectedRow, let target = waste.target(of: row) { jump(to: target) }
        if case .inefficiency(let index)? = waste.selectedRow, waste.inefficiencies.indices.contains(index) {
          // dive names no layer: show the path as of the selected layer.
          jump(to: WastePanelModel.Target(path: waste.inefficiencies[index].path, layer: layers.selected))
        }
        if waste.status == .computing { message = "Waste findings are still being computed…" }
      default: break
      }
    }
  }

  private mutating func handleFilterInput(_ key: KeyStroke) -> Effect {
    var text = filterInput ?? ""
    // A kept filter reopened shows its text selected: typing replaces it, editing keys keep it.
    let replacing = filterReplacesText
    filterReplacesText = false
    switch key {
    case .enter:
      settle()
      filterInput = nil
      return .none
    case .escape:
      filterInput = nil
      filterNeedsApplying = false
      tree.setFilter("")
      return .none
    case .backspace:
      if !text.isEmpty { text.removeLast() }
    case .control("u"):
      text = ""
    case .character(let character):
      if replacing { text = "" }
      text.append(character)
    default:
      if let navigation = Navigation(key) {
        settle()
        filterInput = nil
        return handleTreeNavigation(navigation)
      }
      return .none
    }
    filterInput = text
    if defersFilterUpdates {
      filterNeedsApplying = true
    } else {
      tree.setFilter(text)
    }
    return .none
  }

  private mutating func handlePrompt(_ key: KeyStroke) -> Effect {
    guard var prompt else { return .none }
    if case .overwrite(var request) = prompt.purpose {
      self.prompt = nil
      guard key == .character("y") || key == .character("Y") else {
        message = "Not saved: \(request.destination) is left as it was"
        return .none
      }
      request.overwrite = true
      return .extract(request)
    }
    switch key {
    case .escape:
      self.prompt = nil
      return .none
    case .enter:
      self.prompt = nil
      switch prompt.purpose {
      case .search:
        if case .pager(var page) = overlay {
          page.find(prompt.text)
          if page.search != nil && page.matches.isEmpty { message = "Not found: \(prompt.text)" }
          overlay = .pager(page)
        }
        return .none
      case .extract(let node, let layer):
        guard !prompt.text.isEmpty else { return .none }
        return .extract(ExtractRequest(node: node, layer: layer, destination: prompt.text, overwrite: false))
      case .overwrite: return .none
      }
    case .backspace:
      if !prompt.text.isEmpty { prompt.text.removeLast() }
    case .control("u"):
      prompt.text = ""
    case .character(let character):
      prompt.text.append(character)
    default: break
    }
    self.prompt = prompt
    return .none
  }

  private mutating func handleTreeNavigation(_ navigation: Navigation) -> Effect {
    switch navigation {
    case .move(let delta): tree.moveCursor(by: delta)
    case .page(let pages): tree.page(by: pages)
    case .first: tree.moveToTop()
    case .last: tree.moveToBottom()
    }
    return .none
  }

  private mutating func handleOverlay(_ key: KeyStroke) -> Effect {
    switch overlay {
    case .help(let top):
      switch Navigation(key) {
      case .move(let delta): overlay = .help(top: max(0, top + delta))
      case .page(let pages): overlay = .help(top: max(0, top + pages * max(1, helpHeight - 1)))
      case .first: overlay = .help(top: 0)
      default:
        if key == .character("q") || key == .escape || key == .character("?") || key == .enter { overlay = nil }
      }
    case .pager(var page):
      switch Navigation(key) {
      case .move(let delta): page.scroll(by: delta)
      case .page(let pages): page.page(by: pages)
      case .first: page.toTop()
      case .last: page.toBottom()
      case nil:
        switch key {
        case .left, .character("h"): page.shift(by: -8)
        case .right, .character("l"): page.shift(by: 8)
        case .character("/"), .control("f"): prompt = Prompt(purpose: .search, text: "")
        case .character("n"): page.nextMatch(1)
        case .character("N"): page.nextMatch(-1)
        case .escape where page.search != nil: page.find("")
        case .character("q"), .escape, .enter, .character("i"):
          overlay = nil
          return .none
        default: break
        }
      }
      overlay = .pager(page)
    case nil: break
    }
    return .none
  }
}

/// Keys that move a cursor, the same in every list.
enum Navigation: Hashable {
  case move(Int), page(Int), first, last

  init?(_ key: KeyStroke) {
    switch key {
    case .up, .character("k"): self = .move(-1)
    case .down, .character("j"): self = .move(1)
    case .pageUp: self = .page(-1)
    case .pageDown: self = .page(1)
    case .home, .character("g"): self = .first
    case .end, .character("G"): self = .last
    default: return nil
    }
  }
}
