import Foundation
import TestSupport
import Testing

/// The Swift sources follow .swift-format, checked by Scripts/check-format.sh (swift-format, shipped
/// with the toolchain), so `swift test` and CI fail on a file that was not formatted.
@Suite("Swift sources follow .swift-format")
struct FormatTests {
  static let script = TS.repoRoot.appendingPathComponent("Scripts/check-format.sh").path

  @Test("Sources, Tests and Package.swift pass swift-format's lint (fix with Scripts/check-format.sh --fix)")
  func repositoryIsFormatted() throws {
    let run = try ChildProcess.run("bash", [Self.script], timeout: 300)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
  }

  @Test("a line past 120 columns fails the check, naming the file and line")
  func longLineFails() throws {
    try withTemporaryDirectory { root in
      let file = root.appendingPathComponent("Long.swift").path
      let long = "let text = [" + Array(repeating: "1", count: 60).joined(separator: ", ") + "]\n"
      try writeFile(file, Array(long.utf8))
      let run = try ChildProcess.run("bash", [Self.script, file], timeout: 120)
      #expect(run.status != 0)
      #expect((run.stdout + run.stderr).contains("Long.swift:1:"))
    }
  }
}
