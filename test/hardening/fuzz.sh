#!/bin/bash
# Fuzzes the input functions of peoplefirst's types inside the server and
# prints TAP (prove -e bash test/hardening/fuzz.sh, inside pg_virtualenv).
#
# Inputs come from fuzzgen.py (seeded, standard library only): valid values
# and mutations of them (truncation, digit and sign flips, huge numbers, NaN,
# Infinity, unbalanced brackets, duplicated, missing and swapped keys,
# non-ASCII, random bytes, entry counts whose size wraps around 2^64, ...).
#
#   text    FUZZ_COUNT strings each to relstrength_in and survival_in, and
#           FUZZ_COUNT/10 to each composite result type (record input): a
#           plpgsql function casts each with an exception block of its own;
#   binary  FUZZ_BINARY_COUNT byte strings each to relstrength_recv and
#           survival_recv, through binary COPY: fuzzgen.py writes one binary
#           COPY file per byte string (one row, one column) and a procedure
#           loads each with server-side COPY FROM file inside an exception
#           block of its own, committing every 250 files.  COPY hands the
#           field's bytes to the type's receive function exactly as a
#           client's COPY FROM STDIN (FORMAT binary) or a binary-format
#           parameter would.
#
# Passes when the server never restarts (pg_postmaster_start_time() and the
# server log), every rejection is an ERROR of SQLSTATE class 22, every valid
# value is accepted (and, printed canonically, prints back unchanged), every
# accepted value round-trips: text (v::text::type::text = v::text), binary
# (send(recv(bytes)) = bytes; COPY out and in, FORMAT binary, gives the same
# text), and what one input accepts the other accepts too.
#
# Environment: FUZZ_COUNT (default 5000), FUZZ_BINARY_COUNT (default
# FUZZ_COUNT), FUZZ_SEED (default 1), FUZZ_DIR (where the inputs go; default
# a fresh directory under /dev/shm or TMPDIR, removed afterwards; the server
# must be able to read it). Needs a superuser (server-side COPY FROM file).
# Creates and drops the database peoplefirst_hardening_fuzz.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

count=${FUZZ_COUNT:-5000}
bcount=${FUZZ_BINARY_COUNT:-$count}
seed=${FUZZ_SEED:-1}
db=peoplefirst_hardening_fuzz
chunk=2000
python=/usr/bin/python3
[ -x "$python" ] || python=python3

if [ -n "${FUZZ_DIR:-}" ]; then
	work=$FUZZ_DIR
	mkdir -p "$work"
	keep=1
