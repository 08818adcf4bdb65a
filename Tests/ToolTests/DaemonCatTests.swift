import Foundation
import TestSupport
import Testing

/// `strata cat` on images read by name: the same bytes as from the archive, and a clear error,
/// never other bytes, when the daemon's second stream breaks or differs.
extension DaemonSourceTests {
  /// Paths whose content the first pass keeps (asked for by name), and `/bin/sh`, a link whose
  /// target (`/bin/busybox`, 1.9 MB) goes by before it: the daemon is asked for the image again.
  static let catCases: [[String]] = [
    ["/etc/myapp/app.conf"], ["etc/myapp/app.conf", "--layer", "3"], ["/bin/busybox"], ["/app/.env"], ["/bin/sh"],
  ]

  /// `strata cat NAME PATH` writes what `strata cat ARCHIVE PATH` writes.
  func checkCat(_ daemon: TestDaemon, name: String) throws {
    for arguments in Self.catCases {
      let byFile = try StrataTool.run(["cat", Self.wasteful] + arguments)
      #expect(byFile.status == 0 && !byFile.stdoutBytes.isEmpty, "\(arguments): \(byFile.stderr)")
      let byName = try StrataTool.run(["cat", name] + arguments, environment: daemon.environment)
      #expect(byName.status == 0, "\(name) \(arguments): \(byName.stderr)")
      #expect(byName.stdoutBytes == byFile.stdoutBytes, "\(name) \(arguments): \(byName.stdoutBytes.count) bytes")
    }
  }

  /// A second stream that breaks, differs or fails gives one clear line and no bytes; a file the
  /// first pass kept needs no second stream. Each case has a proxy of its own: `later:` counts
  /// the streams the proxy has seen.
  func checkCatFaults(_ daemon: TestDaemon) throws {
    let name = "docker://" + Self.reference
    let hex = { (text: String) in text.utf8.map { String(format: "%02x", $0) }.joined() }
    let cases: [(mode: String, pieces: [String])] = [
      (
        "later:cut:1000000",
        ["cannot read /bin/busybox from layer 0", "image stream ended early", "nothing is shown from a partial read"]
      ),
      (
        "later:replace:\(hex("BusyBox v1")):\(hex("BusyBox x1"))",
        [
          "the Docker Engine sent the image again differently",
          "/bin/busybox in layer 0 came with other content than the first time",
        ]
      ),
      ("later:status:500", ["the Docker Engine answered 500: injected failure"]),
    ]
    for (mode, pieces) in cases {
      let proxy = try FaultProxy(upstream: daemon.socket, mode: mode, in: daemon.directory)
      defer { proxy.stop() }
      let environment = ["DOCKER_HOST": "unix://" + proxy.socket]
      try expectError(["cat", name, "/bin/sh"], environment: environment, ["\(name): "] + pieces)
    }
    // A second stream would fail here (each proxy passes its first one only).
    let proxy = try FaultProxy(upstream: daemon.socket, mode: "later:status:500", in: daemon.directory)
    defer { proxy.stop() }
    let kept = try StrataTool.run(
      ["cat", name, "/etc/myapp/app.conf"], environment: ["DOCKER_HOST": "unix://" + proxy.socket])
    #expect(kept.status == 0 && kept.stdout == "log_level=info\nworkers=4\n", "\(kept.stderr)")
  }
}
