import Foundation
import Testing
import YAMLIO

import TestSupport

/// action.yml and the GitLab template: their structure, and their shell steps run here as a runner
/// would run them, against a release tarball made from the built binary and served from a folder.
@Suite(
  "CI recipes: the GitHub action and the GitLab template", .serialized,
  .enabled(if: StrataTool.enabled, Comment(rawValue: StrataTool.missing)))
struct CIRecipeTests {
  static let action = TS.repoRoot.appendingPathComponent("action.yml")
  static let gitlab = TS.repoRoot.appendingPathComponent("Scripts/ci/strata.gitlab-ci.yml")
  static let pins = TS.repoRoot.appendingPathComponent("Scripts/ci/releases.sha256")

  @Test("action.yml is a composite action: install, gate, upload the reports")
  func actionStructure() throws {
    let action = try YAMLFile(Self.action)
    #expect(action["name"]?.text?.isEmpty == false)
    #expect(action["inputs", "image", "required"]?.text == "true")
    #expect(action["runs", "using"]?.text == "composite")
    let steps = try #require(action["runs", "steps"]?.node.sequence)
    #expect(steps.count == 3)
    for step in steps.prefix(2) {
      #expect(step.value("shell")?.scalar?.text == "bash")
      let run = try #require(step.value("run")?.scalar?.text)
      let script = run.replacingOccurrences(of: "\"$GITHUB_ACTION_PATH/", with: "").dropLast()
      #expect(FileManager.default.isExecutableFile(atPath: TS.repoRoot.appendingPathComponent(String(script)).path))
    }
    let uses = steps[2].value("uses")?.scalar?.text ?? ""
    #expect(uses.hasPrefix("actions/upload-artifact@"))
    #expect(steps[2].value("if")?.scalar?.text == "always()")
  }

  @Test("The action's and the template's default version is this version, pinned to one SHA-256 in both")
  func pinnedVersion() throws {
    let version = try Self.binaryVersion()
    let action = try YAMLFile(Self.action)
    #expect(action["inputs", "version", "default"]?.text == version)
    let pinsText = try String(contentsOf: Self.pins, encoding: .utf8)
    let file = "strata-\(version)-linux-x86_64.tar.gz"
    var pin: String?
    for line in pinsText.split(separator: "\n") {
      let fields = line.split(separator: " ")
      if fields.count == 2, fields[1] == file { pin = String(fields[0]) }
    }
    let sha256 = try #require(pin, "no pin for \(version) in Scripts/ci/releases.sha256")
    #expect(sha256.wholeMatch(of: /[0-9a-f]{64}/) != nil)
    let template = try YAMLFile(Self.gitlab)
    #expect(template[".strata-ci", "variables", "STRATA_VERSION"]?.text == version)
    #expect(template[".strata-ci", "variables", "STRATA_SHA256"]?.text == sha256)
  }

  @Test("The GitLab template: a hidden job with a JUnit report and the summaries kept")
  func gitlabStructure() throws {
    let template = try YAMLFile(Self.gitlab)
    let job = try #require(template[".strata-ci"])
    #expect(job["image"]?.text?.isEmpty == false)
    let script = (job["script"]?.node.sequence ?? []).compactMap { $0.scalar?.text }
    #expect(script.contains { $0.hasPrefix("strata ci ") && $0.contains("--junit strata-junit.xml") })
    #expect(job["artifacts", "when"]?.text == "always")
    #expect(job["artifacts", "reports", "junit"]?.text == "strata-junit.xml")
    let paths = (job["artifacts", "paths"]?.node.sequence ?? []).compactMap { $0.scalar?.text }
    #expect(Set(paths) == ["strata.md", "strata-report.html"])
  }

