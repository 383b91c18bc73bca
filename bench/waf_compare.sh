#!/usr/bin/env bash
# The managed WAF end to end next to nginx + ModSecurity + CRS, all in one run on loopback:
#   demo origin  <-  Gatehouse proxy (1 worker, -c opt), pass-through zone
#                <-  Gatehouse proxy (1 worker, -c opt), zone executing owasp-crs (paranoia
#                    level 1, CRS's threshold 5; the CRS Debian's modsecurity-crs installs)
#                <-  nginx (1 worker)
#                <-  nginx (1 worker) + libnginx-mod-http-modsecurity + the same CRS at
#                    paranoia level 1, set up as CRS's install notes say: Debian's
#                    modsecurity.conf (the recommended engine set-up) with SecRuleEngine On
#                    and the audit log off, crs-setup.conf, then the rules
# Each is driven by the same wrk loads (lib.sh's request_for): a minimal GET (Host and
# User-Agent) and a browser's page request (seven headers, a cookie, a query string: what
# bench/managed_waf_bench calls the benign GET). Prints requests/s and p99 for each and the
# ratios issue 15 sets targets for, per load. Ports are picked at run time; everything listens
# on 127.0.0.1 only. tools/setup.sh installs everything it uses.
#
# Each ratio is given twice: of the medians, and as the median of the rounds' own ratios. In
# every round each WAF's run comes right after the other's with the same load (ROTATE_BY=2
# keeps the pairs together): this VM's speed changes within a minute, and a ratio of two runs
# far apart measures the drift as much as the proxies.
#
# Usage: bench/waf_compare.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
# WAIT_IDLE=SECONDS (default 600) waits that long for the load average to fall under 1.0 first.
# LOADS (default "minimal browser") names the loads to run.
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
ROUNDS="${3:-5}"
. "$(dirname "$0")/lib.sh"

CRS_RULES=/usr/share/modsecurity-crs/rules
CRS_SETUP=/etc/modsecurity/crs/crs-setup.conf
MODSECURITY_CONF=/etc/nginx/modsecurity.conf
MODSECURITY_MODULE=/usr/lib/nginx/modules/ngx_http_modsecurity_module.so
for file in "$CRS_RULES" "$CRS_SETUP" "$MODSECURITY_CONF" "$MODSECURITY_MODULE"; do
  [ -e "$file" ] || { echo "missing $file: run tools/setup.sh" >&2; exit 1; }
done

build_binaries
if ! wait_for_idle "${WAIT_IDLE:-600}" 1.0; then
  echo "warning: load average still $(cut -d' ' -f1-3 /proc/loadavg); measuring anyway" >&2
fi
start_origin

write_waf_zones
"$WORK/gatectl" compile "$WORK/pass.json" -o "$WORK/pass.snapshot" >&2
"$WORK/gatectl" compile "$WORK/crs.json" -o "$WORK/crs.snapshot" --crs-dir="$CRS_RULES" \
  --crs-setup="$CRS_SETUP" >&2
start_gatehouse "$WORK/pass.snapshot" GH_PORT
PID[gatehouse]=${PIDS[-1]}
start_gatehouse "$WORK/crs.snapshot" GH_CRS_PORT
PID[gatehouse-crs]=${PIDS[-1]}

# nginx, and nginx + ModSecurity + CRS (paranoia level 1 is crs-setup.conf's default).
mkdir -p "$WORK/modsecurity"
cat > "$WORK/modsecurity/main.conf" <<CONF
Include $MODSECURITY_CONF
SecRuleEngine On
SecAuditEngine Off
Include $CRS_SETUP
Include $CRS_RULES/*.conf
CONF
start_nginx nginx NGINX_PORT
PID[nginx]=${PIDS[-1]}
start_nginx nginx-modsecurity NGINX_MODSEC_PORT "load_module $MODSECURITY_MODULE;" \
  "modsecurity on; modsecurity_rules_file $WORK/modsecurity/main.conf;"
PID[nginx-modsecurity-crs]=${PIDS[-1]}

for port in "$GH_PORT" "$GH_CRS_PORT" "$NGINX_PORT" "$NGINX_MODSEC_PORT"; do check_proxy "$port"; done
# Both WAFs are live: the same SQL injection is refused by each.
attack="http://127.0.0.1:%s/bench/path?id=1%%27%%20UNION%%20SELECT%%20password%%20FROM%%20users--"
for port in "$GH_CRS_PORT" "$NGINX_MODSEC_PORT"; do
  # shellcheck disable=SC2059
  status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Host: bench.test' "$(printf "$attack" "$port")")
  [ "$status" = 403 ] || { echo "the WAF on $port let the attack through ($status)" >&2; exit 1; }
done

PORT=([gatehouse]=$GH_PORT [gatehouse-crs]=$GH_CRS_PORT [nginx]=$NGINX_PORT
      [nginx-modsecurity-crs]=$NGINX_MODSEC_PORT)
# Per load: the pass-through pair, then the two WAFs back to back. Each load is benign: both
# WAFs let it through (a refusal would be a cheaper answer, not a faster WAF).
NAMES=()
for load in ${LOADS:-minimal browser}; do
  request_for "$load"
  for port in "$GH_CRS_PORT" "$NGINX_MODSEC_PORT"; do
    status=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "${REQUEST_HEADERS[@]}" \
      "http://127.0.0.1:$port$REQUEST_PATH")
    [ "$status" = 200 ] || { echo "the WAF on $port refused the $load load ($status)" >&2; exit 1; }
  done
  for proxy in gatehouse nginx gatehouse-crs nginx-modsecurity-crs; do
    NAMES+=("$proxy/$load")
    LOAD_OF[$proxy/$load]=$load
    PORT[$proxy/$load]=${PORT[$proxy]}
    PID[$proxy/$load]=${PID[$proxy]}
  done
done
ROTATE_BY=2
echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)"
measure_all "${NAMES[@]}"
for load in ${LOADS:-minimal browser}; do
  crs=gatehouse-crs/$load modsecurity=nginx-modsecurity-crs/$load
  echo
  echo "$load GET:"
  echo "gatehouse-crs / nginx-modsecurity-crs:  $(ratio "${RPS[$crs]}" "${RPS[$modsecurity]}")  (target >= 20)"
  echo "  round by round, median:               $(round_ratios "$crs" "$modsecurity")"
  echo "gatehouse-crs / gatehouse:              $(ratio "${RPS[$crs]}" "${RPS[gatehouse/$load]}")  (target >= 0.60)"
  echo "  round by round, median:               $(round_ratios "$crs" "gatehouse/$load")"
  echo "nginx-modsecurity-crs / nginx:          $(ratio "${RPS[$modsecurity]}" "${RPS[nginx/$load]}")"
  # The same ratios of requests per CPU second of each proxy's own process: what each would
  # serve with a core to itself and a load that costs nothing.
  echo "per CPU second, gatehouse-crs / nginx-modsecurity-crs: $(ratio "${CPU[$modsecurity]}" "${CPU[$crs]}")"
  echo "  round by round, median:               $(round_ratios "$crs" "$modsecurity" CPU)"
  echo "per CPU second, gatehouse-crs / gatehouse:             $(ratio "${CPU[gatehouse/$load]}" "${CPU[$crs]}")"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
