import Foundation
import ImageLoading
import ImageModel
import TestSupport
import Testing

/// Two images sharing a base layer.
private func twoImages() throws -> [ImageSpec] {
  let base = try LayerSpec(Sample.base(), command: "base")
  let web = ImageSpec(tags: ["docker.io/library/web:1"], layers: [base, try LayerSpec(Sample.app(), command: "web")])
  let worker = ImageSpec(
    tags: ["worker:2", "worker:latest"],
    layers: [
      base, try LayerSpec(TarBuilder().file("w", size: 5), command: "worker1"),
      try LayerSpec(TarBuilder().file("x", size: 6), command: "worker2"),
    ])
  return [web, worker]
}

@Suite("Loading: several images in one archive")
struct MultiImageTests {
  static let layouts: [ImageArchiveBuilder.Layout] = [.dockerLegacy, .docker25, .oci]

  @Test("without --image the error lists every image", arguments: layouts)
  func ambiguous(layout: ImageArchiveBuilder.Layout) throws {
    let bytes = try ImageArchiveBuilder(layout, images: try twoImages()).build()
    let error = try #require(loadError(bytes))
    #expect(error.kind == .ambiguousImage)
    #expect(error.problem.contains("docker.io/library/web:1"), "\(error)")
    #expect(error.problem.contains("worker:2"), "\(error)")
    #expect(error.problem.contains("--image"), "\(error)")
    #expect(error.file.hasSuffix("image.tar"))
  }

  @Test("--image picks one image by tag, short or full", arguments: layouts)
  func pick(layout: ImageArchiveBuilder.Layout) throws {
    let bytes = try ImageArchiveBuilder(layout, images: try twoImages()).build()
    let worker = try loadImage(bytes, options: LoadOptions(image: "worker:latest"))
    #expect(worker.layers.map(\.descriptor.command) == ["base", "worker1", "worker2"])
    #expect(worker.tags.contains("worker:latest"))
    for name in ["web:1", "library/web:1", "docker.io/library/web:1"] {
      let web = try loadImage(bytes, options: LoadOptions(image: name))
      #expect(web.layers.map(\.descriptor.command) == ["base", "web"], "\(name)")
    }
  }

  @Test("an --image that matches nothing lists the images there are", arguments: layouts)
  func noSuchImage(layout: ImageArchiveBuilder.Layout) throws {
    let bytes = try ImageArchiveBuilder(layout, images: try twoImages()).build()
    let error = try #require(loadError(bytes, options: LoadOptions(image: "db:9")))
    #expect(error.kind == .noSuchImage)
    #expect(error.problem.contains("'db:9'"))
    #expect(error.problem.contains("docker.io/library/web:1") && error.problem.contains("worker:2"), "\(error)")
  }

  @Test("--image with a single image still has to match")
  func imageOptionWithOneImage() throws {
    let bytes = try ImageArchiveBuilder(.dockerLegacy, try Sample.image()).build()
    #expect(loadError(bytes, options: LoadOptions(image: "other:1"))?.kind == .noSuchImage)
    #expect(try loadImage(bytes, options: LoadOptions(image: "example/app:1.0")).layers.count == 3)
  }

  @Test("listImages names every image", arguments: layouts)
  func list(layout: ImageArchiveBuilder.Layout) throws {
    let bytes = try ImageArchiveBuilder(layout, images: try twoImages()).build()
    let names = try withTemporaryFile(bytes) { try ImageLoader.listImages($0) }
    #expect(names.count == 2)
    #expect(names.first == "docker.io/library/web:1")
    #expect(names.last?.hasPrefix("worker:") == true)
  }

  @Test("the same OCI manifest under two names is one image with both tags")
  func ociSameManifestTwoNames() throws {
    let spec = try Sample.image(tags: ["app:1", "app:latest"])
    let image = try loadImage(ImageArchiveBuilder(.oci, spec))
    #expect(image.tags == ["app:1", "app:latest"])
  }

  @Test("an untagged image is named by its manifest digest")
  func untagged() throws {
    let bytes = try ImageArchiveBuilder(
      .oci,
      images: [
        try Sample.image(tags: []), ImageSpec(tags: [], layers: [try LayerSpec(TarBuilder().file("z", size: 1))]),
      ]
    ).build()
    let error = try #require(loadError(bytes))
    #expect(error.kind == .ambiguousImage)
    #expect(error.problem.contains("sha256:"), "\(error)")
    let single = try loadImage(ImageArchiveBuilder(.oci, try Sample.image(tags: [])))
    #expect(single.tags.isEmpty)
    #expect(single.label == single.source)
  }

  @Test("a legacy manifest.json with no images is an error")
  func emptyManifest() throws {
    var members = ImageArchiveBuilder(.dockerLegacy, try Sample.image()).members()
    members.replace("manifest.json", withText: "[]")
    #expect(try loadError(members: members)?.kind == .noManifest)
  }
}

/// A multi-platform OCI index of these platforms; each variant's only layer names its platform.
private func multiPlatform(_ platforms: [(String, String?)]) throws -> ImageArchiveBuilder {
  let variants = try platforms.map { architecture, variant in
    ImageSpec(
      layers: [
        try LayerSpec(
          TarBuilder().file("platform-\(architecture)\(variant ?? "")", size: 3),
          command: "\(architecture)\(variant ?? "")")
      ],
      architecture: architecture, variant: variant)
  }
  return ImageArchiveBuilder(.oci, .multiPlatform(tags: ["multi:1"], variants))
}

@Suite("Loading: platform selection in a nested index")
struct PlatformTests {
  static let all: [(String, String?)] = [("arm64", "v8"), ("amd64", nil), ("arm", "v7"), ("arm64", nil)]

