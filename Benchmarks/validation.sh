#!/usr/bin/env bash
# Validation speed: a fully observed, deterministic log of N events (default 1,000,000) against
# the Account spec, next to the time to merely scan (read and parse) the same file, same run.
# Usage: Benchmarks/validation.sh [N]        (INTERLEAVE_BIN: a prebuilt binary)
set -euo pipefail
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$script_dir/.." && pwd)
events=${1:-1000000}
if [ -n "${INTERLEAVE_BIN:-}" ]; then
  interleave=$INTERLEAVE_BIN
else
  (cd "$repo" && swift build -c release >&2)
  interleave="$repo/.build/release/interleave"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/account.jsonl"
# A random walk of deposits and withdrawals that never goes below zero; every line observes
# the response and the whole state.
awk -v n="$events" 'BEGIN {
  srand(42); balance = 0
  print "{\"spec\":\"Account\",\"params\":{}}"
  for (i = 0; i < n; i++) {
    amount = 1 + int(rand() * 50)
    if (balance >= amount && rand() < 0.5) { action = "withdraw"; balance -= amount } else { action = "deposit"; balance += amount }
    printf "{\"action\":\"%s\",\"args\":{\"amount\":%d},\"response\":\"ok\",\"state\":{\"balance\":%d},\"process\":\"teller-1\",\"time\":%d}\n", action, amount, balance, i
  }
}' > "$log"
echo "log: $events events, $(du -h "$log" | cut -f1)"
scan=$("$interleave" validate Account "$log" --scan-only --json)
check=$("$interleave" validate Account "$log" --json)
field() { echo "$1" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"; }
scan_s=$(field "$scan" seconds)
check_s=$(field "$check" seconds)
echo "| what | seconds | per second |"
echo "|---|---|---|"
echo "| scan only (read + parse) | $scan_s | $(field "$scan" linesPerSecond) lines |"
echo "| validate (verdict $(field "$check" verdict | tr -d '"')) | $check_s | $(field "$check" eventsPerSecond) events |"
awk -v s="$scan_s" -v c="$check_s" 'BEGIN { printf "validate / scan: %.2fx\n", c / s }'
