#!/bin/bash
# The extension installs safely; prints TAP (prove -e bash
# test/hardening/safe_install.sh, inside pg_virtualenv).
#
#   - A database owner without superuser installs it (trusted extension),
#     connecting as itself with a password (pg_virtualenv's pg_hba asks
#     scram-sha-256 over TCP).
#   - An attacker role owns a schema "evil", first in the installer's
#     search_path -- before pg_catalog -- holding look-alikes of what an
#     install script or a function could resolve by name: float8, int8,
#     text, bytea, numeric, exp, ln, sqrt, abs, power, lower, upper, isempty,
#     lower_inf, upper_inf, array_length, cardinality, unnest, now,
#     date_part, make_interval, coalesce-free helpers, the aggregates sum,
#     array_agg, count, max, min, the extension's own names (relstrength_in,
#     survival_in, strength_agg, rollup, strength, ...), and operators = + -
#     * / < > on float8, int8, text, interval, timestamptz and the
#     extension's relstrength. Each look-alike advances a sequence (which no
#     rollback undoes) and records its name. Neither CREATE EXTENSION nor a
#     workload calling every aggregate and function of the extension
#     (schema-qualified, serial and parallel) may call one; a positive
#     control shows that the look-alikes do catch unqualified calls.
#   - No function of the extension is SECURITY DEFINER or sets a
#     configuration parameter.
#   - The install scripts (peoplefirst--*.sql of the repository) contain no
#     CREATE OR REPLACE or SECURITY DEFINER, and every type, function and
#     operator they reference in argument lists, RETURNS, aggregate,
#     operator and type definitions and COMMENT ON is schema-qualified with
#     @extschema@. or pg_catalog. (check_script.py).
# Needs a superuser to create the roles and the database; drops them after.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

db=peoplefirst_hardening_safe
installer=peoplefirst_hardening_installer
attacker=peoplefirst_hardening_attacker
password="pf-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

cleanup() {
	dropdb --if-exists --force "$db" >/dev/null 2>&1
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $installer" -c "DROP ROLE IF EXISTS $attacker" >/dev/null 2>&1
}
trap cleanup EXIT

began=$(date +%s)
survival_begin
cleanup

# ------------------------------------------------------------------ the install scripts

python=/usr/bin/python3
[ -x "$python" ] || python=python3
scripts=$(ls "$here"/../../peoplefirst--*.sql 2>/dev/null)
if [ -z "$scripts" ]; then
	fail "install scripts found" "no peoplefirst--*.sql in $here/../.."
else
	for f in $scripts; do
		name=$(basename "$f")
		if out=$(grep -n -i -E 'create[[:space:]]+or[[:space:]]+replace' "$f"); then
			fail "$name: no CREATE OR REPLACE" "$out"
		else
			pass "$name: no CREATE OR REPLACE"
		fi
		if out=$(grep -n -i -E 'security[[:space:]]+definer' "$f"); then
			fail "$name: no SECURITY DEFINER" "$out"
		else
			pass "$name: no SECURITY DEFINER"
		fi
		if out=$("$python" "$here/check_script.py" "$f" 2>&1); then
			pass "$name: every referenced type, function and operator is schema-qualified ($out)"
		else
			fail "$name: every referenced type, function and operator is schema-qualified" "$out"
		fi
	done
fi

# ------------------------------------------------------------------ roles, database, traps

out=$(sql postgres <<EOF
CREATE ROLE $installer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$password';
CREATE ROLE $attacker LOGIN NOSUPERUSER;
CREATE DATABASE $db OWNER $installer;
EOF
) || bail "creating roles and database" "$out"

# the attacker's schema, created as the attacker
out=$(sql "$db" <<EOF
GRANT CREATE ON DATABASE $db TO $attacker;
SET ROLE $attacker;
CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE SEQUENCE evil.hits;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE evil.hits TO PUBLIC;
CREATE TABLE evil.calls (name text, at timestamptz DEFAULT clock_timestamp());
GRANT INSERT, SELECT ON evil.calls TO PUBLIC;
CREATE FUNCTION evil.hit(name text) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN
	PERFORM pg_catalog.nextval('evil.hits');
	INSERT INTO evil.calls (name) VALUES (name);
	RAISE WARNING 'look-alike % called', name;
END
\$\$;
EOF
) || bail "creating the attacker's schema" "$out"

