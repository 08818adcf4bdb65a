import Analysis
import JSONIO

/// One image's part of the HTML report: its `--format json` report, unchanged, and what only the
/// HTML draws (the treemap, display forms of the layer commands, category titles).
public struct HTMLImage: Sendable {
  /// The report `JSONReport.build` makes for the image (the numbers every view shows).
  public var report: JSONValue
  /// The merged filesystem to draw.
  public var treemap: Treemap
  /// Each layer's command as reports print it (`CommandText.display`), bottom first.
  public var commands: [String]

  /// Creates the part from values already built.
  public init(report: JSONValue, treemap: Treemap, commands: [String]) {
    self.report = report
    self.treemap = treemap
    self.commands = commands
  }

  /// Builds the part for an analysed image, with the same report `--format json` writes.
  /// - Parameters:
  ///   - top: how many largest files and directories the report lists.
  ///   - options: how finely the treemap keeps small entries.
  public init(
    _ analysis: ImageAnalysis, waste: WasteReport?, top: Int = 20, toolVersion: String,
    treemap options: TreemapOptions = TreemapOptions()
  ) {
    self.init(
      report: JSONReport.build(analysis, waste: waste, top: top, toolVersion: toolVersion),
      treemap: Treemap(analysis, waste: waste, options: options),
      commands: analysis.layers.map { CommandText.display($0.descriptor.command) })
  }

  /// `{"report": …, "view": {"commands": […], "categoryTitles": {…}, "treemap": …}}`.
  var json: JSONValue {
    var titles = JSONObject()
    for category in treemap.categories {
      titles[category] = .string(WasteCategory(rawValue: category)?.title ?? category)
    }
    return [
      "report": report,
      "view": [
        "commands": .array(commands.map { .string($0) }), "categoryTitles": .object(titles),
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
