internal import CJansson
import Glibc

extension JSONValue {
  /// jansson's flags: two-space indentation (or compact), reals with 17 significant digits so
  /// that they read back as the same Double, and any value allowed at the top.
  private static func dumpFlags(pretty: Bool) -> Int {
    let realPrecision = (17 & 0x1F) << 11
    return realPrecision | Int(JSON_ENCODE_ANY) | (pretty ? 2 : Int(JSON_COMPACT))
  }

  /// Serialises the value with jansson: keys in insertion order, and a final newline.
  package func serialized(pretty: Bool = true) -> String {
    guard let root = Self.build(self) else { return "null\n" }
    defer { json_decref(root) }
    guard let text = json_dumps(root, Self.dumpFlags(pretty: pretty)) else { return "null\n" }
    defer { free(text) }
    return String(cString: text) + "\n"
  }

  /// Serialises the value like `serialized(pretty:)`, handing the text to `sink` in pieces of
  /// up to 64 KiB instead of building it whole. The value is given up first: only jansson's copy
  /// of the document is alive while it is written, not the Swift value as well.
  /// - Parameter sink: writes one piece; returns false to stop (a write error).
  /// - Returns: false when `sink` failed or jansson could not build the document.
  package consuming func write(pretty: Bool = true, to sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
    guard let root = Self.build(self) else { return false }
    _ = consume self
    defer { json_decref(root) }
    return withoutActuallyEscaping(sink) { sink in
      let target = FlushTarget(sink)
      let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.writeBufferSize)
      defer { buffer.deallocate() }
      var gathered = strata_json_sink(
        buffer: buffer, capacity: Self.writeBufferSize, used: 0,
        flush: { bytes, count, context in
          guard let bytes, let context else { return -1 }
          let target = Unmanaged<FlushTarget>.fromOpaque(context).takeUnretainedValue()
          return target.sink(UnsafeRawBufferPointer(start: bytes, count: count)) ? 0 : -1
        }, context: Unmanaged.passUnretained(target).toOpaque(), failed: 0)
      return withExtendedLifetime(target) {
        let status = json_dump_callback(root, strata_json_sink_append, &gathered, Self.dumpFlags(pretty: pretty))
        return status == 0 && strata_json_sink_append("\n", 1, &gathered) == 0 && strata_json_sink_flush(&gathered) == 0
      }
    }
  }

  /// The size of the blocks `write(pretty:to:)` hands its sink.
  static let writeBufferSize = 64 * 1024

  private static func build(_ value: JSONValue) -> UnsafeMutablePointer<json_t>? {
    switch value {
    case .null: return json_null()
    case .bool(let flag): return flag ? json_true() : json_false()
    case .integer(let number): return json_integer(json_int_t(number))
    case .real(let number): return number.isFinite ? json_real(number) : json_null()
    case .string(let text):
      // withCString lends a native string's own bytes (no copy, unlike utf8CString).
      return text.withCString { json_stringn($0, text.utf8.count) }
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
        _ = key.withCString { json_object_setn_new(built, $0, key.utf8.count, child) }
      }
      return built
    }
  }
}

/// The sink of `JSONValue.write(pretty:to:)`, reached from C through an unretained pointer.
private final class FlushTarget {
  let sink: (UnsafeRawBufferPointer) -> Bool
  init(_ sink: @escaping (UnsafeRawBufferPointer) -> Bool) { self.sink = sink }
}
