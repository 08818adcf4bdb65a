import ArgumentParser
import Explorer
import ImageLoading
import ImageModel
import MergedTree
import Reporting

/// `strata cat IMAGE PATH [--layer N]`: one file's content as of a layer, on standard output.
struct Cat: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat",
    abstract: "Write one file of an image, as of a layer, to standard output.",
    discussion:
      "Symbolic links are followed inside the image. From an archive file the content is read again; from "
      + "a stream (standard input, a pipe, the Docker Engine or podman) the one pass keeps PATH's whole content "
      + "(files up to 1 GiB), and an image in the Docker Engine or podman is asked for again when a link led "
      + "elsewhere. From a registry (registry://REF) the file's layer is downloaded again and shown only once "
      + "its blob matches its digest.")

  @OptionGroup var source: ImageOptions

  @Argument(help: "The file's path in the image (e.g. /etc/os-release).")
  var path: String

  @Option(help: "The layer to read it as of (0 is the first; default: the last).")
  var layer: Int?

  func run() throws {
    // On a terminal, a line on standard error while a large image or a daemon's stream is read.
    let progress = Progress(reading: source.image, enabled: Progress.wanted(quiet: false))
    defer { progress.finish() }
    var options = source.loadOptions
    options.wholeFiles = [path]
    options.contentNeeds = ContentNeeds()  // no analysis runs: only the file asked for is kept
    options.layerRead = { progress.layerRead(done: $0, total: $1) }
    // A --layer the image does not have is refused from its manifest, before any layer is read.
    let (asked, image) = (layer, source.image)
    options.layersPlanned = { count in
      if let error = Cat.layerError(asked, layerCount: count, image: image) { throw error }
    }
    let loaded = try loadImage(source.image, read: source.read, options: options)
    if let error = Cat.layerError(layer, layerCount: loaded.layers.count, image: source.image) { throw error }
    let tree = FileTree(layers: loaded.layers.map(\.contents))
    let chosen = layer ?? loaded.layers.count - 1
    let timeline = NodeTimeline(tree: tree)
    let found: LayerFileLookup.Found
    switch LayerFileLookup.resolve(path, at: chosen, tree: tree, timeline: timeline) {
    case .success(let file): found = file
    case .failure(let failure): throw CommandError("\(source.image): \(failure.description)")
    }
    guard let content = loaded.content else { throw CommandError("\(source.image): file contents are not available") }
    let read: [String: FileContent]
    progress.step("reading /\(found.path)")
    do {
      read = try content.contents(layer: found.layer, paths: [found.path], headLimit: Int.max)
    } catch {
      // A daemon's error names the image already: say it once.
      let why = (error as? ImageLoadError).map { $0.file == source.image ? $0.problem : $0.description } ?? "\(error)"
      throw CommandError("\(source.image): cannot read /\(found.path) from layer \(found.layer): \(why)")
    }
    guard let file = read[found.path], file.isComplete else {
      throw CommandError("\(source.image): " + notKept(found, limit: options.wholeFileLimit))
    }
    progress.finish()
    Output.standardOutput(bytes: file.head)
  }

  /// The error for a `--layer` outside an image of `layerCount` layers, or nil when it is inside.
  static func layerError(_ layer: Int?, layerCount: Int, image: String) -> CommandError? {
    guard layerCount > 0 else { return CommandError("\(image): the image has no layers") }
    guard let layer, !(0..<layerCount).contains(layer) else { return nil }
    return CommandError("--layer \(layer): \(image) has layers 0 to \(layerCount - 1)")
  }

  /// Why a file of an image read once as a stream is not there, and what to do.
  private func notKept(_ found: LayerFileLookup.Found, limit: Int64) -> String {
    let save = "or save the image to a file (docker save -o image.tar) and read that"
    if found.size > limit {
      return "/\(found.path) is \(ByteFormat.human(found.size)), more than the \(ByteFormat.human(limit)) strata keeps "
        + "of one file while reading a stream; save the image to a file (docker save -o image.tar) and read that"
    }
    let asked = path.hasPrefix("/") ? path : "/" + path
    if asked == "/" + found.path {
      return "the content of \(asked) was not kept while the stream went by; save the image to a file "
        + "(docker save -o image.tar) and read that"
    }
    return "\(asked) leads to /\(found.path), whose content went by before strata met the link "
      + "(a stream is read once); ask for it by that path (strata cat \(source.image) /\(found.path)) \(save)"
  }
}
