import Analysis
import Foundation
import ImageLoading
import ImageModel
import MergedTree
import Testing
import TestSupport

/// Builds a legacy docker-archive from layers, loads it and runs the waste analysis.
private func waste(
  _ layers: [(TarBuilder, String)], config: WasteConfig = WasteConfig(), compression: TarCompression = .none
) throws -> WasteReport {
  let specs = try layers.map { try LayerSpec($0.0, command: $0.1) }
  let bytes = try ImageArchiveBuilder(.dockerLegacy, ImageSpec(tags: ["t:1"], layers: specs)).build(compression)
  var options = LoadOptions()
  options.contentNeeds = WasteAnalyzer.contentNeeds  // what a stream keeps for the analysis
  return try withTemporaryFile(bytes) { path in
    WasteAnalyzer.analyze(Analyzer.analyze(try ImageLoader.load(path, options: options)), config: config)
  }
}

private func findings(_ report: WasteReport, _ category: WasteCategory) -> [WasteFinding] {
  report.findings.filter { $0.category == category.rawValue }
}

@Suite("Waste findings on the real wasteful fixture")
struct WastefulFixtureTests {
  let analysis: ImageAnalysis
  let report: WasteReport

  init() throws {
    let image = try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path)
    analysis = Analyzer.analyze(image)
    report = WasteAnalyzer.analyze(analysis)
  }

  /// Findings come from a dictionary whose order changes from run to run; the report must not.
  @Test func findings_are_in_one_order_whatever_the_dictionary_order() {
    for (first, second) in zip(report.findings, report.findings.dropFirst()) {
      #expect(first.tier <= second.tier)
      guard first.tier == second.tier else { continue }
      #expect(first.bytes > second.bytes || (first.bytes == second.bytes && first.category < second.category))
    }
  }

  @Test func one_finding_per_category_with_a_line_per_layer() throws {
    #expect(Set(report.findings.map(\.category)).count == report.findings.count)
    let hidden = try #require(findings(report, .hiddenLater).first)
    #expect(hidden.bytes == 307_257 && hidden.fileCount == 4)
    let lines = hidden.layers.map { [$0.layer, $0.hiddenBy ?? -1, Int($0.bytes), $0.fileCount] }
    #expect(lines == [[4, 7, 307_200, 1], [3, 9, 57, 3]])
    #expect(hidden.layer == 4 && hidden.hiddenBy == 7, "the finding's own layer is its largest line's")
    #expect(hidden.paths.first.map { [$0.path, String($0.layer)] } == ["/tmp/sdk-installer.tar.gz", "4"])
    let secrets = try #require(findings(report, .sensitive).first)
    #expect(secrets.layers.map(\.layer) == [5, 8] && secrets.fixes.count == 1)
  }

  @Test func each_mistake_is_in_its_finding_with_its_bytes_and_layer() throws {
    let apt = try #require(findings(report, .packageCache).first)
    #expect(apt.layer == 1 && apt.bytes == 204_800 && apt.fileCount == 4, "the empty lock file is no waste")
    let pip = try #require(findings(report, .languageCache).first)
    #expect(pip.layer == 2 && pip.bytes == 92_241)
    let chown = try #require(findings(report, .metadataRewrite).first)
    #expect(chown.layer == 5 && chown.hiddenBy == 8 && chown.bytes == 138_428 && chown.fileCount == 14)
    #expect(chown.paths.first?.detail == "mode 644→664, owner 0:0→1000:1000")
    let duplicate = try #require(findings(report, .duplicate).first)
    #expect(duplicate.bytes == 102_400 && duplicate.paths.first?.path == "/app/data/model.bin")
    #expect(duplicate.paths.first?.detail == "same content as /opt/app/model.bin")
    let secrets = findings(report, .sensitive)
    #expect(secrets.allSatisfy { $0.severity == .high && $0.tier == .review && !$0.countsTowardTotal })
    #expect(Set(secrets.flatMap { $0.paths.map(\.path) }) == ["/app/id_rsa", "/app/.env"])
    #expect(findings(report, .leftover).first?.paths.first?.path == "/app/.git/objects/pack/pack-1d2c3b4a.pack")
    #expect(findings(report, .bytecode).first?.bytes == 2_208)
    #expect(report.findings.allSatisfy { $0.bytes > 0 && $0.paths.allSatisfy { $0.bytes > 0 } })
  }

  @Test func totals_count_each_byte_once_per_tier() {
    #expect(report.bytes(in: .removable) == 307_257 + 138_428)
    #expect(report.bytes(in: .caches) == 204_800 + 92_241 + 32_938)
    #expect(report.reclaimableBytes == 775_664)
    #expect(report.reviewBytes == 102_400 + 2_208 + 675, "the copies of the secrets the chown layer hid are removable")
    #expect(report.bytesByCategory.values.reduce(0, +) == report.reclaimableBytes + report.reviewBytes)
    #expect(report.imageBytes == 2_966_048)
  }

  @Test func every_present_path_knows_its_waste_beyond_the_listed_paths() throws {
    func waste(_ path: String) throws -> PathWaste? {
      report.pathWaste[try #require(analysis.tree.lookup(path), "no node at \(path)")]
    }
    #expect(
      try waste("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4")
        == PathWaste(present: "package-cache", hidden: nil, hiddenBytes: 0))
    // The chown layer rewrote /app: the lower copies are metadata rewrites, the present copy
    // keeps its own category (leftover, duplicate) or none.
    #expect(try waste("app/main.py") == PathWaste(present: nil, hidden: "metadata-rewrite", hiddenBytes: 133))
    #expect(try waste("app/main.py")?.category == "metadata-rewrite")
    #expect(
      try waste("app/.git/index") == PathWaste(present: "leftover", hidden: "metadata-rewrite", hiddenBytes: 2048))
    #expect(try waste("app/data/model.bin")?.present == "duplicate")
    #expect(try waste("app/id_rsa")?.present == "sensitive")
    #expect(try waste("opt/app/model.bin") == nil)
    #expect(try waste("bin/busybox") == nil)
    // Deleted paths are not in the final filesystem, so they have no entry.
    #expect(analysis.tree.lookup("tmp/sdk-installer.tar.gz").map { report.pathWaste[$0] } == .some(nil))
    // The opaque whiteout hid the first app.conf (26 bytes); a later layer wrote it again.
    #expect(
      try waste("etc/myapp/app.conf") == PathWaste(present: nil, hidden: "hidden-by-later-layer", hiddenBytes: 26))
    // Each copy is counted once: the hidden bytes of present paths are the chown layer's lower
    // copies of /app and that first app.conf.
    let hiddenTotal = report.pathWaste.values.reduce(Int64(0)) { $0 + $1.hiddenBytes }
    #expect(hiddenTotal == 138_428 + 26)
  }

  @Test func layer_lines_name_the_commands_and_fixes_fit_them() throws {
    let deleted = try #require(findings(report, .hiddenLater).first?.layers.first)
    #expect(deleted.hiddenByCommand?.contains("rm -f /tmp/sdk-installer.tar.gz") == true)
    #expect(findings(report, .hiddenLater).first?.fixes.first?.contains("same RUN") == true)
    let chown = try #require(findings(report, .metadataRewrite).first)
    #expect(chown.fix.contains("COPY --chown"))
  }

  @Test func the_clean_multi_stage_equivalent_has_no_findings() throws {
    let image = try ImageLoader.load(fixtureURL("images/wasteful-clean/wasteful-clean.tar").path)
    let clean = WasteAnalyzer.analyze(Analyzer.analyze(image))
    #expect(clean.findings.isEmpty)
    #expect(clean.reclaimableBytes == 0)
  }

  @Test func streaming_gives_the_same_findings() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let compressed = directory.appendingPathComponent("w.tar.gz").path
    let gzip = try ChildProcess.run(
      "gzip", ["-c", fixtureURL("images/wasteful/wasteful.tar").path], output: .file(compressed), timeout: 60)
    #expect(gzip.status == 0, "\(gzip.stderr)")
    var options = LoadOptions()
    options.contentNeeds = WasteAnalyzer.contentNeeds
    let streamed = WasteAnalyzer.analyze(Analyzer.analyze(try ImageLoader.load(compressed, options: options)))
    #expect(streamed.reclaimableBytes == report.reclaimableBytes)
    #expect(streamed.findings.map(\.category) == report.findings.map(\.category))
  }
}

