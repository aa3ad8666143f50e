#!/bin/bash
# Calls every SQL function and aggregate of peoplefirst with hostile
# arguments and prints TAP (prove -e bash test/hardening/hostile.sh, inside
# pg_virtualenv).
#
# The functions are enumerated from pg_proc through pg_depend on the
# extension, so new ones are covered without editing this file; a function
# with an argument type that has no hostile values below fails the test
# until values are added. For each function or aggregate: all arguments
# NULL; each argument in turn over its hostile values (NULL, NaN,
# +-Infinity, infinite and extreme timestamps and dates -- year 294276 and
# 4713 BC --, empty, unbounded and extreme ranges, half-lives of 1
# microsecond and 178000000 years, intervals with months, confidences 0, 1
# and NaN, methods '' and 'PEARSON', corrupted aggregate states, ...) with
# the others normal; and HOSTILE_RANDOM random combinations (default 25). An
# aggregate is also run over no rows, over one row, over a normal and a
# hostile row, and over random groups of 2 to 5 rows.
#
# Each call runs as a statement of its own (statement_timeout
# HOSTILE_TIMEOUT, default 20s) and must return, or raise an ERROR whose
# SQLSTATE is not XX000 (internal error), not of class 58 (system error) or
# 53 (insufficient resources) unless listed in HOSTILE_ALLOW (space
# separated SQLSTATEs), and not 57014 (the call ran past the timeout). The
# server must survive: a call that ends the connection is reported and the
# run goes on with the next call. A syntax error (42601) or an undefined
# function (42883) is a fault of this script and fails too. A function
# with an internal argument cannot be called from SQL at all: its one call
# checks that it is refused (42883) and its aggregates are exercised.
#
# Environment: HOSTILE_RANDOM, HOSTILE_SEED (default 0.5, in [-1, 1]),
# HOSTILE_TIMEOUT, HOSTILE_ALLOW, HOSTILE_VERBOSE=1 (print every failing call,
# not only the first three of each function), HOSTILE_KEEP=1 (keep the
# generated calls and their results). Needs a superuser only to create the
# database peoplefirst_hardening_hostile, which it drops afterwards.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

db=peoplefirst_hardening_hostile
random_calls=${HOSTILE_RANDOM:-25}
seed=${HOSTILE_SEED:-0.5}
timeout=${HOSTILE_TIMEOUT:-20s}
allow=${HOSTILE_ALLOW:-}
verbose=${HOSTILE_VERBOSE:-0}
work=$(mktemp -d "${TMPDIR:-/tmp}/peoplefirst-hostile.XXXXXX")

