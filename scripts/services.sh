#!/usr/bin/env bash
# Starts, stops and checks the project's own processes (account, identity, billing, gateway) in the background.
# Needs the stack's environment: eval "$(bash deploy/local/stack.sh env)" first (npm start and npm test do).
# Logs and pid files: $CRM_STACK_STATE/services/<name>.{log,pid}
set -euo pipefail
cd "$(dirname "$0")/.."

state="${CRM_STACK_STATE:-/var/tmp/crm-admin-stack}/services"
mkdir -p "$state"
services=(account identity billing gateway)
declare -A health_port=(
  [account]="${ACCOUNT_HTTP_PORT:-8081}" [identity]="${IDENTITY_HTTP_PORT:-8082}"
  [billing]="${BILLING_HTTP_PORT:-8083}" [gateway]="${GATEWAY_PORT:-8080}"
)

# The stack's server URL (DATABASE_URL from stack.sh env) with another database name.
database_url() { local base="${DATABASE_URL:?run eval \"\$(bash deploy/local/stack.sh env)\" first}"; echo "${base%/*}/$1"; }

running() { [[ -f "$state/$1.pid" ]] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }
healthy() { curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${health_port[$1]}/healthz"; }

start() {
  for name in "${services[@]}"; do
    if running "$name"; then continue; fi
    if healthy "$name"; then
      echo "port ${health_port[$name]} for $name is taken by another process: stop it, or set the port variable (see README)" >&2
      exit 1
    fi
    # Each service owns one database on the stack's server: crm_<service>.
    DATABASE_URL="$(database_url "crm_$name")" DATABASE_CREATE_IF_MISSING=true \
      setsid node --import tsx "services/$name/src/main.ts" >>"$state/$name.log" 2>&1 </dev/null &
    echo $! >"$state/$name.pid"
  done
  for name in "${services[@]}"; do
    for _ in $(seq 1 150); do
      healthy "$name" && break
      if ! running "$name"; then
        echo "$name exited while starting; last lines of $state/$name.log:" >&2
        tail -n 20 "$state/$name.log" >&2
        exit 1
      fi
      sleep 0.2
    done
    healthy "$name" || { echo "$name did not answer /healthz on port ${health_port[$name]} within 30 s; see $state/$name.log" >&2; exit 1; }
  done
}

stop() {
  local name pid pids=()
  for name in "${services[@]}"; do # signal every service first, so they drain in parallel
    if running "$name"; then
      pid=$(cat "$state/$name.pid")
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
    rm -f "$state/$name.pid"
  done
  for _ in $(seq 1 150); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

status() {
  local down=0
  for name in "${services[@]}"; do
    if running "$name" && healthy "$name"; then
      printf '%-9s running  port %-5s pid %-7s log %s\n' "$name" "${health_port[$name]}" "$(cat "$state/$name.pid")" "$state/$name.log"
    else
      printf '%-9s stopped  port %-5s log %s\n' "$name" "${health_port[$name]}" "$state/$name.log"; down=1
    fi
  done
  return $down
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs-dir) echo "$state" ;;
  *) echo "usage: scripts/services.sh start|stop|status|logs-dir" >&2; exit 2 ;;
esac
