import Foundation
import JSONIO
import TestSupport
import Testing

/// How strata talks to a registry when the way there is not smooth: redirects to blob storage on
/// another host, downloads cut short, bad answers. A real registry (Debian's docker-registry)
/// behind `Scripts/testing/registry-proxy.py`, which injects the fault and logs each request.
@Suite(
  "Registry transport: redirects, resumed downloads, bad answers", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)))
struct RegistryTransportTests {
  static let wasteful = RegistrySourceTests.wasteful

  /// A home with no credentials of this machine's in it.
  static func bareEnvironment(_ home: URL) -> [String: String] {
    ["HOME": home.path, "XDG_RUNTIME_DIR": home.path, "DOCKER_CONFIG": home.path]
  }

  /// The port of a loopback registry.
  static func port(_ registry: TestRegistry) throws -> Int {
    try #require(Int(registry.host.split(separator: ":").last ?? ""))
  }

  @Test(
    "a redirect to blob storage on another host is followed without the Authorization header",
    .timeLimit(.minutes(5)))
  func redirectDropsCredentials() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let proxy = try RegistryProxy(upstream: try Self.port(registry), mode: "redirect", in: registry.directory)
    defer { proxy.stop() }
    let home = try temporaryDirectory("strata-home")
    defer { try? FileManager.default.removeItem(at: home) }
    // The proxy asks for Basic auth: these credentials go to 127.0.0.1:PORT, never to 127.0.0.2.
    let password = "redirect-\(UInt32.random(in: 0...UInt32.max))"
    let encoded = Data("tester:\(password)".utf8).base64EncodedString()
    let authFile = home.appendingPathComponent("auth.json").path
    try "{\"auths\": {\"127.0.0.1:\(proxy.port)\": {\"auth\": \"\(encoded)\"}}}".write(
      toFile: authFile, atomically: true, encoding: .utf8)
    let environment = Self.bareEnvironment(home).merging(["REGISTRY_AUTH_FILE": authFile]) { $1 }
    let remote = try StrataTool.run(
      ["analyze", "registry://127.0.0.1:\(proxy.port)/strata/wasteful:1", "--format", "json"],
      environment: environment, input: .null)
    #expect(remote.status == 0, "\(remote.stderr)")
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"], input: .null)
    #expect(try RegistrySourceTests.figures(remote.stdout) == RegistrySourceTests.figures(byFile.stdout))
    let log = proxy.log
    let lines = log.split(separator: "\n")
    // The registry got the credentials and redirected each blob (config and layers) to storage ...
    #expect(
      lines.contains { $0.hasPrefix("proxy GET /v2/strata/wasteful/blobs/") && $0.hasSuffix("auth=yes") }, "\(log)")
    let stored = lines.filter { $0.hasPrefix("storage GET /storage/v2/strata/wasteful/blobs/sha256:") }
    // Every blob asked of the registry (config and layers; a layer named twice may come from
    // the layer cache the second time) was then fetched from storage.
    let requested = Set(
      lines.filter { $0.hasPrefix("proxy GET /v2/strata/wasteful/blobs/") }.map { $0.split(separator: " ")[2] })
    let fetched = Set(stored.map { $0.split(separator: " ")[2].dropFirst("/storage".count) })
    #expect(requested.count >= 2, "\(log)")
    #expect(fetched == Set(requested.map { Substring($0) }), "\(log)")
    // ... which received no Authorization header and nothing of the secret.
    #expect(!stored.contains { $0.lowercased().contains("authorization") }, "\(log)")
    #expect(!log.contains(password) && !log.contains(encoded))
    #expect(!remote.stdout.contains(password) && !remote.stderr.contains(password))
  }

  @Test(
    "a cut blob resumes with a Range request from where it stopped, or from the start where the range is ignored",
    .timeLimit(.minutes(5)))
  func resumeByRange() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"], input: .null)
    #expect(byFile.status == 0, "\(byFile.stderr)")
    for mode in ["cutonce:50000:100000", "cutonce-norange:50000:100000"] {
      let proxy = try RegistryProxy(upstream: try Self.port(registry), mode: mode, in: registry.directory)
      defer { proxy.stop() }
      let remote = try StrataTool.run(
        ["analyze", "registry://127.0.0.1:\(proxy.port)/strata/wasteful:1", "--format", "json"], input: .null)
      #expect(remote.status == 0, "\(mode): \(remote.stderr)")
      #expect(
        try RegistrySourceTests.figures(remote.stdout) == RegistrySourceTests.figures(byFile.stdout), "\(mode)")
      // Each cut layer was asked for twice: whole, then from byte 50000 on.
      let blobRequests = proxy.log.split(separator: "\n").filter {
        $0.hasPrefix("proxy GET /v2/strata/wasteful/blobs/")
      }
      let resumed = blobRequests.filter { $0.contains("range=bytes=50000-") }
      #expect(!resumed.isEmpty, "\(mode): \(proxy.log)")
      for line in resumed {
        let path = line.split(separator: " ")[2]
        #expect(blobRequests.contains { $0.contains(" \(path) range=- ") }, "\(mode): \(path) first asked whole")
      }
    }
  }

  @Test(
    "a token that expires during a download is renewed for the resume that needs it",
    .timeLimit(.minutes(5)))
  func resumeRenewsAnExpiredToken() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let byFile = try StrataTool.run(["analyze", Self.wasteful, "--format", "json"], input: .null)
    #expect(byFile.status == 0, "\(byFile.stderr)")
    let proxy = try RegistryProxy(
      upstream: try Self.port(registry), mode: "expire:50000:100000", in: registry.directory)
    defer { proxy.stop() }
    let remote = try StrataTool.run(
      ["analyze", "registry://127.0.0.1:\(proxy.port)/strata/wasteful:1", "--format", "json"], input: .null)
    #expect(remote.status == 0, "\(remote.stderr)\n\(proxy.log)")
    #expect(try RegistrySourceTests.figures(remote.stdout) == RegistrySourceTests.figures(byFile.stdout))
    let lines = proxy.log.split(separator: "\n")
    // A layer was cut and its token revoked; its resume was refused with that token, and asked
    // again from byte 50000 with a new one.
    let revoked = lines.filter { $0.hasPrefix("revoked ") }.map { String($0.dropFirst("revoked ".count)) }
    #expect(!revoked.isEmpty, "\(proxy.log)")
    let refusedResumes = lines.filter { line in
      line.hasPrefix("refused GET /v2/strata/wasteful/blobs/") && revoked.contains { line.hasSuffix("token=\($0)") }
    }
    #expect(!refusedResumes.isEmpty, "\(proxy.log)")
    #expect(lines.contains { $0.contains("range=bytes=50000-") && $0.hasSuffix("auth=yes") }, "\(proxy.log)")
  }

  @Test(
    "bad answers: a manifest that is not JSON or too large, a blob larger than its descriptor, lasting 429s, 403",
    .timeLimit(.minutes(5)))
  func badAnswers() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + Self.wasteful, as: "strata/wasteful:1")
    let checks = RegistrySourceTests()
    for (mode, pieces) in [
      ("manifest-notjson", ["not JSON"]),
      ("manifest-huge", ["larger than"]),
      ("larger:100000", ["larger than its descriptor says"]),
      ("429always", ["429", "rate limited"]),
      ("forbidden", ["refused access (403)", "docker login 127.0.0.1:"]),
    ] {
      let proxy = try RegistryProxy(upstream: try Self.port(registry), mode: mode, in: registry.directory)
      defer { proxy.stop() }
      let reference = "registry://127.0.0.1:\(proxy.port)/strata/wasteful:1"
      _ = try checks.expectError(["analyze", reference, "--format", "json"], [reference] + pieces)
    }
  }
}

