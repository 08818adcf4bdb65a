/// The report's script: hand-written, no framework, nothing loaded. It reads the data block,
/// lays out and draws the treemap, and builds the page with text nodes only.
enum HTMLScript {
  /// The whole script, its three parts in order.
  static let source = ScriptBasics.source + ScriptTreemap.source + ScriptPage.source
}
