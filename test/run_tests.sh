#!/bin/bash
# The test suites, after the extension is built and installed: the core's
# unit tests (no server), then pg_regress and pgTAP on a throw-away cluster.
# Exits non-zero when any suite fails; prints each runner's summary.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0

echo "== core unit tests (no server)"
bash test/core/run.sh || status=1

echo "== pg_regress and pgTAP on a throw-away cluster"
pg_virtualenv -t bash test/run_server_tests.sh || status=1

if [ $status -ne 0 ]; then
	echo "peoplefirst: TESTS FAILED"
fi
exit $status
