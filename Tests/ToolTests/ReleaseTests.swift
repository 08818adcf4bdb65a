import Foundation
import Testing

import TestSupport

/// The release artefacts, made by the scripts a release manager runs, tried where users run them:
/// the portable binary in a Debian 11 root, the .deb installed by apt in a Debian 12 root, the
/// container image gated by strata itself. Slow (release builds, Debian roots made by mmdebstrap,
/// a libcurl build, buildah; cached across runs, see docs/release.md): they run under `CI=true`
/// or with STRATA_RELEASE_TESTS=1, and are skipped otherwise, saying so.
@Suite(
  "Release artefacts: portable tarball, .deb, container image", .serialized,
  .enabled(if: Release.enabled, Comment(rawValue: Release.skipped)))
struct ReleaseTests {
  @Test("The portable binary needs only glibc, no symbol newer than 2.31, no DT_RELR")
  func portableBinaryNeedsOnlyOldGlibc() throws {
    let tarball = try Release.tarball.get()
    let check = try Release.command("Scripts/release/check-portable.sh", [tarball.binary.path, "2.31"])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    #expect(check.stdout.contains("newest glibc symbol version"))
  }

  @Test("The check flags the development build, which links shared C libraries")
  func checkFlagsTheDevelopmentBuild() throws {
    let binary = try #require(StrataTool.binary)
    let check = try Release.command("Scripts/release/check-portable.sh", [binary.path, "2.31"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("needs libarchive.so"))
  }

  @Test("The tarball holds the binary, the man page, three completions and the licences")
  func tarballLayout() throws {
    let tarball = try Release.tarball.get()
    let listing = try Release.command("/bin/tar", ["-tzf", tarball.url.path])
    let name = tarball.url.lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
    let files = Set(listing.stdout.split(separator: "\n").map(String.init))
    for file in [
      "bin/strata", "share/man/man1/strata.1", "share/bash-completion/completions/strata",
      "share/zsh/site-functions/_strata", "share/fish/vendor_completions.d/strata.fish", "CHANGELOG.md",
      "LICENSE", "LICENSES/swift.txt", "LICENSES/libarchive13.txt", "LICENSES/curl.txt", "LICENSES/libssl3.txt",
    ] {
      #expect(files.contains("\(name)/\(file)"), "\(file) is not in \(tarball.url.lastPathComponent)")
    }
    let page = tarball.binary.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("share/man/man1/strata.1")
    let man = try Release.command("/usr/bin/man", ["-l", page.path])
    #expect(man.status == 0, "\(man.stderr)")
    for subcommand in ["analyze", "ci", "compare", "explore"] {
      #expect(man.stdout.contains(subcommand), "the man page does not describe \(subcommand)")
    }
    let sums = try String(contentsOfFile: tarball.url.path + ".sha256", encoding: .utf8)
    let sha = try Release.command("/usr/bin/sha256sum", [tarball.url.path])
    #expect(sums.prefix(64) == sha.stdout.prefix(64))
  }

  @Test("In a Debian 11 root (glibc 2.31) it gives the development build's JSON report on every fixture")
  func portableBinaryInDebian11() throws {
    let tarball = try Release.tarball.get()
    let root = URL(fileURLWithPath: try Release.script("Scripts/release/sysroot.sh"))
    let glibc = try Release.command("Scripts/release/in-root.sh", [root.path, "/usr/bin/ldd", "--version"])
    #expect(glibc.stdout.contains("2.31"), "the root's glibc: \(glibc.stdout)")
    try Release.withCopy(of: tarball.binary, into: root) { inside in
      let version = try Release.command("Scripts/release/in-root.sh", [root.path, inside, "--version"])
      #expect(version.status == 0, "\(version.stderr)")
      let commit = try Release.script("Scripts/release/commit.sh")
      #expect(version.stdout.contains("(commit \(commit))"), "\(version.stdout)")
      for (fixture, arguments) in Release.fixtures {
        let copy = try Release.copyFixture(fixture, into: root)
        defer { try? FileManager.default.removeItem(at: root.appendingPathComponent(copy)) }
        let analyze = ["analyze", copy, "--format", "json"] + arguments
        let portable = try Release.command("Scripts/release/in-root.sh", [root.path, inside] + analyze)
        #expect(portable.status == 0, "\(fixture): \(portable.stderr)")
        let development = try StrataTool.run(analyze, in: root)
        #expect(development.status == 0, "\(fixture): \(development.stderr)")
        #expect(portable.stdout == development.stdout, "\(fixture): the reports differ")
      }
    }
  }

  @Test(
    "In the Debian 11 root it reads an image from podman's API (its own libcurl) as the development build does",
    .enabled(if: TestDaemon.runnable(.podman), "podman not installed (Scripts/setup.sh installs it)"))
  func portableBinaryReadsFromPodman() throws {
    let tarball = try Release.tarball.get()
    let root = URL(fileURLWithPath: try Release.script("Scripts/release/sysroot.sh"))
    let daemon = try TestDaemon.start(.podman)
    defer { daemon.stop() }
    try daemon.load(DaemonSourceTests.wasteful)
    // The service's socket, hard-linked into the root's /tmp: a program in the chroot reaches it there.
    let link = "tmp/strata-test-\(UUID().uuidString).sock"
    try FileManager.default.linkItem(atPath: daemon.socket, toPath: root.appendingPathComponent(link).path)
    defer { try? FileManager.default.removeItem(at: root.appendingPathComponent(link)) }
    try Release.withCopy(of: tarball.binary, into: root) { inside in
      let name = "podman://" + DaemonSourceTests.reference
      let portable = try StrataTool.run(
        executable: TS.repoRoot.appendingPathComponent("Scripts/release/in-root.sh"),
        [root.path, inside, "analyze", name, "--format", "json"], environment: ["CONTAINER_HOST": "unix:///\(link)"],
        timeout: 600)
      #expect(portable.status == 0, "\(portable.stderr)")
      let development = try StrataTool.run(["analyze", name, "--format", "json"], environment: daemon.environment)
      #expect(development.status == 0, "\(development.stderr)")
      guard portable.status == 0, development.status == 0 else { return }
      #expect(try DaemonSourceTests.figures(portable.stdout) == DaemonSourceTests.figures(development.stdout))
    }
  }

  @Test("In the Debian 11 root its own OpenSSL trusts the CA bundle where RHEL keeps it, and nothing else")
  func portableBinaryFindsTheSystemBundle() throws {
    let tarball = try Release.tarball.get()
    let root = URL(fileURLWithPath: try Release.script("Scripts/release/sysroot.sh"))
    let openssl = try #require(TS.executable("openssl"), "openssl is not installed (Scripts/setup.sh installs it)")
    // The root is minbase: no ca-certificates, so no bundle unless the test puts one there.
    #expect(
      !FileManager.default.fileExists(atPath: root.appendingPathComponent("etc/ssl/certs/ca-certificates.crt").path))
    try withTemporaryDirectory { directory in
      let key = directory.appendingPathComponent("key.pem").path
      let certificate = directory.appendingPathComponent("certificate.pem").path
      let made = try ChildProcess.run(
        openssl,
        [
          "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
          "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ], timeout: 120)
      #expect(made.status == 0, "\(made.stderr)")
      // A TLS server answering any GET with a page (not an engine: strata fails after the handshake).
      let port = Int.random(in: 20_000...60_000)
      let server = try ChildProcess.Running(
        openssl, ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet"],
        log: directory.appendingPathComponent("server.log").path)
      defer { _ = server.stop(grace: 5) }
      let bundle = root.appendingPathComponent("etc/pki/tls/certs/ca-bundle.crt")
      try Release.withCopy(of: tarball.binary, into: root) { inside in
        // The variables that would name a bundle are cleared: only the system's files count.
        let analyze = { () throws -> StrataTool.Run in
          try StrataTool.run(
            executable: TS.repoRoot.appendingPathComponent("Scripts/release/in-root.sh"),
            [root.path, inside, "analyze", "docker://app:1"],
            environment: [
              "DOCKER_HOST": "https://127.0.0.1:\(port)", "CURL_CA_BUNDLE": "", "SSL_CERT_FILE": "", "SSL_CERT_DIR": "",
            ],
            timeout: 120)
        }
        var untrusted = try analyze()
        let deadline = Date().addingTimeInterval(30)
        while untrusted.stderr.contains("Couldn't connect"), Date() < deadline, server.isRunning {
          Thread.sleep(forTimeInterval: 0.2)
          untrusted = try analyze()
        }
        #expect(untrusted.status == 2)
        #expect(untrusted.stderr.contains("SSL certificate problem"), "\(untrusted.stderr)")
        try FileManager.default.createDirectory(
          at: bundle.deletingLastPathComponent(), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root.appendingPathComponent("etc/pki")) }
        try FileManager.default.copyItem(atPath: certificate, toPath: bundle.path)
        let trusted = try analyze()
        #expect(trusted.status == 2)
        #expect(!trusted.stderr.contains("SSL"), "\(trusted.stderr)")
        #expect(trusted.stderr.contains("not an image archive"), "\(trusted.stderr)")
      }
    }
  }

  @Test("pin-release.sh pins the tarball's SHA-256 and version in releases.sha256, the GitLab template and action.yml")
  func pinReleaseAgreesEverywhere() throws {
    let tarball = try Release.tarball.get()
    try withTemporaryDirectory { directory in
      // A copy of the three files and the script, in the repository's layout.
      for file in [
        "action.yml", "Scripts/ci/releases.sha256", "Scripts/ci/strata.gitlab-ci.yml", "Scripts/ci/pin-release.sh",
      ] {
        let copy = directory.appendingPathComponent(file)
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TS.repoRoot.appendingPathComponent(file), to: copy)
      }
      let pin = try StrataTool.run(
        executable: directory.appendingPathComponent("Scripts/ci/pin-release.sh"), [tarball.url.path], timeout: 60)
      #expect(pin.status == 0, "\(pin.stderr)")
      let sha = try Release.command("/usr/bin/sha256sum", [tarball.url.path]).stdout.prefix(64)
      let version = try CIRecipeTests.binaryVersion()
      let pins = try String(contentsOf: directory.appendingPathComponent("Scripts/ci/releases.sha256"), encoding: .utf8)
      #expect(pins.contains("\(sha)  \(tarball.url.lastPathComponent)\n"), "\(pins)")
      let template = try YAMLFile(directory.appendingPathComponent("Scripts/ci/strata.gitlab-ci.yml"))
      #expect(template[".strata-ci", "variables", "STRATA_SHA256"]?.text == String(sha))
      #expect(template[".strata-ci", "variables", "STRATA_VERSION"]?.text == version)
      let action = try YAMLFile(directory.appendingPathComponent("action.yml"))
      #expect(action["inputs", "version", "default"]?.text == version)
    }
  }

