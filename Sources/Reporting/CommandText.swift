/// Shortens a history `created_by` for display: drops the shell prefix and `#(nop)` marker.
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
    return SafeText.escape(text.trimmingSpaces())
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
