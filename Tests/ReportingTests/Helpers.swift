import Analysis
import ImageLoading
import JSONIO
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

/// Occurrences of `needle` in `text`.
func occurrences(of needle: String, in text: String) -> Int {
  text.ranges(of: needle).count
}