  @Test("The .deb installs with apt in a fresh Debian 12 root: binary, man page, completions; Depends computed")
  func debianPackageInDebian12() throws {
    let tarball = try Release.tarball.get()
    let deb = URL(fileURLWithPath: try Release.script("Scripts/package-deb.sh", [tarball.url.path]))
    let depends = try Release.command("/usr/bin/dpkg-deb", ["--field", deb.path, "Depends"])
    #expect(depends.stdout.hasPrefix("libc6 (>= 2."), "Depends: \(depends.stdout)")
    let maintainer = try Release.command("/usr/bin/dpkg-deb", ["--field", deb.path, "Maintainer"])
    #expect(maintainer.stdout.contains("@users.noreply.github.com>"), "Maintainer: \(maintainer.stdout)")
    let cached = URL(fileURLWithPath: try Release.script("Scripts/release/runtime-root.sh"))
    try withTemporaryDirectory { directory in
      let root = directory.appendingPathComponent("root")
      let copy = try Release.command("/bin/cp", ["-a", cached.path, root.path])
      #expect(copy.status == 0, "\(copy.stderr)")
      try FileManager.default.copyItem(at: deb, to: root.appendingPathComponent("tmp/\(deb.lastPathComponent)"))
      let install = try Release.command(
        "Scripts/release/in-root.sh", [root.path, "apt-get", "install", "-y", "/tmp/\(deb.lastPathComponent)"])
      #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
      let version = try Release.command("Scripts/release/in-root.sh", [root.path, "strata", "--version"])
      #expect(version.stdout.hasPrefix("strata "), "\(version.stderr)")
      // The slim root's dpkg leaves manual pages out (as debian:bookworm-slim's does): the package
      // must hold the page; the root gets the rest.
      let contents = try Release.command("/usr/bin/dpkg-deb", ["--contents", deb.path])
      #expect(contents.stdout.contains("./usr/share/man/man1/strata.1.gz"))
      for file in [
        "usr/bin/strata", "usr/share/bash-completion/completions/strata", "usr/share/zsh/vendor-completions/_strata",
        "usr/share/fish/vendor_completions.d/strata.fish", "usr/share/doc/strata/copyright",
      ] {
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file) missing")
      }
      let copyright = try String(
        contentsOf: root.appendingPathComponent("usr/share/doc/strata/copyright"), encoding: .utf8)
      #expect(copyright.hasPrefix("Copyright 2026 The strata authors\nLicense: Apache-2.0"))
      #expect(copyright.contains("==== curl ===="))
      let fixture = try Release.copyFixture("images/wasteful/wasteful.tar", into: root)
      let analyze = try Release.command(
        "Scripts/release/in-root.sh", [root.path, "strata", "analyze", fixture, "--format", "json"])
      #expect(analyze.status == 0, "\(analyze.stderr)")
      #expect(analyze.stdout.contains("\"schemaVersion\""))
    }
  }

  @Test("The container image builds with buildah from local bases and passes its own size budget")
  func containerImageGatesItself() throws {
    let archive = URL(fileURLWithPath: try Release.script("Scripts/image.sh"))
    let files = try StrataTool.run(["analyze", archive.path, "--format", "csv"])
    #expect(files.status == 0, "\(files.stderr)")
    for path in ["/usr/local/bin/strata", "/etc/ssl/certs/ca-certificates.crt"] {
      #expect(files.stdout.contains("\n\(path),"), "\(path) is not in the image")
    }
    let tag = "localhost/strata:\(try CIRecipeTests.binaryVersion())"
    let user = try Release.command(
      "/usr/bin/buildah", ["inspect", "--type", "image", "--format", "{{.OCIv1.Config.User}}", tag])
    #expect(user.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "strata")
  }
}

