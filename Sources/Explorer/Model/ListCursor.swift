/// A cursor over a list of `count` lines shown `height` at a time.
public struct ListCursor: Sendable, Hashable {
  /// The selected line.
  public private(set) var selected = 0
  /// The first line on screen.
  public private(set) var top = 0
  /// Lines on screen.
  public private(set) var height = 10
  /// Lines in all.
  public private(set) var count: Int

  /// A cursor on the first of `count` lines.
  public init(count: Int) { self.count = count }

  /// Selects line `index` (clamped) and scrolls to it.
  public mutating func select(_ index: Int) {
    selected = max(0, min(index, count - 1))
    scroll()
  }

  /// Moves by `delta` lines.
  public mutating func move(by delta: Int) { select(selected + delta) }
  /// Moves by `pages` screens.
  public mutating func page(by pages: Int) { select(selected + pages * max(1, height - 1)) }

  /// Sets the lines on screen.
  public mutating func setHeight(_ lines: Int) {
    height = max(1, lines)
    scroll()
  }

  /// Sets the number of lines, keeping the selection where it can.
  public mutating func setCount(_ lines: Int) {
    count = max(0, lines)
    select(selected)
  }

  private mutating func scroll() {
    if selected < top { top = selected }
    if selected >= top + height { top = selected - height + 1 }
    top = max(0, min(top, max(0, count - height)))
  }
}
