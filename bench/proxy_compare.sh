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

start_nginx nginx NGINX_PORT

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

start_gatehouse "$WORK/pass.snapshot" GH_PORT
start_gatehouse "$WORK/waf.snapshot" GH_WAF_PORT

for port in "$NGINX_PORT" "$HAPROXY_PORT" "$GH_PORT" "$GH_WAF_PORT"; do check_proxy "$port"; done

NAMES=(nginx haproxy gatehouse gatehouse-1000-rules)
PORT=([nginx]=$NGINX_PORT [haproxy]=$HAPROXY_PORT [gatehouse]=$GH_PORT
      [gatehouse-1000-rules]=$GH_WAF_PORT)
measure_all "${NAMES[@]}"
echo
echo "gatehouse / nginx:                 $(ratio "${RPS[gatehouse]}" "${RPS[nginx]}")  (target >= 1.00)"
echo "gatehouse / haproxy:               $(ratio "${RPS[gatehouse]}" "${RPS[haproxy]}")"
echo "gatehouse-1000-rules / gatehouse:  $(ratio "${RPS[gatehouse-1000-rules]}" "${RPS[gatehouse]}")  (target >= 0.80)"
