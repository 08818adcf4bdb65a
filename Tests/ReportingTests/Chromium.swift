import Foundation
import TestSupport

/// Headless Chromium, for the tests that open reports in a real browser. Debian's package is
/// `chromium`; other systems call it `chromium-browser`. `$STRATA_CHROMIUM` names another binary.
enum Chromium {
  /// The browser, or nil when none is installed.
  static let path: String? = {
    let environment = ProcessInfo.processInfo.environment
    if let chosen = environment["STRATA_CHROMIUM"], !chosen.isEmpty {
      return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
    }
    return TS.executable("chromium") ?? TS.executable("chromium-browser")
  }()

  /// Why the browser tests are skipped when they are.
  static let missing =
    "Chromium is not installed (apt-get install chromium, or run Scripts/setup.sh): browser tests skipped"

  /// The page's DOM after its scripts ran, serialised (`--dump-dom`).
  static func dumpDOM(of page: URL, width: Int = 1400, height: Int = 1000) throws -> String {
    try run(["--dump-dom", page.absoluteString], width: width, height: height)
  }

  /// Renders the page to a PNG of the window's size (`--screenshot`).
  static func screenshot(of page: URL, to png: URL, width: Int = 1400, height: Int = 1000) throws {
    _ = try run(["--screenshot=" + png.path, page.absoluteString], width: width, height: height)
  }

  /// Runs the browser with a fresh profile, no network services, and a time limit; returns its
  /// standard output.
  private static func run(_ arguments: [String], width: Int, height: Int) throws -> String {
    guard let path else { throw TestArchiveError(missing) }
    let scratch = try temporaryDirectory("strata-chromium")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio",
        "--user-data-dir=" + scratch.appendingPathComponent("profile").path, "--window-size=\(width),\(height)",
      ] + arguments
    let run = try ChildProcess.run(path, arguments, timeout: 120)
    guard run.status == 0 else {
      throw TestArchiveError("chromium exited with \(run.status): \(run.stderr.suffix(2000))")
    }
    let stdout = run.stdout
    return stdout
  }
}

/// A start tag of a serialised DOM with its attributes (values unescaped).
struct Tag {
  var name: String
  var attributes: [String: String]
  /// The text right after the tag, up to the next tag (unescaped).
  var text: String

  subscript(_ attribute: String) -> String? { attributes[attribute] }
  func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

  /// Every `<name …>` start tag of `html`, in document order.
  static func all(_ name: String, in html: String) -> [Tag] {
    var tags: [Tag] = []
    var rest = html[...]
    while let start = rest.firstRange(of: "<" + name + " ") {
      guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
      let after = rest[rest.index(after: end)...]
      let text = after[..<(after.firstIndex(of: "<") ?? after.endIndex)]
      tags.append(
        Tag(name: name, attributes: attributes(String(rest[start.upperBound..<end])), text: unescape(String(text))))
      rest = after
    }
    return tags
  }

  /// `a="1" b="x"` → ["a": "1", "b": "x"] (Chromium always quotes with `"` and escapes `"` inside).
  private static func attributes(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    var rest = text[...]
    while let equals = rest.firstIndex(of: "=") {
      let name = rest[..<equals].trimmingCharacters(in: .whitespaces)
      let afterQuote = rest.index(equals, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex
      guard afterQuote <= rest.endIndex, let close = rest[afterQuote...].firstIndex(of: "\"") else { break }
      result[name] = unescape(String(rest[afterQuote..<close]))
      rest = rest[rest.index(after: close)...]
    }
    return result
  }
}

/// Text of serialised HTML as a browser shows it (`&lt;` → `<`, …).
func unescape(_ html: String) -> String {
  html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&nbsp;", with: "\u{a0}")
    .replacingOccurrences(of: "&amp;", with: "&")
}

/// Text as a browser serialises it in a text node (`<` → `&lt;`, …).
func escapedText(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\u{a0}", with: "&nbsp;")
}