@Suite("Waste categories")
struct WasteCategoryTests {
  let base = TarBuilder().dir("etc").file("etc/os-release", text: "ID=test\n")

  @Test func apt_lists_hint_quotes_the_missing_cleanup() throws {
    let report = try waste([
      (base, "ADD rootfs /"),
      (
        TarBuilder().dir("var/lib/apt/lists").file("var/lib/apt/lists/x_Packages", size: 5000),
        "/bin/sh -c apt-get update && apt-get install -y curl"
      ),
    ])
    let finding = try #require(findings(report, .packageCache).first)
    #expect(finding.bytes == 5000 && finding.layer == 1)
    #expect(finding.fix.contains("without `rm -rf /var/lib/apt/lists/*`"))
  }

  @Test func pip_without_no_cache_dir_is_named() throws {
    let report = try waste([
      (base, "ADD rootfs /"),
      (TarBuilder().file("root/.cache/pip/http/a", size: 3000), "/bin/sh -c pip install requests"),
    ])
    #expect(findings(report, .languageCache).first?.fix.contains("--no-cache-dir") == true)
  }

  @Test func deleted_directory_counts_every_lower_file() throws {
    let report = try waste([
      (base.dir("build").file("build/a.o", size: 1000).file("build/b.o", size: 2000), "make"),
      (TarBuilder().whiteout("build"), "rm -rf /build"),
    ])
    let finding = try #require(findings(report, .hiddenLater).first)
    #expect(finding.bytes == 3000 && finding.fileCount == 2 && finding.hiddenBy == 1)
    #expect(report.reclaimableBytes == 3000)
  }

