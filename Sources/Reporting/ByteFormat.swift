/// Formats byte counts for people (`1.2 MB`, decimal units as docker and dive print them) or
/// exactly (`1234567`, as `--bytes` prints them; `grouped` gives `1,234,567` where a report
/// wants separators).
package struct ByteFormat: Sendable {
  /// Exact integers instead of rounded units.
  package var exact: Bool

  /// Creates a format.
  package init(exact: Bool = false) { self.exact = exact }

  /// `1.2 MB` or `1234567`.
  package func format(_ bytes: Int64) -> String {
    exact ? String(bytes) : Self.human(bytes)
  }

  /// Decimal units with three significant digits: `0 B`, `999 B`, `1.00 kB`, `12.3 MB`.
  package static func human(_ bytes: Int64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
    let negative = bytes < 0
    var value = Double(bytes.magnitude)
    var unit = 0
    while value >= 999.995 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    let sign = negative ? "-" : ""
    if unit == 0 { return "\(sign)\(bytes.magnitude) B" }
    let digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2
    return "\(sign)\(fixed(value, digits: digits)) \(units[unit])"
  }

  /// `1234567` → `1,234,567`.
  package static func grouped(_ value: Int64) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (offset, character) in digits.enumerated() {
      if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return value < 0 ? "-" + result : result
  }

  /// A fixed-point rendering without Foundation.
  package static func fixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    // Past 2^53 there are no fractions left to print, and Int64 would overflow.
    guard abs(value) < 1e15 else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (value * scale).rounded()
    let whole = Int64(scaled / scale)
    let fraction = Int64(abs(scaled - Double(whole) * scale).rounded())
    guard digits > 0 else { return String(Int64(scaled)) }
    var fractionText = String(fraction)
    while fractionText.count < digits { fractionText = "0" + fractionText }
    let sign = value < 0 && whole == 0 && fraction != 0 ? "-" : ""
    return "\(sign)\(whole).\(fractionText)"
  }

  /// A fraction as a percentage with four decimals (`0.98442` → `98.4421 %`).
  package static func percent(_ fraction: Double) -> String {
    "\(fixed(fraction * 100, digits: 4)) %"
  }
}
