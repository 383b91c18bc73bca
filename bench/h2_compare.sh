#!/usr/bin/env bash
# HTTP/2 over TLS side by side on loopback, in one run, one worker each, the same origin and the
# same certificate (EC P-256, made here):
#   demo origin  <-  nginx (1 worker, `listen ... ssl http2`, keep-alive upstream)
#                <-  Gatehouse proxy (1 worker, -c opt, --listen-tls, ALPN h2), pass-through
#                <-  the same, zone with 1,000 custom WAF rules (bench/proxy_waf_zone.py)
# Each is driven by the same h2load load (CONNECTIONS connections x STREAMS concurrent streams,
# DURATION seconds after a 1 s warm-up), in interleaved rounds; prints the median requests/s, p99
# request time (from h2load's per-request log) and CPU time per request (the server's processes'
# user + system time over the run: unlike requests/s, it does not move with the load other jobs
# put on a shared machine) of each, and Gatehouse's ratios. Every proxy
# does the same work per request (X-Forwarded-*, Via both ways, a request ID and a config
# version on the response; see proxy_compare.sh). Ports are picked at run time.
#
# Usage: bench/h2_compare.sh [DURATION_SECONDS] [CONNECTIONS] [STREAMS] [ROUNDS]
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-10}"
STREAMS="${3:-10}"
ROUNDS="${4:-3}"
. "$(dirname "$0")/lib.sh"

build_binaries
bazel build --config=opt //bench:attach_certificate >&2
cp "$(bazel info --config=opt bazel-bin 2>/dev/null)/bench/attach_certificate" "$WORK/"
start_origin

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -subj "/CN=bench CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$WORK/leaf.key" -out "$WORK/leaf.csr" -subj "/CN=bench.test" 2>/dev/null
printf 'subjectAltName=DNS:bench.test\nextendedKeyUsage=serverAuth\n' > "$WORK/leaf.ext"
openssl x509 -req -in "$WORK/leaf.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -set_serial 7 \
  -days 2 -extfile "$WORK/leaf.ext" -out "$WORK/leaf.pem" 2>/dev/null

# nginx's default keepalive_requests (1000) ends an HTTP/2 connection with GOAWAY after 1,000
# streams, and h2load does not reconnect: the connection would stop mid-run.
NGINX_TLS_PORT=$(free_port)
start_nginx nginx NGINX_PORT "" "keepalive_requests 1000000;" "
    listen 127.0.0.1:$NGINX_TLS_PORT ssl http2;
    ssl_certificate $WORK/leaf.pem;
    ssl_certificate_key $WORK/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;"
PID[nginx]=${PIDS[-1]}

write_waf_zones
python3 "$ROOT/bench/proxy_waf_zone.py" "$ORIGIN_PORT" 1000 > "$WORK/waf.json"
start_gatehouse_tls() {  # zone config, variable for the TLS port
  local name port
  name=$(basename "$1" .json)
  "$WORK/gatectl" compile "$1" -o "$WORK/$name.snapshot" >&2
  "$WORK/attach_certificate" "$WORK/$name.snapshot" bench.test "$WORK/leaf.pem" "$WORK/leaf.key"
  port=$(free_port)
  "$WORK/proxy" --listen="127.0.0.1:$(free_port)" --listen-tls="127.0.0.1:$port" \
    --tls-default-zone=bench.test --admin= --workers=1 --snapshot-header=true \
    --snapshot-file="$WORK/$name.snapshot" >/dev/null 2>"$WORK/proxy-$name.err" &
  PIDS+=($!)
  wait_port "$port"
  printf -v "$2" '%s' "$port"
}
start_gatehouse_tls "$WORK/pass.json" GH_TLS_PORT
PID[gatehouse]=${PIDS[-1]}
start_gatehouse_tls "$WORK/waf.json" GH_WAF_TLS_PORT
PID[gatehouse-1000-rules]=${PIDS[-1]}

