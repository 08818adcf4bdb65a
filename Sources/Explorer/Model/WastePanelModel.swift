import Analysis

/// The waste pane: the findings with their paths, or every wasted file largest first; Enter on
/// a line jumps to its path in the tree, as of the layer that holds the bytes.
package struct WastePanelModel: Sendable {
  /// Whether the findings are there yet.
  package enum Status: Sendable, Hashable {
    /// Still being computed (contents are read for some checks).
    case computing
    /// Ready.
    case ready
    /// Not asked for (`--no-waste`).
    case disabled
  }

  /// How the lines are grouped.
  package enum Order: Sendable, Hashable {
    /// Findings as the report orders them (severity, then bytes), each followed by its paths.
    case findings
    /// Every listed path of every finding, largest first.
    case largestFiles
    /// dive's inefficient files: paths seen in two or more layers, as dive lists them.
    case diveInefficiencies
  }

  /// One line.
  package enum Row: Sendable, Hashable {
    /// A finding's heading.
    case finding(Int)
    /// Path `path` of finding `finding`.
    case path(finding: Int, path: Int)
    /// dive's inefficient file number `index`.
    case inefficiency(Int)
  }

  /// Where a line leads in the tree.
  package struct Target: Sendable, Hashable {
    /// `/`-rooted path.
    package var path: String
    /// The layer whose tar holds the bytes.
    package var layer: Int
  }

  /// Whether the findings are ready.
  package private(set) var status: Status
  /// The findings, once ready.
  package private(set) var report: WasteReport?
  /// Grouping.
  package private(set) var order: Order = .findings
  /// The lines.
  package private(set) var rows: [Row] = []
  /// Selection and scroll position.
  package private(set) var cursor = ListCursor(count: 0)
  /// Per finding: the bytes shown, without those of paths an earlier finding (by the order of
  /// the total) already lists for the same layer, so no byte shows under two findings.
  package private(set) var shownBytes: [Int64] = []
  /// Per finding: which of its paths are shown (the others are counted under an earlier one).
  private var shownPaths: [[Int]] = []
  /// dive's inefficient files, largest first.
  package let inefficiencies: [Inefficiency]

  /// A pane waiting for findings (`computing`) or showing `report`, with dive's inefficient
  /// files as a third order.
  package init(report: WasteReport?, status: Status? = nil, inefficiencies: [Inefficiency] = []) {
    self.inefficiencies = inefficiencies
    self.status = status ?? (report == nil ? .disabled : .ready)
    if let report { load(report) }
  }

  /// Shows `report`.
  package mutating func load(_ report: WasteReport) {
    self.report = report
    status = .ready
    rebuild()
  }

  /// Cycles the order: findings, largest files, dive's inefficient files.
  package mutating func toggleOrder() {
    switch order {
    case .findings: order = .largestFiles
    case .largestFiles: order = .diveInefficiencies
    case .diveInefficiencies: order = .findings
    }
    rebuild()
    cursor.select(0)
  }

  /// Moves the selection.
  package mutating func move(by delta: Int) { cursor.move(by: delta) }
  /// Moves by pages.
  package mutating func page(by pages: Int) { cursor.page(by: pages) }
  /// Selects line `index`.
  package mutating func select(_ index: Int) { cursor.select(index) }
  /// Sets the lines on screen.
  package mutating func setHeight(_ lines: Int) { cursor.setHeight(lines) }

  /// The selected line.
  package var selectedRow: Row? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }

  /// The finding a line belongs to.
  package func finding(of row: Row) -> WasteFinding? {
    guard let findings = report?.findings else { return nil }
    switch row {
    case .finding(let index), .path(let index, _): return findings.indices.contains(index) ? findings[index] : nil
    case .inefficiency: return nil
    }
  }

  /// The path behind a line, when it names one.
  package func findingPath(of row: Row) -> FindingPath? {
    guard case .path(_, let position) = row, let finding = finding(of: row) else { return nil }
    return finding.paths.indices.contains(position) ? finding.paths[position] : nil
  }

  /// Where Enter on a line leads: its path, or a finding's largest path.
  package func target(of row: Row) -> Target? {
    guard let finding = finding(of: row) else { return nil }
    let path = findingPath(of: row) ?? finding.paths.first
    return path.map { Target(path: $0.path, layer: $0.layer) }
  }

  private mutating func rebuild() {
    guard let findings = report?.findings else { return }
    claimBytes(findings)
    // Findings left with no bytes of their own are not listed (sensitive files are, whatever
    // their size: the risk is not in the bytes).
    let listed = findings.indices.filter { shownBytes[$0] > 0 || findings[$0].category == "sensitive" }
    switch order {
    case .findings:
      rows = listed.flatMap { index in
        [Row.finding(index)] + shownPaths[index].map { Row.path(finding: index, path: $0) }
      }
    case .largestFiles:
      var all: [(Row, Int64)] = []
      for index in listed where findings[index].countsTowardTotal {
        for position in shownPaths[index] where findings[index].paths[position].bytes > 0 {
          all.append((.path(finding: index, path: position), findings[index].paths[position].bytes))
        }
      }
      rows = all.enumerated().sorted { lhs, rhs in
        lhs.element.1 != rhs.element.1 ? lhs.element.1 > rhs.element.1 : lhs.offset < rhs.offset
      }.map(\.element.0)
    case .diveInefficiencies:
      rows = inefficiencies.indices.map { Row.inefficiency($0) }
    }
    cursor.setCount(rows.count)
  }

  /// Gives each listed path (layer and path) to the first counted finding that lists it, in the
  /// order of the total, and works out what every finding has left.
  private mutating func claimBytes(_ findings: [WasteFinding]) {
    let order = findings.indices.sorted { lhs, rhs in
      let left = findings[lhs].category
      let right = findings[rhs].category
      return left != right ? WasteCategory.precedes(left, right) : lhs < rhs
    }
    var claimed: Set<String> = []
    shownBytes = findings.map(\.bytes)
    shownPaths = findings.map { Array($0.paths.indices) }
    // Sensitive files and docs are listed whole: their bytes are not in the total.
    for index in order where findings[index].countsTowardTotal {
      let finding = findings[index]
      var kept: [Int] = []
      for (position, path) in finding.paths.enumerated() {
        if claimed.insert("\(finding.layer) \(path.path)").inserted {
          kept.append(position)
        } else {
          shownBytes[index] -= path.bytes
        }
      }
      shownBytes[index] = max(0, shownBytes[index])
      shownPaths[index] = kept
    }
  }
}
