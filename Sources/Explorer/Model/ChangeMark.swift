/// How a path changed in the selected layer, compared with the layer below it.
package enum ChangeMark: UInt8, CaseIterable, Hashable, Sendable {
  /// Not there below, there now.
  case added = 1
  /// There below, written again (content, mode, owner or type).
  case modified = 2
  /// There below, gone now (whiteout, opaque directory, or replaced parent).
  case removed = 3
  /// The same as below.
  case unchanged = 4

  /// The symbol drawn before the path, so the mark reads without colour.
  package var symbol: String {
    switch self {
    case .added: return "+"
    case .modified: return "~"
    case .removed: return "-"
    case .unchanged: return " "
    }
  }

  /// A word for headers and help.
  package var name: String {
    switch self {
    case .added: return "added"
    case .modified: return "modified"
    case .removed: return "removed"
    case .unchanged: return "unchanged"
    }
  }

  /// Its bit in a `KindMask`.
  var bit: UInt8 { 1 << (rawValue - 1) }
}

/// Bits of the marks found in a subtree. `listed` is an unchanged path that the layer's tar
/// lists again (shown in "changes of this layer" mode).
enum KindMask {
  static let added: UInt8 = 1
  static let modified: UInt8 = 2
  static let removed: UInt8 = 4
  static let unchanged: UInt8 = 8
  static let listed: UInt8 = 16
  /// Every change, no unchanged paths.
  static let changes: UInt8 = added | modified | removed
}
