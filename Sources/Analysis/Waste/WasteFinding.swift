/// A path behind a finding, with its bytes.
public struct FindingPath: Sendable, Hashable {
  /// `/`-rooted path.
  public var path: String
  /// Bytes at stake for this path.
  public var bytes: Int64
  /// What is special about it (`deleted`, `same content as /a`, `owner 0:0→1000:1000`).
  public var detail: String?
}

/// One kind of waste in one layer: what, where, how much, and what to change.
public struct WasteFinding: Sendable, Hashable {
  /// The category (built in), or the user's own category name for custom rules.
  public var category: String
  /// Its title.
  public var title: String
  /// How urgent.
  public var severity: Severity
  /// Bytes a rebuild would avoid (for sensitive and docs: the bytes involved).
  public var bytes: Int64
  /// How many files.
  public var fileCount: Int
  /// The paths, largest first (at most `WasteAnalyzer.pathLimit`; `fileCount` has the total).
  public var paths: [FindingPath]
  /// The layer whose tar holds the bytes.
  public var layer: Int
  /// That layer's command.
  public var command: String?
  /// For bytes hidden later: the layer that deleted or rewrote them, and its command.
  public var hiddenBy: Int?
  public var hiddenByCommand: String?
  /// A concrete change to make in the Dockerfile.
  public var fix: String
  /// Extra facts (origin of bytecode, whether credentials were checked).
  public var note: String?
  /// Whether its bytes count toward the total reclaimable figure.
  public var countsTowardTotal: Bool
}

/// All findings of an image and the total a rebuild could save.
public struct WasteReport: Sendable, Hashable {
  /// Findings, by severity then bytes, largest first.
  public var findings: [WasteFinding]
  /// Bytes a rebuild could avoid, each byte counted once (precedence: `WasteCategory` order,
  /// then custom rules).
  public var reclaimableBytes: Int64
  /// The image's shipped bytes (sum of all layers), the base of the percentage.
  public var imageBytes: Int64
  /// Bytes claimed by each category after precedence (they add up to `reclaimableBytes`).
  public var bytesByCategory: [String: Int64]
  /// What could not be checked (contents unavailable, read errors).
  public var notes: [String]
  /// Every path of the merged tree that waste involves, by node index of `ImageAnalysis.tree`
  /// (per-path views such as the HTML treemap colour by it). Unlike a finding's `paths`, it is
  /// never cut short.
  public var pathWaste: [Int32: PathWaste] = [:]
  /// Bytes of the image read for file contents, by purpose (`firstBlocks`, `wholeFiles`,
  /// `sensitiveHeads`); purposes that read nothing are absent.
  public var contentBytesRead: [String: Int64] = [:]

  /// `reclaimableBytes / imageBytes`.
  public var reclaimableFraction: Double { imageBytes == 0 ? 0 : Double(reclaimableBytes) / Double(imageBytes) }
}

/// How one path of the merged tree is involved in waste. Each stored copy takes the first
/// category that claims it, in the order of the total (`WasteCategory` order, then custom rules).
public struct PathWaste: Sendable, Hashable {
  /// The category of the copy present in the final filesystem, when that copy is a finding's.
  public var present: String?
  /// The category of the path's lower copies that a later layer hid, when they are a finding's.
  public var hidden: String?
  /// The bytes of those lower copies.
  public var hiddenBytes: Int64

  /// Creates an entry.
  public init(present: String? = nil, hidden: String? = nil, hiddenBytes: Int64 = 0) {
    self.present = present
    self.hidden = hidden
    self.hiddenBytes = hiddenBytes
  }

  /// The category a view shows for the path: its present copy's, else its hidden copies'.
  public var category: String? { present ?? hidden }
}
