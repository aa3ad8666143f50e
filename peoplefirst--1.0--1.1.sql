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

--
-- a confidence level for every interval: risk_ratio, partial_corr, nps_stats
--

CREATE FUNCTION @extschema@.risk_ratio_confidence_accum(pg_catalog.int8[], pg_catalog.bool, pg_catalog.bool, pg_catalog.float8)
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'risk_ratio_confidence_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_confidence_combine(pg_catalog.int8[], pg_catalog.int8[])
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'risk_ratio_confidence_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_confidence_final(pg_catalog.int8[])
RETURNS @extschema@.relative_risk
AS 'MODULE_PATHNAME', 'risk_ratio_confidence_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_stats_confidence_accum(pg_catalog.int8[], pg_catalog.int4, pg_catalog.float8)
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'nps_stats_confidence_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_stats_confidence_combine(pg_catalog.int8[], pg_catalog.int8[])
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'nps_stats_confidence_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_stats_confidence_final(pg_catalog.int8[])
RETURNS @extschema@.nps_stats
AS 'MODULE_PATHNAME', 'nps_stats_confidence_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_confidence_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'partial_corr_confidence_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_confidence_combine(pg_catalog.float8[], pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'partial_corr_confidence_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_confidence_final(pg_catalog.float8[])
RETURNS @extschema@.correlation
AS 'MODULE_PATHNAME', 'partial_corr_confidence_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.risk_ratio_confidence_accum(pg_catalog.int8[], pg_catalog.bool, pg_catalog.bool, pg_catalog.float8) IS 'transition function of risk_ratio(exposed, event, confidence)';
COMMENT ON FUNCTION @extschema@.risk_ratio_confidence_combine(pg_catalog.int8[], pg_catalog.int8[]) IS 'combine function of risk_ratio(exposed, event, confidence)';
COMMENT ON FUNCTION @extschema@.risk_ratio_confidence_final(pg_catalog.int8[]) IS 'final function of risk_ratio(exposed, event, confidence)';
COMMENT ON FUNCTION @extschema@.nps_stats_confidence_accum(pg_catalog.int8[], pg_catalog.int4, pg_catalog.float8) IS 'transition function of nps_stats(score, confidence)';
COMMENT ON FUNCTION @extschema@.nps_stats_confidence_combine(pg_catalog.int8[], pg_catalog.int8[]) IS 'combine function of nps_stats(score, confidence)';
COMMENT ON FUNCTION @extschema@.nps_stats_confidence_final(pg_catalog.int8[]) IS 'final function of nps_stats(score, confidence)';
COMMENT ON FUNCTION @extschema@.partial_corr_confidence_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS 'transition function of partial_corr(x, y, z, confidence)';
COMMENT ON FUNCTION @extschema@.partial_corr_confidence_combine(pg_catalog.float8[], pg_catalog.float8[]) IS 'combine function of partial_corr(x, y, z, confidence)';
COMMENT ON FUNCTION @extschema@.partial_corr_confidence_final(pg_catalog.float8[]) IS 'final function of partial_corr(x, y, z, confidence)';

CREATE AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.float8) (
	SFUNC = @extschema@.risk_ratio_confidence_accum, STYPE = pg_catalog.int8[],
	FINALFUNC = @extschema@.risk_ratio_confidence_final,
	COMBINEFUNC = @extschema@.risk_ratio_confidence_combine,
	INITCOND = '{0,0,0,0,0}', PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.nps_stats(pg_catalog.int4, pg_catalog.float8) (
	SFUNC = @extschema@.nps_stats_confidence_accum, STYPE = pg_catalog.int8[],
	FINALFUNC = @extschema@.nps_stats_confidence_final,
	COMBINEFUNC = @extschema@.nps_stats_confidence_combine,
	INITCOND = '{0,0,0,0,0}', PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.partial_corr_confidence_accum, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.partial_corr_confidence_final,
	COMBINEFUNC = @extschema@.partial_corr_confidence_combine,
	INITCOND = '{0,0,0,0,0,0,0,0,0,0,0}', PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.float8) IS 'risk of the event among exposed over unexposed rows, with its Katz interval at the given confidence and Fisher exact p-value';
COMMENT ON AGGREGATE @extschema@.nps_stats(pg_catalog.int4, pg_catalog.float8) IS 'net promoter score with its counts and margin of error at the given confidence';
COMMENT ON AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS 'Pearson correlation of x and y controlling for z, with p-value (t, n-3 df) and an interval at the given confidence';
COMMENT ON TYPE @extschema@.relative_risk IS 'a 2x2 table with the risk ratio, its Katz interval (95%, or the confidence given) and the two-sided Fisher exact p-value';
COMMENT ON TYPE @extschema@.nps_stats IS 'net promoter score with its counts and margin of error (95%, or the confidence given)';

--
-- partial correlation given several controls
--

CREATE FUNCTION @extschema@.partial_corr_controls_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'partial_corr_controls_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_controls_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'partial_corr_controls_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_controls_combine(pg_catalog.float8[], pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'partial_corr_controls_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_controls_final(pg_catalog.float8[])
RETURNS @extschema@.correlation
AS 'MODULE_PATHNAME', 'partial_corr_controls_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.partial_corr_controls_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[]) IS 'transition function of partial_corr(x, y, z float8[])';
COMMENT ON FUNCTION @extschema@.partial_corr_controls_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.float8) IS 'transition function of partial_corr(x, y, z float8[], confidence)';
COMMENT ON FUNCTION @extschema@.partial_corr_controls_combine(pg_catalog.float8[], pg_catalog.float8[]) IS 'combine function of partial_corr with an array of controls';
COMMENT ON FUNCTION @extschema@.partial_corr_controls_final(pg_catalog.float8[]) IS 'final function of partial_corr with an array of controls';

CREATE AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[]) (
	SFUNC = @extschema@.partial_corr_controls_accum, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.partial_corr_controls_final,
	COMBINEFUNC = @extschema@.partial_corr_controls_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.float8) (
	SFUNC = @extschema@.partial_corr_controls_accum, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.partial_corr_controls_final,
	COMBINEFUNC = @extschema@.partial_corr_controls_combine, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[]) IS 'Pearson correlation of x and y controlling for every element of z, with p-value (t, n-2-k df) and 95% interval';
