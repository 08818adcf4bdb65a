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
      let chunker = Chunker(sink: sink)
      let context = Unmanaged.passUnretained(chunker).toOpaque()
      let status = json_dump_callback(
        root,
        { bytes, count, context in
          guard let bytes, let context else { return -1 }
          let chunker = Unmanaged<Chunker>.fromOpaque(context).takeUnretainedValue()
          return chunker.append(UnsafeRawBufferPointer(start: bytes, count: count)) ? 0 : -1
        }, context, Self.dumpFlags(pretty: pretty))
      let newline: [UInt8] = [0x0A]
      return status == 0 && newline.withUnsafeBytes { chunker.append($0) } && chunker.flush()
    }
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

/// Gathers jansson's many small output pieces into 64 KiB blocks for the sink.
private final class Chunker {
  private let sink: (UnsafeRawBufferPointer) -> Bool
  private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
  private var used = 0
  /// Set once the sink has failed: nothing more is handed to it.
  private var failed = false

  init(sink: @escaping (UnsafeRawBufferPointer) -> Bool) { self.sink = sink }

  deinit { buffer.deallocate() }

  func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard !failed else { return false }
    var rest = bytes
    while !rest.isEmpty {
      if used == buffer.count, !flush() { return false }
      let take = min(rest.count, buffer.count - used)
      UnsafeMutableRawBufferPointer(rebasing: buffer[used..<used + take]).copyMemory(
        from: UnsafeRawBufferPointer(rebasing: rest[..<take]))
      used += take
      rest = UnsafeRawBufferPointer(rebasing: rest[take...])
    }
    return true
  }

  func flush() -> Bool {
    guard !failed else { return false }
    defer { used = 0 }
    if used > 0 && !sink(UnsafeRawBufferPointer(rebasing: buffer[..<used])) { failed = true }
    return !failed
  }
}
