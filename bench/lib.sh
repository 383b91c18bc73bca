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

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() {
  for _ in $(seq 1 100); do
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
  "$WORK/demo_origin" --listen="127.0.0.1:$ORIGIN_PORT" --name=bench >/dev/null &
  PIDS+=($!)
  wait_port "$ORIGIN_PORT"
}

# Starts a Gatehouse proxy with one worker on a snapshot file; sets the variable named by $2 to
# its port. Not in a $(…) subshell: the pid must reach PIDS, or cleanup leaves the proxy running.
start_gatehouse() {  # snapshot file, variable for the port
  local port
  port=$(free_port)
  "$WORK/proxy" --listen="127.0.0.1:$port" --admin= --workers=1 \
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
# the medians.
# SCHEME (http by default) is the targets' scheme.
declare -A PORT RUNS_RPS RUNS_P99 RPS P99
measure() {  # name port
  local url="${SCHEME:-http}://127.0.0.1:$2/bench/path?q=1"
  wrk -t1 -c"$CONNECTIONS" -d1s -H 'Host: bench.test' "$url" >/dev/null
  local out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H 'Host: bench.test' \
    -H 'User-Agent: wrk-bench' "$url")
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
# and prints the medians.
measure_all() {  # names...
  local names=("$@") round i name
  echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s ${SCHEME:-http}, $ROUNDS interleaved rounds," \
       "median shown; origin: demo_origin, $(nproc) cores, load average" \
       "$(cut -d' ' -f1-3 /proc/loadavg)"
  local listed=("$@")
  if [ -z "${NO_ORIGIN_RUN:-}" ]; then
    measure origin-direct "$ORIGIN_PORT"
    listed=(origin-direct "$@")
  fi
  for ((round = 0; round < ROUNDS; ++round)); do
    for ((i = 0; i < ${#names[@]}; ++i)); do
      name=${names[$(((i + round) % ${#names[@]}))]}
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
  done
}
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }

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
  nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" &
  PIDS+=($!)
  wait_port "$port"
  printf -v "$2" '%s' "$port"
}