/// Builds the release artefacts once per test run and runs commands for the tests.
enum Release {
  static var enabled: Bool {
    TS.isCI || ProcessInfo.processInfo.environment["STRATA_RELEASE_TESTS"] == "1"
  }
  static let skipped =
    "release artefact tests are slow (a release build, Debian roots made by mmdebstrap, a libcurl build, buildah): "
    + "they run under CI=true, or with STRATA_RELEASE_TESTS=1"

  /// The fixtures the portable binary is compared on (the committed image archives), with the
  /// arguments that pick an image where an archive holds several.
  static let fixtures: [(path: String, arguments: [String])] = [
    ("images/wasteful/wasteful.tar", []), ("images/wasteful-clean/wasteful-clean.tar", []),
    ("images/busybox-app/busybox-app.tar", []), ("images/busybox-app/busybox-app-docker25.tar", []),
    ("images/busybox-app/busybox-app-oci-gzip.tar", []), ("images/busybox-app/busybox-app-oci-zstd.tar", []),
    ("images/compare/compare.tar", ["--image", "localhost/strata/compare-app:v1"]),
    ("images/compare/compare.tar", ["--image", "localhost/strata/compare-app:v2"]),
  ]

  /// The tarball Scripts/release.sh made, and its binary unpacked.
  struct Tarball: Sendable {
    var url: URL
    var binary: URL
  }

