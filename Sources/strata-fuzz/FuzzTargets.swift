// libFuzzer entry points for strata's parsers and merge.
//
// Scripts/fuzz.sh builds this target with `-sanitize=fuzzer,address -DFUZZING` and runs one
// target at a time, chosen by STRATA_FUZZ_TARGET:
// - `archive`: the bytes are a whole image archive: load, merge, analyse, render every report.
// - `metadata`: the bytes are a manifest.json / index.json / config document.
// - `layer`: the bytes are one layer tar (any compression), merged twice over itself.

#if FUZZING
  import Analysis
  import ArchiveIO
  import Foundation
  @testable import ImageLoading
  import ImageModel
  import JSONIO
  import MergedTree
  import Reporting

  /// Where each input is written: the loader reads files, as strata does.
  private let scratch = "/dev/shm/strata-fuzz-\(getpid()).tar"

  private func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
    FileManager.default.createFile(atPath: scratch, contents: Data(bytes))
  }

  private func exerciseArchive(_ bytes: UnsafeRawBufferPointer) {
    guard write(bytes) else { return }
    guard
      let image = try? ImageLoader.load(
        scratch, options: LoadOptions(maxEntriesPerLayer: 100_000, maxLayerBytes: 64 << 20))
    else { return }
    render(image)
  }

  private func render(_ image: Image) {
    let analysis = Analyzer.analyze(image)
    let waste = WasteAnalyzer.analyze(analysis)
    var options = TextReport.Options()
    options.tree = true
    _ = TextReport(options: options).render(analysis, waste: waste)
    _ = JSONReport.build(analysis, waste: waste, toolVersion: "fuzz").serialized()
    _ = CSVReport.render(analysis)
    _ = MarkdownReport.render(analysis, waste: waste)
  }

  private func exerciseMetadata(_ bytes: UnsafeRawBufferPointer) {
    let array = Array(bytes)
    _ = try? ConfigParser.parse(array, file: "fuzz")
    let container = MemoryContainer(files: ["manifest.json": array, "index.json": array])
    let resolver = ManifestResolver(container: container, options: LoadOptions())
    if let plans = try? resolver.plans() { _ = try? resolver.selectWithConfig(from: plans) }
    if let value = try? JSONValue.parse(array) { _ = try? JSONValue.parse(value.serialized()) }
  }

  private func exerciseLayer(_ bytes: UnsafeRawBufferPointer) {
    guard write(bytes), let file = try? OpenFile(path: scratch),
      let reader = try? ArchiveReader(source: .window(FileWindow(file: file))),
      let contents = try? LayerReader.read(
        reader, index: 0, name: "fuzz", limits: LayerReader.Limits(maxEntries: 100_000, maxUncompressedBytes: 64 << 20))
    else { return }
    let layers = [contents, contents].enumerated().map { index, contents in
      Layer(descriptor: LayerDescriptor(index: index, location: "layer\(index)"), contents: contents)
    }
    render(
      Image(
        source: "fuzz", format: .dockerArchive, tags: [], configReference: nil, config: ImageConfig(), layers: layers))
  }

  /// A container of files held in memory, for the metadata target.
  private final class MemoryContainer: ImageSource {
    let files: [String: [UInt8]]
    init(files: [String: [UInt8]]) { self.files = files }
    var displayName: String { "fuzz" }
    var isDirectory: Bool { false }
    var rereadable: Bool { true }
    var archiveBytes: Int64? { nil }
    func bytesRead(layers: [LayerContents]) -> Int64 { 0 }
    func contentSource(locations: [String], layers: [LayerContents]) -> any ContentSource {
      StreamedContentSource(layers: layers)
    }
    func member(_ location: String) -> ContainerMember? {
      files[location].map { ContainerMember(size: Int64($0.count), window: nil) }
    }
    func metadata(_ location: String) throws -> [UInt8] {
      guard let bytes = files[location] else { throw ImageLoadError(.missingBlob, file: "fuzz", location) }
      return bytes
    }
    func layer(_ location: String, index: Int, limits: LayerReader.Limits) throws -> LayerContents {
      LayerContents(entries: [])
    }
  }

  private let target = ProcessInfo.processInfo.environment["STRATA_FUZZ_TARGET"] ?? "archive"

  @_silgen_name("LLVMFuzzerRunDriver")
  func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  /// SwiftPM links an executable's entry point under this name; it hands over to libFuzzer.
  @_cdecl("strata_fuzz_main")
  public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, fuzz)
  }

  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzz(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count)
    switch target {
    case "metadata": exerciseMetadata(bytes)
    case "layer": exerciseLayer(bytes)
    default: exerciseArchive(bytes)
    }
    return 0
  }
#else
  @main
  struct FuzzStub {
    static func main() {
      print("strata-fuzz is a libFuzzer target: run Scripts/fuzz.sh to build and run it.")
    }
  }
#endif
