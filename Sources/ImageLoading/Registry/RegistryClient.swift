import HTTPIO
import Hashing
import JSONIO
import Synchronization

import Glibc

/// Talks the OCI distribution API to one repository: finds the scheme (HTTPS; plain HTTP only
/// for loopback or `--insecure-registry`), logs in the way the registry asks (`WWW-Authenticate`:
/// a Bearer token from its realm, or Basic), and retries what a busy registry refuses.
/// Credentials and tokens stay in request headers: no message strata prints contains them.
final class RegistryClient: @unchecked Sendable {
  // Set up in `connect`; the authorization may be renewed (under `lock`) by concurrent layer reads.
  let reference: RegistryReference
  let displayName: String
  private let endpoint: HTTPEndpoint
  private let caFile: String?
  private let proxies: ProxySettings
  private let credentials: RegistryCredentials?
  /// The `Authorization` header to send, and the challenge the registry's `/v2/` answered with.
  private let login = Mutex<(authorization: String?, challenge: String?)>((nil, nil))

  /// Manifest media types strata accepts, in the order it prefers them.
  static let manifestTypes = [
    "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
  ]

  /// Attempts for a request refused with 429 or 5xx, or cut off, before giving up.
  static let attempts = 4
  /// Times a blob whose download broke after it began is resumed from where it stopped.
  static let resumes = 4

  private init(
    reference: RegistryReference, displayName: String, endpoint: HTTPEndpoint, caFile: String?,
    proxies: ProxySettings, credentials: RegistryCredentials?
  ) {
    self.reference = reference
    self.displayName = displayName
    self.endpoint = endpoint
    self.caFile = caFile
    self.proxies = proxies
    self.credentials = credentials
  }

  /// Reaches the registry of `reference` and learns how it wants to be asked (`GET /v2/`).
  static func connect(
    _ reference: RegistryReference, displayName: String, insecure: Set<String>, environment: (String) -> String?
  ) throws -> RegistryClient {
    let caFile = Self.caFile(for: reference.host, environment: environment)
    let credentials: RegistryCredentials?
    do throws(CredentialHelper.HelperError) {
      credentials = try RegistryCredentials.lookup(host: reference.host, environment: environment)
    } catch {
      throw ImageLoadError(.permissionDenied, file: displayName, error.message)
    }
    let plainAllowed =
      reference.isLoopback || insecure.contains(reference.host) || insecure.contains(reference.hostName)
    var schemes = ["https"]
    if plainAllowed { schemes.append("http") }
    var lastError: HTTPError?
    for scheme in schemes {
      let client = RegistryClient(
        reference: reference, displayName: displayName,
        endpoint: HTTPEndpoint(baseURL: "\(scheme)://\(reference.host)"),
        caFile: caFile, proxies: ProxySettings(environment: environment), credentials: credentials)
      do throws(HTTPError) {
        let ping = try HTTPClient.get("/v2/", from: client.endpoint, limit: 1 << 20, options: client.options([]))
        // Plain HTTP to a TLS port: the registry answers 400; the TLS failure is the real story.
        if scheme == "http", ping.status == 400, let lastError { throw lastError }
        let challenge = ping.status == 401 ? ping.header("www-authenticate") : nil
        client.login.withLock { $0.challenge = challenge }
        return client
      } catch {
        lastError = error
        // A plain-HTTP registry answers a TLS hello with garbage; try plain HTTP where allowed.
        if scheme == "https" && plainAllowed && (error.kind == .tls || error.kind == .other) { continue }
      }
    }
    throw connectError(lastError ?? HTTPError(.other, "no answer"), reference: reference, displayName: displayName)
  }

  private static func connectError(_ error: HTTPError, reference: RegistryReference, displayName: String)
    -> ImageLoadError
  {
    switch error.kind {
    case .tls:
      return ImageLoadError(
        .transferFailed, file: displayName,
        "TLS verification of \(reference.host) failed (\(error.message)); trust its CA with SSL_CERT_FILE or /etc/docker/certs.d/\(reference.host)/ca.crt, or for a registry without TLS use --insecure-registry \(reference.host)"
      )
    case .cannotConnect:
      return ImageLoadError(
        .transferFailed, file: displayName, "cannot reach the registry \(reference.host): \(error.message)")
    case .timedOut:
      return ImageLoadError(.transferFailed, file: displayName, "the registry \(reference.host) did not answer in time")
    default:
      return ImageLoadError(
        .transferFailed, file: displayName, "talking to the registry \(reference.host) failed: \(error.message)")
    }
  }

  /// A CA bundle to trust for `host`: `SSL_CERT_FILE`, else docker's or podman's
  /// `certs.d/HOST/ca.crt`; nil means the system's.
  static func caFile(for host: String, environment: (String) -> String?) -> String? {
    if let file = environment("SSL_CERT_FILE"), !file.isEmpty { return file }
    for directory in ["/etc/docker/certs.d", "/etc/containers/certs.d"] {
      let candidate = "\(directory)/\(host)/ca.crt"
      if access(candidate, R_OK) == 0 { return candidate }
    }
    return nil
  }

