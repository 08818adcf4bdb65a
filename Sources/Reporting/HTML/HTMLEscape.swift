/// Escaping for the two places the HTML report puts text from an image (file names, tags,
/// commands — all untrusted): HTML markup, and the JSON data block read by the report's script.
package enum HTMLEscape {
  /// Text for HTML element content or a quoted attribute value: `&`, `<`, `>`, `"` and `'` as
  /// character references, control characters shown escaped (`\x1B`).
  package static func text(_ text: String) -> String {
    var result = ""
    for character in SafeText.escape(text) {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.append(character)
      }
    }
    return result
  }

  /// Serialised JSON made safe inside `<script type="application/json">`: `<`, `>` and `&` become
  /// `\u003c`, `\u003e`, `\u0026`, so no `</script>` or `<!--` can end or alter the block, and
  /// U+2028/U+2029 become `\u2028`/`\u2029` (line terminators to older JavaScript parsers).
  ///
  /// JSON has these characters only inside strings, where the escapes denote the same string.
  package static func scriptJSON(_ json: String) -> String {
    // Done on the UTF-8 bytes (U+2028 and U+2029 are E2 80 A8 and E2 80 A9): the data block of a
    // large image is megabytes, too many to append scalar by scalar.
    var json = json
    return json.withUTF8 { bytes in
      var result: [UInt8] = []
      result.reserveCapacity(bytes.count + bytes.count / 64)
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "<"): result += #"\u003c"#.utf8
        case UInt8(ascii: ">"): result += #"\u003e"#.utf8
        case UInt8(ascii: "&"): result += #"\u0026"#.utf8
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] & 0xFE) == 0xA8:
          result += (bytes[index + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8
          index += 2
        default: result.append(byte)
        }
        index += 1
      }
      return String(decoding: result, as: UTF8.self)
    }
  }
}
