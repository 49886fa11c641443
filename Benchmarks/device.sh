#!/usr/bin/env bash
# One device call's worth of measurements on a many-core machine without a Swift toolchain:
# carry static release binaries (swift build -c release --static-swift-stdlib ...) and run this.
# Usage: Benchmarks/device.sh BINARY [BASELINE]
#   BINARY    the build to measure
#   BASELINE  an older build: every run of the second table is then alternated with it, 3 rounds;
#             without one, the second table runs BINARY twice (rows A and B) for two samples
# Prints the machine (lscpu), TwoPhase rm=9 at 1, 2, 4, 8, 16 ... workers (scaling.sh), then, on
# one worker and on all of them, TwoPhase rm=9 with fingerprints and with --exact, and
# TwoPhaseMessages rm=7 (the execution model) (alternate.sh), then, if BINARY's simulate takes
# --workers, 200,000 simulated walks on one worker and on all of them. About 3 minutes on 16 cores.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=${1:?usage: Benchmarks/device.sh BINARY [BASELINE]}
baseline=${2:-$binary}
rounds=3
[ "$baseline" = "$binary" ] && rounds=1
cores=$(nproc)
echo "## Machine"
echo
lscpu 2>/dev/null | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|L3)' | sed 's/^/    /' || true
echo "    kernel: $(uname -r)"
echo
echo "## TwoPhase rm=9 by worker count"
echo
"$dir/scaling.sh" "$binary" 9
echo
echo "## Fingerprints, --exact and the execution model, 1 and $cores workers"
echo
"$dir/alternate.sh" "$baseline" "$binary" "$rounds" \
  "TwoPhase:rm=9@$cores" "TwoPhase:rm=9@1/exact" "TwoPhase:rm=9@$cores/exact" \
  "TwoPhaseMessages:rm=7@1" "TwoPhaseMessages:rm=7@$cores"
if "$binary" simulate --help 2>/dev/null | grep -q -- '--workers'; then
  echo
  echo "## Simulation: TwoPhaseMessages rm=7, 200,000 walks of depth 50, 1 and $cores workers"
  echo
  for workers in 1 "$cores"; do
    start=$(date +%s.%N)
    digest=$("$binary" simulate TwoPhaseMessages --param rm=7 --runs 200000 --depth 50 --workers "$workers" --json | md5sum | cut -c1-12)
    end=$(date +%s.%N)
    echo "    $workers workers: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s (output md5 $digest, the same for both)"
  done
fi
