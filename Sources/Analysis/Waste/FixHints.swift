/// The concrete change to suggest for each kind of waste, using the layer's own command.
enum FixHints {
  static func forPath(category: WasteCategory, kind: String, command: String?) -> String {
    let cmd = command ?? ""
    let quoted = CommandText.short(command)
    switch kind {
    case "apt-lists":
      if cmd.contains("apt-get update") || cmd.contains("apt update"), !cmd.contains("/var/lib/apt/lists") {
        return "This layer runs `apt-get update` without `rm -rf /var/lib/apt/lists/*` in the same RUN: end that RUN with `&& rm -rf /var/lib/apt/lists/*`."
      }
      return "Remove /var/lib/apt/lists/* in the same RUN that runs `apt-get update`."
    case "apt-archives":
      return "Downloaded .deb files ship in the image: add `&& apt-get clean` (and `rm -rf /var/cache/apt/archives/*`) to the same RUN as `apt-get install`."
    case "apk": return "Use `apk add --no-cache …` instead of `apk update`/`apk add`, which leave the index cache behind."
    case "dnf": return "End the RUN that installs packages with `&& dnf clean all` (or `yum clean all`), or use `--setopt=keepcache=0`."
    case "pip":
      if cmd.contains("pip install") && !cmd.contains("--no-cache-dir") {
        return "This layer runs `pip install` without `--no-cache-dir`: add it (or set `ENV PIP_NO_CACHE_DIR=1`)."
      }
      return "Install with `pip install --no-cache-dir`, or `rm -rf ~/.cache/pip` in the same RUN."
    case "npm": return "Use `npm ci` and end the RUN with `&& npm cache clean --force`, or use a cache mount (`RUN --mount=type=cache,target=/root/.npm`)."
    case "yarn": return "End the RUN with `&& yarn cache clean`, or use a cache mount for the yarn cache."
    case "pnpm": return "Use a cache mount for the pnpm store, or `pnpm store prune` in the same RUN."
    case "go": return "Build in a builder stage and copy only the binary (`COPY --from=build`); or use `RUN --mount=type=cache,target=/root/.cache/go-build`."
    case "maven", "gradle": return "Build in a builder stage and copy only the artifact; or use a cache mount (`--mount=type=cache,target=/root/.m2`)."
    case "cargo": return "Build in a builder stage and copy only the binary; the registry cache is not needed at run time."
    case "gem": return "Use `gem install --no-document` and remove the gem cache (`rm -rf /usr/local/bundle/cache`) in the same RUN."
    case "composer": return "Run `composer install --no-cache` or clear the cache in the same RUN."
    case "pyc":
      return "Set `ENV PYTHONDONTWRITEBYTECODE=1` before this step (`pip install --no-compile`), or delete `__pycache__` in the same RUN; Python recreates bytecode when it needs it."
    case "tmp": return "Clean temporary files in the same RUN that makes them (`&& rm -rf /tmp/*`)."
    case "log": return "Do not ship logs: delete them in the same RUN that writes them, or log to stdout."
    case "vcs": return "A version-control directory was copied in: add `.git` (or `.svn`, `.hg`) to .dockerignore."
    case "junk": return "Editor and OS leftovers were copied in: add them to .dockerignore."
    case "compiler", "headers":
      return "Compilers and headers are only needed to build: build in one stage (`FROM … AS build`) and `COPY --from=build` only the results into a clean final stage, or `apt-get purge --auto-remove` the build packages in the same RUN."
    case "docs", "locale":
      return "Informational. To drop docs, man pages and locales from Debian packages, add dpkg `path-exclude` rules (/etc/dpkg/dpkg.cfg.d/) before installing, or use a slim base."
    default:
      _ = quoted
      return "Remove these files in the same step that creates them."
    }
  }

  static func hiddenLater(deleted: Bool, layer: Int, command: String?, by: Int, byCommand: String?) -> String {
    let maker = "layer \(layer) (`\(CommandText.short(command, limit: 60))`)"
    let hider = "layer \(by) (`\(CommandText.short(byCommand, limit: 60))`)"
    if deleted {
      return "These files are added by \(maker) and deleted by \(hider), but still ship in layer \(layer). Delete them in the same RUN that creates them (`… && rm …`), or create them in a build stage."
    }
    return "These files are written by \(maker) and written again by \(hider); the lower copies still ship. Produce the final version in one step."
  }

  static func metadataRewrite(layer: Int, command: String?, by: Int, byCommand: String?) -> String {
    let by = "Layer \(by) (`\(CommandText.short(byCommand, limit: 60))`)"
    return "\(by) rewrote files from layer \(layer) without changing their content (only owner or mode), so the content ships twice. Use `COPY --chown=… --chmod=…`, or set ownership and mode in the same RUN that creates the files."
  }

  static let duplicate =
    "The same content is stored at several paths: keep one copy and point the others at it with a symlink or hard link, or copy it only once."

  static let sensitive =
    "Remove it from the build context (.dockerignore) and rotate the secret: anyone with the image can read it, even if a later layer deletes it. Pass build-time secrets with `RUN --mount=type=secret`."
}