  static var host: String {
    #if arch(arm64)
      return "arm64"
    #else
      return "amd64"
    #endif
  }

  @Test("without --platform the host's platform is chosen", arguments: [TarCompression.none, .gzip])
  func hostDefault(outer: TarCompression) throws {
    let image = try loadImage(try multiPlatform(Self.all), outer)
    #expect(image.config.architecture == Self.host)
    #expect(image.layers.map(\.descriptor.command).first == Self.host + (Self.host == "arm64" ? "v8" : ""))
    #expect(image.tags == ["multi:1"])
    #expect(image.format == .ociArchive)
  }

  @Test("--platform picks a platform, with or without its variant")
  func explicit() throws {
    let bytes = try multiPlatform(Self.all).build()
    let arm7 = try loadImage(bytes, options: LoadOptions(platform: "linux/arm/v7"))
    #expect(arm7.layers.first?.descriptor.command == "armv7")
    let arm = try loadImage(bytes, options: LoadOptions(platform: "linux/arm"))
    #expect(arm.layers.first?.descriptor.command == "armv7")
    let arm64 = try loadImage(bytes, options: LoadOptions(platform: "linux/arm64"))
    #expect(arm64.config.architecture == "arm64")
    let arm64v8 = try loadImage(bytes, options: LoadOptions(platform: "linux/arm64/v8"))
    #expect(arm64v8.layers.first?.descriptor.command == "arm64v8")
    let exact = try loadImage(bytes, options: LoadOptions(platform: "linux/amd64"))
    #expect(exact.layers.first?.descriptor.command == "amd64")
  }

  @Test(
    "an exact --platform match wins over a variant listed before it")
  func exactMatchPreferred() throws {
    let bytes = try multiPlatform(Self.all).build()
    let arm64 = try loadImage(bytes, options: LoadOptions(platform: "linux/arm64"))
    #expect(arm64.layers.first?.descriptor.command == "arm64")
  }

  @Test("an unknown --platform is an error listing the platforms there are")
  func unknownPlatform() throws {
    let bytes = try multiPlatform(Self.all).build()
    let error = try #require(loadError(bytes, options: LoadOptions(platform: "linux/s390x")))
    #expect(error.kind == .noSuchPlatform)
    #expect(error.problem.contains("linux/s390x"))
    for platform in ["linux/arm64/v8", "linux/amd64", "linux/arm/v7", "linux/arm64"] {
      #expect(error.problem.contains(platform), "\(error)")
    }
  }

  @Test("an index without the host's platform asks for --platform")
  func hostMissing() throws {
    let others: [(String, String?)] =
      Self.host == "amd64" ? [("arm64", "v8"), ("ppc64le", nil)] : [("amd64", nil), ("ppc64le", nil)]
    let error = try #require(loadError(try multiPlatform(others).build()))
    #expect(error.kind == .noSuchPlatform)
    #expect(error.problem.contains("--platform"))
    #expect(error.problem.contains("linux/ppc64le"), "\(error)")
  }

  @Test("an index with a single platform uses it whatever the host")
  func singleChild() throws {
    let image = try loadImage(try multiPlatform([("riscv64", nil)]))
    #expect(image.config.architecture == "riscv64")
  }

  @Test(
    "--platform is checked against the config of an image that is not an index",
    arguments: [
      ImageArchiveBuilder.Layout.oci, .dockerLegacy,
    ])
  func platformOnPlainImage(layout: ImageArchiveBuilder.Layout) throws {
    let builder = ImageArchiveBuilder(layout, try Sample.image())
    let other = Self.host == "amd64" ? "linux/arm64" : "linux/amd64"
    let error = try #require(loadError(try builder.build(), options: LoadOptions(platform: other)))
    #expect(error.kind == .noSuchPlatform)
    #expect(error.problem.contains("not built for \(other)"), "\(error)")
    #expect(error.problem.contains("linux/\(Self.host)"), "\(error)")
    let image = try loadImage(builder, options: LoadOptions(platform: "linux/\(Self.host)"))
    #expect(image.layers.count == 3)
  }

  @Test("attestation manifests (platform unknown/unknown) are not candidates")
  func attestationsIgnored() throws {
    var members = try multiPlatform([("amd64", nil), ("arm64", nil)]).members()
    // Add an unknown/unknown entry to the nested index, as buildx does for attestations.
    let indexName = try #require(
      members.first {
        $0.name.hasPrefix("blobs/") && String(decoding: $0.bytes ?? [], as: UTF8.self).contains("\"platform\"")
      }?.name)
    let text = String(decoding: members[named: indexName]?.bytes ?? [], as: UTF8.self)
    let attestation =
      #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1,"platform":{"architecture":"unknown","os":"unknown"}},"#
    let patched = text.replacingOccurrences(of: "\"manifests\":[", with: "\"manifests\":[" + attestation)
    let digest = SHA256.digest(Array(patched.utf8))
    members.remove(indexName)
    members.append(.text(ImageArchiveBuilder.blobName(Array(patched.utf8)), patched))
    members.replace(
      "index.json",
      withText: String(decoding: members[named: "index.json"]?.bytes ?? [], as: UTF8.self)
        .replacingOccurrences(of: "sha256:" + indexName.split(separator: "/").last!, with: digest))
    let image = try loadImage(members: members, options: LoadOptions(platform: "linux/arm64"))
    #expect(image.config.architecture == "arm64")
    let error = try #require(try loadError(members: members, options: LoadOptions(platform: "linux/mips")))
    #expect(!error.problem.contains("unknown/unknown"), "\(error)")
  }
}
