import Analysis
import CIPolicy
import YAMLIO

/// Reads the `ci:` section of `.strata.yaml`.
///
/// Every rule takes a failure limit (`max-image-size: 500MB`), `disabled`, or warning and
/// failure limits (`max-image-size: {warn: 400MB, fail: 500MB}`). Sizes are written like
/// `500kB`, `20MB`, `1.5GiB`; fractions like `10%` or `0.1`; counts as integers.
struct CIParser {
  let reader: YAMLReader
  /// Categories the rules name, checked once the whole file is read (`waste:` may come later).
  var categoryReferences: [(category: String, node: YAMLNode, key: String)] = []

  static let keys = [
    "max-image-size", "max-layer-size", "max-layer-count", "max-pull-size", "min-efficiency", "max-wasted-bytes",
    "max-user-wasted-percent", "max-waste", "max-waste-percent", "max-category-waste", "max-category-waste-percent",
    "max-path-size", "forbid", "exclude", "max-growth", "max-growth-percent",
  ]

  /// What a limit measures.
  enum Unit {
    case size, count, fraction
  }

  init(reader: YAMLReader) { self.reader = reader }

  mutating func parse(_ node: YAMLNode, into config: inout BudgetConfig) throws {
    for (name, keyNode, value) in try reader.mapping(node, "ci") {
      let key = "ci.\(name)"
      switch name {
      case "max-image-size": config.maxImageSize = try limits(value, key, .size, .atMost)
      case "max-layer-size": config.maxLayerSize = try limits(value, key, .size, .atMost)
      case "max-layer-count": config.maxLayerCount = try limits(value, key, .count, .atMost)
      case "max-pull-size": config.maxPullSize = try limits(value, key, .size, .atMost)
      case "min-efficiency": config.minEfficiency = try limits(value, key, .fraction, .atLeast)
      case "max-wasted-bytes": config.maxWastedBytes = try limits(value, key, .size, .atMost)
      case "max-user-wasted-percent": config.maxUserWastedPercent = try limits(value, key, .fraction, .atMost)
      case "max-waste": config.maxWaste = try limits(value, key, .size, .atMost)
      case "max-waste-percent": config.maxWastePercent = try limits(value, key, .fraction, .atMost)
      case "max-category-waste": config.maxCategoryWaste = try categoryLimits(value, key, .size)
      case "max-category-waste-percent": config.maxCategoryWastePercent = try categoryLimits(value, key, .fraction)
      case "max-path-size": config.maxPathSize = try pathLimits(value, key)
      case "forbid": config.forbid = try forbidden(value, key)
      case "exclude": config.excluded += try reader.strings(value, key).map(Glob.init)
      case "max-growth": config.maxGrowth = try limits(value, key, .size, .atMost)
      case "max-growth-percent": config.maxGrowthPercent = try limits(value, key, .fraction, .atMost)
      default: throw reader.unknownKey(keyNode, key, allowed: Self.keys)
      }
    }
  }

  /// `LIMIT` (a failure limit), `disabled`, or `{warn: LIMIT, fail: LIMIT}`.
  func limits(_ node: YAMLNode, _ key: String, _ unit: Unit, _ bound: Bound) throws -> Limits {
    if node.scalar != nil {
      if try reader.string(node, key) == "disabled" { return .disabled }
      return .fail(try quantity(node, key, unit))
    }
    guard node.mapping != nil else {
      throw reader.fail(node, key, "expected a limit, `disabled`, or {warn: LIMIT, fail: LIMIT}")
    }
    var limits = Limits()
    for (name, keyNode, value) in try reader.mapping(node, key) {
      let path = "\(key).\(name)"
      let text = try reader.string(value, path)
      let isNull = ["", "~", "null", "Null", "NULL"].contains(text) && value.scalar?.style == .plain
      let parsed = text == "disabled" || isNull ? nil : try quantity(value, path, unit)
      switch name {
      case "warn": limits.warn = parsed
      case "fail": limits.fail = parsed
      default: throw reader.unknownKey(keyNode, path, allowed: ["warn", "fail"])
      }
    }
    if let warn = limits.warn, let fail = limits.fail, bound.isCrossed(warn, fail) {
      let relation = bound == .atMost ? "above" : "below"
      throw reader.fail(node, key, "the warn limit is \(relation) the fail limit, so it could never warn")
    }
    return limits
  }

