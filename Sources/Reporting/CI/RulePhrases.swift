import Analysis
import CIPolicy

/// The words every CI renderer uses for a rule: values, comparisons, details.
enum RulePhrases {
  /// `PASS`, `WARN`, `FAIL`, `SKIP`.
  static func word(_ status: RuleStatus) -> String { status.rawValue.uppercased() }

  /// A percentage with up to four decimals: `10 %`, `59.3859 %`, `NaN %`, `+Inf %`.
  static func percent(_ fraction: Double, signed: Bool = false) -> String {
    if fraction.isNaN { return "NaN %" }
    if fraction.isInfinite { return fraction > 0 ? "+Inf %" : "-Inf %" }
    var text = ByteFormat.fixed(fraction * 100, digits: 4)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    if text == "-0" { text = "0" }
    return (signed && fraction > 0 ? "+" : "") + text + " %"
  }

  /// Bytes for people (`2.97 MB`), with the exact count when `precise` (`2.97 MB (2966048 bytes)`).
  static func bytes(_ value: Int64, precise: Bool = false, signed: Bool = false) -> String {
    let sign = signed && value > 0 ? "+" : ""
    let human = sign + ByteFormat.human(value)
    return precise && value.magnitude >= 1000 ? "\(human) (\(sign)\(value) bytes)" : human
  }

  /// A measured value or limit.
  static func quantity(_ quantity: Quantity, kind: RuleKind, precise: Bool = false) -> String {
    let signed = kind == .maxGrowth || kind == .maxGrowthPercent
    switch quantity {
    case .bytes(let value): return bytes(value, precise: precise, signed: signed)
    case .fraction(let value):
      let text = percent(value, signed: signed)
      return precise && value.isFinite && kind.isDive ? "\(text) (\(GoNumbers.formatV(value)))" : text
    case .count(let value):
      switch kind {
      case .forbid: return value == 1 ? "1 file" : "\(value) files"
      case .maxLayerCount: return value == 1 ? "1 layer" : "\(value) layers"
      default: return String(value)
      }
    }
  }

  /// What was measured against what: `2.97 MB > limit 2.5 MB`, `84.9748 % < limit 90 %`,
  /// `10 layers ≤ limit 12 layers`, `4 files found, none allowed`, or why it was skipped.
  static func comparison(_ result: RuleResult, precise: Bool = false) -> String {
    guard result.status != .skip, let measured = result.measured, let limit = result.limit else {
      return result.message.isEmpty ? "rule disabled" : result.message
    }
    let value = quantity(measured, kind: result.kind, precise: precise)
    if result.kind == .forbid {
      return result.status == .pass ? "none found" : "\(value) found, none allowed"
    }
    let crossed = result.status == .fail || result.status == .warn
    let above = result.bound == .atMost
    let op = crossed ? (above ? ">" : "<") : (above ? "≤" : "≥")
    let label =
      result.status == .warn || (result.status == .pass && limit != result.limits.fail) ? "warning limit" : "limit"
    return "\(value) \(op) \(label) \(quantity(limit, kind: result.kind, precise: precise))"
  }

  /// The rule's name and subject as a sentence opener: `image size`, `bytes under /app/**`.
  static func title(_ result: RuleResult) -> String {
    guard let subject = result.subject else { return result.kind.title }
    switch result.kind {
    case .maxPathSize: return "bytes under \(subject)"
    case .forbid: return "forbidden files (\(subject))"
    case .maxCategoryWaste: return "waste in \(subject)"
    case .maxCategoryWastePercent: return "waste in \(subject), share of the image"
    default: return "\(result.kind.title) \(subject)"
    }
  }

  /// One detail: `1.98 MB  layer 0: ADD file:… in /`, `+205 kB  /var/lib/apt/lists (new)`.
  /// - Parameter width: the bytes are right-aligned in this many columns.
  static func detail(_ detail: RuleDetail, kind: RuleKind, width: Int = 0) -> String {
    let growth = detail.before != nil
    var text = SafeText.padLeft(bytes(detail.bytes, signed: growth), to: width) + "  "
    switch detail.subject {
    case .path(let path): text += SafeText.escape(path)
    case .layer(let index, let command):
      text += index >= 0 ? "layer \(index)" : "removed layer"
      if let command, !command.isEmpty { text += ": " + SafeText.escape(CommandText.short(command, limit: 60)) }
    case .category(let category): text += category
    }
    var notes: [String] = []
    if let count = detail.count,
      kind.isDive || kind == .minEfficiency || kind == .maxWastedBytes || kind == .maxUserWastedPercent
    {
      notes.append("in \(count) layers")
    }
    if let before = detail.before, before > 0 { notes.append("was \(ByteFormat.human(before))") }
    if let note = detail.note { notes.append(SafeText.escape(note)) }
    return notes.isEmpty ? text : text + " (" + notes.joined(separator: ", ") + ")"
  }
}
