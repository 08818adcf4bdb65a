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
  /// Follows redirects (at most 5). libcurl drops the `Authorization` header when one leads to
  /// another host, so credentials never reach blob storage.
  package var followRedirects = false

  /// Options with nothing set.
  package init() {}
}