cleanup() {
	dropdb --if-exists --force "$db" >/dev/null 2>&1
	if [ "${HOSTILE_KEEP:-0}" = 1 ]; then echo "# calls and results kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

began=$(date +%s)
survival_begin
dropdb --if-exists --force "$db" >/dev/null 2>&1
out=$(createdb "$db" 2>&1) || bail "createdb $db" "$out"

# ------------------------------------------------------------------ the calls

out=$(sql "$db" -v seed="$seed" -v random_calls="$random_calls" <<'EOF'
CREATE EXTENSION peoplefirst;

-- Hostile values by type, as SQL expressions; ord 1 is the normal value
-- used for the other arguments.
CREATE TABLE hostile_values (typ regtype, ord int, val text, PRIMARY KEY (typ, ord));

CREATE FUNCTION hostile_add(t regtype, VARIADIC vals text[]) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO hostile_values
	SELECT t, o, v FROM unnest(vals) WITH ORDINALITY AS u(v, o)
$$;

SELECT hostile_add('timestamptz', $$'2024-06-01 00:00+00'$$, 'NULL', $$'-infinity'$$, $$'infinity'$$,
	$$'294276-12-31 23:59:59.999999+00'$$, $$'4713-11-24 00:00:00+00 BC'$$,
	$$'2024-01-01 00:00+00'$$, $$'2000-01-01 00:00+00'$$, $$'1999-12-31 23:59:59.999999+00'$$,
	$$'2024-06-01 00:00:00.000001+00'$$);
SELECT hostile_add('date', $$'2024-06-01'$$, 'NULL', $$'-infinity'$$, $$'infinity'$$,
	$$'5874897-12-31'$$, $$'4713-11-24 BC'$$, $$'294276-12-31'$$, $$'2024-01-01'$$, $$'2000-01-01'$$);
SELECT hostile_add('interval', $$'30 days'$$, 'NULL', $$'1 microsecond'$$, $$'178000000 years'$$,
	$$'-178000000 years'$$, $$'1 mon'$$, $$'1 year 2 mons 3 days 04:05:06.789'$$, $$'0'$$,
	$$'-1 day'$$, $$'1 mon -30 days'$$, $$'1 mon -29 days'$$, $$'24 hours'$$,
	$$'2147483647 mons 2147483647 days 2562047788:00:54.775807'$$,
	'make_interval(0, -2147483648, 0, -2147483648, 0, 0, -9223372036854.775808)',
	$$'-1 mon 2147483647 days'$$);
SELECT hostile_add('float8', '0.5', 'NULL', $$'NaN'$$, $$'Infinity'$$, $$'-Infinity'$$, '0',
	$$'-0'$$, '1', '-1', '1e308', '-1e308', $$'5e-324'$$, '0.95', '2', '1.0000000000000002',
	'0.9999999999999999');
SELECT hostile_add('int4', '9', 'NULL', '0', '10', '11', '-1', '6', '7', '2147483647', '-2147483648');
SELECT hostile_add('int8', '1', 'NULL', '0', '-1', '9223372036854775807', '-9223372036854775808');
SELECT hostile_add('bool', 'true', 'NULL', 'false');
SELECT hostile_add('text', $$'kendall'$$, 'NULL', $$''$$, $$'PEARSON'$$, $$'pearson'$$,
	$$'Spearman'$$, $$'kendall '$$, $$'partial'$$, $$'pearsonx'$$, $$'é'$$, 'repeat(''x'', 100000)');
SELECT hostile_add('corr_method', $$'kendall'$$, 'NULL', $$'pearson'$$, $$'spearman'$$);
SELECT hostile_add('cstring', $$'{"version":1,"unit":"day","entries":[[1,1,0]]}'$$, 'NULL', $$''$$,
	$$'{'$$, $$'{"version":1,"n":1,"first":"2024-01-01T00:00:00Z","last":"2024-01-01T00:00:00Z","half_life":"P30D","decayed_weight":1,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'$$,
	'repeat(''['', 100000)');
SELECT hostile_add('daterange', $$'[2024-01-01,2024-04-01)'$$, 'NULL', $$'empty'$$, $$'(,)'$$,
	$$'[2024-01-01,)'$$, $$'(,2024-01-01)'$$, $$'[-infinity,infinity]'$$,
	$$'[4713-11-24 BC,5874897-12-31)'$$, $$'[2024-01-01,infinity)'$$, $$'[-infinity,2024-01-01)'$$,
	$$'[2024-01-01,2024-01-02)'$$, $$'[2024-03-01,2024-06-01)'$$, $$'[4713-11-24 BC,4713-11-25 BC)'$$,
	$$'[5874897-12-30,5874897-12-31)'$$);
SELECT hostile_add('tstzrange', $$'[2024-01-01 00:00+00,2024-04-01 00:00+00)'$$, 'NULL', $$'empty'$$,
	$$'(,)'$$, $$'[2024-01-01 00:00+00,)'$$, $$'(,2024-01-01 00:00+00)'$$, $$'[-infinity,infinity]'$$,
	$$'[4713-11-24 00:00+00 BC,294276-12-31 23:59:59.999999+00]'$$,
	$$'[2024-01-01 00:00+00,infinity)'$$, $$'[-infinity,2024-01-01 00:00+00)'$$,
	$$'[2024-01-01 00:00+00,2024-01-01 00:00:00.000001+00)'$$,
	$$'(2024-01-01 00:00+00,2024-01-01 00:00:00.000002+00)'$$,
	$$'[2024-03-01 00:00+00,2024-06-01 00:00+00)'$$);
SELECT hostile_add('relstrength',
	$$'{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-31T00:00:00Z","half_life":"P30D","decayed_weight":1.5,"inbound_weight":0.5,"outbound_weight":1,"sentiment_weight":1,"sentiment_sum":-0.25}'$$,
	'NULL',
	$$'{"version":1,"n":9223372036854775807,"first":"-4713-11-24T00:00:00Z","last":"294276-12-31T23:59:59.999999Z","half_life":"PT0.000001S","decayed_weight":1.7976931348623157e+308,"inbound_weight":1.7976931348623157e+308,"outbound_weight":0,"sentiment_weight":1.7976931348623157e+308,"sentiment_sum":-1.7976931348623157e+308}'$$,
	$$'{"version":1,"n":1,"first":"294276-12-31T23:59:59.999999Z","last":"294276-12-31T23:59:59.999999Z","half_life":"P178000000Y","decayed_weight":5e-324,"inbound_weight":5e-324,"outbound_weight":0,"sentiment_weight":5e-324,"sentiment_sum":5e-324}'$$,
	$$'{"version":1,"n":1,"first":"-4713-11-24T00:00:00Z","last":"-4713-11-24T00:00:00Z","half_life":"P1M-29D","decayed_weight":0,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'$$,
	$$'{"version":1,"n":3,"first":"2024-01-01T00:00:00Z","last":"2024-02-01T00:00:00Z","half_life":"P178956970Y7M2147483647DT2562047788H54.775807S","decayed_weight":3,"inbound_weight":1,"outbound_weight":2,"sentiment_weight":3,"sentiment_sum":3}'$$,
	$$'{"version":1,"n":2,"first":"2024-01-01T00:00:00Z","last":"2024-01-31T00:00:00Z","half_life":"P1M","decayed_weight":1.5,"inbound_weight":0,"outbound_weight":0,"sentiment_weight":0,"sentiment_sum":0}'$$);
SELECT hostile_add('survival',
	$$'{"version":1,"unit":"day","entries":[[1,1,0],[29,1,0],[100,0,3],[365,2,1]]}'$$, 'NULL',
	$$'{"version":1,"unit":"day","entries":[]}'$$,
	$$'{"version":1,"unit":"microsecond","entries":[]}'$$,
	$$'{"version":1,"unit":"microsecond","entries":[[0,1,0],[9223372036854775807,1,1]]}'$$,
	$$'{"version":1,"unit":"day","entries":[[0,9223372036854775806,1]]}'$$,
	$$'{"version":1,"unit":"day","entries":[[5,3,0]]}'$$,
	$$'{"version":1,"unit":"day","entries":[[5,0,3]]}'$$,
	$$'{"version":1,"unit":"day","entries":[[9223372036854775807,1,0]]}'$$,
	$$'{"version":1,"unit":"microsecond","entries":[[1,4611686018427387903,0],[2,4611686018427387903,1]]}'$$,
	$$(SELECT format('{"version":1,"unit":"day","entries":[%s]}', string_agg(format('[%s,1,1]', i), ',')) FROM generate_series(0, 99999) i)$$);
-- cox_model and the names of its terms (version 1.1)
SELECT hostile_add('cox_model',
	$$'{"version":1,"ties":"efron","n":228,"events":165,"strata":1,"iterations":4,"converged":true,"df":1,"loglik_null":-749.9098013903947,"loglik":-744.5929990249513,"lr_chisq":10.633604730886873,"lr_p":0.0011105103778970042,"wald_chisq":10.089421504320226,"wald_p":0.001491229138376579,"score_chisq":10.325148495746461,"score_p":0.001312297013,"coefficients":[-0.5310235400057676],"covariance":[[0.02794867871458363]],"dropped":[false],"infinite":[false]}'$$,
	'NULL',
	$$'{"version":1,"ties":"breslow","n":3,"events":0,"strata":1,"iterations":0,"converged":true,"df":0,"loglik_null":0,"loglik":0,"lr_chisq":0,"lr_p":null,"wald_chisq":0,"wald_p":null,"score_chisq":0,"score_p":null,"coefficients":[null],"covariance":[[null]],"dropped":[true],"infinite":[false]}'$$,
	$$'{"version":1,"ties":"efron","n":9223372036854775807,"events":9223372036854775807,"strata":9223372036854775807,"iterations":2147483647,"converged":false,"df":2,"loglik_null":"-Infinity","loglik":null,"lr_chisq":"Infinity","lr_p":0,"wald_chisq":null,"wald_p":null,"score_chisq":-1.7976931348623157e+308,"score_p":1,"coefficients":["Infinity",1.7976931348623157e+308],"covariance":[["Infinity",5e-324],[-1,"-Infinity"]],"dropped":[false,false],"infinite":[true,false]}'$$,
	$$'{"version":1,"ties":"efron","n":2,"events":1,"strata":2,"iterations":1,"converged":true,"df":1,"loglik_null":0,"loglik":0,"lr_chisq":0,"lr_p":1,"wald_chisq":0,"wald_p":1,"score_chisq":0,"score_p":1,"coefficients":[null,-0],"covariance":[[null,null],[null,0]],"dropped":[true,false],"infinite":[false,false]}'$$);
SELECT hostile_add('text[]', $$'{sex}'$$, 'NULL', $$'{}'$$, $$'{a,b}'$$, $$'{NULL}'$$, $$'{{a},{b}}'$$,
	$$'[5:5]={x}'$$, 'ARRAY[repeat(''x'', 100000)]');
-- aggregate states passed to the support functions directly
SELECT hostile_add('float8[]', $$'{0,0,0}'$$, 'NULL', $$'{}'$$, $$'{0,0,0,0,0,0,0}'$$,
	$$'{0,0,0,0,0,0,0,0}'$$, $$'{0,0,0,0,0,0,0,0,0,0}'$$,
	$$'{NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN}'$$, $$'{-1,-1,-1,-1,-1,-1,-1,-1,-1,-1}'$$,
	$$'{1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308,1e308}'$$,
	$$'{Infinity,-Infinity,Infinity,-Infinity,Infinity,-Infinity,Infinity,-Infinity,Infinity,-Infinity}'$$,
	$$'{NULL,1,1,1,1,1,1,1,1,1}'$$, $$'{{1,2,3,4,5},{6,7,8,9,10}}'$$, $$'[0:2]={1,2,3}'$$,
	$$'{2.5,1,2,3,4,5,6,7,8,9}'$$, $$'{5,1,2,3,4,5,6,7,8,9}'$$, $$'{3,6,14,1}'$$,
	$$'{1e300,1e-300,1e300}'$$, $$'{9.3e18,1,1,1,1,1,1,1,1,1}'$$,
	$$(SELECT array_agg(i::float8) FROM generate_series(1, 100000) i)$$);
SELECT hostile_add('int8[]', $$'{0,0,0,0}'$$, 'NULL', $$'{}'$$, $$'{-1,-1,-1,-1}'$$,
	$$'{9223372036854775807,9223372036854775807,9223372036854775807,9223372036854775807}'$$,
	$$'{NULL,0,0,0}'$$, $$'{{1,2},{3,4}}'$$, $$'{1,2,3}'$$, $$'{1,2,3,4,5}'$$, $$'{5,3,2,1}'$$,
	$$'{1,2,1,2}'$$, $$'[0:3]={1,2,3,4}'$$, $$'{0,5,0,5}'$$,
	$$'{-9223372036854775808,0,0,0}'$$);
-- raw spell_stats states, for the support functions that take one
CREATE AGGREGATE hostile_spell_state(daterange, daterange, bool) (SFUNC = spell_stats_accum, STYPE = bytea);
CREATE AGGREGATE hostile_spell_state(daterange, daterange) (SFUNC = spell_stats_accum, STYPE = bytea);
CREATE AGGREGATE hostile_spell_state(tstzrange, tstzrange) (SFUNC = spell_stats_accum, STYPE = bytea);
SELECT hostile_add('bytea',
	$$hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange, true)$$,
	'NULL', $$'\x'$$, $$'\x00'$$,
	$$hostile_spell_state('[2024-01-01 00:00+00,)'::tstzrange, '[2024-01-01 00:00+00,2024-04-01 00:00+00)'::tstzrange)$$,
	$$hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange)$$,
	$$substring(hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange) from 2)$$,
	$$hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange) || '\x00'::bytea$$,
	$$overlay(hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange) placing '\xffffffffffffffff' from 1)$$,
	$$overlay(hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange) placing '\x7fffffffffffffff' from 5)$$,
	$$overlay(hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange) placing '\x8000000000000000' from 13)$$,
	$$overlay(hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange) placing '\xffffffffffffffffffffffffffffffff' from 29)$$,
	$$overlay(hostile_spell_state('[2024-01-01,2024-03-01)'::daterange, '[2024-01-01,2024-04-01)'::daterange) placing '\x7ff8000000000000' from 45)$$,
	$$decode(repeat('ff', 200), 'hex')$$, $$decode(repeat('00', 200), 'hex')$$);

