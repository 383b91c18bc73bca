#!/usr/bin/env bash
# Installs every Debian package Gatehouse needs to build, test, run and benchmark.
# Idempotent and non-interactive; installs nothing from outside Debian's archive.
set -euo pipefail

packages=(
  bazel-bootstrap
  build-essential
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev libgrpc-dev
  libabsl-dev libre2-dev libhyperscan-dev libboost1.81-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev libgoogle-perftools-dev
  libyaml-cpp-dev libssl-dev
  curl python3 ca-certificates git
  # Peers for bench/proxy_compare.sh and bench/waf_compare.sh; libnginx-mod-http-modsecurity
  # also installs the /etc/nginx/modsecurity.conf that the libmodsecurity benches load, and
  # modsecurity-crs is the ruleset the managed WAF imports.
  nginx-light haproxy libnginx-mod-http-modsecurity modsecurity-crs wrk
  # Bench-only: bench/waf_instructions.sh counts the proxy's instructions with callgrind.
  valgrind
  # Bench-only: libmodsecurity with the libinjection it ships, which bench/detect_compare and
  # bench/detect_bench measure Gatehouse's detectors against.
  libmodsecurity-dev
  # Test-only: PCRE2, which libmodsecurity runs CRS's patterns with, for the tests that compare
  # compiler/seclang_import's rewrites of the patterns RE2 cannot run with the originals.
  libpcre2-dev
  # Test-only: the openssl command makes the CA and certificates of the control-plane TLS tests.
  openssl
  # Developer tools: detect/crs_check reads CRS's YAML regression tests.
  python3-yaml
  # HTTP/2 downstream (libnghttp2) and its test and bench clients (nghttp, h2load).
  libnghttp2-dev nghttp2-client
  # Geolocation fields (libmaxminddb); the tests write small MaxMind DB files with the Perl writer.
  libmaxminddb-dev libmaxmind-db-writer-perl
  # The control plane's replicated store, and etcdctl for its tests and operations docs.
  etcd-server etcd-client
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
# Peer proxies are installed for tests and benchmarks only; never let their package scripts
# start system services that would hold ports on this machine.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo_cmd[@]}" chmod +x /usr/sbin/policy-rc.d
  remove_policy=1
fi
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
if [ "${remove_policy:-0}" = 1 ]; then "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d; fi
