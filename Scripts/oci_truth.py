"""oci_truth — the ground truth of an image archive, from Python's `tarfile` only (never strata).

The one implementation of the OCI merge rules that strata's numbers are checked against; the
truth scripts import it:

  Scripts/fixture-truth.py   `<archive>.truth.json` and README of every fixture (make-fixtures.sh)
  Scripts/compare-truth.py   per-path records and differences between images (make-compare-images.sh)
  Scripts/bench/truth.py     layer and merged totals, compared with strata's JSON (bench.sh)

What it gives:
  images(path)   the images of a `docker save`/`podman save` archive (legacy layout, podman's,
                 Docker 25+) or an OCI archive: ref, tags, config, and layers that open as
                 `tarfile` objects (uncompressed blobs read in place, gzip/zstd decompressed)
  MergedTree     layers applied by the OCI image-spec rules: a layer's whiteouts (`.wh.NAME`) and
                 opaque markers (`.wh..wh..opq`) act on the layers below it, then its entries
                 apply; a non-directory replaces a directory's whole subtree; a directory entry
                 over a directory keeps its children; parents never named are implied.
"""
import gzip
import io
import json
import posixpath
import subprocess
import tarfile


def norm(name):
    """A member name normalised: no leading `/` or `./`, `..` applied; `""` for the root."""
    n = posixpath.normpath("/" + name).lstrip("/")
    return "" if n == "." else n


def kind(member):
    """`dir`, `file`, `symlink`, `hardlink` or `other`."""
    if member.isdir():
        return "dir"
    if member.isreg():
        return "file"
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hardlink"
    return "other"


class Window:
    """A read-only view of [start, start+size) of a file, for tarfile."""

    def __init__(self, f, start, size):
        self.f, self.start, self.size, self.pos = f, start, size, 0

    def read(self, n=-1):
        if n is None or n < 0 or self.pos + n > self.size:
            n = self.size - self.pos
        self.f.seek(self.start + self.pos)
        b = self.f.read(n)
        self.pos += len(b)
        return b

    def seek(self, off, whence=0):
        self.pos = off if whence == 0 else (self.pos + off if whence == 1 else self.size + off)
        return self.pos

    def tell(self):
        return self.pos


class Node:
    """A path of the merged tree: its record (None for an implied directory) and, for a
    directory, its children by name."""

    __slots__ = ("record", "children")

    def __init__(self, record, is_dir):
        self.record = record
        self.children = {} if is_dir else None


class MergedTree:
    """The filesystem after applying layers in order by the OCI rules."""

    def __init__(self):
        self.root = Node(None, True)

    def lookup(self, path):
        node = self.root
        for part in path.split("/") if path else []:
            if node.children is None:
                return None
            node = node.children.get(part)
            if node is None:
                return None
        return node

    def _ensure_dir(self, parts):
        node = self.root
        for part in parts:
            child = node.children.get(part)
            if child is None or child.children is None:
                child = Node(None, True)
                node.children[part] = child
            node = child
        return node

    def apply(self, members, record=lambda member: member):
        """Applies one layer's members (`TarInfo`s); each path keeps `record(member)`.
        Returns the number of whiteout markers (opaque ones included)."""
        whiteouts, opaques, adds = [], [], []
        for m in members:
            n = norm(m.name)
            if n == "":
                continue
            d, _, base = n.rpartition("/")
            if base == ".wh..wh..opq":
                opaques.append(d)
            elif base.startswith(".wh."):
                whiteouts.append((d, base[4:]))
            else:
                adds.append((n, m))
        for d in opaques:
            node = self.lookup(d)
            if node is not None and node.children is not None:
                node.children.clear()
        for d, name in whiteouts:
            node = self.lookup(d)
            if node is not None and node.children is not None:
                node.children.pop(name, None)
        for n, m in adds:
            parts = n.split("/")
            parent = self._ensure_dir(parts[:-1])
            old = parent.children.get(parts[-1])
            if m.isdir() and old is not None and old.children is not None:
                old.record = record(m)
            else:
                parent.children[parts[-1]] = Node(record(m), m.isdir())
        return len(whiteouts) + len(opaques)

    def walk(self):
        """Every path below the root: (path, node), parents before children."""
        stack = [("", self.root)]
        while stack:
            prefix, node = stack.pop()
            for name, child in node.children.items():
                path = prefix + "/" + name if prefix else name
                yield path, child
                if child.children is not None:
                    stack.append((path, child))


