#!/bin/bash
# The test suites, after the extension is built and installed into the server
# PG_CONFIG names: the core's unit tests (no server), then every server suite
# on a throw-away cluster of that server (test/run_server_tests.sh inside
# test/pg/cluster.sh). Each suite prints one line
#   peoplefirst-suite: NAME pass|fail
# (test/pg/matrix.sh tabulates them), and the last line counts them.
# Exits non-zero when any suite fails.
set -uo pipefail
cd "$(dirname "$0")/.."

export PG_CONFIG=${PG_CONFIG:-pg_config}
PF_STATUS_FILE=$(mktemp "${TMPDIR:-/tmp}/peoplefirst-suites.XXXXXX")
export PF_STATUS_FILE
trap 'rm -f "$PF_STATUS_FILE"' EXIT
# readable by the server's owner too (nothing there reads it, but a
# command run as postgres may)
chmod 644 "$PF_STATUS_FILE"

suite() {	# suite NAME pass|fail
	echo "peoplefirst-suite: $1 $2" | tee -a "$PF_STATUS_FILE"
}

server=$("$PG_CONFIG" --version 2>/dev/null || echo "no server found through $PG_CONFIG")
echo "== peoplefirst on $server ($PG_CONFIG)"

echo "== core unit tests (no server)"
if bash test/core/run.sh; then suite core pass; else suite core fail; fi

echo "== the server suites on a throw-away cluster"
bash test/pg/cluster.sh bash test/run_server_tests.sh
rc=$?
if ! grep -q "^peoplefirst-suite: regress " "$PF_STATUS_FILE"; then
	# the cluster never ran the suites
	suite cluster fail
	rc=1
fi

passed=$(grep -c " pass$" "$PF_STATUS_FILE")
failed=$(grep -c " fail$" "$PF_STATUS_FILE")
echo "== $server: $(grep -o '[^ ]* [a-z]*$' "$PF_STATUS_FILE" | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then
	echo "peoplefirst: TESTS FAILED"
	[ "$failed" -eq 0 ] && failed=1
fi
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
