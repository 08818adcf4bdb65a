/// A tiny JSON writer for test metadata: keys stay in the order given, output is compact.
public indirect enum TestJSON: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
  case null
  case bool(Bool)
  case int(Int64)
  case string(String)
  case array([TestJSON])
  case object([(String, TestJSON)])
  /// Text inserted verbatim (to write malformed or unusual documents).
  case raw(String)

  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int64) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: TestJSON...) { self = .array(elements) }
  public init(nilLiteral: ()) { self = .null }

  /// An object with keys in this order.
  public static func obj(_ pairs: (String, TestJSON)...) -> TestJSON { .object(pairs) }

  /// Strings as a JSON array.
  public static func strings(_ values: [String]) -> TestJSON { .array(values.map { .string($0) }) }

  /// The value with `key` set (replaced in place, or appended); only for objects.
  public func setting(_ key: String, _ value: TestJSON) -> TestJSON {
    guard case .object(var pairs) = self else { return self }
    if let index = pairs.firstIndex(where: { $0.0 == key }) {
      pairs[index].1 = value
    } else {
      pairs.append((key, value))
    }
    return .object(pairs)
  }

  /// The value under `key`, for objects.
  public subscript(key: String) -> TestJSON? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  /// Compact JSON text.
  public var text: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .string(let value): return Self.quote(value)
    case .array(let values): return "[" + values.map(\.text).joined(separator: ",") + "]"
    case .object(let pairs): return "{" + pairs.map { Self.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
    case .raw(let text): return text
    }
  }

  /// The UTF-8 bytes of `text`.
  public var bytes: [UInt8] { Array(text.utf8) }

  static func quote(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
