#!/usr/bin/env bash
# HTTP/2 over TLS side by side on loopback, in one run, one worker each, the same origin and the
# same certificate (EC P-256, made here):
#   demo origin  <-  nginx (1 worker, `listen ... ssl http2`)
#                <-  Gatehouse proxy (1 worker, -c opt, --listen-tls, ALPN h2)
# Measures requests/s and request latency with h2load (CONNECTIONS connections x STREAMS
# concurrent streams), interleaved rounds, medians. Ports are picked at run time.
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

NGINX_TLS_PORT=$(free_port)
start_nginx nginx NGINX_PORT "" "" "
    listen 127.0.0.1:$NGINX_TLS_PORT ssl http2;
    ssl_certificate $WORK/leaf.pem;
    ssl_certificate_key $WORK/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;"

write_waf_zones
"$WORK/gatectl" compile "$WORK/pass.json" -o "$WORK/pass.snapshot" >&2
"$WORK/attach_certificate" "$WORK/pass.snapshot" bench.test "$WORK/leaf.pem" "$WORK/leaf.key"
GH_TLS_PORT=$(free_port)
"$WORK/proxy" --listen="127.0.0.1:$(free_port)" --listen-tls="127.0.0.1:$GH_TLS_PORT" \
  --tls-default-zone=bench.test --admin= --workers=1 --snapshot-file="$WORK/pass.snapshot" \
  >/dev/null 2>"$WORK/proxy-h2.err" &
PIDS+=($!)
wait_port "$GH_TLS_PORT"

for port in "$NGINX_TLS_PORT" "$GH_TLS_PORT"; do
  answer=$(curl -s -m 5 --http2 --cacert "$WORK/ca.pem" --resolve "bench.test:$port:127.0.0.1" \
    -o /dev/null -w '%{http_code} %{http_version}' "https://bench.test:$port/bench/path?q=1")
  [ "$answer" = "200 2" ] || { echo "HTTP/2 on $port answered: $answer" >&2; exit 1; }
done

h2load_run() {  # port -> "req/s mean_latency max_latency"
  timeout $((DURATION + 30)) h2load -c"$CONNECTIONS" -m"$STREAMS" -D"$DURATION" \
    -H ':authority: bench.test' "https://127.0.0.1:$1/bench/path?q=1" 2>/dev/null |
    awk '/^finished in/ {rps = $4} /^requests:/ {failed = $10}
         /^time for request:/ {mean = $6; max = $5}
         END {print rps, mean, max, failed}'
}

echo "h2load -c$CONNECTIONS -m$STREAMS -D$DURATION over TLS, $ROUNDS interleaved rounds, median;" \
     "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A RPS_RUNS=([nginx]="" [gatehouse]="") MEAN_RUNS=([nginx]="" [gatehouse]="")
for ((round = 0; round < ROUNDS; ++round)); do
  for name in $( ((round % 2)) && echo "gatehouse nginx" || echo "nginx gatehouse"); do
    port=$([ "$name" = nginx ] && echo "$NGINX_TLS_PORT" || echo "$GH_TLS_PORT")
    read -r rps mean max failed <<< "$(h2load_run "$port")"
    echo "  $name round $round: $rps req/s, mean $mean, max $max, failed $failed"
    RPS_RUNS[$name]+="$rps "
    MEAN_RUNS[$name]+="$mean "
  done
done
# shellcheck disable=SC2086
n=$(median ${RPS_RUNS[nginx]}); g=$(median ${RPS_RUNS[gatehouse]})
# shellcheck disable=SC2086
printf 'HTTP/2 req/s: nginx %s  gatehouse %s  gatehouse/nginx %s (target >= 1.00)\n' \
  "$n" "$g" "$(ratio "$g" "$n")"
# shellcheck disable=SC2086
printf 'HTTP/2 mean request time: nginx %s  gatehouse %s\n' \
  "$(median ${MEAN_RUNS[nginx]})" "$(median ${MEAN_RUNS[gatehouse]})"
