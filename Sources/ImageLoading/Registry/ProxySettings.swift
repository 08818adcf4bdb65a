import HTTPIO

/// The proxies registry requests go through, chosen as docker, podman and skopeo (Go's
/// net/http) choose them: `HTTPS_PROXY` (or `https_proxy`) for HTTPS, `HTTP_PROXY` (or
/// `http_proxy`) for plain HTTP, none for a host `NO_PROXY` (or `no_proxy`) names, and none
/// ever for this machine (localhost, 127.x, ::1). libcurl alone would ignore an upper-case
/// `HTTP_PROXY` (a guard for CGI programs) and proxy loopback hosts.
struct ProxySettings: Sendable {
  var https: String?
  var http: String?
  var noProxy: String?

  init(environment: (String) -> String?) {
    func first(_ names: String...) -> String? {
      for name in names {
        if let value = environment(name), !value.isEmpty { return value }
      }
      return nil
    }
    https = first("HTTPS_PROXY", "https_proxy")
    http = first("HTTP_PROXY", "http_proxy")
    noProxy = first("NO_PROXY", "no_proxy")
  }

  /// Sets the proxy of `options` for a request to `url` (`scheme://host[:port]/…`).
  func apply(to options: inout HTTPOptions, url: String) {
    let isHTTPS = url.lowercased().hasPrefix("https://")
    var rest = Substring(url)
    for scheme in ["https://", "http://"] where rest.lowercased().hasPrefix(scheme) {
      rest = rest.dropFirst(scheme.count)
    }
    let authority = rest.prefix { $0 != "/" && $0 != "?" }
    if Self.isLoopback(authority) {
      options.proxy = ""
      return
    }
    if let proxy = isHTTPS ? https : http { options.proxy = proxy }
    // libcurl applies the list to the proxy given here too.
    options.noProxy = noProxy
  }

  /// Whether `authority` (`host[:port]`) names this machine.
  static func isLoopback(_ authority: Substring) -> Bool {
    var host = authority
    if host.hasPrefix("[") {
      host = host.dropFirst().prefix { $0 != "]" }
    } else if let colon = host.lastIndex(of: ":") {
      host = host[..<colon]
    }
    let name = host.lowercased()
    return name == "localhost" || name.hasSuffix(".localhost") || name.hasPrefix("127.") || name == "::1"
  }
}
