import ArgumentParser
import Analysis
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

  @Option(help: "The most entries all layers together may have.")
  var maxTotalEntries: Int = 50_000_000

  @Option(help: "The most bytes one layer may expand to when decompressed (e.g. 100GiB).")
  var maxLayerSize: String = "100GiB"

  func validate() throws {
    guard ByteSize.parse(maxLayerSize) != nil else {
      throw ValidationError("--max-layer-size '\(maxLayerSize)' is not a size (try 50GB, 100GiB)")
    }
    guard maxEntries > 0, maxTotalEntries > 0 else { throw ValidationError("entry limits must be positive") }
  }

  var loadOptions: LoadOptions {
    LoadOptions(
      image: imageName, platform: platform, maxEntriesPerLayer: maxEntries,
      maxLayerBytes: ByteSize.parse(maxLayerSize) ?? (100 << 30), maxTotalEntries: maxTotalEntries)
  }
}
