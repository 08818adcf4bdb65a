import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real registry (Debian's `docker-registry`, distribution 2.8) started by a test on a
/// loopback port of its own, plain or with TLS (a CA and certificate made with openssl) and
/// htpasswd Basic auth. Images go in with `skopeo copy`. `stop()` ends it and removes its files.
public final class TestRegistry: @unchecked Sendable {
  /// `127.0.0.1:PORT`.
  public let host: String
  /// Its private directory.
  public let directory: URL
  /// The CA certificate that signed its server certificate (TLS registries).
  public let caFile: String?
  /// The user and password it accepts (auth registries).
  public let login: (user: String, password: String)?
  private let process: ChildProcess.Running

  /// A name its TLS certificate holds besides 127.0.0.1 that resolves nowhere (`.test` is
  /// reserved): a request for it reaches the registry only through a proxy that maps it to loopback.
  public static let unresolvableName = "strata-registry.test"

  /// The programs it needs.
  public static let programs = ["docker-registry", "skopeo", "openssl", "htpasswd"]

  /// Whether the tests can run here (under `CI=true` they run regardless, so a missing install fails).
  public static var runnable: Bool { TS.isCI || programs.allSatisfy { TS.executable($0) != nil } }

  /// Why they are skipped otherwise.
  public static let skipReason =
    "docker-registry, skopeo, openssl or htpasswd not installed (Scripts/setup.sh installs them)"

  /// Starts a registry; `secure` adds TLS and Basic auth.
  public init(secure: Bool = false) throws {
    for program in Self.programs where TS.executable(program) == nil {
      throw TestArchiveError("\(program) is not installed: \(Self.skipReason)")
    }
    directory = try temporaryDirectory("strata-registry")
    let port = try Self.freePort()
    host = "127.0.0.1:\(port)"
    var config = """
      version: 0.1
      log:
        level: warn
      storage:
        filesystem:
          rootdirectory: \(directory.path)/data
      http:
        addr: \(host)

      """
    if secure {
      let d = directory.path
      let commands: [[String]] = [
        [
          "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=strata test CA",
          "-keyout", "\(d)/ca.key", "-out", "\(d)/ca.crt",
        ],
        [
          "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "\(d)/server.key", "-out",
          "\(d)/server.csr",
        ],
      ]
      for arguments in commands {
        let run = try ChildProcess.run("openssl", arguments, timeout: 60)
        guard run.status == 0 else { throw TestArchiveError("openssl \(arguments[0]): \(run.stderr)") }
      }
      try "subjectAltName=IP:127.0.0.1,DNS:\(Self.unresolvableName)\n".write(
        toFile: "\(d)/san.ext", atomically: true, encoding: .utf8)
      let sign = try ChildProcess.run(
        "openssl",
        [
          "x509", "-req", "-in", "\(d)/server.csr", "-CA", "\(d)/ca.crt", "-CAkey", "\(d)/ca.key", "-CAcreateserial",
          "-days", "2", "-extfile", "\(d)/san.ext", "-out", "\(d)/server.crt",
        ], timeout: 60)
      guard sign.status == 0 else { throw TestArchiveError("openssl x509: \(sign.stderr)") }
      let password = "s3cret-\(UInt32.random(in: 0...UInt32.max))"
      let htpasswd = try ChildProcess.run("htpasswd", ["-Bbn", "tester", password], timeout: 60)
      guard htpasswd.status == 0 else { throw TestArchiveError("htpasswd: \(htpasswd.stderr)") }
      try htpasswd.stdout.write(toFile: "\(d)/htpasswd", atomically: true, encoding: .utf8)
      config += """
          tls:
            certificate: \(d)/server.crt
            key: \(d)/server.key
        auth:
          htpasswd:
            realm: strata-test
            path: \(d)/htpasswd

        """
      caFile = "\(d)/ca.crt"
      login = ("tester", password)
    } else {
      caFile = nil
      login = nil
    }
    let configFile = directory.appendingPathComponent("config.yml").path
    try config.write(toFile: configFile, atomically: true, encoding: .utf8)
    process = try ChildProcess.Running(
      "docker-registry", ["serve", configFile], log: directory.appendingPathComponent("registry.log").path)
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      if !process.isRunning { break }
      if Self.accepts(port: port) { return }
      usleep(50_000)
    }
    let log = (try? String(contentsOf: directory.appendingPathComponent("registry.log"), encoding: .utf8)) ?? ""
    stop()
    throw TestArchiveError("docker-registry did not start: \(log.suffix(1500))")
  }

  /// Pushes an archive (`docker-archive:PATH` or `oci-archive:PATH`, as skopeo names them) as
  /// `repository:tag`, with extra skopeo arguments (`--dest-compress-format zstd`, `--all`).
  public func push(_ source: String, as name: String, _ extra: [String] = []) throws {
    var arguments = ["copy", "--quiet", "--insecure-policy"] + extra
    if let login {
      arguments += [
        "--dest-creds", "\(login.user):\(login.password)", "--dest-cert-dir",
        directory.appendingPathComponent("certs").path,
      ]
      try FileManager.default.createDirectory(
        at: directory.appendingPathComponent("certs"), withIntermediateDirectories: true)
      try? FileManager.default.removeItem(atPath: directory.appendingPathComponent("certs/ca.crt").path)
      try FileManager.default.copyItem(
        atPath: caFile ?? "", toPath: directory.appendingPathComponent("certs/ca.crt").path)
    } else {
      arguments += ["--dest-tls-verify=false"]
    }
    arguments += [source, "docker://\(host)/\(name)"]
    let run = try ChildProcess.run("skopeo", arguments, timeout: 180)
    guard run.status == 0 else { throw TestArchiveError("skopeo copy \(source): \(run.stderr)") }
  }

  /// The raw manifest of `name` as skopeo reads it (an independent client).
  public func rawManifest(_ name: String) throws -> Data {
    var arguments = ["inspect", "--raw"]
    if let login {
      arguments += [
        "--creds", "\(login.user):\(login.password)", "--cert-dir", directory.appendingPathComponent("certs").path,
      ]
    } else {
      arguments += ["--tls-verify=false"]
    }
    let run = try ChildProcess.run("skopeo", arguments + ["docker://\(host)/\(name)"], timeout: 60)
    guard run.status == 0 else { throw TestArchiveError("skopeo inspect: \(run.stderr)") }
    return Data(run.stdoutBytes)
  }

  /// An auth file (docker's `config.json` format) holding this registry's login.
  public func authFile() throws -> String {
    guard let login else { throw TestArchiveError("this registry has no login") }
    let encoded = Data("\(login.user):\(login.password)".utf8).base64EncodedString()
    let path = directory.appendingPathComponent("auth.json").path
    try "{\"auths\": {\"\(host)\": {\"auth\": \"\(encoded)\"}}}".write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Stops it and removes its files.
  public func stop() {
    process.stop(grace: 10)
    try? FileManager.default.removeItem(at: directory)
  }

  /// A loopback port nobody listens on now.
  public static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestArchiveError("no socket") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else { throw TestArchiveError("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Whether something accepts connections on the loopback `port`.
  public static func accepts(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}
