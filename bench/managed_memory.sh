#!/usr/bin/env bash
# Proxy memory with the managed CRS in 1 and in N zones (default 10,000), each zone executing
# owasp-crs with its own overrides (paranoia level, threshold, a category or rules turned off,
# a rule logging only), next to the same numbers of pass-through zones: the ruleset is carried
# once per snapshot and linked once per proxy, so what a zone adds is its overrides.
# Each proxy (-c opt, --workers=1) loads a snapshot file from `gatectl compile`, serves one
# request, and its VmRSS / VmHWM are read from /proc. Then bench/managed_zone_memory links the
# same snapshot files in-process and reads tcmalloc's allocated bytes: what the linked snapshot
# holds, without what reading the file left in the allocator's free lists.
#
# Usage: bench/managed_memory.sh [ZONES]
set -euo pipefail

ZONES="${1:-10000}"
. "$(dirname "$0")/lib.sh"

build_binaries
bazel build --config=opt //bench:managed_zone_memory >&2
cp "$(bazel info --config=opt bazel-bin 2>/dev/null)/bench/managed_zone_memory" "$WORK/"
start_origin

# zones.py KIND COUNT DIR: writes COUNT zone configs; zone 0 serves bench.test.
cat > "$WORK/zones.py" <<'PY'
import json, os, sys
kind, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
origin = os.environ["ORIGIN"]
os.makedirs(out, exist_ok=True)
for i in range(count):
    zone = {"zone": f"z{i}.test", "hostnames": ["bench.test" if i == 0 else f"z{i}.test"],
            "origins": [{"name": "app", "servers": [origin]}]}
    if kind == "crs":
        overrides = {"paranoia_level": 1 + i % 4, "score_threshold": 5 + i % 50}
        if i % 3 == 0:
            overrides["categories"] = [{"category": "attack-rce", "enabled": False}]
        rules = []
        if i % 2 == 1:
            rules.append({"id": "942100", "enabled": False})
        if i % 5 == 0:
            rules.append({"id": "920350", "action": "log"})
        if rules:
            overrides["rules"] = rules
        zone["rulesets"] = [{"phase": "http_request_firewall_managed", "rules": [
            {"id": "crs", "expression": "true", "action": "execute",
             "action_parameters": {"id": "owasp-crs", "overrides": overrides}}]}]
    with open(os.path.join(out, f"z{i:05d}.json"), "w") as f:
        json.dump(zone, f)
PY

declare -A RSS HWM SNAPSHOT_BYTES
measure_memory() {  # name kind count
  local dir="$WORK/$1" start
  ORIGIN="127.0.0.1:$ORIGIN_PORT" python3 "$WORK/zones.py" "$2" "$3" "$dir"
  start=$SECONDS
  "$WORK/gatectl" compile "$dir"/*.json -o "$dir.snapshot" >/dev/null
  SNAPSHOT_BYTES[$1]=$(stat -c %s "$dir.snapshot")
  local port pid
  port=$(free_port)
  "$WORK/proxy" --listen="127.0.0.1:$port" --admin= --workers=1 --snapshot-poll-ms=0 \
    --snapshot-file="$dir.snapshot" --snapshot-header=true >/dev/null 2>"$dir.err" &
  pid=$!
  PIDS+=("$pid")
  wait_port "$port"
  check_proxy "$port"
  sleep 1
  RSS[$1]=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  HWM[$1]=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  printf '%-16s %6d zones  snapshot %9d bytes  VmRSS %8d KiB  VmHWM %8d KiB  (compile+load %d s)\n' \
    "$1" "$3" "${SNAPSHOT_BYTES[$1]}" "${RSS[$1]}" "${HWM[$1]}" $((SECONDS - start))
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure_memory pass-1 pass 1
measure_memory crs-1 crs 1
measure_memory "pass-$ZONES" pass "$ZONES"
measure_memory "crs-$ZONES" crs "$ZONES"
per_zone() { python3 -c "print(f'{($1 - $2) / ($3 - 1):.2f}')"; }
echo
echo "the ruleset, linked once:          $((RSS[crs-1] - RSS[pass-1])) KiB (crs-1 - pass-1)"
echo "per pass-through zone:             $(per_zone "${RSS[pass-$ZONES]}" "${RSS[pass-1]}" "$ZONES") KiB"
echo "per zone executing owasp-crs:      $(per_zone "${RSS[crs-$ZONES]}" "${RSS[crs-1]}" "$ZONES") KiB"
echo "what executing it adds per zone:   $(python3 -c "print(f'{((${RSS[crs-$ZONES]} - ${RSS[crs-1]}) - (${RSS[pass-$ZONES]} - ${RSS[pass-1]})) / ($ZONES - 1):.2f}')") KiB"

echo
echo "heap held once linked (tcmalloc allocated bytes, bench/managed_zone_memory):"
"$WORK/managed_zone_memory" "$WORK/pass-1.snapshot" "$WORK/crs-1.snapshot" \
  "$WORK/pass-$ZONES.snapshot" "$WORK/crs-$ZONES.snapshot" | tee "$WORK/heap.txt"
held() { awk -v n="$1" '$1 == n {print $(NF-1)}' "$WORK/heap.txt"; }
echo "linked, per zone executing owasp-crs: $(python3 -c "print(f'{($(held "crs-$ZONES") - $(held crs-1)) / ($ZONES - 1):.2f}')") KiB;" \
     "per pass-through zone: $(python3 -c "print(f'{($(held "pass-$ZONES") - $(held pass-1)) / ($ZONES - 1):.2f}')") KiB"
