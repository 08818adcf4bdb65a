internal import CJansson

extension JSONValue {
  /// Parses a JSON document with jansson.
  ///
  /// Duplicate object keys are rejected (a hostile document could otherwise say two things at
  /// once), and so is nesting deeper than jansson's limit of 2048.
  /// - Throws: `JSONError` with line and column.
  package static func parse(_ bytes: [UInt8]) throws -> JSONValue {
    if let (line, column) = Self.tooDeep(bytes) {
      return try fail(line: line, column: column, text: "nested deeper than \(maxDepth) levels")
    }
    var error = json_error_t()
    let flags = Int(JSON_REJECT_DUPLICATES) | Int(JSON_DECODE_ANY) | Int(JSON_ALLOW_NUL)
    let root = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { base in
        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
          json_loadb($0, buffer.count, flags, &error)
        }
      }
    }
    guard let root else {
      let text = withUnsafeBytes(of: &error.text) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      return try fail(line: Int(error.line), column: Int(error.column), text: bytes.isEmpty ? "empty document" : text)
    }
    defer { json_decref(root) }
    return convert(root)
  }

  /// Parses a JSON document held in a string.
  package static func parse(_ text: String) throws -> JSONValue {
    try parse(Array(text.utf8))
  }

  /// The deepest nesting accepted: documents this deep are far past any real manifest, and
  /// converting them would recurse that deep.
  package static let maxDepth = 512

  /// Where nesting first passes `maxDepth` (brackets inside strings do not count), or nil.
  static func tooDeep(_ bytes: [UInt8]) -> (line: Int, column: Int)? {
    var depth = 0
    var inString = false
    var escaped = false
    var line = 1
    var column = 0
    for byte in bytes {
      column += 1
      if byte == 0x0A {
        line += 1
        column = 0
      }
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        depth += 1
        if depth > maxDepth { return (line, column) }
      case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
      default: break
      }
    }
    return nil
  }

  private static func fail(line: Int, column: Int, text: String) throws -> JSONValue {
    throw JSONError(line: max(line, 0), column: max(column, 0), text: text)
  }

  private static func convert(_ node: UnsafeMutablePointer<json_t>) -> JSONValue {
    switch node.pointee.type {
    case JSON_OBJECT:
      var object = JSONObject()
      var iterator = json_object_iter(node)
      while let current = iterator {
        let length = json_object_iter_key_len(current)
        let key: String
        if let raw = json_object_iter_key(current) {
          key = raw.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
          }
        } else {
          key = ""
        }
        // jansson keeps one value per key (the last), so the keys arrive unique.
        if let value = json_object_iter_value(current) { object.appendUnique(key, convert(value)) }
        iterator = json_object_iter_next(node, current)
      }
      return .object(object)
    case JSON_ARRAY:
      let count = json_array_size(node)
      var elements: [JSONValue] = []
      elements.reserveCapacity(count)
      for index in 0..<count {
        if let element = json_array_get(node, index) { elements.append(convert(element)) }
      }
      return .array(elements)
    case JSON_STRING:
      let length = json_string_length(node)
      guard let raw = json_string_value(node) else { return .string("") }
      return raw.withMemoryRebound(to: UInt8.self, capacity: length) {
        .string(String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self))
      }
    case JSON_INTEGER: return .integer(Int64(json_integer_value(node)))
    case JSON_REAL: return .real(json_real_value(node))
    case JSON_TRUE: return .bool(true)
    case JSON_FALSE: return .bool(false)
    default: return .null
    }
  }
}
