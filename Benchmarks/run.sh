#!/usr/bin/env bash
# Interleave vs Spin on Lamport's TwoPhase commit, same model, same machine, same run; then the
# other benchmark models (Interleave only).
#
# Usage: Benchmarks/run.sh [N...]          (default: 7 8; N = number of resource managers)
#
# Environment:
#   INTERLEAVE_BIN  a prebuilt `interleave` binary (otherwise a release build is made with
#                   `swift build -c release --scratch-path .build-bench` in the repository)
#   SPIN_MODEL      the Promela model (default: ../shared/bench/twophase.pml next to the repository)
#   WORKERS         the multi-worker count for Interleave (default: nproc)
#   MODELS          the other models, space-separated SPEC:PARAM=VALUE[,PARAM=VALUE...] items
#                   (default: "FilterLock:processes=5 FilterLock:processes=6
#                   LeaderElection:processes=6 LeaderElection:processes=7
#                   TwoPhaseMessages:rm=6 TwoPhaseMessages:rm=7"; empty: skip the table)
#
# Requires bash, awk, sed and GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time).
# Spin is optional (apt-get install spin; it also needs gcc): without it only Interleave runs.
# Interleave runs with --workers 1 (the comparison with Spin, which is single-threaded) and with
# --workers $WORKERS, depth-first (--strategy dfs, one thread, the search Spin makes), with
# --exact on one worker (full states stored and compared, the guarantee Spin gives here), and
# depth-first with --exact (Spin's search and Spin's guarantee together); Spin
# runs without partial-order reduction (-DNOREDUCE), so both explore the same full state space.
# Each configuration runs once.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/.." && pwd)

if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(7 8); fi
for n in "${sizes[@]}"; do
  case "$n" in
    '' | *[!0-9]*) echo "run.sh: N must be a positive integer, got '$n'" >&2; exit 64 ;;
  esac
done

workers=${WORKERS:-$(nproc)}
case "$workers" in
  '' | *[!0-9]* | 0) echo "run.sh: WORKERS must be a positive integer, got '$workers'" >&2; exit 64 ;;
esac
models_default="FilterLock:processes=5 FilterLock:processes=6 LeaderElection:processes=6 LeaderElection:processes=7 TwoPhaseMessages:rm=6 TwoPhaseMessages:rm=7"
read -r -a models <<< "${MODELS-$models_default}"
for item in "${models[@]}"; do
  case "$item" in
    *:*=*) ;;
    [A-Za-z]*) case "$item" in *:*) echo "run.sh: MODELS item '$item' is not SPEC or SPEC:PARAM=VALUE[,...]" >&2; exit 64 ;; esac ;;
    *) echo "run.sh: MODELS item '$item' is not SPEC or SPEC:PARAM=VALUE[,...]" >&2; exit 64 ;;
  esac
