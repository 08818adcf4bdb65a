#!/usr/bin/env bash
# registry.sh — strata reading an image from a registry, against downloading its blobs alone.
#
#   Scripts/bench/registry.sh [IMAGE.tar]       # default: $BENCH_WORK/real-1gb.tar
#   STRATA=/path/to/strata BENCH_RUNS=5 Scripts/bench/registry.sh
#
# Starts Debian's docker-registry on a loopback port of its own, twice (their storage under
# $BENCH_WORK, removed at the end; the registries are stopped by their PIDs), pushes IMAGE with
# skopeo (gzip layers), an eStargz conversion of it (Scripts/testing/make-estargz.py, 4 MiB chunks as
# the reference writer makes them), and a zstd:chunked copy (skopeo --dest-compress-format
# zstd:chunked). Then, BENCH_RUNS times each, under /usr/bin/time -v:
#   curl        every blob of the manifest (config and layers) to /dev/null, as many transfers
#               at once as strata reads layers at once (one per core)
#   curl+gunzip the same, one blob after the other, each piped through gzip -dc (a floor for
#               reading gzip layers: strata must decompress them too)
#   registry    strata analyze registry://HOST/bench/image:gzip --format json
#   file        strata analyze IMAGE --format json
#   estargz     strata analyze registry://HOST/bench/image:esgz --format json
#   zchunked    strata analyze registry://ZHOST/bench/image:zchunked --format json (a second
#               registry, see below)
#   warm        the registry run again with the layer cache the run before it filled (the
#               second analysis of an image)
# Each strata run but warm gets an empty XDG_CACHE_HOME (no layer cache helps). Prints median wall time,
# CPU time (user + system) and peak RSS, and the ratios against the issue's targets:
#   registry / curl time        <= 1.2
#   registry - file peak RSS    <= 32 MB
#   registry / warm time        >= 10   (and the same figures)
#   estargz bytes downloaded / blob bytes   < 5 %   (listing alone, and with the content reads
#                                                    the findings made: image.bytesReadBy)
#   zchunked bytes downloaded / blob bytes  (the same figures, for zstd:chunked)
# Nothing is asserted: the exit code is 0 unless something could not run.
#
# Environment: STRATA (default: this repo's release build), BENCH_WORK (default
# /work/bench-work), BENCH_RUNS (default 3).
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
WORK="${BENCH_WORK:-/work/bench-work}"
IMAGE="${1:-$WORK/real-1gb.tar}"
RUNS="${BENCH_RUNS:-3}"
STRATA="${STRATA:-$(cd "$REPO_DIR" && swift build -c release --show-bin-path)/strata}"
log() { printf '[registry-bench %s] %s\n' "$(date +%T)" "$*" >&2; }
for program in docker-registry skopeo curl python3 /usr/bin/time; do
  command -v "$program" >/dev/null || { log "$program is not installed (Scripts/setup.sh installs it)"; exit 1; }
done
[[ -x "$STRATA" ]] || { log "no strata binary at $STRATA (build it: swift build -c release)"; exit 1; }
[[ -s "$IMAGE" ]] || { log "no image at $IMAGE (Scripts/bench/make-real-image.sh makes one)"; exit 1; }

