import Glibc

/// The file of certificate authorities HTTPS connections trust: the system's bundle, found at run time.
///
/// The portable binary links its own libcurl and OpenSSL, which know no system's layout (they are
/// built without a compiled-in bundle, Scripts/release/libcurl.sh), and it runs on Debian, Ubuntu,
/// RHEL, Fedora, Amazon Linux, SUSE and Alpine, which keep the bundle in different places. The
/// list is the one Go's crypto/x509 searches on Linux. When none exists, OpenSSL's own default
/// applies (its `SSL_CERT_FILE` and `SSL_CERT_DIR` variables).
package enum CertificateAuthorities {
  /// The variables that name a bundle, first the one that wins: curl's and OpenSSL's.
  package static let variables = ["CURL_CA_BUNDLE", "SSL_CERT_FILE"]

  /// Where distributions keep the bundle, in the order they are tried.
  package static let systemBundles = [
    "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Gentoo, Arch, Alpine
    "/etc/pki/tls/certs/ca-bundle.crt",  // RHEL, Fedora, CentOS, Amazon Linux
    "/etc/ssl/ca-bundle.pem",  // openSUSE, SLES
    "/etc/pki/tls/cacert.pem",  // OpenELEC
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7 and later
    "/etc/ssl/cert.pem",  // Alpine, macOS
  ]

  /// The bundle to use: a non-empty variable of `variables` in `environment`, else the first of
  /// `systemBundles` that `exists` says is there; nil leaves the choice to OpenSSL.
  package static func bundle(
    environment: [String: String], exists: (String) -> Bool = CertificateAuthorities.isReadableFile
  ) -> String? {
    for name in variables {
      if let path = environment[name], !path.isEmpty { return path }
    }
    return systemBundles.first(where: exists)
  }

  /// The bundle for this process: its environment, this machine's files. Looked up once.
  static let current: String? = {
    var environment: [String: String] = [:]
    for name in variables {
      if let value = getenv(name) { environment[name] = String(cString: value) }
    }
    return bundle(environment: environment)
  }()

  /// Whether `path` is a file this process can read.
  package static func isReadableFile(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
  }
}
