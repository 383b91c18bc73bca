#!/usr/bin/env bash
# Builds and starts the demo on loopback: two demo origins (the ports examples/zone.json names),
# the control plane and a proxy; pushes examples/zone.json; prints curl lines to try.
# Ctrl-C stops everything. Ports can be changed with PROXY_PORT and CONTROL_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

PROXY_PORT=${PROXY_PORT:-8080}
CONTROL_PORT=${CONTROL_PORT:-50051}

bazel build -c opt //:control //:proxy //:gatectl //examples/demo_origin
bin=$(bazel info -c opt bazel-bin 2>/dev/null)

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo stopped"
}
trap cleanup INT TERM EXIT

start() {  # start NAME COMMAND...: runs it in the background and waits for its ready line
  local name=$1 fifo
  shift
  fifo=$(mktemp -u)
  mkfifo "$fifo"
  "$@" >"$fifo" &
  pids+=($!)
  local line
  if ! read -r -t 20 line <"$fifo"; then
    echo "$name did not start" >&2
    exit 1
  fi
  rm -f "$fifo"
  echo "$name: $line"
}

start "origin app" "$bin/examples/demo_origin/demo_origin" --listen=127.0.0.1:9001 --name=app
start "origin api" "$bin/examples/demo_origin/demo_origin" --listen=127.0.0.1:9002 --name=api
# Loopback only, so the demo runs without tokens; a real deployment gives --admin-token-file.
start "control" "$bin/api/control" --listen="127.0.0.1:$CONTROL_PORT" --insecure-no-auth
start "proxy" "$bin/runtime/proxy" --listen="127.0.0.1:$PROXY_PORT" \
  --control="127.0.0.1:$CONTROL_PORT"
"$bin/api/gatectl/gatectl" --addr="127.0.0.1:$CONTROL_PORT" push examples/zone.json

# Wait until the proxy serves the pushed snapshot.
for _ in $(seq 100); do
  if curl -fs -o /dev/null -H 'Host: example.com' "http://127.0.0.1:$PROXY_PORT/"; then break; fi
  sleep 0.1
done

cat <<EOT

Gatehouse is up. Try:

  # proxied to the "app" origin
  curl -i -H 'Host: example.com' http://127.0.0.1:$PROXY_PORT/hello

  # blocked by the WAF rule "block-admin" (403, with the ray ID in the body)
  curl -i -H 'Host: example.com' http://127.0.0.1:$PROXY_PORT/admin

  # routed to the "api" origin with Host: api.internal
  curl -i -H 'Host: example.com' http://127.0.0.1:$PROXY_PORT/api/users

  # the origin answers 500; the custom error rule "5xx" serves its page (503)
  curl -i -H 'Host: example.com' http://127.0.0.1:$PROXY_PORT/status/500

  # change the config and push it again: the proxy swaps it in, nothing restarts
  $bin/api/gatectl/gatectl --addr=127.0.0.1:$CONTROL_PORT push examples/zone.json

Press Ctrl-C to stop.
EOT
wait
