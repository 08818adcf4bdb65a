import ImageModel
import JSONIO

/// Finds the images a container holds, from `manifest.json` (Docker) or `index.json` (OCI).
struct ManifestResolver {
  let container: any ImageSource
  let options: LoadOptions

  /// Every image in the container; a multi-platform index counts as one image.
  func plans() throws -> [ImagePlan] {
    let hasManifest = container.member("manifest.json") != nil
    let hasIndex = container.member("index.json") != nil
    if hasManifest { return try dockerPlans(enrich: hasIndex) }
    if hasIndex { return try ociPlans() }
    if container.isDirectory {
      throw ImageLoadError(
        .bareLayer, file: container.displayName,
        "a directory without index.json or manifest.json: strata reads an OCI image layout or an unpacked `docker save` here; for a saved image give the archive file, or save one with `docker save IMAGE -o FILE`"
      )
    }
    throw ImageLoadError(
      .bareLayer, file: container.displayName,
      "no manifest.json or index.json: this looks like a single layer or a root filesystem tar, not a saved image; save the whole image with `docker save IMAGE -o FILE` (or `podman save`)"
    )
  }

  /// Picks the image the options name (or the only one) and reads its config; checks the
  /// platform `--platform` asks for against the config, so that no option is silently ignored.
  func selectWithConfig(from plans: [ImagePlan]) throws -> (ImagePlan, ImageConfig) {
    var candidates = plans
    if let wanted = options.image {
      candidates = plans.filter { plan in plan.tags.contains { Self.tag($0, matches: wanted) } }
      if candidates.isEmpty {
        throw ImageLoadError(
          .noSuchImage, file: container.displayName,
          "no image tagged '\(wanted)'; the archive holds: \(plans.map(\.choiceName).joined(separator: ", "))")
      }
    }
    guard let first = candidates.first else {
      throw ImageLoadError(.noManifest, file: container.displayName, "the manifest lists no images")
    }
    // Several entries of the same name are one image for several platforms.
    let oneName = !first.tags.isEmpty && candidates.allSatisfy { Set($0.tags) == Set(first.tags) }
    guard candidates.count == 1 || options.image != nil || oneName else {
      throw ImageLoadError(
        .ambiguousImage, file: container.displayName,
        "the archive holds \(plans.count) images; pick one with --image: \(plans.map(\.choiceName).joined(separator: ", "))"
      )
    }
    let configs = try candidates.map { plan in
      try ConfigParser.parse(
        try container.metadata(plan.configLocation), file: "\(container.displayName): \(plan.configLocation)")
    }
    let platforms = configs.map(\.platform)
    let wanted = options.platform ?? (candidates.count > 1 ? Self.hostPlatform : nil)
    guard let wanted else { return (first, configs[0]) }
    // A config that names no platform cannot contradict one (hand-made archives).
    if let match = platforms.indices.first(where: { platforms[$0] == nil || platforms[$0] == wanted })
      ?? platforms.indices.first(where: { Self.platform(platforms[$0], matches: wanted) })
    {
      return (candidates[match], configs[match])
    }
    let available = Set(platforms.compactMap { $0 }).sorted().joined(separator: ", ")
    if options.platform == nil { return (first, configs[0]) }
    throw ImageLoadError(
      .noSuchPlatform, file: container.displayName,
      "the image is not built for \(wanted); it has: \(available) (pick one of those with --platform, or leave --platform out)"
    )
  }

  /// `docker.io/library/alpine:3` matches `alpine:3`, `library/alpine:3` and itself.
  static func tag(_ tag: String, matches wanted: String) -> Bool {
    if tag == wanted { return true }
    for prefix in ["docker.io/library/", "docker.io/", "localhost/", "library/"] where tag.hasPrefix(prefix) {
      if String(tag.dropFirst(prefix.count)) == wanted { return true }
    }
    return false
  }

  // MARK: Docker manifest.json

