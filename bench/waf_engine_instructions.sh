#!/usr/bin/env bash
# Instructions the managed WAF's engine (one waf::Evaluator::Evaluate) executes per request, for
# the requests of //bench:managed_waf_bench at paranoia level 1, counted by callgrind: what to
# decide by on a machine whose wall clock is shared. Google Benchmark calls RunGatehouse once per
# trial (1, 10, 100, ... iterations), each with a new Evaluator; callgrind writes a profile after
# each trial, and the difference between the last two trials, divided by the difference of their
# calls, is the cost of one request without the per-trial set-up (scratch, memos).
# Usage: bench/waf_engine_instructions.sh [REQUEST...]   (default: minimal_get benign_get
# form_post_1200; also sqli_get)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REQUESTS=("$@")
[ ${#REQUESTS[@]} -gt 0 ] || REQUESTS=(minimal_get benign_get form_post_1200)
command -v valgrind >/dev/null || { echo "missing valgrind: run tools/setup.sh" >&2; exit 1; }

cd "$ROOT"
bazel build -c opt --strip=never //bench:managed_waf_bench >&2
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp "$(bazel info -c opt bazel-bin 2>/dev/null)/bench/managed_waf_bench" "$WORK/"

echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
for request in "${REQUESTS[@]}"; do
  valgrind --tool=callgrind --callgrind-out-file="$WORK/$request" \
    --dump-after='gatehouse::bench::(anonymous namespace)::RunGatehouse*' \
    --toggle-collect='gatehouse::waf::Evaluator::Evaluate(*' "$WORK/managed_waf_bench" \
    --benchmark_filter="RunGatehouse/$request/1\$" --benchmark_min_time=0.5 >/dev/null 2>&1
  python3 - "$request" "$WORK/$request".* <<'PY'
import re
import sys

trials = []  # (calls of Evaluate, instructions) per trial
for path in sys.argv[2:]:
    names, callee, calls, total = {}, None, 0, 0
    for line in open(path):
        if line.startswith(("summary:", "totals:")):
            total = int(line.split()[1])
        match = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line)
        if match:
            if match.group(3):
                names[match.group(2)] = match.group(3)
            if match.group(1) == "cfn":
                callee = names.get(match.group(2))
            continue
        if line.startswith("calls=") and callee and "Evaluator::Evaluate(" in callee:
            calls += int(line.split("=")[1].split()[0])
    if calls:
        trials.append((calls, total))
trials.sort()
(calls1, total1), (calls2, total2) = trials[-2], trials[-1]
print(f"{sys.argv[1]:<16} {(total2 - total1) / (calls2 - calls1):>12,.0f} instructions per request"
      f" (trials of {calls1} and {calls2} requests)")
PY
done