RUN_DIR="$(mktemp -d "$WORK/registry-bench.XXXXXX")"
REGISTRY_PIDS=()
cleanup() {
  local pid
  for pid in "${REGISTRY_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
# start_registry NAME: a docker-registry of its own on a free loopback port (storage under
# $RUN_DIR/NAME); sets STARTED_HOST to its HOST:PORT (not a subshell: its PID must be kept).
start_registry() {
  local port host
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  host="127.0.0.1:$port"
  mkdir -p "$RUN_DIR/$1"
  cat >"$RUN_DIR/$1/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $RUN_DIR/$1/data
http:
  addr: $host
CONF
  docker-registry serve "$RUN_DIR/$1/config.yml" >"$RUN_DIR/$1/registry.log" 2>&1 &
  REGISTRY_PIDS+=($!)
  for _ in $(seq 100); do curl -sf "http://$host/v2/" >/dev/null && break; sleep 0.1; done
  STARTED_HOST="$host"
}
start_registry main
HOST="$STARTED_HOST"
# zstd:chunked goes to a registry of its own: skopeo 1.9 reuses a layer the destination already
# has in another compression (its blob info cache knows the gzip ones pushed above), whatever
# --dest-compress-format says.
start_registry zchunked
ZHOST="$STARTED_HOST"

log "push $(basename "$IMAGE") ($(du -h "$IMAGE" | cut -f1)) as gzip"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "docker-archive:$IMAGE" "docker://$HOST/bench/image:gzip"
log "convert to eStargz and push"
python3 "$REPO_DIR/Scripts/testing/make-estargz.py" "$IMAGE" "$RUN_DIR/esgz.tar"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci-archive:$RUN_DIR/esgz.tar" "docker://$HOST/bench/image:esgz"
log "push as zstd:chunked"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false --dest-compress --dest-compress-format zstd:chunked \
  "docker-archive:$IMAGE" "docker://$ZHOST/bench/image:zchunked"

# The blobs of a tag (in the registry at $2, else $HOST), one URL a line (config first), and their bytes.
blob_urls() {
  local host="${2:-$HOST}"
  curl -sf -H "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json" \
    "http://$host/v2/bench/image/manifests/$1" |
    python3 -c 'import json,sys; m=json.load(sys.stdin); [print(b["digest"], b["size"]) for b in [m["config"]] + m["layers"]]' |
    while read -r digest size; do echo "http://$host/v2/bench/image/blobs/$digest $size"; done
}
blob_urls gzip >"$RUN_DIR/gzip.blobs"
blob_urls esgz >"$RUN_DIR/esgz.blobs"
blob_urls zchunked "$ZHOST" >"$RUN_DIR/zchunked.blobs"
cat "$IMAGE" >/dev/null

# measure NAME COMMAND...: wall seconds and peak RSS (kB) appended to $RUN_DIR/NAME.times.
# The layer cache starts empty, unless KEEP_CACHE=1 (what the run before left).
measure() {
  local name="$1" tv="$RUN_DIR/time.txt"
  shift
  if [ "${KEEP_CACHE:-0}" != 1 ]; then rm -rf "$RUN_DIR/cache" && mkdir -p "$RUN_DIR/cache"; fi
  XDG_CACHE_HOME="$RUN_DIR/cache" /usr/bin/time -v -o "$tv" "$@" >"$RUN_DIR/$name.out" 2>"$RUN_DIR/$name.err" || {
    log "$name failed: $(tail -c 400 "$RUN_DIR/$name.err")"
    exit 1
  }
  python3 - "$tv" >>"$RUN_DIR/$name.times" <<'PY'
import sys
wall = rss = cpu = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("User time (seconds)") or line.startswith("System time (seconds)"):
        cpu += float(line.rsplit(" ", 1)[1])
    elif line.startswith("Elapsed (wall clock) time"):
        parts = [float(p) for p in line.rsplit(" ", 1)[1].split(":")]
        wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    elif line.startswith("Maximum resident set size"):
        rss = int(line.rsplit(" ", 1)[1])
print(wall, rss, cpu)
PY
}
curl_blobs() {
  local args=()
  while read -r url _; do args+=(-o /dev/null "$url"); done <"$RUN_DIR/gzip.blobs"
  curl -sf --parallel --parallel-max "$(nproc)" "${args[@]}"
}
# The same downloads, each layer also gunzipped (what strata must do besides): the floor for
# reading gzip layers.
curl_gunzip() {
  local url
  while read -r url _; do curl -sf "$url" | gzip -dc >/dev/null 2>&1 || true; done <"$RUN_DIR/gzip.blobs"
}
export -f curl_blobs curl_gunzip
export RUN_DIR

for run in $(seq "$RUNS"); do
  log "run $run of $RUNS"
  measure curl bash -c curl_blobs
  measure curl+gunzip bash -c curl_gunzip
  measure registry "$STRATA" analyze "registry://$HOST/bench/image:gzip" --format json -o "$RUN_DIR/registry.json"
  KEEP_CACHE=1 measure warm "$STRATA" analyze "registry://$HOST/bench/image:gzip" --format json -o "$RUN_DIR/warm.json"
  measure file "$STRATA" analyze "$IMAGE" --format json -o "$RUN_DIR/file.json"
  measure estargz "$STRATA" analyze "registry://$HOST/bench/image:esgz" --format json -o "$RUN_DIR/estargz.json"
  measure zchunked "$STRATA" analyze "registry://$ZHOST/bench/image:zchunked" --format json -o "$RUN_DIR/zchunked.json"
done

log "the eStargz archive read as a file, for its figures"
XDG_CACHE_HOME="$RUN_DIR/cache" "$STRATA" analyze "$RUN_DIR/esgz.tar" --format json -o "$RUN_DIR/esgz-file.json"

python3 - "$RUN_DIR" "$IMAGE" "$STRATA" <<'PY'
import json, statistics, sys
run, image, strata = sys.argv[1:]
def times(name):
    rows = [tuple(map(float, line.split())) for line in open(f"{run}/{name}.times")]
    return (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows) / 1024,
            statistics.median(r[2] for r in rows))
