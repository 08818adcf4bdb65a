import Foundation
import TestSupport
import Testing

/// Progress of a registry read on a terminal (a tmux pane): the blob bytes downloaded of the
/// pull's total, the rate, and the layers downloading, then erased. The blobs come through the
/// fault proxy in `slow` mode, which pauses after each piece of a blob so the read lasts.
@Suite(
  "Progress of a registry read", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)),
  .enabled(if: progressTmuxAvailable || TS.isCI, "tmux is not installed"))
struct RegistryProgressTests {
  @Test("bytes of the pull, rate and layers downloading", .timeLimit(.minutes(3)))
  func downloadProgress() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + ProgressTests.image, as: "strata/wasteful:1")
    let upstream = try #require(Int(registry.host.split(separator: ":").last ?? ""))
    let proxy = try RegistryProxy(upstream: upstream, mode: "slow:0.1", in: registry.directory)
    defer { proxy.stop() }
    let report = registry.directory.appendingPathComponent("report.txt").path
    let binary = try #require(StrataTool.binary).path
    let reference = "registry://127.0.0.1:\(proxy.port)/strata/wasteful:1"
    let cache = registry.directory.appendingPathComponent("cache").path
    let (during, last) = try ProgressTests.screens(
      of: "XDG_CACHE_HOME='\(cache)' '\(binary)' analyze \(reference) -o '\(report)'")
    let pull = try RegistrySourceTests.manifestPullBytes(registry, "strata/wasteful:1")
    let total = String(format: "%.2f MB", Double(pull) / 1e6)
    // The line fits the pane's 100 columns by leaving out the middle of the reference, keeping
    // its end and every figure.
    let shown = during.filter { $0.contains("reading reg") && $0.contains(" downloaded, ") }
    #expect(shown.allSatisfy { $0.contains("…") && $0.contains("wasteful:1: ") }, "\(shown.last ?? "")")
    #expect(!shown.isEmpty, "no download line in \(during.count) screens: \(during.last ?? "")")
    // A narrow line sheds layer percentages, never the middle of the figures (`strat…ded, 995 kB/s`).
    let rates = during.filter { $0.contains("reading reg") && $0.contains("/s") }
    #expect(rates.allSatisfy { $0.contains(" downloaded, ") }, "\(rates.first { !$0.contains(" downloaded, ") } ?? "")")
    #expect(shown.contains { $0.contains(" of \(total) downloaded, ") && $0.contains("/s") }, "\(shown.last ?? "")")
    #expect(shown.contains { $0.range(of: #"layer \d+ \d+ %"#, options: .regularExpression) != nil })
    #expect(last.contains("strata-exit=0"))
    #expect(!last.contains("downloaded"), "the line is erased at the end: \(last)")
    #expect((try? String(contentsOfFile: report, encoding: .utf8))?.contains("Pull ") == true)
  }
}
