#!/bin/bash
# ALTER EXTENSION peoplefirst UPDATE keeps stored values and gives the same
# extension as a fresh install; prints TAP (prove -e bash
# test/hardening/upgrade.sh, inside pg_virtualenv).
#
#   upgrade.sh [FROM [TO]]      or UPGRADE_FROM=... UPGRADE_TO=... upgrade.sh
#
# FROM defaults to the oldest version with an install script (the first
# release), TO to the control file's default_version (the newest). The steps:
#   1. a database with CREATE EXTENSION peoplefirst VERSION 'FROM' stores
#      every type in tables and materialized views (data.sql); its text
#      dump, the accessors' results and the binary forms are recorded;
#   2. ALTER EXTENSION peoplefirst UPDATE TO 'TO' (FROM = TO: a no-op that
#      must say so, which is what runs while only 1.0 exists);
#   3. the values read back the same (text, accessors, binary forms), and
#      again after REFRESH MATERIALIZED VIEW recomputes every aggregate with
#      the new version's code;
#   4. the updated extension equals a fresh CREATE EXTENSION ... VERSION
#      'TO' in another database: the same member objects, function
#      properties (volatility, strictness, parallel safety, C symbol,
#      argument names and defaults), aggregate definitions, type
#      definitions, operators and comments;
#   5. a pg_dump taken under FROM, before the update, restores into a
#      database where CREATE EXTENSION makes TO, and every value, accessor
#      and binary form reads the same there; the btree indexes on stored
#      summaries pass amcheck's bt_index_check (where amcheck is installed),
#      so the order is the same across versions.
#
# When peoplefirst--1.0--1.1.sql is added (and installed with the new
# peoplefirst.so and control file), run `upgrade.sh 1.0 1.1` (or set
# UPGRADE_FROM=1.0 where the test runner calls it): step 2 runs the
# update script on values stored by 1.0, step 3 checks that 1.1's code reads
# 1.0's on-disk values (the version byte of relstrength and survival), step
# 4 that the update script and the 1.1 install script agree. A value
# deliberately changed by 1.1 (a corrected accessor) shows as a difference
# in step 3: record it here as an expected change. Step 4 also runs
# new_in_TO.sql, when there is one, in both databases: the functions new in
# TO, over fixed rows, must give the same results. Needs a superuser
# (CREATE DATABASE); creates and drops peoplefirst_hardening_upgrade_*.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

