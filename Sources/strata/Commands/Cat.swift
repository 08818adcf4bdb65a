import ArgumentParser
import Explorer
import ImageModel
import MergedTree

/// `strata cat IMAGE PATH [--layer N]`: one file's content as of a layer, on standard output.
struct Cat: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write one file of an image, as of a layer, to standard output.",
    discussion:
      "Symbolic links are followed inside the image. The content is read again from the archive; an image "
      + "read as a stream (standard input, the Docker Engine) keeps only a few small files: save it to a file first.")

  @OptionGroup var source: ImageOptions

  @Argument(help: "The file's path in the image (e.g. /etc/os-release).")
  var path: String

  @Option(help: "The layer to read it as of (0 is the first; default: the last).")
  var layer: Int?

  func run() throws {
    let image = try loadImage(source)
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
    do {
      read = try content.contents(layer: found.layer, paths: [found.path], headLimit: Int.max)
    } catch {
      throw Output.fail("\(source.image): cannot read /\(found.path) from layer \(found.layer): \(error)")
    }
    guard let file = read[found.path], file.isComplete else {
      throw Output.fail(
        "\(source.image): the content of /\(found.path) was not kept: the image was read as a stream; "
          + "save it to a file (docker save -o image.tar) and read that")
    }
    Output.standardOutput(bytes: file.head)
  }
}
