import Foundation
import ImageLoading
import ImageModel
import TestSupport
import Testing

/// Loads an archive held in memory (written to a temporary file first).
func loadImage(_ bytes: [UInt8], name: String = "image.tar", options: LoadOptions = LoadOptions()) throws -> Image {
  try withTemporaryFile(bytes, name: name) { path in try ImageLoader.load(path, options: options) }
}

/// Loads an image archive built by `builder`.
func loadImage(
  _ builder: ImageArchiveBuilder, _ compression: TarCompression = .none, options: LoadOptions = LoadOptions()
) throws -> Image {
  try loadImage(try builder.build(compression), options: options)
}

/// The `ImageLoadError` loading `bytes` throws, recording an issue when it throws nothing or
/// something else.
func loadError(
  _ bytes: [UInt8], options: LoadOptions = LoadOptions(), sourceLocation: SourceLocation = #_sourceLocation
) -> ImageLoadError? {
  do {
    let image = try loadImage(bytes, options: options)
    Issue.record("expected an error, loaded \(image.layers.count) layers", sourceLocation: sourceLocation)
  } catch let error as ImageLoadError {
    return error
  } catch {
    Issue.record("expected ImageLoadError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}

/// The error loading the archive of `members` throws.
func loadError(
  members: [ArchiveMember], _ compression: TarCompression = .none, options: LoadOptions = LoadOptions(),
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> ImageLoadError? {
  loadError(try ImageArchiveBuilder.tar(members, compression), options: options, sourceLocation: sourceLocation)
}

/// Loads the archive of `members`.
func loadImage(members: [ArchiveMember], _ compression: TarCompression = .none, options: LoadOptions = LoadOptions())
  throws -> Image
{
  try loadImage(try ImageArchiveBuilder.tar(members, compression), options: options)
}

/// A small three-layer image: a base, an app layer, and a layer deleting a file; history with
/// empty-layer steps between them.
enum Sample {
  static let commands = [
    "/bin/sh -c #(nop) ADD file:0123abcd in / ",
    "/bin/sh -c #(nop) COPY dir:4567 in /app ",
    "/bin/sh -c rm /app/data.bin",
  ]

  static let history: [HistoryItem] = [
    HistoryItem(commands[0]),
    .empty("/bin/sh -c #(nop)  ENV PATH=/usr/bin"),
    HistoryItem(commands[1]),
    .empty("/bin/sh -c #(nop)  WORKDIR /app"),
    HistoryItem(commands[2], comment: "cleanup"),
    .empty("/bin/sh -c #(nop)  CMD [\"/app/run\"]"),
  ]

  static func base() -> TarBuilder {
    TarBuilder().dir("bin").file("bin/sh", size: 1500, mode: 0o755).symlink("bin/ls", to: "sh").dir("etc")
      .file("etc/os-release", text: "ID=test\n")
  }

  static func app() -> TarBuilder {
    TarBuilder().dir("app").file("app/run", size: 200, mode: 0o755).file("app/data.bin", size: 3000)
      .hardlink("app/run-link", to: "app/run")
  }

  static func cleanup() -> TarBuilder {
    TarBuilder().dir("app").whiteout("app/data.bin").file("app/config", text: "mode=prod\n")
  }

  static func layers(_ compression: TarCompression = .none) throws -> [LayerSpec] {
    [
      try LayerSpec(base(), compression: compression),
      try LayerSpec(app(), compression: compression),
      try LayerSpec(cleanup(), compression: compression),
    ]
  }

  static func image(
    tags: [String] = ["example/app:1.0"], compression: TarCompression = .none, architecture: String = "amd64"
  )
    throws -> ImageSpec
  {
    ImageSpec(tags: tags, layers: try layers(compression), history: history, architecture: architecture)
  }

  /// Checks what every format must agree on.
  static func check(_ image: Image, layers specs: [LayerSpec], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(image.layers.count == 3, sourceLocation: sourceLocation)
    guard image.layers.count == 3 else { return }
    #expect(image.layers.map(\.descriptor.command) == commands, sourceLocation: sourceLocation)
    #expect(image.layers.map(\.index) == [0, 1, 2], sourceLocation: sourceLocation)
    #expect(image.layers[2].descriptor.comment == "cleanup", sourceLocation: sourceLocation)
    #expect(image.layers.map(\.descriptor.diffID) == specs.map(\.diffID), sourceLocation: sourceLocation)
    #expect(image.config.diffIDs == specs.map(\.diffID), sourceLocation: sourceLocation)
    #expect(image.config.history.count == 6, sourceLocation: sourceLocation)
    #expect(image.config.history.filter(\.emptyLayer).count == 3, sourceLocation: sourceLocation)
    #expect(image.config.os == "linux", sourceLocation: sourceLocation)
    #expect(
      image.layers.map { $0.contents.entries.map(\.path) } == [
        ["bin", "bin/sh", "bin/ls", "etc", "etc/os-release"],
        ["app", "app/run", "app/data.bin", "app/run-link"],
        ["app", "app/data.bin", "app/config"],
      ], sourceLocation: sourceLocation)
    #expect(
      image.layers[0].contents.entries.map(\.kind) == [.directory, .regular, .symlink, .directory, .regular],
      sourceLocation: sourceLocation)
    #expect(
      image.layers[1].contents.entries.map(\.kind) == [.directory, .regular, .regular, .hardlink],
      sourceLocation: sourceLocation)
    #expect(
      image.layers[2].contents.entries.map(\.kind) == [.directory, .whiteout, .regular], sourceLocation: sourceLocation)
    #expect(image.layers[1].contents.entries[3].linkTarget == "app/run", sourceLocation: sourceLocation)
    #expect(image.layers[0].contents.entries[2].linkTarget == "sh", sourceLocation: sourceLocation)
    #expect(image.layers[0].contents.entries[1].permissions == 0o755, sourceLocation: sourceLocation)
    #expect(image.layers.map(\.contents.headerBytes) == [1508, 3200, 10], sourceLocation: sourceLocation)
    #expect(
      image.layers.map(\.descriptor.storedSize) == specs.map { Int64($0.blob.count) }, sourceLocation: sourceLocation)
    #expect(image.anomalies.isEmpty, "\(image.anomalies)", sourceLocation: sourceLocation)
  }
}
