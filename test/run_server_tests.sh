#!/bin/bash
# The server suites, on the cluster the PG* variables describe as a
# superuser (test/pg/cluster.sh or pg_virtualenv sets them), with the
# extension installed into the server PG_CONFIG names. One line each:
#   peoplefirst-suite: NAME pass|fail
# (also appended to $PF_STATUS_FILE when set). Exits non-zero if any fails.
set -uo pipefail
cd "$(dirname "$0")/.."

export PG_CONFIG=${PG_CONFIG:-pg_config}
status=0

suite() {	# suite NAME COMMAND...: runs it, prints its status line
	local name=$1 result=pass
	shift
	"$@" || { result=fail; status=1; }
	echo "peoplefirst-suite: $name $result"
	[ -n "${PF_STATUS_FILE:-}" ] && echo "peoplefirst-suite: $name $result" >>"$PF_STATUS_FILE"
	return 0
}

regress() {
	if ! make --no-print-directory installcheck PG_CONFIG="$PG_CONFIG"; then
		[ -f regression.diffs ] && head -n 200 regression.diffs
		return 1
	fi
}

pgtap() {
	dropdb --if-exists peoplefirst_tap &&
		createdb peoplefirst_tap &&
		psql -q -X -v ON_ERROR_STOP=1 -d peoplefirst_tap \
			-c "CREATE EXTENSION pgtap; CREATE EXTENSION peoplefirst;" &&
		pg_prove --ext .sql -d peoplefirst_tap test/*.sql
}

echo "-- pg_regress"
suite regress regress

echo "-- pgTAP"
suite pgtap pgtap

echo "-- scale-out over postgres_fdw (a coordinator and two shards)"
suite scaleout prove -e bash test/scaleout/run.sh

echo "-- hardening: fuzzed input, hostile arguments, dump/restore, safe install, upgrade, cancellation"
suite hardening prove -e bash test/hardening/fuzz.sh test/hardening/hostile_args.sh test/hardening/roundtrip.sh \
	test/hardening/safe_install.sh test/hardening/upgrade.sh test/hardening/stored_v1.sh test/hardening/cancel.sh

echo "-- sqlsmith: generated queries as an unprivileged role"
suite sqlsmith env SQLSMITH_QUERIES="${SQLSMITH_QUERIES:-500}" prove -e bash test/sqlsmith/run.sh

if [ -f test/readme/first_look.sh ]; then
	echo "-- readme: the README's first look"
	suite readme prove -e bash test/readme/first_look.sh
fi
exit $status
