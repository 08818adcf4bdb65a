/// Turns the bytes a terminal sends into key strokes: control bytes, UTF-8 text, and the escape
/// sequences of xterm (CSI, SS3), xterm's `modifyOtherKeys` and the kitty keyboard protocol.
///
/// A sequence cut between two reads is kept until the rest arrives. A lone ESC at the end of the
/// input may be the start of a sequence: `hasPendingEscape` says so, and `flush()` turns it into
/// `.escape` once the caller has waited long enough for more.
package struct KeyDecoder: Sendable {
  private var buffer: [UInt8] = []

  /// Creates a decoder with nothing pending.
  package init() {}

  /// Whether bytes are held back waiting for the rest of a sequence.
  package var hasPending: Bool { !buffer.isEmpty }

  /// Decodes what `bytes` (with anything held back) complete.
  package mutating func feed(_ bytes: [UInt8]) -> [KeyStroke] {
    buffer += bytes
    var keys: [KeyStroke] = []
    var index = 0
    while index < buffer.count {
      guard let (key, length) = Self.decode(buffer, at: index) else { break }
      if let key { keys.append(key) }
      index += length
    }
    buffer.removeFirst(index)
    return keys
  }

  /// Gives up waiting: a held-back ESC is Escape, any other partial sequence is dropped.
  package mutating func flush() -> [KeyStroke] {
    defer { buffer.removeAll() }
    guard let first = buffer.first else { return [] }
    if first == 0x1B {
      var rest = KeyDecoder()
      return [.escape] + rest.feed(Array(buffer.dropFirst())) + rest.flush().filter { $0 != .unknown }
    }
    return []
  }

  /// One key at `index`, and how many bytes it took; nil when the bytes there are incomplete.
  /// A nil key with a length skips bytes that mean nothing.
  static func decode(_ bytes: [UInt8], at index: Int) -> (KeyStroke?, Int)? {
    let byte = bytes[index]
    switch byte {
    case 0x1B: return decodeEscape(bytes, at: index)
    case 0x0D, 0x0A: return (.enter, 1)
    case 0x09: return (.tab, 1)
    case 0x7F, 0x08: return (.backspace, 1)
    case 0x00: return (.control(" "), 1)
    case 0x01...0x1A: return (.control(Character(Unicode.Scalar(byte + 0x60))), 1)
    case 0x1C...0x1F: return (.unknown, 1)
    case 0x20...0x7E: return (.character(Character(Unicode.Scalar(byte))), 1)
    default: return decodeUTF8(bytes, at: index)
    }
  }

  private static func decodeUTF8(_ bytes: [UInt8], at index: Int) -> (KeyStroke?, Int)? {
    let byte = bytes[index]
    let length: Int
    switch byte {
    case 0xC2...0xDF: length = 2
    case 0xE0...0xEF: length = 3
    case 0xF0...0xF4: length = 4
    default: return (nil, 1)
    }
    guard index + length <= bytes.count else { return nil }
    let slice = bytes[index..<(index + length)]
    guard slice.dropFirst().allSatisfy({ $0 & 0xC0 == 0x80 }) else { return (nil, 1) }
    let text = String(decoding: slice, as: UTF8.self)
    guard let character = text.first, text.unicodeScalars.first != "\u{FFFD}" else { return (nil, length) }
    return (.character(character), length)
  }

  private static func decodeEscape(_ bytes: [UInt8], at index: Int) -> (KeyStroke?, Int)? {
    guard index + 1 < bytes.count else { return nil }
    let next = bytes[index + 1]
    if next == UInt8(ascii: "[") { return decodeCSI(bytes, at: index) }
    if next == UInt8(ascii: "O") {
      guard index + 2 < bytes.count else { return nil }
      return (finalKey(bytes[index + 2]) ?? .unknown, 3)
    }
    // ESC followed by anything else: Escape, then that key on its own.
    return (.escape, 1)
  }

  /// `ESC [ params final`: parameters are digits, `;` and `:`; the final byte is 0x40–0x7E.
  private static func decodeCSI(_ bytes: [UInt8], at index: Int) -> (KeyStroke?, Int)? {
    var end = index + 2
    while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) {
      guard end - index < 32 else { return (.unknown, end - index) }
      end += 1
    }
    guard end < bytes.count else { return nil }
    let final = bytes[end]
    let length = end - index + 1
    let text = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
    let params = text.split(separator: ";", omittingEmptySubsequences: false).map {
      Int($0.split(separator: ":").first ?? "") ?? 0
    }
    switch final {
    case UInt8(ascii: "~"): return (tildeKey(params), length)
    case UInt8(ascii: "u"):
      return (codepointKey(params.first ?? 0, modifiers: params.count > 1 ? params[1] : 1), length)
    case UInt8(ascii: "Z"): return (.backTab, length)
    default: return (finalKey(final) ?? .unknown, length)
    }
  }

  private static func finalKey(_ final: UInt8) -> KeyStroke? {
    switch final {
    case UInt8(ascii: "A"): return .up
    case UInt8(ascii: "B"): return .down
    case UInt8(ascii: "C"): return .right
    case UInt8(ascii: "D"): return .left
    case UInt8(ascii: "H"): return .home
    case UInt8(ascii: "F"): return .end
    default: return nil
    }
  }

  private static func tildeKey(_ params: [Int]) -> KeyStroke {
    switch params.first ?? 0 {
    case 1, 7: return .home
    case 4, 8: return .end
    case 5: return .pageUp
    case 6: return .pageDown
    case 3: return .delete
    // xterm modifyOtherKeys: ESC [ 27 ; modifiers ; code ~
    case 27 where params.count >= 3: return codepointKey(params[2], modifiers: params[1])
    default: return .unknown
    }
  }

  /// A key named by its Unicode code point and xterm-style modifiers (1 + shift 1, alt 2, ctrl 4).
  private static func codepointKey(_ code: Int, modifiers: Int) -> KeyStroke {
    let flags = max(0, modifiers - 1)
    let control = flags & 4 != 0
    let shift = flags & 1 != 0
    switch code {
    case 13: return .enter
    case 9: return shift ? .backTab : .tab
    case 27: return .escape
    case 127, 8: return .backspace
    default: break
    }
    guard let scalar = Unicode.Scalar(code), code >= 0x20 else { return .unknown }
    let character = Character(scalar)
    if control { return .control(Character(character.lowercased())) }
    return .character(shift ? Character(character.uppercased()) : character)
  }
}
