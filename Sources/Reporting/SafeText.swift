/// Makes names from an image safe to print: control characters and terminal escape sequences
/// are shown escaped (`\n`, `\x1B`), never sent raw to a terminal.
package enum SafeText {
  /// `name` with every C0/C1 control character and DEL escaped; backslashes doubled only
  /// where they would make an escape ambiguous is not attempted: a name's own `\` stays.
  package static func escape(_ text: String) -> String {
    // Printable ASCII (the bytes of nearly every name) holds no control character.
    var bytes = text
    if bytes.withUTF8({ utf8 in utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E } }) { return text }
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      guard isControl(scalar) else {
        result.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        result += scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
      }
    }
    return result
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
      || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
  }

  /// Display width in terminal columns (East Asian wide characters count 2, combining marks 0).
  package static func width(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + columns($1) }
  }

  static func columns(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark
      || value == 0x200B || (0xFE00...0xFE0F).contains(value)
    {
      return 0
    }
    if (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
      || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
      || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1F64F).contains(value)
      || (0x1F900...0x1F9FF).contains(value) || (0x20000...0x3FFFD).contains(value)
    {
      return 2
    }
    return 1
  }

  /// Cuts `text` to at most `limit` columns, ending with `…` when cut.
  package static func truncate(_ text: String, to limit: Int) -> String {
    guard limit > 0 else { return "" }
    guard width(text) > limit else { return text }
    var result = ""
    var used = 0
    for character in text {
      let needed = width(String(character))
      if used + needed > limit - 1 { break }
      result.append(character)
      used += needed
    }
    return result + "…"
  }

  /// Cuts `text` to at most `limit` columns by replacing its middle with `…`, keeping its start
  /// and, with about 60 % of the room, its end (a command's destination, a path's file name).
  package static func truncateMiddle(_ text: String, to limit: Int) -> String {
    guard limit > 0 else { return "" }
    guard width(text) > limit else { return text }
    let tailRoom = (limit - 1) * 3 / 5
    var tail: [Character] = []
    var used = 0
    for character in text.reversed() {
      let needed = width(String(character))
      if used + needed > tailRoom { break }
      tail.append(character)
      used += needed
    }
    return truncate(String(text.dropLast(tail.count)), to: limit - used) + String(tail.reversed())
  }

  /// `text` broken at spaces into lines of at most `width` columns (a word longer than that
  /// gets a line of its own).
  package static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      let candidate = line.isEmpty ? String(word) : line + " " + word
      if !line.isEmpty && Self.width(candidate) > width {
        lines.append(line)
        line = String(word)
      } else {
        line = candidate
      }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }

  /// Pads `text` with spaces to `columns` (left-aligned), by display width.
  package static func pad(_ text: String, to columns: Int) -> String {
    let missing = columns - width(text)
    return missing > 0 ? text + String(repeating: " ", count: missing) : text
  }

  /// Right-aligns `text` in `columns`.
  package static func padLeft(_ text: String, to columns: Int) -> String {
    let missing = columns - width(text)
    return missing > 0 ? String(repeating: " ", count: missing) + text : text
  }
}
