#!/usr/bin/env bash
# `npm test`: installs what is missing, ensures the local stack, runs the static checks and every test tier,
# then prints one line "N passed, N failed" for CI. Extra arguments go to the main jest run.
set -uo pipefail
cd "$(dirname "$0")/.."
results=.test-results
rm -rf "$results" && mkdir -p "$results"
failed_checks=0
summary() { node scripts/test-summary.mjs "$failed_checks" "$results/main.json" "$results/disruptive.json"; }
give_up() { echo "$1" >&2; failed_checks=$((failed_checks + 1)); summary; exit 1; }

bash scripts/ensure-deps.sh || give_up "npm dependencies could not be installed"
bash deploy/local/stack.sh up || give_up "the local stack did not start: see the message above (npm run stack:status shows each piece)"
# stripe-mock (optional piece) validates the billing adapter's requests against Stripe's published API.
bash deploy/local/stack.sh up stripe-mock || give_up "stripe-mock did not start: see the message above"
eval "$(bash deploy/local/stack.sh env)"
export OPERATOR_TOKEN="${OPERATOR_TOKEN:-test-operator-token-0123456789}"

echo "==> build, typecheck, lint"
npx turbo run build typecheck lint --output-logs=errors-only || { echo "static checks failed (see above)" >&2; failed_checks=$((failed_checks + 1)); }
# The root's own TypeScript (e2e/, bench/) is not a workspace: check it here.
npx tsc -p tsconfig.json && npx eslint e2e bench scripts jest.config.js eslint.config.mjs ||
  { echo "root typecheck or lint failed (see above)" >&2; failed_checks=$((failed_checks + 1)); }
bash scripts/check-proto.sh || failed_checks=$((failed_checks + 1))

echo "==> services (for the e2e tier)"
bash scripts/services.sh stop >/dev/null 2>&1
bash scripts/services.sh start || give_up "the services did not start: see the log named above"
trap 'bash scripts/services.sh stop >/dev/null 2>&1' EXIT

echo "==> jest: unit, integration, e2e"
npx jest --ci --selectProjects unit integration e2e --json --outputFile="$results/main.json" "$@"
echo "==> jest: disruptive tests (restart infrastructure; run alone)"
npx jest --ci --selectProjects disruptive --runInBand --json --outputFile="$results/disruptive.json"
summary
