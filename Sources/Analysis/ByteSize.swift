/// Parses sizes written by people: `1048576`, `20Mb`, `1.5 GB`, `512KiB`.
///
/// Units are case-insensitive. `k`, `kb`, `m`, `mb`, … are decimal (1000), as in dive's
/// configuration (`humanize.ParseBytes`); `ki`, `kib`, `mi`, `mib`, … are binary (1024).
package enum ByteSize {
  /// The byte count, or nil when `text` is not a size.
  package static func parse(_ text: String) -> Int64? {
    let trimmed = text.filter { $0 != " " && $0 != "_" && $0 != "," }
    guard !trimmed.isEmpty else { return nil }
    let numberPart = trimmed.prefix { $0.isNumber || $0 == "." }
    let unitPart = trimmed.dropFirst(numberPart.count).lowercased()
    guard let number = Double(numberPart), number >= 0, number.isFinite else { return nil }
    let multipliers: [String: Double] = [
      "": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
      "p": 1e15, "pb": 1e15, "ki": 1024, "kib": 1024, "mi": 1_048_576, "mib": 1_048_576, "gi": 1_073_741_824,
      "gib": 1_073_741_824, "ti": 1_099_511_627_776, "tib": 1_099_511_627_776,
    ]
    guard let multiplier = multipliers[unitPart] else { return nil }
    let value = (number * multiplier).rounded()
    guard value < 9.2e18 else { return nil }
    return Int64(value)
  }
}
