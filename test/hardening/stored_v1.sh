#!/bin/bash
# Survival summaries stored by 1.0 (version 1 of the on-disk layout: 24-byte
# entries, no entered counts) read as the same summaries under this
# version; prints TAP (prove -e bash test/hardening/stored_v1.sh, inside
# pg_virtualenv, as a superuser).
#
# 1.0's library is not at hand, so the bytes are written as 1.0 wrote them
# (host byte order, after the varlena header) and stored through a
# test-only function (raw_varlena.c, built here) that hands its bytea on
# unchanged as a survival.  Each version 1 value is then compared with the
# same summary written as version 2 text: text and binary output, equality,
# order and hashing (a hash join and a btree index), the accessors, the
# curve (also read in slices from a STORAGE EXTERNAL column), rollup and
# logrank_test.  Creates and drops the database peoplefirst_hardening_v1.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

db=peoplefirst_hardening_v1
work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-v1.XXXXXX")
cleanup() {
	dropdb --if-exists --force "$db" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

chmod 755 "$work"
gcc -O2 -fPIC -shared -I"$(${PG_CONFIG:-pg_config} --includedir-server)" \
	"$here/raw_varlena.c" -o "$work/raw_varlena.so" || bail "cannot build raw_varlena.c"
chmod 755 "$work/raw_varlena.so"

# (id, bytes, text): version 1 bytes and the same summary as version 2 text
python3 - >"$work/values.sql" <<'PY'
import struct
def v1(unit, entries):
    b = struct.pack("<BBHq", 1, unit, 0, len(entries))
    for e in entries:
        b += struct.pack("<qqq", *e)
    return b.hex()
def v2(unit, entries):
    return '{"version":2,"unit":"%s","entries":[%s]}' % (
        {1: "day", 2: "microsecond"}[unit], ",".join("[%d,%d,%d,0]" % e for e in entries))
cases = [
    (1, 1, [(0, 0, 2), (3, 1, 0), (17, 2, 5), (400, 3, 1)]),
    (2, 2, [(86400000000, 1, 1), (172800000000 + 5, 0, 2), (9223372036854775807, 1, 0)]),
    (3, 1, []),
    (4, 1, [(d, 1 + d % 3, d % 2) for d in range(0, 60000, 3)]),
    (5, 1, [(7 * d + 1, d % 4 + 1, 1) for d in range(0, 80000)]),
]
for i, unit, entries in cases:
    print("INSERT INTO v1 VALUES (%d, raw_survival('\\x%s'), '%s', %d, '\\x%s');" % (i, v1(unit, entries), v2(unit, entries), len(entries), v1(unit, entries)))
    # from the bytes again: a value copied from v1 would stay compressed
    print("INSERT INTO v1_external VALUES (%d, raw_survival('\\x%s'));" % (i, v1(unit, entries)))
PY

sql postgres -c "CREATE DATABASE $db" >/dev/null || bail "CREATE DATABASE $db"
out=$(sql "$db" -v so="$work/raw_varlena.so" <<'EOF' 2>&1
CREATE EXTENSION peoplefirst;
CREATE FUNCTION raw_survival(bytea) RETURNS survival AS :'so', 'pf_test_raw_varlena' LANGUAGE C STRICT;
CREATE FUNCTION raw_text(bytea) RETURNS text AS :'so', 'pf_test_raw_varlena' LANGUAGE C STRICT;
CREATE TABLE v1 (id int PRIMARY KEY, s survival, v2 text, n int, b bytea);
CREATE TABLE v1_external (id int PRIMARY KEY, s survival);
ALTER TABLE v1_external ALTER COLUMN s SET STORAGE EXTERNAL;
EOF
) || bail "setting up" "$out"
out=$(sql "$db" -f "$work/values.sql") || bail "storing version 1 bytes" "$out"

# the stored bytes themselves: version 1, 12 + 24 bytes an entry past the
# varlena header, stored out of line uncompressed (so read in slices)
got=$(sql "$db" -c "SELECT count(*) FROM v1_external WHERE id IN (4, 5) AND pg_column_size(s) <> 12 + 24 * (SELECT n FROM v1 WHERE v1.id = v1_external.id)")
check "the rows hold version 1 bytes, 24 an entry, uncompressed in the external column" "$got rows differ" test "$got" = 0

same() {	# same NAME QUERY: the query's last line is 0
	local got
	got=$(sql "$db" -c "$2" | tail -n 1)
	if [ "$got" = 0 ]; then pass "$1"; else fail "$1" "$got"; fi
}
same "text output is the version 2 text" \
	"SELECT count(*) FROM v1 WHERE s::text <> v2"
same "binary output equals that of the version 2 value" \
	"SELECT count(*) FROM v1 WHERE survival_send(s) <> survival_send(v2::survival)"
same "equal to the version 2 value, in both orders" \
	"SELECT count(*) FROM v1 WHERE NOT (s = v2::survival AND v2::survival = s AND survival_cmp(s, v2::survival) = 0)"
same "hashes as the version 2 value" \
	"SELECT count(*) FROM v1 WHERE survival_hash(s) <> survival_hash(v2::survival)
		OR survival_hash_extended(s, 7) <> survival_hash_extended(v2::survival, 7)"
# 1.0 hashed the stored bytes (hash_any over them, as hashtext does under a
# deterministic collation): hash indexes, hash partitions and Citus shards
# built under 1.0 keep those hashes
same "hashes as 1.0 did, whether stored by 1.0 or written now" \
	"SELECT count(*) FROM v1 WHERE survival_hash(s) <> hashtext(raw_text(b) COLLATE \"C\")
		OR survival_hash(v2::survival) <> hashtext(raw_text(b) COLLATE \"C\")
		OR survival_hash_extended(s, 11) <> hashtextextended(raw_text(b) COLLATE \"C\", 11)
		OR survival_hash_extended(v2::survival, 11) <> hashtextextended(raw_text(b) COLLATE \"C\", 11)"
same "a summary 1.0 could not hold (delayed entry, plain numbers) hashes by its own bytes, equal values equally" \
	"SELECT count(*) FROM (VALUES ('{\"version\":2,\"unit\":\"day\",\"entries\":[[1,0,0,1],[2,1,0,0]]}'::survival),
		('{\"version\":2,\"unit\":\"number\",\"entries\":[[1.5,1,0,0]]}')) t(s)
	 WHERE survival_hash(s) <> survival_hash(s::text::survival)"
same "a hash join finds every version 1 row" \
	"SET enable_mergejoin = off; SET enable_nestloop = off;
	 SELECT 5 - count(*) FROM v1 a JOIN (SELECT id, v2::survival AS s FROM v1) b ON a.s = b.s AND a.id = b.id"
same "a btree index finds every version 1 row" \
	"CREATE INDEX ON v1 (s) WHERE n < 100; SET enable_seqscan = off;
	 SELECT count(*) FROM v1 a WHERE n < 100 AND NOT EXISTS (SELECT FROM v1 b WHERE b.s = a.v2::survival AND b.n < 100)"
same "the accessors read the same" \
	"SELECT count(*) FROM v1 WHERE row(survival_at(s, '20 days'), median_tenure(s), median_time(s), median_ci(s, 0.9, 'log'),
		survival_at_time(s, 20.5))::text
	 IS DISTINCT FROM row(survival_at(v2::survival, '20 days'), median_tenure(v2::survival), median_time(v2::survival),
		median_ci(v2::survival, 0.9, 'log'), survival_at_time(v2::survival, 20.5))::text"
same "the curve reads the same, both forms" \
	"SELECT count(*) FROM v1, LATERAL (
		(SELECT * FROM survival_curve(s) EXCEPT ALL SELECT * FROM survival_curve(v2::survival))
		UNION ALL (SELECT * FROM survival_curve(v2::survival) EXCEPT ALL SELECT * FROM survival_curve(s))) d"
same "the curve read in slices from STORAGE EXTERNAL reads the same" \
	"SELECT count(*) FROM v1_external e JOIN v1 USING (id), LATERAL (
		(SELECT * FROM survival_curve(e.s, 0.95, 'plain') EXCEPT ALL SELECT * FROM survival_curve(v1.v2::survival, 0.95, 'plain'))
		UNION ALL (SELECT * FROM survival_curve(v1.v2::survival, 0.95, 'plain') EXCEPT ALL SELECT * FROM survival_curve(e.s, 0.95, 'plain'))) d"
same "and its 1.0 form reads the same" \
	"SELECT count(*) FROM v1_external e JOIN v1 USING (id), LATERAL (
		(SELECT * FROM survival_curve(e.s) EXCEPT ALL SELECT * FROM survival_curve(v1.v2::survival))
		UNION ALL (SELECT * FROM survival_curve(v1.v2::survival) EXCEPT ALL SELECT * FROM survival_curve(e.s))) d"
same "rollup and logrank_test read version 1 values" \
	"SELECT count(*) FROM (SELECT rollup(s)::text AS a, rollup(v2::survival)::text AS b,
		logrank_test(id::text, s)::text AS c, logrank_test(id::text, v2::survival)::text AS d FROM v1 WHERE id IN (1, 4, 5)) x
	 WHERE a <> b OR c <> d"
finish
