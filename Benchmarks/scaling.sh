#!/usr/bin/env bash
# Multi-core scaling of the checker: TwoPhase at several worker counts, one run each.
# Usage: Benchmarks/scaling.sh BINARY [RM...]   (default RM: 9)
# Prints one markdown row per run: rm, workers, distinct, generated, depth, seconds, states/s,
# speedup over 1 worker, bytes/state, and peak RSS.
set -euo pipefail
binary=${1:?usage: Benchmarks/scaling.sh BINARY [RM...]}
shift
sizes=("${@:-9}")
cores=$(nproc)
echo "machine: $(uname -m), $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo
echo "| rm | workers | distinct | generated | depth | seconds | states/s | speedup | bytes/state | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for rm in "${sizes[@]}"; do
  base=""
  counts=()
  for workers in 1 2 4 8 16; do [ "$workers" -le "$cores" ] && counts+=("$workers"); done
  [ "${counts[-1]}" != "$cores" ] && counts+=("$cores")
  for workers in "${counts[@]}"; do
    if [ -x /usr/bin/time ]; then
      out=$( { /usr/bin/time -f "RSS %M" "$binary" check TwoPhase --param rm="$rm" --workers "$workers" --json --quiet; } 2>&1 || true)
    else
      out=$("$binary" check TwoPhase --param rm="$rm" --workers "$workers" --json --quiet 2>&1 || true)
    fi
    json=$(echo "$out" | grep '^{')
    rss=$(echo "$out" | grep '^RSS' | awk '{print int($2/1024)}')
    rss=${rss:-n/a}
    field() { echo "$json" | sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p"; }
    seconds=$(field seconds)
    [ -z "$base" ] && base=$seconds
    speedup=$(awk -v b="$base" -v s="$seconds" 'BEGIN { printf "%.2f", b / s }')
    echo "| $rm | $workers | $(field distinctStates) | $(field generatedStates) | $(field depth) | $seconds | $(field statesPerSecond) | $speedup | $(field bytesPerState) | $rss |"
  done
done
