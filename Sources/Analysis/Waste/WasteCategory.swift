/// How urgent a finding is.
package enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
  case info, low, medium, high

  /// 0 for info up to 3 for high.
  package var rank: Int {
    switch self {
    case .info: return 0
    case .low: return 1
    case .medium: return 2
    case .high: return 3
    }
  }

  package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// What kind of saving a finding offers. Every finding is in exactly one tier.
package enum WasteTier: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Bytes that go with no change to the final filesystem: content a later layer hid, rewrites
  /// that change only metadata or nothing.
  case removable
  /// Package indexes and caches, language caches, temporary files, logs, VCS data: nothing
  /// reads them at run time.
  case caches
  /// Toolchains, docs, bytecode, duplicate content, sensitive files: whether they should go is
  /// a judgement about the image's purpose.
  case review

  /// Whether the tier's bytes are in the headline "reclaimable" figure (removable and caches).
  package var isReclaimable: Bool { self != .review }

  /// 0 for removable up to 2 for review: the order of reports and of the total.
  package var rank: Int {
    switch self {
    case .removable: return 0
    case .caches: return 1
    case .review: return 2
    }
  }

  /// One sentence on what the tier means, for legends and documentation.
  package var meaning: String {
    switch self {
    case .removable: return "goes with no change to the final filesystem"
    case .caches: return "caches, temp files, logs, VCS data: nothing reads them at run time"
    case .review: return "a judgement about the image's purpose"
    }
  }

  package static func < (lhs: WasteTier, rhs: WasteTier) -> Bool { lhs.rank < rhs.rank }
}

/// Everything a report needs to know about one kind of waste, written once per category in
/// `WasteCategory.definition`.
package struct WasteCategoryDefinition: Sendable, Hashable {
  /// A short title for reports.
  package var title: String
  /// The tier its bytes are counted in.
  package var tier: WasteTier
  /// The default severity (`.strata.yaml` may re-grade it).
  package var severity: Severity
  /// Its colour in graphical views (`#rrggbb`).
  package var colour: String
  /// The fix when no more specific one applies (the finding's paths or layers may refine it).
  package var fix: String
}