done
# Interleave's worker counts: 1, and $workers when it is more.
worker_counts=(1)
if [ "$workers" -gt 1 ]; then worker_counts+=("$workers"); fi

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
# json_string FILE KEY: a top-level string from Interleave's JSON report.
json_string() { sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p" "$1" | head -1; }
# reference distinct-state counts of the other default models (empty when unknown).
expected_model_states() {
  case "$1" in
    FilterLock:processes=5) echo 344805 ;; FilterLock:processes=6) echo 8786754 ;;
    LeaderElection:processes=6) echo 118843 ;; LeaderElection:processes=7) echo 2267140 ;;
    TwoPhaseMessages:rm=6) echo 121809 ;; TwoPhaseMessages:rm=7) echo 840055 ;;
    *) echo "" ;;
  esac
}
# worker_label W: "1 worker" or "W workers".
worker_label() { if [ "$1" = 1 ]; then echo "1 worker"; else echo "$1 workers"; fi; }
# run_interleave JSON TIMELOG WORKERS SPEC [--param X=Y]...: one run under /usr/bin/time -v.
# Exit status 0 (holds) or 1 (violation) with a JSON report is accepted; anything else stops.
run_interleave() {
  local json=$1 tlog=$2 nworkers=$3 spec=$4 rc=0
  shift 4
  /usr/bin/time -v -o "$tlog" "$interleave" check "$spec" "$@" --workers "$nworkers" --json --quiet > "$json" || rc=$?
  if { [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; } || [ ! -s "$json" ]; then
    echo "run.sh: interleave exited with status $rc for $spec $* --workers $nworkers" >&2
    cat "$json" >&2 || true
    exit 70
  fi
}

# run_one_worker_variant N LABEL TAG DEPTH_WORD OPTION...: TwoPhase rm=N on one worker with
# OPTION..., printed as the row "Interleave, LABEL" with a note; its distinct states must equal
# the 1-worker BFS's ($i_distinct). Sets v_distinct, v_rate and v_rss (peak RSS in kB).
run_one_worker_variant() {
  local n=$1 label=$2 tag=$3 depth_word=$4
  shift 4
  local json="$work/interleave-$n-$tag.json" tlog="$work/interleave-$n-$tag.time"
  run_interleave "$json" "$tlog" 1 TwoPhase --param "rm=$n" "$@"
  v_distinct=$(json_field "$json" distinctStates)
  v_rate=$(json_field "$json" statesPerSecond)
  v_rss=$(rss_kb "$tlog")
  printf '| %s | Interleave, %s | %s | %.3f | %s | %.0f | %s | %s |\n' \
    "$n" "$label" "$v_distinct" "$(json_field "$json" seconds)" "$(wall_s "$tlog")" "$v_rate" \
    "$(calc "printf \"%.0f\", $v_rss / 1024")" "$(json_field "$json" bytesPerState)"
  notes+=("N=$n Interleave, $label: generated states $(json_field "$json" generatedStates), $depth_word $(json_field "$json" depth), peak RSS/state $(calc "printf \"%.1f\", $v_rss * 1024 / $v_distinct") B")
  if [ "$v_distinct" != "$i_distinct" ]; then
    notes+=("MISMATCH N=$n: Interleave, $label found $v_distinct distinct states, BFS with fingerprints $i_distinct")
  fi
}

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
echo "- interleave: ${interleave#"$repo"/} (BFS, 64-bit fingerprints; --workers ${worker_counts[*]})"
if [ -z "${INTERLEAVE_BIN:-}" ] && git -C "$repo" rev-parse --short HEAD > /dev/null 2>&1; then
  echo "- built from: commit $(git -C "$repo" rev-parse --short HEAD)$( [ -n "$(git -C "$repo" status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null)" ] && echo ", with uncommitted changes under Sources/ or Package.swift")"
