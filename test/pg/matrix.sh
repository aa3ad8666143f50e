#!/bin/bash
# make test-all: `make test PG_MAJOR=N` for each N of ${MAJORS:-15 17 18 19}
# in turn (Debian's server where installed, else one that test/pg/build.sh
# builds into its cache), then a table of the suites' results per version:
#
#   server            core  regress  pgtap  scaleout  hardening  sqlsmith  readme  make test
#   PostgreSQL 15.20  pass  pass     pass   ...
#
# With CITUS_SRC set, make test-citus runs on each server as well (the
# column shows skip where no provided Citus supports that server).
# A version whose source package the mirror does not serve (build.sh exit
# status 69) is shown as "unavailable" and is not a failure unless
# MATRIX_STRICT=1. Exits non-zero when any version fails. Each run's output
# goes to the terminal and to MATRIX_LOGS/N.log (default a new directory in
# /tmp, named at the end).
set -uo pipefail
cd "$(dirname "$0")/../.."

majors=${MAJORS:-15 17 18 19}
logs=${MATRIX_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-matrix.XXXXXX")}
mkdir -p "$logs"
suites=(core regress pgtap scaleout hardening sqlsmith readme citus)
declare -A result server took
failures=0

for v in $majors; do
	log=$logs/$v.log
	began=$(date +%s)
	echo "======== make test PG_MAJOR=$v"
	# a server Debian does not have here is built first: a source package
	# that cannot be had is told apart from a failure
	if [ ! -x "/usr/lib/postgresql/$v/bin/pg_config" ]; then
		PG_MAJOR=$v bash test/setup.sh 2>&1 </dev/null | tee "$log"
		rc=${PIPESTATUS[0]}
		if [ "$rc" -eq 69 ]; then
			result[$v,make]=unavailable
			server[$v]="PostgreSQL $v"
			took[$v]=$(($(date +%s) - began))
			continue
		fi
	fi
	make --no-print-directory test PG_MAJOR="$v" 2>&1 </dev/null | tee -a "$log"
	rc=${PIPESTATUS[0]}
	# Citus, where CITUS_SRC provides a version for this server (test/citus
	# skips with "1..0 # SKIP" when none fits)
	if [ "$rc" -eq 0 ] && [ -n "${CITUS_SRC:-}" ]; then
		if make --no-print-directory test-citus PG_MAJOR="$v" 2>&1 </dev/null | tee -a "$log" | tee "$log.citus" >/dev/null; then
			if grep -q '^1\.\.0 # SKIP' "$log.citus"; then c=skip; else c=pass; fi
		else
			c=fail
			rc=1
			tail -n 40 "$log.citus"
		fi
		echo "peoplefirst-suite: citus $c" | tee -a "$log"
	fi
	took[$v]=$(($(date +%s) - began))
	server[$v]=$(sed -n 's/^== peoplefirst on \(PostgreSQL [^ ]*\).*/\1/p' "$log" | tail -n 1)
	[ -n "${server[$v]}" ] || server[$v]="PostgreSQL $v"
	for s in "${suites[@]}" cluster; do
		r=$(sed -n "s/^peoplefirst-suite: $s \([a-z]*\)$/\1/p" "$log" | tail -n 1)
		result[$v,$s]=${r:--}
	done
	if [ "$rc" -eq 0 ]; then
		result[$v,make]=pass
	else
		result[$v,make]=fail
		failures=$((failures + 1))
	fi
done

echo
echo "======== peoplefirst on each server (logs in $logs)"
fmt="%-18s"
for _ in "${suites[@]}"; do fmt+=" %-10s"; done
fmt+=" %-12s %s\n"
# shellcheck disable=SC2059
printf "$fmt" server "${suites[@]}" "make test" time
unavailable=0
for v in $majors; do
	row=()
	for s in "${suites[@]}"; do row+=("${result[$v,$s]:--}"); done
	[ "${result[$v,make]}" = unavailable ] && unavailable=$((unavailable + 1))
	# shellcheck disable=SC2059
	printf "$fmt" "${server[$v]}" "${row[@]}" "${result[$v,make]}" "$((took[$v] / 60))m$((took[$v] % 60))s"
done
for v in $majors; do
	[ "${result[$v,cluster]:--}" = fail ] && echo "PostgreSQL $v: the throw-away cluster did not run the server suites"
	[ "${result[$v,make]}" = unavailable ] &&
		echo "PostgreSQL $v: unavailable: the mirror does not serve its Debian source package now (see $logs/$v.log)"
done
if [ "${MATRIX_STRICT:-0}" = 1 ]; then
	failures=$((failures + unavailable))
fi
total=$(wc -w <<<"$majors")
echo "servers: $((total - failures - unavailable)) passed, $failures failed, $unavailable skipped"
[ "$failures" -eq 0 ]