  @Test func a_rewrite_with_no_change_is_not_called_an_owner_change() throws {
    let report = try waste([
      (
        base.file("var/cache/debconf/templates.dat", size: 6000).file("var/lib/apt/lists/lock", size: 0),
        "apt-get install -y python3"
      ),
      (
        TarBuilder().file(
          "var/cache/debconf/templates.dat", TarBuilder.content(of: "var/cache/debconf/templates.dat", size: 6000)
        )
        .file("var/lib/apt/lists/lock", size: 0), "apt-get install -y build-essential"
      ),
    ])
    #expect(findings(report, .metadataRewrite).isEmpty)
    let same = try #require(findings(report, .unchangedRewrite).first)
    #expect(same.title == "Rewritten by a later layer with no change" && same.tier == .removable)
    #expect(same.paths.map(\.path) == ["/var/cache/debconf/templates.dat"] && same.bytes == 6000)
    #expect(same.paths.first?.detail == "same content, owner and mode")
    #expect(!same.fix.contains("--chown"))
    #expect(report.reclaimableBytes == 6000)
  }

  @Test func a_category_of_empty_files_only_is_a_note_not_a_finding() throws {
    let report = try waste([
      (base.file("var/lib/apt/lists/lock", size: 0), "apt-get update"),
      (TarBuilder().file("var/lib/apt/lists/lock", size: 0), "apt-get update"),
    ])
    #expect(report.findings.isEmpty)
    #expect(report.notes.contains { $0.contains("1 empty file only") && $0.contains("/var/lib/apt/lists/lock") })
  }

  @Test func apt_s_binary_caches_are_not_called_downloaded_debs() throws {
    let report = try waste([
      (
        base.file("var/cache/apt/srcpkgcache.bin", size: 9000).file("var/cache/apt/archives/x.deb", size: 1000),
        "/bin/sh -c apt-get update && apt-get install -y curl"
      )
    ])
    let finding = try #require(findings(report, .packageCache).first)
    #expect(finding.fixes.count == 2)
    #expect(finding.fixes[0].contains("srcpkgcache.bin") && !finding.fixes[0].contains(".deb"))
    #expect(finding.fixes[1].contains("Downloaded .deb files"))
  }

  /// The "full" style: python3 and build-essential installed on purpose, apt caches left.
  @Test func caches_are_reclaimable_and_a_toolchain_is_to_review() throws {
    let report = try waste([
      (base, "ADD rootfs /"),
      (
        TarBuilder().file("var/lib/apt/lists/deb_Packages", size: 8000).file("var/cache/apt/pkgcache.bin", size: 3000)
          .file("usr/bin/python3.11", size: 5000), "/bin/sh -c apt-get update && apt-get install -y python3"
      ),
      (
        TarBuilder().file("usr/bin/gcc-12", size: 20000).file("usr/include/stdio.h", size: 1000)
          .file("usr/share/doc/gcc/README", size: 500), "/bin/sh -c apt-get install -y build-essential"
      ),
    ])
    #expect(report.reclaimableBytes == 11000)
    #expect(report.bytes(in: .caches) == 11000)
    #expect(report.reviewBytes == 21500)
    #expect(findings(report, .toolchain).first?.tier == .review)
    #expect(findings(report, .packageCache).first?.tier == .caches)
  }

