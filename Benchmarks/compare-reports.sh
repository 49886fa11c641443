#!/usr/bin/env bash
# Two builds of the checker on every bundled spec and variant (default parameters), and on the
# bundled traces: their --json reports must agree but for timings (verdicts, counts, depths,
# counterexamples, coverage). A change that should not alter what the checker finds (a faster
# fingerprint, a new search layout) is checked end to end this way.
# Usage: Benchmarks/compare-reports.sh BINARY_A BINARY_B [CHECK_OPTION...]
#   CHECK_OPTIONs go to every check (e.g. --strategy dfs --max-states 500); with any, the
#   traces are not validated.
# Prints one DIFFER line per report that differs, then the totals; exits 1 if any differs.
set -euo pipefail
a=${1:?usage: Benchmarks/compare-reports.sh BINARY_A BINARY_B [CHECK_OPTION...]}
b=${2:?usage: Benchmarks/compare-reports.sh BINARY_A BINARY_B [CHECK_OPTION...]}
shift 2
options=("$@")
root=$(cd "$(dirname "$0")/.." && pwd)
# The report without the fields that measure time or memory.
untimed() {
  python3 -c '
import json, sys
timed = {"seconds", "statesPerSecond", "eventsPerSecond", "wallSeconds", "memoryBytes", "peakMemoryBytes", "bytesPerState"}
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if k not in timed}
    if isinstance(x, list): return [strip(v) for v in x]
    return x
print(json.dumps(strip(json.load(sys.stdin)), sort_keys=True))'
}
report() {
  local binary=$1; shift
  "$binary" "$@" --json 2>/dev/null | untimed || echo "no report: $?"
}
same=0
differ=0
compare() {
  if [ "$(report "$a" "$@")" == "$(report "$b" "$@")" ]; then
    same=$((same + 1))
  else
    differ=$((differ + 1))
    echo "DIFFER: interleave $*"
  fi
}
listing=$("$a" list 2>&1)
for spec in $(echo "$listing" | grep -E '^[A-Z]' | awk '{print $1}'); do
  variants=$(echo "$listing" | sed -n "/^$spec /,/^[A-Z]/p" | grep -o 'variant=<one of [^>]*>' \
    | sed 's/variant=<one of //; s/>//; s/,//g' || true)
  if [ -z "$variants" ]; then
    compare check "$spec" ${options[@]+"${options[@]}"}
  else
    for variant in $variants; do compare check "$spec" --param "variant=$variant" ${options[@]+"${options[@]}"}; done
  fi
done
if [ ${#options[@]} -eq 0 ]; then
  for trace in "$root"/Traces/payments-*.jsonl; do compare validate PaymentWorker "$trace"; done
fi
echo "same: $same, differ: $differ"
[ "$differ" -eq 0 ]
