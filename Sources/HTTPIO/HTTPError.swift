/// Why an HTTP request failed before a response could be used.
package struct HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
  /// The broad kind of failure, for callers that word their own messages.
  package enum Kind: Sendable, Equatable {
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
    /// A streamed body whose SHA-256 is not the one expected.
    case digestMismatch
    /// The server's certificate did not verify.
    case tls
    /// The server refused for now (429, or 5xx), where the caller could not see the response.
    case busy
    /// Any other failure libcurl reports.
    case other
  }

  /// What kind of failure.
  package var kind: Kind
  /// libcurl's words for it.
  package var message: String

  /// Creates an error.
  package init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  package var description: String { message }
}

/// A response: status, headers and (for small documents) the body.
package struct HTTPResponse: Sendable {
  /// The status code (200, 404, …).
  package var status: Int
  /// The body, for requests that keep it.
  package var body: [UInt8]
  /// The headers of the last response (after redirects), names in lower case.
  package var headers: [(name: String, value: String)]

  /// Creates a response.
  package init(status: Int, body: [UInt8], headers: [(name: String, value: String)] = []) {
    self.status = status
    self.body = body
    self.headers = headers
  }

  /// The first value of the header `name` (any case), if present.
  package func header(_ name: String) -> String? {
    let wanted = name.lowercased()
    return headers.first { $0.name == wanted }?.value
  }

  /// The body as text, for messages.
  package var text: String { String(decoding: body, as: UTF8.self) }
}
