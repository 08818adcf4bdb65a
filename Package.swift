// swift-tools-version: 6.0
// strata: where the bytes of a container image come from.
//
// Targets are layered; `A → B` means B depends on (imports) A, and arrows point one way only
// (docs/architecture.md lists what each target may import; Scripts/check-layering.py checks it):
//   CArchive, CXXHash, CMultibyte → ArchiveIO;  CJansson → JSONIO;  CYAML → YAMLIO;  CCrypto → Hashing
//   CCurl, Hashing → HTTPIO
//   Platform → Explorer, strata
//   ImageModel, ArchiveIO, JSONIO, HTTPIO, Hashing → ImageLoading
//   ImageModel → MergedTree → Analysis (+ CMemory) → PackageDatabases (+ JSONIO) → Comparison → Reporting
//   Reporting → Explorer
//   Analysis → CIPolicy → Reporting (+ JSONIO)
//   CIPolicy, YAMLIO → Configuration
//   ImageLoading, Configuration, Explorer, Reporting, CBuildInfo, ArgumentParser → strata (CLI)
//   ImageLoading, Reporting, ArchiveIO → strata-fuzz
import PackageDescription

/// The commit `strata --version` prints, from STRATA_COMMIT (set by Scripts/setup.sh and the release
/// scripts; letters, digits, '.' and '-' only). Not read from git here: SwiftPM caches this manifest's
/// result across commits, but not across a change of the environment.
let buildCommit = String(
  (Context.environment["STRATA_COMMIT"] ?? "unknown").filter {
    $0.isASCII && ($0.isLetter || $0.isNumber || "-.".contains($0))
  }
  .prefix(40))

