/// Shortens a history `created_by` for display: drops the shell prefix and `#(nop)` marker.
/// The result is raw text from the image: escape it before printing it to a terminal.
package enum CommandText {
  /// `/bin/sh -c #(nop)  COPY dir:… in /app` → `COPY dir:… in /app`.
  package static func display(_ command: String?) -> String {
    guard var text = command, !text.isEmpty else { return "" }
    for prefix in ["/bin/sh -c ", "|"] where text.hasPrefix(prefix) {
      text.removeFirst(prefix.count)
      if prefix == "|" {
        // BuildKit's `|N ARG=… /bin/sh -c …` form.
        if let start = text.firstRange(of: "/bin/sh -c ") { text = String(text[start.upperBound...]) }
      }
    }
    if text.hasPrefix("#(nop) ") { text.removeFirst("#(nop) ".count) }
    return text.trimmingSpaces()
  }

  /// `display(command)` with long digests cut to 8 hex digits (`COPY dir:53b80010… in /app/`):
  /// the part of a builder's command a reader can use is its end.
  package static func compact(_ command: String?) -> String {
    shortenDigests(display(command))
  }

  /// `compact(command)` cut to `limit` characters in the middle with `…`, keeping the start
  /// and, above all, the end (where a `COPY` names its destination), for quoting inside sentences.
  package static func short(_ command: String?, limit: Int = 72) -> String {
    cutMiddle(compact(command), limit: limit)
  }

  /// `text` cut to at most `limit` characters by replacing its middle with `…`; the end keeps
  /// about 60 % of the room.
  package static func cutMiddle(_ text: String, limit: Int) -> String {
    guard text.count > limit else { return text }
    guard limit > 1 else { return limit == 1 ? "…" : "" }
    let tail = (limit - 1) * 3 / 5
    let head = limit - 1 - tail
    return String(text.prefix(head)) + "…" + String(text.suffix(tail))
  }

  /// Runs of 16 or more hexadecimal digits after `:` cut to their first 8 and `…`.
  static func shortenDigests(_ text: String) -> String {
    var result = ""
    var characters = Substring(text)
    while let colon = characters.firstIndex(of: ":") {
      result += characters[...colon]
      characters = characters[characters.index(after: colon)...]
      let digits = characters.prefix { $0.isHexDigit }
      if digits.count >= 16 {
        result += digits.prefix(8) + "…"
        characters = characters.dropFirst(digits.count)
      }
    }
    return result + characters
  }
}

extension String {
  /// Without leading spaces and tabs, and trailing spaces, tabs and newlines.
  package func trimmingSpaces() -> String {
    var scalars = Substring(self)
    while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
    while scalars.last == " " || scalars.last == "\t" || scalars.last == "\n" { scalars.removeLast() }
    return String(scalars)
  }
}
