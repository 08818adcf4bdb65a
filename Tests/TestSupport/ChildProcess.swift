import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The one way tests run other programs: `posix_spawn` with a clean signal mask, output to files
/// (a server the program leaves behind, such as tmux's, cannot hold a pipe open), and a deadline
/// after which the program is killed and the test fails instead of hanging.
///
/// Foundation's `Process` is not used: on Linux its `waitUntilExit` can miss the exit of a child
/// that ends at once (seen with `tmux new-session -d` in CI: the test hung with the child a zombie).
public enum ChildProcess {
  /// Held while a descriptor is made that must not leak into another child (a pipe between
  /// `pipe` and its close-on-exec flag), and while a child is spawned.
  static let spawning = NSLock()

  /// What a run printed and returned.
  public struct Result: Sendable {
    /// Exit status; 128 + N when killed by signal N.
    public var status: Int32
    /// Standard output, as text.
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    /// Standard error, as text.
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    /// Standard output, as bytes.
    public var stdoutBytes: [UInt8]
    /// Standard error, as bytes.
    public var stderrBytes: [UInt8]
  }

  /// What the program reads on standard input.
  public enum Input: Sendable {
    /// Nothing: `/dev/null`.
    case null
    /// The test process's own standard input.
    case inherited
    /// A regular file, as the shell's `< file` hands it over, its read position at `offset`.
    case file(String, offset: UInt64 = 0)
    /// These bytes through a pipe, as `cat file |` hands them over; a program that stops reading
    /// early leaves the rest unwritten.
    case pipe([UInt8])
  }

  /// Where the program's standard output goes.
  public enum Output: Sendable {
    /// Into `Result.stdout`.
    case capture
    /// Into this file (created or truncated); `Result.stdout` is empty.
    case file(String)
  }

  /// The test process's environment with `changes` applied (a nil value removes the variable).
  public static func environment(_ changes: [String: String?] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in changes { environment[key] = value }
    return environment
  }

  /// Runs `program arguments…` to its end.
  /// - Parameters:
  ///   - program: a path, or a name looked up on `PATH`.
  ///   - environment: the program's whole environment.
  ///   - directory: its working directory (default: the test's).
  ///   - timeout: seconds after which it is killed (SIGKILL) and the run throws.
  public static func run(
    _ program: String, _ arguments: [String], environment: [String: String] = environment(),
    directory: String? = nil, input: Input = .null, output: Output = .capture, timeout: Double = 300
  ) throws -> Result {
    let scratch = try temporaryDirectory("strata-child")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let stdoutPath: String
    switch output {
    case .capture: stdoutPath = scratch.appendingPathComponent("stdout").path
    case .file(let path): stdoutPath = path
    }
    let stderrPath = scratch.appendingPathComponent("stderr").path
    var feeder: PipeFeeder?
    var child: Running
    switch input {
    case .pipe(let bytes):
      let pipe = try PipeFeeder(bytes)
      feeder = pipe
      child = try Running(
        program, arguments, environment: environment, directory: directory, stdin: .descriptor(pipe.readEnd),
        stdout: stdoutPath, stderr: stderrPath)
      pipe.start()
    case .null:
      child = try Running(
        program, arguments, environment: environment, directory: directory, stdin: .path("/dev/null", 0),
        stdout: stdoutPath, stderr: stderrPath)
    case .inherited:
      child = try Running(
        program, arguments, environment: environment, directory: directory, stdin: .inherited, stdout: stdoutPath,
        stderr: stderrPath)
    case .file(let path, let offset):
      child = try Running(
        program, arguments, environment: environment, directory: directory, stdin: .path(path, offset),
        stdout: stdoutPath, stderr: stderrPath)
    }
    let status = child.wait(timeout: timeout)
    feeder?.finish()
    let stderr = (try? Data(contentsOf: URL(fileURLWithPath: stderrPath))).map { [UInt8]($0) } ?? []
    guard let status else {
      throw TestArchiveError(
        "\(([program] + arguments).joined(separator: " ")) did not end within \(Int(timeout)) s and was killed; "
          + "standard error: \(String(decoding: stderr.suffix(2000), as: UTF8.self))")
    }
    var stdout: [UInt8] = []
    if case .capture = output, let data = try? Data(contentsOf: URL(fileURLWithPath: stdoutPath)) {
      stdout = [UInt8](data)
    }
    return Result(status: status, stdoutBytes: stdout, stderrBytes: stderr)
  }

  /// A program left running in the background (a daemon, a proxy), its output in a log file.
  public final class Running: @unchecked Sendable {
    /// Its process id.
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    enum Stdin {
      case inherited
      case path(String, UInt64)
      case descriptor(Int32)
    }