let package = Package(
  name: "strata",
  products: [
    .executable(name: "strata", targets: ["strata"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // MARK: C system libraries
    .systemLibrary(
      name: "CArchive", pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]),
    .systemLibrary(
      name: "CJansson", pkgConfig: "jansson",
      providers: [.apt(["libjansson-dev"])]),
    .systemLibrary(
      name: "CXXHash", pkgConfig: "libxxhash",
      providers: [.apt(["libxxhash-dev"])]),
    .systemLibrary(
      name: "CYAML", pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]),
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl",
      providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
      name: "CCrypto", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]),

    // MARK: Swift wrappers over the C libraries
    /// Reading tar archives (and their gzip/zstd filters) through libarchive.
    .target(name: "ArchiveIO", dependencies: ["CArchive", "CXXHash", "CMultibyte"]),
    /// JSON values parsed and written through jansson.
    .target(name: "JSONIO", dependencies: ["CJansson"]),
    /// YAML documents composed into nodes from libyaml's events.
    .target(name: "YAMLIO", dependencies: ["CYAML"]),
    /// HTTP GETs through libcurl, over TCP or Unix sockets, small or streamed.
    .target(name: "HTTPIO", dependencies: ["CCurl", "Hashing"]),
    /// SHA-256 through OpenSSL's libcrypto (registry digests).
    .target(name: "Hashing", dependencies: ["CCrypto"]),

    // MARK: Domain
    /// Values: layers, entries, configs, manifests, and the `ContentSource` protocol. It does no
    /// I/O itself, but an `Image` carries the loader's content source for later reads.
    .target(name: "ImageModel"),
    /// Reads images from every source (archives, layouts, standard input, the Docker Engine,
    /// podman) into ImageModel values.
    .target(name: "ImageLoading", dependencies: ["ImageModel", "ArchiveIO", "JSONIO", "HTTPIO", "Hashing"]),
    /// Applies layers by the OCI rules into one attributed filesystem tree.
    .target(name: "MergedTree", dependencies: ["ImageModel"]),
    /// The commit the binary was built from, for `strata --version`.
    .target(name: "CBuildInfo", cSettings: [.define("STRATA_COMMIT", to: "\"\(buildCommit)\"")]),
    /// An ASCII fast path in front of glibc's `mbrtowc`, which libarchive calls for every byte
    /// of every regular file's name.
    .target(name: "CMultibyte"),
    /// Gives freed heap pages back (malloc_trim), after large structures are let go.
    .target(name: "CMemory"),
    /// System calls whose module differs per platform (Glibc, Darwin), behind one name.
    .target(name: "Platform"),
    /// Figures computed from the tree: attribution, dive-compatible efficiency, waste.
    .target(name: "Analysis", dependencies: ["ImageModel", "MergedTree", "CMemory"]),
    /// Package databases (dpkg, apk, Python, npm) parsed as pure functions, and sized from the tree.
    .target(name: "PackageDatabases", dependencies: ["Analysis", "ImageModel", "MergedTree", "JSONIO"]),
    /// Two images (or two layers of one) compared: files, packages, shared layers.
    .target(name: "Comparison", dependencies: ["Analysis", "PackageDatabases", "ImageModel", "MergedTree"]),
    /// CI policy: dive's three rules and strata's budgets evaluated against an analysis, growth
    /// against a baseline.
    .target(name: "CIPolicy", dependencies: ["Analysis", "MergedTree", "ImageModel"]),
    /// Reads `.strata.yaml` (and dive's `.dive-ci`) into settings values, with file/line errors.
    .target(name: "Configuration", dependencies: ["Analysis", "CIPolicy", "YAMLIO"]),
    /// Renders analysis values as text, JSON, CSV, Markdown and HTML. Never prints.
    .target(
      name: "Reporting",
      dependencies: ["ImageModel", "MergedTree", "Analysis", "PackageDatabases", "Comparison", "CIPolicy", "JSONIO"]),
    /// The full-screen explorer: terminal seam (termios + ANSI), view models, renderer, run loop.
    /// Never opens archives: it is handed an analysis, the waste findings and a content source.
    .target(name: "Explorer", dependencies: ["ImageModel", "MergedTree", "Analysis", "Reporting", "Platform"]),

    // MARK: Executable
    .executableTarget(
      name: "strata",
      dependencies: [
        "ImageLoading", "Analysis", "PackageDatabases", "Comparison", "CIPolicy", "Reporting", "MergedTree",
        "ImageModel", "Configuration", "Explorer", "JSONIO", "Platform", "CBuildInfo",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      linkerSettings: [
        // Release binary only (measured in docs/benchmarks.md, "Memory"): lld packs the ~78,000 relative
        // relocations into a few kB (DT_RELR, glibc ≥ 2.36) instead of a 1.9 MB table the loader
        // reads at every start, and the executable exports no symbols it does not need to.
        // Scripts/link/strata.order (made by Scripts/link-order.sh) puts the functions a run
        // executes together at the start of the code, so fewer 64 KiB windows of it get mapped.
        // lld warns about each name in it the binary lacks; Scripts/check-link-order.sh (run by
        // setup.sh after this link, and by LinkOrderTests) fails on them.
        .unsafeFlags(
          [
            "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Scripts/link/strata.order",
          ],
          .when(platforms: [.linux], configuration: .release))
      ]),

    /// libFuzzer targets; built by Scripts/fuzz.sh with `-sanitize=fuzzer,address -DFUZZING`.
    /// Built normally, it is a stub that says how to run it.
    .executableTarget(
      name: "strata-fuzz",
      dependencies: ["ImageLoading", "ImageModel", "Analysis", "Reporting", "MergedTree", "ArchiveIO", "JSONIO"]),

    // MARK: Tests
    .target(name: "TestSupport", dependencies: ["ArchiveIO", "CArchive"], path: "Tests/TestSupport"),
    .testTarget(name: "ArchiveIOTests", dependencies: ["ArchiveIO", "TestSupport", "CMultibyte"]),
    .testTarget(name: "JSONIOTests", dependencies: ["JSONIO"]),
    .testTarget(name: "YAMLIOTests", dependencies: ["YAMLIO"]),
    .testTarget(
      name: "ImageLoadingTests",
      dependencies: ["ImageLoading", "ImageModel", "TestSupport", "JSONIO", "HTTPIO", "ArchiveIO"]),
    .testTarget(
      name: "AnalysisTests",
      dependencies: [
        "Analysis", "PackageDatabases", "Comparison", "CIPolicy", "Configuration", "MergedTree", "ImageModel",
        "ImageLoading", "TestSupport",
      ]),
    .testTarget(
      name: "ReportingTests",
      dependencies: [
        "Reporting", "Analysis", "Comparison", "CIPolicy", "MergedTree", "ImageModel", "ImageLoading", "JSONIO",
        "TestSupport",
      ],
      exclude: ["Golden"]),  // read by path (GoldenTests), not bundled
    .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "Analysis", "CIPolicy", "TestSupport"]),
    .testTarget(
      name: "RobustnessTests",
      dependencies: ["ImageLoading", "ImageModel", "Analysis", "Reporting", "ArchiveIO", "JSONIO", "TestSupport"]),
    .testTarget(name: "ToolTests", dependencies: ["TestSupport", "JSONIO", "YAMLIO"]),
    .testTarget(
      name: "ExplorerTests",
      dependencies: ["Explorer", "Analysis", "MergedTree", "ImageModel", "ImageLoading", "TestSupport"]),
    /// Runs the built `strata explore` inside tmux and reads the screen.
    .testTarget(name: "ExplorerScreenTests", dependencies: ["TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
