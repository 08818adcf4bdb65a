/// A JSON document as a Swift value. Objects keep their keys in document order.
package indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case integer(Int64)
  case real(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The value under `key` when this is an object.
  package subscript(key: String) -> JSONValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  /// The string, when this is a string.
  package var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The integer, when this is an integer (or a real with no fractional part).
  package var integerValue: Int64? {
    switch self {
    case .integer(let value): return value
    case .real(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int64(value)
    default: return nil
    }
  }

  /// The number as a Double, when this is a number.
  package var doubleValue: Double? {
    switch self {
    case .integer(let value): return Double(value)
    case .real(let value): return value
    default: return nil
    }
  }

  /// The bool, when this is a bool.
  package var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements, when this is an array.
  package var arrayValue: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The object, when this is an object.
  package var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// Whether this is `null`.
  package var isNull: Bool { self == .null }

  /// A short name of the JSON type, for messages ("a string", "an object").
  package var typeDescription: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .integer, .real: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}

/// A JSON object whose keys keep their insertion order.
///
/// The pairs are kept in one array: report objects have a handful of keys, and a report holds
/// tens of thousands of them, so a hash table per object would cost far more than it saves.
/// Lookups are linear; parsed documents come from jansson with their keys already unique.
package struct JSONObject: Sendable, Equatable {
  private var storage: [(key: String, value: JSONValue)] = []

  /// An empty object.
  package init() {}

  /// An object with these pairs, in this order.
  package init(_ pairs: KeyValuePairs<String, JSONValue>) {
    storage.reserveCapacity(pairs.count)
    for (key, value) in pairs { self[key] = value }
  }

  /// The keys in order.
  package var keys: [String] { storage.map(\.key) }

  /// The value for `key`; setting appends new keys at the end.
  package subscript(key: String) -> JSONValue? {
    get { storage.first { $0.key == key }?.value }
    set {
      let found = storage.firstIndex { $0.key == key }
      switch (found, newValue) {
      case (let index?, let value?): storage[index].value = value
      case (let index?, nil): storage.remove(at: index)
      case (nil, let value?): storage.append((key, value))
      case (nil, nil): break
      }
    }
  }

  /// Appends a pair whose key the caller knows is not in the object yet (a parsed object).
  mutating func appendUnique(_ key: String, _ value: JSONValue) {
    storage.append((key, value))
  }

  /// The pairs in order.
  package var pairs: [(key: String, value: JSONValue)] { storage }

  /// Number of keys.
  package var count: Int { storage.count }

  /// Same keys in the same order with equal values.
  package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    lhs.count == rhs.count && zip(lhs.storage, rhs.storage).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
  package init(stringLiteral value: String) { self = .string(value) }
  package init(integerLiteral value: Int64) { self = .integer(value) }
  package init(booleanLiteral value: Bool) { self = .bool(value) }
  package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  package init(floatLiteral value: Double) { self = .real(value) }
  package init(nilLiteral: ()) { self = .null }
  package init(dictionaryLiteral elements: (String, JSONValue)...) {
    var object = JSONObject()
    for (key, value) in elements { object[key] = value }
    self = .object(object)
  }
}