def blob_bytes(tag):
    return sum(int(line.split()[1]) for line in open(f"{run}/{tag}.blobs"))
def figures(path):
    drop = {"source", "archiveBytes", "bytesRead", "bytesReadBy", "location", "label", "format", "tags", "pullBytes",
            "pullBytesSource", "digest", "mediaType", "storedBytes", "compression", "config"}
    def strip(v):
        if isinstance(v, dict): return {k: strip(x) for k, x in v.items() if k not in drop}
        if isinstance(v, list): return [strip(x) for x in v]
        return v
    return strip(json.load(open(path)))
print(f"image {image}, strata {strata}, median of the runs")
print(f"{'command':<12} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
rows = {name: times(name) for name in ["curl", "curl+gunzip", "registry", "warm", "file", "estargz", "zchunked"]}
for name, (wall, mb, cpu) in rows.items():
    print(f"{name:<12} {wall:>8.2f} {cpu:>8.2f} {mb:>8.1f}")
print(f"registry / curl+gunzip time  {rows['registry'][0] / rows['curl+gunzip'][0]:.2f}x (the download and decompression alone)")
ratio = rows["registry"][0] / rows["curl"][0]
extra = rows["registry"][1] - rows["file"][1]
print(f"registry / curl time      {ratio:.2f}x   (target <= 1.2x: {'met' if ratio <= 1.2 else 'MISSED'})")
print(f"registry - file peak RSS  {extra:+.1f} MB (target <= 32 MB: {'met' if extra <= 32 else 'MISSED'})")
warm = rows["registry"][0] / rows["warm"][0]
print(f"registry / warm time      {warm:.1f}x   (target >= 10x: {'met' if warm >= 10 else 'MISSED'}); "
      f"figures equal: {figures(f'{run}/warm.json') == figures(f'{run}/registry.json')}")
def lazy(name, tag, what, reference):
    report = json.load(open(f"{run}/{name}.json"))
    by = report["image"]["bytesReadBy"]
    blobs = blob_bytes(tag)
    listing, content = by["headers"], sum(v for k, v in by.items() if k != "headers")
    print(f"{name} listing (manifest, config, {what}) {listing} B = {100 * listing / blobs:.3f} % of {blobs} blob bytes")
    print(f"{name} with content reads ({', '.join(f'{k} {v}' for k, v in by.items() if k != 'headers') or 'none'}) "
          f"{listing + content} B = {100 * (listing + content) / blobs:.3f} % (target < 5 %: "
          f"{'met' if (listing + content) * 20 < blobs else 'MISSED'})")
    same = figures(f"{run}/{name}.json") == figures(reference)
    print(f"{name} figures (TOC and Range reads) equal {reference.rsplit('/', 1)[-1]}'s figures: {same}")
    notes = [n for n in report["waste"]["notes"] if "could not read" in n]
    print(f"{name} content reads that failed: {len(notes)}{': ' + notes[0] if notes else ''}")
same = figures(f"{run}/registry.json") == figures(f"{run}/file.json")
print(f"registry figures equal file figures: {same}")
lazy("estargz", "esgz", "footers, TOCs", f"{run}/esgz-file.json")
lazy("zchunked", "zchunked", "zstd:chunked manifests", f"{run}/file.json")
PY
