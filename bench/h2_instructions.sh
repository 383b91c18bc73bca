#!/usr/bin/env bash
# Instructions per HTTP/2 request, nginx next to Gatehouse (pass-through, and the zone with 1,000
# custom WAF rules): each server (one worker, one process, the same origin and EC P-256
# certificate as bench/h2_compare.sh, HTTP/2 over TLS with ALPN h2) runs under callgrind; after a
# warm-up the counters are zeroed, h2load sends REQUESTS requests (10 connections x 10 streams),
# and the process's instructions are divided by the requests. Valgrind slows the servers down
# many times, so only the counts mean anything, and they do not depend on the machine's load,
# which on a shared 2-core machine swings h2_compare.sh's requests/s by 2-4x.
#
# Usage: bench/h2_instructions.sh [REQUESTS]
#   GATEHOUSE_BASELINE=/path/to/proxy also measures another proxy binary (e.g. main's) on both
#   zones, for a before/after of a change.
set -euo pipefail

REQUESTS="${1:-4000}"
CONNECTIONS=10
STREAMS=10
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "missing valgrind: run tools/setup.sh" >&2; exit 1; }
command -v h2load >/dev/null || { echo "missing h2load: run tools/setup.sh" >&2; exit 1; }

build_binaries
start_origin
make_bench_certificate
write_tls_snapshot
python3 "$ROOT/bench/proxy_waf_zone.py" "$ORIGIN_PORT" 1000 > "$WORK/waf.json"
"$WORK/gatectl" compile "$WORK/waf.json" -o "$WORK/waf-tls.snapshot" >&2
"$WORK/attach_certificate" "$WORK/waf-tls.snapshot" bench.test "$WORK/leaf.pem" "$WORK/leaf.key"

CALLGRIND=(valgrind --tool=callgrind --dump-instr=no)

# h2load's requests to port $1; prints how many succeeded with 2xx, and fails the script on any
# other answer (a server answering errors would be measured doing something else).
h2_requests() {  # port count
  local out
  out=$(timeout 600 h2load -c"$CONNECTIONS" -m"$STREAMS" -n"$2" -H ':authority: bench.test' \
    "https://127.0.0.1:$1/bench/path?q=1" 2>&1)
  if ! echo "$out" | grep -q "^status codes: $2 2xx, 0 3xx, 0 4xx, 0 5xx"; then
    echo "port $1: $(echo "$out" | grep -E '^(requests|status codes):')" >&2
    exit 1
  fi
  echo "$2"
}

# Counts the instructions of REQUESTS requests to the server (pid $2, port $3) and prints them
# per request; $1 names the server and its callgrind output.
count_instructions() {  # name pid port
  local name=$1 pid=$2 port=$3 count total
  h2_requests "$port" 1000 >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  count=$(h2_requests "$port" "$REQUESTS")
  callgrind_control -d "$pid" >/dev/null 2>&1
  sleep 1
  total=$(callgrind_annotate "$WORK/callgrind.$name.1" 2>/dev/null |
    awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  printf '%-26s %8.0f instructions a request (%s requests)\n' "$name" \
    "$(python3 -c "print($total / $count)")" "$count"
  # The breakdown stays with the caller's eyes: CALLGRIND_KEEP=dir keeps the dumps.
  if [ -n "${CALLGRIND_KEEP:-}" ]; then cp "$WORK/callgrind.$name.1" "$CALLGRIND_KEEP/"; fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

measure_gatehouse() {  # name binary snapshot
  local port pid
  port=$(free_port)
  "${CALLGRIND[@]}" --callgrind-out-file="$WORK/callgrind.$1" "$2" \
    --listen-tls="127.0.0.1:$port" --tls-default-zone=bench.test --admin= --workers=1 \
    --snapshot-header=true --snapshot-file="$3" >/dev/null 2>"$WORK/$1.err" &
  pid=$!
  PIDS+=("$pid")
  wait_port "$port" 1200
  count_instructions "$1" "$pid" "$port"
}

measure_nginx() {
  local port dir="$WORK/nginx-callgrind"
  port=$(free_port)
  # nginx's default keepalive_requests (1000) would end each connection mid-run (h2_compare.sh).
  NGINX_WRAPPER="${CALLGRIND[*]} --callgrind-out-file=$WORK/callgrind.nginx" \
    start_nginx nginx-callgrind NGINX_PORT "master_process off;" "keepalive_requests 1000000;" "
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $WORK/leaf.pem;
    ssl_certificate_key $WORK/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;"
  wait_port "$port" 1200
  count_instructions nginx "$(cat "$dir/nginx.pid")" "$port"
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD);" \
     "instructions per HTTP/2 request over TLS (h2load -c$CONNECTIONS -m$STREAMS -n$REQUESTS" \
     "after 1,000 to warm up, under callgrind)"
measure_nginx
measure_gatehouse gatehouse "$WORK/proxy" "$WORK/pass-tls.snapshot"
measure_gatehouse gatehouse-1000-rules "$WORK/proxy" "$WORK/waf-tls.snapshot"
if [ -n "${GATEHOUSE_BASELINE:-}" ]; then
  measure_gatehouse baseline "$GATEHOUSE_BASELINE" "$WORK/pass-tls.snapshot"
  measure_gatehouse baseline-1000-rules "$GATEHOUSE_BASELINE" "$WORK/waf-tls.snapshot"
fi
