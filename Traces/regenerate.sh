#!/usr/bin/env bash
# Records the committed logs of real runs of the payments-demo worker under SIGKILL:
#
#   Traces/payments-correct.jsonl   the correct worker; at least one kill landed between a
#                                   `charge` and the write of its key, and the restarted worker
#                                   found the key in the ledger and did not charge it again
#   Traces/payments-buggy.jsonl     the worker without the ledger check; the log shows a key
#                                   charged twice
#
# Each variant processes Traces/requests.jsonl with a fresh state directory. The worker is
# started in the background, killed with SIGKILL after a pseudo-random delay, and restarted
# (`--run N+1`) until a run completes all requests. The delays come from bash's $RANDOM with a
# fixed seed; where the kills land still depends on timing, so each variant is recorded again,
# with the next delays, until its log shows the case it is kept for.
#
# Usage: Traces/regenerate.sh   (SCRATCH_PATH=dir to build elsewhere than .build)
# Validate:  interleave validate PaymentWorker Traces/payments-correct.jsonl   (admissible)
#            interleave validate PaymentWorker Traces/payments-buggy.jsonl     (refuted)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
scratch="${SCRATCH_PATH:-$root/.build}"
requests="$here/requests.jsonl"
RANDOM=4242              # the fixed seed of the kill schedule
max_killed_runs=10       # later runs are left to finish
max_attempts=40          # recordings per variant before giving up
jitter_us=4000           # the worker's random pause between steps, at most

echo "building payments-demo (release) in $scratch" >&2
swift build --package-path "$root" --scratch-path "$scratch" -c release --product payments-demo >&2
bin="$(swift build --package-path "$root" --scratch-path "$scratch" -c release --show-bin-path)/payments-demo"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# record VARIANT LOG: one recording with a fresh state directory ($work/state).
record() {
  local variant=$1 log=$2 run=1 pid delay status
  rm -rf "$work/state" "$log"
  mkdir -p "$work/state"
  while :; do
    "$bin" --variant "$variant" --requests "$requests" --state "$work/state" --log "$log" \
      --run "$run" --jitter-us "$jitter_us" &
    pid=$!
    if ((run <= max_killed_runs)); then
      delay=$((5 + RANDOM % 200))  # milliseconds
      sleep "$(printf '0.%03d' "$delay")"
      kill -9 "$pid" 2>/dev/null || true
    fi
    status=0
    wait "$pid" 2>/dev/null || status=$?  # (no "Killed" job notice)
    if ((status == 0)); then
      echo "  $variant: run $run completed all requests" >&2
      return 0
    fi
    if ((status != 137)); then
      echo "payments-demo exited with status $status" >&2
      exit 1
    fi
    echo "  $variant: run $run killed after ${delay} ms" >&2
    run=$((run + 1))
  done
}

# Keys logged as charged more than once.
double_charged() {
  awk '/"action":"charge"/ { if (match($0, /"key":"[^"]*"/)) { key = substr($0, RSTART + 7, RLENGTH - 8); if (++n[key] == 2) print key } }' "$1"
}

# Whether a run was killed after a `charge` and before the key was stored, so that the next run
# found the key in the ledger but not among the keys: it logs `remember` right after `receive`,
# without charging again. (A kill after the key was stored but before its `remember` line shows
# instead as a `deduplicated` answer in the next run.)
recovered_without_charge() {
  awk '
    match($0, /"key":"[^"]*"/) {
      key = substr($0, RSTART + 7, RLENGTH - 8)
      if ($0 ~ /"action":"remember"/ && last[key] == "receive") found = 1
      if (match($0, /"action":"[a-z]*"/)) last[key] = substr($0, RSTART + 10, RLENGTH - 11)
    }
    END { exit found ? 0 : 1 }' "$1"
}

# Whether every ledger entry has its `charge` line (no kill fell between the ledger write and
# the log line, which would hide a charge from the log).
charges_all_logged() {
  local ledger_lines charge_lines
  ledger_lines=$(wc -l <"$work/state/ledger.jsonl")
  charge_lines=$(grep -c '"action":"charge"' "$1" || true)
  ((ledger_lines == charge_lines))
}

for variant in correct buggy; do
  out="$here/payments-$variant.jsonl"
  attempt=1
  while :; do
    echo "recording $variant (attempt $attempt)" >&2
    record "$variant" "$work/log.jsonl"
    if [[ $variant == correct ]]; then
      if recovered_without_charge "$work/log.jsonl"; then break; fi
      echo "  no run recovered from a kill between a charge and its remember; again" >&2
    else
      keys=$(double_charged "$work/log.jsonl")
      if [[ -n $keys ]] && charges_all_logged "$work/log.jsonl"; then break; fi
      echo "  no double charge in the log (or a charge line was lost); again" >&2
    fi
    attempt=$((attempt + 1))
    if ((attempt > max_attempts)); then
      echo "gave up on $variant after $max_attempts recordings" >&2
      exit 1
    fi
  done
  cp "$work/log.jsonl" "$out"
  echo "wrote $out ($(wc -l <"$out") lines, $(wc -c <"$out") bytes)" >&2
  if [[ $variant == buggy ]]; then echo "  charged twice: $(echo $keys)" >&2; fi
done
