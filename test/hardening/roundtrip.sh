#!/bin/bash
# Stored values survive dump and restore, and binary COPY, unchanged; prints
# TAP (prove -e bash test/hardening/roundtrip.sh, inside pg_virtualenv).
#
# data.sql stores every type of peoplefirst (relstrength, survival -- one of
# 1.2 MB, compressed and out of line --, spell_stats, correlation,
# relative_risk, nps_stats), extreme and NULL values included, in tables and
# in materialized views built from every aggregate. Then:
#   - pg_dump -Fc and pg_restore into a fresh database, and pg_dump --inserts
#     (plain SQL literals) replayed by psql into another: every relation
#     reads back as the same text, row by row (hd_text_dump), the accessors
#     read the same (hd_accessor_dump), the binary forms are the same
#     (hd_binary_dump); the restore runs with another TimeZone, DateStyle and
#     IntervalStyle, and the extension's types print the same under them;
#   - COPY ... TO (FORMAT binary) of every relation and COPY FROM into a copy
#     of it gives the same text.
# Needs a superuser (CREATE DATABASE); creates and drops databases named
# peoplefirst_hardening_rt_*.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

src=peoplefirst_hardening_rt_src
dst=peoplefirst_hardening_rt_restored
ins=peoplefirst_hardening_rt_inserts
work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-roundtrip.XXXXXX")
relations="hd_interactions hd_spells hd_pairs hd_values hd_mv_strength hd_mv_rollup hd_mv_survival hd_mv_survival_rollup hd_mv_spell hd_mv_corr"

cleanup() {
	local db
	for db in "$src" "$dst" "$ins"; do dropdb --if-exists --force "$db" >/dev/null 2>&1; done
	rm -rf "$work"
}
trap cleanup EXIT

began=$(date +%s)
survival_begin
cleanup
mkdir -p "$work"
for db in "$src" "$dst" "$ins"; do
	out=$(createdb "$db" 2>&1) || bail "createdb $db" "$out"
done
out=$(sql "$src" -c "CREATE EXTENSION peoplefirst" -f "$here/data.sql") || bail "data.sql" "$out"
pass "every type stored in tables and materialized views ($(sql "$src" -c "SELECT count(*) FROM hd_text_dump()") rows)"

dumps() {	# dumps DB PREFIX [PGOPTIONS]: the three dumps of DB into files
	PGOPTIONS="${3:-}" sql "$1" -c "SELECT hd_text_dump()" >"$work/$2.text" &&
	PGOPTIONS="${3:-}" sql "$1" -c "SELECT hd_accessor_dump()" >"$work/$2.accessors" &&
	PGOPTIONS="${3:-}" sql "$1" -c "SELECT hd_binary_dump()" >"$work/$2.binary" &&
	PGOPTIONS="${3:-}" sql "$1" -c "SELECT id || ' ' || r::text || ' ' || s::text FROM hd_values ORDER BY id" >"$work/$2.types" &&
	PGOPTIONS="${3:-}" sql "$1" -c "SELECT pair || ' ' || r::text || ' ' || r_month::text FROM hd_mv_strength ORDER BY pair" >>"$work/$2.types"
}
same() {	# same A B WHAT
	local d
	if d=$(diff "$work/$1" "$work/$2"); then
		pass "$3"
	else
		fail "$3" "$(head -c 3000 <<<"$d")"
	fi
}
# other settings for the restored side: the text of the extension's types must not depend on them
other="-c TimeZone=Asia/Kathmandu -c DateStyle=SQL,DMY -c IntervalStyle=sql_standard -c extra_float_digits=0"

out=$(dumps "$src" src) || bail "dumping $src" "$out"
out=$(dumps "$src" src_other "$other") || bail "dumping $src" "$out"
same src.types src_other.types "relstrength and survival print the same under other TimeZone, DateStyle, IntervalStyle, extra_float_digits"

# ------------------------------------------------------------------ pg_dump -Fc | pg_restore

if out=$(pg_dump -Fc -d "$src" -f "$work/src.dump" 2>&1); then pass "pg_dump -Fc"; else fail "pg_dump -Fc" "$out"; fi
if out=$(PGOPTIONS="$other" pg_restore --exit-on-error -d "$dst" "$work/src.dump" 2>&1); then
	pass "pg_restore into a fresh database"
else
	fail "pg_restore into a fresh database" "$out"
fi
out=$(dumps "$dst" dst) || fail "dumping $dst" "$out"
same src.text dst.text "pg_dump -Fc / pg_restore: every row reads back as the same text"
same src.accessors dst.accessors "pg_dump -Fc / pg_restore: the accessors read the same"
same src.binary dst.binary "pg_dump -Fc / pg_restore: the binary forms are the same"
out=$(dumps "$dst" dst_other "$other") || fail "dumping $dst" "$out"
same src.types dst_other.types "pg_dump -Fc / pg_restore: relstrength and survival print the same under other settings"

# ------------------------------------------------------------------ pg_dump --inserts | psql

if out=$(pg_dump --inserts -d "$src" -f "$work/src.sql" 2>&1); then pass "pg_dump --inserts"; else fail "pg_dump --inserts" "$out"; fi
if out=$(PGOPTIONS="$other" psql -X -q -v ON_ERROR_STOP=1 -d "$ins" -f "$work/src.sql" 2>&1 >/dev/null); then
	pass "plain SQL dump replayed into a fresh database"
else
	fail "plain SQL dump replayed into a fresh database" "$(head -c 3000 <<<"$out")"
fi
out=$(dumps "$ins" ins) || fail "dumping $ins" "$out"
same src.text ins.text "pg_dump --inserts / psql: every row reads back as the same text"
same src.accessors ins.accessors "pg_dump --inserts / psql: the accessors read the same"
same src.binary ins.binary "pg_dump --inserts / psql: the binary forms are the same"

# ------------------------------------------------------------------ binary COPY

for rel in $relations; do
	f="$work/$rel.copy"
	out=$(sql "$src" <<EOF
\copy (SELECT * FROM $rel) TO '$f' (FORMAT binary)
CREATE TABLE ${rel}_bin AS SELECT * FROM $rel WITH NO DATA;
\copy ${rel}_bin FROM '$f' (FORMAT binary)
SELECT (SELECT count(*) FROM $rel) || ' rows, ' || count(*) || ' differ'
FROM (SELECT t::text FROM $rel t EXCEPT ALL SELECT t::text FROM ${rel}_bin t
      UNION ALL
      (SELECT t::text FROM ${rel}_bin t EXCEPT ALL SELECT t::text FROM $rel t)) d;
EOF
)
	if [[ $out == *", 0 differ" ]]; then
		pass "$rel: COPY TO and FROM (FORMAT binary) gives identical text ($out)"
	else
		fail "$rel: COPY TO and FROM (FORMAT binary) gives identical text" "$out"
	fi
done

survival_check
diag "roundtrip.sh took $(($(date +%s) - began)) s"
finish
