internal import CCurl

/// One libcurl easy handle, set up for a GET from an endpoint.
final class CurlHandle {
  let handle: UnsafeMutableRawPointer
  /// libcurl writes its detailed message here; it must stay at one address for the handle's life.
  private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

  private static let initialised: Bool = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK }()

  /// Prepares a GET of `path` (starting with `/`) from `endpoint`.
  /// - Parameters:
  ///   - connectTimeout: seconds to wait for the connection.
  ///   - stallTimeout: seconds without a byte after which the transfer is abandoned.
  init(endpoint: HTTPEndpoint, path: String, connectTimeout: Int, stallTimeout: Int) throws(HTTPError) {
    guard Self.initialised, let handle = curl_easy_init() else { throw HTTPError(.other, "libcurl cannot start") }
    self.handle = handle
    set(CURLOPT_URL, endpoint.baseURL + path)
    if let socket = endpoint.unixSocket { set(CURLOPT_UNIX_SOCKET_PATH, socket) }
    set(CURLOPT_NOSIGNAL, 1)
    set(CURLOPT_CONNECTTIMEOUT, connectTimeout)
    // A stalled server is given up on rather than waited for forever.
    set(CURLOPT_LOW_SPEED_LIMIT, 1)
    set(CURLOPT_LOW_SPEED_TIME, stallTimeout)
    set(CURLOPT_FOLLOWLOCATION, 0)
    set(CURLOPT_PROTOCOLS_STR, "http,https")
    // HTTPS trusts the system's certificate authorities, wherever this system keeps them.
    if let bundle = CertificateAuthorities.current { set(CURLOPT_CAINFO, bundle) }
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    _ = strata_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
  }

  deinit {
    curl_easy_cleanup(handle)
    errorBuffer.deallocate()
  }

  func set(_ option: CURLoption, _ value: Int) { _ = strata_curl_set_long(handle, option, value) }
  func set(_ option: CURLoption, _ value: String) { _ = strata_curl_set_string(handle, option, value) }

  /// Sends body data to `callback` with `context` (an unretained object) as its last argument.
  func onData(_ callback: strata_curl_data_callback, context: UnsafeMutableRawPointer) {
    _ = strata_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, callback)
    _ = strata_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
  }

  /// The status of the response so far (0 before one arrived).
  var status: Int {
    var code = 0
    _ = strata_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &code)
    return code
  }

  /// Runs the transfer to its end.
  func perform() -> HTTPError? {
    let code = curl_easy_perform(handle)
    guard code != CURLE_OK else { return nil }
    let detail = String(cString: errorBuffer)
    let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    return HTTPError(Self.kind(of: code), text)
  }

  private static func kind(of code: CURLcode) -> HTTPError.Kind {
    switch code {
    case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .cannotConnect
    case CURLE_OPERATION_TIMEDOUT: return .timedOut
    case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING: return .interrupted
    case CURLE_WRITE_ERROR: return .abandoned
    default: return .other
    }
  }
}
