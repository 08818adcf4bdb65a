import Analysis
import Foundation
import ImageLoading
import Testing
import TestSupport

/// Loads a legacy docker-archive of `layers` (uncompressed: contents are read again from the
/// file; gzip: they are kept while the stream goes by) and runs the waste analysis.
private func wasteReport(_ layers: [(TarBuilder, String)], compression: TarCompression = .none) throws -> WasteReport {
  let specs = try layers.map { try LayerSpec($0.0, command: $0.1) }
  let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["t:1"], layers: specs)).build(compression)
  return try withTemporaryFile(bytes) { path in WasteAnalyzer.analyze(Analyzer.analyze(try ImageLoader.load(path))) }
}

@Suite("Content read only where an answer depends on it")
struct SameContentCheckTests {
  /// 100 kB files: the same first 4 KiB, then different; and an exact copy of one of them.
  static let first = TarBuilder.content(size: 100_000, seed: 1)
  static let sameStart = Array(first.prefix(4096)) + TarBuilder.content(size: 100_000 - 4096, seed: 2)
  static let otherStart = TarBuilder.content(size: 100_000, seed: 3)

  static let layers: [(TarBuilder, String)] = [
    (TarBuilder().file("a/one", first).file("a/empty", []).file("a/rewritten", otherStart), "COPY a /a"),
    (
      TarBuilder().file("b/copy", first).file("b/same-start", sameStart).file("b/other-start", otherStart.reversed())
        .file("a/empty", [], mode: 0o600).file("a/rewritten", otherStart, mode: 0o755), "COPY b /b && chmod"
    ),
  ]

  @Test(
    "equal first blocks are not enough: only whole equal contents are duplicates",
    arguments: [TarCompression.none, .gzip])
  func duplicatesNeedWholeContent(_ compression: TarCompression) throws {
    let report = try wasteReport(Self.layers, compression: compression)
    let duplicates = report.findings.filter { $0.category == WasteCategory.duplicate.rawValue }
    #expect(duplicates.flatMap(\.paths).map(\.path) == ["/b/copy"])
    let rewrites = report.findings.filter { $0.category == WasteCategory.metadataRewrite.rawValue }
    // /a/empty is rewritten too, but a finding lists no 0-byte file (it is a note).
    #expect(Set(rewrites.flatMap(\.paths).map(\.path)) == ["/a/rewritten"])
  }

  @Test("first blocks first, then whole files only where first blocks matched")
  func readsLittle() throws {
    let report = try wasteReport(Self.layers)
    let firstBlocks = try #require(report.contentBytesRead["firstBlocks"])
    let whole = try #require(report.contentBytesRead["wholeFiles"])
    // Six 100 kB candidates, all of one size: their first blocks, then whole only the three
    // that start alike (one, copy, same-start) and the two copies of a/rewritten.
    #expect(firstBlocks > 0 && firstBlocks < 5 * 100_000 / 2, "\(firstBlocks)")
    #expect(whole >= 5 * 100_000 && whole < 7 * 100_000, "\(whole)")
  }
}
