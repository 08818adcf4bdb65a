/// Why an HTTP request failed before a response could be used.
public struct HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
  /// The broad kind of failure, for callers that word their own messages.
  public enum Kind: Sendable, Equatable {
    /// Nothing listens there, or the socket refuses the connection.
    case cannotConnect
    /// The server did not answer in time, or the transfer stalled.
    case timedOut
    /// The connection broke or the body ended before its announced end.
    case interrupted
    /// The body is larger than the caller accepts.
    case tooLarge
    /// The reader of a streamed body stopped taking it.
    case abandoned
    /// Any other failure libcurl reports.
    case other
  }

  /// What kind of failure.
  public var kind: Kind
  /// libcurl's words for it.
  public var message: String

  /// Creates an error.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}

/// A response: status, headers and (for small documents) the body.
public struct HTTPResponse: Sendable {
  /// The status code (200, 404, …).
  public var status: Int
  /// The body, for requests that keep it.
  public var body: [UInt8]

  /// Creates a response.
  public init(status: Int, body: [UInt8]) {
    self.status = status
    self.body = body
  }

  /// The body as text, for messages.
  public var text: String { String(decoding: body, as: UTF8.self) }
}
