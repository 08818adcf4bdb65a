/// Where an HTTP server listens: a TCP address named by a URL, or a Unix socket.
package struct HTTPEndpoint: Sendable, Equatable, CustomStringConvertible {
  /// The URL requests start with, without a trailing `/` (`http://localhost` for a Unix socket).
  package var baseURL: String
  /// The Unix socket to connect to instead of TCP, when there is one.
  package var unixSocket: String?

  /// An endpoint reached over TCP at `baseURL` (`http://127.0.0.1:2375`).
  package init(baseURL: String) {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.unixSocket = nil
  }

  /// An endpoint reached through the Unix socket at `path`.
  package init(unixSocket path: String) {
    self.baseURL = "http://localhost"
    self.unixSocket = path
  }

  /// `unix:///path` or the base URL, for messages.
  package var description: String { unixSocket.map { "unix://\($0)" } ?? baseURL }
}