class Layer:
    """One layer of an image in an archive: where it is, its media type, and its tar."""

    def __init__(self, archive, path, member, media_type=""):
        self.archive, self.path, self.member, self.media_type = archive, path, member, media_type

    @property
    def blob_bytes(self):
        return self.member.size

    def blob(self):
        return self.archive.read_member(self.member)

    def _decompressed(self):
        """The blob decompressed when it is gzip or zstd, else None."""
        head = self.archive.peek(self.member, 4)
        if head[:4] == b"\x28\xb5\x2f\xfd" or "zstd" in self.media_type:
            return subprocess.run(["zstd", "-dc"], input=self.blob(), stdout=subprocess.PIPE, check=True).stdout
        if head[:2] == b"\x1f\x8b":
            return gzip.decompress(self.blob())
        return None

    def open(self):
        """The layer's uncompressed tar as a `tarfile` (read in place when stored uncompressed)."""
        raw = self._decompressed()
        return tarfile.open(fileobj=io.BytesIO(raw) if raw is not None else self.archive.window(self.member), mode="r:")

    def raw(self):
        """The uncompressed layer tar's bytes (for its diff_id)."""
        raw = self._decompressed()
        return raw if raw is not None else self.blob()


class Archive:
    """An image archive (a tar), its members by normalised name, links followed."""

    def __init__(self, path):
        self.path = path
        self.file = open(path, "rb")
        self.tar = tarfile.open(fileobj=self.file, mode="r:")
        self.members = {norm(m.name): m for m in self.tar}

    def member(self, name):
        m = self.members[norm(name)]
        hops = 0
        while (m.issym() or m.islnk()) and hops < 10:  # Docker's and podman's deduplicated layers
            target = posixpath.join(posixpath.dirname(norm(m.name)), m.linkname) if m.issym() else m.linkname
            m = self.members[norm(target)]
            hops += 1
        return m

    def window(self, member):
        return Window(self.file, member.offset_data, member.size)

    def peek(self, member, n):
        self.file.seek(member.offset_data)
        return self.file.read(min(n, member.size))

    def read_member(self, member):
        self.file.seek(member.offset_data)
        return self.file.read(member.size)

    def read(self, name):
        return self.read_member(self.member(name))

    def json(self, name):
        return json.loads(self.read(name))


def images(path):
    """The images of an archive: dicts with `ref`, `tags`, `config`, `layers` (Layer objects),
    and `format` (`docker-archive` or `oci-archive`)."""
    archive = Archive(path)
    found = []
    if "manifest.json" in archive.members:
        for entry in archive.json("manifest.json"):
            tags = entry.get("RepoTags") or []
            found.append({
                "format": "docker-archive", "ref": ", ".join(tags) or entry["Config"], "tags": tags,
                "config": archive.json(entry["Config"]),
                "layers": [Layer(archive, p, archive.member(p)) for p in entry["Layers"]],
            })
        return found

    def blob_name(digest):
        return "blobs/" + digest.replace(":", "/")

    def walk(descriptor):
        document = archive.json(blob_name(descriptor["digest"]))
        if "manifests" in document:
            for child in document["manifests"]:
                walk(child)
            return
        ref = (descriptor.get("annotations") or {}).get("org.opencontainers.image.ref.name", descriptor["digest"])
        layers = [Layer(archive, blob_name(l["digest"]), archive.member(blob_name(l["digest"])), l["mediaType"])
                  for l in document["layers"]]
        found.append({"format": "oci-archive", "ref": ref, "tags": [ref], "layers": layers,
                      "config": archive.json(blob_name(document["config"]["digest"]))})

    for descriptor in archive.json("index.json")["manifests"]:
        walk(descriptor)
    return found


def archive_members(path):
    """The normalised names of an archive's members."""
    return set(Archive(path).members)
