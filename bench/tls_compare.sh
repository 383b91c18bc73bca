#!/usr/bin/env bash
# TLS side by side on loopback, all in one run, one worker each, the same origin and the same
# certificate (EC P-256, made here), TLS 1.2/1.3 with the same cipher preferences:
#   demo origin  <-  nginx (1 worker, ssl, session tickets)
#                <-  Gatehouse proxy (1 worker, -c opt, --listen-tls, session tickets)
# Measures full handshakes/s and resumed handshakes/s (openssl s_time -new / -reuse, TLS 1.3
# and 1.2), and HTTPS keep-alive requests/s (wrk). Ports are picked at run time.
#
# Usage: bench/tls_compare.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
ROUNDS="${3:-3}"
. "$(dirname "$0")/lib.sh"

build_binaries
start_origin

make_bench_certificate

# nginx: the proxy of bench/lib.sh, with an ssl listener (same server block) beside its plain one.
NGINX_TLS_PORT=$(free_port)
start_nginx nginx NGINX_PORT "" "" "$(nginx_tls_server "$NGINX_TLS_PORT")"

write_tls_snapshot
GH_TLS_PORT=$(free_port)
GH_PORT=$(free_port)
"$WORK/proxy" --listen="127.0.0.1:$GH_PORT" --listen-tls="127.0.0.1:$GH_TLS_PORT" \
  --tls-default-zone=bench.test --admin= --workers=1 --snapshot-file="$WORK/pass-tls.snapshot" \
  --snapshot-header=true >/dev/null 2>"$WORK/proxy-tls.err" &
GH_PROXY_PID=$!
PIDS+=($!)
wait_port "$GH_TLS_PORT"

for port in "$NGINX_TLS_PORT" "$GH_TLS_PORT"; do
  status=$(curl -s -m 5 --cacert "$WORK/ca.pem" --resolve "bench.test:$port:127.0.0.1" \
    -o /dev/null -w '%{http_code}' "https://bench.test:$port/bench/path?q=1")
  [ "$status" = 200 ] || { echo "TLS on $port answered: $status" >&2; exit 1; }
done

# openssl s_time: connections per (real) second of one client. -new: a handshake only. -reuse
# with TLS 1.3 fetches a page (the same for both): its tickets come after the handshake, and a
# client that reads nothing never has a session to resume.
s_time() {  # port, mode (-new|-reuse), version flag, [-www PAGE]
  openssl s_time -connect "127.0.0.1:$1" "$2" "$3" ${4:+-www "$4"} -time "$DURATION" 2>/dev/null |
    awk '/connections in [0-9]+ real seconds/ {printf "%.0f\n", $1 / $4}' | tail -1
}
declare -A HS
echo "openssl s_time -time $DURATION (one client process), $ROUNDS interleaved rounds, median;" \
     "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in "-new -tls1_3" "-reuse -tls1_3 /bench/path?q=1" "-new -tls1_2" "-reuse -tls1_2"; do
  for name in nginx gatehouse; do HS[$name]=""; done
  for ((round = 0; round < ROUNDS; ++round)); do
    for name in $( ((round % 2)) && echo "gatehouse nginx" || echo "nginx gatehouse"); do
      port=$([ "$name" = nginx ] && echo "$NGINX_TLS_PORT" || echo "$GH_TLS_PORT")
      # shellcheck disable=SC2086
      HS[$name]+="$(s_time "$port" $kind) "
    done
  done
  # shellcheck disable=SC2086
  n=$(median ${HS[nginx]}); g=$(median ${HS[gatehouse]})
  printf 's_time %-14s nginx %8s/s  gatehouse %8s/s  ratio %s   runs: nginx %s gatehouse %s\n' \
    "$kind" "$n" "$g" "$(ratio "$g" "$n")" "${HS[nginx]}" "${HS[gatehouse]}"
done
echo

# HTTPS keep-alive: wrk over TLS (no SNI to an IP address: the default zone's certificate).
SCHEME=https NO_ORIGIN_RUN=1
PORT=([nginx]=$NGINX_TLS_PORT [gatehouse]=$GH_TLS_PORT)
measure_all nginx gatehouse
echo "gatehouse / nginx (HTTPS keep-alive): $(ratio "${RPS[gatehouse]}" "${RPS[nginx]}")  (target >= 1.00)"

# CPU per operation of each server process (/proc/PID/stat, user + system), which a shared,
# noisy machine blurs far less than rates: the work each does per request or handshake.
NGINX_PID=$(pgrep -P "$(cat "$WORK/nginx/nginx.pid")" | head -1)
GH_PID=$GH_PROXY_PID
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo
echo "CPU per operation (µs, user + system of the server process; 5 s runs, $ROUNDS rounds, median)"
for kind in http https "-new -tls1_3" "-new -tls1_2" "-reuse -tls1_2"; do
  declare -A CPU=([nginx]="" [gatehouse]="")
  for ((round = 0; round < ROUNDS; ++round)); do
    for name in nginx gatehouse; do
      if [ "$name" = nginx ]; then pid=$NGINX_PID; else pid=$GH_PID; fi
      case "$kind:$name" in
        http:nginx) port=$NGINX_PORT ;; http:gatehouse) port=$GH_PORT ;;
        *:nginx) port=$NGINX_TLS_PORT ;; *) port=$GH_TLS_PORT ;;
      esac
      before=$(cpu_ticks "$pid")
      count=$(tls_operations "$kind" "$port" 5)
      after=$(cpu_ticks "$pid")
      CPU[$name]+="$(python3 -c "print(f'{($after - $before) * 1e6 / $(getconf CLK_TCK) / max($count, 1):.1f}')") "
    done
  done
  # shellcheck disable=SC2086
  n=$(median ${CPU[nginx]}); g=$(median ${CPU[gatehouse]})
  printf 'cpu %-14s nginx %8s µs  gatehouse %8s µs  gatehouse/nginx %s   runs: nginx %s gatehouse %s\n' \
    "$kind" "$n" "$g" "$(ratio "$g" "$n")" "${CPU[nginx]}" "${CPU[gatehouse]}"
done
