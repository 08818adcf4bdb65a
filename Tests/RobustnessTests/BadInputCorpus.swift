import ArchiveIO
import Foundation
import ImageLoading
import ImageModel
import JSONIO
import TestSupport

/// Generates the bad-input corpus: real fixtures cut and damaged, and synthetic archives with
/// every kind of malformed metadata and hostile layer content.
enum BadInputCorpus {
  // MARK: Real fixtures, truncated and damaged

  /// Members of an uncompressed archive with their header and data offsets.
  static func layout(_ path: String) -> [(name: String, header: Int64, data: Int64, size: Int64)] {
    guard let file = try? OpenFile(path: path), let reader = try? ArchiveReader(source: .window(FileWindow(file: file)))
    else { return [] }
    var members: [(String, Int64, Int64, Int64)] = []
    while let entry = try? reader.next(), let offset = entry.dataOffset {
      members.append((entry.path, offset - 512, offset, entry.size))
    }
    return members
  }

  /// `wasteful.tar` cut inside headers, inside layer data and inside the metadata.
  static func truncations() -> [BadInput] {
    let path = fixtureURL("images/wasteful/wasteful.tar").path
    guard let bytes = try? readFile(path) else { return [] }
    let members = layout(path)
    let end = members.map { $0.data + $0.size }.max() ?? Int64(bytes.count)
    var cuts = Set<Int64>()
    for member in members {
      for offset in [member.header + 1, member.header + 148, member.header + 345, member.data - 1] {
        cuts.insert(offset)
      }
      if member.size > 2 { cuts.insert(member.data + member.size / 2) }
      if member.size > 1 { cuts.insert(member.data + member.size - 1) }
    }
    cuts.insert(0)
    cuts.insert(1)
    return cuts.sorted().filter { $0 >= 0 && $0 < end }.map { cut in
      let name = members.last { $0.header <= cut }.map { "\($0.name) @\(cut)" } ?? "@\(cut)"
      return BadInput(name: "truncated \(name)", bytes: Array(bytes.prefix(Int(cut))), expectation: .fails(nil))
    }
  }

  /// The same archive gzip-compressed (the single-pass path), cut at even steps.
  static func streamTruncations() -> [BadInput] {
    guard let bytes = try? readFile(fixtureURL("images/wasteful/wasteful.tar").path),
      let gzip = try? compressed(bytes, .gzip)
    else { return [] }
    return (1..<20).map { step in
      let cut = gzip.count * step / 20
      return BadInput(
        name: "gzip stream cut at \(step * 5)%", bytes: Array(gzip.prefix(cut)), expectation: .fails(nil),
        fileName: "image.tar.gz")
    }
  }

  /// Bytes flipped inside compressed layers and inside tar headers.
  static func bitFlips() -> [BadInput] {
    var cases: [BadInput] = []
    for (fixture, count) in [
      ("images/busybox-app/busybox-app-oci-gzip.tar", 30), ("images/busybox-app/busybox-app-oci-zstd.tar", 20),
    ] {
      let path = fixtureURL(fixture).path
      guard let bytes = try? readFile(path) else { continue }
      let blobs = layout(path).filter { $0.name.hasPrefix("blobs/") && $0.size > 4096 }
      for index in 0..<count {
        guard let blob = blobs[safe: index % max(1, blobs.count)] else { break }
        let offset = Int(blob.data + (blob.size * Int64(index * 7 + 3) / Int64(count * 7 + 5)))
        var damaged = bytes
        damaged[offset] ^= 0x5A
        cases.append(BadInput(name: "\(fixture) flip @\(offset)", bytes: damaged, expectation: .either))
      }
    }
    let path = fixtureURL("images/wasteful/wasteful.tar").path
    if let bytes = try? readFile(path),
      let layer = layout(path).first(where: { $0.name.hasSuffix(".tar") && $0.size > 100_000 })
    {
      // Inside the nested layer's own headers: name, size field, checksum, type flag, magic.
      for field in [0, 124, 130, 148, 156, 257, 345] {
        var damaged = bytes
        damaged[Int(layer.data) + field] ^= 0x3C
        cases.append(BadInput(name: "layer header byte \(field) flipped", bytes: damaged, expectation: .either))
      }
    }
    return cases
  }

