import Analysis
import Comparison
import ImageModel
import JSONIO
import PackageDatabases
import Reporting
import Testing

/// An analysed image built in memory: each layer a list of (path, size) regular files.
private func analysed(_ tag: String, _ layers: [[(String, Int64)]], diffIDs: [String]) -> ImageAnalysis {
  let image = Image(
    source: "\(tag).tar", format: .dockerArchive, tags: [tag], configReference: nil,
    config: ImageConfig(diffIDs: diffIDs),
    layers: layers.enumerated().map { index, files in
      Layer(
        descriptor: LayerDescriptor(
          index: index, location: "\(index)/layer.tar", diffID: diffIDs[index], command: "RUN step \(index)"),
        contents: LayerContents(entries: files.map { LayerEntry(path: $0.0, kind: .regular, size: $0.1) }))
    })
  return Analyzer.analyze(image)
}

private func comparison() -> ImageComparison {
  let base = [("bin/sh", Int64(50_000)), ("etc/os-release", 20)]
  let a = analysed("app:1", [base, [("app/main", 1_000), ("app/old", 300)]], diffIDs: ["sha256:base", "sha256:a1"])
  let b = analysed(
    "app:2", [base, [("app/main", 1_200), ("app/new/x.js", 4_000)]], diffIDs: ["sha256:base", "sha256:b1"])
  let pkgA = PackageInventory(packages: [
    InstalledPackage(
      ecosystem: .dpkg, name: "libc6", version: "2.36-9", location: "/var/lib/dpkg/status", bytes: 40_000)
  ])
  let pkgB = PackageInventory(packages: [
    InstalledPackage(
      ecosystem: .dpkg, name: "libc6", version: "2.36-9+deb12u4", location: "/var/lib/dpkg/status", bytes: 41_000),
    InstalledPackage(ecosystem: .npm, name: "ms", version: "2.1.3", location: "/app/node_modules/ms", bytes: 3_000),
  ])
  return Comparer.compare([
    ComparisonInput(label: "one", analysis: a, packages: pkgA),
    ComparisonInput(label: "two", analysis: b, packages: pkgB),
  ])
}

@Suite("Compare reports")
struct CompareReportTests {
  @Test func textHasTheTableSharedLayersDiffsAndPackages() {
    var options = CompareText.Options()
    options.exactBytes = true
    let text = CompareText(options: options).render(comparison())
    let rows = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
    #expect(rows.contains("content (layers) 51320 55220"))
    #expect(rows.contains("layer 0 50020 [A] 50020 [A]"))
    #expect(rows.contains("/app/ 1300 5200"))
    #expect(rows.contains("dpkg packages 1 (40000) 1 (41000)"))
    #expect(text.contains("[A]    50020  sha256:base  one L0, two L0"))
    #expect(text.contains("Common base: all 2 images start with the same layer ([A])"))
    #expect(text.contains("sharing saves 50020"))
    #expect(text.contains("two vs one"))
    #expect(text.contains("+1 files (+4000)   -1 files (-300)   ~1 changed (1000 → 1200)   net +3900"))
    #expect(text.contains("+4000 (1)") && text.contains("/app/new/"))
    #expect(text.contains("~ 1000 → 1200  /app/main  (size)"))
    #expect(text.contains("~    +1000  dpkg   libc6  2.36-9 → 2.36-9+deb12u4"))
    #expect(text.contains("two vs one: +1 (3000)  -0 (0)  ~1  =0 unchanged  (dpkg ~1; npm +1)"))
    #expect(text.contains("+     3000  npm    ms  2.1.3"))
    #expect(!text.contains("\u{1B}["))
  }

  @Test func colourOnlyWhenAsked() {
    var options = CompareText.Options()
    options.style = Style(colored: true)
    #expect(CompareText(options: options).render(comparison()).contains("\u{1B}["))
  }

