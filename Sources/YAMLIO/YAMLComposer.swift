extension YAMLNode {
  /// The most nodes a document may hold once its aliases are expanded: far above any settings
  /// file, and low enough that a billion-laughs document is refused at once.
  package static let maxNodes = 1_000_000

  /// The deepest nesting of mappings and sequences accepted.
  package static let maxDepth = 512

  /// Composes the document in `text` from libyaml's events.
  ///
  /// Aliases are resolved to the node their anchor names (an anchor is defined once its node
  /// is complete, so a node cannot hold an alias to itself). A stream holding more than one
  /// document is refused, as Yams' `compose` does.
  /// - Returns: the root, or nil for a stream with no document (empty, or only comments).
  /// - Throws: `YAMLError` with the problem and its line: libyaml's syntax errors, an undefined
  ///   alias, a second document, more than `maxNodes` nodes or nesting past `maxDepth`.
  package static func compose(_ text: String) throws(YAMLError) -> YAMLNode? {
    var composer = YAMLComposer(events: YAMLEventReader(text))
    return try composer.firstDocument()
  }
}

/// Builds nodes from events with a stack of open collections (no recursion, whatever the depth).
struct YAMLComposer {
  /// A mapping or sequence whose end event has not come yet.
  private struct OpenCollection {
    var isMapping: Bool
    var anchor: String?
    var line: Int
    /// Items, or keys and values alternately.
    var children: [YAMLNode] = []
    /// Nodes it holds once aliases are expanded, itself included.
    var size = 1
  }

  private let events: YAMLEventReader
  /// Each anchor's node and its expanded size.
  private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
  private var nodeCount = 0

  init(events: YAMLEventReader) { self.events = events }

  /// The stream's only document, or nil when it has none.
  mutating func firstDocument() throws(YAMLError) -> YAMLNode? {
    _ = try events.next()  // stream start
    guard try events.next().event != .streamEnd else { return nil }  // else document start
    let root = try node(startingWith: try events.next())
    _ = try events.next()  // document end
    let after = try events.next()
    guard after.event == .streamEnd else { throw YAMLError(line: after.line, problem: "but found another document") }
    return root
  }

  /// The node that `first` starts, reading events up to its end.
  private mutating func node(startingWith first: (event: YAMLEvent, line: Int)) throws(YAMLError) -> YAMLNode {
    var open: [OpenCollection] = []
    var current = first
    while true {
      let line = current.line
      var finished: (node: YAMLNode, size: Int)?
      var anchor: String?
      switch current.event {
      case .scalar(let scalar, let name):
        try count(1, line: line)
        finished = (YAMLNode(.scalar(scalar), line: line), 1)
        anchor = name
      case .alias(let name):
        guard let target = anchors[name] else { throw YAMLError(line: line, problem: "found undefined alias") }
        try count(target.size, line: line)
        finished = target
      case .sequenceStart(let name):
        try start(OpenCollection(isMapping: false, anchor: name, line: line), in: &open)
      case .mappingStart(let name):
        try start(OpenCollection(isMapping: true, anchor: name, line: line), in: &open)
      case .sequenceEnd, .mappingEnd:
        guard let collection = open.popLast() else { throw YAMLError(line: line, problem: "unbalanced collection end") }
        finished = (Self.build(collection), collection.size)
        anchor = collection.anchor
      case .streamStart, .streamEnd, .documentStart, .documentEnd:
        throw YAMLError(line: line, problem: "expected a node")
      }
      if let finished {
        if let anchor { anchors[anchor] = finished }
        guard !open.isEmpty else { return finished.node }
        open[open.count - 1].children.append(finished.node)
        open[open.count - 1].size += finished.size
      }
      current = try events.next()
    }
  }

  private static func build(_ collection: OpenCollection) -> YAMLNode {
    guard collection.isMapping else { return YAMLNode(.sequence(collection.children), line: collection.line) }
    let children = collection.children
    let pairs = stride(from: 0, to: children.count - 1, by: 2).map { (key: children[$0], value: children[$0 + 1]) }
    return YAMLNode(.mapping(pairs), line: collection.line)
  }

  private mutating func start(_ collection: OpenCollection, in open: inout [OpenCollection]) throws(YAMLError) {
    guard open.count < YAMLNode.maxDepth else {
      throw YAMLError(line: collection.line, problem: "nested deeper than \(YAMLNode.maxDepth) levels")
    }
    try count(1, line: collection.line)
    open.append(collection)
  }

  /// Adds `nodes` to the document's expanded size, refusing documents past `maxNodes`.
  private mutating func count(_ nodes: Int, line: Int) throws(YAMLError) {
    nodeCount += nodes
    guard nodeCount <= YAMLNode.maxNodes else {
      throw YAMLError(line: line, problem: "more than \(YAMLNode.maxNodes) nodes once aliases are expanded")
    }
  }
}