-- one call as SQL: rows is an array of rows, each a text[] of expressions
CREATE FUNCTION hostile_sql(fn regprocedure, rows text[], empty bool DEFAULT false) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	p pg_proc;
	types oid[];
	cols text := '';
	vals text[] := '{}';
	r int;
	i int;
	args text := '';
BEGIN
	SELECT * INTO p FROM pg_proc WHERE oid = fn;
	types := ARRAY(SELECT unnest(p.proargtypes));
	IF p.prokind = 'a' THEN
		FOR i IN 1 .. p.pronargs LOOP
			cols := cols || CASE WHEN i > 1 THEN ', ' ELSE '' END || 'c' || i;
		END LOOP;
		FOR r IN 1 .. array_length(rows, 1) LOOP
			args := '';
			FOR i IN 1 .. p.pronargs LOOP
				args := args || CASE WHEN i > 1 THEN ', ' ELSE '' END
					|| format('(%s)::%s', rows[r][i], format_type(types[i], NULL));
			END LOOP;
			vals := vals || ('(' || args || ')');
		END LOOP;
		RETURN format('SELECT %s.%I(%s) FROM (VALUES %s) v(%s)%s',
			quote_ident(p.pronamespace::regnamespace::text), p.proname, cols,
			array_to_string(vals, ', '), cols, CASE WHEN empty THEN ' WHERE false' ELSE '' END);
	END IF;
	FOR i IN 1 .. p.pronargs LOOP
		args := args || CASE WHEN i > 1 THEN ', ' ELSE '' END
			|| format('(%s)::%s', rows[1][i], format_type(types[i], NULL));
	END LOOP;
	RETURN format(CASE WHEN p.proretset THEN 'SELECT * FROM %s.%I(%s)' ELSE 'SELECT %s.%I(%s)' END,
		quote_ident(p.pronamespace::regnamespace::text), p.proname, args);