NAMES=(nginx gatehouse gatehouse-1000-rules)
PORT=([nginx]=$NGINX_TLS_PORT [gatehouse]=$GH_TLS_PORT [gatehouse-1000-rules]=$GH_WAF_TLS_PORT)
for name in "${NAMES[@]}"; do
  port=${PORT[$name]}
  answer=$(curl -s -m 5 --http2 --cacert "$WORK/ca.pem" --resolve "bench.test:$port:127.0.0.1" \
    -D "$WORK/check-$port.head" -o /dev/null -w '%{http_code} %{http_version}' \
    "https://bench.test:$port/bench/path?q=1")
  [ "$answer" = "200 2" ] || { echo "$name: HTTP/2 on $port answered: $answer" >&2; exit 1; }
  grep -qi '^via:' "$WORK/check-$port.head" || { echo "$name sets no Via" >&2; exit 1; }
done

# One run on the port: appends its requests/s, p99 (ms) and CPU µs per request to the name's
# runs (lib.sh declares them); any request that failed or was not 2xx is reported.
h2load_run() {  # name port
  local log="$WORK/h2load-$1.log" out ticks
  h2load -c"$CONNECTIONS" -m"$STREAMS" -D1 -H ':authority: bench.test' \
    "https://127.0.0.1:$2/bench/path?q=1" >/dev/null 2>&1 || true
  ticks=$(cpu_ticks "${PID[$1]}")
  out=$(timeout $((DURATION + 30)) h2load -c"$CONNECTIONS" -m"$STREAMS" -D"$DURATION" \
    --log-file="$log" -H ':authority: bench.test' "https://127.0.0.1:$2/bench/path?q=1" 2>&1)
  ticks=$(($(cpu_ticks "${PID[$1]}") - ticks))
  RUNS_CPU[$1]+="$(echo "$out" | awk -v ticks="$ticks" -v hz="$TICKS_PER_SECOND" \
    '/^requests:/ {printf "%.1f", ticks * 1e6 / hz / $6}') "
  local failed
  failed=$(echo "$out" | awk '/^requests:/ {print $10, "failed,", $12, "errored"}')
  echo "$out" | grep -q '^status codes: [0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx' ||
    echo "$1: $(echo "$out" | grep '^status codes')" >&2
  [ "${failed%% *}" = 0 ] || echo "$1: $failed" >&2
  RUNS_RPS[$1]+="$(echo "$out" | awk '/^finished in/ {print $4}') "
  # The log: start time, status, request time in microseconds, one line per request.
  RUNS_P99[$1]+="$(sort -n -k3 "$log" |
    awk '{t[NR] = $3} END {printf "%.2fms", t[int(NR * 0.99)] / 1000}') "
}

echo "h2load -c$CONNECTIONS -m$STREAMS -D$DURATION over TLS (ALPN h2), $ROUNDS interleaved" \
     "rounds, median shown; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 0; round < ROUNDS; ++round)); do
  for ((i = 0; i < ${#NAMES[@]}; ++i)); do
    name=${NAMES[$(((i + round) % ${#NAMES[@]}))]}
    h2load_run "$name" "${PORT[$name]}"
  done
done
for name in "${NAMES[@]}"; do
  # shellcheck disable=SC2086
  RPS[$name]=$(median ${RUNS_RPS[$name]})
  # shellcheck disable=SC2086
  P99[$name]=$(median ${RUNS_P99[$name]})
  # shellcheck disable=SC2086
  CPU[$name]=$(median ${RUNS_CPU[$name]})
  printf '%-22s %10s req/s  p99 %-9s  CPU %6s us/req  runs: %s/ p99 %s/ CPU %s\n' "$name" \
    "${RPS[$name]}" "${P99[$name]}" "${CPU[$name]}" "${RUNS_RPS[$name]}" "${RUNS_P99[$name]}" \
    "${RUNS_CPU[$name]}"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
GH=gatehouse
WAF=gatehouse-1000-rules
echo "req/s  gatehouse / nginx $(ratio "${RPS[$GH]}" "${RPS[nginx]}") (target >= 1.00)," \
  "1000 rules / pass-through $(ratio "${RPS[$WAF]}" "${RPS[$GH]}") (target >= 0.80)"
# Requests per CPU second, as ratios: what requests/s would be on an idle machine.
echo "CPU    gatehouse / nginx $(ratio "${CPU[nginx]}" "${CPU[$GH]}")," \
  "1000 rules / pass-through $(ratio "${CPU[$GH]}" "${CPU[$WAF]}") (requests per CPU second)"