COMMENT ON AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8[], pg_catalog.float8) IS 'Pearson correlation of x and y controlling for every element of z, with p-value (t, n-2-k df) and an interval at the given confidence';

--
-- Mantel-Haenszel: risk_ratio(exposed, event, stratum [, confidence])
--

CREATE TYPE @extschema@.stratified_risk AS (
	strata pg_catalog.int8,
	exposed_n pg_catalog.int8,
	exposed_events pg_catalog.int8,
	unexposed_n pg_catalog.int8,
	unexposed_events pg_catalog.int8,
	crude_ratio pg_catalog.float8,
	ratio pg_catalog.float8,
	ci_low pg_catalog.float8,
	ci_high pg_catalog.float8,
	cmh_statistic pg_catalog.float8,
	p_value pg_catalog.float8,
	confidence pg_catalog.float8
);

COMMENT ON TYPE @extschema@.stratified_risk IS 'strata of 2x2 tables: the totals, the crude risk ratio, the Mantel-Haenszel risk ratio with its Greenland-Robins interval, and the Cochran-Mantel-Haenszel test';

CREATE FUNCTION @extschema@.risk_ratio_strata_accum(pg_catalog.internal, pg_catalog.bool, pg_catalog.bool, pg_catalog.text)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'risk_ratio_strata_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_strata_accum(pg_catalog.internal, pg_catalog.bool, pg_catalog.bool, pg_catalog.text, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'risk_ratio_strata_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_strata_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'risk_ratio_strata_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_strata_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'risk_ratio_strata_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_strata_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'risk_ratio_strata_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_strata_final(pg_catalog.internal)
RETURNS @extschema@.stratified_risk
AS 'MODULE_PATHNAME', 'risk_ratio_strata_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.risk_ratio_strata_accum(pg_catalog.internal, pg_catalog.bool, pg_catalog.bool, pg_catalog.text) IS 'transition function of risk_ratio(exposed, event, stratum)';
COMMENT ON FUNCTION @extschema@.risk_ratio_strata_accum(pg_catalog.internal, pg_catalog.bool, pg_catalog.bool, pg_catalog.text, pg_catalog.float8) IS 'transition function of risk_ratio(exposed, event, stratum, confidence)';
COMMENT ON FUNCTION @extschema@.risk_ratio_strata_combine(pg_catalog.internal, pg_catalog.internal) IS 'combine function of risk_ratio with strata';
COMMENT ON FUNCTION @extschema@.risk_ratio_strata_serialize(pg_catalog.internal) IS 'serialize function of risk_ratio with strata';
COMMENT ON FUNCTION @extschema@.risk_ratio_strata_deserialize(pg_catalog.bytea, pg_catalog.internal) IS 'deserialize function of risk_ratio with strata';
COMMENT ON FUNCTION @extschema@.risk_ratio_strata_final(pg_catalog.internal) IS 'final function of risk_ratio with strata';