END
$$;

CREATE TABLE hostile_calls (id serial PRIMARY KEY, fn regprocedure, what text, call text);
SELECT set_config('hostile.seed', :'seed', false), set_config('hostile.random_calls', :'random_calls', false);

DO $$
DECLARE
	f record;
	types oid[];
	nargs int;
	normal text[];
	row_ text[];
	rows text[];
	hostile text[];
	i int;
	j int;
	k int;
	missing text;
BEGIN
	PERFORM setseed(current_setting('hostile.seed')::float8);
	FOR f IN
		SELECT p.oid::regprocedure AS fn, p.prokind, p.pronargs, ARRAY(SELECT unnest(p.proargtypes)) AS types
		FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
		WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
		  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'peoplefirst')
		ORDER BY p.oid::regprocedure::text
	LOOP
		types := f.types;
		nargs := f.pronargs;
		SELECT string_agg(format_type(t, NULL), ', ') INTO missing
		FROM unnest(types) t WHERE t <> 'internal'::regtype
		  AND NOT EXISTS (SELECT FROM hostile_values v WHERE v.typ = t);
		IF missing IS NOT NULL THEN
			INSERT INTO hostile_calls (fn, what, call) VALUES (f.fn, 'no hostile values for ' || missing,
				format('SELECT hostile_missing_values(%L)', missing));
			CONTINUE;
		END IF;
		SELECT array_agg((SELECT val FROM hostile_values v WHERE v.typ = t AND ord = 1) ORDER BY o)
		INTO normal FROM unnest(types) WITH ORDINALITY u(t, o);
		IF 'internal'::regtype = ANY (types) THEN
			-- not callable from SQL: no value can be cast to internal
			INSERT INTO hostile_calls (fn, what, call) VALUES (f.fn, 'internal argument: not callable from SQL',
				format('SELECT %s(%s)', f.fn::oid::regproc, array_to_string(array_fill('NULL'::text, ARRAY[nargs]), ', ')));
			CONTINUE;
		END IF;
		IF nargs = 0 THEN
			INSERT INTO hostile_calls (fn, what, call) VALUES (f.fn, 'no argument', hostile_sql(f.fn, ARRAY[ARRAY['']]));
			CONTINUE;
		END IF;

		-- all NULL
		row_ := array_fill('NULL'::text, ARRAY[nargs]);
		INSERT INTO hostile_calls (fn, what, call) VALUES (f.fn, 'all NULL', hostile_sql(f.fn, ARRAY[row_]));
		IF f.prokind = 'a' THEN
			INSERT INTO hostile_calls (fn, what, call)
			VALUES (f.fn, 'no rows', hostile_sql(f.fn, ARRAY[normal], true)),
			       (f.fn, 'one normal row', hostile_sql(f.fn, ARRAY[normal])),
			       (f.fn, 'normal row and all-NULL row', hostile_sql(f.fn, ARRAY[normal, row_]));
		END IF;

		-- each argument over its hostile values
		FOR i IN 1 .. nargs LOOP
			FOR j IN SELECT ord FROM hostile_values WHERE typ = types[i] AND ord > 1 ORDER BY ord LOOP
				row_ := normal;
				row_[i] := (SELECT val FROM hostile_values WHERE typ = types[i] AND ord = j);
				INSERT INTO hostile_calls (fn, what, call)
				VALUES (f.fn, format('argument %s value %s', i, j), hostile_sql(f.fn, ARRAY[row_]));
				IF f.prokind = 'a' THEN
					INSERT INTO hostile_calls (fn, what, call)
					VALUES (f.fn, format('normal row, then argument %s value %s', i, j),
					        hostile_sql(f.fn, ARRAY[normal, row_]));
				END IF;
			END LOOP;
		END LOOP;

		-- random combinations; for aggregates, random groups of rows
		FOR k IN 1 .. current_setting('hostile.random_calls')::int LOOP
			rows := NULL;
			FOR j IN 1 .. CASE WHEN f.prokind = 'a' THEN 2 + floor(random() * 4)::int ELSE 1 END LOOP
				SELECT array_agg((SELECT val FROM hostile_values v WHERE v.typ = t
				                  ORDER BY random() LIMIT 1) ORDER BY o)
				INTO row_ FROM unnest(types) WITH ORDINALITY u(t, o);
				rows := CASE WHEN rows IS NULL THEN ARRAY[row_] ELSE rows || ARRAY[row_] END;
			END LOOP;
			INSERT INTO hostile_calls (fn, what, call) VALUES (f.fn, 'random ' || k, hostile_sql(f.fn, rows));
		END LOOP;
	END LOOP;
