import Analysis
import JSONIO

/// One image's part of the HTML report: its `--format json` report and what only the HTML draws
/// (the treemap, display forms of the layer commands, category titles).
///
/// The report's two lists that grow with the image and that the page does not draw in full,
/// `dive.inefficiencies` (every path in several layers) and `anomalies`, keep their first
/// `listLimit` items; `omitted` says how many went. Everything else is the JSON report unchanged.
package struct HTMLImage: Sendable {
  /// The most items kept of `dive.inefficiencies` and of `anomalies`, by default.
  package static let listLimit = 200

  /// The report `JSONReport.build` makes for the image (the numbers every view shows).
  package var report: JSONValue
  /// The merged filesystem to draw.
  package var treemap: Treemap
  /// Each layer's command as reports print it (`CommandText.display`), bottom first.
  package var commands: [String]
  /// Items left out of the report's long lists, by list (`"dive.inefficiencies"`, `"anomalies"`).
  package var omitted: [String: Int]

  /// Creates the part from values already built; `report`'s long lists are cut to `listLimit`.
  package init(report: JSONValue, treemap: Treemap, commands: [String], listLimit: Int = HTMLImage.listLimit) {
    (self.report, self.omitted) = Self.cut(report, to: max(0, listLimit))
    self.treemap = treemap
    self.commands = commands
  }

  /// Builds the part for an analysed image, from the same report `--format json` writes.
  /// - Parameters:
  ///   - top: how many largest files and directories the report lists.
  ///   - options: how finely the treemap keeps small entries.
  ///   - listLimit: how many dive inefficiencies and anomalies to keep.
  package init(
    _ analysis: ImageAnalysis, waste: WasteReport?, top: Int = 20, toolVersion: String,
    treemap options: TreemapOptions = TreemapOptions(), listLimit: Int = HTMLImage.listLimit
  ) {
    self.init(
      report: JSONReport.build(analysis, waste: waste, top: top, toolVersion: toolVersion),
      treemap: Treemap(analysis, waste: waste, options: options),
      commands: analysis.layers.map { CommandText.display($0.descriptor.command) }, listLimit: listLimit)
  }

  /// `report` with `dive.inefficiencies` and `anomalies` cut to `limit` items, and what was cut.
  static func cut(_ report: JSONValue, to limit: Int) -> (JSONValue, [String: Int]) {
    guard var root = report.objectValue else { return (report, [:]) }
    var omitted: [String: Int] = [:]
    func shorten(_ list: JSONValue?, _ name: String) -> JSONValue? {
      guard let items = list?.arrayValue, items.count > limit else { return list }
      omitted[name] = items.count - limit
      return .array(Array(items.prefix(limit)))
    }
    if var dive = root["dive"]?.objectValue {
      dive["inefficiencies"] = shorten(dive["inefficiencies"], "dive.inefficiencies")
      root["dive"] = .object(dive)
    }
    root["anomalies"] = shorten(root["anomalies"], "anomalies")
    return (.object(root), omitted)
  }

  /// `{"report": …, "view": {"commands": […], "categoryTitles": {…}, "categoryColours": {…}, "omitted": {…},
  /// "treemap": …}}`.
  var json: JSONValue {
    var titles = JSONObject()
    var colours = JSONObject()
    for category in treemap.categories {
      let builtIn = WasteCategory(rawValue: category)
      titles[category] = .string(builtIn?.title ?? category)
      if let builtIn { colours[category] = .string(builtIn.colour) }
    }
    var cut = JSONObject()
    for (list, count) in omitted.sorted(by: { $0.key < $1.key }) { cut[list] = .integer(Int64(count)) }
    return [
      "report": report,
      "view": [
        "commands": .array(commands.map { .string($0) }), "categoryTitles": .object(titles),
        "categoryColours": .object(colours), "omitted": .object(cut),
        "treemap": treemap.json,
      ],
    ]
  }
}

extension Treemap {
  /// `{"minBytes": n, "categories": […], "root": node}`, nodes as compact arrays (a large image
  /// keeps tens of thousands): a file is `[name, bytes, layer, waste]`, a directory
  /// `[name, bytes, files, [children]]`, an aggregate `[null, bytes, files, layer, waste]`;
  /// `waste` indexes `categories` (-1: none).
  var json: JSONValue {
    var index: [String: Int64] = [:]
    for (position, category) in categories.enumerated() { index[category] = Int64(position) }
    func encode(_ node: TreemapNode) -> JSONValue {
      let waste = JSONValue.integer(node.waste.flatMap { index[$0] } ?? -1)
      switch node.kind {
      case .file:
        return [.string(node.name), .integer(node.bytes), .integer(Int64(node.layer)), waste]
      case .directory:
        return [
          .string(node.name), .integer(node.bytes), .integer(Int64(node.files)), .array(node.children.map(encode)),
        ]
      case .aggregate:
        return [.null, .integer(node.bytes), .integer(Int64(node.files)), .integer(Int64(node.layer)), waste]
      }
    }
    return [
      "minBytes": .integer(minBytes), "categories": .array(categories.map { .string($0) }), "root": encode(root),
    ]
  }
}