# the look-alikes: functions returning their argument's type, so that a
# caller that resolved one goes on and the sequence shows it
out=$(sql "$db" <<EOF
SET ROLE $attacker;
DO \$do\$
DECLARE
	f text;
	sig text[];
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'float8(int8) float8', 'float8(int4) float8', 'float8(numeric) float8', 'float8(text) float8',
		'int8(int4) int8', 'int8(float8) int8', 'int8(numeric) int8', 'int4(int8) int4', 'int4(float8) int4',
		'numeric(float8) numeric', 'numeric(int8) numeric', 'text(anyelement) text', 'bytea(text) bytea',
		'exp(float8) float8', 'exp2(float8) float8', 'ln(float8) float8', 'log(float8) float8', 'sqrt(float8) float8',
		'abs(float8) float8', 'power(float8,float8) float8', 'pow(float8,float8) float8', 'floor(float8) float8',
		'round(float8) float8', 'isnan(float8) bool', 'isfinite(timestamptz) bool', 'isfinite(interval) bool',
		'lower(anyrange) anyelement', 'upper(anyrange) anyelement', 'isempty(anyrange) bool',
		'lower_inf(anyrange) bool', 'upper_inf(anyrange) bool', 'lower_inc(anyrange) bool', 'upper_inc(anyrange) bool',
		'array_length(anyarray,int4) int4', 'cardinality(anyarray) int4', 'array_append(anyarray,anyelement) anyarray',
		'now() timestamptz', 'date_part(text,interval) float8', 'date_part(text,timestamptz) float8',
		'extract(text,interval) numeric', 'make_interval(int4) interval', 'justify_interval(interval) interval',
		'timezone(text,timestamptz) timestamp', 'to_char(timestamptz,text) text', 'format(text) text',
		'concat(text) text', 'length(text) int4', 'lower(text) text', 'upper(text) text', 'btrim(text) text',
		'textlen(text) int4', 'cstring_in(text) text', 'pg_detoast_datum(bytea) bytea',
		'relstrength_in(text) text', 'relstrength_out(text) text', 'relstrength_recv(bytea) text',
		'survival_in(text) text', 'survival_out(text) text', 'survival_recv(bytea) text',
		'relstrength_combine(text,text) text', 'relstrength_add(text,text) text', 'survival_combine(text,text) text',
		'spell_stats_final(bytea) bytea', 'corr_test_pearson_final(float8[]) float8[]', 'interactions(text) int8',
		'float8_accum(float8[],float8) float8[]', 'int8inc(int8) int8', 'float8pl(float8,float8) float8',
		'float8mul(float8,float8) float8', 'int8pl(int8,int8) int8', 'interval_pl(interval,interval) interval',
		'timestamptz_mi(timestamptz,timestamptz) interval', 'range_lower(anyrange) anyelement']
	LOOP
		sig := regexp_match(f, '^(\w+)\((.*)\) (\S+)$');
		EXECUTE format('CREATE FUNCTION evil.%I(%s) RETURNS %s LANGUAGE plpgsql AS %L',
			sig[1], sig[2], sig[3],
			format('BEGIN PERFORM evil.hit(%L); RETURN NULL; END', f));
	END LOOP;
END
\$do\$;
-- aggregates
CREATE FUNCTION evil.agg_step(state float8, x anyelement) RETURNS float8 LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('an aggregate'); RETURN state; END \$\$;
CREATE AGGREGATE evil.sum(float8) (SFUNC = evil.agg_step, STYPE = float8);
CREATE AGGREGATE evil.sum(int8) (SFUNC = evil.agg_step, STYPE = float8);
CREATE AGGREGATE evil.array_agg(anyelement) (SFUNC = evil.agg_step, STYPE = float8);
CREATE AGGREGATE evil.count(anyelement) (SFUNC = evil.agg_step, STYPE = float8);
CREATE AGGREGATE evil.max(float8) (SFUNC = evil.agg_step, STYPE = float8);
CREATE AGGREGATE evil.min(float8) (SFUNC = evil.agg_step, STYPE = float8);
CREATE FUNCTION evil.agg_step_ti(state float8, a timestamptz, b interval) RETURNS float8 LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('an aggregate'); RETURN state; END \$\$;
CREATE FUNCTION evil.agg_step_rd(state float8, a daterange, b date) RETURNS float8 LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('an aggregate'); RETURN state; END \$\$;
CREATE AGGREGATE evil.strength_agg(timestamptz, interval) (SFUNC = evil.agg_step_ti, STYPE = float8);
CREATE AGGREGATE evil.rollup(anyelement) (SFUNC = evil.agg_step, STYPE = float8);
CREATE AGGREGATE evil.tenure_survival(daterange, date) (SFUNC = evil.agg_step_rd, STYPE = float8);
-- operators
DO \$do\$
DECLARE
	t text;
	o text;
