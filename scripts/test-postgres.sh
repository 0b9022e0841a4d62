#!/usr/bin/env bash
# The second pass of `make test`: the whole suite again, each test on its own PostgreSQL
# database cloned from a migrated template (tests/databases.py).
#
# No server at 127.0.0.1:5432: locally the pass is skipped with the reason printed; with
# REQUIRE_POSTGRES=1 (set by .ci/run) that is a failure. Afterwards it checks that the run
# dropped every database it created (they share a per-run name prefix).
# Usage: scripts/test-postgres.sh [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if ! $PY -m tests.databases available; then
  if [ "${REQUIRE_POSTGRES:-}" = 1 ]; then
    echo "PostgreSQL pass: FAILED, no PostgreSQL server at 127.0.0.1:5432 and REQUIRE_POSTGRES=1" >&2
    exit 1
  fi
  echo "PostgreSQL pass: SKIPPED, no PostgreSQL server at 127.0.0.1:5432 (trust auth expected)."
  echo "  Start one (pg_ctlcluster 15 main start) or set REQUIRE_POSTGRES=1 to make this fail."
  exit 0
fi

prefix="kvkk_mt$$"
echo "PostgreSQL pass: the whole suite again on PostgreSQL (databases ${prefix}_*)"
status=0
KVKK_TEST_DATABASE=postgresql KVKK_TEST_DB_PREFIX="$prefix" $PY -m pytest "$@" || status=$?
left=$($PY -m tests.databases left "${prefix}_")
if [ -n "$left" ]; then
  echo "PostgreSQL pass: the tests left these databases behind:" >&2
  echo "$left" >&2
  if [ "$status" -eq 0 ]; then status=1; fi
fi
exit "$status"
