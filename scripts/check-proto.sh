#!/usr/bin/env bash
# Guards proto/ (ARCHITECTURE.md rule 3): `buf lint` (STANDARD rules) and `buf breaking` (FILE rules) against
# the last commit on main. Exits non-zero when either finds a problem; both run so one pass shows everything.
set -uo pipefail
cd "$(dirname "$0")/.."
[[ -d proto ]] || exit 0

# The buf from node_modules (devDependency of @crm/contracts); --no: never download one on the fly.
buf() { npx --no -- buf "$@"; }

status=0
echo "==> buf lint"
buf lint proto || status=1

echo "==> buf breaking (against main)"
if [[ ! -d .git ]]; then
  echo "skipped: no .git here, so there is no main to compare with"
elif ! git rev-parse --verify --quiet 'refs/heads/main^{commit}' >/dev/null; then
  echo "skipped: branch main has no commit yet"
elif ! git cat-file -e 'main:proto' 2>/dev/null; then
  echo "skipped: main has no proto/ yet"
else
  buf breaking proto --against '.git#branch=main,subdir=proto' || status=1
fi

exit "$status"
