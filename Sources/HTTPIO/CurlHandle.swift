internal import CCurl

/// One libcurl easy handle, set up for a GET from an endpoint.
final class CurlHandle {
  let handle: UnsafeMutableRawPointer
  /// libcurl writes its detailed message here; it must stay at one address for the handle's life.
  private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
  /// The request headers; libcurl keeps a pointer to the list for the handle's life.
  private var headerList: OpaquePointer?
  /// The response headers, collected as they arrive.
  let responseHeaders = HeaderBuffer()

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
    _ = strata_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, headerCallback)
    _ = strata_curl_set_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(responseHeaders).toOpaque())
  }

  deinit {
    curl_easy_cleanup(handle)
    if let headerList { curl_slist_free_all(UnsafeMutablePointer(headerList)) }
    errorBuffer.deallocate()
  }

  /// Applies the request options that libcurl carries out itself.
  func apply(_ options: HTTPOptions) {
    var list: UnsafeMutablePointer<curl_slist>?
    for header in options.headers { list = curl_slist_append(list, header) }
    if let list {
      headerList = OpaquePointer(list)
      _ = strata_curl_set_list(handle, CURLOPT_HTTPHEADER, list)
    }
    if let caFile = options.caFile { set(CURLOPT_CAINFO, caFile) }
    if let proxy = options.proxy { set(CURLOPT_PROXY, proxy) }
    if let noProxy = options.noProxy { set(CURLOPT_NOPROXY, noProxy) }
    // Copied by libcurl; setting it makes the request a POST of that form.
    if let form = options.formBody { set(CURLOPT_COPYPOSTFIELDS, form) }
    if let start = options.rangeStart, start > 0 { set(CURLOPT_RANGE, "\(start)-") }
    if let limit = options.maxBodyBytes {
      _ = strata_curl_set_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limit))
    }
    if options.followRedirects {
      set(CURLOPT_FOLLOWLOCATION, 1)
      set(CURLOPT_MAXREDIRS, 5)
      set(CURLOPT_UNRESTRICTED_AUTH, 0)
    }
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
    case CURLE_FILESIZE_EXCEEDED: return .tooLarge
    case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
      return .tls
    default: return .other
    }
  }
}

/// Response headers as libcurl hands them over, one line at a time. A new status line (after a
/// redirect, or a `100 Continue`) starts the list again, so it holds the last response's.
final class HeaderBuffer: @unchecked Sendable {
  // Written on the transfer thread before the body arrives; read after the response is known.
  private(set) var headers: [(name: String, value: String)] = []

  func take(_ line: UnsafeRawBufferPointer) {
    let text = String(decoding: line, as: UTF8.self)
    if text.hasPrefix("HTTP/") {
      headers = []
      return
    }
    guard let colon = text.firstIndex(of: ":") else { return }
    let name = text[..<colon].lowercased()
    var value = Substring(text[text.index(after: colon)...])
    while let first = value.first, first == " " || first == "\t" { value = value.dropFirst() }
    while let last = value.last, last.isWhitespace { value = value.dropLast() }  // "\r\n" is one Character
    headers.append((name, String(value)))
  }
}

private func headerCallback(
  _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
  guard let context else { return 0 }
  Unmanaged<HeaderBuffer>.fromOpaque(context).takeUnretainedValue().take(
    UnsafeRawBufferPointer(start: data, count: size * count))
  return size * count
}
