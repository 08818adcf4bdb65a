/// A cursor over a list of `count` lines shown `height` at a time.
package struct ListCursor: Sendable, Hashable {
  /// The selected line.
  package private(set) var selected = 0
  /// The first line on screen.
  package private(set) var top = 0
  /// Lines on screen.
  package private(set) var height = 10
  /// Lines in all.
  package private(set) var count: Int

  /// A cursor on the first of `count` lines.
  package init(count: Int) { self.count = count }

  /// Selects line `index` (clamped) and scrolls to it.
  package mutating func select(_ index: Int) {
    selected = max(0, min(index, count - 1))
    scroll()
  }

  /// Moves by `delta` lines.
  package mutating func move(by delta: Int) { select(selected + delta) }
  /// Moves by `pages` screens.
  package mutating func page(by pages: Int) { select(selected + pages * max(1, height - 1)) }

  /// Sets the lines on screen.
  package mutating func setHeight(_ lines: Int) {
    height = max(1, lines)
    scroll()
  }

  /// Sets the number of lines, keeping the selection where it can.
  package mutating func setCount(_ lines: Int) {
    count = max(0, lines)
    select(selected)
  }

  private mutating func scroll() {
    if selected < top { top = selected }
    if selected >= top + height { top = selected - height + 1 }
    top = max(0, min(top, max(0, count - height)))
  }
}
