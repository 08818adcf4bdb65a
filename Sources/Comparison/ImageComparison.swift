import Analysis
import PackageDatabases

/// Several images side by side: figures, shared layers, and the differences of each from the
/// first (the baseline), files and packages.
package struct ImageComparison: Sendable {
  /// One column per image, in the order given; `layers[].sharedWith` filled in.
  package var images: [ImageFigures]
  /// The layers they share and the bytes that saves.
  package var sharing: LayerSharing
  /// For each image after the first: its file differences from the first.
  package var fileDiffs: [FileDiff]
  /// Each image's packages, when packages were read.
  package var packages: [PackageInventory]?
  /// For each image after the first: its package differences from the first.
  package var packageDiffs: [PackageDiff]?

  /// The baseline's label.
  package var baselineLabel: String { images.first?.label ?? "" }
}

/// One image to compare: its analysis and what else was computed for it.
package struct ComparisonInput: Sendable {
  /// The column label.
  package var label: String
  /// The analysed image.
  package var analysis: ImageAnalysis
  /// Its waste findings, when computed.
  package var waste: WasteReport?
  /// Its packages, when read.
  package var packages: PackageInventory?

  /// Creates an input.
  package init(label: String, analysis: ImageAnalysis, waste: WasteReport? = nil, packages: PackageInventory? = nil) {
    self.label = label
    self.analysis = analysis
    self.waste = waste
    self.packages = packages
  }
}

/// Builds an `ImageComparison`.
package enum Comparer {
  /// Compares `inputs` (two or more; the first is the baseline).
  /// - Parameter contentBudget: most bytes read to compare same-size files (0: metadata only).
  package static func compare(
    _ inputs: [ComparisonInput], contentBudget: Int64 = FileDiffer.defaultContentBudget
  ) -> ImageComparison {
    var figures = inputs.map {
      ImageFigures(label: $0.label, analysis: $0.analysis, waste: $0.waste, packages: $0.packages)
    }
    let sharing = LayerSharing.compute(figures)
    sharing.annotate(&figures)
    PullCost.annotate(&figures)
    var diffs: [FileDiff] = []
    if let baseline = inputs.first {
      let base = side(baseline.analysis)
      for input in inputs.dropFirst() {
        diffs.append(FileDiffer.diff(baseline: base, other: side(input.analysis), contentBudget: contentBudget))
      }
    }
    var packageDiffs: [PackageDiff]?
    let inventories = inputs.compactMap(\.packages)
    if inventories.count == inputs.count, let first = inventories.first {
      packageDiffs = inventories.dropFirst().map { PackageDiff.compute(baseline: first, other: $0) }
    }
    return ImageComparison(
      images: figures, sharing: sharing, fileDiffs: diffs,
      packages: inventories.count == inputs.count ? inventories : nil, packageDiffs: packageDiffs)
  }

  static func side(_ analysis: ImageAnalysis) -> FileDiffer.Side {
    FileDiffer.Side(
      tree: analysis.tree, layerIDs: analysis.image.layers.map { $0.descriptor.diffID },
      content: analysis.image.content)
  }
}