  @Test func chmod_only_rewrite_is_told_apart_from_a_real_change() throws {
    let report = try waste([
      (base.file("app/same", size: 4096).file("app/changed", size: 4096), "COPY app /app"),
      (
        TarBuilder().file("app/same", TarBuilder.content(of: "app/same", size: 4096), mode: 0o755)
          .file("app/changed", size: 4096, seed: 99), "chmod -R +x /app"
      ),
    ])
    let rewrite = try #require(findings(report, .metadataRewrite).first)
    #expect(rewrite.paths.map(\.path) == ["/app/same"])
    #expect(rewrite.paths.first?.detail == "mode 644→755")
    let overwritten = try #require(findings(report, .hiddenLater).first)
    #expect(overwritten.paths.map(\.path) == ["/app/changed"])
    #expect(report.reclaimableBytes == 8192)
  }

  @Test func duplicates_need_equal_content_not_just_equal_size() throws {
    let content = TarBuilder.content(size: 5000, seed: 7)
    let report = try waste([
      (base.file("a/one", content).file("b/two", content).file("c/other", size: 5000, seed: 8), "COPY . /")
    ])
    let duplicate = try #require(findings(report, .duplicate).first)
    #expect(duplicate.paths.map(\.path) == ["/b/two"])
    #expect(duplicate.bytes == 5000)
  }

  @Test func hard_links_are_not_duplicates() throws {
    let report = try waste([(base.file("a/one", size: 5000).hardlink("a/two", to: "a/one"), "COPY . /")])
    #expect(findings(report, .duplicate).isEmpty)
  }

  @Test func bytecode_from_a_build_step_says_so() throws {
    let report = try waste([
      (base.file("app/m.py", size: 100), "COPY . /app"),
      (TarBuilder().file("app/__pycache__/m.cpython-311.pyc", size: 300), "/bin/sh -c python -m compileall /app"),
    ])
    let finding = try #require(findings(report, .bytecode).first)
    #expect(finding.note?.contains("build step") == true)
  }

  /// A rule's files in one layer join one group, made by the first of them; the same rule in
  /// another layer makes a group (a line of the finding, a fix for its command) of its own.
  @Test func one_rule_in_two_layers_is_one_line_per_layer() throws {
    let report = try waste([
      (base.file("root/.cache/pip/a", size: 100).file("root/.cache/pip/b", size: 200), "/bin/sh -c pip install a"),
      (TarBuilder().file("root/.cache/pip/c", size: 400), "COPY cache /root/.cache"),
      (
        TarBuilder().file("root/.cache/pip/d", size: 800).file("root/.cache/pip/e", size: 1), "/bin/sh -c pip install c"
      ),
    ])
    let pip = try #require(findings(report, .languageCache).first)
    #expect(pip.bytes == 1_501 && pip.fileCount == 5)
    #expect(pip.layers.map { [$0.layer, Int($0.bytes), $0.fileCount] } == [[2, 801, 2], [1, 400, 1], [0, 300, 2]])
    #expect(pip.fixes.count == 2, "the layers' commands call for two fixes: \(pip.fixes)")
    #expect(pip.fixes.first?.hasPrefix("`pip install` runs without") == true, "layers 0 and 2's fix: 1,101 bytes")
  }

  @Test func leftovers_vcs_tmp_logs_and_junk() throws {
    let report = try waste([
      (
        base.file("src/.git/HEAD", size: 20).file("tmp/build.tmp", size: 30).file("var/log/app.log", size: 40)
          .file("src/.DS_Store", size: 50), "COPY . /"
      )
    ])
    #expect(findings(report, .leftover).reduce(0) { $0 + $1.bytes } == 140)
  }

  @Test func toolchain_is_reported_with_the_multi_stage_fix() throws {
    let report = try waste([
      (base.file("usr/bin/gcc-12", size: 900).file("usr/include/stdio.h", size: 100), "apt-get install build-essential")
    ])
    let toolchain = findings(report, .toolchain)
    #expect(toolchain.reduce(0) { $0 + $1.bytes } == 1000)
    #expect(toolchain.first?.fix.contains("COPY --from=build") == true)
  }

