/// The concrete change to suggest for each kind of waste, using the layer's own command.
enum FixHints {
  static func forPath(category: WasteCategory, kind: String, command: String?) -> String {
    let cmd = command ?? ""
    switch kind {
    case "apt-lists":
      if cmd.contains("apt-get update") || cmd.contains("apt update"), !cmd.contains("/var/lib/apt/lists") {
        return
          "`apt-get update` runs without `rm -rf /var/lib/apt/lists/*` in the same RUN: end that RUN with `&& rm -rf /var/lib/apt/lists/*`."
      }
      return "Remove /var/lib/apt/lists/* in the same RUN that runs `apt-get update`."
    case "apt-archives":
      return
        "Downloaded .deb files ship in the image: add `&& apt-get clean` (and `rm -rf /var/cache/apt/archives/*`) to the same RUN as `apt-get install`."
    case "apt-pkgcache":
      return
        "apt's binary caches (/var/cache/apt/pkgcache.bin, srcpkgcache.bin) are rebuilt from the lists whenever apt needs them: end the RUN that runs apt-get with `&& apt-get clean` (or `rm -f /var/cache/apt/*.bin`)."
    case "apt-cache":
      return "End the RUN that runs apt-get with `&& apt-get clean`: nothing under /var/cache/apt is read at run time."
    case "apk":
      return "Use `apk add --no-cache …` instead of `apk update`/`apk add`, which leave the index cache behind."
    case "dnf":
      return
        "End the RUN that installs packages with `&& dnf clean all` (or `yum clean all`), or use `--setopt=keepcache=0`."
    case "pip":
      if cmd.contains("pip install") && !cmd.contains("--no-cache-dir") {
        return "`pip install` runs without `--no-cache-dir`: add it (or set `ENV PIP_NO_CACHE_DIR=1`)."
      }
      return "Install with `pip install --no-cache-dir`, or `rm -rf ~/.cache/pip` in the same RUN."
    case "npm":
      return
        "Use `npm ci` and end the RUN with `&& npm cache clean --force`, or use a cache mount (`RUN --mount=type=cache,target=/root/.npm`)."
    case "yarn": return "End the RUN with `&& yarn cache clean`, or use a cache mount for the yarn cache."
    case "pnpm": return "Use a cache mount for the pnpm store, or `pnpm store prune` in the same RUN."
    case "go":
      return
        "Build in a builder stage and copy only the binary (`COPY --from=build`); or use `RUN --mount=type=cache,target=/root/.cache/go-build`."
    case "maven", "gradle":
      return
        "Build in a builder stage and copy only the artifact; or use a cache mount (`--mount=type=cache,target=/root/.m2`)."
    case "cargo":
      return "Build in a builder stage and copy only the binary; the registry cache is not needed at run time."
    case "gem":
      return
        "Use `gem install --no-document` and remove the gem cache (`rm -rf /usr/local/bundle/cache`) in the same RUN."
    case "composer": return "Run `composer install --no-cache` or clear the cache in the same RUN."
    case "tmp": return "Clean temporary files in the same RUN that makes them (`&& rm -rf /tmp/*`)."
    case "log": return "Do not ship logs: delete them in the same RUN that writes them, or log to stdout."
    case "vcs": return "A version-control directory was copied in: add `.git` (or `.svn`, `.hg`) to .dockerignore."
    case "junk": return "Editor and OS leftovers were copied in: add them to .dockerignore."
    default:
      return category.definition.fix
    }
  }

  /// The fix for lower copies a later layer deleted or overwrote (the finding's layer lines
  /// name the layers and their commands).
  static func hiddenLater(deleted: Bool) -> String {
    if deleted {
      return
        "Files deleted by a later layer still ship in the layer that added them: delete them in the same RUN that creates them (`… && rm …`), or create them in a build stage."
    }
    return
      "Files written again by a later layer still ship in their first version: produce the final version in one step."
  }

  /// The fix for a rewrite that changed only owner or mode, or nothing, by the layer running
  /// `byCommand`.
  static func rewrite(_ category: WasteCategory, byCommand: String?) -> String {
    let command = CommandText.display(byCommand)
    if category == .metadataRewrite, command.contains("chown") || command.contains("chmod") {
      return
        "A separate `chown`/`chmod` step copies every file it touches: use `COPY --chown=… --chmod=…`, or set ownership and mode in the same RUN that creates the files."
    }
    return category.definition.fix
  }
}