/// The kinds of waste strata names. Order is the precedence for the totals: a byte claimed by
/// an earlier category is not counted again by a later one. Removable categories come first,
/// then caches, then the ones to review.
package enum WasteCategory: String, Sendable, Hashable, CaseIterable {
  /// Lower copies rewritten only to change owner or mode.
  case metadataRewrite = "metadata-rewrite"
  /// Lower copies rewritten with the same content, owner and mode.
  case unchangedRewrite = "unchanged-rewrite"
  /// Lower copies deleted or overwritten by a later layer: they still ship.
  case hiddenLater = "hidden-by-later-layer"
  /// Package-manager indexes and caches (apt lists and archives, apk, dnf/yum).
  case packageCache = "package-cache"
  /// Language package caches (pip, npm, yarn, pnpm, Go, Maven, Cargo, gems).
  case languageCache = "language-cache"
  /// Temporary files, logs, VCS directories, editor and OS junk.
  case leftover
  /// Python bytecode.
  case bytecode
  /// Compilers, headers and build tools left in a final image.
  case toolchain
  /// The same content stored at several paths.
  case duplicate
  /// Private keys, credentials, `.env` files.
  case sensitive
  /// Documentation, man pages, locales.
  case docs

  /// The category's title, tier, severity, colour and fix: the one place a category is described.
  package var definition: WasteCategoryDefinition {
    switch self {
    case .metadataRewrite:
      return WasteCategoryDefinition(
        title: "Rewritten only to change owner or mode", tier: .removable, severity: .medium, colour: "#e15759",
        fix:
          "Set owner and mode where the files are created (`COPY --chown=… --chmod=…`, or in the same RUN) instead of in a later layer."
      )
    case .unchangedRewrite:
      return WasteCategoryDefinition(
        title: "Rewritten by a later layer with no change", tier: .removable, severity: .medium, colour: "#d37295",
        fix:
          "A later step wrote these files again with the same content, owner and mode: avoid the rewrite, or do both steps in one RUN."
      )
    case .hiddenLater:
      return WasteCategoryDefinition(
        title: "Deleted or overwritten by a later layer", tier: .removable, severity: .medium, colour: "#b07aa1",
        fix: "Delete or replace files in the same RUN that creates them, or create them in a build stage.")
    case .packageCache:
      return WasteCategoryDefinition(
        title: "Package-manager indexes and caches", tier: .caches, severity: .medium, colour: "#f28e2b",
        fix: "Clean the package manager's cache in the same RUN that installs packages.")
    case .languageCache:
      return WasteCategoryDefinition(
        title: "Language package caches", tier: .caches, severity: .medium, colour: "#edc948",
        fix: "Disable the package tool's cache, clean it in the same RUN, or use a cache mount.")
    case .leftover:
      return WasteCategoryDefinition(
        title: "Leftovers (temp files, logs, VCS, junk)", tier: .caches, severity: .low, colour: "#9c755f",
        fix: "Remove these files in the same step that creates them, or keep them out with .dockerignore.")
    case .bytecode:
      return WasteCategoryDefinition(
        title: "Python bytecode", tier: .review, severity: .low, colour: "#76b7b2",
        fix:
          "Set `ENV PYTHONDONTWRITEBYTECODE=1` before the step (`pip install --no-compile`), or delete `__pycache__` in the same RUN; Python recreates bytecode when it needs it, at the cost of a slower first start."
      )
    case .toolchain:
      return WasteCategoryDefinition(
        title: "Build toolchain in the final image", tier: .review, severity: .medium, colour: "#4e79a7",
        fix:
          "If the image only runs what was built, build in one stage (`FROM … AS build`) and `COPY --from=build` the results into a clean final stage, or `apt-get purge --auto-remove` the build packages in the same RUN."
      )
    case .duplicate:
      return WasteCategoryDefinition(
        title: "Duplicate content at different paths", tier: .review, severity: .medium, colour: "#ff9da7",
        fix:
          "The same content is stored at several paths: keep one copy and point the others at it with a symlink or hard link, or copy it only once."
      )
    case .sensitive:
      return WasteCategoryDefinition(
        title: "Sensitive files", tier: .review, severity: .high, colour: "#c0392b",
        fix:
          "Remove it from the build context (.dockerignore) and rotate the secret: anyone with the image can read it, even if a later layer deletes it. Pass build-time secrets with `RUN --mount=type=secret`."
      )
    case .docs:
      return WasteCategoryDefinition(
        title: "Documentation, man pages, locales", tier: .review, severity: .info, colour: "#59a14f",
        fix:
          "To drop docs, man pages and locales from Debian packages, add dpkg `path-exclude` rules (/etc/dpkg/dpkg.cfg.d/) before installing, or use a slim base."
      )
    }
  }

  /// A short title for reports.
  package var title: String { definition.title }

  /// The tier its bytes are counted in.
  package var tier: WasteTier { definition.tier }

  /// The default severity.
  package var defaultSeverity: Severity { definition.severity }

  /// Its colour in graphical views (`#rrggbb`).
  package var colour: String { definition.colour }

  /// Whether its bytes count toward the headline reclaimable figure.
  package var countsTowardTotal: Bool { tier.isReclaimable }
}

extension WasteCategory {
  /// Whether category `lhs` comes before `rhs` in the order of the totals: built-in categories in
  /// their declared order, then custom ones by name.
  package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
    let order = allCases.map(\.rawValue)
    let left = order.firstIndex(of: lhs) ?? order.count
    let right = order.firstIndex(of: rhs) ?? order.count
    return left != right ? left < right : lhs < rhs
  }
}
