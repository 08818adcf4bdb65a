import Analysis
import Dispatch
import ArgumentParser
import Explorer
import Reporting
import ImageLoading
import Synchronization

/// `strata explore IMAGE`: the full-screen explorer.
struct Explore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explore",
    abstract: "Walk an image full-screen: layers, the merged tree as of each layer, waste, file contents.",
    discussion:
      "Press ? inside for the keys. Needs a terminal; for a report use `strata analyze`. File contents (the "
      + "pager, diffs, Ctrl+E) are read again from an archive file, or asked of the Docker Engine or podman "
      + "again for an image read by name; standard input is read once and keeps only small files of a few kinds.")

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
      throw CommandError(
        "explore needs a terminal, and standard output is not one; for a report, use `strata analyze \(source.image)`")
    }
    let wasteConfig = try loadSettings(config).waste
    let path = source.image
    let location = try source.read.locate(path)
    let baseOptions = source.loadOptions
    let skipWaste = noWaste
    let exit = try Explorer.run(on: PosixTerminal(), colored: ColorMode.wanted(color)) {
      progress in
      progress.report("reading \(path)…")
      // A stream (standard input, a daemon) says nothing until its one pass is over: the line
      // shows the bytes taken in so far (the process's own read count) and the layers done.
      let layersDone = Mutex<(Int, Int)?>(nil)
      let start = Progress.processReadBytes() ?? 0
      let show: @Sendable () -> Void = {
        var line = "reading \(path)"
        if let now = Progress.processReadBytes() { line += ": \(ByteFormat.human(now - start)) read" }
        if let (done, total) = layersDone.withLock({ $0 }) {
          line += ", \(done) of \(total) layers"
          progress.report(line, fraction: Double(done) / Double(max(1, total)))
        } else {
          progress.report(line + "…")
        }
      }
      var options = baseOptions
      let merge = LayerMerge()
      options.layerReady = { merge.add($0, $1) }
      options.layerRead = { done, total in
        layersDone.withLock { $0 = (done, total) }
        show()
      }
      let ticker = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
      ticker.schedule(deadline: .now() + 0.3, repeating: .milliseconds(250))
      ticker.setEventHandler(handler: show)
      ticker.resume()
      let loaded = Result { try ImageLoader.load(location, displayName: path, options: options) }
      ticker.cancel()
      let image = try loaded.get()
      progress.report("merging \(image.layers.count) layers…", fraction: 1)
      let analysis = Analyzer.analyze(image, merged: merge)
      let waste: ExplorerInput.Waste =
        skipWaste ? .off : .compute { WasteAnalyzer.analyze(analysis, config: wasteConfig, mapPaths: false) }
      return ExplorerInput(analysis: analysis, waste: waste, content: image.content)
    }
    if exit == .cancelled { throw ExitCode(130) }
  }
}