  func quantity(_ node: YAMLNode, _ key: String, _ unit: Unit) throws -> Quantity {
    switch unit {
    case .size:
      return .bytes(try reader.size(node, key))
    case .count:
      let text = try reader.string(node, key)
      guard let count = Int(text), count >= 0 else {
        throw reader.fail(node, key, "'\(text)' is not a count (0, 1, 2, …)")
      }
      return .count(count)
    case .fraction:
      return .fraction(try fraction(node, key))
    }
  }

  /// `10%` or `0.1`. A bare number above 1 is refused: it is almost always a percentage
  /// written without its `%`.
  func fraction(_ node: YAMLNode, _ key: String) throws -> Double {
    let text = try reader.string(node, key).trimmingWhitespace()
    if text.hasSuffix("%") {
      let number = String(text.dropLast()).trimmingWhitespace()
      guard let value = Double(number), value.isFinite, value >= 0 else {
        throw reader.fail(node, key, "'\(text)' is not a percentage (write e.g. 10%)")
      }
      return value / 100
    }
    guard let value = Double(text), value.isFinite, value >= 0 else {
      throw reader.fail(node, key, "'\(text)' is not a fraction (write e.g. 10% or 0.1)")
    }
    guard value <= 1 else {
      throw reader.fail(
        node, key, "'\(text)' is above 1: write percentages with % (\(text)%); a bare number is a fraction (0.1 = 10%)")
    }
    return value
  }

  mutating func categoryLimits(_ node: YAMLNode, _ key: String, _ unit: Unit) throws -> [CategoryLimit] {
    try reader.mapping(node, key).map { category, keyNode, value in
      categoryReferences.append((category, keyNode, "\(key).\(category)"))
      return CategoryLimit(category: category, limits: try limits(value, "\(key).\(category)", unit, .atMost))
    }
  }

  func pathLimits(_ node: YAMLNode, _ key: String) throws -> [PathLimit] {
    try reader.mapping(node, key).map { pattern, keyNode, value in
      guard !pattern.isEmpty else { throw reader.fail(keyNode, key, "a path budget needs a glob") }
      return PathLimit(glob: Glob(pattern), limits: try limits(value, "\(key).\(pattern)", .size, .atMost))
    }
  }

  /// `[sensitive, toolchain]` (each fails), or `{sensitive: fail, bytecode: warn, docs: disabled}`.
  mutating func forbidden(_ node: YAMLNode, _ key: String) throws -> [CategoryLimit] {
    if node.mapping == nil {
      return try reader.strings(node, key).enumerated().map { index, category in
        let item = node.sequence?[index] ?? node
        categoryReferences.append((category, item, "\(key)[\(index)]"))
        return CategoryLimit(category: category, limits: .fail(.count(0)))
      }
    }
    return try reader.mapping(node, key).map { category, keyNode, value in
      let path = "\(key).\(category)"
      categoryReferences.append((category, keyNode, path))
      switch try reader.string(value, path) {
      case "fail": return CategoryLimit(category: category, limits: .fail(.count(0)))
      case "warn": return CategoryLimit(category: category, limits: Limits(warn: .count(0)))
      case "disabled": return CategoryLimit(category: category, limits: .disabled)
      case let other: throw reader.fail(value, path, "'\(other)' is not fail, warn or disabled")
      }
    }
  }

  /// Every category named must exist (built in, or a `waste.rules` category) and be enabled.
  func checkCategories(_ waste: WasteConfig) throws {
    let custom = Set(waste.customRules.map(\.category))
    let known = WasteCategory.allCases.map(\.rawValue) + custom.sorted()
    for reference in categoryReferences {
      guard known.contains(reference.category) else {
        throw reader.fail(
          reference.node, reference.key,
          "unknown waste category '\(reference.category)'; expected one of: \(known.joined(separator: ", "))")
      }
      if waste.disabled.contains(reference.category) {
        throw reader.fail(
          reference.node, reference.key, "category '\(reference.category)' is disabled by waste.disable")
      }
    }
  }
}
