#!/usr/bin/env bash
# `npm test`: installs what is missing, ensures the local stack, runs the static checks and every test tier,
# then prints one line "N passed, N failed" for CI.
set -uo pipefail
cd "$(dirname "$0")/.."
results=.test-results
rm -rf "$results" && mkdir -p "$results"
failed_checks=0

summary() { node scripts/test-summary.mjs "$results/jest.json" "$failed_checks"; }

bash scripts/ensure-deps.sh || { failed_checks=1; summary; exit 1; }
if ! bash deploy/local/stack.sh up; then
  echo "the local stack did not start: see the message above (npm run stack:status shows each piece)" >&2
  failed_checks=1; summary; exit 1
fi
eval "$(bash deploy/local/stack.sh env)"

echo "==> build, typecheck, lint"
if ! npx turbo run build typecheck lint --output-logs=errors-only; then
  echo "static checks failed (see above)" >&2
  failed_checks=$((failed_checks + 1))
fi
bash scripts/check-proto.sh || failed_checks=$((failed_checks + 1))

echo "==> jest: unit, integration, e2e"
npx jest --ci --json --outputFile="$results/jest.json" "$@"
summary
