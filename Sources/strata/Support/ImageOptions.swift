import ArgumentParser
import Analysis
import ImageLoading
import ImageModel
import PackageDatabases

/// Options that say how to read an image, shared by every command (the image argument aside:
/// `compare` takes several).
struct ImageReadOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Where IMAGE lives: \(ImageResolver.sourceNames.joined(separator: ", ")) (as dive's --source; default: a path if one exists, else the Docker Engine).",
      valueName: "source"))
  var source: String?

  @Option(name: .customLong("image"), help: "Pick NAME:TAG from an archive holding several images.")
  var imageName: String?

  @Option(
    help:
      "Pick os/arch[/variant] from a multi-platform image (default: this machine's); an image without it is an error.")
  var platform: String?

  @Option(
    name: .customLong("insecure-registry"),
    help: ArgumentHelp(
      "Allow plain HTTP to this registry (host or host:port; repeatable). Loopback registries are always allowed.",
      valueName: "host"))
  var insecureRegistries: [String] = []

  @Option(help: "The most entries one layer may have before strata refuses it.")
  var maxEntries: Int = 5_000_000

  @Option(help: "The most entries all layers together may have.")
  var maxTotalEntries: Int = 50_000_000

  @Option(help: "The most bytes one layer may expand to when decompressed (e.g. 100GiB).")
  var maxLayerSize: String = "100GiB"

  @Flag(
    name: .customLong("no-cache"),
    help:
      "Read every layer, neither using nor filling the layer cache ($XDG_CACHE_HOME/strata/layers, else ~/.cache/strata/layers; STRATA_CACHE_SIZE bounds it, default 1GiB)."
  )
  var noCache = false

  func validate() throws {
    guard ByteSize.parse(maxLayerSize) != nil else {
      throw ValidationError("--max-layer-size '\(maxLayerSize)' is not a size (try 50GB, 100GiB)")
    }
    guard maxEntries > 0, maxTotalEntries > 0 else { throw ValidationError("entry limits must be positive") }
    if let source, !ImageResolver.sourceNames.contains(source) {
      throw ValidationError(
        "--source '\(source)' is not one strata reads; choose one of: \(ImageResolver.sourceNames.joined(separator: ", "))"
      )
    }
    if let platform, case let parts = platform.split(separator: "/", omittingEmptySubsequences: false),
      parts.count < 2 || parts.contains(where: \.isEmpty)
    {
      throw ValidationError("--platform '\(platform)' is not os/arch[/variant] (try linux/amd64, linux/arm64/v8)")
    }
  }

  var loadOptions: LoadOptions {
    var options = LoadOptions(
      image: imageName, platform: platform, maxEntriesPerLayer: maxEntries,
      maxLayerBytes: ByteSize.parse(maxLayerSize) ?? (100 << 30), maxTotalEntries: maxTotalEntries)
    options.insecureRegistries = Set(insecureRegistries)
    options.contentNeeds = Self.analysesContentNeeds
    options.layerCache = layerCache
    return options
  }

  /// The contents the analyses read, which a stream keeps as it goes by: each analysis says
  /// what it reads (the waste analysis the heads of files named like credentials, the package
  /// scanner its databases), and the union is passed to the loader.
  static let analysesContentNeeds = WasteAnalyzer.contentNeeds.union(PackageScanner.contentNeeds)

  /// The layer cache this run uses: none with `--no-cache` or where no cache directory is known.
  var layerCache: LayerCache? {
    guard !noCache, let directory = LayerCache.defaultDirectory(environment: Terminal.environment) else { return nil }
    let limit = Terminal.environment("STRATA_CACHE_SIZE").flatMap { ByteSize.parse($0) }
    return LayerCache(directory: directory, maxBytes: limit ?? LayerCache.defaultMaxBytes, producer: Strata.versionLine)
  }

  /// Resolves `argument` to where it is read from, before anything is read.
  /// - Throws: `ImageLoadError` for a name that says nowhere to read from.
  func locate(_ argument: String) throws -> ImageLocation {
    try ImageResolver.resolve(argument, source: source)
  }
}

/// The image argument and how to read it, for commands that read one image.
struct ImageOptions: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "The image: an archive, an OCI layout directory, - for standard input, a name in the Docker Engine (app:1, docker://app:1, podman://app:1), or in a registry (registry://ghcr.io/org/app:1).",
      valueName: "image"),
    completion: .file())
  var image: String

  @OptionGroup var read: ImageReadOptions

  var loadOptions: LoadOptions { read.loadOptions }
}
