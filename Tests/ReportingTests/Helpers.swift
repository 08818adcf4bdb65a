import Analysis
import ImageLoading
import JSONIO
import Reporting
import Testing
import TestSupport

/// An image made of these layers (each with its command), loaded from a real archive and analysed.
func analysed(_ layers: [(TarBuilder, String)], tag: String = "probe:1") throws -> (ImageAnalysis, WasteReport) {
  let specs = try layers.map { try LayerSpec($0.0, command: $0.1) }
  let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: [tag], layers: specs)).build()
  let analysis = try withTemporaryFile(bytes) { path in Analyzer.analyze(try ImageLoader.load(path)) }
  return (analysis, WasteAnalyzer.analyze(analysis))
}

/// A committed fixture image (`images/wasteful/wasteful.tar`), analysed.
func analysedFixture(_ relative: String) throws -> (ImageAnalysis, WasteReport) {
  let analysis = Analyzer.analyze(try ImageLoader.load(fixtureURL(relative).path))
  return (analysis, WasteAnalyzer.analyze(analysis))
}

/// The JSON of a page's data block, unescaped by the JSON parser.
func dataBlock(of page: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
  try JSONValue.parse(try #require(htmlDataBlock(of: page), "no data block", sourceLocation: sourceLocation))
}

/// The page of the wasteful fixture and its clean rebuild, with a comparison naming one shared layer.
func comparisonPage() throws -> (page: String, comparison: JSONValue, wasteful: ImageAnalysis, clean: ImageAnalysis) {
  let (wasteful, wastefulWaste) = try analysedFixture("images/wasteful/wasteful.tar")
  let (clean, cleanWaste) = try analysedFixture("images/wasteful-clean/wasteful-clean.tar")
  let comparison: JSONValue = [
    "sharedLayers": [
      ["diffID": "sha256:0123456789abcdef0123", "bytes": 1_982_469, "command": "ADD busybox", "images": [0, 1]]
    ]
  ]
  let page = HTMLReport.render(
    [
      HTMLImage(wasteful, waste: wastefulWaste, toolVersion: "1"),
      HTMLImage(clean, waste: cleanWaste, toolVersion: "1"),
    ],
    comparison: comparison)
  return (page, comparison, wasteful, clean)
}

/// Occurrences of `needle` in `text`.
func occurrences(of needle: String, in text: String) -> Int {
  text.ranges(of: needle).count
}
