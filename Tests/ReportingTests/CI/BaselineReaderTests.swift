import Analysis
import CIPolicy
import Foundation
import ImageLoading
import ImageModel
import JSONIO
import Reporting
import TestSupport
import Testing

func loadImage(_ url: URL) throws -> Image { try ImageLoader.load(url.path) }

@Suite("Baselines: JSON reports read back")
struct BaselineReaderTests {
  @Test("a report round-trips: size, layers, every path down to depth 4")
  func roundTrip() throws {
    let analysis = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path))
    let report = JSONReport.build(analysis, toolVersion: "test").serialized()
    let baseline = try BaselineReader.read(Array(report.utf8), source: "r.json")
    #expect(baseline.sizeBytes == 2_966_048)
    #expect(baseline.imageLabel == "localhost/strata/wasteful:latest")
    #expect(baseline.layers.count == 10)
    #expect(baseline.layers[4].sizeBytes == 307_200)
    #expect(baseline.layers[4].diffID == analysis.layers[4].descriptor.diffID)
    #expect(baseline.pathsComplete)
    #expect(baseline.pathDepth == 4)
    #expect(baseline.paths["/var/lib/apt/lists"] == 204_800)
    #expect(baseline.paths["/app"] == 138_428)
    #expect(baseline.paths.count == analysis.pathSizes(maxDepth: 4).count)
  }

  @Test("a report without pathSizes (older strata) falls back to its largest paths")
  func olderReport() throws {
    let analysis = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path))
    guard case .object(var object) = JSONReport.build(analysis, toolVersion: "old") else {
      Issue.record("not an object")
      return
    }
    object["pathSizes"] = nil
    let baseline = try BaselineReader.read(Array(JSONValue.object(object).serialized().utf8), source: "old.json")
    #expect(!baseline.pathsComplete)
    #expect(baseline.paths["/bin/busybox"] == 1_982_256)
  }

  @Test(
    "unusable reports are refused with the file and the reason",
    arguments: [
      (
        "{",
        "b.json: not JSON (invalid JSON at line 1, column 1: string or '}' expected near end of file); --baseline expects a strata JSON report (`strata analyze IMAGE --format json -o baseline.json`)"
      ),
      (
        String(repeating: " ", count: 257) + "ustar  ",
        "b.json: an image archive; --baseline expects a strata JSON report (`strata analyze IMAGE --format json -o baseline.json`)"
      ),
      (
        "[]",
        "b.json: not a strata JSON report (expected an object); --baseline expects a strata JSON report (`strata analyze IMAGE --format json -o baseline.json`)"
      ),
      (
        "{\"kind\": \"strata-ci\"}",
        "b.json: this is a `strata ci` report; give a report from `strata analyze --format json`"
      ),
      (
        "{\"tool\": {\"name\": \"dive\"}}",
        "b.json: not a strata JSON report (no tool.name \"strata\"); --baseline expects a strata JSON report (`strata analyze IMAGE --format json -o baseline.json`)"
      ),
      (
        "{\"tool\": {\"name\": \"strata\"}, \"schemaVersion\": 3}",
        "b.json: report schema version 3 is not supported (this strata reads 1 and 2)"
      ),
      (
        "{\"tool\": {\"name\": \"strata\"}, \"schemaVersion\": 1, \"summary\": {}}",
        "b.json: summary.sizeBytes: expected an integer, found nothing"
      ),
      (
        "{\"tool\": {\"name\": \"strata\"}, \"schemaVersion\": 1, \"summary\": {\"sizeBytes\": 5}, \"layers\": [{\"index\": \"0\"}]}",
        "b.json: layers[0].index: expected an integer, found a string"
      ),
    ])
  func refused(text: String, message: String) {
    #expect {
      _ = try BaselineReader.read(Array(text.utf8), source: "b.json")
    } throws: { error in
      let description = "\(error)"
      if description != message { Issue.record("got: \(description)") }
      return description == message
    }
  }
}