BEGIN
	FOREACH t IN ARRAY ARRAY['float8', 'int8', 'int4', 'text', 'interval', 'timestamptz', 'numeric', 'bytea'] LOOP
		EXECUTE format('CREATE FUNCTION evil.%I(a %s, b %s) RETURNS bool LANGUAGE plpgsql AS %L',
			'op_bool_' || t, t, t, 'BEGIN PERFORM evil.hit(''an operator''); RETURN NULL; END');
		EXECUTE format('CREATE FUNCTION evil.%I(a %s, b %s) RETURNS %s LANGUAGE plpgsql AS %L',
			'op_same_' || t, t, t, CASE t WHEN 'timestamptz' THEN 'interval' ELSE t END,
			'BEGIN PERFORM evil.hit(''an operator''); RETURN NULL; END');
		FOREACH o IN ARRAY ARRAY['=', '<', '>', '<=', '>=', '<>'] LOOP
			EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = evil.%I)', o, t, t, 'op_bool_' || t);
		END LOOP;
		FOREACH o IN ARRAY CASE WHEN t IN ('text', 'bytea') THEN ARRAY['||'] ELSE ARRAY['+', '-', '*', '/'] END LOOP
			CONTINUE WHEN t = 'timestamptz' AND o <> '-';
			EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = evil.%I)', o, t, t, 'op_same_' || t);
		END LOOP;
	END LOOP;
END
\$do\$;
SELECT 'traps set';
EOF
) || bail "creating the look-alikes" "$out"
diag "$(sql "$db" -c "SELECT count(*) || ' look-alike functions and aggregates, ' || (SELECT count(*) FROM pg_operator WHERE oprnamespace = 'evil'::regnamespace) || ' operators in schema evil' FROM pg_proc WHERE pronamespace = 'evil'::regnamespace")"

hits() { sql "$db" -c "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM evil.hits"; }
calls() { sql "$db" -c "SELECT string_agg(DISTINCT name, ', ') FROM evil.calls"; }

# ------------------------------------------------------------------ install as the database owner

as_installer() {
	PGUSER=$installer PGPASSWORD=$password PGOPTIONS="-c search_path=evil,pg_catalog,pf,public -c client_min_messages=warning" \
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@" 2>&1
}

out=$(as_installer -c "SELECT current_user, usesuper FROM pg_user WHERE usename = current_user") &&
	[ "$out" = "$installer|f" ] &&
	pass "the installer connects with a password and is not a superuser" ||
	bail "the installer connects with a password and is not a superuser" "$out"

out=$(as_installer -c "CREATE SCHEMA pf" -c "CREATE EXTENSION peoplefirst SCHEMA pf" -c "SELECT extversion FROM pg_extension WHERE extname = 'peoplefirst'")
if [ $? -eq 0 ]; then
	pass "CREATE EXTENSION peoplefirst as a database owner without superuser, search_path evil first (version $out)"
else
	bail "CREATE EXTENSION peoplefirst as a database owner without superuser" "$out"
