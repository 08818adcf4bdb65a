import Analysis

/// The waste pane: the findings with their paths, or every wasted file largest first; Enter on
/// a line jumps to its path in the tree, as of the layer that holds the bytes.
public struct WastePanelModel: Sendable {
  /// Whether the findings are there yet.
  public enum Status: Sendable, Hashable {
    /// Still being computed (contents are read for some checks).
    case computing
    /// Ready.
    case ready
    /// Not asked for (`--no-waste`).
    case disabled
  }

  /// How the lines are grouped.
  public enum Order: Sendable, Hashable {
    /// Findings as the report orders them (severity, then bytes), each followed by its paths.
    case findings
    /// Every listed path of every finding, largest first.
    case largestFiles
  }

  /// One line.
  public enum Row: Sendable, Hashable {
    /// A finding's heading.
    case finding(Int)
    /// Path `path` of finding `finding`.
    case path(finding: Int, path: Int)
  }

  /// Where a line leads in the tree.
  public struct Target: Sendable, Hashable {
    /// `/`-rooted path.
    public var path: String
    /// The layer whose tar holds the bytes.
    public var layer: Int
  }

  /// Whether the findings are ready.
  public private(set) var status: Status
  /// The findings, once ready.
  public private(set) var report: WasteReport?
  /// Grouping.
  public private(set) var order: Order = .findings
  /// The lines.
  public private(set) var rows: [Row] = []
  /// Selection and scroll position.
  public private(set) var cursor = ListCursor(count: 0)

  /// A pane waiting for findings (`computing`) or showing `report`.
  public init(report: WasteReport?, status: Status? = nil) {
    self.status = status ?? (report == nil ? .disabled : .ready)
    if let report { load(report) }
  }

  /// Shows `report`.
  public mutating func load(_ report: WasteReport) {
    self.report = report
    status = .ready
    rebuild()
  }

  /// Switches between findings and largest files.
  public mutating func toggleOrder() {
    order = order == .findings ? .largestFiles : .findings
    rebuild()
    cursor.select(0)
  }

  /// Moves the selection.
  public mutating func move(by delta: Int) { cursor.move(by: delta) }
  /// Moves by pages.
  public mutating func page(by pages: Int) { cursor.page(by: pages) }
  /// Selects line `index`.
  public mutating func select(_ index: Int) { cursor.select(index) }
  /// Sets the lines on screen.
  public mutating func setHeight(_ lines: Int) { cursor.setHeight(lines) }

  /// The selected line.
  public var selectedRow: Row? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }

  /// The finding a line belongs to.
  public func finding(of row: Row) -> WasteFinding? {
    guard let findings = report?.findings else { return nil }
    switch row {
    case .finding(let index), .path(let index, _): return findings.indices.contains(index) ? findings[index] : nil
    }
  }

  /// The path behind a line, when it names one.
  public func findingPath(of row: Row) -> FindingPath? {
    guard case .path(_, let position) = row, let finding = finding(of: row) else { return nil }
    return finding.paths.indices.contains(position) ? finding.paths[position] : nil
  }

  /// Where Enter on a line leads: its path, or a finding's largest path.
  public func target(of row: Row) -> Target? {
    guard let finding = finding(of: row) else { return nil }
    let path = findingPath(of: row) ?? finding.paths.first
    return path.map { Target(path: $0.path, layer: $0.layer) }
  }

  private mutating func rebuild() {
    guard let findings = report?.findings else { return }
    switch order {
    case .findings:
      rows = findings.indices.flatMap { index in
        [Row.finding(index)] + findings[index].paths.indices.map { Row.path(finding: index, path: $0) }
      }
    case .largestFiles:
      var seen: Set<String> = []
      var all: [(Row, Int64)] = []
      for (index, finding) in findings.enumerated() where finding.countsTowardTotal {
        for (position, path) in finding.paths.enumerated() where seen.insert("\(path.layer) \(path.path)").inserted {
          all.append((.path(finding: index, path: position), path.bytes))
        }
      }
      rows = all.enumerated().sorted { lhs, rhs in
        lhs.element.1 != rhs.element.1 ? lhs.element.1 > rhs.element.1 : lhs.offset < rhs.offset
      }.map(\.element.0)
    }
    cursor.setCount(rows.count)
  }
}
