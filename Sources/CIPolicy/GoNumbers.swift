import Analysis

/// Go's number syntax and formatting, as dive's CI rules use them: `strconv.ParseFloat`,
/// `fmt`'s `%v` for a float64, and `strconv.FormatFloat(f, 'f', -1, 64)`.
package enum GoNumbers {
  /// `strconv.ParseFloat(text, 64)`: the value, or Go's error text
  /// (`strconv.ParseFloat: parsing "abc": invalid syntax`, `…: value out of range`).
  ///
  /// Accepted like Go: an optional sign, decimal digits with an optional point and exponent,
  /// hexadecimal mantissas with a required `p` exponent, `_` between digits, and
  /// case-insensitive `inf`, `infinity` (signed or not) and `nan` (unsigned only).
  package static func parseFloat(_ text: String) -> Result<Double, GoNumberError> {
    let bytes = Array(text.utf8)
    if let special = special(bytes) { return .success(special) }
    guard let cleaned = wellFormed(bytes) else { return .failure(syntax(text)) }
    guard let value = Double(cleaned) else { return .failure(syntax(text)) }
    if value.isInfinite {
      return .failure(GoNumberError(function: "ParseFloat", input: text, reason: "value out of range"))
    }
    return .success(value)
  }

  /// `fmt.Sprintf("%v", value)`: the shortest digits that read back as `value`, in exponent
  /// form (`1e-05`, `1.234567e+06`) when the decimal exponent is below -4 or at least 6.
  package static func formatV(_ value: Double) -> String {
    if let text = nonFinite(value) { return text }
    guard let (negative, digits, point) = shortestDigits(value) else { return "0" }
    let exponent = point - 1
    let sign = negative ? "-" : ""
    if exponent < -4 || exponent >= 6 {
      let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
      let magnitude = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
      return "\(sign)\(mantissa)e\(exponent < 0 ? "-" : "+")\(magnitude)"
    }
    return sign + plain(digits, point)
  }

  /// `strconv.FormatFloat(value, 'f', -1, 64)`: the shortest digits, never an exponent.
  package static func formatF(_ value: Double) -> String {
    if let text = nonFinite(value) { return text }
    guard let (negative, digits, point) = shortestDigits(value) else { return "0" }
    return (negative ? "-" : "") + plain(digits, point)
  }

  // MARK: Parsing

  private static func syntax(_ text: String) -> GoNumberError {
    GoNumberError(function: "ParseFloat", input: text, reason: "invalid syntax")
  }

  /// Go's `special`: `[+-]inf`, `[+-]infinity`, `nan`, any case, and nothing after.
  private static func special(_ bytes: [UInt8]) -> Double? {
    let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    var body = lower[...]
    var sign = 1.0
    if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      sign = first == UInt8(ascii: "-") ? -1 : 1
      body = body.dropFirst()
      let word = String(decoding: body, as: UTF8.self)
      return word == "inf" || word == "infinity" ? sign * .infinity : nil
    }
    let word = String(decoding: body, as: UTF8.self)
    if word == "inf" || word == "infinity" { return .infinity }
    if word == "nan" { return .nan }
    return nil
  }

  /// The text without underscores when Go's `readFloat` accepts all of it, else nil.
  private static func wellFormed(_ bytes: [UInt8]) -> String? {
    var index = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
    let hex =
      index + 2 < bytes.count && bytes[index] == UInt8(ascii: "0") && (bytes[index + 1] | 0x20) == UInt8(ascii: "x")
    if hex { index += 2 }
    var digits = 0
    var sawPoint = false
    var underscores = false
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "_") {
        underscores = true
      } else if byte == UInt8(ascii: ".") {
        if sawPoint { break }
        sawPoint = true
      } else if isDigit(byte, hex: hex) {
        digits += 1
      } else {
        break
      }
      index += 1
    }
    guard digits > 0 else { return nil }
    let exponentMark = hex ? UInt8(ascii: "p") : UInt8(ascii: "e")
    if index < bytes.count, bytes[index] | 0x20 == exponentMark {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      var exponentDigits = 0
      while index < bytes.count, isDigit(bytes[index], hex: false) || bytes[index] == UInt8(ascii: "_") {
        if bytes[index] == UInt8(ascii: "_") { underscores = true } else { exponentDigits += 1 }
        index += 1
      }
      guard exponentDigits > 0 else { return nil }
    } else if hex {
      return nil  // "hexadecimal mantissa requires a 'p' exponent"
    }
    guard index == bytes.count else { return nil }
    if underscores && !underscoresAllowed(bytes) { return nil }
    return String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
  }

  private static func isDigit(_ byte: UInt8, hex: Bool) -> Bool {
    if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { return true }
    let lower = byte | 0x20
    return hex && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f")
  }

  /// Go's `underscoreOK`: every `_` sits between digits (or after a base prefix).
  private static func underscoresAllowed(_ bytes: [UInt8]) -> Bool {
    var body = bytes[...]
    if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { body = body.dropFirst() }
    var saw: Character = "^"
    var hex = false
    if body.count >= 2, body.first == UInt8(ascii: "0"),
      [UInt8(ascii: "b"), UInt8(ascii: "o"), UInt8(ascii: "x")].contains(body[body.startIndex + 1] | 0x20)
    {
      hex = body[body.startIndex + 1] | 0x20 == UInt8(ascii: "x")
      body = body.dropFirst(2)
      saw = "0"
    }
    for byte in body {
      if isDigit(byte, hex: hex) {
        saw = "0"
      } else if byte == UInt8(ascii: "_") {
        if saw != "0" { return false }
        saw = "_"
      } else {
        if saw == "_" { return false }
        saw = "!"
      }
    }
    return saw != "_"
  }

  // MARK: Formatting

  private static func nonFinite(_ value: Double) -> String? {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    return nil
  }

  /// Swift's shortest round-trip digits of `value` (as Go's): sign, digits without leading or
  /// trailing zeros, and the position of the decimal point (`value = 0.digits × 10^point`).
  /// Nil for zero.
  static func shortestDigits(_ value: Double) -> (Bool, String, Int)? {
    guard value != 0 else { return nil }
    let text = String(describing: value.magnitude)
    let parts = text.split(separator: "e", maxSplits: 1)
    let mantissa = parts.first.map(String.init) ?? text
    let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let whole = pieces.first.map(String.init) ?? ""
    let fraction = pieces.count > 1 ? String(pieces[1]) : ""
    var digits = Array(whole + fraction)
    var point = whole.count + exponent
    while digits.first == "0" {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == "0" { digits.removeLast() }
    guard !digits.isEmpty else { return nil }
    return (value < 0, String(digits), point)
  }

  private static func plain(_ digits: String, _ point: Int) -> String {
    if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
    if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
    return "\(digits.prefix(point)).\(digits.dropFirst(point))"
  }
}

/// A number Go's `strconv` would refuse, with Go's message.
package struct GoNumberError: Error, Sendable, Hashable, CustomStringConvertible {
  /// `ParseFloat`.
  package var function: String
  /// The text given.
  package var input: String
  /// `invalid syntax` or `value out of range`.
  package var reason: String

  /// `strconv.ParseFloat: parsing "abc": invalid syntax`.
  package var description: String { "strconv.\(function): parsing \(GoNumbers.quote(input)): \(reason)" }
}

extension GoNumbers {
  /// Go's `strconv.Quote` for the texts a configuration holds: `"`, `\` and control
  /// characters escaped, everything else as is.
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