  @Test func credentials_need_a_token_but_keys_do_not() throws {
    let report = try waste([
      (
        base.file("root/.npmrc", text: "//registry.npmjs.org/:_authToken=abc\n")
          .file("home/u/.npmrc", text: "registry=https://example.invalid/\n")
          .file("root/.ssh/id_ed25519", text: "key").file("srv/cert.pem", text: "-----BEGIN CERTIFICATE-----")
          .file("srv/tls.key", text: "-----BEGIN PRIVATE KEY-----"), "COPY . /"
      )
    ])
    let flagged = Set(findings(report, .sensitive).flatMap { $0.paths.map(\.path) })
    #expect(flagged == ["/root/.npmrc", "/root/.ssh/id_ed25519", "/srv/tls.key"])
  }

  @Test func a_stream_keeps_the_heads_the_credential_rules_read() {
    let head = 64 * 1024
    for path in [
      "root/.kube/config", "root/.docker/config.json", "root/.npmrc", "root/.pypirc", "root/.git-credentials",
      "etc/pip.conf", "srv/tls.key", "srv/cert.pem",
    ] {
      #expect(WasteAnalyzer.contentNeeds.bytesToKeep(of: path, size: 1 << 20) == head, "\(path)")
      #expect(WasteAnalyzer.contentNeeds.bytesToKeep(of: path, size: 100) == 100, "\(path)")
    }
    // Named alone (no content confirms them), or no secret at all.
    for path in ["root/.ssh/id_rsa", "app/.env", "root/.aws/credentials", "etc/kube/config", "etc/os-release"] {
      #expect(WasteAnalyzer.contentNeeds.bytesToKeep(of: path, size: 100) == 0, "\(path)")
    }
  }

  @Test func a_secret_deleted_later_still_ships() throws {
    let report = try waste([
      (base.file("app/.env", text: "TOKEN=x"), "COPY . /app"),
      (TarBuilder().whiteout("app/.env"), "rm /app/.env"),
    ])
    let secret = try #require(findings(report, .sensitive).first)
    #expect(secret.paths.first?.detail?.contains("deleted in layer 1 but still shipped") == true)
  }

  @Test func docs_are_informational_and_not_in_the_total() throws {
    let report = try waste([(base.file("usr/share/doc/pkg/README", size: 700), "apt-get install pkg")])
    let docs = try #require(findings(report, .docs).first)
    #expect(docs.severity == .info && !docs.countsTowardTotal && docs.tier == .review)
    #expect(report.reclaimableBytes == 0 && report.reviewBytes == 700)
  }

  @Test func configuration_disables_regrades_adds_and_excludes() throws {
    var config = WasteConfig()
    config.disabled = ["leftover"]
    config.severities["package-cache"] = .high
    config.customRules = [
      CustomWasteRule(glob: Glob("/srv/cache/**"), category: "app-cache", severity: .low, hint: "clear it"),
      CustomWasteRule(
        glob: Glob("/srv/data/**"), category: "app-data", severity: .low, hint: "check it", tier: .review),
    ]
    config.excluded = [Glob("/keep/**")]
    let report = try waste(
      [
        (
          base.file("tmp/x", size: 10).file("var/cache/apt/archives/a.deb", size: 20).file("srv/cache/c", size: 30)
            .file("srv/data/d", size: 60)
            .file("keep/var/cache/apt/b.deb", size: 40).file("keep/.cache/pip/z", size: 50), "RUN stuff"
        )
      ], config: config)
    #expect(findings(report, .leftover).isEmpty)
    #expect(findings(report, .packageCache).first?.severity == .high)
    let custom = try #require(report.findings.first { $0.category == "app-cache" })
    #expect(custom.bytes == 30 && custom.fix == "clear it" && custom.severity == .low && custom.tier == .caches)
    #expect(report.findings.first { $0.category == "app-data" }?.tier == .review)
    #expect(report.reclaimableBytes == 50 && report.reviewBytes == 60)
  }

