import ImageModel
import JSONIO

/// Reads the parts of an image config strata uses.
enum ConfigParser {
  static func parse(_ bytes: [UInt8], file: String) throws -> ImageConfig {
    let json = JSONReading(file: file)
    let root = try json.object(try json.parse(bytes), "config")
    var config = ImageConfig()
    config.architecture = try json.optionalString(root, "architecture", in: "config")
    config.os = try json.optionalString(root, "os", in: "config")
    config.variant = try json.optionalString(root, "variant", in: "config")
    config.created = try json.optionalString(root, "created", in: "config")
    if let rootfsValue = root["rootfs"], !rootfsValue.isNull {
      let rootfs = try json.object(rootfsValue, "rootfs")
      config.diffIDs = try json.stringArray(rootfs, "diff_ids", in: "rootfs") ?? []
    }
    if let historyValue = root["history"], !historyValue.isNull {
      config.history = try json.array(historyValue, "history").enumerated().map { position, value in
        let here = "history[\(position)]"
        let item = try json.object(value, here)
        var entry = HistoryEntry()
        entry.created = try json.optionalString(item, "created", in: here)
        entry.createdBy = try json.optionalString(item, "created_by", in: here)
        entry.comment = try json.optionalString(item, "comment", in: here)
        if let flag = item["empty_layer"], !flag.isNull {
          guard let value = flag.boolValue else {
            throw json.wrongType("\(here).empty_layer", expected: "a boolean", got: flag)
          }
          entry.emptyLayer = value
        }
        return entry
      }
    }
    return config
  }
}