  private func dockerPlans(enrich: Bool) throws -> [ImagePlan] {
    let file = "\(container.displayName): manifest.json"
    let json = JSONReading(file: file)
    let root = try json.parse(try container.metadata("manifest.json"))
    let images = try json.array(root, "manifest.json")
    let ociLayers = enrich ? (try? ociLayerDescriptors()) ?? [:] : [:]
    return try images.enumerated().map { position, value in
      let context = "image \(position)"
      let object = try json.object(value, context)
      let configName = try json.requiredString(object, "Config", in: context)
      let config = try safeLocation(configName, file: file)
      let tags = try json.stringArray(object, "RepoTags", in: context) ?? []
      guard let layerNames = try json.stringArray(object, "Layers", in: context) else {
        throw ImageLoadError(.invalidMetadata, file: file, "\(context) has no 'Layers'")
      }
      let configDigest = Self.digest(fromBlobLocation: config)
      let described = configDigest.flatMap { ociLayers[$0] }
      var layers: [LayerPlan] = []
      for (layerPosition, name) in layerNames.enumerated() {
        let location = try safeLocation(name, file: file)
        var plan = LayerPlan(location: location, digest: Self.digest(fromBlobLocation: location))
        plan.storedSize = container.member(location)?.size
        if let described, layerPosition < described.count, described[layerPosition].digest == plan.digest {
          plan.mediaType = described[layerPosition].mediaType
        }
        layers.append(plan)
      }
      let format: ImageFormat = config.hasPrefix("blobs/") ? .dockerOCIArchive : .dockerArchive
      return ImagePlan(format: format, tags: tags, configLocation: config, configDigest: configDigest, layers: layers)
    }
  }

  private func safeLocation(_ name: String, file: String) throws -> String {
    guard case .path(let location, _) = PathNormalizer.normalize(name) else {
      throw ImageLoadError(.unsafePath, file: file, "'\(name)' points outside the archive")
    }
    return location
  }

  static func digest(fromBlobLocation location: String) -> String? {
    let parts = location.split(separator: "/")
    guard parts.count == 3, parts[0] == "blobs" else { return nil }
    return "\(parts[1]):\(parts[2])"
  }

  /// For Docker 25+ archives: the OCI manifests' layer descriptors, keyed by config digest.
  private func ociLayerDescriptors() throws -> [String: [LayerPlan]] {
    var result: [String: [LayerPlan]] = [:]
    for plan in try ociPlans() {
      if let digest = plan.configDigest { result[digest] = plan.layers }
    }
    return result
  }

  // MARK: OCI index.json

  private func ociPlans() throws -> [ImagePlan] {
    let file = "\(container.displayName): index.json"
    let json = JSONReading(file: file)
    let root = try json.object(try json.parse(try container.metadata("index.json")), "index.json")
    let descriptors = try self.descriptors(root, json: json, context: "index.json")
    var plans: [ImagePlan] = []
    for descriptor in descriptors {
      let tags = descriptor.tags
      if let plan = try resolve(descriptor, tags: tags, depth: 0) { plans.append(plan) }
    }
    // The same manifest listed under several names is one image with several tags.
    var merged: [ImagePlan] = []
    for plan in plans {
      if let existing = merged.firstIndex(where: {
        $0.manifestDigest == plan.manifestDigest && plan.manifestDigest != nil
      }) {
        merged[existing].tags += plan.tags.filter { !merged[existing].tags.contains($0) }
      } else {
        merged.append(plan)
      }
    }
    return merged
  }

  struct Descriptor {
    var mediaType: String?
    var digest: String
    var size: Int64?
    var tags: [String]
    var platform: String?
  }

  private func descriptors(_ object: JSONObject, json: JSONReading, context: String) throws -> [Descriptor] {
    guard let list = object["manifests"] else {
      throw ImageLoadError(.invalidMetadata, file: json.file, "\(context) has no 'manifests'")
    }
    return try json.array(list, "\(context).manifests").enumerated().map { position, value in
      let here = "\(context).manifests[\(position)]"
      let item = try json.object(value, here)
      let digest = try json.requiredString(item, "digest", in: here)
      var tags: [String] = []
      if let annotations = item["annotations"]?.objectValue {
        if let name = annotations["io.containerd.image.name"]?.stringValue {
          tags.append(name)
        } else if let name = annotations["org.opencontainers.image.ref.name"]?.stringValue {
          tags.append(name)
        }
      }
      var platform: String?
      if let described = item["platform"]?.objectValue {
        let os = described["os"]?.stringValue ?? "unknown"
        let architecture = described["architecture"]?.stringValue ?? "unknown"
        platform = "\(os)/\(architecture)"
        if let variant = described["variant"]?.stringValue { platform? += "/\(variant)" }
      }
      return Descriptor(
        mediaType: try json.optionalString(item, "mediaType", in: here), digest: digest,
        size: try json.optionalInteger(item, "size", in: here), tags: tags, platform: platform)
    }
  }

  private func blob(_ digest: String, file: String) throws -> String {
    guard let location = MediaTypes.blobLocation(digest) else {
      throw ImageLoadError(.unsafePath, file: file, "'\(digest)' is not a valid digest")
    }
    return location
  }