END
$$;
SELECT format('%s calls of %s functions and aggregates', count(*), count(DISTINCT fn)) FROM hostile_calls;
EOF
) || bail "generating the calls" "$out"
diag "$(tail -n 1 <<<"$out")"

# ------------------------------------------------------------------ running them

# The calls from id $1 on, each followed by a line "@@ id SQLSTATE message".
script_from() {
	sql "$db" -c "SELECT format(E'%s;\n\\\\echo @@ %s :SQLSTATE :LAST_ERROR_MESSAGE', call, id)
	              FROM hostile_calls WHERE id >= $1 ORDER BY id" >"$work/calls.sql"
}

: >"$work/results"
total=$(sql "$db" -c "SELECT max(id) FROM hostile_calls")
next=1
crashes=""
restarts=0
t0=$(date +%s)
while [ "$next" -le "$total" ]; do
	script_from "$next" || bail "cannot write the calls" "$(cat "$work/calls.sql")"
	PGOPTIONS="-c statement_timeout=$timeout -c client_min_messages=error" \
		psql -X -q -d "$db" -f "$work/calls.sql" -o /dev/null 2>"$work/stderr" |
		grep '^@@ ' >>"$work/results"
	last=$(tail -n 1 "$work/results" | awk '{ print $2 }')
	last=${last:-0}
	if [ "$last" -ge "$total" ]; then
		break
	fi
	# the connection ended during call last+1
	crashed=$((last + 1))
	crashes+="$crashed "
	echo "@@ $crashed CONNECTION-LOST $(tail -n 3 "$work/stderr" | tr '\n' ' ')" >>"$work/results"
	next=$((crashed + 1))
	restarts=$((restarts + 1))
	for _ in $(seq 60); do pg_isready -q -d "$db" && psql -X -q -d "$db" -c "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
	[ "$restarts" -le 10 ] || { diag "more than 10 lost connections, giving up"; break; }
