import Foundation
import TestSupport
import Testing

/// The one-way layering of the targets (docs/architecture.md), checked by Scripts/check-layering.py.
@Suite("Targets import only the layers below them")
struct LayeringTests {
  static let script = TS.repoRoot.appendingPathComponent("Scripts/check-layering.py").path

  @Test("every import in Sources and every dependency in Package.swift follows docs/architecture.md")
  func repositoryFollowsTheTable() throws {
    let run = try ChildProcess.run("python3", [Self.script], timeout: 60)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stdout.isEmpty)
  }

  @Test("an import of a higher layer fails the check, naming the file")
  func wrongWayImportFails() throws {
    try withTemporaryDirectory { root in
      for file in ["docs/architecture.md", "Package.swift"] {
        try writeFile(
          root.appendingPathComponent(file).path, try readFile(TS.repoRoot.appendingPathComponent(file).path))
      }
      let analysis = root.appendingPathComponent("Sources/Analysis/Figures.swift").path
      try writeFile(analysis, Array("import ImageModel\nimport Reporting\n".utf8))
      let run = try ChildProcess.run("python3", [Self.script, root.path], timeout: 60)
      #expect(run.status == 1)
      #expect(run.stdout == "Sources/Analysis/Figures.swift: imports Reporting, which Analysis may not\n")
    }
  }
}
