import ArgumentParser
import ImageLoading

/// Options that say which image to read.
struct ImageOptions: ParsableArguments {
  @Argument(help: "The image: an archive, an OCI layout directory, or - for standard input.", completion: .file())
  var image: String

  @Option(name: .customLong("image"), help: "Pick NAME:TAG from an archive holding several images.")
  var imageName: String?

  @Option(help: "Pick os/arch[/variant] from a multi-platform index (default: this machine's).")
  var platform: String?

  @Option(help: "The most entries one layer may have before strata refuses it.")
  var maxEntries: Int = 5_000_000

  var loadOptions: LoadOptions {
    LoadOptions(image: imageName, platform: platform, maxEntriesPerLayer: maxEntries)
  }
}
