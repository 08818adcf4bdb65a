import Foundation
import JSONIO
import TestSupport
import Testing

/// Runs the built `strata` binary through the tests' one runner and lookup (`StrataTool`).
private enum Binary {
  static func run(_ arguments: [String]) throws -> StrataTool.Run { try StrataTool.run(arguments) }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

@Suite(
  "strata compare, run as a tool", .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct CompareToolTests {
  static let compare = fixtureURL("images/compare/compare.tar").path
  static let v1 = compare + "#localhost/strata/compare-app:v1"
  static let v2 = compare + "#localhost/strata/compare-app:v2"
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
  static let clean = fixtureURL("images/wasteful-clean/wasteful-clean.tar").path

  @Test func textTableReconcilesWithAnalyze() throws {
    let run = try Binary.run(["compare", Self.wasteful, Self.clean, "--bytes"])
    #expect(run.status == 0, "\(run.stderr)")
    let rows = run.stdout.split(separator: "\n").map(String.init)
    func row(_ title: String) -> [String] {
      (rows.first { $0.hasPrefix("  " + title + "  ") }?.dropFirst(2 + title.count).split(separator: " ").map(
        String.init)) ?? []
    }
    for (column, path) in [Self.wasteful, Self.clean].enumerated() {
      let json = try JSONValue.parse(try Binary.run(["analyze", path, "--format", "json"]).stdout)
      let summary = try #require(json["summary"])
      #expect(row("content (layers)")[safe: column] == summary["sizeBytes"]?.integerValue.map(String.init))
      #expect(row("filesystem")[safe: column] == summary["finalBytes"]?.integerValue.map(String.init))
      #expect(row("files")[safe: column] == summary["fileCount"]?.integerValue.map(String.init))
      #expect(row("reclaimable")[safe: column] == json["waste"]?["reclaimableBytes"]?.integerValue.map(String.init))
    }
    #expect(run.stdout.contains("Shared layers"))
    #expect(row("layer 0") == ["1982469", "[A]", "1982469", "[A]"])
    #expect(run.stdout.contains("wasteful-clean:latest vs wasteful:latest"))  // labels: tags without the registry
  }

  @Test func imagesPickedFromOneArchiveWithLabels() throws {
    let run = try Binary.run(["compare", Self.v1, Self.v2, "--label", "v1", "--label", "v2", "--top", "3"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("v2 vs v1"))
    #expect(run.stdout.contains("/app/data/catalog.bin  (content)"))
    #expect(run.stdout.contains("six  1.15.0 → 1.16.0"))
    #expect(run.stdout.contains("dpkg   hostname"))
    #expect(run.stdout.contains("Common base: all 2 images start with the same layer"))
  }

  @Test func jsonFollowsItsSchema() throws {
    let run = try Binary.run(["compare", Self.v1, Self.v2, "--format", "json", "--depth", "1"])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try JSONValue.parse(run.stdout)
    #expect(json["schemaVersion"]?.integerValue == 1)
    #expect(json["kind"]?.stringValue == "strata-compare")
    #expect(json["mode"]?.stringValue == "images")
    let images = try #require(json["images"]?.arrayValue)
    #expect(images.count == 2)
    #expect(images[0]["layers"]?.arrayValue?.first?["sharedWith"] == .array([.integer(1)]))
    #expect(json["sharing"]?["commonBaseLayers"]?.integerValue == 1)
    let diff = try #require(json["diffs"]?.arrayValue?.first)
    let added = diff["added"]?["bytes"]?.integerValue ?? 0
    let removed = diff["removed"]?["bytes"]?.integerValue ?? 0
    let before = diff["changed"]?["bytesBefore"]?.integerValue ?? 0
    let after = diff["changed"]?["bytesAfter"]?.integerValue ?? 0
    #expect(added - removed + after - before == diff["netBytes"]?.integerValue)
    #expect(diff["directories"]?.arrayValue?.contains { $0["path"] == "/app" } == true)
    #expect(json["packages"]?["diffs"]?.arrayValue?.first?["added"]?.arrayValue?.isEmpty == false)
    #expect(json["range"] == .null)
  }

  @Test func markdown() throws {
    let run = try Binary.run(["compare", Self.v1, Self.v2, "--format", "markdown"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.hasPrefix("## Images compared"))
    #expect(run.stdout.contains("### Shared layers"))
    #expect(run.stdout.contains("| ~ | python | six | 1.15.0 → 1.16.0 |"))
  }

  @Test func layerRangeOfOneImage() throws {
    let run = try Binary.run(["compare", Self.wasteful, "--layers", "4..7", "--bytes"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Layers 4..7 of"))
    // The installer copied in layer 4 and deleted in 7 is neither added nor removed by the range.
    #expect(!run.stdout.contains("  /tmp/sdk-installer.tar.gz"))
    let json = try JSONValue.parse(
      try Binary.run(["compare", Self.wasteful, "--layers", "4..7", "--format", "json"]).stdout)
    #expect(json["mode"]?.stringValue == "layers")
    #expect(json["range"]?["lower"]?.integerValue == 4)
    #expect(json["range"]?["layers"]?.arrayValue?.count == 4)
  }

  @Test func a_range_out_of_bounds_is_refused_before_the_layers_are_read() throws {
    // The one layer is no tar: reading it would fail; --layers is checked against the manifest first.
    let broken = try LayerSpec(Array("not a tar archive".utf8), command: "RUN broken")
    let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["broken:1"], layers: [broken])).build()
    try withTemporaryFile(bytes) { path in
      let run = try Binary.run(["compare", path, "--layers", "0..3"])
      #expect(run.status == 2)
      #expect(run.stderr == "strata: --layers 0..3: the image has layers 0 to 0\n")
    }
  }

  @Test func argumentErrors() throws {
    let one = try Binary.run(["compare", Self.wasteful])
    #expect(one.status == 64 || one.status == 2)
    #expect(one.stderr.contains("two or more images"))
    let labels = try Binary.run(["compare", Self.wasteful, Self.clean, "--label", "x"])
    #expect(labels.stderr.contains("one --label per image"))
    let range = try Binary.run(["compare", Self.wasteful, "--layers", "3..99"])
    #expect(range.status == 2)
    #expect(range.stderr.contains("the image has layers 0 to 9"))
    let missing = try Binary.run(["compare", Self.wasteful, "/nonexistent/image.tar"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("/nonexistent/image.tar"))
    let unknown = try Binary.run(["compare", Self.wasteful, Self.compare + ":nope:1"])
    #expect(unknown.status == 2)
  }

  @Test("images are read at once, but of two bad ones the error names the first given, every run")
  func errorsFollowTheArgumentOrder() throws {
    // The first is a small corrupt layer (fails at once), the second a missing file (also at
    // once): whichever fails first, the one named is the first in the arguments, in one line.
    let broken = try LayerSpec(Array("not a tar archive".utf8), command: "RUN broken")
    let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["broken:1"], layers: [broken])).build()
    try withTemporaryFile(bytes) { path in
      for (first, second) in [(path, "/nonexistent/image.tar"), ("/nonexistent/image.tar", path)] {
        for _ in 0..<3 {
          let run = try Binary.run(["compare", Self.wasteful, first, second])
          #expect(run.status == 2)
          #expect(run.stdout.isEmpty, "no report from a partial comparison")
          #expect(run.stderr.hasPrefix("strata: ") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
          #expect(run.stderr.contains(first) && !run.stderr.contains(second), "\(run.stderr)")
        }
      }
    }
  }

  @Test func analyzeShowsPackages() throws {
    let text = try Binary.run(["analyze", Self.compare, "--image", "localhost/strata/compare-app:v2", "--packages"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("Packages"))
    #expect(text.stdout.contains("hostname"))
    let json = try JSONValue.parse(
      try Binary.run([
        "analyze", Self.compare, "--image", "localhost/strata/compare-app:v2", "--packages", "--format", "json",
      ]).stdout)
    let packages = try #require(json["packages"]?["packages"]?.arrayValue)
    #expect(packages.contains { $0["name"] == "six" && $0["version"] == "1.16.0" })
    let plain = try JSONValue.parse(try Binary.run(["analyze", Self.wasteful, "--format", "json"]).stdout)
    #expect(plain["packages"] == .null)
  }
}
