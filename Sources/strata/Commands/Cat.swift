import ArgumentParser
import Explorer
import ImageLoading
import ImageModel
import MergedTree
import Reporting

/// `strata cat IMAGE PATH [--layer N]`: one file's content as of a layer, on standard output.
struct Cat: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write one file of an image, as of a layer, to standard output.",
    discussion:
      "Symbolic links are followed inside the image. From an archive file the content is read again; from "
      + "a stream (standard input, a pipe, the Docker Engine or podman) the one pass keeps PATH's whole content "
      + "(files up to 1 GiB), and an image in the Docker Engine or podman is asked for again when a link led "
      + "elsewhere.")

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
    options.layerRead = { progress.layerRead(done: $0, total: $1) }
    let image = try loadImage(source.image, read: source.read, options: options)
    let tree = FileTree(layers: image.layers.map(\.contents))
    let last = max(0, image.layers.count - 1)
    let chosen = layer ?? last
    guard (0...last).contains(chosen), !image.layers.isEmpty else {
      throw Output.fail("--layer \(chosen): \(source.image) has layers 0 to \(last)")
    }
    let timeline = NodeTimeline(tree: tree)
    let found: LayerFileLookup.Found
    switch LayerFileLookup.resolve(path, at: chosen, tree: tree, timeline: timeline) {
    case .success(let file): found = file
    case .failure(let failure): throw Output.fail("\(source.image): \(failure.description)")
    }
    guard let content = image.content else { throw Output.fail("\(source.image): file contents are not available") }
    let read: [String: FileContent]
    progress.step("reading /\(found.path)")
    do {
      read = try content.contents(layer: found.layer, paths: [found.path], headLimit: Int.max)
    } catch {
      // A daemon's error names the image already: say it once.
      let why = (error as? ImageLoadError).map { $0.file == source.image ? $0.problem : $0.description } ?? "\(error)"
      throw Output.fail("\(source.image): cannot read /\(found.path) from layer \(found.layer): \(why)")
    }
    guard let file = read[found.path], file.isComplete else {
      throw Output.fail("\(source.image): " + notKept(found, limit: options.wholeFileLimit))
    }
    progress.finish()
    Output.standardOutput(bytes: file.head)
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