  private func options(_ headers: [String], redirects: Bool = false) -> HTTPOptions {
    var options = HTTPOptions()
    options.headers = headers
    if let authorization = login.withLock({ $0.authorization }) { options.headers.append(authorization) }
    options.caFile = caFile
    proxies.apply(to: &options, url: endpoint.baseURL)
    options.followRedirects = redirects
    return options
  }

  // MARK: Requests

  /// A manifest (by tag or digest) or a small blob, whole (or the part a `Range` header in
  /// `headers` asks for). 401 leads to a login and one retry; 429, 5xx and broken transfers to
  /// retries with backoff.
  func get(_ path: String, accept: [String] = [], headers extra: [String] = [], limit: Int) throws -> HTTPResponse {
    var renewed = false
    var attempt = 0
    while true {
      attempt += 1
      let headers = (accept.isEmpty ? [] : ["Accept: " + accept.joined(separator: ", ")]) + extra
      let response: HTTPResponse
      do {
        response = try HTTPClient.get(
          path, from: endpoint, limit: limit, timeout: 60, options: options(headers, redirects: true))
      } catch {
        if error.kind == .tooLarge {
          throw ImageLoadError(
            .tooLarge, file: displayName,
            "the registry's answer to \(path) is larger than \(limit) bytes, more than a manifest or config may have")
        }
        if (error.kind == .interrupted || error.kind == .timedOut) && attempt < Self.attempts {
          backoff(attempt)
          continue
        }
        if error.kind == .interrupted {
          throw ImageLoadError(
            .transferFailed, file: displayName,
            "the download of \(path) broke \(attempt) times (\(error.message)); nothing is reported from a partial image"
          )
        }
        throw Self.connectError(error, reference: reference, displayName: displayName)
      }
      if response.status == 401 && !renewed {
        try logIn(challenge: response.header("www-authenticate"))
        renewed = true
        continue
      }
      if (response.status == 429 || response.status >= 500) && attempt < Self.attempts {
        backoff(attempt, retryAfter: response.header("retry-after"))
        continue
      }
      return response
    }
  }

  /// Starts streaming the blob `digest`, checked against it (and `size`) as it arrives. A redirect
  /// (to blob storage) is followed without the `Authorization` header when it leaves the host; a
  /// download that breaks resumes with a range request into the same stream and hash.
  func streamBlob(_ digest: String, size: Int64?) throws -> HTTPStream {
    var renewed = false
    var attempt = 0
    while true {
      attempt += 1
      var options = self.options([], redirects: true)
      options.expectedDigest = digest
      options.maxBodyBytes = size
      options.resumeAttempts = Self.resumes
      // A token that expires during a long download is renewed for the resume that needs it.
      options.renewHeaders = { [self] challenge in
        guard (try? logIn(challenge: challenge)) != nil else { return nil }
        return self.options([], redirects: true).headers
      }
      let stream: HTTPStream
      let response: HTTPResponse
      do {
        stream = try HTTPClient.stream(blobPath(digest), from: endpoint, stallTimeout: 120, options: options)
        response = try stream.response()
      } catch {
        if (error.kind == .interrupted || error.kind == .timedOut) && attempt < Self.attempts {
          backoff(attempt)
          continue
        }
        throw Self.connectError(error, reference: reference, displayName: displayName)
      }
      if response.status == 200 { return stream }
      if response.status == 401 && !renewed {
        try logIn(challenge: response.header("www-authenticate"))
        renewed = true
        continue
      }
      if (response.status == 429 || response.status >= 500) && attempt < Self.attempts {
        backoff(attempt, retryAfter: response.header("retry-after"))
        continue
      }
      throw statusError(response, what: "blob \(digest)")
    }
  }

  func manifestPath(_ reference: String) -> String { "/v2/\(self.reference.repository)/manifests/\(reference)" }
  func blobPath(_ digest: String) -> String { "/v2/\(reference.repository)/blobs/\(digest)" }

  /// The error for a status other than 200, in words that say what to do.
  func statusError(_ response: HTTPResponse, what: String) -> ImageLoadError {
    let host = reference.displayHost
    let code = (try? JSONValue.parse(response.body))?["errors"]?.arrayValue?.first?["code"]?.stringValue
    switch response.status {
    case 401, 403:
      let given = credentials.map { " with the \($0)" } ?? ""
      return ImageLoadError(
        .permissionDenied, file: displayName,
        "the registry refused access (\(response.status))\(given); log in with `docker login \(host)` or `podman login \(host)`"
      )
    case 404:
      if code == "NAME_UNKNOWN" {
        return ImageLoadError(.noSuchImage, file: displayName, "no repository \(reference.repository) on \(host)")
      }
      return ImageLoadError(
        .noSuchImage, file: displayName, "\(what) is not in \(reference.repository) on \(host) (404)")
    case 429:
      return ImageLoadError(
        .transferFailed, file: displayName,
        "the registry \(host) keeps refusing with 429 (rate limited); try again later or log in")
    default:
      let message = (try? JSONValue.parse(response.body))?["errors"]?.arrayValue?.first?["message"]?.stringValue
      return ImageLoadError(
        .transferFailed, file: displayName,
        "the registry \(host) answered \(response.status) for \(what)\(message.map { ": \($0)" } ?? "")")
    }
  }