CREATE AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.text) (
	SFUNC = @extschema@.risk_ratio_strata_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.risk_ratio_strata_final,
	COMBINEFUNC = @extschema@.risk_ratio_strata_combine,
	SERIALFUNC = @extschema@.risk_ratio_strata_serialize,
	DESERIALFUNC = @extschema@.risk_ratio_strata_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.text, pg_catalog.float8) (
	SFUNC = @extschema@.risk_ratio_strata_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.risk_ratio_strata_final,
	COMBINEFUNC = @extschema@.risk_ratio_strata_combine,
	SERIALFUNC = @extschema@.risk_ratio_strata_serialize,
	DESERIALFUNC = @extschema@.risk_ratio_strata_deserialize, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.text) IS 'Mantel-Haenszel risk ratio over strata with its 95% Greenland-Robins interval, the crude ratio and the CMH test';
COMMENT ON AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.text, pg_catalog.float8) IS 'Mantel-Haenszel risk ratio over strata with its Greenland-Robins interval at the given confidence, the crude ratio and the CMH test';

--
-- odds_ratio(exposed, event [, confidence]): fisher.test's odds ratio
--

CREATE TYPE @extschema@.relative_odds AS (
	exposed_n pg_catalog.int8,
	exposed_events pg_catalog.int8,
	unexposed_n pg_catalog.int8,
	unexposed_events pg_catalog.int8,
	sample_ratio pg_catalog.float8,
	ratio pg_catalog.float8,
	ci_low pg_catalog.float8,
	ci_high pg_catalog.float8,
	p_value pg_catalog.float8,
	woolf_ci_low pg_catalog.float8,
	woolf_ci_high pg_catalog.float8,
	confidence pg_catalog.float8
);

COMMENT ON TYPE @extschema@.relative_odds IS 'a 2x2 table with its sample odds ratio, the conditional maximum-likelihood odds ratio with its exact interval and Fisher''s p (as R''s fisher.test), and Woolf''s interval';

CREATE FUNCTION @extschema@.odds_ratio_final(pg_catalog.int8[])
RETURNS @extschema@.relative_odds
AS 'MODULE_PATHNAME', 'odds_ratio_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.odds_ratio_confidence_final(pg_catalog.int8[])
RETURNS @extschema@.relative_odds
AS 'MODULE_PATHNAME', 'odds_ratio_confidence_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.odds_ratio_final(pg_catalog.int8[]) IS 'final function of odds_ratio(exposed, event)';
COMMENT ON FUNCTION @extschema@.odds_ratio_confidence_final(pg_catalog.int8[]) IS 'final function of odds_ratio(exposed, event, confidence)';

