#!/usr/bin/env bash
# Installs the npm workspace exactly as locked, unless node_modules already matches package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.crm-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "==> installing npm dependencies (npm ci)"
if ! npm ci --no-audit --no-fund --loglevel=error; then
  echo "npm ci failed: check that node -v is 20.19+ and that the npm registry is reachable, then run npm ci yourself to see the details" >&2
  exit 1
fi
echo "$want" >"$stamp"