/// Credentials from docker credential helpers (`credHelpers`, `credsStore` in `config.json`),
/// against a TLS registry with htpasswd auth; the helper is a script this test writes.
@Suite(
  "Registry credentials from docker credential helpers", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)))
struct RegistryCredentialHelperTests {
  /// Writes `docker-credential-NAME` into `directory`: it logs its arguments and input to
  /// `NAME.log`, answers `answer` (a shell snippet) for `host`, and "not found" otherwise.
  static func writeHelper(_ name: String, in directory: URL, host: String, answer: String) throws {
    let script = """
      #!/bin/sh
      input=$(cat)
      echo "$* $input" >> '\(directory.path)/\(name).log'
      [ "$1" = get ] || exit 3
      if [ "$input" = '\(host)' ]; then
      \(answer)
      fi
      echo "credentials not found in native keychain"
      exit 1

      """
    let path = directory.appendingPathComponent("docker-credential-\(name)").path
    try script.write(toFile: path, atomically: true, encoding: .utf8)
    guard chmod(path, 0o755) == 0 else { throw TestArchiveError("chmod \(path)") }
  }

  @Test(
    "credHelpers and credsStore: the helper's credentials log in; a failing helper is named, its output never shown",
    .timeLimit(.minutes(5)))
  func helpers() throws {
    let registry = try TestRegistry(secure: true)
    defer { registry.stop() }
    try registry.push("docker-archive:" + RegistrySourceTests.wasteful, as: "strata/wasteful:1")
    let login = try #require(registry.login)
    let ca = try #require(registry.caFile)
    let home = try temporaryDirectory("strata-home")
    defer { try? FileManager.default.removeItem(at: home) }
    let bin = home.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let host = registry.host
    try Self.writeHelper(
      "strata-good", in: bin, host: host,
      answer:
        "printf '{\"ServerURL\":\"%s\",\"Username\":\"\(login.user)\",\"Secret\":\"\(login.password)\"}' \"$input\"; exit 0"
    )
    // A broken helper that prints the secret before failing: none of it may be shown.
    try Self.writeHelper(
      "strata-broken", in: bin, host: host,
      answer: "echo 'oops \(login.password)'; echo '\(login.password)' >&2; exit 5")
    let config = home.appendingPathComponent("config.json").path
    let environment = RegistryTransportTests.bareEnvironment(home).merging([
      "SSL_CERT_FILE": ca, "PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
    ]) { $1 }
    let reference = "registry://\(host)/strata/wasteful:1"
    let byFile = try StrataTool.run(["analyze", RegistrySourceTests.wasteful, "--format", "json"], input: .null)
    var messages: [String] = []
    for settings in [
      "\"credHelpers\": {\"\(host)\": \"strata-good\"}", "\"credsStore\": \"strata-good\"",
      // credHelpers wins over credsStore, as in docker.
      "\"credHelpers\": {\"\(host)\": \"strata-good\"}, \"credsStore\": \"strata-broken\"",
    ] {
      try "{\(settings)}".write(toFile: config, atomically: true, encoding: .utf8)
      let remote = try StrataTool.run(
        ["analyze", reference, "--format", "json"], environment: environment, input: .null)
      #expect(remote.status == 0, "\(settings): \(remote.stderr)")
      #expect(
        try RegistrySourceTests.figures(remote.stdout) == RegistrySourceTests.figures(byFile.stdout), "\(settings)")
      messages += [remote.stdout, remote.stderr]
    }
    // Nor in a report written to a file.
    let written = home.appendingPathComponent("report.html").path
    let html = try StrataTool.run(
      ["analyze", reference, "--format", "html", "--output", written], environment: environment, input: .null)
    #expect(html.status == 0, "\(html.stderr)")
    let contents = (try? String(contentsOfFile: written, encoding: .utf8)) ?? ""
    #expect(contents.contains("strata/wasteful"), "\(contents.prefix(300))")
    messages += [contents, html.stdout, html.stderr]
    // The helper was asked with `get` and the registry's host on its standard input.
    let asked = (try? String(contentsOf: bin.appendingPathComponent("strata-good.log"), encoding: .utf8)) ?? ""
    #expect(asked.split(separator: "\n").contains("get \(host)"), "\(asked)")
    let checks = RegistrySourceTests()
    try "{\"credHelpers\": {\"\(host)\": \"strata-broken\"}}".write(toFile: config, atomically: true, encoding: .utf8)
    messages.append(
      try checks.expectError(
        ["analyze", reference], environment: environment, ["docker-credential-strata-broken", "exit status 5", host]))
    try "{\"credsStore\": \"strata-absent\"}".write(toFile: config, atomically: true, encoding: .utf8)
    messages.append(
      try checks.expectError(
        ["analyze", reference], environment: environment, ["docker-credential-strata-absent", "not on PATH"]))
    // A helper with nothing for the host: no credentials, so the registry's refusal says how to log in.
    try "{\"credsStore\": \"strata-good\"}".write(toFile: config, atomically: true, encoding: .utf8)
    let other = try TestRegistry(secure: true)
    defer { other.stop() }
    try other.push("docker-archive:" + RegistrySourceTests.wasteful, as: "strata/wasteful:1")
    messages.append(
      try checks.expectError(
        ["analyze", "registry://\(other.host)/strata/wasteful:1"],
        environment: environment.merging(["SSL_CERT_FILE": try #require(other.caFile)]) { $1 },
        ["docker login \(other.host)"]))
    let basic = Data("\(login.user):\(login.password)".utf8).base64EncodedString()
    for message in messages { #expect(!message.contains(login.password) && !message.contains(basic)) }
  }
  @Test(
    "a helper's <token> user is an identity token, exchanged at the token service by a refresh-token POST",
    .timeLimit(.minutes(5)))
  func identityToken() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    try registry.push("docker-archive:" + RegistrySourceTests.wasteful, as: "strata/wasteful:1")
    let identity = "identity-\(UInt32.random(in: 0...UInt32.max))"
    let proxy = try RegistryProxy(
      upstream: try RegistryTransportTests.port(registry), mode: "token:\(identity)", in: registry.directory)
    defer { proxy.stop() }
    let home = try temporaryDirectory("strata-home")
    defer { try? FileManager.default.removeItem(at: home) }
    let bin = home.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let host = "127.0.0.1:\(proxy.port)"
    for (name, secret) in [("strata-token", identity), ("strata-stale", identity + "-stale")] {
      try Self.writeHelper(
        name, in: bin, host: host,
        answer: "printf '{\"ServerURL\":\"%s\",\"Username\":\"<token>\",\"Secret\":\"\(secret)\"}' \"$input\"; exit 0")
    }
    let config = home.appendingPathComponent("config.json").path
    let environment = RegistryTransportTests.bareEnvironment(home).merging([
      "PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    ]) { $1 }
    let reference = "registry://\(host)/strata/wasteful:1"
    try "{\"credHelpers\": {\"\(host)\": \"strata-token\"}}".write(toFile: config, atomically: true, encoding: .utf8)
    let remote = try StrataTool.run(["analyze", reference, "--format", "json"], environment: environment, input: .null)
    #expect(remote.status == 0, "\(remote.stderr)")
    let byFile = try StrataTool.run(["analyze", RegistrySourceTests.wasteful, "--format", "json"], input: .null)
    #expect(try RegistrySourceTests.figures(remote.stdout) == RegistrySourceTests.figures(byFile.stdout))
    #expect(proxy.log.contains("token POST grant=refresh_token granted=yes"), "\(proxy.log)")
    // A token service that refuses the identity token: the refusal says how to log in again.
    try "{\"credHelpers\": {\"\(host)\": \"strata-stale\"}}".write(toFile: config, atomically: true, encoding: .utf8)
    let refused = try RegistrySourceTests().expectError(
      ["analyze", reference], environment: environment,
      ["identity token from docker-credential-strata-stale", "docker login"])
    for message in [remote.stdout, remote.stderr, refused] { #expect(!message.contains(identity)) }
  }
}

/// A multi-platform index pushed with `skopeo copy --all`, read from the registry by platform.
@Suite(
  "Registry: a multi-platform index", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)))
struct RegistryMultiPlatformTests {
  @Test("--platform picks each platform of a pushed index; an absent one lists those there", .timeLimit(.minutes(5)))
  func platforms() throws {
    let registry = try TestRegistry()
    defer { registry.stop() }
    let variants = try [("amd64", nil), ("arm64", nil), ("arm", "v7")].map { (architecture: String, variant: String?) in
      ImageSpec(
        layers: [
          try LayerSpec(
            TarBuilder().file("platform-\(architecture)\(variant ?? "")", size: 3 + architecture.count),
            command: "\(architecture)\(variant ?? "")")
        ],
        architecture: architecture, variant: variant)
    }
    let directory = try temporaryDirectory("strata-multi")
    defer { try? FileManager.default.removeItem(at: directory) }
    let archive = try ImageArchiveBuilder(.oci, .multiPlatform(tags: [], variants)).write(
      to: directory.appendingPathComponent("multi.tar").path)
    try registry.push("oci-archive:" + archive, as: "strata/multi:1", ["--all"])
    let reference = "registry://\(registry.host)/strata/multi:1"
    for platform in ["linux/amd64", "linux/arm64", "linux/arm/v7"] {
      let remote = try StrataTool.run(
        ["analyze", reference, "--platform", platform, "--format", "json"], input: .null)
      #expect(remote.status == 0, "\(platform): \(remote.stderr)")
      let byFile = try StrataTool.run(
        ["analyze", archive, "--platform", platform, "--format", "json"], input: .null)
      #expect(byFile.status == 0, "\(platform): \(byFile.stderr)")
      #expect(
        try RegistrySourceTests.figures(remote.stdout) == RegistrySourceTests.figures(byFile.stdout), "\(platform)")
      let name = "platform-" + platform.split(separator: "/").dropFirst().joined()
      #expect(remote.stdout.contains(name), "\(platform): \(remote.stdout.prefix(400))")
    }
    _ = try RegistrySourceTests().expectError(
      ["analyze", reference, "--platform", "linux/s390x"],
      ["linux/s390x", "linux/amd64", "linux/arm64", "linux/arm/v7"])
  }
}

/// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, with the fault proxy's forward mode as the proxy.
/// The registry is named by a name that resolves nowhere, so it is reached only through the proxy.
@Suite(
  "Registry: proxies from the environment", .serialized,
  .enabled(if: TestRegistry.runnable, Comment(rawValue: TestRegistry.skipReason)))
struct RegistryProxyEnvironmentTests {
  @Test("HTTPS_PROXY tunnels TLS with CONNECT, upper-case HTTP_PROXY carries plain HTTP, NO_PROXY bypasses both")
  func proxies() throws {
    let name = TestRegistry.unresolvableName
    let byFile = try StrataTool.run(["analyze", RegistrySourceTests.wasteful, "--format", "json"], input: .null)
    let home = try temporaryDirectory("strata-home")
    defer { try? FileManager.default.removeItem(at: home) }

    // TLS and Basic auth through a CONNECT tunnel: the proxy sees the tunnel's target, nothing else.
    let secure = try TestRegistry(secure: true)
    defer { secure.stop() }
    try secure.push("docker-archive:" + RegistrySourceTests.wasteful, as: "strata/wasteful:1")
    let login = try #require(secure.login)
    let securePort = try RegistryTransportTests.port(secure)
    let proxy = try RegistryProxy(upstream: 0, mode: "forward", in: secure.directory)
    defer { proxy.stop() }
    let encoded = Data("\(login.user):\(login.password)".utf8).base64EncodedString()
    let authFile = home.appendingPathComponent("auth.json").path
    try "{\"auths\": {\"\(name):\(securePort)\": {\"auth\": \"\(encoded)\"}}}".write(
      toFile: authFile, atomically: true, encoding: .utf8)
    let environment = RegistryTransportTests.bareEnvironment(home).merging([
      "REGISTRY_AUTH_FILE": authFile, "SSL_CERT_FILE": try #require(secure.caFile),
      "HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)",
    ]) { $1 }
    let tunnelled = try StrataTool.run(
      ["analyze", "registry://\(name):\(securePort)/strata/wasteful:1", "--format", "json"],
      environment: environment, input: .null)
    #expect(tunnelled.status == 0, "\(tunnelled.stderr)")
    #expect(try RegistrySourceTests.figures(tunnelled.stdout) == RegistrySourceTests.figures(byFile.stdout))
    #expect(proxy.log.contains("forward CONNECT \(name):\(securePort)"), "\(proxy.log)")
    #expect(!proxy.log.contains(login.password) && !proxy.log.contains(encoded))

    // Plain HTTP (an --insecure-registry) through upper-case HTTP_PROXY, which libcurl alone ignores.
    let plain = try TestRegistry()
    defer { plain.stop() }
    try plain.push("docker-archive:" + RegistrySourceTests.wasteful, as: "strata/wasteful:1")
    let host = "\(name):\(try RegistryTransportTests.port(plain))"
    let arguments = [
      "analyze", "registry://\(host)/strata/wasteful:1", "--insecure-registry", host, "--format", "json",
    ]
    let proxied = RegistryTransportTests.bareEnvironment(home).merging([
      "HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)", "HTTP_PROXY": "http://127.0.0.1:\(proxy.port)",
    ]) { $1 }
    let forwarded = try StrataTool.run(arguments, environment: proxied, input: .null)
    #expect(forwarded.status == 0, "\(forwarded.stderr)")
    #expect(try RegistrySourceTests.figures(forwarded.stdout) == RegistrySourceTests.figures(byFile.stdout))
    #expect(proxy.log.contains("forward GET http://\(host)/v2/strata/wasteful/blobs/"), "\(proxy.log)")

    // NO_PROXY names the registry: strata goes there directly, and the name resolves nowhere.
    let before = proxy.log.split(separator: "\n").count
    _ = try RegistrySourceTests().expectError(
      arguments, environment: proxied.merging(["NO_PROXY": "localhost,.test"]) { $1 },
      ["cannot reach the registry \(name)"])
    #expect(proxy.log.split(separator: "\n").count == before, "\(proxy.log)")
  }
}
