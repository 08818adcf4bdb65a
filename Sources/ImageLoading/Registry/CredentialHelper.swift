import JSONIO

import Glibc

/// Asks a docker credential helper (`docker-credential-NAME get`, named by `credHelpers` or
/// `credsStore` in docker's `config.json`) for a registry's credentials: the server's address
/// on its standard input, `{"Username": …, "Secret": …}` on its standard output. A Username of
/// `<token>` makes the secret an identity token. Nothing the helper prints ever reaches a
/// message: its errors name the helper and what went wrong, never its output.
enum CredentialHelper {
  /// Seconds a helper may take (one that waits for a keyring to unlock is given up on).
  static let timeout = 30
  /// The most output read from a helper.
  static let maxOutput = 1 << 20

  /// What docker hands a helper for `host`: Docker Hub's historical address, else the host.
  static func serverAddress(for host: String) -> String {
    RegistryCredentials.normalise(host) == "docker.io" ? "https://index.docker.io/v1/" : host
  }

  /// Runs `docker-credential-NAME get` for `host`.
  /// - Returns: nil when the helper has no credentials for the host (as docker, it says
  ///   "credentials not found").
  /// - Throws: `HelperError` with a message naming the helper.
  static func credentials(helper name: String, host: String, environment: (String) -> String?) throws(HelperError)
    -> RegistryCredentials?
  {
    let program = "docker-credential-" + name
    guard !name.isEmpty, !name.contains("/") else { throw HelperError("'\(name)' is not a credential helper's name") }
    guard let path = find(program, in: environment("PATH") ?? "/usr/local/bin:/usr/bin:/bin") else {
      throw HelperError("the credential helper \(program) is not on PATH")
    }
    let (status, output) = try run(path, program: program, input: serverAddress(for: host))
    if status != 0 {
      // Helpers say so on standard output, with status 1, when they hold nothing for the host.
      if String(decoding: output, as: UTF8.self).lowercased().contains("credentials not found") { return nil }
      throw HelperError("the credential helper \(program) failed (exit status \(status)) for \(host)")
    }
    guard let json = try? JSONValue.parse(output), let username = json["Username"]?.stringValue,
      let secret = json["Secret"]?.stringValue
    else {
      throw HelperError("the credential helper \(program) answered something other than {Username, Secret} for \(host)")
    }
    if secret.isEmpty { return nil }
    if username == "<token>" {
      return RegistryCredentials(username: "", secret: secret, origin: program, identityToken: true)
    }
    return RegistryCredentials(username: username, secret: secret, origin: program)
  }

  /// A helper's failure, in words fit for the one-line error.
  struct HelperError: Error {
    var message: String
    init(_ message: String) { self.message = message }
  }

  /// The first executable `program` in the directories of `path`.
  private static func find(_ program: String, in path: String) -> String? {
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(program)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }

  /// Runs `path get` with `input` on its standard input; its standard error is dropped.
  private static func run(_ path: String, program: String, input: String) throws(HelperError) -> (Int32, [UInt8]) {
    var toChild: [Int32] = [-1, -1]
    var fromChild: [Int32] = [-1, -1]
    guard pipe(&toChild) == 0 else { throw HelperError("cannot start the credential helper \(program)") }
    guard pipe(&fromChild) == 0 else {
      close(toChild[0])
      close(toChild[1])
      throw HelperError("cannot start the credential helper \(program)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    for descriptor in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, descriptor) }
    var pid = pid_t()
    let arguments = [path, "get"]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let spawned = posix_spawn(&pid, path, &actions, nil, &argv, environ)
    close(toChild[0])
    close(fromChild[1])
    defer { close(fromChild[0]) }
    guard spawned == 0 else {
      close(toChild[1])
      throw HelperError("the credential helper \(program) could not be started: \(String(cString: strerror(spawned)))")
    }
    // The address is small: it fits the pipe's buffer, so writing it cannot block.
    let bytes = Array(input.utf8)
    _ = bytes.withUnsafeBytes { write(toChild[1], $0.baseAddress, $0.count) }
    close(toChild[1])
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    let deadline = time(nil) + timeout
    var timedOut = false
    while output.count <= maxOutput {
      var poller = pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)
      let left = Int32(max(0, deadline - time(nil)))
      let ready = poll(&poller, 1, left * 1000)
      if ready < 0 && errno == EINTR { continue }
      if ready <= 0 {
        timedOut = true
        break
      }
      let got = buffer.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress, $0.count) }
      if got < 0 && errno == EINTR { continue }
      if got <= 0 { break }
      output.append(contentsOf: buffer[..<got])
    }
    if timedOut || output.count > maxOutput { kill(pid, SIGKILL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if timedOut { throw HelperError("the credential helper \(program) did not answer within \(timeout) s") }
    if output.count > maxOutput { throw HelperError("the credential helper \(program) printed too much") }
    // Exited: its status; killed by a signal: 128 + the signal, as shells say it.
    let exited = status & 0x7F == 0
    return (exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output)
  }
}
