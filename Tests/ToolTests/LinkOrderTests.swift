import Foundation
import TestSupport
import Testing

/// Scripts/link/strata.order names functions the release binary has, all but at most 1 %
/// (Scripts/check-link-order.sh).
///
/// The test suite does not build the release binary (Scripts/setup.sh does, and runs the check
/// itself): without one the check cannot run, and is skipped saying so; under CI=true, where
/// setup.sh has built it, a missing binary is a failure.
@Suite(
  "The link-order file matches the release binary",
  .enabled(
    if: ReleaseBinary.exists || TS.isCI,
    "no release binary at .build/release/strata (Scripts/setup.sh builds it); under CI=true this is a failure"))
struct LinkOrderTests {
  static let script = TS.repoRoot.appendingPathComponent("Scripts/check-link-order.sh").path

  @Test("the functions the order file names are in the release binary (all but 1 %)")
  func orderFileIsCurrent() throws {
    let run = try ChildProcess.run("bash", [Self.script, ReleaseBinary.path], timeout: 120)
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
  }

  @Test("names the binary lacks fail the check past the allowance, and are named either way")
  func staleNameFails() throws {
    try withTemporaryDirectory { root in
      let scripts = root.appendingPathComponent("Scripts")
      try writeFile(scripts.appendingPathComponent("check-link-order.sh").path, try readFile(Self.script))
      // The binary: this test's own one-function executable, with its symbol table.
      let source = root.appendingPathComponent("main.c").path
      try writeFile(source, Array("int main(void) { return 0; }\n".utf8))
      let binary = root.appendingPathComponent("tool").path
      let compile = try ChildProcess.run("cc", ["-o", binary, source], timeout: 120)
      try #require(compile.status == 0, "\(compile.stderr)")
      let order = scripts.appendingPathComponent("link/strata.order").path
      try writeFile(order, Array("main\n$s8Analysis8BaselineVwet\n".utf8))
      let check = scripts.appendingPathComponent("check-link-order.sh").path
      let stale = try ChildProcess.run("bash", [check, binary], timeout: 60)
      #expect(stale.status == 1)
      #expect(stale.stdout.contains("1 of its 2 functions are not in \(binary) (more than 0)"), "\(stale.stdout)")
      #expect(stale.stdout.contains("  $s8Analysis8BaselineVwet\n"), "\(stale.stdout)")
      let allowed = try ChildProcess.run("bash", [check, binary, "1"], timeout: 60)
      #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
      #expect(allowed.stdout.contains("  $s8Analysis8BaselineVwet\n"), "still named: \(allowed.stdout)")
      try writeFile(order, Array("main\n".utf8))
      let current = try ChildProcess.run("bash", [check, binary], timeout: 60)
      #expect(current.status == 0, "\(current.stdout)\(current.stderr)")
      #expect(current.stdout.contains("all 1 functions are in"), "\(current.stdout)")
    }
  }
}

/// The release binary Scripts/setup.sh builds.
enum ReleaseBinary {
  static let path = TS.repoRoot.appendingPathComponent(".build/release/strata").path
  static var exists: Bool { FileManager.default.isExecutableFile(atPath: path) }
}