fi
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
ratio_rows=()
for n in "${sizes[@]}"; do
  # --- Interleave ----------------------------------------------------------------------------------
  i_rate=""; i_rss=""; i_distinct=""; i_wall=""
  for nw in "${worker_counts[@]}"; do
    json="$work/interleave-$n-w$nw.json"
    tlog="$work/interleave-$n-w$nw.time"
    run_interleave "$json" "$tlog" "$nw" TwoPhase --param "rm=$n"
    distinct=$(json_field "$json" distinctStates)
    generated=$(json_field "$json" generatedStates)
    depth=$(json_field "$json" depth)
    seconds=$(json_field "$json" seconds)
    rate=$(json_field "$json" statesPerSecond)
    bps=$(json_field "$json" bytesPerState)
    rss=$(rss_kb "$tlog")
    wall=$(wall_s "$tlog")
    printf '| %s | Interleave, %s | %s | %.3f | %s | %.0f | %s | %s |\n' \
      "$n" "$(worker_label "$nw")" "$distinct" "$seconds" "$wall" "$rate" "$(calc "printf \"%.0f\", $rss / 1024")" "$bps"
    notes+=("N=$n Interleave, $(worker_label "$nw"): generated states $generated, depth $depth, peak RSS/state $(calc "printf \"%.1f\", $rss * 1024 / $distinct") B")
    if [ "$nw" = 1 ]; then
      i_distinct=$distinct; i_rate=$rate; i_rss=$rss; i_wall=$wall; i_generated=$generated; i_depth=$depth
    else
      m_rate=$rate; m_rss=$rss
      if [ "$distinct" != "$i_distinct" ] || [ "$generated" != "$i_generated" ] || [ "$depth" != "$i_depth" ]; then
        notes+=("MISMATCH N=$n: Interleave with $nw workers found $distinct distinct / $generated generated / depth $depth, with 1 worker $i_distinct / $i_generated / $i_depth")
      fi
    fi
  done
  # Depth-first on one thread, the search Spin makes (counts must agree; the depth is the deepest).
  run_one_worker_variant "$n" DFS dfs "deepest state" --strategy dfs
  d_rate=$v_rate
  # Exact (--exact, one worker): full states stored and compared, the guarantee Spin gives here.
  run_one_worker_variant "$n" exact exact depth --exact
  e_distinct=$v_distinct; e_rate=$v_rate; e_rss=$v_rss
  # Depth-first and exact: Spin's search with Spin's guarantee.
  run_one_worker_variant "$n" "DFS exact" dfs-exact "deepest state" --strategy dfs --exact
  de_rate=$v_rate
  r_multi="n/a"; r_rss_multi="n/a"
  if [ "${#worker_counts[@]}" -gt 1 ]; then
    r_multi=$(calc "if ($i_rate > 0) printf \"%.2f\", $m_rate / $i_rate; else print \"n/a\"")
    notes+=("N=$n ratio: Interleave $workers workers states/s / Interleave 1 worker states/s = $r_multi")
  fi
  expected=$(expected_states "$n")
  if [ -n "$expected" ] && [ "$i_distinct" != "$expected" ]; then
    notes+=("MISMATCH N=$n: Interleave found $i_distinct distinct states, the reference count is $expected")
  fi
  r_speed="n/a"; r_rss="n/a"; r_wall="n/a"; r_exact="n/a"; r_rss_exact="n/a"

  # --- Spin ----------------------------------------------------------------------------------------
  if [ -n "$spin_skip" ]; then
    ratio_rows+=("| $n | $r_speed | $r_multi | $r_rss | $r_rss_multi | $r_wall | $r_exact | $r_rss_exact |")
    continue
  fi
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
  if [ -n "$s_rate" ] && [ "$(calc "print ($s_rate > 0)")" = 1 ]; then
    r_speed=$(calc "printf \"%.2f\", $i_rate / $s_rate")
    notes+=("N=$n ratio: Interleave 1 worker states/s / Spin states/s = $r_speed")
    notes+=("N=$n ratio: Interleave DFS states/s / Spin states/s = $(calc "printf \"%.2f\", $d_rate / $s_rate")")
    notes+=("N=$n ratio: Interleave DFS exact states/s / Spin states/s = $(calc "printf \"%.2f\", $de_rate / $s_rate")")
    r_exact=$(calc "printf \"%.2f\", $e_rate / $s_rate")
    notes+=("N=$n ratio: Interleave exact states/s / Spin states/s = $r_exact")
  fi
  r_rss_exact=$(calc "printf \"%.2f\", ($s_rss / $s_stored) / ($e_rss / $e_distinct)")
  notes+=("N=$n ratio: Spin RSS/state / Interleave exact RSS/state = $r_rss_exact")
  r_rss=$(calc "printf \"%.2f\", ($s_rss / $s_stored) / ($i_rss / $i_distinct)")
  notes+=("N=$n ratio: Spin RSS/state / Interleave 1 worker RSS/state = $r_rss")
  if [ "${#worker_counts[@]}" -gt 1 ]; then
    r_rss_multi=$(calc "printf \"%.2f\", ($s_rss / $s_stored) / ($m_rss / $i_distinct)")
    notes+=("N=$n ratio: Spin RSS/state / Interleave $workers workers RSS/state = $r_rss_multi")
  fi
  r_wall=$(calc "if ($i_wall > 0 && $s_wall > 0) printf \"%.2f\", $s_wall / $i_wall; else print \"n/a\"")
  notes+=("N=$n ratio: Spin wall / Interleave 1 worker wall = $r_wall")
  ratio_rows+=("| $n | $r_speed | $r_multi | $r_rss | $r_rss_multi | $r_wall | $r_exact | $r_rss_exact |")
done

echo
if [ "${#worker_counts[@]}" -gt 1 ]; then
  echo "Ratios (same run; \"1w\" = Interleave --workers 1, \"${workers}w\" = --workers $workers):"
  echo
  echo "| N | 1w states/s ÷ Spin states/s | ${workers}w states/s ÷ 1w states/s | Spin RSS/state ÷ 1w RSS/state | Spin RSS/state ÷ ${workers}w RSS/state | Spin wall ÷ 1w wall | exact states/s ÷ Spin states/s | Spin RSS/state ÷ exact RSS/state |"
  echo "|---|---|---|---|---|---|---|---|"
  for row in "${ratio_rows[@]}"; do echo "$row"; done