  // MARK: Metadata

  /// A small legacy image's members, to damage one at a time.
  static func sampleMembers(_ layout: ImageArchiveBuilder.Layout = .dockerLegacy) -> [ArchiveMember] {
    let base = TarBuilder().dir("bin").file("bin/sh", size: 300, mode: 0o755).file("etc/os-release", text: "ID=t\n")
    let app = TarBuilder().dir("app").file("app/run", size: 50).whiteout("bin/sh")
    guard let layers = try? [LayerSpec(base, command: "ADD rootfs /"), LayerSpec(app, command: "COPY app /app")] else {
      return []
    }
    return ImageArchiveBuilder(layout, ImageSpec(tags: ["t:1"], layers: layers)).members()
  }

  static func replacing(_ name: String, with bytes: [UInt8], in members: [ArchiveMember]) -> [ArchiveMember] {
    members.map { $0.name == name ? .file(name, bytes) : $0 }
  }

  static func archive(_ members: [ArchiveMember]) -> [UInt8] {
    (try? ImageArchiveBuilder.tar(members)) ?? []
  }

  /// manifest.json rewritten every wrong way.
  static func manifests() -> [BadInput] {
    let members = sampleMembers()
    guard let manifest = members.first(where: { $0.name == "manifest.json" })?.bytes,
      let parsed = try? JSONValue.parse(manifest), let first = parsed.arrayValue?.first?.objectValue,
      let config = first["Config"]?.stringValue, let layers = first["Layers"]?.arrayValue?.compactMap(\.stringValue)
    else { return [] }
    let layerList = layers.map { "\"\($0)\"" }.joined(separator: ",")
    let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    let variants: [(String, String, ImageLoadError.Kind?)] = [
      ("empty manifest", "", .malformedJSON),
      ("not JSON", "hello", .malformedJSON),
      ("truncated JSON", "[{\"Config\":\"\(config)\"", .malformedJSON),
      ("object root", "{}", .invalidMetadata),
      ("number root", "42", .invalidMetadata),
      ("null root", "null", .invalidMetadata),
      ("empty array", "[]", .noManifest),
      ("array of numbers", "[1,2]", .invalidMetadata),
      ("null image", "[null]", .invalidMetadata),
      ("Config missing", "[{\"Layers\":[\(layerList)]}]", .invalidMetadata),
      ("Config number", "[{\"Config\":7,\"Layers\":[\(layerList)]}]", .invalidMetadata),
      ("Config null", "[{\"Config\":null,\"Layers\":[\(layerList)]}]", .invalidMetadata),
      ("Config names nothing", "[{\"Config\":\"nope.json\",\"Layers\":[\(layerList)]}]", .missingBlob),
      ("Config escapes", "[{\"Config\":\"../../etc/passwd\",\"Layers\":[\(layerList)]}]", .unsafePath),
      ("Layers missing", "[{\"Config\":\"\(config)\"}]", .invalidMetadata),
      ("Layers a string", "[{\"Config\":\"\(config)\",\"Layers\":\"\(layers[0])\"}]", .invalidMetadata),
      ("Layers numbers", "[{\"Config\":\"\(config)\",\"Layers\":[1,2]}]", .invalidMetadata),
      ("Layers with null", "[{\"Config\":\"\(config)\",\"Layers\":[null]}]", .invalidMetadata),
      ("layer missing", "[{\"Config\":\"\(config)\",\"Layers\":[\"missing/layer.tar\"]}]", .missingBlob),
      ("layer escapes", "[{\"Config\":\"\(config)\",\"Layers\":[\"../../../etc/passwd\"]}]", .unsafePath),
      ("layer is the config", "[{\"Config\":\"\(config)\",\"Layers\":[\"\(config)\"]}]", .notAnArchive),
      ("layer is manifest", "[{\"Config\":\"\(config)\",\"Layers\":[\"manifest.json\"]}]", .notAnArchive),
      (
        "RepoTags a string", "[{\"Config\":\"\(config)\",\"RepoTags\":\"x\",\"Layers\":[\(layerList)]}]",
        .invalidMetadata
      ),
      ("RepoTags numbers", "[{\"Config\":\"\(config)\",\"RepoTags\":[1],\"Layers\":[\(layerList)]}]", .invalidMetadata),
      (
        "two images",
        "[{\"Config\":\"\(config)\",\"RepoTags\":[\"a:1\"],\"Layers\":[\(layerList)]},{\"Config\":\"\(config)\",\"RepoTags\":[\"b:1\"],\"Layers\":[\(layerList)]}]",
        .ambiguousImage
      ),
      (
        "duplicate keys", "[{\"Config\":\"\(config)\",\"Config\":\"\(config)\",\"Layers\":[\(layerList)]}]",
        .malformedJSON
      ),
      ("deeply nested", deep, .malformedJSON),
      ("huge number", "[{\"Config\":\"\(config)\",\"Layers\":[\(layerList)],\"x\":1e999999}]", .malformedJSON),
      ("invalid UTF-8", "[{\"Config\":\"\u{FFFD}\(config)\",\"Layers\":[]}]", .missingBlob),
    ]
    var cases = variants.map { name, text, kind in
      BadInput(
        name: "manifest: \(name)", bytes: archive(replacing("manifest.json", with: Array(text.utf8), in: members)),
        expectation: .fails(kind))
    }
    cases.append(
      BadInput(
        name: "manifest: no layers at all",
        bytes: archive(
          replacing("manifest.json", with: Array("[{\"Config\":\"\(config)\",\"Layers\":[]}]".utf8), in: members)),
        expectation: .loads([.historyMismatch])))
    cases.append(
      BadInput(
        name: "manifest: the same layer twice",
        bytes: archive(
          replacing(
            "manifest.json",
            with: Array("[{\"Config\":\"\(config)\",\"Layers\":[\"\(layers[0])\",\"\(layers[0])\"]}]".utf8), in: members
          )),
        expectation: .loads([])))
    cases.append(
      BadInput(
        name: "manifest: absent", bytes: archive(members.filter { $0.name != "manifest.json" }),
        expectation: .fails(.bareLayer)))
    return cases
  }