done
elapsed=$(($(date +%s) - t0))

sed -E 's/\t/ /g; s/\\/\\\\/g; s/^@@ ([0-9]+) ([^ ]*) ?(.*)$/\1\t\2\t\3/' "$work/results" >"$work/results.tsv"
out=$(sql "$db" <<EOF
CREATE TABLE hostile_results (id int PRIMARY KEY, state text, message text);
\copy hostile_results FROM '$work/results.tsv'
SELECT 'ok';
EOF
) || bail "loading the results" "$out"

summary=$(sql "$db" -c "SELECT string_agg(format('%s x%s', state, c), ', ' ORDER BY c DESC, state)
	FROM (SELECT state, count(*) AS c FROM hostile_results GROUP BY 1) s")
ran=$(sql "$db" -c "SELECT count(*) FROM hostile_results")
diag "$ran calls in $elapsed s: $summary"

# a call fails when it ends the connection, times out, or raises XX000 or class 53/58
allowed=$(printf "'%s'," $allow)
allowed="ARRAY[${allowed%,}]::text[]"
[ -z "$allow" ] && allowed="'{}'::text[]"
bad="(c.what LIKE 'no hostile values%' OR r.state IS NULL
      OR (c.what LIKE 'internal argument%' AND r.state NOT IN ('42883', '42846'))
      OR (c.what NOT LIKE 'internal argument%' AND r.state IN ('42601', '42883')) OR r.state = 'CONNECTION-LOST' OR r.state = 'XX000' OR r.state = '57014'
      OR ((r.state LIKE '53%' OR r.state LIKE '58%') AND NOT r.state = ANY ($allowed)))"

