#!/usr/bin/env bash
# Side-by-side proxy benchmark on loopback, all in one run:
#   demo origin  <-  nginx (1 worker, keep-alive upstream)
#                <-  HAProxy (1 thread, connection reuse)
#                <-  Gatehouse proxy (1 worker, -c opt), pass-through zone
#                <-  Gatehouse proxy (1 worker, -c opt), zone with 1,000 custom WAF rules
# Each is driven by the same wrk load; prints requests/s and p99 for each and Gatehouse's ratios.
# Ports are picked at run time; everything listens on 127.0.0.1 only.
#
# Usage: bench/proxy_compare.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
ROUNDS="${3:-3}"
. "$(dirname "$0")/lib.sh"

build_binaries
start_origin

# Every proxy does the same work per request: Gatehouse sets X-Forwarded-For, X-Forwarded-Proto
# and Via on the request, and Via, a ray ID and the config (snapshot) version on the response; the
# peers are configured to do the same (a request ID and a constant for the version).

# nginx: one worker, HTTP/1.1 keep-alive to the origin.
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header Via "1.1 nginx";
      add_header Via "1.1 nginx" always;
      add_header X-Request-Id \$request_id always;
      add_header X-Config-Version 1 always;
    }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -e "$WORK/nginx/error.log" &
PIDS+=($!)
wait_port "$NGINX_PORT"

# HAProxy: one thread, keep-alive to the origin with connection reuse.
HAPROXY_PORT=$(free_port)
cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 3s
  timeout client 30s
  timeout server 30s
  option forwardfor
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  http-request set-header X-Forwarded-Proto http
  http-request set-header Via "1.1 haproxy"
  http-response set-header Via "1.1 haproxy"
  http-response set-header X-Request-Id %[uuid]
  http-response set-header X-Config-Version 1
  default_backend be
backend be
  server origin 127.0.0.1:$ORIGIN_PORT
CONF
haproxy -f "$WORK/haproxy.cfg" -db >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$HAPROXY_PORT"

# Gatehouse: a pass-through zone, and the same zone with 1,000 custom WAF rules.
cat > "$WORK/pass.json" <<CONF
{"zone": "bench.test", "hostnames": ["bench.test"],
 "origins": [{"name": "app", "servers": ["127.0.0.1:$ORIGIN_PORT"]}]}
CONF
python3 "$ROOT/bench/proxy_waf_zone.py" "$ORIGIN_PORT" 1000 > "$WORK/waf.json"
"$WORK/gatectl" compile "$WORK/pass.json" -o "$WORK/pass.snapshot" >&2
"$WORK/gatectl" compile "$WORK/waf.json" -o "$WORK/waf.snapshot" >&2

# Not in a $(…) subshell: the pid must reach PIDS, or cleanup leaves the proxy running.
start_gatehouse() {  # snapshot file, variable for the port
  local port
  port=$(free_port)
  "$WORK/proxy" --listen="127.0.0.1:$port" --admin= --workers=1 \
    --snapshot-file="$1" --snapshot-header=true >/dev/null 2>"$WORK/proxy-$port.err" &
  PIDS+=($!)
  wait_port "$port"
  printf -v "$2" '%s' "$port"
}
start_gatehouse "$WORK/pass.snapshot" GH_PORT
start_gatehouse "$WORK/waf.snapshot" GH_WAF_PORT

# Sanity: every proxy answers 200 before it is measured.
for port in "$NGINX_PORT" "$HAPROXY_PORT" "$GH_PORT" "$GH_WAF_PORT"; do
  head=$(curl -s -D - -o /dev/null -H 'Host: bench.test' "http://127.0.0.1:$port/bench/path?q=1")
  if ! echo "$head" | head -1 | grep -q ' 200 '; then
    echo "proxy on $port answered: $(echo "$head" | head -1)" >&2
    exit 1
  fi
  if ! echo "$head" | grep -qi '^via:'; then echo "proxy on $port sets no Via" >&2; exit 1; fi
done

# Each proxy is measured ROUNDS times, the rounds interleaved (and the order rotated each
# round), and its median is reported: on a shared 2-core machine one run of one proxy can land
# on a noisy second, and a single back-to-back comparison is then a coin toss.
declare -A RUNS_RPS RUNS_P99 RPS P99
measure() {  # name port
  wrk -t1 -c"$CONNECTIONS" -d1s -H 'Host: bench.test' "http://127.0.0.1:$2/bench/path?q=1" >/dev/null
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H 'Host: bench.test' \
    -H 'User-Agent: wrk-bench' "http://127.0.0.1:$2/bench/path?q=1")
  local errors
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}')
  [ -n "$errors" ] && echo "$1: $errors" >&2
  RUNS_RPS[$1]+="$(echo "$out" | awk '/Requests\/sec/ {print $2}') "
  RUNS_P99[$1]+="$(echo "$out" | awk '$1 == "99%" {print $2}') "
}
median() {  # values... (numbers, or latencies with a unit) -> the median as given
  python3 - "$@" <<'PY'
import re, sys
def seconds(v):
    number, unit = re.match(r"([\d.]+)(\w*)", v).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "": 1.0}[unit]
values = sorted(sys.argv[1:], key=seconds)
print(values[len(values) // 2])
PY
}

NAMES=(nginx haproxy gatehouse gatehouse-1000-rules)
declare -A PORT=([nginx]=$NGINX_PORT [haproxy]=$HAPROXY_PORT [gatehouse]=$GH_PORT
                 [gatehouse-1000-rules]=$GH_WAF_PORT)
echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS interleaved rounds, median shown;" \
     "origin: demo_origin, $(nproc) cores"
measure origin-direct "$ORIGIN_PORT"
for ((round = 0; round < ROUNDS; ++round)); do
  for ((i = 0; i < ${#NAMES[@]}; ++i)); do
    name=${NAMES[$(((i + round) % ${#NAMES[@]}))]}
    measure "$name" "${PORT[$name]}"
  done
done
for name in origin-direct "${NAMES[@]}"; do
  # shellcheck disable=SC2086
  RPS[$name]=$(median ${RUNS_RPS[$name]})
  # shellcheck disable=SC2086
  P99[$name]=$(median ${RUNS_P99[$name]})
  printf '%-22s %12s req/s   p99 %-8s  runs: %s\n' "$name" "${RPS[$name]}" "${P99[$name]}" \
    "${RUNS_RPS[$name]}"
done

ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
echo
echo "gatehouse / nginx:                 $(ratio "${RPS[gatehouse]}" "${RPS[nginx]}")  (target >= 1.00)"
echo "gatehouse / haproxy:               $(ratio "${RPS[gatehouse]}" "${RPS[haproxy]}")"
echo "gatehouse-1000-rules / gatehouse:  $(ratio "${RPS[gatehouse-1000-rules]}" "${RPS[gatehouse]}")  (target >= 0.80)"
