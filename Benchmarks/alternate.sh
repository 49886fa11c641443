#!/usr/bin/env bash
# Two builds of the checker on the same runs, alternated, so that machine noise falls on both.
# Usage: Benchmarks/alternate.sh BINARY_A BINARY_B [ROUNDS] [SPEC:PARAM=VALUE[,PARAM=VALUE...]@WORKERS[/FLAG...] ...]
#   default ROUNDS: 3; default runs: TwoPhase:rm=9@1 TwoPhase:rm=9@<nproc>
#   each /FLAG adds the option --FLAG: TwoPhase:rm=9@2/exact checks with --exact, /strategy=dfs
#   gives --strategy dfs
# Prints one markdown row per run and binary: seconds of search and peak RSS per round, and the
# counts, which must agree (a MISMATCH line otherwise).
set -euo pipefail
a=${1:?usage: Benchmarks/alternate.sh BINARY_A BINARY_B [ROUNDS] [SPEC:PARAMS@WORKERS ...]}
b=${2:?usage: Benchmarks/alternate.sh BINARY_A BINARY_B [ROUNDS] [SPEC:PARAMS@WORKERS ...]}
rounds=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then runs=("TwoPhase:rm=9@1" "TwoPhase:rm=9@$(nproc)"); fi
echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "A: $a"
echo "B: $b"
echo
echo "| run | binary | seconds per round | peak RSS MB per round | distinct | generated |"
echo "|---|---|---|---|---|---|"
for run in "${runs[@]}"; do
  spec=${run%%:*}; rest=${run#*:}; params=${rest%@*}; after=${rest##*@}
  workers=${after%%/*}; flags=()
  if [ "$after" != "$workers" ]; then
    IFS='/' read -ra named <<< "${after#*/}"
    for flag in "${named[@]}"; do
      case "$flag" in
        *=*) flags+=("--${flag%%=*}" "${flag#*=}") ;;
        ?*) flags+=("--$flag") ;;
      esac
    done
  fi
  args=(check "$spec" --workers "$workers" --json --quiet ${flags[@]+"${flags[@]}"})
  IFS=',' read -ra pairs <<< "$params"
  for pair in "${pairs[@]}"; do [ -n "$pair" ] && args+=(--param "$pair"); done
  declare -A seconds=() rss=() counts=()
  for ((round = 1; round <= rounds; round++)); do
    for which in A B; do
      binary=$a; [ "$which" = B ] && binary=$b
      out=$( { /usr/bin/time -f "RSS %M" "$binary" "${args[@]}"; } 2>&1 || true)
      json=$(echo "$out" | grep '^{' || true)
      field() { echo "$json" | sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p"; }
      seconds[$which]+="$(field seconds) "
      rss[$which]+="$(echo "$out" | grep '^RSS' | awk '{print int($2/1024)}') "
      counts[$which]="$(field distinctStates) | $(field generatedStates)"
    done
  done
  for which in A B; do
    echo "| $spec $params${flags[*]+ ${flags[*]}}, $workers workers | $which | ${seconds[$which]% } | ${rss[$which]% } | ${counts[$which]} |"
  done
  if [ "${counts[A]}" != "${counts[B]}" ]; then echo "MISMATCH: $spec $params: A ${counts[A]}, B ${counts[B]}"; fi
  unset seconds rss counts
done