PG_CONFIG=${PG_CONFIG:-pg_config}
extdir="$("$PG_CONFIG" --sharedir)/extension"
default=$(sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$extdir/peoplefirst.control" 2>/dev/null)
oldest=$(cd "$extdir" && ls peoplefirst--*.sql 2>/dev/null | grep -v -- '--.*--' |
	sed 's/peoplefirst--\(.*\)\.sql/\1/' | sort -V | head -n 1)
from=${1:-${UPGRADE_FROM:-$oldest}}
to=${2:-${UPGRADE_TO:-$default}}
old=peoplefirst_hardening_upgrade_old
fresh=peoplefirst_hardening_upgrade_fresh
restored=peoplefirst_hardening_upgrade_restored
work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-upgrade.XXXXXX")

cleanup() {
	dropdb --if-exists --force "$old" >/dev/null 2>&1
	dropdb --if-exists --force "$fresh" >/dev/null 2>&1
	dropdb --if-exists --force "$restored" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

began=$(date +%s)
[ -n "$from" ] && [ -n "$to" ] || bail "no version" "default_version not found in $extdir/peoplefirst.control"
diag "from $from to $to (installed files in $extdir)"
survival_begin
cleanup
mkdir -p "$work"

check "install script peoplefirst--$from.sql is installed" "not in $extdir" test -f "$extdir/peoplefirst--$from.sql"
if [ "$from" != "$to" ]; then
	paths=$(psql -X -A -t -d postgres -c "SELECT path FROM pg_extension_update_paths('peoplefirst') WHERE source = '$from' AND target = '$to'" 2>&1)
	check "an update path $from -> $to exists ($paths)" "no path; files: $(ls "$extdir"/peoplefirst--* | xargs -n1 basename | tr '\n' ' ')" test -n "$paths"
else
	diag "from = to: no update script yet; ALTER EXTENSION UPDATE is a no-op, the read-back and catalog checks still run"
fi

for db in "$old" "$fresh" "$restored"; do
	out=$(createdb "$db" 2>&1) || bail "createdb $db" "$out"
done

# ------------------------------------------------------------------ 1. store with FROM

out=$(sql "$old" -c "CREATE EXTENSION peoplefirst VERSION '$from'" -f "$here/data.sql") ||
	bail "CREATE EXTENSION peoplefirst VERSION '$from' and data.sql" "$out"
pass "version $from installed, every type stored ($(sql "$old" -c "SELECT count(*) FROM hd_text_dump()") rows)"

dumps() {	# dumps DB PREFIX
	sql "$1" -c "SELECT hd_text_dump()" >"$work/$2.text" &&
	sql "$1" -c "SELECT hd_accessor_dump()" >"$work/$2.accessors" &&
	sql "$1" -c "SELECT hd_binary_dump()" >"$work/$2.binary"
}
same() {	# same A B WHAT
	local d
	if d=$(diff "$work/$1" "$work/$2"); then pass "$3"; else fail "$3" "$(head -c 3000 <<<"$d")"; fi
}
out=$(dumps "$old" before) || bail "dumping before the update" "$out"
out=$(pg_dump -Fc -f "$work/old.dump" "$old" 2>&1) && pass "pg_dump under version $from" ||
	fail "pg_dump under version $from" "$out"

# ------------------------------------------------------------------ 2. update

out=$(psql -X -v ON_ERROR_STOP=1 -d "$old" -c "ALTER EXTENSION peoplefirst UPDATE TO '$to'" 2>&1)
status=$?
if [ $status -ne 0 ]; then
	fail "ALTER EXTENSION peoplefirst UPDATE TO '$to'" "$out"
elif [ "$from" = "$to" ] && [[ $out != *"already installed"* ]]; then
	fail "ALTER EXTENSION peoplefirst UPDATE TO '$to' is a no-op for the installed version" "$out"
else
	pass "ALTER EXTENSION peoplefirst UPDATE TO '$to' ($(tr '\n' ' ' <<<"$out"))"
fi
v=$(sql "$old" -c "SELECT extversion FROM pg_extension WHERE extname = 'peoplefirst'")
check "the installed version is $to" "it is $v" test "$v" = "$to"

# ------------------------------------------------------------------ 3. read back

# a new backend, so that the new version's library and catalog are used
out=$(dumps "$old" after) || fail "dumping after the update" "$out"
same before.text after.text "after the update every stored row reads back as the same text"
same before.accessors after.accessors "after the update the accessors read the same"
same before.binary after.binary "after the update the binary forms are the same"

out=$(sql "$old" -c "SELECT 'REFRESH MATERIALIZED VIEW ' || oid::regclass FROM pg_class WHERE relkind = 'm' AND relname LIKE 'hd\_%'" |
	sed 's/$/;/' | sql "$old") && pass "REFRESH MATERIALIZED VIEW of every view with the new version" ||
	fail "REFRESH MATERIALIZED VIEW of every view with the new version" "$out"
out=$(dumps "$old" refreshed) || fail "dumping after the refresh" "$out"
same before.text refreshed.text "materialized views recomputed by the new version give the same text"

# ------------------------------------------------------------------ 4. same as a fresh install

out=$(sql "$fresh" -c "CREATE EXTENSION peoplefirst VERSION '$to'") || fail "CREATE EXTENSION peoplefirst VERSION '$to'" "$out"
catalog() {
	sql "$1" <<'EOF'
WITH members AS (
	SELECT classid, objid FROM pg_depend
	WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
	  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'peoplefirst'))
SELECT * FROM (
	SELECT 'member ' || pg_describe_object(classid, objid, 0) ||
	       coalesce(' -- ' || obj_description(objid, classid::regclass::name), '')
	FROM members
	UNION ALL
	SELECT format('function %s: kind %s volatile %s strict %s parallel %s secdef %s leakproof %s cost %s rows %s returns %s%s args %s defaults %s symbol %s library %s config %s',
	              p.oid::regprocedure, p.prokind, p.provolatile, p.proisstrict, p.proparallel, p.prosecdef,
	              p.proleakproof, p.procost, p.prorows, CASE WHEN p.proretset THEN 'setof ' ELSE '' END,
	              p.prorettype::regtype, p.proargnames, pg_get_expr(p.proargdefaults, 0), p.prosrc, p.probin, p.proconfig)
	FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
	UNION ALL
	SELECT format('aggregate %s: kind %s trans %s type %s final %s extra %s modify %s combine %s serial %s deserial %s init %s sortop %s',
	              a.aggfnoid::regprocedure, a.aggkind, a.aggtransfn::regprocedure, a.aggtranstype::regtype,
	              a.aggfinalfn, a.aggfinalextra, a.aggfinalmodify, a.aggcombinefn, a.aggserialfn,
	              a.aggdeserialfn, a.agginitval, a.aggsortop)
	FROM members m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND m.objid = a.aggfnoid
	UNION ALL
	SELECT format('type %s: len %s byval %s type %s align %s storage %s in %s out %s recv %s send %s analyze %s array %s',
	              t.oid::regtype, t.typlen, t.typbyval, t.typtype, t.typalign, t.typstorage, t.typinput,
	              t.typoutput, t.typreceive, t.typsend, t.typanalyze, t.typarray::regtype)
	FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
	UNION ALL
	SELECT format('attribute %s.%s %s %s', c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod))
	FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
	JOIN pg_class c ON c.oid = t.typrelid JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
	UNION ALL
	SELECT format('operator %s: code %s commutator %s negator %s merges %s hashes %s',
	              o.oid::regoperator, o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprcanmerge, o.oprcanhash)
	FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
	UNION ALL
	SELECT format('extension: relocatable %s schema %s config %s', extrelocatable, extnamespace::regnamespace, extconfig)
	FROM pg_extension WHERE extname = 'peoplefirst'
) s(line) ORDER BY line COLLATE "C";
EOF
}
catalog "$old" >"$work/updated.catalog" && catalog "$fresh" >"$work/fresh.catalog" ||
	fail "reading the catalogs" "$(cat "$work/updated.catalog" "$work/fresh.catalog")"