  /// Made once, by the first test that asks.
  static let tarball: Result<Tarball, ScriptFailure> = {
    do {
      let url = URL(fileURLWithPath: try script("Scripts/release.sh"))
      let unpacked = try temporaryDirectory("strata-release")
      let tar = try command("/bin/tar", ["-xzf", url.path, "-C", unpacked.path])
      guard tar.status == 0 else { throw ScriptFailure(message: "tar: \(tar.stderr)") }
      let name = url.lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
      return .success(Tarball(url: url, binary: unpacked.appendingPathComponent("\(name)/bin/strata")))
    } catch let failure as ScriptFailure {
      return .failure(failure)
    } catch {
      return .failure(ScriptFailure(message: "\(error)"))
    }
  }()

  /// Runs `executable` (a path, or one relative to the repository) with `arguments`.
  static func command(_ executable: String, _ arguments: [String]) throws -> StrataTool.Run {
    let url =
      executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : TS.repoRoot.appendingPathComponent(executable)
    return try StrataTool.run(executable: url, arguments, in: TS.repoRoot, timeout: 3600)
  }

  /// Runs a repository script that must succeed and returns the last line it printed.
  static func script(_ path: String, _ arguments: [String] = []) throws -> String {
    let run = try command(path, arguments)
    guard run.status == 0, let last = run.stdout.split(separator: "\n").last else {
      throw ScriptFailure(message: "\(path) exited \(run.status):\n\(run.stderr.suffix(4000))")
    }
    return String(last)
  }

  /// Copies `binary` into a fresh folder under `root`'s /tmp, runs `body` with its path as seen
  /// inside the root, and removes the folder.
  static func withCopy(of binary: URL, into root: URL, _ body: (String) throws -> Void) throws {
    let folder = "tmp/strata-test-\(UUID().uuidString)"
    let inside = root.appendingPathComponent(folder)
    try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: inside) }
    try FileManager.default.copyItem(at: binary, to: inside.appendingPathComponent("strata"))
    try body("/\(folder)/strata")
  }

  /// Copies a fixture into `root`'s /tmp and returns its path relative to the root (the same
  /// relative path from the root's / inside, and from the root's folder outside).
  static func copyFixture(_ fixture: String, into root: URL) throws -> String {
    let relative = "tmp/fixture-\(UUID().uuidString)-\(URL(fileURLWithPath: fixture).lastPathComponent)"
    try FileManager.default.copyItem(at: fixtureURL(fixture), to: root.appendingPathComponent(relative))
    return relative
  }
}

/// A release script that failed, with what it printed.
struct ScriptFailure: Error, Sendable, CustomStringConvertible {
  var message: String
  var description: String { message }
}