else
  echo "Ratios (same run; \"1w\" = Interleave --workers 1):"
  echo
  echo "| N | 1w states/s ÷ Spin states/s | Spin RSS/state ÷ 1w RSS/state | Spin wall ÷ 1w wall | exact states/s ÷ Spin states/s | Spin RSS/state ÷ exact RSS/state |"
  echo "|---|---|---|---|---|---|"
  for row in "${ratio_rows[@]}"; do echo "$row" | awk -F' [|] ' '{ print $1 " | " $2 " | " $4 " | " $6 " | " $7 " | " $8 }'; done
fi
echo
for note in "${notes[@]}"; do echo "- $note"; done
if [ -n "$spin_skip" ]; then echo "- Spin was skipped: $spin_skip"; fi
echo
if [ "${#worker_counts[@]}" -gt 1 ]; then worker_text="--workers 1 and --workers $workers"; else worker_text="--workers 1"; fi
echo "Interleave: $worker_text, DFS on one thread, --exact on one worker (full states stored and"
echo "compared, as Spin stores them here), and DFS with --exact; seconds and states/s are its own search figures; bytes/state is"
echo "its own figure (fingerprint shards or, exact, stored states and their table; + parent log). Spin: single-threaded, no"
echo "partial-order reduction (-DNOREDUCE); seconds and states/s are pan's; bytes/state is peak RSS /"
echo "stored states. Wall and peak RSS are /usr/bin/time -v, whole process. RSS/state ratios use peak RSS."

# --- other models (Interleave only) --------------------------------------------------------------
if [ "${#models[@]}" -gt 0 ]; then
  echo
  echo "## Other models (Interleave only)"
  echo
  echo "| model | params | workers | verdict | distinct | generated | depth | seconds | states/s | speedup | bytes/state | peak RSS MB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  model_notes=()
  k=0
  for item in "${models[@]}"; do
    k=$((k + 1))
    spec=${item%%:*}
    params=()
    plabel="(defaults)"
    if [ "$spec" != "$item" ]; then
      plabel=${item#*:}
      IFS=',' read -r -a kvs <<< "$plabel"
      for kv in "${kvs[@]}"; do params+=(--param "$kv"); done
    fi
    base_rate=""; base_counts=""
    for nw in "${worker_counts[@]}"; do
      json="$work/model-$k-w$nw.json"
      tlog="$work/model-$k-w$nw.time"
      run_interleave "$json" "$tlog" "$nw" "$spec" "${params[@]}"
      distinct=$(json_field "$json" distinctStates)
      generated=$(json_field "$json" generatedStates)
      depth=$(json_field "$json" depth)
      seconds=$(json_field "$json" seconds)
      rate=$(json_field "$json" statesPerSecond)
      bps=$(json_field "$json" bytesPerState)
      verdict=$(json_string "$json" verdict)
      rss=$(rss_kb "$tlog")
      if [ "$nw" = 1 ]; then
        base_rate=$rate; base_counts="$distinct/$generated/$depth"; speedup="1.00"
      else
        speedup=$(calc "if ($base_rate > 0) printf \"%.2f\", $rate / $base_rate; else print \"n/a\"")
        if [ "$distinct/$generated/$depth" != "$base_counts" ]; then
          model_notes+=("MISMATCH $item: $nw workers found $distinct/$generated/$depth (distinct/generated/depth), 1 worker $base_counts")
        fi
      fi
      printf '| %s | %s | %s | %s | %s | %s | %s | %.3f | %.0f | %s | %s | %s |\n' \
        "$spec" "$plabel" "$nw" "${verdict:-?}" "$distinct" "$generated" "$depth" "$seconds" "$rate" "$speedup" "$bps" \
        "$(calc "printf \"%.0f\", $rss / 1024")"
    done
    expected=$(expected_model_states "$item")
    if [ -n "$expected" ] && [ "$distinct" != "$expected" ]; then
      model_notes+=("MISMATCH $item: $distinct distinct states, the reference count is $expected")
    fi
  done
  echo
  for note in "${model_notes[@]}"; do echo "- $note"; done
  if [ "${#worker_counts[@]}" -gt 1 ]; then
    echo "speedup: states/s with $workers workers ÷ states/s with 1 worker, same run. Counts are checked"
    echo "to be identical for both worker counts (a MISMATCH line otherwise)."
  fi
fi
