import Configuration
import Testing

/// Expects `SettingsLoader.parse(text, file:)` to throw a `ConfigError` described as `message`,
/// and records what it got when the description differs.
func expectConfigError(
  _ text: String, file: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(sourceLocation: sourceLocation) {
    _ = try SettingsLoader.parse(text, file: file)
  } throws: { error in
    let description = (error as? ConfigError)?.description ?? "\(error)"
    if description != message { Issue.record("got: \(description)", sourceLocation: sourceLocation) }
    return description == message
  }
}