CREATE AGGREGATE @extschema@.odds_ratio(pg_catalog.bool, pg_catalog.bool) (
	SFUNC = @extschema@.risk_ratio_accum, STYPE = pg_catalog.int8[],
	FINALFUNC = @extschema@.odds_ratio_final,
	COMBINEFUNC = @extschema@.risk_ratio_combine,
	INITCOND = '{0,0,0,0}', PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.odds_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.float8) (
	SFUNC = @extschema@.risk_ratio_confidence_accum, STYPE = pg_catalog.int8[],
	FINALFUNC = @extschema@.odds_ratio_confidence_final,
	COMBINEFUNC = @extschema@.risk_ratio_confidence_combine,
	INITCOND = '{0,0,0,0,0}', PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.odds_ratio(pg_catalog.bool, pg_catalog.bool) IS 'odds ratio of the event between exposed and unexposed rows as fisher.test: conditional MLE, 95% exact interval, Fisher''s p; with the sample ratio and Woolf''s interval';
COMMENT ON AGGREGATE @extschema@.odds_ratio(pg_catalog.bool, pg_catalog.bool, pg_catalog.float8) IS 'odds ratio of the event between exposed and unexposed rows as fisher.test, its intervals at the given confidence';

-- survival, version 2 of the stored form: delayed entry (entered counts)
-- and plain-number times.  Values stored by 1.0 (version 1) are read as
-- they are; nothing is rewritten.
COMMENT ON TYPE @extschema@.survival IS 'Kaplan–Meier summary: events, censorings and delayed entries per distinct time, for spells (days or microseconds) or plain numbers';

CREATE FUNCTION @extschema@.tenure_survival_duration_accum(@extschema@.survival, pg_catalog.float8, pg_catalog.bool)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'tenure_survival_duration_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.tenure_survival_interval_accum(@extschema@.survival, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'tenure_survival_interval_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.daterange, pg_catalog.date, pg_catalog.date)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'tenure_survival_observed_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.timestamptz)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'tenure_survival_observed_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.tenure_survival_duration_accum(@extschema@.survival, pg_catalog.float8, pg_catalog.bool) IS 'transition function of tenure_survival(duration, event)';
COMMENT ON FUNCTION @extschema@.tenure_survival_interval_accum(@extschema@.survival, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) IS 'transition function of tenure_survival(entry, exit, event)';
COMMENT ON FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.daterange, pg_catalog.date, pg_catalog.date) IS 'transition function of tenure_survival over dateranges observed from a date';
COMMENT ON FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.timestamptz) IS 'transition function of tenure_survival over tstzranges observed from a time';

