import Foundation
import JSONIO
import TestSupport
import Testing

/// Images read from a real registry (Debian's docker-registry) started by the tests, pushed with
/// skopeo; each report must equal the report of the archive they were pushed from, and the pull
/// size must equal what the registry's manifest (read by skopeo) says.
@Suite(
  "Images from a real registry, without a pull", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)))
struct RegistrySourceTests {
  static let wasteful = fixtureURL("images/wasteful/wasteful.tar").path
  static let clean = fixtureURL("images/wasteful-clean/wasteful-clean.tar").path

  /// A report without what depends on where it was read from: the daemon tests' list, plus the
  /// format, tags, pull size, each layer's stored form (compression, digest, stored size), and
  /// the image's config reference (a member name in the archive, a digest in the registry).
  static func figures(_ json: String) throws -> JSONValue {
    guard case .object(var root) = strip(try JSONValue.parse(json)) else { return .null }
    if case .object(var image)? = root["image"] {
      image["config"] = nil
      root["image"] = .object(image)
    }
    return .object(root)
  }

  private static let sourceDependent: Set<String> = [
    "source", "archiveBytes", "bytesRead", "bytesReadBy", "location", "label", "format", "tags", "pullBytes",
    "pullBytesSource", "digest", "mediaType", "storedBytes", "compression",
  ]

