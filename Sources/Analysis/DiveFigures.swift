/// The figures dive 0.13.1 reports, computed by dive's own definitions (quirks included).
///
/// - `efficiency`: over every path seen in any layer (leaves of each layer's tree), the sum of
///   the smallest size the path had in any layer divided by the sum of all its sizes. A deleted
///   file counts 0 for its whiteout, so deletions lower it.
/// - `wastedBytes`: the summed sizes of *every* copy of each path seen in two or more layers,
///   the copy that survives included (not what a rebuild would save: see the waste findings).
/// - `userWastedPercent`: `wastedBytes` divided by the bytes of all layers but the first. It
///   can pass 100 %; it is NaN when there is only one layer (0/0) and +infinity when the
///   upper layers are empty but something is "wasted", exactly as dive computes it.
///
/// dive ignores opaque-directory markers, and sizes a whiteout by what its stacked lower
/// layers hold at that path; strata reproduces both so the numbers match.
package struct DiveFigures: Sendable, Hashable {
  /// Efficiency score between 0 and 1.
  package var efficiency: Double
  /// dive's "wasted bytes" (`inefficientBytes` in its JSON).
  package var wastedBytes: Int64
  /// Sum of all layers' sizes (dive's image size).
  package var sizeBytes: Int64
  /// Sum of the sizes of all layers but the first.
  package var userSizeBytes: Int64
  /// `wastedBytes / userSizeBytes` as a fraction (NaN or infinite when `userSizeBytes` is 0).
  package var userWastedFraction: Double
  /// Paths seen in more than one layer, largest first.
  package var inefficiencies: [Inefficiency]

  /// Creates figures.
  package init(
    efficiency: Double, wastedBytes: Int64, sizeBytes: Int64, userSizeBytes: Int64, userWastedFraction: Double,
    inefficiencies: [Inefficiency]
  ) {
    self.efficiency = efficiency
    self.wastedBytes = wastedBytes
    self.sizeBytes = sizeBytes
    self.userSizeBytes = userSizeBytes
    self.userWastedFraction = userWastedFraction
    self.inefficiencies = inefficiencies
  }
}

/// A path dive counts as inefficient: seen in several layers.
package struct Inefficiency: Sendable, Hashable {
  /// The path, `/`-rooted.
  package var path: String
  /// How many layers had it (a whiteout counts as one).
  package var count: Int
  /// Sum of its sizes over those layers.
  package var cumulativeBytes: Int64
}
