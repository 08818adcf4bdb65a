import Analysis
import CIPolicy
import Configuration
import Testing

@Suite("YAML read into settings: anchors, keys and invalid documents")
struct YAMLReaderTests {
  @Test("anchors and aliases are followed")
  func aliases() throws {
    let text = """
      exclude: &skip ["/cache/**", "/tmp/**"]
      ci:
        max-image-size: &size {warn: 1MB, fail: 2MB}
        max-layer-size: *size
        exclude: *skip
      """
    let settings = try SettingsLoader.parse(text, file: "a.yaml")
    let ci = try #require(settings.ci)
    #expect(ci.maxLayerSize == Limits(warn: .bytes(1_000_000), fail: .bytes(2_000_000)))
    #expect(settings.ciExcluded.map(\.pattern) == ["/cache/**", "/tmp/**"])
  }

  @Test(
    "YAML that cannot be read gives the file, the line and libyaml's problem",
    arguments: [
      ("waste: [1, 2\n", "s.yaml:2: invalid YAML: did not find expected ',' or ']'"),
      ("exclude: []\nwaste: *nowhere\n", "s.yaml:2: invalid YAML: found undefined alias"),
      ("exclude: []\n---\nwaste: {}\n", "s.yaml:2: invalid YAML: but found another document"),
      ("exclude: [\"/a\u{01}\"]\n", "s.yaml:1: invalid YAML: control characters are not allowed"),
      ("? [a, b]\n: 1\n", "s.yaml:1: keys must be strings"),
      ("waste:\n  severity:\n    {docs: 1}: high\n", "s.yaml:3: waste.severity: keys must be strings"),
    ])
  func invalid(text: String, message: String) {
    expectConfigError(text, file: "s.yaml", message)
  }

  @Test("a billion-laughs file is a configuration error, not a hang")
  func aliasBomb() {
    var text = "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
    for level in 1...9 {
      text += "x\(level): &x\(level) [\(Array(repeating: "*x\(level - 1)", count: 10).joined(separator: ", "))]\n"
    }
    text += "exclude: *x9\n"
    #expect {
      _ = try SettingsLoader.parse(text, file: "bomb.yaml")
    } throws: { error in
      guard let error = error as? ConfigError else { return false }
      return error.file == "bomb.yaml" && error.line == 6 && error.message.hasPrefix("invalid YAML: more than")
    }
  }

  @Test("a file holding only a document marker, or null, gives the defaults")
  func nullDocument() throws {
    for text in ["---\n", "~\n", "null\n", "# nothing\n"] {
      let settings = try SettingsLoader.parse(text, file: "n.yaml")
      #expect(settings.ci == nil)
      #expect(settings.waste == WasteConfig())
    }
  }
}
