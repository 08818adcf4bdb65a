/// Where an HTTP server listens: a TCP address named by a URL, or a Unix socket.
public struct HTTPEndpoint: Sendable, Equatable, CustomStringConvertible {
  /// The URL requests start with, without a trailing `/` (`http://localhost` for a Unix socket).
  public var baseURL: String
  /// The Unix socket to connect to instead of TCP, when there is one.
  public var unixSocket: String?

  /// An endpoint reached over TCP at `baseURL` (`http://127.0.0.1:2375`).
  public init(baseURL: String) {
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.unixSocket = nil
  }

  /// An endpoint reached through the Unix socket at `path`.
  public init(unixSocket path: String) {
    self.baseURL = "http://localhost"
    self.unixSocket = path
  }

  /// `unix:///path` or the base URL, for messages.
  public var description: String { unixSocket.map { "unix://\($0)" } ?? baseURL }
}