  private static func strip(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let object):
      var stripped = JSONObject()
      for (key, child) in object.pairs where !sourceDependent.contains(key) { stripped[key] = strip(child) }
      return .object(stripped)
    case .array(let items): return .array(items.map(strip))
    default: return value
    }
  }

  /// The pull size an independent client reads: config and layer sizes of the raw manifest.
  static func manifestPullBytes(_ registry: TestRegistry, _ name: String) throws -> Int64 {
    let manifest = try JSONSerialization.jsonObject(with: try registry.rawManifest(name)) as? [String: Any]
    let config = try #require((manifest?["config"] as? [String: Any])?["size"] as? Int)
    let layers = try #require(manifest?["layers"] as? [[String: Any]]).compactMap { $0["size"] as? Int }
    return Int64(config + layers.reduce(0, +))
  }

  /// Runs strata and expects exit 2, no report, one line on standard error containing every piece.
  func expectError(
    _ arguments: [String], environment: [String: String] = [:], _ pieces: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let run = try StrataTool.run(arguments, environment: environment, input: .null)
    #expect(run.status == 2, "\(run.stdout)\(run.stderr)", sourceLocation: sourceLocation)
    #expect(
      run.stdout.isEmpty, "a report from a failed read: \(run.stdout.prefix(300))", sourceLocation: sourceLocation)
    #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
    for piece in pieces {
      #expect(run.stderr.contains(piece), "missing '\(piece)' in: \(run.stderr)", sourceLocation: sourceLocation)
    }
    return run.stderr
  }

  @Test(
    "gzip and zstd pushes, by tag and by digest: the archive's figures, and the manifest's pull size",
    .timeLimit(.minutes(10)))
  func figuresMatchTheArchive() throws {
    // Two registries: in one, skopeo's blob cache would reuse the blobs of the first push
    // (in the other compression) for the second.
    let registry = try TestRegistry()
    defer { registry.stop() }
    let zstdRegistry = try TestRegistry()
    defer { zstdRegistry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:gzip")
    try zstdRegistry.push(
      "docker-archive:" + Self.wasteful, as: "strata/wasteful:zstd",
      ["--format", "oci", "--dest-compress-format", "zstd"])
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"], input: .null)
    #expect(byFile.status == 0, "\(byFile.stderr)")
    for (tag, registry) in [("gzip", registry), ("zstd", zstdRegistry)] {
      let name = "strata/wasteful:\(tag)"
      let remote = try StrataTool.run(
        ["analyze", "registry://\(registry.host)/\(name)", "--format", "json"], input: .null)
      #expect(remote.status == 0, "\(tag): \(remote.stderr)")
      guard remote.status == 0 else { continue }
      #expect(try Self.figures(remote.stdout) == Self.figures(byFile.stdout), "\(tag)")
      let report = try JSONValue.parse(remote.stdout)
      #expect(report["image"]?["format"]?.stringValue == "registry")
      #expect(report["summary"]?["pullBytesSource"]?.stringValue == "registry")
      #expect(report["summary"]?["pullBytes"]?.integerValue == (try Self.manifestPullBytes(registry, name)), "\(tag)")
      let compression = report["layers"]?.arrayValue?.first?["compression"]?.arrayValue?.compactMap(\.stringValue)
      #expect(compression?.contains(tag) == true, "\(tag): \(compression ?? [])")
    }
    // By digest, and with --source: the same image.
    let digest = try sha256(try registry.rawManifest("strata/wasteful:gzip"))
    let pinned = try StrataTool.run(
      ["analyze", "\(registry.host)/strata/wasteful@\(digest)", "--source", "registry", "--format", "json"],
      input: .null)
    #expect(pinned.status == 0, "\(pinned.stderr)")
    #expect(try Self.figures(pinned.stdout) == Self.figures(byFile.stdout))
    // ci and compare take it too; the text report names the pull size.
    let ci = try StrataTool.run(
      ["ci", "registry://\(registry.host)/strata/wasteful:gzip", "--format", "json"], input: .null)
    let ciFile = try StrataTool.run(["ci", Self.wasteful, "--format", "json"], input: .null)
    #expect(ci.status == ciFile.status, "\(ci.stderr)")
    let compare = try StrataTool.run(
      ["compare", Self.clean, "registry://\(zstdRegistry.host)/strata/wasteful:zstd"], input: .null)
    #expect(compare.status == 0, "\(compare.stderr)")
    let text = try StrataTool.run(["analyze", "registry://\(registry.host)/strata/wasteful:gzip"], input: .null)
    #expect(text.stdout.contains("Pull "), "\(text.stdout.prefix(600))")
  }

  @Test(
    "a missing tag, repository or registry, and another platform: one line, exit 2, no report", .timeLimit(.minutes(5)))
  func missingThings() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let host = registry.host
    _ = try expectError(
      ["analyze", "registry://\(host)/strata/wasteful:nope"], ["tag nope", "strata/wasteful", "404"])
    _ = try expectError(["analyze", "registry://\(host)/strata/absent:1"], ["strata/absent"])
    _ = try expectError(
      ["analyze", "registry://\(host)/strata/wasteful:1", "--platform", "linux/arm64"], ["linux/amd64", "linux/arm64"])
    let closed = try TestRegistry.freePort()
    _ = try expectError(
      ["analyze", "registry://127.0.0.1:\(closed)/strata/wasteful:1"], ["cannot reach the registry 127.0.0.1:\(closed)"]
    )
    _ = try expectError(["analyze", "registry://Not_A/Reference!"], ["not an image reference"])
  }

  @Test("a corrupted byte and a cut blob fail verification; 429 then success is retried", .timeLimit(.minutes(5)))
  func faults() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"], input: .null)
    let upstream = try #require(Int(registry.host.split(separator: ":").last ?? ""))
    for (mode, pieces) in [
      ("corrupt", ["failed verification", "nothing is reported"]), ("cut:300", ["broke", "nothing is reported"]),
      // Layers only (the config is smaller): caught while the layer streams through the reader.
      ("corrupt:100000", ["failed verification", "nothing is reported"]),
      ("cut:50000:100000", ["broke", "times it was resumed", "nothing is reported"]),
    ] {
      let proxy = try RegistryProxy(upstream: upstream, mode: mode, in: registry.directory)
      defer { proxy.stop() }
      for format in ["text", "json"] {
        _ = try expectError(
          ["analyze", "registry://127.0.0.1:\(proxy.port)/strata/wasteful:1", "--format", format], pieces)
      }
    }
    let busy = try RegistryProxy(upstream: upstream, mode: "429once", in: registry.directory)
    defer { busy.stop() }
    let retried = try StrataTool.run(
      ["analyze", "registry://127.0.0.1:\(busy.port)/strata/wasteful:1", "--format", "json"], input: .null)
    #expect(retried.status == 0, "\(retried.stderr)")
    #expect(try Self.figures(retried.stdout) == Self.figures(byFile.stdout))
  }

  @Test(
    "cat reads a file the one pass did not keep by downloading its layer again, shown only once the blob verifies",
    .timeLimit(.minutes(5)))
  func catDownloadsTheLayerAgain() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    // /bin/busybox (about 2 MB) is too large for what a stream pass keeps of a file.
    let byFile = try StrataTool.run(["cat", Self.wasteful, "/bin/busybox"], input: .null)
    try #require(byFile.status == 0, "\(byFile.stderr)")
    #expect(byFile.stdoutBytes.count > 1_000_000)
    let remote = try StrataTool.run(
      ["cat", "registry://\(registry.host)/strata/wasteful:1", "/bin/busybox"], input: .null)
    #expect(remote.status == 0, "\(remote.stderr)")
    #expect(remote.stdoutBytes == byFile.stdoutBytes)
    // A link followed to another layer's file, as of an earlier layer.
    let config = try StrataTool.run(["cat", Self.wasteful, "/etc/myapp/app.conf", "--layer", "3"], input: .null)
    let remoteConfig = try StrataTool.run(
      ["cat", "registry://\(registry.host)/strata/wasteful:1", "/etc/myapp/app.conf", "--layer", "3"], input: .null)
    #expect(config.status == 0 && remoteConfig.status == 0, "\(config.stderr)\(remoteConfig.stderr)")
    #expect(remoteConfig.stdoutBytes == config.stdoutBytes)

    // The second download of the layer has its last byte flipped: the file is found intact in
    // the stream, but the blob's digest fails, so nothing is written.
    let upstream = try #require(Int(registry.host.split(separator: ":").last ?? ""))
    let proxy = try RegistryProxy(upstream: upstream, mode: "corrupt-again:100000", in: registry.directory)
    defer { proxy.stop() }
    _ = try expectError(
      ["cat", "registry://127.0.0.1:\(proxy.port)/strata/wasteful:1", "/bin/busybox"],
      ["failed verification", "nothing is shown"])
  }

  @Test(
    "TLS and Basic auth: credentials from REGISTRY_AUTH_FILE, the CA from SSL_CERT_FILE; secrets never printed",
    .timeLimit(.minutes(5)))
  func tlsAndAuth() throws {
    let registry = try TestRegistry(secure: true)
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let login = try #require(registry.login)
    let ca = try #require(registry.caFile)
    let reference = "registry://\(registry.host)/strata/wasteful:1"
    let home = try temporaryDirectory("strata-home")  // no ~/.docker/config.json of this machine
    defer { try? FileManager.default.removeItem(at: home) }
    let bare = ["HOME": home.path, "XDG_RUNTIME_DIR": home.path, "DOCKER_CONFIG": home.path]
    let refused = try expectError(
      ["analyze", reference], environment: bare.merging(["SSL_CERT_FILE": ca]) { $1 }, ["docker login \(registry.host)"]
    )
    let untrusted = try expectError(
      ["analyze", reference], environment: bare.merging(["REGISTRY_AUTH_FILE": try registry.authFile()]) { $1 },
      ["TLS verification of \(registry.host) failed"])
    for message in [refused, untrusted] { #expect(!message.contains(login.password)) }
    let environment = bare.merging(["SSL_CERT_FILE": ca, "REGISTRY_AUTH_FILE": try registry.authFile()]) { $1 }
    let remote = try StrataTool.run(["analyze", reference, "--format", "json"], environment: environment, input: .null)
    #expect(remote.status == 0, "\(remote.stderr)")
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"], input: .null)
    #expect(try Self.figures(remote.stdout) == Self.figures(byFile.stdout))
    for format in ["text", "json", "markdown"] {
      let run = try StrataTool.run(
        ["analyze", reference, "--format", format, "-v"], environment: environment, input: .null)
      #expect(!run.stdout.contains(login.password) && !run.stderr.contains(login.password), "\(format)")
    }
  }

  func sha256(_ data: Data) throws -> String {
    let directory = try temporaryDirectory("strata-sha")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("m").path
    try data.write(to: URL(fileURLWithPath: file))
    let run = try ChildProcess.run("sha256sum", [file], timeout: 30)
    return "sha256:" + (run.stdout.split(separator: " ").first.map(String.init) ?? "")
  }
}

/// `Scripts/testing/registry-proxy.py` on a loopback port, in front of a plain test registry.
final class RegistryProxy {
  let port: Int
  private let process: ChildProcess.Running
  private let logFile: String

  /// What the proxy logged: one line per request (`proxy GET PATH range=… auth=yes|no`, and
  /// `storage GET PATH headers=[…]` at the blob storage of the redirect mode).
  var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

  init(upstream: Int, mode: String, in directory: URL) throws {
    port = try TestRegistry.freePort()
    logFile = directory.appendingPathComponent("proxy-\(port).log").path
    process = try ChildProcess.Running(
      "python3",
      [TS.repoRoot.appendingPathComponent("Scripts/testing/registry-proxy.py").path, "\(port)", "\(upstream)", mode],
      log: logFile)
    let deadline = Date().addingTimeInterval(20)
    while !TestRegistry.accepts(port: port) {
      guard Date() < deadline, process.isRunning else { throw TestArchiveError("the registry proxy did not start") }
      usleep(50_000)
    }
  }

  func stop() { process.stop(grace: 5) }
}