  @Test("The action's steps, run with GitHub's variables: install, gate (fail on the wasteful image), reports")
  func actionStepsRun() throws {
    try withTemporaryDirectory { directory in
      let release = try FakeRelease(in: directory)
      let github = try GitHubRunner(directory: directory)
      let action = try YAMLFile(Self.action)
      let steps = try #require(action["runs", "steps"]?.node.sequence)
      let inputs = [
        "image": fixtureURL("images/wasteful/wasteful.tar").path, "version": release.version,
        "sha256": release.sha256, "download-url": release.downloadURL,
      ]
      let install = try github.run(step: steps[0], inputs: inputs)
      #expect(install.status == 0, "install step: \(install.stderr)")
      #expect(install.stderr.contains("strata \(release.version)"))
      let gate = try github.run(step: steps[1], inputs: inputs)
      #expect(gate.status == 1, "gate step: \(gate.stderr)")
      let reports = github.runnerTemp.appendingPathComponent("strata-report")
      for file in ["junit.xml", "summary.md", "report.html"] {
        #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent(file).path), "\(file) missing")
      }
      let summary = try String(contentsOf: github.stepSummary, encoding: .utf8)
      #expect(summary.contains("lowestEfficiency"))
      let outputs = try String(contentsOf: github.output, encoding: .utf8)
      #expect(outputs.contains("result=fail"))
    }
  }

  @Test("The install step refuses a tarball whose SHA-256 is not the pin, and installs nothing")
  func actionRefusesAWrongChecksum() throws {
    try withTemporaryDirectory { directory in
      let release = try FakeRelease(in: directory)
      let github = try GitHubRunner(directory: directory)
      let steps = try #require(try YAMLFile(Self.action)["runs", "steps"]?.node.sequence)
      let inputs = [
        "image": "image.tar", "version": release.version, "sha256": String(repeating: "0", count: 64),
        "download-url": release.downloadURL,
      ]
      let install = try github.run(step: steps[0], inputs: inputs)
      #expect(install.status == 2)
      #expect(install.stderr.contains("expected 0000"))
      #expect(try String(contentsOf: github.path, encoding: .utf8).isEmpty)
    }
  }

  @Test("The GitLab template's scripts, run with its variables: download, check, gate with JUnit")
  func gitlabScriptsRun() throws {
    try withTemporaryDirectory { directory in
      let release = try FakeRelease(in: directory)
      let job = try #require(try YAMLFile(Self.gitlab)[".strata-ci"])
      let lines = ["before_script", "script"].flatMap { key in
        (job[key]?.node.sequence ?? []).compactMap { $0.scalar?.text }
      }
      let work = directory.appendingPathComponent("job")
      try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
      let script =
        "set -e\n"
        + lines.map { $0.replacingOccurrences(of: "/tmp", with: directory.path) }
        .joined(separator: "\n")
      let run = try StrataTool.run(
        executable: URL(fileURLWithPath: "/bin/bash"), ["-c", script], in: work,
        environment: [
          "STRATA_VERSION": release.version, "STRATA_SHA256": release.sha256, "STRATA_DOWNLOAD": release.downloadURL,
          "STRATA_IMAGE": fixtureURL("images/wasteful-clean/wasteful-clean.tar").path, "STRATA_ARGS": "",
        ])
      #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
      let junit = try String(contentsOf: work.appendingPathComponent("strata-junit.xml"), encoding: .utf8)
      #expect(junit.contains("<testsuite"))
    }
  }

  /// The version the built binary prints.
  static func binaryVersion() throws -> String {
    let run = try StrataTool.run(["--version"])
    let match = try #require(run.stdout.firstMatch(of: #/strata (\d+\.\d+\.\d+) /#))
    return String(match.output.1)
  }
}

/// A release as the action downloads it: `vVERSION/strata-VERSION-linux-x86_64.tar.gz` under a
/// folder given as a file:// URL, holding the built binary.
struct FakeRelease {
  var version: String
  var sha256: String
  var downloadURL: String

  init(in directory: URL) throws {
    version = try CIRecipeTests.binaryVersion()
    let name = "strata-\(version)-linux-x86_64"
    let stage = directory.appendingPathComponent("stage/\(name)/bin")
    try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true)
    let binary = try #require(StrataTool.binary)
    try FileManager.default.copyItem(at: binary, to: stage.appendingPathComponent("strata"))
    let releases = directory.appendingPathComponent("releases/v\(version)")
    try FileManager.default.createDirectory(at: releases, withIntermediateDirectories: true)
    let tarball = releases.appendingPathComponent("\(name).tar.gz")
    let tar = try StrataTool.run(
      executable: URL(fileURLWithPath: "/bin/tar"),
      ["-czf", tarball.path, "-C", directory.appendingPathComponent("stage").path, name])
    #expect(tar.status == 0, "\(tar.stderr)")
    let sum = try StrataTool.run(executable: URL(fileURLWithPath: "/usr/bin/sha256sum"), [tarball.path])
    sha256 = String(sum.stdout.prefix(64))
    downloadURL = "file://" + directory.appendingPathComponent("releases").path
  }
}

