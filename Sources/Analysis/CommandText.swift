/// Shortens a history `created_by` for display: drops the shell prefix and `#(nop)` marker.
/// The result is raw text from the image: escape it before printing it to a terminal.
public enum CommandText {
  /// `/bin/sh -c #(nop)  COPY dir:… in /app` → `COPY dir:… in /app`.
  public static func display(_ command: String?) -> String {
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

  /// `display(command)` cut to `limit` characters with `…`, for quoting inside sentences.
  public static func short(_ command: String?, limit: Int = 72) -> String {
    let text = display(command)
    return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
  }
}

extension String {
  func trimmingSpaces() -> String {
    var scalars = Substring(self)
    while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
    while scalars.last == " " || scalars.last == "\t" || scalars.last == "\n" { scalars.removeLast() }
    return String(scalars)
  }
}
