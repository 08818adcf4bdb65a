import Testing

@testable import Analysis

/// `SensitiveFiles.mayMatch` is the cheap test asked of every file before `classify`: it must
/// never say no where `classify` would name a kind.
@Suite struct SensitiveFilesTests {
  static let named = [
    "/root/.ssh/id_rsa", "/home/u/.ssh/id_ed25519_sk", "/srv/a.p12", "/srv/a.pfx", "/srv/store.jks",
    "/srv/b.keystore", "/srv/cert.pem", "/srv/tls.key", "/app/.env", "/app/.env.production", "/root/.npmrc",
    "/root/.pypirc", "/root/.git-credentials", "/root/.netrc", "/app/.yarnrc.yml", "/etc/pip.conf",
    "/root/.dockercfg", "/root/.docker/config.json", "/root/.kube/config", "/root/.aws/credentials",
    "/root/.config/gcloud/application_default_credentials.json", "/root/.azure/accessTokens.json",
  ]

  @Test(arguments: named) func a_name_classify_knows_passes_the_cheap_test(path: String) throws {
    let name = String(path.split(separator: "/").last ?? "")
    #expect(SensitiveFiles.classify(path) != nil)
    #expect(SensitiveFiles.mayMatch(name: name))
  }

  @Test(arguments: [
    "/usr/lib/python3/dist-packages/numpy/core/_multiarray.py", "/etc/os-release", "/usr/share/doc/key",
    "/srv/a.keys", "/srv/pem", "/srv/.p12x", "/app/env", "/app/identity_rsa", "/etc/configs", "/etc/credential",
    "/srv/a.k\u{e9}y", "/srv/a.key\u{301}",
  ])
  func other_names_fail_both_tests(path: String) throws {
    let name = String(path.split(separator: "/").last ?? "")
    #expect(SensitiveFiles.classify(path) == nil)
    #expect(!SensitiveFiles.mayMatch(name: name))
  }

  @Test func the_cheap_test_compares_bytes_and_classify_characters() {
    // U+0600 joins the `.` after it into one character: the bytes end in `.key`, the characters
    // do not. The cheap test may say yes where `classify` says no, never the other way round.
    #expect(SensitiveFiles.mayMatch(name: "\u{600}.key"))
    #expect(SensitiveFiles.classify("/srv/\u{600}.key") == nil)
  }
}