  private func resolve(_ descriptor: Descriptor, tags: [String], depth: Int) throws -> ImagePlan? {
    let location = try blob(descriptor.digest, file: "\(container.displayName): index.json")
    let file = "\(container.displayName): \(location)"
    guard depth < 4 else { throw ImageLoadError(.invalidMetadata, file: file, "image indexes nested too deep") }
    if let type = descriptor.mediaType, !MediaTypes.isIndex(type), !MediaTypes.isManifest(type) {
      return nil  // attestations, signatures, artifacts: not an image
    }
    let json = JSONReading(file: file)
    let object = try json.object(try json.parse(try container.metadata(location)), location)
    let type = try json.optionalString(object, "mediaType", in: location) ?? descriptor.mediaType
    if MediaTypes.isIndex(type) || (type == nil && object["manifests"] != nil) {
      let children = try descriptors(object, json: json, context: location).filter {
        $0.platform != "unknown/unknown" && (MediaTypes.isManifest($0.mediaType) || $0.mediaType == nil)
      }
      let chosen = try choosePlatform(children, file: file)
      guard var plan = try resolve(chosen, tags: [], depth: depth + 1) else { return nil }
      plan.tags = tags
      plan.manifestDigest = descriptor.digest
      return plan
    }
    return try imagePlan(object, json: json, tags: tags, manifestDigest: descriptor.digest)
  }

  private func choosePlatform(_ children: [Descriptor], file: String) throws -> Descriptor {
    let available = children.map { $0.platform ?? "unknown" }
    if let wanted = options.platform {
      if let match = children.first(where: { $0.platform == wanted })
        ?? children.first(where: { Self.platform($0.platform, matches: wanted) })
      {
        return match
      }
      throw ImageLoadError(
        .noSuchPlatform, file: file,
        "no image for platform '\(wanted)'; available: \(available.joined(separator: ", "))")
    }
    if children.count == 1, let only = children.first { return only }
    if let host = children.first(where: { $0.platform == Self.hostPlatform })
      ?? children.first(where: { Self.platform($0.platform, matches: Self.hostPlatform) })
    {
      return host
    }
    throw ImageLoadError(
      .noSuchPlatform, file: file,
      "the index has no image for this machine (\(Self.hostPlatform)); pick one with --platform: \(available.joined(separator: ", "))"
    )
  }

  static var hostPlatform: String {
    #if arch(arm64)
      return "linux/arm64"
    #else
      return "linux/amd64"
    #endif
  }

  static func platform(_ platform: String?, matches wanted: String) -> Bool {
    guard let platform else { return false }
    return platform == wanted || platform.hasPrefix(wanted + "/")
  }

  private func imagePlan(_ object: JSONObject, json: JSONReading, tags: [String], manifestDigest: String) throws
    -> ImagePlan
  {
    guard let configValue = object["config"] else {
      throw ImageLoadError(.invalidMetadata, file: json.file, "manifest has no 'config'")
    }
    let config = try json.object(configValue, "config")
    let configDigest = try json.requiredString(config, "digest", in: "config")
    if let type = try json.optionalString(config, "mediaType", in: "config"), !MediaTypes.configs.contains(type) {
      throw ImageLoadError(
        .unknownMediaType, file: json.file, "config media type '\(type)' is not a container image config")
    }
    let layerValues = try json.array(object["layers"] ?? .array([]), "layers")
    var layers: [LayerPlan] = []
    for (position, value) in layerValues.enumerated() {
      let here = "layers[\(position)]"
      let layer = try json.object(value, here)
      let digest = try json.requiredString(layer, "digest", in: here)
      let mediaType = try json.optionalString(layer, "mediaType", in: here)
      if let mediaType, !MediaTypes.layers.contains(mediaType) {
        throw ImageLoadError(
          .unknownMediaType, file: json.file,
          "\(here) has media type '\(mediaType)', which strata cannot read (expected a tar, tar+gzip or tar+zstd layer)"
        )
      }
      layers.append(
        LayerPlan(
          location: try blob(digest, file: json.file), digest: digest, mediaType: mediaType,
          storedSize: try json.optionalInteger(layer, "size", in: here)))
    }
    return ImagePlan(
      format: container.ociFormat, tags: tags, configLocation: try blob(configDigest, file: json.file),
      configDigest: configDigest, configSize: try json.optionalInteger(config, "size", in: "config"), layers: layers,
      manifestDigest: manifestDigest)
  }
}
