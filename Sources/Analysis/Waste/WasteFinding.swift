/// A path behind a finding, with its bytes.
public struct FindingPath: Sendable, Hashable {
  /// `/`-rooted path.
  public var path: String
  /// Bytes at stake for this path.
  public var bytes: Int64
  /// What is special about it (`deleted`, `same content as /a`, `owner 0:0→1000:1000`).
  public var detail: String?
  /// The layer whose tar holds these bytes.
  public var layer: Int = 0
}

/// The part of a finding one layer holds: one line per layer (and, for hidden copies, per
/// layer that hid them).
public struct FindingLayer: Sendable, Hashable {
  /// The layer whose tar holds the bytes.
  public var layer: Int
  /// That layer's command.
  public var command: String?
  /// For bytes hidden later: the layer that deleted or rewrote them, and its command.
  public var hiddenBy: Int?
  public var hiddenByCommand: String?
  /// Its bytes.
  public var bytes: Int64
  /// Its files.
  public var fileCount: Int
}

/// One kind of waste: what, where (per layer), how much, and what to change. A category has
/// at most one finding per image.
public struct WasteFinding: Sendable, Hashable {
  /// The category (built in), or the user's own category name for custom rules.
  public var category: String
  /// Its title.
  public var title: String
  /// The tier its bytes are counted in.
  public var tier: WasteTier
  /// How urgent.
  public var severity: Severity
  /// Bytes of every copy the finding names (each copy once; the report's totals also count
  /// each copy once across findings).
  public var bytes: Int64
  /// How many files.
  public var fileCount: Int
  /// The paths, largest first (at most `WasteAnalyzer.pathLimit`; `fileCount` has the total).
  public var paths: [FindingPath]
  /// The layers holding its bytes, largest share first.
  public var layers: [FindingLayer]
  /// The layer holding most of its bytes (`layers[0].layer`).
  public var layer: Int
  /// That layer's command.
  public var command: String?
  /// For bytes hidden later: the layer that hid most of them, and its command.
  public var hiddenBy: Int?
  public var hiddenByCommand: String?
  /// Concrete changes to make in the Dockerfile, most bytes first (one per distinct cause).
  public var fixes: [String]
  /// Extra facts (origin of bytecode, whether credentials were checked).
  public var note: String?

  /// The fixes as one text.
  public var fix: String { fixes.joined(separator: " ") }

  /// Whether its bytes count toward the headline reclaimable figure (removable and caches).
  public var countsTowardTotal: Bool { tier.isReclaimable }
}

/// All findings of an image and the totals of its tiers.
public struct WasteReport: Sendable, Hashable {
  /// Findings by tier (removable, caches, review), then bytes, largest first.
  public var findings: [WasteFinding]
  /// Bytes a rebuild could avoid with no judgement call: removable + caches, each byte counted
  /// once (precedence: `WasteCategory` order, then custom rules).
  public var reclaimableBytes: Int64
  /// Bytes of each tier, each byte counted once across all tiers (a byte already in an
  /// earlier tier is not counted again).
  public var bytesByTier: [WasteTier: Int64] = [:]
  /// The image's shipped bytes (sum of all layers), the base of the fractions.
  public var imageBytes: Int64
  /// Bytes claimed by each category after precedence (every tier; they add up to the sum of
  /// `bytesByTier`).
  public var bytesByCategory: [String: Int64]
  /// What could not be checked (contents unavailable, read errors), and findings of 0 bytes.
  public var notes: [String]
  /// Every path of the merged tree that waste involves, by node index of `ImageAnalysis.tree`
  /// (per-path views such as the HTML treemap colour by it). Unlike a finding's `paths`, it is
  /// never cut short.
  public var pathWaste: [Int32: PathWaste] = [:]
  /// Bytes of the image read for file contents, by purpose (`firstBlocks`, `wholeFiles`,
  /// `sensitiveHeads`); purposes that read nothing are absent.
  public var contentBytesRead: [String: Int64] = [:]

  /// Bytes of one tier.
  public func bytes(in tier: WasteTier) -> Int64 { bytesByTier[tier] ?? 0 }

  /// Bytes to review (toolchains, docs, bytecode, duplicates, sensitive files) not already in
  /// the reclaimable figure.
  public var reviewBytes: Int64 { bytes(in: .review) }

  /// `reclaimableBytes / imageBytes`.
  public var reclaimableFraction: Double { fraction(reclaimableBytes) }

  /// `bytes / imageBytes` (0 for an empty image).
  public func fraction(_ bytes: Int64) -> Double { imageBytes == 0 ? 0 : Double(bytes) / Double(imageBytes) }
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