  @Test func jsonIsVersionedAndComplete() throws {
    let json = CompareJSON.build(comparison(), toolVersion: "test")
    #expect(json["schemaVersion"] == .integer(1))
    #expect(json["kind"] == "strata-compare")
    #expect(json["baseline"] == "one")
    let images = try #require(json["images"]?.arrayValue)
    #expect(images.map { $0["label"] } == ["one", "two"])
    #expect(images[1]["sizeBytes"] == .integer(55_220))
    #expect(images[1]["packages"]?["npm"]?["count"] == .integer(1))
    #expect(json["sharing"]?["savedBytes"] == .integer(50_020))
    #expect(json["sharing"]?["layers"]?.arrayValue?.first?["placements"]?.arrayValue?.count == 2)
    let diff = try #require(json["diffs"]?.arrayValue?.first)
    #expect(diff["image"] == "two" && diff["netBytes"] == .integer(3_900))
    #expect(diff["largestChanged"]?.arrayValue?.first?["changes"] == .array(["size"]))
    #expect(diff["directories"]?.arrayValue?.first?["path"] == "/app/new")
    let packages = try #require(json["packages"]?["diffs"]?.arrayValue?.first)
    #expect(packages["added"]?.arrayValue?.first?["name"] == "ms")
    #expect(packages["changed"]?.arrayValue?.first?["versionAfter"] == "2.36-9+deb12u4")
    // Round trip through the serializer.
    #expect(try JSONValue.parse(json.serialized()) == json)
  }

  @Test func markdownTables() {
    let markdown = CompareMarkdown.render(comparison(), exactBytes: true)
    #expect(markdown.hasPrefix("## Images compared\n\n| | `one` | `two` |"))
    #expect(markdown.contains("| Content (layers) | 51320 | 55220 |"))
    #expect(markdown.contains("- **[A]** 50020 `sha256:base` in `one` L0, `two` L0"))
    #expect(markdown.contains("| `/app/new` | 4000 | 4000 (1) | 0 (0) | 0 (0) |"))
    #expect(markdown.contains("| + | npm | ms | 2.1.3 | 3000 |"))
    #expect(markdown.contains("| ~ | dpkg | libc6 | 2.36-9 → 2.36-9+deb12u4 | 1000 |"))
  }

  @Test func layerRange() throws {
    let analysis = analysed(
      "r:1", [[("a", 10)], [("tmp/x", 500)], [("b", 20)]], diffIDs: ["sha256:1", "sha256:2", "sha256:3"])
    let range = try #require(LayerRangeDiff.compute(analysis, lower: 1, upper: 2))
    var options = CompareText.Options()
    options.exactBytes = true
    let text = CompareText(options: options).render(range, label: "r:1")
    #expect(text.hasPrefix("Layers 1..2 of r:1\n"))
    #expect(text.contains("ships 520 in 2 layers; filesystem 10 → 530 (net +520)"))
    let json = CompareJSON.build(range, label: "r:1", toolVersion: "test")
    #expect(json["mode"] == "layers")
    #expect(json["range"]?["diff"]?["added"]?["files"] == .integer(2))
    #expect(CompareMarkdown.render(range, label: "r:1").contains("## Layers 1..2 of `r:1`"))
  }

  @Test func packageInventoryText() {
    let inventory = PackageInventory(
      packages: [
        InstalledPackage(
          ecosystem: .dpkg, name: "bash", version: "5.2", location: "/var/lib/dpkg/status", bytes: 7_000_000),
        InstalledPackage(
          ecosystem: .python, name: "six", version: "1.16.0", location: "/usr/lib/python3/dist-packages/six.egg-info",
          managedBy: "dpkg:python3-six"),
      ], databases: [.dpkg: ["/var/lib/dpkg/status"]], notes: ["a note"])
    let text = PackageText(exactBytes: true).inventory(inventory)
    #expect(text.contains("dpkg        1 packages    7000000  /var/lib/dpkg/status"))
    #expect(text.contains("(from dpkg:python3-six)"))
    #expect(text.contains("note: a note"))
    #expect(PackageMarkdown.render(inventory).contains("| bash | 5.2 | dpkg | 7.00 MB |"))
  }
}
