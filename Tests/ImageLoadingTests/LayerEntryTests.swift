import Foundation
import ImageLoading
import ImageModel
import TestSupport
import Testing

/// Loads a one-image archive whose layers are these tars.
private func loadLayers(
  _ layers: [[UInt8]], outer: TarCompression = .none, layout: ImageArchiveBuilder.Layout = .dockerLegacy
)
  throws -> Image
{
  let specs = try layers.map { try LayerSpec($0) }
  return try loadImage(ImageArchiveBuilder(layout, ImageSpec(tags: ["t:1"], layers: specs)), outer)
}

@Suite("Loading: layer entries and anomalies")
struct LayerEntryTests {
  @Test("names are normalised: ./a, /a and a/ are the same path; the root entry is dropped")
  func normalisation() throws {
    let layer = try TarBuilder().dir("./").dir("./etc/").file("./etc/a", size: 4).file("etc//b/../c", size: 1).dir(
      "usr/"
    ).build()
    let image = try loadLayers([layer])
    let entries = image.layers[0].contents.entries
    #expect(entries.map(\.path) == ["etc", "etc/a", "etc/c", "usr"])
    #expect(image.anomalies.isEmpty)
  }

  @Test("names made of dots that are not . or .. are ordinary names")
  func dotNames() throws {
    let layer = try TarBuilder().file("...", size: 1).file("a/.../b", size: 1).file(".hidden", size: 1).file(
      "..x", size: 1
    )
    .file("x..", size: 1).file("./.a/./..b/", size: 1).file("c/./d/..", size: 1).build()
    let image = try loadLayers([layer])
    #expect(image.layers[0].contents.entries.map(\.path) == ["...", "a/.../b", ".hidden", "..x", "x..", ".a/..b", "c"])
    #expect(image.anomalies.isEmpty)
  }

  @Test("an entry climbing out with ../ is reported and not applied", arguments: [TarCompression.none, .gzip])
  func escapingEntry(outer: TarCompression) throws {
    let lower = try TarBuilder().file("ok", size: 1).build()
    let layer = try TarBuilder().file("a", size: 1).file("../x", size: 5).file("b/../../y", size: 7).file("z", size: 1)
      .build()
    let image = try loadLayers([lower, layer], outer: outer)
    #expect(image.layers[1].contents.entries.map(\.path) == ["a", "z"])
    let escaping = image.anomalies.filter { $0.kind == .escapingPath }
    #expect(escaping.map(\.path) == ["../x", "b/../../y"])
    #expect(escaping.allSatisfy { $0.layer == 1 }, "anomalies name the layer, streamed or not")
    // dive counts every header's size in the layer size, escaping ones too.
    #expect(image.layers[1].contents.headerBytes == 14)
  }

  @Test("names are split at each / byte, also where a combining mark follows it and would glue a Character")
  func combiningMarkAfterSlash() throws {
    // "a/\u{301}b": one Character "/\u{301}" in Swift, but to the kernel and tar a directory `a`
    // holding `\u{301}b`. "../\u{301}x" therefore climbs out of the root.
    let layer = try TarBuilder().file("a/\u{301}b", size: 3).file("../\u{301}x", size: 5).file("c/./\u{301}d", size: 2)
      .build()
    let image = try loadLayers([layer])
    let entries = image.layers[0].contents.entries
    #expect(entries.map(\.path) == ["a/\u{301}b", "c/\u{301}d"])
    #expect(entries.map(\.name) == ["\u{301}b", "\u{301}d"])
    #expect(entries.map(\.directory) == ["a", "c"])
    #expect(image.anomalies.filter { $0.kind == .escapingPath }.map(\.path) == ["../\u{301}x"])
    #expect(PathName.components(of: "/a//\u{301}b/") == ["a", "\u{301}b"])
    #expect(PathName.components(of: "").isEmpty && PathName.components(of: "///").isEmpty)
  }

  @Test("an absolute name is applied relative to the root and reported", arguments: [TarCompression.none, .gzip])
  func absoluteEntry(outer: TarCompression) throws {
    let layer = try TarBuilder().file("/abs/b", size: 6).file("/etc/passwd", size: 2).build()
    let image = try loadLayers([layer], outer: outer)
    #expect(image.layers[0].contents.entries.map(\.path) == ["abs/b", "etc/passwd"])
    let absolute = image.anomalies.filter { $0.kind == .absolutePath }
    #expect(absolute.map(\.path) == ["/abs/b", "/etc/passwd"])
    #expect(absolute.allSatisfy { $0.layer == 0 })
  }

