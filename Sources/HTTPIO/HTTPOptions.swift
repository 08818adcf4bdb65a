/// What a request sends and checks beyond a plain GET.
public struct HTTPOptions: Sendable {
  /// Extra request headers, `Name: value` (an `Authorization` header is never logged).
  public var headers: [String] = []
  /// A PEM file of CA certificates to trust instead of the system's.
  public var caFile: String?
  /// Starts the body at this offset (a `Range: bytes=N-` request, to resume a transfer).
  public var rangeStart: Int64?
  /// The most body bytes accepted; more fails the transfer with `.tooLarge`.
  public var maxBodyBytes: Int64?
  /// The SHA-256 the whole body must have (`sha256:…`); a streamed body that ends with another
  /// fails `finish()` with `.digestMismatch`.
  public var expectedDigest: String?
  /// Follows redirects (at most 5). libcurl drops the `Authorization` header when one leads to
  /// another host, so credentials never reach blob storage.
  public var followRedirects = false

  /// Options with nothing set.
  public init() {}
}