/// What a GitHub runner gives a composite action's `run` steps: the `GITHUB_*` and `RUNNER_TEMP`
/// variables, files for the path, outputs and step summary, and the `${{ … }}` expressions of a
/// step's `env:` evaluated (the forms action.yml uses: `inputs.NAME`, `a || b`, `format(…)`).
struct GitHubRunner {
  var runnerTemp: URL
  var path: URL
  var output: URL
  var stepSummary: URL
  var workspace: URL

  init(directory: URL) throws {
    runnerTemp = directory.appendingPathComponent("runner-temp")
    workspace = directory.appendingPathComponent("workspace")
    path = directory.appendingPathComponent("github-path")
    output = directory.appendingPathComponent("github-output")
    stepSummary = directory.appendingPathComponent("step-summary.md")
    for folder in [runnerTemp, workspace] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    for file in [path, output, stepSummary] { try Data().write(to: file) }
  }

  /// Runs one step's `run:` with bash as the runner does, the directories appended to
  /// `$GITHUB_PATH` by earlier steps first on the PATH.
  func run(step: YAMLNode, inputs: [String: String]) throws -> StrataTool.Run {
    let script = try #require(step.value("run")?.scalar?.text)
    var environment = [
      "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_ACTION_PATH": TS.repoRoot.path,
      "GITHUB_ACTION_REPOSITORY": "example/strata", "GITHUB_WORKSPACE": workspace.path, "RUNNER_TEMP": runnerTemp.path,
      "GITHUB_PATH": path.path, "GITHUB_OUTPUT": output.path, "GITHUB_STEP_SUMMARY": stepSummary.path,
    ]
    let added = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").reversed().joined(separator: ":")
    let systemPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    environment["PATH"] = added.isEmpty ? systemPath : "\(added):\(systemPath)"
    for (key, value) in step.value("env")?.mapping ?? [] {
      guard let name = key.scalar?.text, let text = value.scalar?.text else { continue }
      environment[name] = try Self.evaluate(text, inputs: inputs)
    }
    return try StrataTool.run(
      executable: URL(fileURLWithPath: "/bin/bash"), ["-e", "-c", script], in: workspace, environment: environment)
  }

  /// `${{ inputs.NAME }}`, `${{ inputs.NAME || format('…{0}…', github.action_repository) }}`.
  static func evaluate(_ text: String, inputs: [String: String]) throws -> String {
    guard let match = text.wholeMatch(of: /\$\{\{ (.+) \}\}/) else { return text }
    var result = ""
    for alternative in match.output.1.split(separator: " || ") {
      let term = alternative.trimmingCharacters(in: .whitespaces)
      if term.hasPrefix("inputs.") {
        result = inputs[String(term.dropFirst("inputs.".count))] ?? ""
      } else if let format = term.wholeMatch(of: /format\('([^']*)', github\.action_repository\)/) {
        result = format.output.1.replacingOccurrences(of: "{0}", with: "example/strata")
      } else {
        Issue.record("expression not understood by this test: \(term)")
      }
      if !result.isEmpty { break }
    }
    return result
  }
}

/// A YAML file, read by key paths: `file["runs", "steps"]`.
struct YAMLFile {
  var root: YAMLPath

  init(_ url: URL) throws {
    let node = try #require(try YAMLNode.compose(String(contentsOf: url, encoding: .utf8)), "\(url.path) is empty")
    root = YAMLPath(node: node)
  }

  subscript(_ keys: String...) -> YAMLPath? { root.find(keys) }
}

/// A node found by key path, itself indexable by keys.
struct YAMLPath {
  var node: YAMLNode
  var text: String? { node.scalar?.text }

  subscript(_ keys: String...) -> YAMLPath? { find(keys) }

  /// The node at `keys`, one mapping key after another.
  func find(_ keys: [String]) -> YAMLPath? {
    var current = node
    for key in keys {
      guard let next = current.value(key) else { return nil }
      current = next
    }
    return YAMLPath(node: current)
  }
}

extension YAMLNode {
  /// The value of `key` in a mapping.
  func value(_ key: String) -> YAMLNode? {
    mapping?.first { $0.key.scalar?.text == key }?.value
  }
}
