internal import CCurl
import Dispatch
import Hashing
import Synchronization

import Glibc

/// A GET running on its own thread whose body flows into one end of a local socket pair.
///
/// The reader takes the body from `descriptor` (a duplicate it may close when done), learns the
/// status with `response()` before it starts, and calls `finish()` at the end to learn whether
/// the body arrived whole: a connection that broke after the last byte the reader needed is
/// still a failure. Nothing is written to disk and at most the socket's buffer is held.
///
/// With `HTTPOptions.resumeAttempts`, a body whose transfer breaks (a reset, a cut, a stall)
/// is asked for again from where it stopped (`Range: bytes=N-`) and continues into the same
/// socket and the same SHA-256, so the reader never notices. A server that ignores the range
/// (200 instead of 206) sends the body from its start again; the bytes the reader already has
/// are dropped, and the digest still covers exactly the bytes the reader was given.
package final class HTTPStream: @unchecked Sendable {
  // Shared with the transfer thread: `state` behind its mutex, `received` atomic; the
  // `Transfer` fields belong to the transfer thread once it runs.
  private let writeEnd: Int32
  private let readEnd: Int32
  private let state = Mutex(State())
  private let responded = DispatchSemaphore(value: 0)
  private let ended = DispatchSemaphore(value: 0)
  private let errorBody = BodyBuffer(limit: 64 * 1024)

  private struct State {
    var status = 0
    var headers: [(name: String, value: String)] = []
    var signalled = false
    var failure: HTTPError?
    var resumes = 0
  }

  /// What the transfer thread keeps about the request it runs now.
  private struct Transfer {
    /// The handle of the current request.
    var curl: CurlHandle
    /// Requests made so far for this body (the first, then each resume).
    var attempt = 1
    /// The status this request answered, once its first body byte came (0 before).
    var status = 0
    /// Body bytes of this request to drop before passing the rest on (a resume answered 200).
    var skip: Int64 = 0
  }

  /// Makes the handle for a request starting at a byte of the resource (0: as the options say),
  /// with other request headers than the options' when given (renewed credentials).
  private let makeHandle: (Int64, [String]?) throws(HTTPError) -> CurlHandle
  /// `HTTPOptions.renewHeaders`, and the headers it last gave (transfer thread only).
  private let renewHeaders: (@Sendable (String?) -> [String]?)?
  private var renewedHeaders: [String]?
  private var transfer: Transfer
  /// The offset the first request asked for (its `rangeStart`), where the body starts.
  private let baseOffset: Int64
  /// How many times a broken body may be resumed.
  private let resumeAttempts: Int

  /// The digest the body must have, and the hash of what arrived (touched on the transfer
  /// thread only, until it ends).
  private let expectedDigest: String?
  private let hash = SHA256()
  /// Body bytes passed on to the reader so far.
  private let received = Atomic<Int64>(0)

  /// The most body bytes accepted.
  private let maxBodyBytes: Int64?

  init(options: HTTPOptions, makeHandle: @escaping (Int64, [String]?) throws(HTTPError) -> CurlHandle)
    throws(HTTPError)
  {
    self.renewHeaders = options.renewHeaders
    self.expectedDigest = options.expectedDigest
    self.maxBodyBytes = options.maxBodyBytes
    self.baseOffset = options.rangeStart ?? 0
    self.resumeAttempts = max(0, options.resumeAttempts)
    self.makeHandle = makeHandle
    var pair: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
      throw HTTPError(.other, "cannot make a socket pair: \(String(cString: strerror(errno)))")
    }
    self.transfer = Transfer(curl: try makeHandle(0, nil))
    self.readEnd = pair[0]
    self.writeEnd = pair[1]
    var size: Int32 = 1 << 20
    _ = setsockopt(writeEnd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    transfer.curl.onData(streamCallback, context: Unmanaged.passUnretained(self).toOpaque())
    let retained = Unmanaged.passRetained(self)
    DispatchQueue.global().async {
      let stream = retained.takeRetainedValue()
      stream.run()
    }
  }

  deinit { close(readEnd) }

  private func run() {
    var failure: HTTPError?
    while true {
      let performed = transfer.curl.perform()
      // A failure the body callback recorded (too large, a wrong range) explains libcurl's write error.
      failure = state.withLock { $0.failure } ?? performed
      if transfer.attempt > 1, transfer.status == 0, transfer.curl.status != 0,
        let refusal = resumeRefusal(status: transfer.curl.status)
      {
        // A resume that answered without a body (a 429 or 503 with none): judged by its status.
        failure = refusal
      }
      if failure != nil, transfer.attempt > 1, transfer.curl.status == 401, let renewHeaders,
        let headers = renewHeaders(transfer.curl.responseHeaders.headers.first { $0.name == "www-authenticate" }?.value)
      {
        // The credentials expired while the body came: ask again with new ones.
        renewedHeaders = headers
        failure = HTTPError(.busy, "the server answered 401 when asked to resume, again after a new login")
      }
      guard let reason = failure, shouldResume(after: reason) else { break }
      // Wait a little longer each time, as for any refused or broken request.
      usleep(UInt32(250_000 << min(transfer.attempt - 1, 4)))
      do throws(HTTPError) {
        transfer = Transfer(curl: try makeHandle(resumeOffset(), renewedHeaders), attempt: transfer.attempt + 1)
      } catch {
        failure = error
        break
      }
      transfer.curl.onData(streamCallback, context: Unmanaged.passUnretained(self).toOpaque())
      state.withLock {
        $0.failure = nil
        $0.resumes += 1
      }
    }
    let status = state.withLock { $0.status }
    if failure == nil, status == 200 || status == 206, let expectedDigest {
      let actual = hash.finalize()
      if actual != expectedDigest {
        failure = HTTPError(.digestMismatch, "the content's digest is \(actual), not \(expectedDigest)")
      }
    }
    close(writeEnd)
    let finalStatus = transfer.curl.status
    let headers = transfer.curl.responseHeaders.headers
    state.withLock {
      $0.failure = failure
      if $0.status == 0 {
        $0.status = finalStatus
        $0.headers = headers
      }
    }
    signalResponse()
    ended.signal()
  }

  /// Whether a request that ended with `failure` is asked for again from where it stopped: the
  /// body started (200 or 206), the break was in the transport or a busy answer to a resume, and
  /// attempts are left.
  private func shouldResume(after failure: HTTPError) -> Bool {
    guard transfer.attempt <= resumeAttempts else { return false }
    let status = state.withLock { $0.status }
    guard status == 200 || status == 206 else { return false }
    switch failure.kind {
    case .interrupted, .timedOut, .cannotConnect, .busy: return true
    default: return false
    }
  }

  /// Why a resume's answer cannot continue the body, or nil when it can (206 or 200).
  private func resumeRefusal(status: Int) -> HTTPError? {
    switch status {
    case 200, 206: return nil
    case 429, 500...599: return HTTPError(.busy, "the server answered \(status) when asked to resume")
    default: return HTTPError(.other, "the server answered \(status) when asked to resume the transfer")
    }
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
    if transfer.status == 0, !begin() { return 0 }
    let status = state.withLock { $0.status }
    guard status == 200 || status == 206 else { return errorBody.take(piece) ? piece.count : 0 }
    guard var base = piece.baseAddress else { return 0 }
    var count = piece.count
    if transfer.skip > 0 {
      let dropped = Int(min(transfer.skip, Int64(count)))
      transfer.skip -= Int64(dropped)
      base += dropped
      count -= dropped
      if count == 0 { return piece.count }
    }
    let body = UnsafeRawBufferPointer(start: base, count: count)
    if expectedDigest != nil { hash.update(body) }
    let total = received.add(Int64(count), ordering: .relaxed).newValue
    if let maxBodyBytes, total > maxBodyBytes {
      state.withLock {
        $0.failure = HTTPError(.tooLarge, "the body is larger than the \(maxBodyBytes) bytes announced")
      }
      return 0
    }
    var offset = 0
    while offset < count {
      let sent = send(writeEnd, base + offset, count - offset, Int32(MSG_NOSIGNAL))
      if sent < 0 {
        if errno == EINTR { continue }
        return 0  // the reader closed its end: abandon the transfer
      }
      offset += sent
    }
    return piece.count
  }

  /// Learns the status of the current request at its first body byte. The first request's is
  /// the response's; a resume must continue the body where it stopped.
  /// - Returns: false to stop this request.
  private func begin() -> Bool {
    let status = transfer.curl.status
    transfer.status = status
    if transfer.attempt == 1 {
      let headers = transfer.curl.responseHeaders.headers
      state.withLock {
        $0.status = status
        $0.headers = headers
      }
      signalResponse()
      return true
    }
    if let refusal = resumeRefusal(status: status) {
      state.withLock { $0.failure = refusal }
      return false
    }
    let wanted = resumeOffset()
    if status == 200 {
      // The range was ignored: the whole body again, from its first byte.
      transfer.skip = wanted
      return true
    }
    let range = transfer.curl.responseHeaders.headers.first { $0.name == "content-range" }?.value ?? ""
    guard Self.rangeStart(range) == wanted else {
      state.withLock {
        $0.failure = HTTPError(
          .other, "the server resumed the transfer at '\(range.prefix(60))', not at byte \(wanted)")
      }
      return false
    }
    return true
  }

  /// The byte of the resource a resume asks for first: the next one the reader needs, counted
  /// from the offset the first request asked for when it was answered with that range (206).
  private func resumeOffset() -> Int64 {
    let firstStatus = state.withLock { $0.status }
    return received.load(ordering: .relaxed) + (firstStatus == 206 ? baseOffset : 0)
  }

  /// The first byte of a `Content-Range: bytes FIRST-LAST/TOTAL` value.
  static func rangeStart(_ value: String) -> Int64? {
    let text = value.drop { $0 == " " }
    guard text.lowercased().hasPrefix("bytes ") else { return nil }
    return Int64(text.dropFirst(6).prefix { $0 != "-" })
  }

  /// Waits for the status line; for a status other than 200, waits for the whole (small) body.
  /// - Throws: the transfer's error when no response came at all.
  package func response() throws(HTTPError) -> HTTPResponse {
    responded.wait()
    let (status, headers, failure) = state.withLock { ($0.status, $0.headers, $0.failure) }
    if status == 0, let failure { throw failure }
    if status == 200 || status == 206 {
      return HTTPResponse(status: status, body: [], headers: headers)
    }
    waitForEnd()
    return HTTPResponse(status: status, body: errorBody.bytes, headers: headers)
  }

  /// Body bytes passed on to the reader so far.
  package var bytesReceived: Int64 { received.load(ordering: .relaxed) }

  /// How many times the body was asked for again after its transfer broke.
  package var resumes: Int { state.withLock { $0.resumes } }

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
