import ImageModel

/// `ls -l`-style mode strings: `drwxr-xr-x`, `-rwsr-xr-x`, `lrwxrwxrwx`.
package enum ModeText {
  /// The ten-character mode of an entry.
  package static func string(kind: EntryKind, permissions: UInt32) -> String {
    let type: Character
    switch kind {
    case .directory: type = "d"
    case .symlink: type = "l"
    case .characterDevice: type = "c"
    case .blockDevice: type = "b"
    case .fifo: type = "p"
    case .socket: type = "s"
    default: type = "-"
    }
    var text = String(type)
    let special: [(UInt32, Character, Character)] = [(0o4000, "s", "S"), (0o2000, "s", "S"), (0o1000, "t", "T")]
    for (group, shift) in [(0, UInt32(6)), (1, UInt32(3)), (2, UInt32(0))] {
      let bits = (permissions >> shift) & 0o7
      text.append(bits & 4 != 0 ? "r" : "-")
      text.append(bits & 2 != 0 ? "w" : "-")
      let (flag, set, unset) = special[group]
      if permissions & flag != 0 {
        text.append(bits & 1 != 0 ? set : unset)
      } else {
        text.append(bits & 1 != 0 ? "x" : "-")
      }
    }
    return text
  }
}
