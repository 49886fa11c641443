#!/usr/bin/env bash
# Interleave vs Spin on Lamport's TwoPhase commit, same model, same machine, same run.
#
# Usage: Benchmarks/run.sh [N...]          (default: 7 8; N = number of resource managers)
#
# Environment:
#   INTERLEAVE_BIN  a prebuilt `interleave` binary (otherwise a release build is made with
#                   `swift build -c release --scratch-path .build-bench` in the repository)
#   SPIN_MODEL      the Promela model (default: ../shared/bench/twophase.pml next to the repository)
#
# Requires bash, awk, sed and GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time).
# Spin is optional (apt-get install spin; it also needs gcc): without it only Interleave runs.
# Interleave runs single-threaded; Spin runs without partial-order reduction (-DNOREDUCE), so
# both explore the same full state space. Each configuration runs once.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/.." && pwd)

if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(7 8); fi
for n in "${sizes[@]}"; do
  case "$n" in
    '' | *[!0-9]*) echo "run.sh: N must be a positive integer, got '$n'" >&2; exit 64 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "run.sh: /usr/bin/time (GNU time) is required for peak RSS; install it (Debian/Ubuntu: apt-get install time)" >&2
  exit 69
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- Interleave binary -------------------------------------------------------------------------
if [ -n "${INTERLEAVE_BIN:-}" ]; then
  interleave=$INTERLEAVE_BIN
  [ -x "$interleave" ] || { echo "run.sh: INTERLEAVE_BIN=$interleave is not executable" >&2; exit 66; }
else
  echo "Building Interleave (release, --scratch-path .build-bench)..." >&2
  (cd "$repo" && swift build -c release --scratch-path .build-bench >&2)
  interleave="$(cd "$repo" && swift build -c release --scratch-path .build-bench --show-bin-path)/interleave"
fi

# --- Spin and its model ------------------------------------------------------------------------
spin_skip=""
if ! command -v spin > /dev/null 2>&1; then
  spin_skip="spin is not on PATH"
elif ! command -v gcc > /dev/null 2>&1; then
  spin_skip="gcc is not on PATH (needed to compile pan.c)"
else
  model=${SPIN_MODEL:-"$repo/../shared/bench/twophase.pml"}
  if [ ! -f "$model" ]; then spin_skip="model not found at $model (set SPIN_MODEL)"; fi
fi

# --- helpers -------------------------------------------------------------------------------------
# json_field FILE KEY: a top-level number from Interleave's one-line JSON report.
json_field() { sed -n "s/.*\"$2\":\([-0-9.eE+]*\).*/\1/p" "$1" | head -1; }
# peak RSS in kB and wall-clock seconds from a `/usr/bin/time -v` log.
rss_kb() { awk -F': *' '/Maximum resident set size/ {print $2}' "$1"; }
wall_s() {
  awk '/Elapsed \(wall clock\) time/ {
         t = $NF; n = split(t, p, ":"); s = 0
         for (i = 1; i <= n; i++) s = s * 60 + p[i]
         printf "%.2f\n", s }' "$1"
}
# expected distinct states (for sizing Spin's hash table) and ceil(log2(2 * expected)).
expected_states() {
  case "$1" in
    3) echo 288 ;; 5) echo 8832 ;; 7) echo 296448 ;; 8) echo 1745408 ;; 9) echo 10340352 ;; *) echo "" ;;
  esac
}
hash_bits() {
  local expected w=0
  expected=$(expected_states "$1")
  if [ -z "$expected" ]; then echo 23; return; fi
  while [ $((1 << w)) -lt $((2 * expected)) ]; do w=$((w + 1)); done
  echo "$w"
}
calc() { awk "BEGIN { $1 }"; }

# --- header --------------------------------------------------------------------------------------
echo "# Interleave vs Spin: TwoPhase (Lamport), N resource managers"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- uname -m: $(uname -m)"
echo "- nproc: $(nproc)"
echo "- CPU: $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)"
echo "- memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
if command -v swift > /dev/null 2>&1; then
  echo "- swift: $(swift --version 2>&1 | head -1)"
else
  echo "- swift: not on PATH"
fi
echo "- interleave: ${interleave#"$repo"/} (single-threaded, BFS, 64-bit fingerprints)"
if [ -z "$spin_skip" ]; then
  echo "- spin: $(spin -V 2>&1 | head -1) (pan: gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=16384)"
  echo "- gcc: $(gcc --version | head -1)"
  echo "- model: $(cd "$(dirname "$model")" && pwd)/$(basename "$model")"
else
  echo "- spin: SKIPPED ($spin_skip)"
fi
echo
echo "| N | tool | distinct states | seconds (search) | wall s | states/s | peak RSS MB | bytes/state |"
echo "|---|---|---|---|---|---|---|---|"

