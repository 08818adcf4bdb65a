/// One node of a YAML document: a scalar, a mapping or a sequence, with the line it starts on.
///
/// Tags are not kept: every scalar is its text, typed (or not) by whoever reads it. An alias
/// is the node its anchor names, line included.
package struct YAMLNode: Sendable {
  /// What the node holds.
  package enum Content: Sendable {
    /// A single value.
    case scalar(YAMLScalar)
    /// Keys and values in the order the document gives them (duplicate keys kept).
    case mapping([(key: YAMLNode, value: YAMLNode)])
    /// Items in order.
    case sequence([YAMLNode])
  }

  /// What the node holds.
  package var content: Content
  /// 1-based line the node starts on (for a block mapping or sequence, its first entry's line).
  package var line: Int

  /// Creates a node.
  package init(_ content: Content, line: Int) {
    self.content = content
    self.line = line
  }

  /// The scalar, if the node is one.
  package var scalar: YAMLScalar? {
    if case .scalar(let scalar) = content { return scalar }
    return nil
  }

  /// The key/value pairs, if the node is a mapping.
  package var mapping: [(key: YAMLNode, value: YAMLNode)]? {
    if case .mapping(let pairs) = content { return pairs }
    return nil
  }

  /// The items, if the node is a sequence.
  package var sequence: [YAMLNode]? {
    if case .sequence(let items) = content { return items }
    return nil
  }
}

/// A scalar's text as the document spells it (escapes and folding applied) and how it was written.
package struct YAMLScalar: Sendable, Equatable {
  /// How a scalar is written; only plain scalars can be `null`, numbers or booleans.
  package enum Style: Sendable, Equatable {
    /// `value`
    case plain
    /// `'value'`
    case singleQuoted
    /// `"value"`
    case doubleQuoted
    /// `|` block
    case literal
    /// `>` block
    case folded
  }

  /// The text.
  package var text: String
  /// How it was written.
  package var style: Style

  /// Creates a scalar.
  package init(_ text: String, style: Style = .plain) {
    self.text = text
    self.style = style
  }
}
