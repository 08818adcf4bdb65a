import CIPolicy

/// dive's size syntax for `highestWastedBytes`: go-humanize 1.0.1's `ParseBytes`, exactly.
///
/// The number is the longest leading run of digits, `.` and `,` (commas dropped, so `1,3` is
/// 13); the rest, trimmed and lower-cased, is the unit: `b`, `k`/`kb`, `m`/`mb`, … (powers of
/// 1000) or `ki`/`kib`, `mi`/`mib`, … (powers of 1024), up to `e`/`eb`/`ei`/`eib`, or nothing.
/// The byte count is truncated, not rounded (`31.3KiB` is 32051).
package enum DiveByteSize {
  /// The byte count, or go-humanize's error text.
  package static func parse(_ text: String) -> Result<UInt64, DiveSizeError> {
    var numberEnd = text.startIndex
    var sawComma = false
    for index in text.indices {
      let character = text[index]
      guard character.isASCII && (character.isNumber || character == "." || character == ",") else { break }
      if character == "," { sawComma = true }
      numberEnd = text.index(after: index)
    }
    var number = String(text[..<numberEnd])
    if sawComma { number = number.filter { $0 != "," } }
    let value: Double
    switch GoNumbers.parseFloat(number) {
    case .success(let parsed): value = parsed
    case .failure(let error): return .failure(DiveSizeError(message: error.description))
    }
    let unit = String(text[numberEnd...]).trimmingWhitespace().lowercased()
    guard let multiplier = units[unit] else { return .failure(DiveSizeError(message: "unhandled size name: \(unit)")) }
    let bytes = value * multiplier
    guard bytes < 18_446_744_073_709_551_615.0 else { return .failure(DiveSizeError(message: "too large: \(text)")) }
    return .success(UInt64(bytes))
  }

  private static let units: [String: Double] = {
    var table: [String: Double] = ["": 1, "b": 1]
    var decimal = 1.0
    var binary = 1.0
    for prefix in ["k", "m", "g", "t", "p", "e"] {
      decimal *= 1000
      binary *= 1024
      table[prefix] = decimal
      table[prefix + "b"] = decimal
      table[prefix + "i"] = binary
      table[prefix + "ib"] = binary
    }
    return table
  }()
}

/// A size dive would refuse, with go-humanize's message.
package struct DiveSizeError: Error, Sendable, Hashable, CustomStringConvertible {
  /// `unhandled size name: e3`, `strconv.ParseFloat: parsing "": invalid syntax`, …
  package var message: String
  package var description: String { message }
}

extension String {
  /// Without leading and trailing white space (Unicode's, as Go's `strings.TrimSpace`).
  func trimmingWhitespace() -> String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}
