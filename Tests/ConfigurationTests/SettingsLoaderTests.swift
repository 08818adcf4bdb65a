import Analysis
import Configuration
import Testing

@Suite("Settings files")
struct SettingsLoaderTests {
  @Test func a_full_waste_section_parses() throws {
    let settings = try SettingsLoader.parse(
      """
      exclude: ["/keep/**"]
      waste:
        disable: [docs, bytecode]
        severity:
          leftover: medium
        duplicate-min-size: 4KB
        rules:
          - glob: "/srv/cache/**"
            category: app-cache
            severity: high
            hint: Clear it.
      """, file: ".strata.yaml")
    #expect(settings.waste.disabled == ["docs", "bytecode"])
    #expect(settings.waste.severities["leftover"] == .medium)
    #expect(settings.waste.duplicateMinBytes == 4000)
    #expect(settings.waste.customRules.first?.category == "app-cache")
    #expect(settings.waste.customRules.first?.severity == .high)
    #expect(settings.waste.excluded.map(\.pattern) == ["/keep/**"])
  }

  @Test func an_empty_file_gives_the_defaults() throws {
    let settings = try SettingsLoader.parse("", file: "x.yaml")
    #expect(settings.waste == WasteConfig())
  }

  @Test(arguments: [
    ("waste:\n  disable: [docs]\n  severity:\n    leftover: urgent\n", 4, "waste.severity.leftover", "not a severity"),
    ("waste:\n  duplicate-min-size: lots\n", 2, "waste.duplicate-min-size", "not a size"),
    ("waste:\n  colour: red\n", 2, "waste.colour", "unknown key"),
    ("wastes: {}\n", 1, "wastes", "unknown key"),
    ("waste:\n  rules:\n    - category: x\n", 3, "waste.rules[0]", "needs a 'glob'"),
    ("waste: [1, 2\n", 2, "", "invalid YAML"),
  ])
  func errors_name_the_file_line_and_key(text: String, line: Int, key: String, message: String) {
    #expect {
      _ = try SettingsLoader.parse(text, file: "conf.yaml")
    } throws: { error in
      guard let error = error as? ConfigError else { return false }
      return error.file == "conf.yaml" && error.line == line && error.key == key && error.message.contains(message)
    }
  }
}
