# Shared by the bench scripts (source it after `set -euo pipefail`): a work directory removed at
# exit with every process in PIDS stopped, free loopback ports, and the -c opt binaries.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "/tmp/gatehouse-$(basename "$0" .sh).XXXXXX")"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# PIN_PROXY=1 (with 2 cores or more): every proxy under test runs alone on core 1, wrk and the
# origin share core 0. Unpinned, a proxy shares both cores with the load that drives it, which
# costs a fast proxy more than a slow one (at 1k requests/s wrk and the origin need almost no
# CPU; at 20k they need much of a core), so ratios between proxies of very different speeds
# come out lower than the proxies' own costs would give.
if [ -n "${PIN_PROXY:-}" ] && [ "$(nproc)" -ge 2 ]; then
  PROXY_CPU=(taskset -c 1)
  LOAD_CPU=(taskset -c 0)
else
  PROXY_CPU=()
  LOAD_CPU=()
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits for 127.0.0.1:$1 to accept, every 0.1 s, at most ${2:-100} times (a server under valgrind
# needs many more).
wait_port() {  # port [tries]
  for _ in $(seq 1 "${2:-100}"); do
    if (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "port $1 never opened" >&2
  exit 1
}

# Builds the proxy, the demo origin and gatectl with -c opt and copies them into $WORK.
build_binaries() {
  cd "$ROOT"
  bazel build --config=opt //runtime:proxy //examples/demo_origin //api/gatectl >&2
  local bin
  bin="$(bazel info --config=opt bazel-bin 2>/dev/null)"
  cp "$bin/runtime/proxy" "$bin/examples/demo_origin/demo_origin" "$bin/api/gatectl/gatectl" "$WORK/"
}

# Starts the demo origin on a free port; sets ORIGIN_PORT.
start_origin() {
  ORIGIN_PORT=$(free_port)
  "${LOAD_CPU[@]}" "$WORK/demo_origin" --listen="127.0.0.1:$ORIGIN_PORT" --name=bench >/dev/null &
  PIDS+=($!)
  wait_port "$ORIGIN_PORT"
}

# Starts a Gatehouse proxy with one worker on a snapshot file; sets the variable named by $2 to
# its port. Not in a $(…) subshell: the pid must reach PIDS, or cleanup leaves the proxy running.
start_gatehouse() {  # snapshot file, variable for the port
  local port
  port=$(free_port)
  "${PROXY_CPU[@]}" "$WORK/proxy" --listen="127.0.0.1:$port" --admin= --workers=1 \
    --snapshot-file="$1" --snapshot-header=true >/dev/null 2>"$WORK/proxy-$port.err" &
  PIDS+=($!)
  wait_port "$port"
  printf -v "$2" '%s' "$port"
}

# Writes $WORK/pass.json, a pass-through zone bench.test in front of the origin, and
# $WORK/crs.json, the same zone executing the managed CRS at paranoia level 1.
write_waf_zones() {
  cat > "$WORK/pass.json" <<CONF
{"zone": "bench.test", "hostnames": ["bench.test"],
 "origins": [{"name": "app", "servers": ["127.0.0.1:$ORIGIN_PORT"]}]}
CONF
  cat > "$WORK/crs.json" <<CONF
{"zone": "bench.test", "hostnames": ["bench.test"],
 "origins": [{"name": "app", "servers": ["127.0.0.1:$ORIGIN_PORT"]}],
 "rulesets": [{"phase": "http_request_firewall_managed", "rules": [
   {"id": "crs", "expression": "true", "action": "execute",
    "action_parameters": {"id": "owasp-crs", "overrides": {"paranoia_level": 1}}}]}]}
CONF
}

# Sanity before measuring: the proxy on port $1 answers the bench request with 200 and a Via.
check_proxy() {
  # No `echo | head | grep -q` here: under pipefail grep's early exit can fail the pipeline.
  local status
  status=$(curl -s -m 5 -D "$WORK/check-$1.head" -o /dev/null -w '%{http_code}' \
    -H 'Host: bench.test' "http://127.0.0.1:$1/bench/path?q=1")
  if [ "$status" != 200 ]; then
    echo "proxy on $1 answered: $status" >&2
    exit 1
  fi
  if ! grep -qi '^via:' "$WORK/check-$1.head"; then echo "proxy on $1 sets no Via" >&2; exit 1; fi
}

# wrk measurements, set DURATION and CONNECTIONS first. Each target is measured ROUNDS times,
# the rounds interleaved (and the order rotated each round), and its median is reported: on a
# shared 2-core machine one run of one proxy can land on a noisy second, and a single
# back-to-back comparison is then a coin toss. PORT maps each name to its port; RPS and P99 get
# the medians. A name with a process in PID also gets the CPU that process (and its children:
# nginx's worker) used per request, in CPU: unlike requests/s it does not count the load
# generator and origin sharing the machine (though on a guest whose host is busy it moves too).
# SCHEME (http by default) is the targets' scheme. What wrk sends is a target's LOAD_OF (else
# LOAD, else minimal): `minimal`, a GET with Host and User-Agent only, or `browser`, a browser's
# page request (the path and headers of bench/managed_waf_bench's benign GET, with the zone's
# host in Host and Referer).
declare -A PORT PID LOAD_OF RUNS_RPS RUNS_P99 RUNS_CPU RPS P99 CPU
TICKS_PER_SECOND=$(getconf CLK_TCK)
# CPU time (clock ticks) a process and its children have used.
cpu_ticks() {  # pid
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
# Sets REQUEST_PATH and REQUEST_HEADERS (wrk's arguments) for a load named as LOAD_OF says.
request_for() {  # load
  case "$1" in
    minimal)
      REQUEST_PATH='/bench/path?q=1'
      REQUEST_HEADERS=(-H 'Host: bench.test' -H 'User-Agent: wrk-bench') ;;
    browser)
      REQUEST_PATH='/catalog/item?id=1234&colour=blue&size=m&ref=homepage'
      REQUEST_HEADERS=(
        -H 'Host: bench.test'
        -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
        -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
        -H 'Accept-Language: en-GB,en;q=0.9'
        -H 'Accept-Encoding: gzip, deflate, br'
        -H 'Cookie: session=8f3a2c1d9e7b6a5f4e3d2c1b0a9f8e7d; theme=dark; consent=yes'
        -H 'Referer: https://bench.test/catalog?page=2') ;;
    *) echo "unknown load $1" >&2; exit 1 ;;
  esac
}
measure() {  # name port
  request_for "${LOAD_OF[$1]:-${LOAD:-minimal}}"
  local url="${SCHEME:-http}://127.0.0.1:$2$REQUEST_PATH"
  "${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d1s "${REQUEST_HEADERS[@]}" "$url" >/dev/null
  local out ticks=0
  [ -n "${PID[$1]:-}" ] && ticks=$(cpu_ticks "${PID[$1]}")
  out=$("${LOAD_CPU[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${REQUEST_HEADERS[@]}" \
    "$url")
  if [ -n "${PID[$1]:-}" ]; then
    ticks=$(($(cpu_ticks "${PID[$1]}") - ticks))
    RUNS_CPU[$1]+="$(echo "$out" | awk -v ticks="$ticks" -v hz="$TICKS_PER_SECOND" \
      '/requests in/ {printf "%.1f", ticks * 1e6 / hz / $1}') "
  fi
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
# Measures the origin once (unless NO_ORIGIN_RUN is set), then every named target ROUNDS times,
# and prints the medians. Each round starts ROTATE_BY (default 1) names further on: with 2,
# the targets named in pairs stay next to each other in every round.
measure_all() {  # names...
  local names=("$@") round i name
  echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s ${SCHEME:-http}, ${LOAD:-minimal} GET unless named, $ROUNDS interleaved rounds," \
       "median shown; origin: demo_origin, $(nproc) cores${PIN_PROXY:+ (proxy pinned to core 1, wrk and origin to core 0)}, load average" \
       "$(cut -d' ' -f1-3 /proc/loadavg)"
  local listed=("$@")
  if [ -z "${NO_ORIGIN_RUN:-}" ]; then
    measure origin-direct "$ORIGIN_PORT"
    listed=(origin-direct "$@")
  fi
  for ((round = 0; round < ROUNDS; ++round)); do
    for ((i = 0; i < ${#names[@]}; ++i)); do
      name=${names[$(((i + round * ${ROTATE_BY:-1}) % ${#names[@]}))]}
      measure "$name" "${PORT[$name]}"
    done
  done
  for name in "${listed[@]}"; do
    # shellcheck disable=SC2086
    RPS[$name]=$(median ${RUNS_RPS[$name]})
    # shellcheck disable=SC2086
    P99[$name]=$(median ${RUNS_P99[$name]})
    printf '%-26s %12s req/s   p99 %-8s  runs: %s\n' "$name" "${RPS[$name]}" "${P99[$name]}" \
      "${RUNS_RPS[$name]}"
    if [ -n "${RUNS_CPU[$name]:-}" ]; then
      # shellcheck disable=SC2086
      CPU[$name]=$(median ${RUNS_CPU[$name]})
      printf '%-26s %12s us CPU per request      runs: %s\n' "" "${CPU[$name]}" "${RUNS_CPU[$name]}"
    fi
  done
}
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }
# The ratio of two targets round by round (the two runs of a round are minutes apart at most,
# where the machine's speed drifts over longer spans), and their median: "median (r1 r2 ...)".
# Of requests/s, or with CPU as $3, of requests per CPU second (the second's CPU per request over
# the first's).
round_ratios() {  # name name [CPU]
  if [ "${3:-}" = CPU ]; then
    # shellcheck disable=SC2086
    set -- ${RUNS_CPU[$2]} -- ${RUNS_CPU[$1]}
  else
    # shellcheck disable=SC2086
    set -- ${RUNS_RPS[$1]} -- ${RUNS_RPS[$2]}
  fi
  python3 - "$@" <<'PY'
import statistics, sys
args = sys.argv[1:]
split = args.index("--")
ratios = [float(a) / float(b) for a, b in zip(args[:split], args[split + 1:])]
print(f"{statistics.median(ratios):.2f} (" + " ".join(f"{r:.2f}" for r in ratios) + ")")
PY
}

# Waits up to $1 seconds for the 1-minute load average to fall under $2 (a shared machine);
# returns 1 if it never does.
wait_for_idle() {  # seconds threshold
  local deadline=$((SECONDS + $1))
  while ((SECONDS < deadline)); do
    if python3 -c "import sys; sys.exit(0 if float(open('/proc/loadavg').read().split()[0]) < $2 else 1)"; then
      return 0
    fi
    sleep 10
  done
  return 1
}

# Starts nginx with one worker in front of the origin (HTTP/1.1 keep-alive upstream), setting
# the headers Gatehouse sets (X-Forwarded-*, Via, a request ID, a config version); sets the
# variable named by $2 to its port. $3 goes before the http block (load_module), $4 into it, $5
# into its server block (another listener, say an ssl one).
start_nginx() {  # name, variable for the port, [main directives], [http directives], [server]
  local port dir="$WORK/$1"
  port=$(free_port)
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<CONF
${3:-}
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${4:-}
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$port;
    ${5:-}
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
  # NGINX_WRAPPER (e.g. valgrind) runs nginx under it.
  "${PROXY_CPU[@]}" ${NGINX_WRAPPER:-} nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" &
  PIDS+=($!)
  wait_port "$port"
  printf -v "$2" '%s' "$port"
}

# TLS for the bench scripts: one CA and one EC P-256 leaf for bench.test, made in $WORK (ca.pem,
# leaf.pem, leaf.key), and the cipher preferences both servers get.
TLS_CIPHERS="ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
TLS_SUITES="TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
make_bench_certificate() {
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -subj "/CN=bench CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$WORK/leaf.key" -out "$WORK/leaf.csr" -subj "/CN=bench.test" 2>/dev/null
  printf 'subjectAltName=DNS:bench.test\nextendedKeyUsage=serverAuth\n' > "$WORK/leaf.ext"
  openssl x509 -req -in "$WORK/leaf.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -set_serial 7 \
    -days 2 -extfile "$WORK/leaf.ext" -out "$WORK/leaf.pem" 2>/dev/null
}

# nginx's server-block directives for an ssl listener on port $1 with that certificate (session
# tickets on, no session cache), for start_nginx's $5.
nginx_tls_server() {  # port
  echo "
    listen 127.0.0.1:$1 ssl;
    ssl_certificate $WORK/leaf.pem;
    ssl_certificate_key $WORK/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers $TLS_CIPHERS;
    ssl_conf_command Ciphersuites $TLS_SUITES;
    ssl_prefer_server_ciphers on;
    ssl_session_tickets on;"
}

# The pass-through zone (write_waf_zones) compiled with bench.test's certificate attached:
# $WORK/pass-tls.snapshot, for `proxy --listen-tls … --tls-default-zone=bench.test`.
write_tls_snapshot() {
  bazel build --config=opt //bench:attach_certificate >&2
  cp "$(bazel info --config=opt bazel-bin 2>/dev/null)/bench/attach_certificate" "$WORK/"
  write_waf_zones
  "$WORK/gatectl" compile "$WORK/pass.json" -o "$WORK/pass-tls.snapshot" >&2
  "$WORK/attach_certificate" "$WORK/pass-tls.snapshot" bench.test "$WORK/leaf.pem" \
    "$WORK/leaf.key"
}

# Runs one kind of TLS (or plain) operation against 127.0.0.1:$2 for $3 seconds and prints how
# many were done: http or https (wrk's keep-alive requests, $CONNECTIONS connections) or an
# `openssl s_time` mode ("-new -tls1_3", "-reuse -tls1_2": connections).
tls_operations() {  # kind port seconds
  case "$1" in
    http | https)
      wrk -t1 -c"$CONNECTIONS" -d"$3s" -H 'Host: bench.test' "$1://127.0.0.1:$2/bench/path?q=1" |
        awk '/requests in/ {print $1}' ;;
    *) # shellcheck disable=SC2086
      openssl s_time -connect "127.0.0.1:$2" $1 -time "$3" 2>/dev/null |
        awk '/connections in [0-9]+ real seconds/ {print $1}' | tail -1 ;;
  esac
}
