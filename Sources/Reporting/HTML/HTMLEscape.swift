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
    var result = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      switch scalar {
      case "<": result.append(contentsOf: "\\u003c".unicodeScalars)
      case ">": result.append(contentsOf: "\\u003e".unicodeScalars)
      case "&": result.append(contentsOf: "\\u0026".unicodeScalars)
      case "\u{2028}": result.append(contentsOf: "\\u2028".unicodeScalars)
      case "\u{2029}": result.append(contentsOf: "\\u2029".unicodeScalars)
      default: result.append(scalar)
      }
    }
    return String(result)
  }
}
