internal import CJansson
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension JSONValue {
  /// Serialises the value with jansson: two-space indentation, keys in insertion order, reals with
  /// 17 significant digits so that they read back as the same Double, and a final newline.
  public func serialized(pretty: Bool = true) -> String {
    guard let root = Self.build(self) else { return "null\n" }
    defer { json_decref(root) }
    let realPrecision = (17 & 0x1F) << 11
    var flags = realPrecision | Int(JSON_ENCODE_ANY)
    if pretty { flags |= 2 } else { flags |= Int(JSON_COMPACT) }
    guard let text = json_dumps(root, flags) else { return "null\n" }
    defer { free(text) }
    return String(cString: text) + "\n"
  }

  private static func build(_ value: JSONValue) -> UnsafeMutablePointer<json_t>? {
    switch value {
    case .null: return json_null()
    case .bool(let flag): return flag ? json_true() : json_false()
    case .integer(let number): return json_integer(json_int_t(number))
    case .real(let number): return number.isFinite ? json_real(number) : json_null()
    case .string(let text):
      return text.utf8CString.withUnsafeBufferPointer { json_stringn($0.baseAddress, $0.count - 1) }
    case .array(let elements):
      guard let array = json_array() else { return nil }
      for element in elements {
        if let built = build(element) { json_array_append_new(array, built) }
      }
      return array
    case .object(let object):
      guard let built = json_object() else { return nil }
      for (key, element) in object.pairs {
        guard let child = build(element) else { continue }
        _ = key.utf8CString.withUnsafeBufferPointer { json_object_setn_new(built, $0.baseAddress, $0.count - 1, child) }
      }
      return built
    }
  }
}