    /// Starts `program arguments…` with standard input from `/dev/null` and both output streams
    /// appended to `log`.
    public convenience init(
      _ program: String, _ arguments: [String], environment: [String: String] = environment(), log: String
    )
      throws
    {
      try self.init(
        program, arguments, environment: environment, directory: nil, stdin: .path("/dev/null", 0), stdout: log,
        stderr: log)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module hides
    /// behind `_GNU_SOURCE`; looked up once by name.
    private static let closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 =
      {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { fatalError("glibc without posix_spawn_file_actions_addclosefrom_np (needs 2.34 or newer)") }
        return unsafeBitCast(
          symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
      }()

    init(
      _ program: String, _ arguments: [String], environment: [String: String], directory: String?, stdin: Stdin,
      stdout: String, stderr: String
    ) throws {
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      var openedInput: Int32 = -1
      defer { if openedInput >= 0 { close(openedInput) } }
      switch stdin {
      case .inherited: break
      case .path(let path, let offset):
        openedInput = open(path, O_RDONLY | O_CLOEXEC)
        guard openedInput >= 0 else { throw TestArchiveError("cannot open \(path) for \(program)'s input") }
        if offset > 0 { lseek(openedInput, off_t(offset), SEEK_SET) }
        posix_spawn_file_actions_adddup2(&actions, openedInput, 0)
      case .descriptor(let descriptor):
        posix_spawn_file_actions_adddup2(&actions, descriptor, 0)
      }
      let flags = O_WRONLY | O_CREAT | O_APPEND
      posix_spawn_file_actions_addopen(&actions, 1, stdout, flags | (stdout == stderr ? 0 : O_TRUNC), 0o600)
      if stderr == stdout {
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
      } else {
        posix_spawn_file_actions_addopen(&actions, 2, stderr, flags | O_TRUNC, 0o600)
      }
      // Nothing else is inherited: a file another test thread has open for writing (a binary being
      // copied) would otherwise stay open in this child, and executing that file would fail with
      // ETXTBSY for as long as the child (a daemon, perhaps) runs.
      guard Self.closeFrom(&actions, 3) == 0 else {
        throw TestArchiveError("cannot run \(program): posix_spawn_file_actions_addclosefrom_np failed")
      }
      // The test runner's threads block some signals (SIGTERM among them); the program must get them.
      var attributes = posix_spawnattr_t()
      posix_spawnattr_init(&attributes)
      defer { posix_spawnattr_destroy(&attributes) }
      var none = sigset_t()
      sigemptyset(&none)
      var all = sigset_t()
      sigfillset(&all)
      posix_spawnattr_setsigmask(&attributes, &none)
      posix_spawnattr_setsigdefault(&attributes, &all)
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
      // A working directory through coreutils' `env -C` (posix_spawn's chdir action is a GNU extension
      // that Swift's Glibc module does not show).
      let command = directory.map { ["/usr/bin/env", "-C", $0, program] + arguments } ?? [program] + arguments
      var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
      defer { for pointer in argv { free(pointer) } }
      var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { for pointer in envp { free(pointer) } }
      var pid: pid_t = 0
      ChildProcess.spawning.lock()
      let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, &argv, &envp)
      ChildProcess.spawning.unlock()
      guard spawned == 0 else {
        throw TestArchiveError("cannot run \(program): \(String(cString: strerror(spawned)))")
      }
      self.pid = pid
    }

    /// Whether it still runs (reaps it once it has ended).
    public var isRunning: Bool { poll() == nil }

    /// Its exit status once it has ended, else nil.
    private func poll() -> Int32? {
      lock.lock()
      defer { lock.unlock() }
      if let exitStatus { return exitStatus }
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      guard result == pid else { return nil }
      let signal = status & 0x7F
      exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
      return exitStatus
    }

    /// Waits up to `timeout` seconds for it to end; then kills it (SIGKILL), reaps it, and
    /// returns nil.
    public func wait(timeout: Double) -> Int32? {
      let deadline = Date().addingTimeInterval(timeout)
      var pause: UInt32 = 1_000
      while Date() < deadline {
        if let status = poll() { return status }
        usleep(pause)
        pause = min(pause * 2, 50_000)
      }
      kill(pid, SIGKILL)
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      lock.lock()
      exitStatus = 128 + SIGKILL
      lock.unlock()
      return nil
    }

    /// Stops it: `signal` (SIGTERM by default), then SIGKILL after `grace` seconds.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, grace: Double = 20) -> Int32? {
      if let status = poll() { return status }
      kill(pid, signal)
      return wait(timeout: grace)
    }
  }
}

/// Writes bytes into a pipe on a thread of its own, so that a large input cannot block the test
/// while the program has not read it yet.
private final class PipeFeeder: @unchecked Sendable {
  let readEnd: Int32
  private let writeEnd: Int32
  private let bytes: [UInt8]
  private let done = DispatchSemaphore(value: 0)

  init(_ bytes: [UInt8]) throws {
    var ends: [Int32] = [0, 0]
    ChildProcess.spawning.lock()
    defer { ChildProcess.spawning.unlock() }
    guard pipe(&ends) == 0 else { throw TestArchiveError("cannot make a pipe") }
    _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
    readEnd = ends[0]
    writeEnd = ends[1]
    self.bytes = bytes
    // A write to a pipe the program closed must fail with EPIPE, not kill the test process.
    signal(SIGPIPE, SIG_IGN)
  }

  /// Starts writing once the program runs; the test's copy of the reading end is closed so that
  /// the program's exit breaks the pipe.
  func start() {
    close(readEnd)
    Thread.detachNewThread { [self] in
      bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
          let written = write(writeEnd, buffer.baseAddress! + offset, buffer.count - offset)
          if written < 0 && errno == EINTR { continue }
          if written <= 0 { break }
          offset += written
        }
      }
      close(writeEnd)
      done.signal()
    }
  }

  /// Waits for the writer to end (it ends once the program has exited, the pipe then broken).
  func finish() { done.wait() }
}
