/// A path behind a finding, with its bytes.
package struct FindingPath: Sendable, Hashable {
  /// `/`-rooted path.
  package var path: String
  /// Bytes at stake for this path.
  package var bytes: Int64
  /// What is special about it (`deleted`, `same content as /a`, `owner 0:0→1000:1000`).
  package var detail: String?
  /// The layer whose tar holds these bytes.
  package var layer: Int = 0
}

/// The part of a finding one layer holds: one line per layer (and, for hidden copies, per
/// layer that hid them).
package struct FindingLayer: Sendable, Hashable {
  /// The layer whose tar holds the bytes.
  package var layer: Int
  /// That layer's command.
  package var command: String?
  /// For bytes hidden later: the layer that deleted or rewrote them, and its command.
  package var hiddenBy: Int?
  package var hiddenByCommand: String?
  /// Its bytes.
  package var bytes: Int64
  /// Its files.
  package var fileCount: Int
}

/// One kind of waste: what, where (per layer), how much, and what to change. A category has
/// at most one finding per image.
package struct WasteFinding: Sendable, Hashable {
  /// The category (built in), or the user's own category name for custom rules.
  package var category: String
  /// Its title.
  package var title: String
  /// The tier its bytes are counted in.
  package var tier: WasteTier
  /// How urgent.
  package var severity: Severity
  /// Bytes of every copy the finding names (each copy once; the report's totals also count
  /// each copy once across findings).
  package var bytes: Int64
  /// How many files.
  package var fileCount: Int
  /// The paths, largest first (at most `WasteAnalyzer.pathLimit`; `fileCount` has the total).
  package var paths: [FindingPath]
  /// The layers holding its bytes, largest share first.
  package var layers: [FindingLayer]
  /// The layer holding most of its bytes (`layers[0].layer`).
  package var layer: Int
  /// That layer's command.
  package var command: String?
  /// For bytes hidden later: the layer that hid most of them, and its command.
  package var hiddenBy: Int?
  package var hiddenByCommand: String?
  /// Concrete changes to make in the Dockerfile, most bytes first (one per distinct cause).
  package var fixes: [String]
  /// Extra facts (origin of bytecode, whether credentials were checked).
  package var note: String?

  /// The fixes as one text.
  package var fix: String { fixes.joined(separator: " ") }

  /// Whether its bytes count toward the headline reclaimable figure (removable and caches).
  package var countsTowardTotal: Bool { tier.isReclaimable }
}

/// All findings of an image and the totals of its tiers.
package struct WasteReport: Sendable, Hashable {
  /// Findings by tier (removable, caches, review), then bytes, largest first.
  package var findings: [WasteFinding]
  /// Bytes a rebuild could avoid with no judgement call: removable + caches, each byte counted
  /// once (precedence: `WasteCategory` order, then custom rules).
  package var reclaimableBytes: Int64
  /// Bytes of each tier, each byte counted once across all tiers (a byte already in an
  /// earlier tier is not counted again).
  package var bytesByTier: [WasteTier: Int64] = [:]
  /// The image's shipped bytes (sum of all layers), the base of the fractions.
  package var imageBytes: Int64
  /// Bytes claimed by each category after precedence (every tier; they add up to the sum of
  /// `bytesByTier`).
  package var bytesByCategory: [String: Int64]
  /// What could not be checked (contents unavailable, read errors), and findings of 0 bytes.
  package var notes: [String]
  /// Every path of the merged tree that waste involves, by node index of `ImageAnalysis.tree`
  /// (per-path views such as the HTML treemap colour by it). Unlike a finding's `paths`, it is
  /// never cut short.
  package var pathWaste: [Int32: PathWaste] = [:]
  /// Bytes of the image read for file contents, by purpose (`firstBlocks`, `wholeFiles`,
  /// `sensitiveHeads`); purposes that read nothing are absent.
  package var contentBytesRead: [String: Int64] = [:]

  /// Bytes of one tier.
  package func bytes(in tier: WasteTier) -> Int64 { bytesByTier[tier] ?? 0 }

  /// Bytes to review (toolchains, docs, bytecode, duplicates, sensitive files) not already in
  /// the reclaimable figure.
  package var reviewBytes: Int64 { bytes(in: .review) }

  /// `reclaimableBytes / imageBytes`.
  package var reclaimableFraction: Double { fraction(reclaimableBytes) }

  /// `bytes / imageBytes` (0 for an empty image).
  package func fraction(_ bytes: Int64) -> Double { imageBytes == 0 ? 0 : Double(bytes) / Double(imageBytes) }
}

/// How one path of the merged tree is involved in waste. Each stored copy takes the first
/// category that claims it, in the order of the total (`WasteCategory` order, then custom rules).
package struct PathWaste: Sendable, Hashable {
  /// The category of the copy present in the final filesystem, when that copy is a finding's.
  package var present: String?
  /// The category of the path's lower copies that a later layer hid, when they are a finding's.
  package var hidden: String?
  /// The bytes of those lower copies.
  package var hiddenBytes: Int64

  /// Creates an entry.
  package init(present: String? = nil, hidden: String? = nil, hiddenBytes: Int64 = 0) {
    self.present = present
    self.hidden = hidden
    self.hiddenBytes = hiddenBytes
  }

  /// The category a view shows for the path: its present copy's, else its hidden copies'.
  package var category: String? { present ?? hidden }
}