  /// The image config rewritten every wrong way.
  static func configs() -> [BadInput] {
    let members = sampleMembers()
    guard let configName = members.first(where: { $0.name.hasSuffix(".json") && $0.name != "manifest.json" })?.name
    else { return [] }
    let loads: [(String, String, Set<Anomaly.Kind>)] = [
      (
        "history longer than layers",
        "{\"history\":[{\"created_by\":\"a\"},{\"created_by\":\"b\"},{\"created_by\":\"c\"}]}", [.historyMismatch]
      ),
      ("history shorter", "{\"history\":[{\"created_by\":\"a\"}]}", [.historyMismatch]),
      ("all history empty_layer", "{\"history\":[{\"created_by\":\"a\",\"empty_layer\":true}]}", [.historyMismatch]),
      ("diff_ids mismatch", "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:00\"]}}", [.historyMismatch]),
      ("empty object", "{}", []),
      ("unknown fields", "{\"whatever\":[1,{\"a\":null}],\"config\":{\"Env\":null}}", []),
      ("nulls everywhere", "{\"architecture\":null,\"os\":null,\"history\":null,\"rootfs\":null}", []),
      (
        "control characters in commands",
        "{\"history\":[{\"created_by\":\"\\u001b[31mevil\\u0007\"},{\"created_by\":\"\\u009b2J\"}]}", []
      ),
    ]
    let fails: [(String, String)] = [
      ("not JSON", "not json"),
      ("array", "[]"),
      ("architecture number", "{\"architecture\":64}"),
      ("history object", "{\"history\":{}}"),
      ("history of strings", "{\"history\":[\"a\"]}"),
      ("created_by number", "{\"history\":[{\"created_by\":1}]}"),
      ("empty_layer string", "{\"history\":[{\"empty_layer\":\"yes\"}]}"),
      ("rootfs string", "{\"rootfs\":\"layers\"}"),
      ("diff_ids of numbers", "{\"rootfs\":{\"diff_ids\":[1]}}"),
      ("duplicate key", "{\"os\":\"linux\",\"os\":\"windows\"}"),
      ("deep nesting", "{\"x\":" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"),
      ("NUL byte", "{\"os\":\"lin\u{0}ux\"} trailing"),
    ]
    return loads.map { name, text, kinds in
      BadInput(
        name: "config: \(name)", bytes: archive(replacing(configName, with: Array(text.utf8), in: members)),
        expectation: .loads(kinds))
    }
      + fails.map { name, text in
        BadInput(
          name: "config: \(name)", bytes: archive(replacing(configName, with: Array(text.utf8), in: members)),
          expectation: .fails(nil))
      }
  }

  /// OCI index.json and manifests rewritten.
  static func ociIndexes() -> [BadInput] {
    let members = sampleMembers(.oci)
    let manifest = members.first { member in
      member.name.hasPrefix("blobs/")
        && String(decoding: member.bytes ?? [], as: UTF8.self).contains("\"schemaVersion\"")
        && String(decoding: member.bytes ?? [], as: UTF8.self).contains("\"layers\"")
    }
    guard let manifest, let manifestBytes = manifest.bytes else { return [] }
    let digest = "sha256:" + String(manifest.name.dropFirst("blobs/sha256/".count))
    let size = manifestBytes.count
    func index(_ text: String) -> [UInt8] { Array(text.utf8) }
    let variants: [(String, String, ImageLoadError.Kind?)] = [
      ("manifests missing", "{\"schemaVersion\":2}", .invalidMetadata),
      ("manifests empty", "{\"manifests\":[]}", .noManifest),
      ("manifests object", "{\"manifests\":{}}", .invalidMetadata),
      (
        "digest missing", "{\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}]}",
        .invalidMetadata
      ),
      ("digest traversal", "{\"manifests\":[{\"digest\":\"sha256:../../../etc/passwd\"}]}", .unsafePath),
      ("digest without algorithm", "{\"manifests\":[{\"digest\":\"abc\"}]}", .unsafePath),
      (
        "digest names nothing",
        "{\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:\(String(repeating: "0", count: 64))\"}]}",
        .missingBlob
      ),
      ("size a string", "{\"manifests\":[{\"digest\":\"\(digest)\",\"size\":\"\(size)\"}]}", .invalidMetadata),
      (
        "only an attestation",
        "{\"manifests\":[{\"mediaType\":\"application/vnd.in-toto+json\",\"digest\":\"\(digest)\"}]}", .noManifest
      ),
    ]
    var cases = variants.map { name, text, kind in
      BadInput(
        name: "oci index: \(name)", bytes: archive(replacing("index.json", with: index(text), in: members)),
        expectation: .fails(kind))
    }
    cases.append(
      BadInput(
        name: "oci index: descriptor says index, blob is a manifest (the blob wins)",
        bytes: archive(
          replacing(
            "index.json",
            with: index(
              "{\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"\(digest)\"}]}"),
            in: members)),
        expectation: .loads([])))
    // A blob that is an index listing itself (the loader does not verify digests, so it can exist).
    let loopDigest = "sha256:" + String(repeating: "a", count: 64)
    let loop = index(
      "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"\(loopDigest)\"}]}"
    )
    cases.append(
      BadInput(
        name: "oci index: an index that contains itself",
        bytes: archive(
          replacing("index.json", with: loop, in: members) + [
            .file("blobs/sha256/" + String(repeating: "a", count: 64), loop)
          ]),
        expectation: .fails(nil)))
    let manifestVariants: [(String, String, ImageLoadError.Kind?)] = [
      ("config missing", "{\"schemaVersion\":2,\"layers\":[]}", .invalidMetadata),
      (
        "config media type of a chart",
        "{\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\",\"digest\":\"sha256:00\"},\"layers\":[]}",
        .unknownMediaType
      ),
      (
        "layer media type unknown",
        "{\"config\":{\"digest\":\"sha256:00\"},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+encrypted\",\"digest\":\"sha256:11\"}]}",
        .unknownMediaType
      ),
      ("layers not an array", "{\"config\":{\"digest\":\"sha256:00\"},\"layers\":7}", .invalidMetadata),
      ("layer digest number", "{\"config\":{\"digest\":\"sha256:00\"},\"layers\":[{\"digest\":5}]}", .invalidMetadata),
    ]
    cases += manifestVariants.map { name, text, kind in
      BadInput(
        name: "oci manifest: \(name)", bytes: archive(replacing(manifest.name, with: index(text), in: members)),
        expectation: .fails(kind))
    }
    return cases
  }

  // MARK: Layer contents

  static func image(_ layers: [TarBuilder], compression: TarCompression = .none) -> [UInt8] {
    let specs = layers.enumerated().compactMap { try? LayerSpec($1, compression: compression, command: "step \($0)") }
    return (try? ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["t:1"], layers: specs)).build()) ?? []
  }

  static func rawImage(_ layers: [[UInt8]]) -> [UInt8] {
    let specs = layers.enumerated().compactMap { try? LayerSpec($1, command: "step \($0)") }
    return (try? ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["t:1"], layers: specs)).build()) ?? []
  }

  static func layerContents() -> [BadInput] {
    let base = TarBuilder().dir("etc").file("etc/passwd", text: "root:x:0:0\n").dir("bin").file("bin/sh", size: 100)
    var cases: [BadInput] = []
    func add(_ name: String, _ layers: [TarBuilder], _ expectation: BadInput.Expectation) {
      cases.append(BadInput(name: "layer: \(name)", bytes: image(layers), expectation: expectation))
    }
    add("../ escape", [base, TarBuilder().file("../../etc/shadow", text: "x")], .loads([.escapingPath]))
    add("deep ../ escape", [base, TarBuilder().file("a/b/../../../x", text: "x")], .loads([.escapingPath]))
    add("absolute name", [base, TarBuilder().file("/etc/passwd", text: "evil")], .loads([.absolutePath]))
    add("absolute whiteout", [base, TarBuilder().file("/etc/.wh.passwd", text: "")], .loads([.absolutePath]))
    add(
      "hard link out of the root", [base, TarBuilder().hardlink("x", to: "../../etc/shadow")], .loads([.escapingPath]))
    add("hard link to nothing", [base, TarBuilder().hardlink("x", to: "missing")], .loads([.danglingHardLink]))
    add("hard link to itself", [base, TarBuilder().hardlink("x", to: "x")], .loads([.danglingHardLink]))
    add(
      "hard link loop", [base.file("a", size: 10), TarBuilder().hardlink("b", to: "a").hardlink("a2", to: "b")],
      .loads([]))
    add(
      "symlink loop", [base, TarBuilder().symlink("a", to: "b").symlink("b", to: "a").file("c", size: 1)], .loads([]))
    add("symlink to itself", [base, TarBuilder().symlink("self", to: "self")], .loads([]))
    add(
      "symlink out of the root, then a whiteout through it",
      [base, TarBuilder().symlink("out", to: "/../../etc"), TarBuilder().whiteout("out/passwd")],
      .loads([.whiteoutOfMissingPath]))
    add("whiteout of nothing", [base, TarBuilder().whiteout("nothing")], .loads([.whiteoutOfMissingPath]))
    add("whiteout in layer 0", [TarBuilder().whiteout("x").file("y", size: 1)], .loads([.whiteoutOfMissingPath]))
    add("opaque root", [base, TarBuilder().opaque("").file("new", size: 3)], .loads([]))
    add("opaque of a file", [base, TarBuilder().opaque("etc/passwd")], .loads([]))
    add("bare .wh. name", [base, TarBuilder().file("etc/.wh.", text: "")], .loads([.invalidWhiteout]))
    add(
      "duplicate entries", [base, TarBuilder().file("d", size: 1).file("d", size: 2).file("d", size: 3)],
      .loads([.duplicateEntry]))
    add(
      "file then dir at one path", [base, TarBuilder().file("x", size: 5).dir("x").file("x/y", size: 1)],
      .loads([.duplicateEntry]))
    add("dir replaced by file", [base, TarBuilder().file("etc", size: 7)], .loads([]))
    add(
      "file under a lower file", [base, TarBuilder().file("etc/passwd/inner", size: 7)], .loads([.parentIsNotDirectory])
    )
    add(
      "escape sequences in names",
      [
        base,
        TarBuilder().file("\u{1B}[2J\u{1B}[31mred", size: 1).file("bell\u{07}", size: 1).file("new\nline", size: 1)
          .file("\u{9B}csi", size: 1),
      ], .loads([]))
    add("bidi override name", [base, TarBuilder().file("evil\u{202E}txt.exe", size: 1)], .loads([]))
    add(
      "10,000 nested directories",
      [TarBuilder().file(Array(repeating: "d", count: 10_000).joined(separator: "/") + "/leaf", size: 1)], .loads([]))
    add("very long name", [TarBuilder().file(String(repeating: "n", count: 4000), size: 1)], .loads([]))
    add("fifo and devices", [base, TarBuilder().fifo("pipe")], .loads([]))
    add("aufs bookkeeping", [base, TarBuilder().dir(".wh..wh.plnk").file(".wh..wh.plnk/1.2", size: 9)], .loads([]))
    add("empty layer tar", [base, TarBuilder()], .loads([]))
    add("50,000 empty files", [TarBuilder(format: .gnu).emptyFiles(prefix: "e/f", count: 50_000)], .loads([]))
    cases.append(
      BadInput(
        name: "layer: non-UTF-8 names",
        bytes: rawImage([RawTar.entry(name: [0x63, 0x61, 0x66, 0xE9], content: [1, 2, 3]) + RawTar.end]),
        expectation: .loads([.nonUTF8Name])))
    cases.append(
      BadInput(
        name: "layer: not a tar", bytes: rawImage([Array("just some text, not a tar".utf8)]),
        expectation: .fails(.notAnArchive)))
    cases.append(BadInput(name: "layer: empty blob", bytes: rawImage([[]]), expectation: .either))
    cases.append(
      BadInput(
        name: "layer: random bytes",
        bytes: rawImage([(0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }]),
        expectation: .fails(nil)))
    cases.append(
      BadInput(
        name: "layer: gzip of garbage",
        bytes: rawImage([[0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3] + Array(repeating: 0x41, count: 100)]),
        expectation: .fails(nil)))
    cases.append(
      BadInput(
        name: "layer: truncated zstd", bytes: rawImage([[0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x58]]), expectation: .fails(nil)
      ))
    cases.append(absurdSize())
    cases += limits()
    return cases
  }

  /// A header that claims far more bytes than follow.
  static func absurdSize() -> BadInput {
    var header = RawTar.entry(name: Array("huge".utf8))
    // Base-256 size field: 2^62 bytes.
    for index in 124..<136 { header[index] = 0 }
    header[124] = 0x80
    header[128] = 0x40
    for index in 148..<156 { header[index] = 0x20 }
    let sum = String(header.reduce(0) { $0 + Int($1) }, radix: 8)
    let field = Array((String(repeating: "0", count: max(0, 6 - sum.count)) + sum).utf8) + [0, 0x20]
    for (offset, byte) in field.enumerated() { header[148 + offset] = byte }
    let tar = header + RawTar.end
    return BadInput(name: "layer: size field of 2^62 bytes", bytes: rawImage([tar]), expectation: .fails(nil))
  }

  /// Limits that stop a layer from exhausting time or memory.
  static func limits() -> [BadInput] {
    var cases: [BadInput] = []
    let bomb = TarBuilder().file("zeros", [UInt8](repeating: 0, count: 30 << 20))
    var small = LoadOptions()
    small.maxLayerBytes = 8 << 20
    cases.append(
      BadInput(
        name: "limit: gzip bomb (1000×) past --max-layer-size", bytes: image([bomb], compression: .gzip),
        expectation: .fails(.tooLarge), options: small))
    cases.append(
      BadInput(
        name: "limit: gzip bomb within the default limit", bytes: image([bomb], compression: .gzip),
        expectation: .loads([])))
    var entries = LoadOptions()
    entries.maxEntriesPerLayer = 100
    cases.append(
      BadInput(
        name: "limit: --max-entries", bytes: image([TarBuilder().emptyFiles(prefix: "f", count: 500)]),
        expectation: .fails(.tooLarge), options: entries))
    var total = LoadOptions()
    total.maxTotalEntries = 10
    cases.append(
      BadInput(
        name: "limit: --max-total-entries",
        bytes: image([
          TarBuilder().file("a", size: 1).file("b", size: 1), TarBuilder().emptyFiles(prefix: "g", count: 20),
        ]), expectation: .fails(.tooLarge), options: total))
    return cases
  }

  // MARK: Whole inputs that are not images

  static func notImages() -> [BadInput] {
    [
      BadInput(name: "empty file", bytes: [], expectation: .fails(.emptyArchive)),
      BadInput(name: "one byte", bytes: [0x41], expectation: .fails(nil)),
      BadInput(name: "512 zero bytes", bytes: [UInt8](repeating: 0, count: 512), expectation: .fails(nil)),
      BadInput(name: "10 KB of zeros", bytes: [UInt8](repeating: 0, count: 10240), expectation: .fails(nil)),
      BadInput(name: "a JSON file", bytes: Array("{\"manifests\":[]}".utf8), expectation: .fails(.notAnArchive)),
      BadInput(
        name: "a zip header", bytes: [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 100),
        expectation: .fails(nil)),
      BadInput(
        name: "random bytes",
        bytes: (0..<20_000).map { UInt8(truncatingIfNeeded: ($0 &* 1_103_515_245 &+ 12345) >> 9) },
        expectation: .fails(nil)),
      BadInput(
        name: "a bare layer", bytes: (try? TarBuilder().file("README", size: 10).build()) ?? [],
        expectation: .fails(.bareLayer)),
      BadInput(name: "gzip of nothing", bytes: (try? compressed([], .gzip)) ?? [], expectation: .fails(nil)),
      BadInput(
        name: "outer archive with duplicate manifest", bytes: archive(sampleMembers() + [.text("manifest.json", "[]")]),
        expectation: .fails(.noManifest)),
      BadInput(
        name: "outer archive with ../ member names", bytes: archive(sampleMembers() + [.text("../../evil.json", "{}")]),
        expectation: .loads([])),
      BadInput(
        name: "outer archive with a symlinked layer loop",
        bytes: archive(sampleMembers().filter { !$0.name.hasSuffix("layer.tar") } + loopLinks()),
        expectation: .fails(nil)),
    ]
  }

  static func loopLinks() -> [ArchiveMember] {
    let members = sampleMembers()
    return members.filter { $0.name.hasSuffix("layer.tar") }.map { .symlink($0.name, to: "../" + $0.name) }
  }

  /// Every case.
  static let all: [BadInput] = {
    truncations() + streamTruncations() + bitFlips() + manifests() + configs() + ociIndexes() + layerContents()
      + notImages()
  }()
}

extension TarBuilder {
  /// `count` empty files named `prefix0`, `prefix1`, …
  func emptyFiles(prefix: String, count: Int) -> TarBuilder {
    var builder = self
    for index in 0..<count {
      builder = builder.adding(TarBuilder.Entry(name: "\(prefix)\(index)", kind: .file([]), mode: 0o644))
    }
    return builder
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