same updated.catalog fresh.catalog "the updated extension equals a fresh install of $to ($(wc -l <"$work/fresh.catalog") catalog lines)"

# the functions new in TO, after the update and in the fresh install
if [ -f "$here/new_in_$to.sql" ]; then
	sql "$old" -f "$here/new_in_$to.sql" >"$work/updated.new" 2>&1 &&
		sql "$fresh" -f "$here/new_in_$to.sql" >"$work/fresh.new" 2>&1 ||
		fail "calling the functions new in $to" "$(cat "$work/updated.new" "$work/fresh.new")"
	if [ -s "$work/fresh.new" ] && ! grep -q ERROR "$work/fresh.new"; then
		same updated.new fresh.new "the functions new in $to give the same results after the update as in a fresh install ($(wc -l <"$work/fresh.new") results)"
	else
		fail "the functions new in $to give results" "$(cat "$work/fresh.new")"
	fi
fi

# ------------------------------------------------------------------ 5. dump under FROM, restore into TO

amcheck() {	# amcheck DB: every btree index on a stored summary is in order
	local have
	have=$(sql "$1" -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'amcheck'")
	if [ "$have" != 1 ]; then
		diag "amcheck is not installed: the index order is not checked in $1"
		return 0
	fi
	sql "$1" -c "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null &&
	sql "$1" -c "SELECT count(bt_index_check(c.oid, true)) FROM pg_class c JOIN pg_am a ON a.oid = c.relam
	             WHERE a.amname = 'btree' AND c.relname LIKE 'hd\_values\_%'"
}
out=$(amcheck "$old" 2>&1) && pass "after the update the btree indexes on stored summaries are in order ($out checked)" ||
	fail "after the update the btree indexes on stored summaries are in order" "$out"

# the dump names no version: CREATE EXTENSION makes the default, TO
out=$(pg_restore --exit-on-error -d "$restored" "$work/old.dump" 2>&1) &&
	pass "the dump taken under $from restores into $to" || fail "the dump taken under $from restores into $to" "$out"
v=$(sql "$restored" -c "SELECT extversion FROM pg_extension WHERE extname = 'peoplefirst'")
check "the restored database has version $to" "it has $v" test "$v" = "$to"
out=$(dumps "$restored" restored) || fail "dumping the restored database" "$out"
same before.text restored.text "every value dumped under $from reads back the same in $to"
same before.accessors restored.accessors "the accessors read the restored values the same"
same before.binary restored.binary "the restored values have the same binary forms"
out=$(amcheck "$restored" 2>&1) && pass "the restored btree indexes on stored summaries are in order ($out checked)" ||
	fail "the restored btree indexes on stored summaries are in order" "$out"

survival_check
diag "upgrade.sh took $(($(date +%s) - began)) s"
finish
