import Analysis
import ArgumentParser
import Explorer
import ImageLoading

/// `strata explore IMAGE`: the full-screen explorer.
struct Explore: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Walk an image full-screen: layers, the merged tree as of each layer, waste, file contents.",
    discussion: "Press ? inside for the keys. Needs a terminal; for a report use `strata analyze`.")

  @OptionGroup var source: ImageOptions

  @Option(help: "Colour: auto, always, never (auto honours NO_COLOR).")
  var color: String = "auto"

  @Option(help: "Configuration file (waste categories, custom patterns). Default: ./.strata.yaml when present.")
  var config: String?

  @Flag(help: "Skip the waste findings.")
  var noWaste = false

  func validate() throws {
    try ColorMode.validate(color)
  }

  func run() throws {
    guard PosixTerminal.standardOutputIsTerminal else {
      throw Output.fail(
        "explore needs a terminal, and standard output is not one; for a report, use `strata analyze \(source.image)`")
    }
    let wasteConfig = try loadSettings(config).waste
    let path = source.image
    let location = try source.read.locate(path)
    let baseOptions = source.loadOptions
    let skipWaste = noWaste
    let exit: ExplorerExit
    do {
      exit = try Explorer.run(on: PosixTerminal(), colored: ColorMode.wanted(color)) {
        progress in
        progress.report("reading \(path)…")
        var options = baseOptions
        options.layerRead = { done, total in
          progress.report("reading \(path): \(done) of \(total) layers", fraction: Double(done) / Double(max(1, total)))
        }
        let image = try ImageLoader.load(location, displayName: path, options: options)
        progress.report("merging \(image.layers.count) layers…", fraction: 1)
        let analysis = Analyzer.analyze(image)
        let waste: ExplorerInput.Waste =
          skipWaste ? .off : .compute { WasteAnalyzer.analyze(analysis, config: wasteConfig, mapPaths: false) }
        return ExplorerInput(analysis: analysis, waste: waste, content: image.content)
      }
    } catch let error as ImageLoadError {
      throw Output.fail(error.description)
    } catch let error as TerminalError {
      throw Output.fail(error.message)
    }
    if exit == .cancelled { throw ExitCode(130) }
  }
}
