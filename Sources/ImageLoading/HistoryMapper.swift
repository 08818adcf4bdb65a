import ImageModel

/// Gives each layer the command that made it, from the config's history.
enum HistoryMapper {
  /// History entries marked `empty_layer` made no tar; the others map to the layers in order.
  /// - Returns: an anomaly when the counts disagree (the commands are then mapped as far as they go).
  static func attach(_ history: [HistoryEntry], to layers: inout [Layer]) -> [Anomaly] {
    guard !history.isEmpty else { return [] }
    let producing = history.filter { !$0.emptyLayer }
    for (index, entry) in producing.enumerated() where index < layers.count {
      layers[index].descriptor.command = entry.createdBy
      layers[index].descriptor.created = entry.created
      layers[index].descriptor.comment = entry.comment
    }
    guard producing.count != layers.count else { return [] }
    return [
      Anomaly(
        kind: .historyMismatch,
        message:
          "the config history has \(producing.count) layer-making steps but the image has \(layers.count) layers; commands may be misattributed"
      )
    ]
  }
}
