internal import CCurl
import Dispatch
import Hashing
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A GET running on its own thread whose body flows into one end of a local socket pair.
///
/// The reader takes the body from `descriptor` (a duplicate it may close when done), learns the
/// status with `response()` before it starts, and calls `finish()` at the end to learn whether
/// the body arrived whole: a connection that broke after the last byte the reader needed is
/// still a failure. Nothing is written to disk and at most the socket's buffer is held.
package final class HTTPStream: @unchecked Sendable {
  // Shared with the transfer thread: `state` behind its mutex, the rest set before it starts.
  private let curl: CurlHandle
  private let writeEnd: Int32
  private let readEnd: Int32
  private let state = Mutex(State())
  private let responded = DispatchSemaphore(value: 0)
  private let ended = DispatchSemaphore(value: 0)
  private let errorBody = BodyBuffer(limit: 64 * 1024)

  private struct State {
    var status = 0
    var signalled = false
    var failure: HTTPError?
  }

  /// The digest the body must have, and the hash of what arrived (touched on the transfer
  /// thread only, until it ends).
  private let expectedDigest: String?
  private let hash = SHA256()
  /// Body bytes received so far (with status 200).
  private let received = Atomic<Int64>(0)

  /// The most body bytes accepted.
  private let maxBodyBytes: Int64?

  init(curl: CurlHandle, expectedDigest: String? = nil, maxBodyBytes: Int64? = nil) throws(HTTPError) {
    self.expectedDigest = expectedDigest
    self.maxBodyBytes = maxBodyBytes
    var pair: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
      throw HTTPError(.other, "cannot make a socket pair: \(String(cString: strerror(errno)))")
    }
    self.curl = curl
    self.readEnd = pair[0]
    self.writeEnd = pair[1]
    var size: Int32 = 1 << 20
    _ = setsockopt(writeEnd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    curl.onData(streamCallback, context: Unmanaged.passUnretained(self).toOpaque())
    let retained = Unmanaged.passRetained(self)
    DispatchQueue.global().async {
      let stream = retained.takeRetainedValue()
      stream.run()
    }
  }

  deinit { close(readEnd) }

  private func run() {
    let performed = curl.perform()
    // A failure the body callback recorded (too large) explains libcurl's write error.
    var failure = state.withLock { $0.failure } ?? performed
    if failure == nil, curl.status == 200 || curl.status == 206, let expectedDigest {
      let actual = hash.finalize()
      if actual != expectedDigest {
        failure = HTTPError(.digestMismatch, "the content's digest is \(actual), not \(expectedDigest)")
      }
    }
    close(writeEnd)
    let status = curl.status
    state.withLock {
      $0.failure = failure
      if $0.status == 0 { $0.status = status }
    }
    signalResponse()
    ended.signal()
  }

  private func signalResponse() {
    let first = state.withLock { state -> Bool in
      defer { state.signalled = true }
      return !state.signalled
    }
    if first { responded.signal() }
  }

  /// Takes one piece of the body (on the transfer thread).
  fileprivate func receive(_ piece: UnsafeRawBufferPointer) -> Int {
    let status = state.withLock { state -> Int in
      if state.status == 0 { state.status = curl.status }
      return state.status
    }
    signalResponse()
    guard status == 200 || status == 206 else { return errorBody.take(piece) ? piece.count : 0 }
    guard let base = piece.baseAddress else { return 0 }
    if expectedDigest != nil { hash.update(piece) }
    let total = received.add(Int64(piece.count), ordering: .relaxed).newValue
    if let maxBodyBytes, total > maxBodyBytes {
      state.withLock {
        $0.failure = HTTPError(.tooLarge, "the body is larger than the \(maxBodyBytes) bytes announced")
      }
      return 0
    }
    var offset = 0
    while offset < piece.count {
      let sent = send(writeEnd, base + offset, piece.count - offset, Int32(MSG_NOSIGNAL))
      if sent < 0 {
        if errno == EINTR { continue }
        return 0  // the reader closed its end: abandon the transfer
      }
      offset += sent
    }
    return piece.count
  }

  /// Waits for the status line; for a status other than 200, waits for the whole (small) body.
  /// - Throws: the transfer's error when no response came at all.
  package func response() throws(HTTPError) -> HTTPResponse {
    responded.wait()
    let (status, failure) = state.withLock { ($0.status, $0.failure) }
    if status == 0, let failure { throw failure }
    if status == 200 || status == 206 {
      return HTTPResponse(status: status, body: [], headers: curl.responseHeaders.headers)
    }
    waitForEnd()
    return HTTPResponse(status: status, body: errorBody.bytes, headers: curl.responseHeaders.headers)
  }

  /// Body bytes received so far.
  package var bytesReceived: Int64 { received.load(ordering: .relaxed) }

  /// A new descriptor reading the body; the caller owns and closes it.
  package func openBody() -> Int32 { fcntl(readEnd, F_DUPFD_CLOEXEC, 0) }

  /// Reads and drops what is left of the body, at most `limit` bytes, so the transfer can end
  /// as the server meant it to.
  /// - Returns: false when more than `limit` bytes were still coming.
  package func drain(limit: Int64) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    var total: Int64 = 0
    while true {
      let got = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
      if got < 0 && errno == EINTR { continue }
      if got <= 0 { return true }
      total += Int64(got)
      if total > limit { return false }
    }
  }

  /// Waits for the transfer to end and says how it ended. Close every body descriptor first
  /// (or drain it): a transfer blocked on a full socket nobody reads never ends.
  package func finish() -> HTTPError? {
    shutdown(readEnd, Int32(SHUT_RD))
    waitForEnd()
    return state.withLock { $0.failure }
  }

  /// Waits until the transfer thread is done, leaving the semaphore signalled for later waits.
  private func waitForEnd() {
    ended.wait()
    ended.signal()
  }
}

private func streamCallback(
  _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
  guard let context else { return 0 }
  let stream = Unmanaged<HTTPStream>.fromOpaque(context).takeUnretainedValue()
  return stream.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}