fi
h=$(hits)
check "CREATE EXTENSION called no look-alike" "$h calls: $(calls)" test "$h" = 0
# look-alikes of the extension's own functions and operators, on its types
out=$(as_installer -c "GRANT USAGE ON SCHEMA pf TO PUBLIC") || fail "GRANT USAGE ON SCHEMA pf" "$out"
out=$(sql "$db" <<EOF
SET ROLE $attacker;
CREATE FUNCTION evil.rs_same(a pf.relstrength, b pf.relstrength) RETURNS pf.relstrength LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('relstrength look-alike'); RETURN a; END \$\$;
CREATE FUNCTION evil.rs_bool(a pf.relstrength, b pf.relstrength) RETURNS bool LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('relstrength look-alike'); RETURN NULL; END \$\$;
CREATE OPERATOR evil.+ (LEFTARG = pf.relstrength, RIGHTARG = pf.relstrength, FUNCTION = evil.rs_same);
CREATE OPERATOR evil.= (LEFTARG = pf.relstrength, RIGHTARG = pf.relstrength, FUNCTION = evil.rs_bool);
CREATE FUNCTION evil.relstrength_combine(a pf.relstrength, b pf.relstrength) RETURNS pf.relstrength LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('relstrength_combine'); RETURN a; END \$\$;
CREATE FUNCTION evil.relstrength_add(a pf.relstrength, b pf.relstrength) RETURNS pf.relstrength LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('relstrength_add'); RETURN a; END \$\$;
CREATE FUNCTION evil.strength(a pf.relstrength, t timestamptz) RETURNS float8 LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('strength'); RETURN NULL; END \$\$;
CREATE FUNCTION evil.survival_combine(a pf.survival, b pf.survival) RETURNS pf.survival LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM evil.hit('survival_combine'); RETURN a; END \$\$;
CREATE AGGREGATE evil.rollup(pf.relstrength) (SFUNC = evil.rs_same, STYPE = pf.relstrength);
SELECT 'ok';
EOF
) || fail "look-alikes on the extension's types" "$out"
owner=$(sql "$db" -c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'peoplefirst'")
check "the extension is owned by the installer" "owner: $owner" test "$owner" = "$installer"

# ------------------------------------------------------------------ every function, schema-qualified

workload() {	# workload PREFIX: the tables are PREFIX_int, PREFIX_sp, PREFIX_r, PREFIX_s
	sed "s/\bw_/${1}_/g" <<'EOF'
CREATE TABLE public.w_int (pair int, at timestamptz, weight float8, sentiment float8, inbound bool);
INSERT INTO w_int SELECT i % 3, pg_catalog.timestamptz '2024-01-01 00:00+00' OPERATOR(pg_catalog.+) (i OPERATOR(pg_catalog.*) pg_catalog.interval '1 day'),
	0.5, 0.25, i OPERATOR(pg_catalog.%) 2 OPERATOR(pg_catalog.=) 0 FROM pg_catalog.generate_series(1, 2000) i;
CREATE TABLE public.w_sp (d pg_catalog.daterange, t pg_catalog.tstzrange, v bool, x float8, y float8, z float8, e bool, s int);
INSERT INTO w_sp SELECT pg_catalog.daterange(pg_catalog.date '2024-01-01' OPERATOR(pg_catalog.+) i, pg_catalog.date '2024-03-01' OPERATOR(pg_catalog.+) (i OPERATOR(pg_catalog.*) 3)),
	pg_catalog.tstzrange(pg_catalog.timestamptz '2024-01-01 00:00+00' OPERATOR(pg_catalog.+) (i OPERATOR(pg_catalog.*) pg_catalog.interval '1 hour'), NULL),
	i OPERATOR(pg_catalog.%) 2 OPERATOR(pg_catalog.=) 0, i, i OPERATOR(pg_catalog.%) 7, i OPERATOR(pg_catalog.%) 5,
	i OPERATOR(pg_catalog.%) 3 OPERATOR(pg_catalog.=) 0, i OPERATOR(pg_catalog.%) 11
FROM pg_catalog.generate_series(1, 2000) i;
ANALYZE w_int;
ANALYZE w_sp;
CREATE TEMP TABLE w_r AS SELECT pair, pf.strength_agg(at, '30 days') AS a, pf.strength_agg(at, '30 days', weight) AS b,
	pf.strength_agg(at, '30 days', weight, sentiment, inbound) AS c FROM w_int GROUP BY pair;
SELECT pf.interactions(c), pf.first_interaction(c), pf.last_interaction(c), pf.intensity(c, '2030-01-01'),
	pf.strength(c, '2030-01-01'), pf.reciprocity(c), pf.sentiment(c), pf.tenure(c, '2030-01-01'),
	pf.recency(c, '2030-01-01'), pf.half_life(c), a OPERATOR(pf.+) b, pf.relstrength_add(a, b),
	pf.relstrength_combine(a, b), pf.relstrength_send(c), pf.relstrength_out(c), c::text::pf.relstrength
FROM w_r;
SELECT pf.rollup(c) FROM w_r;
SELECT pf.spell_stats(d, '[2024-01-01,2024-04-01)'), pf.spell_stats(d, '[2024-01-01,2024-04-01)', v),
	pf.spell_stats(t, '[2024-01-01 00:00+00,2024-04-01 00:00+00)'), pf.spell_stats(t, '[2024-01-01 00:00+00,2024-04-01 00:00+00)', v),
	pf.turnover_rate(d, '[2024-01-01,2024-04-01)'), pf.churn_rate(d, '[2024-01-01,2024-04-01)'),
	pf.retention_rate(d, '[2024-01-01,2024-04-01)'), pf.turnover_rate(t, '[2024-01-01 00:00+00,2024-04-01 00:00+00)'),
	pf.churn_rate(t, '[2024-01-01 00:00+00,2024-04-01 00:00+00)'), pf.retention_rate(t, '[2024-01-01 00:00+00,2024-04-01 00:00+00)')
FROM w_sp;
CREATE TEMP TABLE w_s AS SELECT pf.tenure_survival(d, '2024-12-31') AS sd, pf.tenure_survival(t, '2024-12-31 00:00+00') AS st FROM w_sp;
SELECT pf.survival_at(sd, '30 days'), pf.median_tenure(sd), pf.survival_send(sd), pf.survival_out(sd),
	sd::text::pf.survival, pf.survival_combine(sd, sd), pf.survival_at(st, '1 day') FROM w_s;
SELECT pf.rollup(sd) FROM w_s;
SELECT * FROM w_s, pf.survival_curve(sd) c;
SELECT * FROM w_s, pf.survival_curve(st, 0.9) c;
SELECT pf.corr_test(x, y), pf.corr_test(x, y, 'pearson'), pf.corr_test(x, y, 'spearman'), pf.corr_test(x, y, 'kendall', 0.9),
	pf.spearman_corr(x, y), pf.kendall_tau(x, y), pf.partial_corr(x, y, z), pf.weighted_corr(x, y, z),
	pf.risk_ratio(v, e), pf.nps(s), pf.nps_stats(s), pf.concentration(z), pf.top_share(z)
FROM w_sp;
SELECT pf.concentration_final(pf.concentration_combine(pf.concentration_accum('{0,0,0}', 1), '{0,0,0}')),
	pf.top_share_final(pf.concentration_accum('{0,0,0}', 1)),
	pf.corr_test_pearson_final(pf.corr_test_pearson_combine(pf.corr_test_pearson_accum('{0,0,0,0,0,0,0,0}', 1, 2), '{0,0,0,0,0,0,0,0}')),
	pf.partial_corr_final(pf.partial_corr_combine(pf.partial_corr_accum('{0,0,0,0,0,0,0,0,0,0}', 1, 2, 3), '{0,0,0,0,0,0,0,0,0,0}')),
	pf.weighted_corr_final(pf.weighted_corr_combine(pf.weighted_corr_accum('{0,0,0,0,0,0,0}', 1, 2, 1), '{0,0,0,0,0,0,0}')),
	pf.risk_ratio_final(pf.risk_ratio_combine(pf.risk_ratio_accum('{0,0,0,0}', true, false), '{0,0,0,0}')),
	pf.nps_final(pf.nps_accum('{0,0,0,0}', 9)), pf.nps_stats_final(pf.nps_accum('{0,0,0,0}', 3));
EOF
}

out=$(workload w | as_installer -o /dev/null)
check "every aggregate and function of the extension runs for the installer" "$out" test -z "$out"
h=$(hits)
check "no function of the extension called a look-alike" "$h calls: $(calls)" test "$h" = 0

parallel="-c max_parallel_workers_per_gather=2 -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c parallel_leader_participation=off"
out=$(workload w2 |
	PGUSER=$installer PGPASSWORD=$password PGOPTIONS="-c search_path=evil,pg_catalog,pf,public -c client_min_messages=warning $parallel" \
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" -o /dev/null 2>&1)
check "the workload runs in parallel plans" "$out" test -z "$out"
h=$(hits)
check "no function of the extension called a look-alike in parallel plans (combine, serialize)" "$h calls: $(calls)" test "$h" = 0

# positive control: an unqualified call does reach the look-alikes
as_installer -c "SELECT 1::float8 + 2::float8, sqrt(4::float8)" >/dev/null
h=$(hits)
check "positive control: unqualified + and sqrt reach the look-alikes" "hits: $h" test "$h" -ge 2

# ------------------------------------------------------------------ catalog

out=$(sql "$db" -c "SELECT string_agg(p.oid::regprocedure::text, ', ') FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'peoplefirst')
	  AND (p.prosecdef OR p.proconfig IS NOT NULL)")
check "no function of the extension is SECURITY DEFINER or sets a parameter" "$out" test -z "$out"
out=$(sql "$db" -c "SELECT count(*) FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'peoplefirst')
	  AND p.prolang NOT IN (SELECT oid FROM pg_language WHERE lanname IN ('c', 'internal'))")
check "every function of the extension is in C (no SQL body resolving names at run time)" "$out non-C functions" test "$out" = 0

survival_check
diag "safe_install.sh took $(($(date +%s) - began)) s"
finish