else
	base=/dev/shm
	[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
	work=$(mktemp -d "$base/peoplefirst-fuzz.XXXXXX")
	keep=0
fi
chmod 755 "$work"

cleanup() {
	dropdb --if-exists --force "$db" >/dev/null 2>&1
	[ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

began=$(date +%s)
survival_begin
echo "# seed $seed, $count text inputs per type ($((count / 10)) per composite type), $bcount binary inputs per type, in $work"

# ------------------------------------------------------------------ set-up

out=$("$python" "$here/fuzzgen.py" --seed "$seed" --text-count "$count" \
	--binary-count "$bcount" --outdir "$work" 2>&1) || bail "fuzzgen.py failed" "$out"
chmod -R a+rX "$work"

dropdb --if-exists --force "$db" >/dev/null 2>&1
out=$(createdb "$db" 2>&1) || bail "createdb $db" "$out"
out=$(sql "$db" <<EOF
CREATE EXTENSION peoplefirst;
CREATE TABLE fz_text (id int PRIMARY KEY, typ text, kind text, input text);
CREATE TABLE fz_binary (id int PRIMARY KEY, typ text, kind text, path text, payload bytea);
\copy fz_text FROM '$work/text.tsv'
CREATE TEMP TABLE b (id int, typ text, kind text, path text, hex text);
\copy b FROM '$work/binary.tsv'
INSERT INTO fz_binary SELECT id, typ, kind, path, decode(hex, 'hex') FROM b;
CREATE TABLE fz_text_result (id int PRIMARY KEY, state text, output text, message text);
CREATE TABLE fz_binary_result (id int PRIMARY KEY, state text, message text);
CREATE TABLE fz_bin_relstrength (id int DEFAULT current_setting('fz.id')::int, v relstrength);
CREATE TABLE fz_bin_survival (id int DEFAULT current_setting('fz.id')::int, v survival);

-- one input through the text input of its type, in a subtransaction
CREATE FUNCTION fz_try_text(typ text, s text, OUT state text, OUT output text, OUT message text)
LANGUAGE plpgsql AS \$\$
BEGIN
	CASE typ
	WHEN 'relstrength' THEN output := s::relstrength::text;
	WHEN 'survival' THEN output := s::survival::text;
	WHEN 'spell_stats' THEN output := s::spell_stats::text;
	WHEN 'correlation' THEN output := s::correlation::text;
	WHEN 'relative_risk' THEN output := s::relative_risk::text;
	WHEN 'nps_stats' THEN output := s::nps_stats::text;
	END CASE;
	state := 'ok';
EXCEPTION WHEN OTHERS THEN
	state := SQLSTATE;
	message := SQLERRM;
END
\$\$;

-- binary COPY of the files lo..hi, each in a subtransaction of its own
CREATE PROCEDURE fz_load_binary(lo int, hi int)
LANGUAGE plpgsql AS \$\$
DECLARE
	f record;
	st text;
	msg text;
	i int := 0;
BEGIN
	FOR f IN SELECT id, typ, path FROM fz_binary WHERE id BETWEEN lo AND hi ORDER BY id LOOP
		PERFORM set_config('fz.id', f.id::text, false);
		BEGIN
			EXECUTE format('COPY %I (v) FROM %L (FORMAT binary)', 'fz_bin_' || f.typ, f.path);
			st := 'ok';
			msg := NULL;
		EXCEPTION WHEN OTHERS THEN
			st := SQLSTATE;
			msg := SQLERRM;
		END;
		INSERT INTO fz_binary_result VALUES (f.id, st, msg);
		i := i + 1;
		IF i % 250 = 0 THEN
			COMMIT;
		END IF;
	END LOOP;
END
\$\$;
SELECT 'loaded';
EOF
) || bail "set-up of $db" "$out"

# Runs "$1" (SQL with :lo and :hi) over id chunks of ids from table $2; on a
# failure (a crash ends the connection) reports the chunk and retries its
# inputs one by one to name the first that fails.
run_chunks() {
	local what=$1 table=$2 lo hi maxid minid out bad
	minid=$(sql "$db" -c "SELECT min(id) FROM $table") || return 1
	maxid=$(sql "$db" -c "SELECT max(id) FROM $table") || return 1
	[ -n "$minid" ] || return 0
	for ((lo = minid; lo <= maxid; lo += chunk)); do
		hi=$((lo + chunk - 1))
		if ! out=$(sql "$db" -v lo="$lo" -v hi="$hi" <<<"$what"); then
			diag "chunk $lo..$hi failed: $out"
			sleep 2
			for ((id = lo; id <= hi; id++)); do
				if ! out=$(sql "$db" -v lo="$id" -v hi="$id" <<<"$what"); then
					bad=$(sql "$db" -c "SELECT typ, kind, coalesce(input, encode(payload, 'hex')) FROM (SELECT id, typ, kind, input, NULL::bytea AS payload FROM fz_text UNION ALL SELECT id, typ, kind, NULL, payload FROM fz_binary) x WHERE id = $id")
					diag "input $id fails: $out"
					diag "input $id: $bad"
					return 1
				fi
			done
			return 1
		fi
	done
	return 0
}

# ------------------------------------------------------------------ text input

t0=$(date +%s)
if run_chunks "INSERT INTO fz_text_result SELECT t.id, r.* FROM fz_text t, fz_try_text(t.typ, t.input) r WHERE t.id BETWEEN :lo AND :hi ON CONFLICT DO NOTHING" fz_text; then
	pass "text input: every input returns or raises an ERROR ($(($(date +%s) - t0)) s)"
else
	fail "text input: every input returns or raises an ERROR"
fi

summary=$(sql "$db" -F ' ' -c "
SELECT format('%s: %s inputs, %s accepted, rejected: %s', typ, sum(c),
              coalesce(sum(c) FILTER (WHERE state = 'ok'), 0),
              coalesce(string_agg(state || ' x' || c, ', ' ORDER BY state) FILTER (WHERE state <> 'ok'), 'none'))
FROM (SELECT t.typ, r.state, count(*) AS c
      FROM fz_text t JOIN fz_text_result r USING (id) GROUP BY 1, 2) s
GROUP BY typ ORDER BY typ")
diag "text input: $summary"

for typ in relstrength survival spell_stats correlation relative_risk nps_stats; do
	bad=$(sql "$db" -c "SELECT r.state || ' ' || r.message FROM fz_text t JOIN fz_text_result r USING (id)
		WHERE t.typ = '$typ' AND r.state <> 'ok' AND r.state NOT LIKE '22%' LIMIT 5")
	if [ -z "$bad" ]; then pass "$typ text input: every rejection is SQLSTATE class 22"
	else fail "$typ text input: every rejection is SQLSTATE class 22" "$bad"; fi

	bad=$(sql "$db" -c "SELECT t.kind || ' ' || r.state || ' ' || r.message || ' ' || t.input FROM fz_text t JOIN fz_text_result r USING (id)
		WHERE t.typ = '$typ' AND t.kind IN ('canonical', 'valid') AND r.state <> 'ok' LIMIT 5")
	if [ -z "$bad" ]; then pass "$typ text input: every valid value is accepted"
	else fail "$typ text input: every valid value is accepted" "$bad"; fi

	bad=$(sql "$db" -c "WITH a AS MATERIALIZED (SELECT r.output FROM fz_text t JOIN fz_text_result r USING (id)
		WHERE t.typ = '$typ' AND r.state = 'ok') SELECT output FROM a WHERE output::$typ::text IS DISTINCT FROM output LIMIT 5")
	if [ $? -eq 0 ] && [ -z "$bad" ]; then pass "$typ text input: accepted values round-trip (v::text::$typ::text = v::text)"
	else fail "$typ text input: accepted values round-trip (v::text::$typ::text = v::text)" "$bad"; fi
done

for typ in relstrength survival; do
	bad=$(sql "$db" -c "SELECT t.input || ' -> ' || r.output FROM fz_text t JOIN fz_text_result r USING (id)
		WHERE t.typ = '$typ' AND t.kind = 'canonical' AND r.output IS DISTINCT FROM t.input LIMIT 5")
	if [ -z "$bad" ]; then pass "$typ text input: canonical text prints back unchanged"
	else fail "$typ text input: canonical text prints back unchanged" "$bad"; fi

	# every value the text input accepts goes through binary COPY out and in
	f="$work/text_accepted_$typ.copy"
	out=$(sql "$db" <<EOF
CREATE TEMP TABLE a AS WITH x AS MATERIALIZED (SELECT id, r.output FROM fz_text t JOIN fz_text_result r USING (id)
	WHERE t.typ = '$typ' AND r.state = 'ok') SELECT id, output::$typ AS v FROM x;
\copy a TO '$f' (FORMAT binary)
CREATE TEMP TABLE back (LIKE a);
\copy back FROM '$f' (FORMAT binary)
SELECT count(*) FROM a FULL JOIN back USING (id) WHERE a.v::text IS DISTINCT FROM back.v::text;
EOF
)
	if [ "$out" = 0 ]; then pass "$typ: text-accepted values go through binary COPY out and in unchanged"
	else fail "$typ: text-accepted values go through binary COPY out and in unchanged" "$out"; fi
done

# ------------------------------------------------------------------ binary input

t0=$(date +%s)
if run_chunks "CALL fz_load_binary(:lo, :hi)" fz_binary; then
	pass "binary input: every input returns or raises an ERROR ($(($(date +%s) - t0)) s)"
else
	fail "binary input: every input returns or raises an ERROR"
fi

summary=$(sql "$db" -F ' ' -c "
SELECT format('%s: %s inputs, %s accepted, rejected: %s', typ, sum(c),
              coalesce(sum(c) FILTER (WHERE state = 'ok'), 0),
              coalesce(string_agg(state || ' x' || c, ', ' ORDER BY state) FILTER (WHERE state <> 'ok'), 'none'))
FROM (SELECT b.typ, r.state, count(*) AS c
      FROM fz_binary b JOIN fz_binary_result r USING (id) GROUP BY 1, 2) s
GROUP BY typ ORDER BY typ")
diag "binary input: $summary"

for typ in relstrength survival; do
	bad=$(sql "$db" -c "SELECT r.state || ' ' || r.message FROM fz_binary b JOIN fz_binary_result r USING (id)
		WHERE b.typ = '$typ' AND r.state <> 'ok' AND r.state NOT LIKE '22%' LIMIT 5")
	if [ -z "$bad" ]; then pass "$typ binary input: every rejection is SQLSTATE class 22"
	else fail "$typ binary input: every rejection is SQLSTATE class 22" "$bad"; fi

	bad=$(sql "$db" -c "SELECT r.state || ' ' || r.message || ' ' || encode(b.payload, 'hex') FROM fz_binary b JOIN fz_binary_result r USING (id)
		WHERE b.typ = '$typ' AND b.kind = 'valid' AND r.state <> 'ok' LIMIT 5")
	if [ -z "$bad" ]; then pass "$typ binary input: every valid value is accepted"
	else fail "$typ binary input: every valid value is accepted" "$bad"; fi

	bad=$(sql "$db" -c "SELECT count(*) FROM fz_binary b JOIN fz_binary_result r USING (id) LEFT JOIN fz_bin_$typ v USING (id)
		WHERE b.typ = '$typ' AND (r.state = 'ok') <> (v.id IS NOT NULL)")
	if [ "$bad" = 0 ]; then pass "$typ binary input: the accepted rows are the stored rows"
	else fail "$typ binary input: the accepted rows are the stored rows" "$bad"; fi

	bad=$(sql "$db" -c "SELECT encode(b.payload, 'hex') || ' -> ' || encode(${typ}_send(v.v), 'hex') FROM fz_binary b JOIN fz_bin_$typ v USING (id)
		WHERE ${typ}_send(v.v) <> b.payload
		  -- survival reads version 1 bytes and sends version 2
		  AND NOT ('$typ' = 'survival' AND get_byte(b.payload, 0) = 1) LIMIT 5")
	if [ $? -eq 0 ] && [ -z "$bad" ]; then pass "$typ binary input: send(recv(bytes)) = bytes for every accepted value"
	else fail "$typ binary input: send(recv(bytes)) = bytes for every accepted value" "$bad"; fi

	bad=$(sql "$db" -c "SELECT v::text FROM fz_bin_$typ WHERE v::text::$typ::text IS DISTINCT FROM v::text LIMIT 5")
	if [ $? -eq 0 ] && [ -z "$bad" ]; then pass "$typ binary input: accepted values are accepted by the text input and round-trip"
	else fail "$typ binary input: accepted values are accepted by the text input and round-trip" "$bad"; fi

	f="$work/binary_accepted_$typ.copy"
	out=$(sql "$db" <<EOF
\copy fz_bin_$typ (id, v) TO '$f' (FORMAT binary)
CREATE TEMP TABLE back (id int, v $typ);
\copy back FROM '$f' (FORMAT binary)
SELECT count(*) FROM fz_bin_$typ a FULL JOIN back USING (id) WHERE a.v::text IS DISTINCT FROM back.v::text;
EOF
)
	if [ "$out" = 0 ]; then pass "$typ binary input: COPY out and in (FORMAT binary) gives identical text"
	else fail "$typ binary input: COPY out and in (FORMAT binary) gives identical text" "$out"; fi
done

# ------------------------------------------------------------------ the server

survival_check
diag "fuzz.sh took $(($(date +%s) - began)) s"
finish