CREATE AGGREGATE @extschema@.tenure_survival(pg_catalog.float8, pg_catalog.bool) (
	SFUNC = @extschema@.tenure_survival_duration_accum, STYPE = @extschema@.survival,
	COMBINEFUNC = @extschema@.survival_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.tenure_survival(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) (
	SFUNC = @extschema@.tenure_survival_interval_accum, STYPE = @extschema@.survival,
	COMBINEFUNC = @extschema@.survival_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.tenure_survival(pg_catalog.daterange, pg_catalog.date, pg_catalog.date) (
	SFUNC = @extschema@.tenure_survival_accum, STYPE = @extschema@.survival,
	COMBINEFUNC = @extschema@.survival_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.tenure_survival(pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.timestamptz) (
	SFUNC = @extschema@.tenure_survival_accum, STYPE = @extschema@.survival,
	COMBINEFUNC = @extschema@.survival_combine, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.tenure_survival(pg_catalog.float8, pg_catalog.bool) IS 'Kaplan–Meier summary of durations (>= 0, in the caller''s unit), each ending in an event or censored';
COMMENT ON AGGREGATE @extschema@.tenure_survival(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) IS 'Kaplan–Meier summary of subjects at risk on (entry, exit], each ending in an event or censored (delayed entry)';
COMMENT ON AGGREGATE @extschema@.tenure_survival(pg_catalog.daterange, pg_catalog.date, pg_catalog.date) IS 'Kaplan–Meier summary of date spells seen at as_of and observed from observed_from: spells begun earlier enter at their tenure then (left truncation)';
COMMENT ON AGGREGATE @extschema@.tenure_survival(pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.timestamptz) IS 'Kaplan–Meier summary of timestamp spells seen at as_of and observed from observed_from: spells begun earlier enter at their tenure then (left truncation)';

CREATE FUNCTION @extschema@.survival_at_time(s @extschema@.survival, t pg_catalog.float8)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'survival_at_time'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.median_time(s @extschema@.survival)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'survival_median_time'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.survival_median AS (
	median pg_catalog.float8,
	ci_low pg_catalog.float8,
	ci_high pg_catalog.float8
);

COMMENT ON TYPE @extschema@.survival_median IS 'a median survival time with its confidence interval, as R''s print(survfit(...))';

CREATE FUNCTION @extschema@.median_ci(s @extschema@.survival,
	confidence pg_catalog.float8 DEFAULT 0.95, conf_type pg_catalog.text DEFAULT 'log-log')
RETURNS @extschema@.survival_median
AS 'MODULE_PATHNAME', 'survival_median_ci'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_curve(s @extschema@.survival, confidence pg_catalog.float8,
	conf_type pg_catalog.text,
	OUT "time" pg_catalog.float8, OUT tenure pg_catalog.interval,
	OUT at_risk pg_catalog.int8, OUT events pg_catalog.int8,
	OUT censored pg_catalog.int8, OUT survival pg_catalog.float8,
	OUT std_err pg_catalog.float8,
	OUT ci_low pg_catalog.float8, OUT ci_high pg_catalog.float8)
RETURNS SETOF pg_catalog.record
AS 'MODULE_PATHNAME', 'survival_curve_ci'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

COMMENT ON FUNCTION @extschema@.survival_at_time(@extschema@.survival, pg_catalog.float8) IS 'Kaplan–Meier estimate S(t) at a time in days (spells) or in the unit of the numbers summarized';
COMMENT ON FUNCTION @extschema@.median_time(@extschema@.survival) IS 'median survival time as R''s survfit: the midpoint where S stays at exactly 0.5 until a later event; NULL if S never falls to 0.5';
COMMENT ON FUNCTION @extschema@.median_ci(@extschema@.survival, pg_catalog.float8, pg_catalog.text) IS 'median survival time with its confidence interval (conf_type log-log, log or plain), as R''s print(survfit(...))';
COMMENT ON FUNCTION @extschema@.survival_curve(@extschema@.survival, pg_catalog.float8, pg_catalog.text) IS 'Kaplan–Meier table with time in days or the numbers'' unit, the standard error of S and a log-log, log or plain interval, as summary(survfit(...))';

-- logrank_test: the G-rho family of log-rank tests over survival summaries
CREATE TYPE @extschema@.logrank AS (
	groups pg_catalog.int4,
	chisq pg_catalog.float8,
	df pg_catalog.int4,
	p_value pg_catalog.float8,
	group_names pg_catalog.text[],
	observed pg_catalog.float8[],
	expected pg_catalog.float8[]
);

COMMENT ON TYPE @extschema@.logrank IS 'a log-rank (G-rho) test across groups: chi-square, degrees of freedom, p, and observed and expected events per group, as R''s survdiff';

CREATE FUNCTION @extschema@.logrank_accum(pg_catalog.internal, pg_catalog.text, @extschema@.survival)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'logrank_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.logrank_rho_accum(pg_catalog.internal, pg_catalog.text, @extschema@.survival, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'logrank_rho_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.logrank_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'logrank_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.logrank_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'logrank_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.logrank_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'logrank_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.logrank_final(pg_catalog.internal)
RETURNS @extschema@.logrank
AS 'MODULE_PATHNAME', 'logrank_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.logrank_accum(pg_catalog.internal, pg_catalog.text, @extschema@.survival) IS 'transition function of logrank_test(grp, s)';
COMMENT ON FUNCTION @extschema@.logrank_rho_accum(pg_catalog.internal, pg_catalog.text, @extschema@.survival, pg_catalog.float8) IS 'transition function of logrank_test(grp, s, rho)';
COMMENT ON FUNCTION @extschema@.logrank_combine(pg_catalog.internal, pg_catalog.internal) IS 'combine function of logrank_test';
COMMENT ON FUNCTION @extschema@.logrank_serialize(pg_catalog.internal) IS 'serialize function of logrank_test';
COMMENT ON FUNCTION @extschema@.logrank_deserialize(pg_catalog.bytea, pg_catalog.internal) IS 'deserialize function of logrank_test';
COMMENT ON FUNCTION @extschema@.logrank_final(pg_catalog.internal) IS 'final function of logrank_test';

CREATE AGGREGATE @extschema@.logrank_test(pg_catalog.text, @extschema@.survival) (
	SFUNC = @extschema@.logrank_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.logrank_final,
	COMBINEFUNC = @extschema@.logrank_combine,
	SERIALFUNC = @extschema@.logrank_serialize,
	DESERIALFUNC = @extschema@.logrank_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.logrank_test(pg_catalog.text, @extschema@.survival, pg_catalog.float8) (
	SFUNC = @extschema@.logrank_rho_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.logrank_final,
	COMBINEFUNC = @extschema@.logrank_combine,
	SERIALFUNC = @extschema@.logrank_serialize,
	DESERIALFUNC = @extschema@.logrank_deserialize, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.logrank_test(pg_catalog.text, @extschema@.survival) IS 'log-rank test of whether the survival of the groups differs, over per-group summaries (rows of a group merge), as R''s survdiff';
COMMENT ON AGGREGATE @extschema@.logrank_test(pg_catalog.text, @extschema@.survival, pg_catalog.float8) IS 'G-rho test of whether the survival of the groups differs, weights S(t-)^rho (1: Peto-Peto), as R''s survdiff(rho = rho)';
--
-- Cox proportional-hazards regression: the cox_model type, cox_regression,
-- cox_terms and cox_stats
--

CREATE TYPE @extschema@.cox_model;

CREATE FUNCTION @extschema@.cox_model_in(pg_catalog.cstring)
RETURNS @extschema@.cox_model
AS 'MODULE_PATHNAME', 'cox_model_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_model_out(@extschema@.cox_model)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'cox_model_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_model_recv(pg_catalog.internal)
RETURNS @extschema@.cox_model
AS 'MODULE_PATHNAME', 'cox_model_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_model_send(@extschema@.cox_model)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'cox_model_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cox_model (
	INPUT = @extschema@.cox_model_in,
	OUTPUT = @extschema@.cox_model_out,
	RECEIVE = @extschema@.cox_model_recv,
	SEND = @extschema@.cox_model_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE @extschema@.cox_model IS 'a fitted Cox proportional-hazards model: coefficients, their covariance, log-likelihoods and tests, as R''s coxph';
COMMENT ON FUNCTION @extschema@.cox_model_in(pg_catalog.cstring) IS 'text input of cox_model';
COMMENT ON FUNCTION @extschema@.cox_model_out(@extschema@.cox_model) IS 'text output of cox_model';
COMMENT ON FUNCTION @extschema@.cox_model_recv(pg_catalog.internal) IS 'binary input of cox_model';
COMMENT ON FUNCTION @extschema@.cox_model_send(@extschema@.cox_model) IS 'binary output of cox_model';

CREATE TYPE @extschema@.cox_model_stats AS (
	n pg_catalog.int8,
	events pg_catalog.int8,
	iterations pg_catalog.int4,
	converged pg_catalog.bool,
	loglik_null pg_catalog.float8,
	loglik pg_catalog.float8,
	lr_chisq pg_catalog.float8,
	lr_df pg_catalog.int4,
	lr_p pg_catalog.float8,
	wald_chisq pg_catalog.float8,
	score_chisq pg_catalog.float8,
	wald_p pg_catalog.float8,
	score_p pg_catalog.float8
);

COMMENT ON TYPE @extschema@.cox_model_stats IS 'the fit of a Cox model: rows, events, iterations, convergence, log-likelihoods, and the likelihood-ratio, Wald and score tests on lr_df degrees of freedom';

CREATE FUNCTION @extschema@.cox_regression_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[])
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cox_regression_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cox_regression_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text, pg_catalog.text)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cox_regression_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_spell_accum(pg_catalog.internal, pg_catalog.daterange, pg_catalog.date, pg_catalog.float8[])
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cox_regression_spell_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_spell_accum(pg_catalog.internal, pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.float8[])
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cox_regression_spell_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cox_regression_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'cox_regression_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'cox_regression_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cox_regression_final(pg_catalog.internal)
RETURNS @extschema@.cox_model
AS 'MODULE_PATHNAME', 'cox_regression_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.cox_regression_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[]) IS 'transition function of cox_regression(entry, exit, event, covariates)';
COMMENT ON FUNCTION @extschema@.cox_regression_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text) IS 'transition function of cox_regression(entry, exit, event, covariates, stratum)';
COMMENT ON FUNCTION @extschema@.cox_regression_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text, pg_catalog.text) IS 'transition function of cox_regression(entry, exit, event, covariates, stratum, ties)';
COMMENT ON FUNCTION @extschema@.cox_regression_spell_accum(pg_catalog.internal, pg_catalog.daterange, pg_catalog.date, pg_catalog.float8[]) IS 'transition function of cox_regression over date spells';
COMMENT ON FUNCTION @extschema@.cox_regression_spell_accum(pg_catalog.internal, pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.float8[]) IS 'transition function of cox_regression over timestamp spells';
COMMENT ON FUNCTION @extschema@.cox_regression_combine(pg_catalog.internal, pg_catalog.internal) IS 'combine function of cox_regression';
COMMENT ON FUNCTION @extschema@.cox_regression_serialize(pg_catalog.internal) IS 'serialize function of cox_regression';
COMMENT ON FUNCTION @extschema@.cox_regression_deserialize(pg_catalog.bytea, pg_catalog.internal) IS 'deserialize function of cox_regression';
COMMENT ON FUNCTION @extschema@.cox_regression_final(pg_catalog.internal) IS 'final function of cox_regression: the fit';

CREATE AGGREGATE @extschema@.cox_regression(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[]) (
	SFUNC = @extschema@.cox_regression_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.cox_regression_final,
	COMBINEFUNC = @extschema@.cox_regression_combine,
	SERIALFUNC = @extschema@.cox_regression_serialize,
	DESERIALFUNC = @extschema@.cox_regression_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.cox_regression(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text) (
	SFUNC = @extschema@.cox_regression_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.cox_regression_final,
	COMBINEFUNC = @extschema@.cox_regression_combine,
	SERIALFUNC = @extschema@.cox_regression_serialize,
	DESERIALFUNC = @extschema@.cox_regression_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.cox_regression(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text, pg_catalog.text) (
	SFUNC = @extschema@.cox_regression_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.cox_regression_final,
	COMBINEFUNC = @extschema@.cox_regression_combine,
	SERIALFUNC = @extschema@.cox_regression_serialize,
	DESERIALFUNC = @extschema@.cox_regression_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.cox_regression(pg_catalog.daterange, pg_catalog.date, pg_catalog.float8[]) (
	SFUNC = @extschema@.cox_regression_spell_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.cox_regression_final,
	COMBINEFUNC = @extschema@.cox_regression_combine,
	SERIALFUNC = @extschema@.cox_regression_serialize,
	DESERIALFUNC = @extschema@.cox_regression_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.cox_regression(pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.float8[]) (
	SFUNC = @extschema@.cox_regression_spell_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.cox_regression_final,
	COMBINEFUNC = @extschema@.cox_regression_combine,
	SERIALFUNC = @extschema@.cox_regression_serialize,
	DESERIALFUNC = @extschema@.cox_regression_deserialize, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.cox_regression(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[]) IS 'Cox proportional-hazards regression of rows at risk on (entry, exit], Efron ties, as R''s coxph(Surv(entry, exit, event) ~ covariates); rows with a NULL skipped';
COMMENT ON AGGREGATE @extschema@.cox_regression(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text) IS 'Cox regression with a baseline hazard per stratum, as coxph(... + strata(stratum)), Efron ties; rows with a NULL skipped';
COMMENT ON AGGREGATE @extschema@.cox_regression(pg_catalog.float8, pg_catalog.float8, pg_catalog.bool, pg_catalog.float8[], pg_catalog.text, pg_catalog.text) IS 'Cox regression with a baseline hazard per stratum, ties ''efron'' or ''breslow''; rows with a NULL skipped';
COMMENT ON AGGREGATE @extschema@.cox_regression(pg_catalog.daterange, pg_catalog.date, pg_catalog.float8[]) IS 'Cox regression of date spells seen at as_of, time in days from the start: ended spells are events, the others censored (Efron ties)';
COMMENT ON AGGREGATE @extschema@.cox_regression(pg_catalog.tstzrange, pg_catalog.timestamptz, pg_catalog.float8[]) IS 'Cox regression of timestamp spells seen at as_of, time in fractional days from the start: ended spells are events, the others censored (Efron ties)';

CREATE FUNCTION @extschema@.cox_terms(m @extschema@.cox_model, names pg_catalog.text[] DEFAULT NULL,
	confidence pg_catalog.float8 DEFAULT 0.95,
	OUT term pg_catalog.int4, OUT name pg_catalog.text, OUT coef pg_catalog.float8,
	OUT hazard_ratio pg_catalog.float8, OUT std_err pg_catalog.float8, OUT z pg_catalog.float8,
	OUT p_value pg_catalog.float8, OUT ci_low pg_catalog.float8, OUT ci_high pg_catalog.float8)
RETURNS SETOF pg_catalog.record
AS 'MODULE_PATHNAME', 'cox_terms'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 8;

CREATE FUNCTION @extschema@.cox_stats(m @extschema@.cox_model)
RETURNS @extschema@.cox_model_stats
AS 'MODULE_PATHNAME', 'cox_stats'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.cox_terms(@extschema@.cox_model, pg_catalog.text[], pg_catalog.float8) IS 'the coefficients of a Cox model as summary(coxph) shows them: hazard ratio, standard error, Wald z and p, and the interval of the hazard ratio (95%, or the confidence given); names label the covariates in order';
COMMENT ON FUNCTION @extschema@.cox_stats(@extschema@.cox_model) IS 'the fit of a Cox model: rows, events, iterations, convergence, log-likelihoods, likelihood-ratio, Wald and score tests';