check "every call ran" "ran $ran of $total" test "$ran" = "$total"

fns=$(sql "$db" -c "SELECT DISTINCT fn::text FROM hostile_calls ORDER BY 1")
while IFS= read -r fn; do
	[ -n "$fn" ] || continue
	q=$(quote "$fn")
	counts=$(sql "$db" -c "SELECT format('%s calls, %s returned, errors: %s', count(*),
			count(*) FILTER (WHERE r.state = '00000'),
			coalesce(string_agg(DISTINCT r.state, ' ') FILTER (WHERE r.state <> '00000'), 'none'))
		FROM hostile_calls c LEFT JOIN hostile_results r USING (id) WHERE c.fn::text = $q")
	failures=$(sql "$db" -c "SELECT format('%s [%s] %s: %s%s', coalesce(r.state, 'NOT RUN'), c.what,
			left(coalesce(r.message, ''), 300), left(c.call, 2000), CASE WHEN length(c.call) > 2000 THEN ' ...' ELSE '' END)
		FROM hostile_calls c LEFT JOIN hostile_results r USING (id)
		WHERE c.fn::text = $q AND $bad ORDER BY c.id LIMIT $([ "$verbose" = 1 ] && echo ALL || echo 3)")
	nbad=$(sql "$db" -c "SELECT count(*) FROM hostile_calls c LEFT JOIN hostile_results r USING (id) WHERE c.fn::text = $q AND $bad")
	if [ "$nbad" = 0 ]; then
		pass "$fn: $counts"
	else
		fail "$fn: $counts" "$nbad bad calls, the first:
$failures"
	fi
done <<<"$fns"

survival_check
diag "hostile.sh took $(($(date +%s) - began)) s"
finish
