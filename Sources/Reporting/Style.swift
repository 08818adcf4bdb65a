/// Colours for terminal output, or none. The meaning of text is chosen by the renderer
/// (`.added`, `.heading`); whether it is coloured is chosen once, by the caller.
package struct Style: Sendable {
  /// Semantic roles.
  package enum Role: Sendable {
    case heading, muted, added, changed, removed, warning, emphasis
  }

  /// Whether to emit ANSI colour codes.
  package var colored: Bool

  /// Creates a style.
  package init(colored: Bool) { self.colored = colored }

  /// Plain text, never coloured.
  package static let plain = Style(colored: false)

  /// Wraps `text` in the codes for `role` when colouring.
  package func apply(_ role: Role, _ text: String) -> String {
    guard colored else { return text }
    let code: String
    switch role {
    case .heading: code = "1"
    case .muted: code = "2"
    case .added: code = "32"
    case .changed: code = "33"
    case .removed: code = "31"
    case .warning: code = "1;33"
    case .emphasis: code = "1;36"
    }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }
}
