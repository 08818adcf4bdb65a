import Configuration

import Glibc

/// The configuration `strata ci` uses and where it came from.
struct CIConfigChoice {
  /// The settings (defaults when there is no file).
  var settings: Settings
  /// The file, or nil for the built-in defaults.
  var source: String?
  /// `strata`, `dive` or `defaults`.
  var kind: String
}

/// `--config FILE`; else `./.strata.yaml`; else dive's `./.dive-ci`; else the defaults.
/// Configuration warnings go to standard error.
/// - Throws: `CommandError` for a missing or unreadable file, `ConfigError`
///   (`file:line: key: message`) for an invalid one.
func loadCIConfig(_ path: String?) throws -> CIConfigChoice {
  let chosen: String
  if let path {
    chosen = path
  } else if let found = [".strata.yaml", ".dive-ci"].first(where: { (name: String) in access(name, F_OK) == 0 }) {
    chosen = found
  } else {
    return CIConfigChoice(settings: Settings(), source: nil, kind: "defaults")
  }
  guard let text = readTextFile(chosen) else {
    let reason = access(chosen, F_OK) == 0 ? "cannot read the configuration file" : "no such configuration file"
    throw CommandError("\(chosen): \(reason)")
  }
  let settings = try SettingsLoader.parse(text, file: chosen)
  for warning in settings.warnings { Output.warning(warning.description) }
  return CIConfigChoice(settings: settings, source: chosen, kind: settings.dialect.rawValue)
}
