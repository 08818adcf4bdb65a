import Foundation
import JSONIO
import TestSupport
import Testing

/// `strata ci` against dive 0.13.1's verdicts (`CI=true dive --ci-config …`, recorded from the
/// real binary) on the same archives: dive's test images and strata's fixtures.
@Suite("strata ci gives dive's verdicts", .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct CIDiveParityTests {
  /// dive's rule statuses, sorted by name (highestUserWastedPercent, highestWastedBytes,
  /// lowestEfficiency), and dive's exit code.
  struct Verdict: Sendable {
    var archive: String
    var defaults: [String]
    var defaultsExit: Int32
    var example: [String]
    var exampleExit: Int32
  }

  static let diveImageVerdicts = [
    Verdict(
      archive: "test-docker-image.tar", defaults: ["fail", "skip", "pass"], defaultsExit: 1,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "test-kaniko-image.tar", defaults: ["fail", "skip", "pass"], defaultsExit: 1,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "test-oci-gzip-image.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "test-oci-zstd-image.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "test-oci-uncompressed-image.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "test-oci-estargz-image.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
  ]

  static let strataFixtureVerdicts = [
    Verdict(
      archive: "images/wasteful/wasteful.tar", defaults: ["fail", "skip", "fail"], defaultsExit: 1,
      example: ["fail", "pass", "fail"], exampleExit: 1),
    Verdict(
      archive: "images/wasteful-clean/wasteful-clean.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "images/busybox-app/busybox-app.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "images/busybox-app/busybox-app-docker25.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "images/busybox-app/busybox-app-oci-gzip.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
    Verdict(
      archive: "images/busybox-app/busybox-app-oci-zstd.tar", defaults: ["pass", "skip", "pass"], defaultsExit: 0,
      example: ["pass", "pass", "pass"], exampleExit: 0),
  ]

  /// dive's own example configuration (dive's repository, `.data/.dive-ci`).
  static let example = """
    plugins:
      - plugin1
    rules:
      lowestEfficiency: 0.95
      highestWastedBytes: 20Mb
      highestUserWastedPercent: 0.5
      plugin1/rule1: error
    """

  /// Runs `strata ci --format json` in an empty directory (or one holding `.dive-ci`).
  static func statuses(_ archive: URL, diveCI: String? = nil) throws -> (
    statuses: [String], exit: Int32, json: JSONValue
  ) {
    try withTemporaryDirectory { directory in
      if let diveCI { try writeFile(directory.appendingPathComponent(".dive-ci").path, Array(diveCI.utf8)) }
      let run = try StrataTool.run(["ci", "--format", "json", archive.path], in: directory)
      let json = try JSONValue.parse(run.stdout)
      let rules = json["rules"]?.arrayValue ?? []
      let dive = rules.filter { $0["dive"] == .bool(true) }
      return (dive.compactMap { $0["status"]?.stringValue }, run.status, json)
    }
  }

  @Test(
    "dive's test images, dive's defaults and dive's example .dive-ci", arguments: diveImageVerdicts)
  func diveImages(verdict: Verdict) throws {
    let archive = try requireDiveFixture(verdict.archive)
    let defaults = try Self.statuses(archive)
    #expect(defaults.statuses == verdict.defaults)
    #expect(defaults.exit == verdict.defaultsExit)
    #expect(defaults.json["config"]?["kind"] == "defaults")
    let example = try Self.statuses(archive, diveCI: Self.example)
    #expect(example.statuses == verdict.example)
    #expect(example.exit == verdict.exampleExit)
    #expect(example.json["config"]?["kind"] == "dive")
  }

  @Test("strata's fixture images, dive's defaults and dive's example .dive-ci", arguments: strataFixtureVerdicts)
  func strataImages(verdict: Verdict) throws {
    let archive = try requireFixture(verdict.archive)
    let defaults = try Self.statuses(archive)
    #expect(defaults.statuses == verdict.defaults)
    #expect(defaults.exit == verdict.defaultsExit)
    let example = try Self.statuses(archive, diveCI: Self.example)
    #expect(example.statuses == verdict.example)
    #expect(example.exit == verdict.exampleExit)
  }

  @Test(
    "dive's figures and messages on dive's test image")
  func figuresAndMessages() throws {
    let archive = try requireDiveFixture("test-docker-image.tar")
    let (_, _, json) = try Self.statuses(archive)
    #expect(json["figures"]?["efficiency"]?.doubleValue == 0.9844212134184309)
    #expect(json["figures"]?["wastedBytes"]?.integerValue == 32025)
    #expect(json["figures"]?["userWastedFraction"]?.doubleValue == 0.4834911001404049)
    #expect(json["figures"]?["sizeBytes"]?.integerValue == 1_220_598)
    let user = json["rules"]?.arrayValue?.first
    #expect(
      user?["message"]
        == "too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=0.4834911001404049 > threshold=0.1)"
    )
  }

  @Test(
    "an archive dive cannot read is an error (dive: exit 1 'cannot fetch image'; strata: exit 2)")
  func notAnImage() throws {
    let archive = try requireDiveFixture("test-uncompressed-image.tar")
    let run = try StrataTool.run(["ci", archive.path])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.hasPrefix("strata: "))
  }
}