notes=()
for n in "${sizes[@]}"; do
  # --- Interleave --------------------------------------------------------------------------------
  json="$work/interleave-$n.json"
  tlog="$work/interleave-$n.time"
  rc=0
  /usr/bin/time -v -o "$tlog" "$interleave" check TwoPhase --param "rm=$n" --json --quiet > "$json" || rc=$?
  if [ "$rc" -ne 0 ] || [ ! -s "$json" ]; then
    echo "run.sh: interleave exited with status $rc for N=$n" >&2
    cat "$json" >&2 || true
    exit 70
  fi
  i_distinct=$(json_field "$json" distinctStates)
  i_generated=$(json_field "$json" generatedStates)
  i_depth=$(json_field "$json" depth)
  i_seconds=$(json_field "$json" seconds)
  i_rate=$(json_field "$json" statesPerSecond)
  i_bps=$(json_field "$json" bytesPerState)
  i_rss=$(rss_kb "$tlog")
  i_wall=$(wall_s "$tlog")
  i_rss_mb=$(calc "printf \"%.0f\", $i_rss / 1024")
  printf '| %s | Interleave | %s | %.3f | %s | %.0f | %s | %s |\n' \
    "$n" "$i_distinct" "$i_seconds" "$i_wall" "$i_rate" "$i_rss_mb" "$i_bps"
  notes+=("N=$n Interleave: generated states $i_generated, depth $i_depth, peak RSS/state $(calc "printf \"%.1f\", $i_rss * 1024 / $i_distinct") B")

  # --- Spin ----------------------------------------------------------------------------------------
  if [ -n "$spin_skip" ]; then continue; fi
  dir="$work/spin-$n"
  mkdir -p "$dir"
  cp "$model" "$dir/twophase.pml"
  w=$(hash_bits "$n")
  (
    cd "$dir"
    spin "-DN=$n" -a twophase.pml > spin.log 2>&1
    gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=16384 -o pan pan.c > gcc.log 2>&1
  ) || { echo "run.sh: spin/gcc failed for N=$n" >&2; cat "$dir"/spin.log "$dir"/gcc.log >&2 || true; exit 70; }
  rc=0
  (cd "$dir" && /usr/bin/time -v -o pan.time ./pan -m100000 "-w$w" > pan.out 2>&1) || rc=$?
  s_stored=$(awk '/states, stored/ {print $1; exit}' "$dir/pan.out")
  s_matched=$(awk '/states, matched/ {print $1; exit}' "$dir/pan.out")
  s_transitions=$(awk '/transitions \(= stored\+matched\)/ {print $1; exit}' "$dir/pan.out")
  s_errors=$(sed -n 's/.*errors: *\([0-9]*\).*/\1/p' "$dir/pan.out" | head -1)
  s_depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' "$dir/pan.out" | head -1)
  s_seconds=$(awk '/^pan: elapsed time/ {print $4; exit}' "$dir/pan.out")
  s_rate=$(awk '/^pan: rate/ {print $3; exit}' "$dir/pan.out")
  s_mem=$(awk '/total actual memory usage/ {print $1; exit}' "$dir/pan.out")
  s_rss=$(rss_kb "$dir/pan.time")
  s_wall=$(wall_s "$dir/pan.time")
  if [ -z "$s_stored" ]; then
    echo "run.sh: could not read 'states, stored' from pan (exit status $rc) for N=$n:" >&2
    cat "$dir/pan.out" >&2
    exit 70
  fi
  if [ -z "$s_rate" ] && [ -n "$s_seconds" ]; then
    s_rate=$(calc "if ($s_seconds > 0) printf \"%.0f\", $s_stored / $s_seconds")
  fi
  s_rss_mb=$(calc "printf \"%.0f\", $s_rss / 1024")
  s_bps=$(calc "printf \"%.1f\", $s_rss * 1024 / $s_stored")
  printf '| %s | Spin | %s | %s | %s | %s | %s | %s |\n' \
    "$n" "$s_stored" "${s_seconds:-n/a}" "$s_wall" "$( [ -n "$s_rate" ] && calc "printf \"%.0f\", $s_rate" || echo n/a)" "$s_rss_mb" "$s_bps"
  notes+=("N=$n Spin: -w$w, transitions $s_transitions (stored $s_stored + matched $s_matched), max search depth $s_depth, errors ${s_errors:-?}, pan exit status $rc, pan's own 'total actual memory usage' ${s_mem:-?} MB")

  if [ "$s_stored" != "$i_distinct" ]; then
    notes+=("MISMATCH N=$n: Spin stored $s_stored states, Interleave found $i_distinct distinct states")
  fi
  expected=$(expected_states "$n")
  if [ -n "$expected" ] && [ "$i_distinct" != "$expected" ]; then
    notes+=("MISMATCH N=$n: Interleave found $i_distinct distinct states, the reference count is $expected")
  fi
  if [ -n "$s_rate" ] && [ "$(calc "print ($s_rate > 0)")" = 1 ]; then
    notes+=("N=$n ratio: Interleave states/s / Spin states/s = $(calc "printf \"%.2f\", $i_rate / $s_rate")")
  fi
  notes+=("N=$n ratio: Spin RSS/state / Interleave RSS/state = $(calc "printf \"%.2f\", ($s_rss / $s_stored) / ($i_rss / $i_distinct)")")
  notes+=("N=$n ratio: Spin wall / Interleave wall = $(calc "if ($i_wall > 0 && $s_wall > 0) printf \"%.2f\", $s_wall / $i_wall; else print \"n/a\"")")
done

echo
for note in "${notes[@]}"; do echo "- $note"; done
if [ -n "$spin_skip" ]; then echo "- Spin was skipped: $spin_skip"; fi
echo
echo "Interleave: single-threaded; seconds and states/s are its own search figures; bytes/state is its own"
echo "figure (the fingerprint store). Spin: no partial-order reduction (-DNOREDUCE); seconds and states/s"
echo "are pan's; bytes/state is peak RSS / stored states. Wall and peak RSS are /usr/bin/time -v, whole process."
