import Configuration

import Glibc

/// Reads `--config FILE`, or `./.strata.yaml` when present, or returns the defaults.
/// - Throws: `CommandError` for a file that cannot be read, `ConfigError` for an invalid one.
func loadSettings(_ path: String?) throws -> Settings {
  let chosen: String
  if let path {
    chosen = path
  } else if access(".strata.yaml", R_OK) == 0 {
    chosen = ".strata.yaml"
  } else {
    return Settings()
  }
  guard let text = readTextFile(chosen) else {
    throw CommandError("\(chosen): cannot read the configuration file")
  }
  return try SettingsLoader.parse(text, file: chosen)
}

/// The whole text of a small file, or nil when it cannot be read.
func readTextFile(_ path: String) -> String? {
  readFile(path, limit: 16 * 1024 * 1024).map { String(decoding: $0, as: UTF8.self) }
}

/// The bytes of a file of at most `limit` bytes, or nil when it cannot be read.
func readFile(_ path: String, limit: Int = 512 * 1024 * 1024) -> [UInt8]? {
  guard let handle = fopen(path, "rb") else { return nil }
  defer { fclose(handle) }
  var bytes: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: 65536)
  while true {
    let got = fread(&buffer, 1, buffer.count, handle)
    if got > 0 { bytes.append(contentsOf: buffer[0..<got]) }
    if got < buffer.count { return ferror(handle) == 0 ? bytes : nil }
    if bytes.count > limit { return nil }
  }
}
