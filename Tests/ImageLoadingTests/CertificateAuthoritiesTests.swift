import Foundation
import HTTPIO
import Testing

import TestSupport

/// Which CA bundle HTTPS connections trust: a variable that names one, else the system's, wherever
/// the distribution keeps it (the portable binary's OpenSSL knows no system's layout).
@Suite("The certificate authorities HTTPS trusts")
struct CertificateAuthoritiesTests {
  @Test("curl's and OpenSSL's variables win, curl's first; an empty one is ignored")
  func variablesFirst() {
    let everywhere: (String) -> Bool = { _ in true }
    #expect(CertificateAuthorities.bundle(environment: ["SSL_CERT_FILE": "/a.pem"], exists: everywhere) == "/a.pem")
    #expect(
      CertificateAuthorities.bundle(
        environment: ["SSL_CERT_FILE": "/a.pem", "CURL_CA_BUNDLE": "/b.pem"], exists: everywhere)
        == "/b.pem")
    #expect(
      CertificateAuthorities.bundle(environment: ["CURL_CA_BUNDLE": ""], exists: everywhere)
        == "/etc/ssl/certs/ca-certificates.crt")
  }

  @Test("Debian's bundle, else RHEL's, else SUSE's …; none leaves OpenSSL's default")
  func systemBundles() {
    #expect(
      CertificateAuthorities.bundle(environment: [:], exists: { $0.hasPrefix("/etc/pki/tls/certs/") })
        == "/etc/pki/tls/certs/ca-bundle.crt")
    #expect(
      CertificateAuthorities.bundle(environment: [:], exists: { $0 == "/etc/ssl/ca-bundle.pem" })
        == "/etc/ssl/ca-bundle.pem")
    #expect(CertificateAuthorities.bundle(environment: [:], exists: { _ in false }) == nil)
  }

  @Test("A readable regular file counts; a folder or a missing path does not")
  func readableFiles() throws {
    try withTemporaryDirectory { directory in
      let file = directory.appendingPathComponent("bundle.pem")
      try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: file)
      #expect(CertificateAuthorities.isReadableFile(file.path))
      #expect(!CertificateAuthorities.isReadableFile(directory.path))
      #expect(!CertificateAuthorities.isReadableFile(directory.appendingPathComponent("missing").path))
    }
  }
}
