/// A built-in path pattern and what it means.
struct PathRule: Sendable {
  var glob: Glob
  var category: WasteCategory
  /// Sub-kind for the fix text (`apt-lists`, `pip`, …).
  var kind: String
}

/// The built-in patterns for caches, bytecode, leftovers, toolchains and docs.
enum PathRules {
  static let all: [PathRule] = {
    var rules: [PathRule] = []
    func add(_ category: WasteCategory, _ kind: String, _ globs: [String]) {
      rules += globs.map { PathRule(glob: Glob($0), category: category, kind: kind) }
    }
    add(.packageCache, "apt-lists", ["/var/lib/apt/lists/**"])
    add(.packageCache, "apt-archives", ["/var/cache/apt/archives/**"])
    add(.packageCache, "apt-pkgcache", ["/var/cache/apt/*.bin"])
    add(.packageCache, "apt-cache", ["/var/cache/apt/**"])
    add(.packageCache, "apk", ["/var/cache/apk/**", "/etc/apk/cache/**"])
    add(.packageCache, "dnf", ["/var/cache/dnf/**", "/var/cache/yum/**", "/var/lib/dnf/repos/**"])
    add(.languageCache, "pip", ["**/.cache/pip/**"])
    add(.languageCache, "npm", ["**/.npm/_cacache/**", "**/.npm/_logs/**"])
    add(
      .languageCache, "yarn",
      ["**/.cache/yarn/**", "/usr/local/share/.cache/yarn/**", "**/.yarn/cache/**", "**/.yarn-cache/**"])
    add(.languageCache, "pnpm", ["**/.pnpm-store/**", "**/.local/share/pnpm/store/**", "**/.cache/pnpm/**"])
    add(.languageCache, "go", ["**/.cache/go-build/**", "/go/pkg/mod/cache/**", "**/go/pkg/mod/cache/**"])
    add(.languageCache, "maven", ["**/.m2/repository/**"])
    add(.languageCache, "gradle", ["**/.gradle/caches/**"])
    add(.languageCache, "cargo", ["**/.cargo/registry/**", "**/.cargo/git/**"])
    add(
      .languageCache, "gem",
      [
        "/usr/local/bundle/cache/**", "**/.gem/**/cache/**", "/var/lib/gems/*/cache/**",
        "/usr/local/lib/ruby/gems/*/cache/**",
      ])
    add(.languageCache, "composer", ["**/.composer/cache/**", "**/.cache/composer/**"])
    add(.leftover, "tmp", ["/tmp/**", "/var/tmp/**"])
    add(.leftover, "log", ["/var/log/**", "**/*.log"])
    add(.leftover, "vcs", ["**/.git/**", "**/.svn/**", "**/.hg/**"])
    add(.leftover, "junk", ["**/*~", "**/*.swp", "**/*.swo", "**/.DS_Store", "**/Thumbs.db", "**/*.orig", "**/*.rej"])
    add(.bytecode, "pyc", ["**/__pycache__/**", "**/*.pyc", "**/*.pyo"])
    add(
      .toolchain, "compiler",
      [
        "/usr/bin/gcc*", "/usr/bin/g++*", "/usr/bin/cc", "/usr/bin/c++", "/usr/bin/cpp*", "/usr/bin/*-linux-gnu-*",
        "/usr/bin/clang*", "/usr/lib/gcc/**", "/usr/libexec/gcc/**", "/usr/lib/llvm-*/**", "/usr/bin/rustc",
        "**/.rustup/toolchains/**", "/usr/local/go/**", "/usr/lib/go-*/**", "/usr/bin/make", "/usr/bin/cmake",
        "/usr/share/cmake*/**",
      ])
    add(.toolchain, "headers", ["/usr/include/**", "/usr/local/include/**"])
    add(.docs, "docs", ["/usr/share/doc/**", "/usr/share/man/**", "/usr/share/info/**", "/usr/local/share/man/**"])
    add(.docs, "locale", ["/usr/share/locale/**", "/usr/share/i18n/**"])
    return rules
  }()

  /// Every built-in rule compiled into one matcher.
  static let matcher = PathMatcher(all.map(\.glob))

  /// The first built-in rule (in declaration order) matching a `/`-rooted path.
  static func match(_ path: String) -> PathRule? {
    matcher.firstMatch(path).map { all[$0] }
  }
}
