#!/usr/bin/env bash
# Zero-downtime upgrades under load: wrk drives a Gatehouse proxy (-c opt, 2 workers) in front of
# the demo origin while the proxy is upgraded (SIGUSR2 hand-off to a new instance) N times.
# Prints wrk's report: the goal is no socket errors and no non-2xx responses.
# Ports are picked at run time; everything listens on 127.0.0.1 only.
#
# Usage: bench/upgrade_under_load.sh [UPGRADES] [CONNECTIONS] [SECONDS_BETWEEN_UPGRADES]
set -euo pipefail

UPGRADES="${1:-3}"
CONNECTIONS="${2:-16}"
GAP="${3:-2}"
. "$(dirname "$0")/lib.sh"
# The instance serving last was started by an upgrade, not by this script.
trap 'kill "$(cat "$WORK/proxy.pid" 2>/dev/null)" 2>/dev/null || true; cleanup' EXIT

build_binaries
start_origin
cat > "$WORK/zone.json" <<JSON
{"zone": "bench.test", "hostnames": ["bench.test"],
 "origins": [{"name": "app", "servers": ["127.0.0.1:$ORIGIN_PORT"]}]}
JSON
"$WORK/gatectl" compile "$WORK/zone.json" -o "$WORK/snapshot.bin" >&2

PROXY_PORT=$(free_port)
"$WORK/proxy" --listen="127.0.0.1:$PROXY_PORT" --admin=127.0.0.1:0 --workers=2 \
  --snapshot-file="$WORK/snapshot.bin" --pid-file="$WORK/proxy.pid" >/dev/null 2>"$WORK/proxy.err" &
wait_port "$PROXY_PORT"

DURATION=$(( (UPGRADES + 1) * GAP ))
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H 'Host: bench.test' \
  "http://127.0.0.1:$PROXY_PORT/" > "$WORK/wrk.txt" &
WRK=$!
for i in $(seq 1 "$UPGRADES"); do
  sleep "$GAP"
  "$WORK/proxy" upgrade --pid-file="$WORK/proxy.pid" >&2
done
wait "$WRK"
cat "$WORK/wrk.txt"
if grep -q "Socket errors\|Non-2xx" "$WORK/wrk.txt"; then
  echo "FAILED: errors during $UPGRADES upgrades" >&2
  exit 1
fi
echo "$UPGRADES upgrades under load: no socket errors, no non-2xx responses"
