/* peoplefirst--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION peoplefirst UPDATE TO '1.1'" to load this file. \quit

--
-- exact p-values for small samples: corr_test(x, y, method, confidence, exact)
--

CREATE TYPE @extschema@.correlation_test AS (
	method pg_catalog.text,
	n pg_catalog.int8,
	r pg_catalog.float8,
	p_value pg_catalog.float8,
	p_method pg_catalog.text,
	ci_low pg_catalog.float8,
	ci_high pg_catalog.float8,
	confidence pg_catalog.float8
);

COMMENT ON TYPE @extschema@.correlation_test IS 'a correlation coefficient with its two-sided p-value, how that p-value was found (exact, edgeworth, t or normal), and its confidence interval';

CREATE FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8, pg_catalog.bool)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'corr_test_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_exact_final(pg_catalog.internal)
RETURNS @extschema@.correlation_test
AS 'MODULE_PATHNAME', 'corr_test_exact_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8, pg_catalog.bool) IS 'transition function of corr_test(x, y, method, confidence, exact)';
COMMENT ON FUNCTION @extschema@.corr_test_exact_final(pg_catalog.internal) IS 'final function of corr_test(x, y, method, confidence, exact)';

CREATE AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8, pg_catalog.bool) (
	SFUNC = @extschema@.corr_test_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.corr_test_exact_final,
	COMBINEFUNC = @extschema@.corr_test_combine,
	SERIALFUNC = @extschema@.corr_test_serialize,
	DESERIALFUNC = @extschema@.corr_test_deserialize, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8, pg_catalog.bool) IS 'correlation test with the p-value chosen as R''s cor.test(exact = ...): true for exact p-values of rank methods without ties, false for the approximation, NULL for the default; says which in p_method';
