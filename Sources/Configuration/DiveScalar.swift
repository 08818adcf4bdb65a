import Analysis
import CIPolicy
import YAMLIO

/// The text dive gets for a YAML value: viper reads the file with yaml.v3 and hands dive the
/// value through spf13/cast's `ToString`.
///
/// So a plain scalar is first typed the YAML 1.2 way (`null`, `true`/`false`, integers in
/// Go's base-0 syntax, floats, `.inf`, `.nan`) and then printed back: integers in decimal
/// (`0x7d19` is `32025`), floats with `strconv.FormatFloat(f, 'f', -1, 64)` (`9.9e-1` is
/// `0.99`), booleans as `true`/`false`. Quoted scalars stay verbatim.
enum DiveScalar {
  /// The text, or nil for a null value (dive then uses its default).
  static func text(_ scalar: YAMLScalar) -> String? {
    let text = scalar.text
    guard scalar.style == .plain else { return text }
    switch text {
    case "", "~", "null", "Null", "NULL": return nil
    case "true", "True", "TRUE": return "true"
    case "false", "False", "FALSE": return "false"
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return "+Inf"
    case "-.inf", "-.Inf", "-.INF": return "-Inf"
    case ".nan", ".NaN", ".NAN": return "NaN"
    default: break
    }
    guard let first = text.first else { return text }
    if first == "." {
      if case .success(let value) = GoNumbers.parseFloat(text) { return GoNumbers.formatF(value) }
      return text
    }
    guard first.isASCII && (first.isNumber || first == "+" || first == "-") else { return text }
    if looksLikeTimestamp(text) { return text }
    let plain = text.filter { $0 != "_" }
    if let integer = goInteger(plain) { return integer }
    if isYAMLFloat(plain), case .success(let value) = GoNumbers.parseFloat(plain) { return GoNumbers.formatF(value) }
    return text
  }

  /// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint`, in decimal; also yaml.v3's `0o`
  /// and `0b` forms.
  static func goInteger(_ text: String) -> String? {
    var body = Substring(text)
    var negative = false
    if let sign = body.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      body = body.dropFirst()
    }
    guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isHexDigit || "xXoObB".contains($0)) }) else { return nil }
    var radix = 10
    let lower = body.lowercased()
    if lower.hasPrefix("0x") {
      radix = 16
      body = body.dropFirst(2)
    } else if lower.hasPrefix("0o") {
      radix = 8
      body = body.dropFirst(2)
    } else if lower.hasPrefix("0b") {
      radix = 2
      body = body.dropFirst(2)
    } else if body.count > 1 && body.first == "0" {
      radix = 8
      body = body.dropFirst()
    }
    guard !body.isEmpty, let magnitude = UInt64(body, radix: radix) else { return nil }
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
      return magnitude == 0 ? "0" : "-\(magnitude)"
    }
    return String(magnitude)
  }

  /// yaml.v3's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
  static func isYAMLFloat(_ text: String) -> Bool {
    var rest = Substring(text)
    if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
    let whole = rest.prefix { $0.isASCII && $0.isNumber }
    rest = rest.dropFirst(whole.count)
    var fraction = Substring("")
    if rest.first == "." {
      rest = rest.dropFirst()
      fraction = rest.prefix { $0.isASCII && $0.isNumber }
      rest = rest.dropFirst(fraction.count)
      if whole.isEmpty && fraction.isEmpty { return false }
    } else if whole.isEmpty {
      return false
    }
    if let mark = rest.first, mark == "e" || mark == "E" {
      rest = rest.dropFirst()
      if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      guard !digits.isEmpty else { return false }
      rest = rest.dropFirst(digits.count)
    }
    return rest.isEmpty
  }

  /// `2001-12-14…`: yaml.v3 reads these as timestamps (and dive then gets a date, never a
  /// number); strata keeps the text, which dive's rules refuse just the same.
  static func looksLikeTimestamp(_ text: String) -> Bool {
    let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
    return parts.count == 3 && parts[0].count == 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
  }
}
