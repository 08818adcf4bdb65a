/// How urgent a finding is.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
  case info, low, medium, high

  /// 0 for info up to 3 for high.
  public var rank: Int {
    switch self {
    case .info: return 0
    case .low: return 1
    case .medium: return 2
    case .high: return 3
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The kinds of waste strata names. Order is the precedence for the total: a byte claimed by
/// an earlier category is not counted again by a later one.
public enum WasteCategory: String, Sendable, Hashable, CaseIterable {
  /// Lower copies rewritten only to change owner or mode (or not changed at all).
  case metadataRewrite = "metadata-rewrite"
  /// Lower copies deleted or overwritten by a later layer: they still ship.
  case hiddenLater = "hidden-by-later-layer"
  /// Package-manager indexes and caches (apt lists and archives, apk, dnf/yum).
  case packageCache = "package-cache"
  /// Language package caches (pip, npm, yarn, pnpm, Go, Maven, Cargo, gems).
  case languageCache = "language-cache"
  /// Python bytecode.
  case bytecode
  /// Temporary files, logs, VCS directories, editor and OS junk.
  case leftover
  /// Compilers, headers and build tools left in a final image.
  case toolchain
  /// The same content stored at several paths.
  case duplicate
  /// Private keys, credentials, `.env` files. Listed with their bytes, not counted in the total.
  case sensitive
  /// Documentation, man pages, locales. Informational, not counted in the total.
  case docs

  /// A short title for reports.
  public var title: String {
    switch self {
    case .metadataRewrite: return "Rewritten only to change owner or mode"
    case .hiddenLater: return "Deleted or overwritten by a later layer"
    case .packageCache: return "Package-manager indexes and caches"
    case .languageCache: return "Language package caches"
    case .bytecode: return "Python bytecode"
    case .leftover: return "Leftovers (temp files, logs, VCS, junk)"
    case .toolchain: return "Build toolchain in the final image"
    case .duplicate: return "Duplicate content at different paths"
    case .sensitive: return "Sensitive files"
    case .docs: return "Documentation, man pages, locales"
    }
  }

  /// The default severity.
  public var defaultSeverity: Severity {
    switch self {
    case .sensitive: return .high
    case .metadataRewrite, .hiddenLater, .packageCache, .languageCache, .toolchain, .duplicate: return .medium
    case .bytecode, .leftover: return .low
    case .docs: return .info
    }
  }

  /// Whether its bytes count toward the total reclaimable figure.
  public var countsTowardTotal: Bool { self != .sensitive && self != .docs }
}

extension WasteCategory {
  /// Whether category `lhs` comes before `rhs` in the order of the total: built-in categories in
  /// their declared order, then custom ones by name.
  public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
    let order = allCases.map(\.rawValue)
    let left = order.firstIndex(of: lhs) ?? order.count
    let right = order.firstIndex(of: rhs) ?? order.count
    return left != right ? left < right : lhs < rhs
  }
}
