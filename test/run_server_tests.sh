#!/bin/bash
# Runs inside pg_virtualenv (which sets PGHOST, PGPORT, PGUSER, PGPASSWORD).
set -uo pipefail
cd "$(dirname "$0")/.."

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
status=0

echo "-- pg_regress"
if ! make --no-print-directory installcheck PG_CONFIG="$PG_CONFIG"; then
	status=1
	[ -f regression.diffs ] && head -n 200 regression.diffs
fi

echo "-- pgTAP"
createdb peoplefirst_tap
psql -q -X -v ON_ERROR_STOP=1 -d peoplefirst_tap \
	-c "CREATE EXTENSION pgtap; CREATE EXTENSION peoplefirst;" || status=1
pg_prove --ext .sql -d peoplefirst_tap test/*.sql || status=1

echo "-- scale-out over postgres_fdw (a coordinator and two shards)"
prove -e bash test/scaleout/run.sh || status=1

echo "-- hardening: fuzzed input, hostile arguments, dump/restore, safe install, upgrade"
prove -e bash test/hardening/fuzz.sh test/hardening/hostile_args.sh test/hardening/roundtrip.sh \
	test/hardening/safe_install.sh test/hardening/upgrade.sh || status=1

echo "-- sqlsmith: generated queries as an unprivileged role"
SQLSMITH_QUERIES=${SQLSMITH_QUERIES:-500} prove -e bash test/sqlsmith/run.sh || status=1
exit $status