  @Test("a hard link pointing outside the image is reported and dropped; a normal one is normalised")
  func escapingHardLink() throws {
    let layer = try TarBuilder().file("etc/passwd", size: 3).hardlink("evil", to: "../../etc/shadow").hardlink(
      "good", to: "./etc/passwd"
    ).build()
    let image = try loadLayers([layer])
    let entries = image.layers[0].contents.entries
    #expect(entries.map(\.path) == ["etc/passwd", "good"])
    #expect(entries.last?.linkTarget == "etc/passwd")
    #expect(image.anomalies.map(\.kind) == [.escapingPath])
    #expect(image.anomalies.first?.path == "evil")
  }

  @Test("symlink targets are kept as stored, never resolved")
  func symlinkTargets() throws {
    let layer = try TarBuilder().symlink("a", to: "../../../etc/passwd").symlink("b", to: "/abs").symlink(
      "c", to: "./rel/x"
    ).build()
    let image = try loadLayers([layer])
    #expect(image.layers[0].contents.entries.map(\.linkTarget) == ["../../../etc/passwd", "/abs", "./rel/x"])
    #expect(image.anomalies.isEmpty)
  }

  @Test("whiteouts and opaque markers become markers with the path they act on")
  func markers() throws {
    let layer = try TarBuilder()
      .whiteout("app/old.conf").whiteout("top").opaque("etc/conf.d").opaque("").dir(".wh..wh.plnk").build()
    let image = try loadLayers([layer])
    let entries = image.layers[0].contents.entries
    #expect(entries.map(\.kind) == [.whiteout, .whiteout, .opaque, .opaque])
    #expect(entries.map(\.path) == ["app/old.conf", "top", "etc/conf.d", ""])
    #expect(
      entries.map(\.storedPath) == ["/app/.wh.old.conf", "/.wh.top", "/etc/conf.d/.wh..wh..opq", "/.wh..wh..opq"])
  }

  @Test(
    "files inside aufs bookkeeping directories (.wh..wh.plnk/…) are not part of the filesystem")
  func aufsMetadataContents() throws {
    let layer = try TarBuilder().dir(".wh..wh.plnk").file(".wh..wh.plnk/123.456", size: 9).file("ok", size: 1).build()
    let image = try loadLayers([layer])
    #expect(image.layers[0].contents.entries.map(\.path) == ["ok"])
  }

  @Test("a malformed whiteout name is reported and ignored")
  func invalidWhiteout() throws {
    let layer = try TarBuilder().file("dir/.wh.", [], mode: 0).file("ok", size: 1).build()
    let image = try loadLayers([layer])
    #expect(image.layers[0].contents.entries.map(\.path) == ["ok"])
    #expect(image.anomalies.map(\.kind) == [.invalidWhiteout])
  }

  @Test("long, UTF-8 and spaced names load intact")
  func names() throws {
    let long =
      "app/very/long/path/segment-one/segment-two/segment-three/segment-four/segment-five/segment-six/"
      + "a-file-with-a-rather-long-name-to-push-past-the-ustar-limit.txt"
    let layer = try TarBuilder().file(long, text: "deep file\n").file("app/docs/café menu.txt", size: 73).symlink(
      "app/long-target-link", to: "/" + long
    ).build()
    for outer in [TarCompression.none, .gzip] {
      let image = try loadLayers([layer], outer: outer)
      #expect(image.layers[0].contents.entries.map(\.path) == [long, "app/docs/café menu.txt", "app/long-target-link"])
      #expect(image.layers[0].contents.entries.last?.linkTarget == "/" + long)
    }
  }

  @Test(
    "a name that is not UTF-8 is reported")
  func nonUTF8Name() throws {
    let layer = RawTar.entry(name: Array("bad".utf8) + [0xFF], content: [1]) + RawTar.end
    let image = try loadLayers([layer])
    #expect(image.layers[0].contents.entries.map(\.path) == ["bad\\xFF"])
    #expect(image.anomalies.map(\.kind) == [.nonUTF8Name])
  }

  @Test("owner, group and mode are carried, device and fifo kinds too")
  func metadata() throws {
    let layer = try TarBuilder().file("f", size: 1, mode: 0o4755, uid: 1000, gid: 50).fifo("p").dir(
      "d", mode: 0o1777, uid: 7, gid: 8
    ).build()
    let entries = try loadLayers([layer]).layers[0].contents.entries
    #expect(entries.map(\.kind) == [.regular, .fifo, .directory])
    #expect(entries[0].permissions == 0o4755 && entries[0].uid == 1000 && entries[0].gid == 50)
    #expect(entries[2].permissions == 0o1777 && entries[2].uid == 7 && entries[2].gid == 8)
  }
}