  @Test func precedence_counts_a_duplicated_cache_file_once() throws {
    let content = TarBuilder.content(size: 2048, seed: 3)
    let report = try waste([
      (base.file("root/.cache/pip/a", content).file("root/.cache/pip/b", content), "pip install x")
    ])
    #expect(findings(report, .duplicate).first?.bytes == 2048)
    #expect(findings(report, .languageCache).first?.bytes == 4096)
    #expect(report.reclaimableBytes == 4096)
    #expect(report.bytesByCategory["language-cache"] == 4096)
  }
}

@Suite("Fix texts fit their paths")
struct FixTextTests {
  /// A file at `path` in a layer made by `command`: its finding's category, tier and a word its
  /// fix must have (and one it must not).
  @Test(arguments: [
    ("/var/lib/apt/lists/x_Packages", "apt-get update", "package-cache", "/var/lib/apt/lists", ".deb"),
    ("/var/cache/apt/archives/curl.deb", "apt-get install -y curl", "package-cache", ".deb", "pkgcache"),
    ("/var/cache/apt/srcpkgcache.bin", "apt-get update", "package-cache", "srcpkgcache.bin", ".deb"),
    ("/var/cache/apt/pkgcache.bin", "apt-get update", "package-cache", "pkgcache.bin", ".deb"),
    ("/var/cache/apk/APKINDEX.tar.gz", "apk add curl", "package-cache", "apk add --no-cache", "apt"),
    ("/var/cache/dnf/repo.solv", "dnf install -y curl", "package-cache", "dnf clean all", "apt"),
    ("/root/.cache/pip/http/a", "pip install requests", "language-cache", "--no-cache-dir", "npm"),
    ("/root/.npm/_cacache/index", "npm install", "language-cache", "npm cache clean", "pip"),
    ("/root/.cache/go-build/ab", "go build", "language-cache", "go-build", "pip"),
    ("/tmp/build.tmp", "make", "leftover", "/tmp", ".dockerignore"),
    ("/var/log/app.log", "make", "leftover", "log", "/tmp"),
    ("/src/.git/HEAD", "COPY . /src", "leftover", ".git", "/tmp"),
    ("/app/__pycache__/m.cpython-311.pyc", "python -m compileall /app", "bytecode", "PYTHONDONTWRITEBYTECODE", "apt"),
    ("/usr/bin/gcc-12", "apt-get install -y build-essential", "toolchain", "COPY --from=build", "cache"),
    ("/usr/include/stdio.h", "apt-get install -y libc6-dev", "toolchain", "COPY --from=build", "cache"),
    ("/usr/share/doc/curl/README", "apt-get install -y curl", "docs", "path-exclude", "cache"),
  ])
  func fix_for(path: String, command: String, category: String, must: String, mustNot: String) throws {
    let layer = TarBuilder().file(String(path.dropFirst()), size: 2000)
    let report = try waste([(TarBuilder().dir("etc"), "ADD rootfs /"), (layer, "/bin/sh -c " + command)])
    let finding = try #require(report.findings.first, "no finding for \(path)")
    #expect(finding.category == category)
    #expect(finding.fix.contains(must), "\(path): \(finding.fix)")
    #expect(!finding.fix.contains(mustNot), "\(path): \(finding.fix)")
    #expect(finding.tier == WasteCategory(rawValue: category)?.tier)
  }

  @Test func each_category_is_defined_once_with_all_it_needs() {
    for category in WasteCategory.allCases {
      let definition = category.definition
      #expect(!definition.title.isEmpty && !definition.fix.isEmpty)
      #expect(definition.colour.count == 7 && definition.colour.hasPrefix("#"))
    }
    #expect(Set(WasteCategory.allCases.map(\.title)).count == WasteCategory.allCases.count)
    #expect(Set(WasteCategory.allCases.map(\.colour)).count == WasteCategory.allCases.count)
    // The order of the totals: every removable category before the caches, then the review tier.
    let tiers = WasteCategory.allCases.map(\.tier)
    #expect(tiers == tiers.sorted())
  }
}

