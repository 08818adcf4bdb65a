import ArchiveIO
import Foundation
import TestSupport
import Testing

/// The helpers other tests rely on.
@Suite("TestSupport")
struct TestSupportTests {
  @Test("SHA-256 matches the standard test vectors")
  func sha256Vectors() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.digest(Array(repeating: 0x61, count: 1000))
        == "sha256:41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }

  @Test("whiteout and opaque names")
  func markerNames() {
    #expect(TarBuilder.whiteoutName("a/b/c") == "a/b/.wh.c")
    #expect(TarBuilder.whiteoutName("top") == ".wh.top")
    let names = TarBuilder().opaque("etc/").opaque("").whiteout("x/y").entries.map(\.name)
    #expect(names == ["etc/.wh..wh..opq", ".wh..wh..opq", "x/.wh.y"])
  }

  @Test("deterministic content depends on the name and the size only")
  func content() {
    #expect(TarBuilder.content(of: "a", size: 100) == TarBuilder.content(of: "a", size: 100))
    #expect(TarBuilder.content(of: "a", size: 100) != TarBuilder.content(of: "b", size: 100))
    #expect(TarBuilder.content(of: "a", size: 50) == Array(TarBuilder.content(of: "a", size: 100).prefix(50)))
  }

  @Test("compressed() output starts with the gzip and zstd magic numbers")
  func compression() throws {
    let data = TarBuilder.content(size: 1000, seed: 1)
    #expect(try compressed(data, .none) == data)
    #expect(Array(try compressed(data, .gzip).prefix(2)) == [0x1F, 0x8B])
    #expect(Array(try compressed(data, .zstd).prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
  }

  @Test("image archives hold the members each layout needs")
  func layouts() throws {
    let layer = try LayerSpec(TarBuilder().file("a", size: 3), compression: .gzip)
    let spec = ImageSpec(tags: ["t:1"], layers: [layer])
    let legacy = ImageArchiveBuilder(.dockerLegacy, spec).members().map(\.name)
    #expect(legacy.first == "manifest.json")
    #expect(legacy.contains { $0.hasSuffix("/layer.tar") })
    #expect(legacy.contains("repositories"))
    let docker25 = ImageArchiveBuilder(.docker25, spec, metadataLast: true).members().map(\.name)
    #expect(Array(docker25.suffix(3)) == ["index.json", "manifest.json", "oci-layout"])
    #expect(docker25.contains(ImageArchiveBuilder.blobName(layer.blob)))
    let oci = ImageArchiveBuilder(.oci, spec).members()
    #expect(oci.map(\.name).prefix(2) == ["oci-layout", "index.json"])
    let index = String(decoding: oci[named: "index.json"]?.bytes ?? [], as: UTF8.self)
    #expect(index.contains("\"org.opencontainers.image.ref.name\":\"t:1\""))
    #expect(layer.mediaType == "application/vnd.oci.image.layer.v1.tar+gzip")
    #expect(layer.diffID != layer.blobDigest)
  }

  @Test("fixture paths resolve from the repository root")
  func paths() throws {
    #expect(FileManager.default.fileExists(atPath: fixtureURL("images/wasteful/wasteful.tar").path))
    #expect(throws: TestArchiveError.self) { try requireDiveFixture("no-such-archive.tar") }
    #expect(try requireDiveFixture("test-docker-image.tar").lastPathComponent == "test-docker-image.tar")
  }

  @Test("temporary directories are created and removed")
  func temporary() throws {
    let kept = try withTemporaryDirectory { url -> URL in
      #expect(FileManager.default.fileExists(atPath: url.path))
      return url
    }
    #expect(!FileManager.default.fileExists(atPath: kept.path))
    let manual = try temporaryDirectory()
    #expect(FileManager.default.fileExists(atPath: manual.path))
    try FileManager.default.removeItem(at: manual)
  }
}
