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