  private func backoff(_ attempt: Int, retryAfter: String? = nil) {
    var seconds = Double(1 << min(attempt - 1, 4)) * 0.25
    if let retryAfter, let given = Double(retryAfter) { seconds = min(max(given, seconds), 10) }
    usleep(UInt32(seconds * 1_000_000))
  }

  // MARK: Login

  /// Answers a `WWW-Authenticate` challenge: Basic with the stored credentials, or a Bearer
  /// token from the realm (anonymous when there are no credentials).
  private func logIn(challenge given: String?) throws {
    guard let text = given ?? login.withLock({ $0.challenge }) else {
      throw ImageLoadError(
        .permissionDenied, file: displayName,
        "the registry \(reference.displayHost) refused access without saying how to log in")
    }
    let (scheme, parameters) = Self.parseChallenge(text)
    if scheme == "basic" {
      guard let credentials, !credentials.identityToken else {
        throw ImageLoadError(
          .permissionDenied, file: displayName,
          "the registry \(reference.displayHost) needs a login; run `docker login \(reference.displayHost)` or `podman login \(reference.displayHost)`"
        )
      }
      login.withLock { $0.authorization = credentials.basicHeader }
      return
    }
    guard scheme == "bearer", let realm = parameters["realm"] else {
      throw ImageLoadError(
        .permissionDenied, file: displayName,
        "the registry \(reference.displayHost) asks for an unsupported login (\(scheme))")
    }
    var query: [String] = []
    if let service = parameters["service"] { query.append("service=" + Self.percentEncode(service)) }
    query.append("scope=" + Self.percentEncode(parameters["scope"] ?? "repository:\(reference.repository):pull"))
    let separator = realm.contains("?") ? "&" : "?"
    var options = HTTPOptions()
    options.caFile = caFile
    proxies.apply(to: &options, url: realm)
    var path = separator + query.joined(separator: "&")
    if let credentials, credentials.identityToken {
      // An identity token is exchanged as docker does: an OAuth2 refresh-token grant, POSTed.
      options.formBody =
        query.joined(separator: "&") + "&grant_type=refresh_token&client_id=strata&refresh_token="
        + Self.percentEncode(credentials.secret)
      path = ""
    } else if let credentials {
      options.headers = [credentials.basicHeader]
    }
    let answer: HTTPResponse
    do {
      answer = try HTTPClient.get(path, from: HTTPEndpoint(baseURL: realm), limit: 1 << 20, options: options)
    } catch {
      throw ImageLoadError(
        .transferFailed, file: displayName,
        "the registry's token service \(Self.hostOf(realm)) failed: \(error.message)")
    }
    guard answer.status == 200 else {
      throw statusError(HTTPResponse(status: answer.status == 200 ? 401 : answer.status, body: []), what: "a token")
    }
    let json = try? JSONValue.parse(answer.body)
    guard let token = json?["token"]?.stringValue ?? json?["access_token"]?.stringValue, !token.isEmpty else {
      throw ImageLoadError(.transferFailed, file: displayName, "the registry's token service sent no token")
    }
    login.withLock { $0.authorization = "Authorization: Bearer " + token }
  }

  /// `Bearer realm="…",service="…"` → ("bearer", [realm: …, service: …]).
  static func parseChallenge(_ text: String) -> (String, [String: String]) {
    let trimmed = text.drop { $0 == " " }
    let space = trimmed.firstIndex(of: " ") ?? trimmed.endIndex
    let scheme = trimmed[..<space].lowercased()
    var parameters: [String: String] = [:]
    var rest = trimmed[space...]
    while !rest.isEmpty {
      rest = rest.drop { $0 == " " || $0 == "," }
      guard let equals = rest.firstIndex(of: "=") else { break }
      let key = rest[..<equals].trimmingCharacters(in: " ").lowercased()
      rest = rest[rest.index(after: equals)...]
      var value = ""
      if rest.first == "\"" {
        rest = rest.dropFirst()
        while let character = rest.first, character != "\"" {
          if character == "\\", let next = rest.dropFirst().first {
            value.append(next)
            rest = rest.dropFirst(2)
          } else {
            value.append(character)
            rest = rest.dropFirst()
          }
        }
        rest = rest.dropFirst()
      } else {
        let end = rest.firstIndex(of: ",") ?? rest.endIndex
        value = String(rest[..<end])
        rest = rest[end...]
      }
      parameters[key] = value
    }
    return (scheme, parameters)
  }

  static func percentEncode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      let safe =
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        || [
          UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: ":"),
          UInt8(ascii: "/"),
        ].contains(byte)
      if safe {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let digits = Array("0123456789ABCDEF".utf8)
        out += "%" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
      }
    }
    return out
  }

  private static func hostOf(_ url: String) -> String {
    var text = Substring(url)
    for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
    return String(text.prefix { $0 != "/" && $0 != "?" })
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    var text = self
    while text.first == set { text = text.dropFirst() }
    while text.last == set { text = text.dropLast() }
    return String(text)
  }
}
