#!/usr/bin/env bash
# Instructions per TLS operation, nginx next to Gatehouse: each server (one worker, one process,
# the same origin and EC P-256 certificate as bench/tls_compare.sh) runs under callgrind; after a
# warm-up, the counters are dumped after each kind of operation. Valgrind slows the servers down
# many times, so only the counts mean anything, and they do not depend on the machine's load,
# which on a shared 2-core machine blurs tls_compare.sh's rates by ±10–40 %.
#
# Usage: bench/tls_instructions.sh [SECONDS]
#   GATEHOUSE_BASELINE=/path/to/proxy also measures another proxy binary (e.g. main's), for a
#   before/after of a change.
set -euo pipefail

DURATION="${1:-8}"
CONNECTIONS=4
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "missing valgrind: run tools/setup.sh" >&2; exit 1; }

build_binaries
start_origin
make_bench_certificate
write_tls_snapshot

KINDS=("https" "-new -tls1_3" "-new -tls1_2" "-reuse -tls1_2")
CALLGRIND=(valgrind --tool=callgrind --dump-instr=no)

# Counts each kind of operation against the server (pid $2, TLS port $3) and prints the
# instructions per operation; $1 names the server and its callgrind output.
count_instructions() {  # name pid port
  local name=$1 pid=$2 port=$3 part=0 kind count total
  tls_operations https "$port" 2 >/dev/null
  tls_operations "-new -tls1_3" "$port" 2 >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  local line="$name"
  for kind in "${KINDS[@]}"; do
    count=$(tls_operations "$kind" "$port" "$DURATION")
    callgrind_control -d "$pid" >/dev/null 2>&1
    part=$((part + 1))
    sleep 1
    total=$(callgrind_annotate "$WORK/callgrind.$name.$part" 2>/dev/null |
      awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    line+=$(printf ' | %s: %.0f (%s ops)' "$kind" "$(python3 -c "print($total / max($count, 1))")" \
      "$count")
  done
  echo "$line"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

measure_gatehouse() {  # name binary
  local port pid
  port=$(free_port)
  "${CALLGRIND[@]}" --callgrind-out-file="$WORK/callgrind.$1" "$2" \
    --listen-tls="127.0.0.1:$port" --tls-default-zone=bench.test --admin= --workers=1 \
    --snapshot-file="$WORK/pass-tls.snapshot" >/dev/null 2>"$WORK/$1.err" &
  pid=$!
  PIDS+=("$pid")
  wait_port "$port" 600
  count_instructions "$1" "$pid" "$port"
}

measure_nginx() {
  local port dir="$WORK/nginx-callgrind"
  port=$(free_port)
  NGINX_WRAPPER="${CALLGRIND[*]} --callgrind-out-file=$WORK/callgrind.nginx" \
    start_nginx nginx-callgrind NGINX_PORT "master_process off;" "" "$(nginx_tls_server "$port")"
  wait_port "$port" 600
  count_instructions nginx "$(cat "$dir/nginx.pid")" "$port"
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD);" \
     "instructions per operation (${DURATION} s of each under callgrind)"
measure_nginx
measure_gatehouse gatehouse "$WORK/proxy"
if [ -n "${GATEHOUSE_BASELINE:-}" ]; then
  measure_gatehouse baseline "$GATEHOUSE_BASELINE"
fi
