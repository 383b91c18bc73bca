#!/usr/bin/env bash
# Instructions the proxy executes per request, pass-through and with the managed WAF (CRS at
# paranoia level 1), for the request bench/waf_compare.sh's wrk sends: the proxy (one worker) runs
# under callgrind, its counters are zeroed after a warm-up, then wrk drives it for a while.
# Valgrind slows the proxy down many times: only the counts mean anything, and they do not
# depend on the machine's load. Usage: bench/waf_instructions.sh [SECONDS]
set -euo pipefail

DURATION="${1:-10}"
. "$(dirname "$0")/lib.sh"

CRS_RULES=/usr/share/modsecurity-crs/rules
CRS_SETUP=/etc/modsecurity/crs/crs-setup.conf
command -v valgrind >/dev/null || { echo "missing valgrind: run tools/setup.sh" >&2; exit 1; }

build_binaries
start_origin
write_waf_zones

measure_instructions() {  # name
  "$WORK/gatectl" compile "$WORK/$1.json" -o "$WORK/$1.snapshot" --crs-dir="$CRS_RULES" \
    --crs-setup="$CRS_SETUP" >&2
  local port pid url
  port=$(free_port)
  valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.$1" "$WORK/proxy" \
    --listen="127.0.0.1:$port" --admin= --workers=1 --snapshot-file="$WORK/$1.snapshot" \
    >/dev/null 2>"$WORK/proxy-$1.err" &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 600); do
    if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.1
  done
  url="http://127.0.0.1:$port/bench/path?q=1"
  wrk -t1 -c4 -d5s -H 'Host: bench.test' "$url" >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  local requests
  requests=$(wrk -t1 -c4 -d"${DURATION}s" -H 'Host: bench.test' "$url" |
    awk '/requests in/ {print $1}')
  callgrind_control -d "$pid" >/dev/null 2>&1
  sleep 1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  local total
  total=$(callgrind_annotate "$WORK/callgrind.$1".* 2>/dev/null |
    awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  printf '%-14s %8s requests %14s instructions %10.0f per request\n' "$1" "$requests" "$total" \
    "$(python3 -c "print($total / $requests)")"
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)"
measure_instructions pass
measure_instructions crs
