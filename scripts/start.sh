#!/usr/bin/env bash
# `npm start`: installs what is missing, starts the local stack and every service, prints the URLs,
# and stops the services cleanly on Ctrl-C (the stack keeps running: npm run stack:down stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
npx turbo run build --output-logs=errors-only # code generated from proto/
bash deploy/local/stack.sh up
eval "$(bash deploy/local/stack.sh env)"
export OPERATOR_TOKEN="${OPERATOR_TOKEN:-dev-operator-token}"

stop_services() { echo; echo "==> stopping services"; bash scripts/services.sh stop; exit 0; }
trap stop_services INT TERM

echo "==> starting services"
bash scripts/services.sh start
logs=$(bash scripts/services.sh logs-dir)
cat <<URLS

  Gateway          ${GATEWAY_URL:-http://127.0.0.1:${GATEWAY_PORT:-8080}}
  API docs         ${GATEWAY_URL:-http://127.0.0.1:${GATEWAY_PORT:-8080}}/docs
  Temporal UI      ${TEMPORAL_UI_URL}
  Mailpit          ${MAILPIT_URL}
  Stripe emulator  ${STRIPE_API_BASE}
  Operator token   ${OPERATOR_TOKEN}
  Service logs     ${logs}/<service>.log

Ctrl-C stops the services; npm run stack:down stops the infrastructure.
URLS
while true; do
  if ! bash scripts/services.sh status >/dev/null; then
    echo "a service stopped unexpectedly:" >&2
    bash scripts/services.sh status >&2 || true
    bash scripts/services.sh stop
    exit 1
  fi
  sleep 2 & wait $!
done
