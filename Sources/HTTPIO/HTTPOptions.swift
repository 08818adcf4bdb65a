/// What a request sends and checks beyond a plain GET.
package struct HTTPOptions: Sendable {
  /// Extra request headers, `Name: value` (an `Authorization` header is never logged).
  package var headers: [String] = []
  /// A PEM file of CA certificates to trust instead of the system's.
  package var caFile: String?
  /// Starts the body at this offset (a `Range: bytes=N-` request, to resume a transfer).
  package var rangeStart: Int64?
  /// The most body bytes accepted; more fails the transfer with `.tooLarge`.
  package var maxBodyBytes: Int64?
  /// The SHA-256 the whole body must have (`sha256:…`); a streamed body that ends with another
  /// fails `finish()` with `.digestMismatch`.
  package var expectedDigest: String?
  /// Follows redirects (at most 5). libcurl (7.83 and later; Debian 12 has 7.88) drops the
  /// `Authorization` header, custom or its own, when one leads to another host, port or scheme
  /// (CURLOPT_UNRESTRICTED_AUTH stays 0), so credentials never reach blob storage.
  package var followRedirects = false
  /// The proxy to go through (`http://HOST:PORT`); "" for none. nil leaves it to libcurl, which
  /// reads `http_proxy` (lower case only), `https_proxy`/`HTTPS_PROXY` and `ALL_PROXY`.
  package var proxy: String?
  /// Hosts reached without the proxy (`NO_PROXY` syntax: names, domain suffixes, IPs, CIDR, `*`).
  /// nil leaves it to libcurl, which reads `no_proxy`/`NO_PROXY`.
  package var noProxy: String?
  /// Sends this form (`a=1&b=2`, already encoded) in a POST instead of a GET (a token request).
  package var formBody: String?
  /// For a streamed body: how many times a transfer that breaks after its body began is asked
  /// for again with `Range: bytes=N-` from where it stopped (0: never). See `HTTPStream`.
  package var resumeAttempts = 0
  /// For a streamed body that resumes: asked, on the transfer thread, for new request headers
  /// when a resume is answered 401 (credentials that expired while the body came: a registry's
  /// token lasts minutes), given the response's `WWW-Authenticate` challenge. The resume is then
  /// asked again with them, as one more attempt; nil from it, or no hook, and the 401 ends the
  /// transfer.
  package var renewHeaders: (@Sendable (_ challenge: String?) -> [String]?)?

  /// Options with nothing set.
  package init() {}
}
