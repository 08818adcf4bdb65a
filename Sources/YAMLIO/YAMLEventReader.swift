internal import CYAML

/// One libyaml parser event, copied out of libyaml's struct.
enum YAMLEvent: Equatable {
  case streamStart, streamEnd
  case documentStart, documentEnd
  /// `*name`
  case alias(String)
  case scalar(YAMLScalar, anchor: String?)
  case sequenceStart(anchor: String?)
  case sequenceEnd
  case mappingStart(anchor: String?)
  case mappingEnd
}

/// libyaml's event parser (`yaml_parser_parse`) over one text.
final class YAMLEventReader {
  private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
  /// The text's UTF-8 bytes, owned here so that they stay put while libyaml reads them; one
  /// byte longer than the text (libyaml wants a non-null pointer even for "").
  private let input: UnsafeMutableBufferPointer<UInt8>
  private let length: Int
  private let ready: Bool

  init(_ text: String) {
    length = text.utf8.count
    input = .allocate(capacity: length + 1)
    _ = input.initialize(from: text.utf8)
    input[length] = 0
    ready = yaml_parser_initialize(parser) == 1
    guard ready else { return }
    yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    yaml_parser_set_input_string(parser, input.baseAddress, length)
  }

  deinit {
    if ready { yaml_parser_delete(parser) }
    parser.deallocate()
    input.deallocate()
  }

  /// The next event and the 1-based line it starts on.
  /// - Throws: `YAMLError` with libyaml's problem and line.
  func next() throws(YAMLError) -> (event: YAMLEvent, line: Int) {
    guard ready else { throw YAMLError(line: 0, problem: "out of memory") }
    var event = yaml_event_t()
    guard yaml_parser_parse(parser, &event) == 1 else { throw error() }
    defer { yaml_event_delete(&event) }
    let line = Int(event.start_mark.line) + 1
    switch event.type {
    case YAML_STREAM_START_EVENT: return (.streamStart, line)
    case YAML_STREAM_END_EVENT: return (.streamEnd, line)
    case YAML_DOCUMENT_START_EVENT: return (.documentStart, line)
    case YAML_DOCUMENT_END_EVENT: return (.documentEnd, line)
    case YAML_ALIAS_EVENT: return (.alias(Self.string(event.data.alias.anchor) ?? ""), line)
    case YAML_SCALAR_EVENT:
      let data = event.data.scalar
      let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
      return (.scalar(YAMLScalar(text, style: Self.style(data.style)), anchor: Self.string(data.anchor)), line)
    case YAML_SEQUENCE_START_EVENT: return (.sequenceStart(anchor: Self.string(event.data.sequence_start.anchor)), line)
    case YAML_SEQUENCE_END_EVENT: return (.sequenceEnd, line)
    case YAML_MAPPING_START_EVENT: return (.mappingStart(anchor: Self.string(event.data.mapping_start.anchor)), line)
    case YAML_MAPPING_END_EVENT: return (.mappingEnd, line)
    default: throw YAMLError(line: line, problem: "unexpected event \(event.type.rawValue)")
    }
  }

  /// libyaml's error: its problem text, at its problem mark (reader errors give a byte offset).
  private func error() -> YAMLError {
    let state = parser.pointee
    guard state.error != YAML_MEMORY_ERROR else { return YAMLError(line: 0, problem: "out of memory") }
    let problem = state.problem.map { String(cString: $0) } ?? "libyaml error \(state.error.rawValue)"
    if state.error == YAML_READER_ERROR {
      let before = input.prefix(min(Int(state.problem_offset), length))
      return YAMLError(line: before.count { $0 == UInt8(ascii: "\n") } + 1, problem: problem)
    }
    return YAMLError(line: Int(state.problem_mark.line) + 1, problem: problem)
  }

  private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
    switch style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: return .literal
    case YAML_FOLDED_SCALAR_STYLE: return .folded
    default: return .plain
    }
  }
}
