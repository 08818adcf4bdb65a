internal import CCurl
import Dispatch
import Synchronization

import Glibc

/// GET requests through libcurl, over TCP or a Unix socket.
///
/// ```swift
/// let docker = HTTPEndpoint(unixSocket: "/var/run/docker.sock")
/// let answer = try HTTPClient.get("/images/alpine:3/json", from: docker, limit: 1 << 20)
/// ```
package enum HTTPClient {
  /// Fetches a small document whole.
  /// - Parameters:
  ///   - limit: the most body bytes accepted; a larger body fails with `.tooLarge`.
  ///   - timeout: seconds without progress after which the request fails with `.timedOut`.
  ///   - options: headers, CA file, redirects (a digest is not checked here: hash the body).
  package static func get(
    _ path: String, from endpoint: HTTPEndpoint, limit: Int, timeout: Int = 30, options: HTTPOptions = HTTPOptions()
  ) throws(HTTPError) -> HTTPResponse {
    let curl = try CurlHandle(endpoint: endpoint, path: path, connectTimeout: timeout, stallTimeout: timeout)
    curl.set(CURLOPT_TIMEOUT, timeout)
    curl.apply(options)
    let sink = BodyBuffer(limit: limit)
    let context = Unmanaged.passUnretained(sink).toOpaque()
    curl.onData(bufferCallback, context: context)
    let failure = curl.perform()
    if sink.overflowed { throw HTTPError(.tooLarge, "the answer is larger than \(limit) bytes") }
    if let failure { throw failure }
    return HTTPResponse(status: curl.status, body: sink.bytes, headers: curl.responseHeaders.headers)
  }

  /// Starts a GET whose body, when the status is 200, is handed to a local socket as it arrives,
  /// on a thread of its own: read it from `HTTPStream.descriptor` like a pipe. Other statuses
  /// keep their (small) body as the error's text.
  /// With `options.expectedDigest`, the body is hashed as it goes by and `finish()` fails when
  /// it does not match; with `options.resumeAttempts`, a broken transfer resumes by range.
  package static func stream(
    _ path: String, from endpoint: HTTPEndpoint, stallTimeout: Int, options: HTTPOptions = HTTPOptions()
  ) throws(HTTPError) -> HTTPStream {
    try HTTPStream(options: options) { (start: Int64, headers: [String]?) throws(HTTPError) -> CurlHandle in
      let curl = try CurlHandle(endpoint: endpoint, path: path, connectTimeout: 30, stallTimeout: stallTimeout)
      var request = options
      if start > 0 { request.rangeStart = start }
      if let headers { request.headers = headers }
      curl.apply(request)
      return curl
    }
  }
}

/// Keeps a body in memory, up to a limit.
final class BodyBuffer {
  let limit: Int
  var bytes: [UInt8] = []
  var overflowed = false

  init(limit: Int) { self.limit = limit }

  /// Takes a piece; false once the limit is passed (which stops the transfer).
  func take(_ piece: UnsafeRawBufferPointer) -> Bool {
    guard bytes.count + piece.count <= limit else {
      overflowed = true
      return false
    }
    bytes.append(contentsOf: piece)
    return true
  }
}

private func bufferCallback(
  _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
  guard let context else { return 0 }
  let sink = Unmanaged<BodyBuffer>.fromOpaque(context).takeUnretainedValue()
  let piece = UnsafeRawBufferPointer(start: data, count: size * count)
  return sink.take(piece) ? piece.count : 0
}
