import JSONIO

/// `strata analyze --format html`: one self-contained page (no network, no external script,
/// style or font) with a treemap of the merged filesystem, the layers, the summary figures and
/// the waste findings.
///
/// The page is a fixed skeleton, a style sheet, a script, and the data as one JSON block:
/// `{"format": "strata-html", "version": 1, "images": [HTMLImage…], "comparison": …}`. Every
/// name from the image reaches the page only inside that block (escaped by
/// `HTMLEscape.scriptJSON`) and is put on screen by the script as text nodes, never as markup.
///
/// Several images (`strata compare … --format html`) are several `HTMLImage` values: the page
/// then opens with a side-by-side table of their figures and, when `comparison` carries a
/// `sharedLayers` array, the layers they share (`docs/html-report.md` gives the shape).
package enum HTMLReport {
  /// The version of the data block's layout.
  package static let dataVersion: Int64 = 1

  /// The page for one image or several.
  /// - Parameter comparison: what `strata compare` computed about the images together, or nil.
  package static func render(_ images: [HTMLImage], comparison: JSONValue? = nil) -> String {
    let labels = images.map {
      $0.report["image"]?["tags"]?.arrayValue?.first?.stringValue ?? $0.report["image"]?["source"]?.stringValue
        ?? "image"
    }
    let title = "strata: " + labels.joined(separator: " vs ")
    let data: JSONValue = [
      "format": "strata-html", "version": .integer(dataVersion), "images": .array(images.map(\.json)),
      "comparison": comparison ?? .null,
    ]
    return page(title: title, data: data)
  }

  /// The document around the data block.
  static func page(title: String, data: JSONValue) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
    <title>\(HTMLEscape.text(title))</title>
    <style>
    \(HTMLStyle.css)</style>
    </head>
    <body>
    <noscript><p class="noscript">This report draws with JavaScript, which is off. Its data is the JSON in the page source (script id "strata-data").</p></noscript>
    <div id="strata-errors" class="errors" hidden></div>
    <main id="strata-app"></main>
    <script type="application/json" id="strata-data">\(HTMLEscape.scriptJSON(data.serialized(pretty: false)))</script>
    <script>
    \(HTMLScript.source)</script>
    </body>
    </html>

    """
  }
}
