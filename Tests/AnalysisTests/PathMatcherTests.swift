@testable import Analysis
import Foundation
import ImageLoading
import ImageModel
import MergedTree
import TestSupport
import Testing

/// What `PathMatcher` must always answer: the first glob, in order, that matches.
private func linearFirstMatch(_ globs: [Glob], _ path: String) -> Int? {
  globs.firstIndex { $0.matches(path) }
}

/// User patterns of every shape, as a `.strata.yaml` could hold them.
private let customPatterns = [
  "/srv/cache/**", "*.tmp", "build/", "/data/[a-c]*/x", "**/node_modules/**", "/opt/?pp/**", "/usr/lib/*/cache",
  "**/.git", "/var/log/*.gz", "secret*", "/usr/share/doc/*/copyright", "/a/**/b/**/c", "**/*.min.*", "/etc/ssl/",
  "café/**", "/x*y*z",
]

/// Paths built from the patterns themselves (every `*` and `**` filled several ways, near misses
/// around them), plus unusual shapes: Unicode, combining marks after `/`, prepended marks before
/// it, `//`, trailing `/`.
private func generatedPaths(from patterns: [String]) -> [String] {
  var paths: Set<String> = [
    "/", "/a", "/tmp", "/tmpx", "/var", "/usr/bin/gcc", "/usr/bin/gccx/y", "//tmp/x", "/tmp/x/",
  ]
  // "a\u{600}": a name ending in a prepended mark (Arabic number sign), which joins the `/`
  // after it into one character.
  let fills = ["", "x", "gcc-12", "x.pyc", "a/b", ".cache/pip", "é", "e\u{301}", "a\u{600}"]
  let starFills = ["", "x", "gcc-12", "x86_64-linux-gnu-gcc", ".log", "a.b"]
  let tails = ["", "/f", "/f.pyc", "x", ".log", "~", "/", "/\u{301}x", "/.git/HEAD"]
  let heads = ["", "/opt", "/usr/local", "/\u{301}"]
  for pattern in patterns {
    for fill in fills {
      for star in starFills {
        var text = pattern.replacingOccurrences(of: "**", with: "\u{1}")
        text = text.replacingOccurrences(of: "*", with: star).replacingOccurrences(of: "?", with: "a")
          .replacingOccurrences(of: "[a-c]", with: "b").replacingOccurrences(of: "[!bc]", with: "d")
        text = text.replacingOccurrences(of: "\u{1}", with: fill)
        for head in heads {
          for tail in tails {
            var path = head + (text.hasPrefix("/") ? "" : "/") + text + tail
            while path.contains("///") { path = path.replacingOccurrences(of: "///", with: "//") }
            paths.insert(path)
            paths.insert(String(path.dropLast()))
            paths.insert(path.uppercased())
          }
        }
      }
    }
  }
  return paths.sorted()
}

/// The paths a real Debian system lists in its package database, when this machine has one.
private func dpkgListedPaths(limit: Int) -> [String] {
  let directory = "/var/lib/dpkg/info"
  let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
  var paths: [String] = []
  for name in names.sorted() where name.hasSuffix(".list") && paths.count < limit {
    guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { continue }
    paths += text.split(separator: "\n").map(String.init)
  }
  return paths
}

@Suite("One matcher for many globs")
struct PathMatcherTests {
  static let builtIn = PathRules.all.map(\.glob)
  static let mixed = customPatterns.map { Glob($0) } + builtIn

  @Test("the built-in rules and user rules compile mostly to byte tests, not globs")
  func compiled() {
    let globs = PathMatcher(Self.builtIn).tests.filter {
      if case .glob = $0 { return true }
      return false
    }
    #expect(globs.count <= 3, "\(globs.count) of \(Self.builtIn.count) built-in rules left as globs")
  }

  @Test("the same first rule as trying every glob in order, on generated paths")
  func generated() {
    let paths = generatedPaths(from: customPatterns + PathRules.all.map(\.glob.pattern))
    #expect(paths.count > 50_000)
    for globs in [Self.builtIn, Self.mixed] {
      let matcher = PathMatcher(globs)
      var matched = 0
      for path in paths {
        let expected = linearFirstMatch(globs, path)
        #expect(matcher.firstMatch(path) == expected, "\(path.debugDescription)")
        if expected != nil { matched += 1 }
      }
      // Both answers occur often: the corpus exercises matches and misses alike.
      #expect(matched > paths.count / 5 && matched < paths.count * 4 / 5, "\(matched) of \(paths.count) matched")
    }
  }

  @Test("the same first rule for every node of a tree, in one walk, as trying every glob in order")
  func treeWalk() {
    // The generated paths that name a tree's nodes (relative, no empty names), files and the
    // directories above them; the walk looks up each directory's names once for all below it.
    var entries: [LayerEntry] = []
    for path in generatedPaths(from: customPatterns + PathRules.all.map(\.glob.pattern))
      + dpkgListedPaths(limit: 50_000)
    {
      let relative = String(path.dropFirst())
      guard path.hasPrefix("/"), !relative.isEmpty, !relative.hasSuffix("/"), !relative.contains("//") else { continue }
      entries.append(LayerEntry(path: relative, kind: .regular, size: 1))
    }
    let tree = FileTree(layers: [LayerContents(entries: entries)])
    #expect(tree.nodes.count > 20_000)
    for globs in [Self.builtIn, Self.mixed] {
      let matches = PathMatcher(globs).firstMatches(in: tree) { _ in true }
      var matched = 0
      for index in tree.nodes.indices.dropFirst() {
        let path = "/" + tree.path(of: Int32(index))
        let expected = linearFirstMatch(globs, path)
        #expect(matches[Int32(index)] == expected, "\(path.debugDescription)")
        if expected != nil { matched += 1 }
      }
      #expect(matched > 1_000)
    }
  }

  @Test("the same first rule on the paths of the committed fixtures and this machine's packages")
  func realPaths() throws {
    var paths: [String] = []
    for fixture in [
      "images/wasteful/wasteful.tar", "images/busybox-app/busybox-app.tar", "images/wasteful-clean/wasteful-clean.tar",
    ] {
      let analysis = Analyzer.analyze(try ImageLoader.load(fixtureURL(fixture).path))
      let tree = analysis.tree
      paths += tree.nodes.indices.map { tree.path(of: Int32($0)) }
    }
    // A Debian system lists tens of thousands of real paths; elsewhere the fixtures must do.
    paths += dpkgListedPaths(limit: 200_000)
    #expect(paths.count > 600)
    for globs in [Self.builtIn, Self.mixed] {
      let matcher = PathMatcher(globs)
      for path in paths {
        #expect(matcher.firstMatch(path) == linearFirstMatch(globs, path), "\(path.debugDescription)")
      }
    }
  }
}