@Suite("Globs")
struct GlobTests {
  @Test(arguments: [
    ("/usr/lib/python3*/**", "/usr/lib/python3.11/site-packages/x.py", true),
    ("/usr/lib/python3*/**", "/usr/lib/perl5/x", false),
    ("*.pyc", "/a/b/c.pyc", true),
    ("/a/*.txt", "/a/b/c.txt", false),
    ("/a/**/c.txt", "/a/c.txt", true),
    ("/a/[bc]?/x", "/a/cd/x", true),
    ("/a/[!bc]?/x", "/a/cd/x", false),
    ("**/.git/**", "/src/.git/objects/ab", true),
    ("/var/lib/apt/lists/**", "/var/lib/apt/lists", true),
    ("**/*~", "/etc/app.conf~", true),
    ("**/*~", "/etc/app.conf", false),
    ("/a/**/b/**/c", "/a/x/b/y/z/c", true),
    ("/a/**/b/**/c", "/a/x/y/z/c", false),
    ("/srv/[0-9]*.log", "/srv/7days.log", true),
  ])
  func matching(pattern: String, path: String, expected: Bool) {
    #expect(Glob(pattern).matches(path) == expected)
  }
}

@Suite("Memory released for reports that do not need it")
struct ReleasedMemoryTests {
  @Test func reports_are_the_same_after_the_layer_entries_are_released() throws {
    let image = try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path)
    let kept = Analyzer.analyze(image)
    let released = Analyzer.analyze(image, keepingLayerEntries: false)
    #expect(kept.image.layers.allSatisfy { !$0.contents.entries.isEmpty })
    #expect(released.image.layers.allSatisfy { $0.contents.entries.isEmpty })
    #expect(released.layers == kept.layers, "the summaries keep their counts")
    #expect(released.dive == kept.dive)
    #expect(released.tree.nodes.count == kept.tree.nodes.count)
    #expect(released.finalBytes == kept.finalBytes && released.fileCount == kept.fileCount)
    let before = WasteAnalyzer.analyze(kept)
    let after = WasteAnalyzer.analyze(released)
    #expect(after.findings.map(\.bytes) == before.findings.map(\.bytes))
    #expect(after.findings.map(\.paths) == before.findings.map(\.paths))
    #expect(after.reclaimableBytes == before.reclaimableBytes)
  }

  /// `Analyzer` counts dive's figures a layer at a time, each over the tree as merged so far;
  /// counted over the whole tree they must be the same (images with whiteouts, opaque
  /// directories, hard links, files replaced by directories).
  @Test(arguments: [
    "images/wasteful/wasteful.tar", "images/busybox-app/busybox-app.tar", "images/wasteful-clean/wasteful-clean.tar",
    "dive/test-docker-image.tar", "dive/test-kaniko-image.tar", "images/busybox-app/busybox-app-oci-gzip.tar",
  ])
  func dive_figures_counted_layer_by_layer_equal_those_over_the_whole_tree(fixture: String) throws {
    let image = try ImageLoader.load(fixtureURL(fixture).path)
    let analysis = Analyzer.analyze(image, keepingLayerEntries: false)
    let contents = image.layers.map(\.contents)
    let whole = DiveEfficiency.compute(contents, tree: FileTree(layers: contents))
    #expect(analysis.dive == whole)
    #expect(whole.sizeBytes > 0)
  }

  @Test func path_waste_is_only_mapped_when_asked_for() throws {
    let analysis = Analyzer.analyze(try ImageLoader.load(fixtureURL("images/wasteful/wasteful.tar").path))
    let mapped = WasteAnalyzer.analyze(analysis)
    let unmapped = WasteAnalyzer.analyze(analysis, mapPaths: false)
    #expect(!mapped.pathWaste.isEmpty)
    #expect(unmapped.pathWaste.isEmpty)
    #expect(unmapped.findings.map(\.bytes) == mapped.findings.map(\.bytes))
    #expect(unmapped.reclaimableBytes == mapped.reclaimableBytes)
  }
}

@Suite("Allocator tuning")
struct AllocatorTuningTests {
  @Test func the_shim_reaches_glibc_s_malloc() {
    MemoryTrim.tuneAllocator()
    // 64 MiB is past glibc's largest mmap threshold, so the block is mapped whatever the heap
    // holds. (A block just past the tuned 128 KiB threshold may be cut from a free chunk that
    // another test left in the shared heap: it proved nothing and failed when more tests ran.)
    let block = UnsafeMutableRawPointer.allocate(byteCount: 64 << 20, alignment: 16)
    defer { block.deallocate() }
    #if canImport(Glibc)
      #expect(MemoryTrim.mappedBytes >= 64 << 20, "the shim must reach glibc's malloc (is __GLIBC__ seen?)")
    #endif
  }
}
