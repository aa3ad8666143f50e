/* peoplefirst--1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION peoplefirst" to load this file. \quit

--
-- relstrength: the strength of one relationship (or of many, rolled up),
-- summarized from its interaction history
--

CREATE TYPE @extschema@.relstrength;

CREATE FUNCTION @extschema@.relstrength_in(pg_catalog.cstring)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_out(@extschema@.relstrength)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'relstrength_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_recv(pg_catalog.internal)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_send(@extschema@.relstrength)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'relstrength_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.relstrength (
	INPUT = @extschema@.relstrength_in,
	OUTPUT = @extschema@.relstrength_out,
	RECEIVE = @extschema@.relstrength_recv,
	SEND = @extschema@.relstrength_send,
	INTERNALLENGTH = 88,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE @extschema@.relstrength IS
'summary of a relationship''s interaction history: count, first and last interaction, exponentially decayed weight, direction and sentiment';
COMMENT ON FUNCTION @extschema@.relstrength_in(pg_catalog.cstring) IS 'text input of relstrength';
COMMENT ON FUNCTION @extschema@.relstrength_out(@extschema@.relstrength) IS 'text output of relstrength';
COMMENT ON FUNCTION @extschema@.relstrength_recv(pg_catalog.internal) IS 'binary input of relstrength';
COMMENT ON FUNCTION @extschema@.relstrength_send(@extschema@.relstrength) IS 'binary output of relstrength';

-- transition functions of strength_agg: not strict, they skip NULL rows themselves
CREATE FUNCTION @extschema@.strength_agg_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'strength_agg_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.strength_agg_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'strength_agg_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.strength_agg_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'strength_agg_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_combine(@extschema@.relstrength, @extschema@.relstrength)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.strength_agg_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval) IS 'transition function of strength_agg(at, half_life)';
COMMENT ON FUNCTION @extschema@.strength_agg_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8) IS 'transition function of strength_agg(at, half_life, weight)';
COMMENT ON FUNCTION @extschema@.strength_agg_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) IS 'transition function of strength_agg(at, half_life, weight, sentiment, inbound)';
COMMENT ON FUNCTION @extschema@.relstrength_combine(@extschema@.relstrength, @extschema@.relstrength) IS 'merges two relstrength summaries (transition and combine function of rollup, combine function of strength_agg)';

CREATE AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval) (
	SFUNC = @extschema@.strength_agg_accum,
	STYPE = @extschema@.relstrength,
	COMBINEFUNC = @extschema@.relstrength_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8) (
	SFUNC = @extschema@.strength_agg_accum,
	STYPE = @extschema@.relstrength,
	COMBINEFUNC = @extschema@.relstrength_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) (
	SFUNC = @extschema@.strength_agg_accum,
	STYPE = @extschema@.relstrength,
	COMBINEFUNC = @extschema@.relstrength_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval) IS 'relationship strength summary of interactions at the given times, each of weight 1';
COMMENT ON AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8) IS 'relationship strength summary of weighted interactions';
COMMENT ON AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) IS 'relationship strength summary of weighted interactions with sentiment in [-1, 1] and direction (inbound true = initiated by the other party)';

CREATE AGGREGATE @extschema@.rollup(@extschema@.relstrength) (
	SFUNC = @extschema@.relstrength_combine,
	STYPE = @extschema@.relstrength,
	COMBINEFUNC = @extschema@.relstrength_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.relstrength) IS 'merges relstrength summaries into the summary of all their interactions';

CREATE FUNCTION @extschema@.relstrength_add(@extschema@.relstrength, @extschema@.relstrength)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.relstrength_add(@extschema@.relstrength, @extschema@.relstrength) IS 'merges two relstrength summaries (the + operator)';

CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.relstrength,
	RIGHTARG = @extschema@.relstrength,
	FUNCTION = @extschema@.relstrength_add,
	COMMUTATOR = OPERATOR(@extschema@.+)
);

COMMENT ON OPERATOR @extschema@.+ (@extschema@.relstrength, @extschema@.relstrength) IS 'merges two relstrength summaries';

-- relstrength: equality and a consistent order on the stored form, for DISTINCT,
-- GROUP BY, UNION, sorting and indexes (the order means nothing statistically)
CREATE FUNCTION @extschema@.relstrength_eq(@extschema@.relstrength, @extschema@.relstrength)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'relstrength_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.relstrength_ne(@extschema@.relstrength, @extschema@.relstrength)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'relstrength_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.relstrength_lt(@extschema@.relstrength, @extschema@.relstrength)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'relstrength_lt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.relstrength_le(@extschema@.relstrength, @extschema@.relstrength)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'relstrength_le'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.relstrength_gt(@extschema@.relstrength, @extschema@.relstrength)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'relstrength_gt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.relstrength_ge(@extschema@.relstrength, @extschema@.relstrength)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'relstrength_ge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.relstrength_cmp(@extschema@.relstrength, @extschema@.relstrength)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'relstrength_cmp'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_hash(@extschema@.relstrength)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'relstrength_hash'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_hash_extended(@extschema@.relstrength, pg_catalog.int8)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'relstrength_hash_extended'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.relstrength_eq(@extschema@.relstrength, @extschema@.relstrength) IS 'whether the first relstrength is equal the second (the = operator)';
COMMENT ON FUNCTION @extschema@.relstrength_ne(@extschema@.relstrength, @extschema@.relstrength) IS 'whether the first relstrength is not equal the second (the <> operator)';
COMMENT ON FUNCTION @extschema@.relstrength_lt(@extschema@.relstrength, @extschema@.relstrength) IS 'whether the first relstrength is less than the second (the < operator)';
COMMENT ON FUNCTION @extschema@.relstrength_le(@extschema@.relstrength, @extschema@.relstrength) IS 'whether the first relstrength is less than or equal the second (the <= operator)';
COMMENT ON FUNCTION @extschema@.relstrength_gt(@extschema@.relstrength, @extschema@.relstrength) IS 'whether the first relstrength is greater than the second (the > operator)';
COMMENT ON FUNCTION @extschema@.relstrength_ge(@extschema@.relstrength, @extschema@.relstrength) IS 'whether the first relstrength is greater than or equal the second (the >= operator)';
COMMENT ON FUNCTION @extschema@.relstrength_cmp(@extschema@.relstrength, @extschema@.relstrength) IS '-1, 0 or 1 as the first relstrength sorts before, equal to or after the second (btree support)';
COMMENT ON FUNCTION @extschema@.relstrength_hash(@extschema@.relstrength) IS 'hash of a relstrength (hash support)';
COMMENT ON FUNCTION @extschema@.relstrength_hash_extended(@extschema@.relstrength, pg_catalog.int8) IS 'seeded 64-bit hash of a relstrength (hash support)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.relstrength,
	RIGHTARG = @extschema@.relstrength,
	FUNCTION = @extschema@.relstrength_eq,
	COMMUTATOR = OPERATOR(@extschema@.=),
	NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel,
	JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.relstrength,
	RIGHTARG = @extschema@.relstrength,
	FUNCTION = @extschema@.relstrength_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>),
	NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel,
	JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.relstrength,
	RIGHTARG = @extschema@.relstrength,
	FUNCTION = @extschema@.relstrength_lt,
	COMMUTATOR = OPERATOR(@extschema@.>),
	NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel,
	JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.relstrength,
	RIGHTARG = @extschema@.relstrength,
	FUNCTION = @extschema@.relstrength_le,
	COMMUTATOR = OPERATOR(@extschema@.>=),
	NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel,
	JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.relstrength,
	RIGHTARG = @extschema@.relstrength,
	FUNCTION = @extschema@.relstrength_gt,
	COMMUTATOR = OPERATOR(@extschema@.<),
	NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel,
	JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.relstrength,
	RIGHTARG = @extschema@.relstrength,
	FUNCTION = @extschema@.relstrength_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=),
	NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel,
	JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.relstrength, @extschema@.relstrength) IS 'equal';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.relstrength, @extschema@.relstrength) IS 'not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.relstrength, @extschema@.relstrength) IS 'less than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.relstrength, @extschema@.relstrength) IS 'less than or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.relstrength, @extschema@.relstrength) IS 'greater than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.relstrength, @extschema@.relstrength) IS 'greater than or equal';

CREATE OPERATOR CLASS @extschema@.relstrength_ops
DEFAULT FOR TYPE @extschema@.relstrength USING btree AS
	OPERATOR 1 @extschema@.< ,
	OPERATOR 2 @extschema@.<= ,
	OPERATOR 3 @extschema@.= ,
	OPERATOR 4 @extschema@.>= ,
	OPERATOR 5 @extschema@.> ,
	FUNCTION 1 @extschema@.relstrength_cmp(@extschema@.relstrength, @extschema@.relstrength);

CREATE OPERATOR CLASS @extschema@.relstrength_hash_ops
DEFAULT FOR TYPE @extschema@.relstrength USING hash AS
	OPERATOR 1 @extschema@.= ,
	FUNCTION 1 @extschema@.relstrength_hash(@extschema@.relstrength),
	FUNCTION 2 @extschema@.relstrength_hash_extended(@extschema@.relstrength, pg_catalog.int8);

-- accessors

CREATE FUNCTION @extschema@.interactions(@extschema@.relstrength)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'relstrength_interactions'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.first_interaction(@extschema@.relstrength)
RETURNS pg_catalog.timestamptz
AS 'MODULE_PATHNAME', 'relstrength_first_interaction'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.last_interaction(@extschema@.relstrength)
RETURNS pg_catalog.timestamptz
AS 'MODULE_PATHNAME', 'relstrength_last_interaction'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.intensity(@extschema@.relstrength, pg_catalog.timestamptz)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'relstrength_intensity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.strength(@extschema@.relstrength, pg_catalog.timestamptz)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'relstrength_strength'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.reciprocity(@extschema@.relstrength)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'relstrength_reciprocity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.sentiment(@extschema@.relstrength)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'relstrength_sentiment'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.tenure(@extschema@.relstrength, pg_catalog.timestamptz)
RETURNS pg_catalog.interval
AS 'MODULE_PATHNAME', 'relstrength_tenure'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.recency(@extschema@.relstrength, pg_catalog.timestamptz)
RETURNS pg_catalog.interval
AS 'MODULE_PATHNAME', 'relstrength_recency'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.half_life(@extschema@.relstrength)
RETURNS pg_catalog.interval
AS 'MODULE_PATHNAME', 'relstrength_half_life'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.interactions(@extschema@.relstrength) IS 'number of interactions summarized, zero-weight ones included';
COMMENT ON FUNCTION @extschema@.first_interaction(@extschema@.relstrength) IS 'time of the earliest interaction';
COMMENT ON FUNCTION @extschema@.last_interaction(@extschema@.relstrength) IS 'time of the latest interaction';
COMMENT ON FUNCTION @extschema@.intensity(@extschema@.relstrength, pg_catalog.timestamptz) IS 'sum of interaction weights decayed to as_of: w * 2^(-(as_of - t)/half_life)';
COMMENT ON FUNCTION @extschema@.strength(@extschema@.relstrength, pg_catalog.timestamptz) IS 'relationship strength in [0, 1) as of a time: x/(1+x) with x = ln 2 * intensity';
COMMENT ON FUNCTION @extschema@.reciprocity(@extschema@.relstrength) IS 'balance of inbound and outbound decayed weight: 1 balanced, 0 one-way, NULL without directed weight';
COMMENT ON FUNCTION @extschema@.sentiment(@extschema@.relstrength) IS 'decay-weighted mean sentiment in [-1, 1], NULL without sentiment-bearing weight';
COMMENT ON FUNCTION @extschema@.tenure(@extschema@.relstrength, pg_catalog.timestamptz) IS 'as_of minus the first interaction';
COMMENT ON FUNCTION @extschema@.recency(@extschema@.relstrength, pg_catalog.timestamptz) IS 'as_of minus the last interaction';
COMMENT ON FUNCTION @extschema@.half_life(@extschema@.relstrength) IS 'the half-life the summary decays with';

--
-- key-person concentration
--

CREATE FUNCTION @extschema@.concentration_accum(pg_catalog.float8[], pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'concentration_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.concentration_combine(pg_catalog.float8[], pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'concentration_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.concentration_final(pg_catalog.float8[])
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'concentration_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.top_share_final(pg_catalog.float8[])
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'top_share_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.concentration_accum(pg_catalog.float8[], pg_catalog.float8) IS 'transition function of concentration and top_share';
COMMENT ON FUNCTION @extschema@.concentration_combine(pg_catalog.float8[], pg_catalog.float8[]) IS 'combine function of concentration and top_share';
COMMENT ON FUNCTION @extschema@.concentration_final(pg_catalog.float8[]) IS 'final function of concentration';
COMMENT ON FUNCTION @extschema@.top_share_final(pg_catalog.float8[]) IS 'final function of top_share';

CREATE AGGREGATE @extschema@.concentration(pg_catalog.float8) (
	SFUNC = @extschema@.concentration_accum,
	STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.concentration_final,
	COMBINEFUNC = @extschema@.concentration_combine,
	INITCOND = '{0,0,0}',
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.top_share(pg_catalog.float8) (
	SFUNC = @extschema@.concentration_accum,
	STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.top_share_final,
	COMBINEFUNC = @extschema@.concentration_combine,
	INITCOND = '{0,0,0}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE @extschema@.concentration(pg_catalog.float8) IS 'Herfindahl index sum(x^2)/sum(x)^2 of non-negative amounts: 1 when one holds everything';
COMMENT ON AGGREGATE @extschema@.top_share(pg_catalog.float8) IS 'largest share max(x)/sum(x) of non-negative amounts';

--
-- relationships as spells: turnover, churn and retention over a period
--

CREATE TYPE @extschema@.spell_stats AS (
	active_start pg_catalog.int8,
	active_end pg_catalog.int8,
	avg_active pg_catalog.float8,
	starts pg_catalog.int8,
	ends pg_catalog.int8,
	ends_voluntary pg_catalog.int8,
	ends_from_start pg_catalog.int8,
	turnover_rate pg_catalog.float8,
	annualized_turnover_rate pg_catalog.float8,
	churn_rate pg_catalog.float8,
	retention_rate pg_catalog.float8
);

COMMENT ON TYPE @extschema@.spell_stats IS 'headcounts, starts, ends and turnover, churn and retention rates of spells over a period';

CREATE FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.daterange, pg_catalog.daterange)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'spell_stats_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.daterange, pg_catalog.daterange, pg_catalog.bool)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'spell_stats_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.tstzrange, pg_catalog.tstzrange)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'spell_stats_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.tstzrange, pg_catalog.tstzrange, pg_catalog.bool)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'spell_stats_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.spell_stats_combine(pg_catalog.bytea, pg_catalog.bytea)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'spell_stats_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.spell_stats_final(pg_catalog.bytea)
RETURNS @extschema@.spell_stats
AS 'MODULE_PATHNAME', 'spell_stats_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.turnover_rate_final(pg_catalog.bytea)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'turnover_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.churn_rate_final(pg_catalog.bytea)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'churn_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.retention_rate_final(pg_catalog.bytea)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'retention_rate_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.daterange, pg_catalog.daterange) IS 'transition function of the spell aggregates over dateranges';
COMMENT ON FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.daterange, pg_catalog.daterange, pg_catalog.bool) IS 'transition function of spell_stats over dateranges with a voluntary flag';
COMMENT ON FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.tstzrange, pg_catalog.tstzrange) IS 'transition function of the spell aggregates over tstzranges';
COMMENT ON FUNCTION @extschema@.spell_stats_accum(pg_catalog.bytea, pg_catalog.tstzrange, pg_catalog.tstzrange, pg_catalog.bool) IS 'transition function of spell_stats over tstzranges with a voluntary flag';
COMMENT ON FUNCTION @extschema@.spell_stats_combine(pg_catalog.bytea, pg_catalog.bytea) IS 'combine function of the spell aggregates';
COMMENT ON FUNCTION @extschema@.spell_stats_final(pg_catalog.bytea) IS 'final function of spell_stats';
COMMENT ON FUNCTION @extschema@.turnover_rate_final(pg_catalog.bytea) IS 'final function of turnover_rate';
COMMENT ON FUNCTION @extschema@.churn_rate_final(pg_catalog.bytea) IS 'final function of churn_rate';
COMMENT ON FUNCTION @extschema@.retention_rate_final(pg_catalog.bytea) IS 'final function of retention_rate';

CREATE AGGREGATE @extschema@.spell_stats(pg_catalog.daterange, pg_catalog.daterange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.spell_stats_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.spell_stats(pg_catalog.daterange, pg_catalog.daterange, pg_catalog.bool) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.spell_stats_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.spell_stats(pg_catalog.tstzrange, pg_catalog.tstzrange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.spell_stats_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.spell_stats(pg_catalog.tstzrange, pg_catalog.tstzrange, pg_catalog.bool) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.spell_stats_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);

CREATE AGGREGATE @extschema@.turnover_rate(pg_catalog.daterange, pg_catalog.daterange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.turnover_rate_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.turnover_rate(pg_catalog.tstzrange, pg_catalog.tstzrange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.turnover_rate_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.churn_rate(pg_catalog.daterange, pg_catalog.daterange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.churn_rate_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.churn_rate(pg_catalog.tstzrange, pg_catalog.tstzrange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.churn_rate_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.retention_rate(pg_catalog.daterange, pg_catalog.daterange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.retention_rate_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.retention_rate(pg_catalog.tstzrange, pg_catalog.tstzrange) (
	SFUNC = @extschema@.spell_stats_accum, STYPE = pg_catalog.bytea,
	FINALFUNC = @extschema@.retention_rate_final,
	COMBINEFUNC = @extschema@.spell_stats_combine, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.spell_stats(pg_catalog.daterange, pg_catalog.daterange) IS 'headcounts, starts, ends and turnover, churn and retention of date spells over a period';
COMMENT ON AGGREGATE @extschema@.spell_stats(pg_catalog.daterange, pg_catalog.daterange, pg_catalog.bool) IS 'spell_stats of date spells, counting voluntary ends';
COMMENT ON AGGREGATE @extschema@.spell_stats(pg_catalog.tstzrange, pg_catalog.tstzrange) IS 'headcounts, starts, ends and turnover, churn and retention of timestamp spells over a period';
COMMENT ON AGGREGATE @extschema@.spell_stats(pg_catalog.tstzrange, pg_catalog.tstzrange, pg_catalog.bool) IS 'spell_stats of timestamp spells, counting voluntary ends';
COMMENT ON AGGREGATE @extschema@.turnover_rate(pg_catalog.daterange, pg_catalog.daterange) IS 'ends in the period over the average number of active spells';
COMMENT ON AGGREGATE @extschema@.turnover_rate(pg_catalog.tstzrange, pg_catalog.tstzrange) IS 'ends in the period over the average number of active spells';
COMMENT ON AGGREGATE @extschema@.churn_rate(pg_catalog.daterange, pg_catalog.daterange) IS 'share of the spells active at the start of the period that end in it';
COMMENT ON AGGREGATE @extschema@.churn_rate(pg_catalog.tstzrange, pg_catalog.tstzrange) IS 'share of the spells active at the start of the period that end in it';
COMMENT ON AGGREGATE @extschema@.retention_rate(pg_catalog.daterange, pg_catalog.daterange) IS 'share of the spells active at the start of the period that do not end in it';
COMMENT ON AGGREGATE @extschema@.retention_rate(pg_catalog.tstzrange, pg_catalog.tstzrange) IS 'share of the spells active at the start of the period that do not end in it';

--
-- survival: Kaplan–Meier tenure survival as a mergeable summary
--

CREATE TYPE @extschema@.survival;

CREATE FUNCTION @extschema@.survival_in(pg_catalog.cstring)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'survival_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_out(@extschema@.survival)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME', 'survival_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_recv(pg_catalog.internal)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'survival_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_send(@extschema@.survival)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'survival_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.survival (
	INPUT = @extschema@.survival_in,
	OUTPUT = @extschema@.survival_out,
	RECEIVE = @extschema@.survival_recv,
	SEND = @extschema@.survival_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);

COMMENT ON TYPE @extschema@.survival IS 'Kaplan–Meier summary of spell durations: events and censorings per distinct duration';
COMMENT ON FUNCTION @extschema@.survival_in(pg_catalog.cstring) IS 'text input of survival';
COMMENT ON FUNCTION @extschema@.survival_out(@extschema@.survival) IS 'text output of survival';
COMMENT ON FUNCTION @extschema@.survival_recv(pg_catalog.internal) IS 'binary input of survival';
COMMENT ON FUNCTION @extschema@.survival_send(@extschema@.survival) IS 'binary output of survival';

CREATE FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.daterange, pg_catalog.date)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'tenure_survival_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.tstzrange, pg_catalog.timestamptz)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'tenure_survival_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_combine(@extschema@.survival, @extschema@.survival)
RETURNS @extschema@.survival
AS 'MODULE_PATHNAME', 'survival_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.daterange, pg_catalog.date) IS 'transition function of tenure_survival over dateranges';
COMMENT ON FUNCTION @extschema@.tenure_survival_accum(@extschema@.survival, pg_catalog.tstzrange, pg_catalog.timestamptz) IS 'transition function of tenure_survival over tstzranges';
COMMENT ON FUNCTION @extschema@.survival_combine(@extschema@.survival, @extschema@.survival) IS 'the union of two survival summaries, NULL ones skipped (transition and combine function of rollup(survival), combine function of tenure_survival)';

-- The state is a survival (built in place while the aggregate runs), so
-- partial aggregates, in parallel workers or on Citus workers, hand on a
-- plain survival value: no serialize functions, no final function.
CREATE AGGREGATE @extschema@.tenure_survival(pg_catalog.daterange, pg_catalog.date) (
	SFUNC = @extschema@.tenure_survival_accum, STYPE = @extschema@.survival,
	COMBINEFUNC = @extschema@.survival_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.tenure_survival(pg_catalog.tstzrange, pg_catalog.timestamptz) (
	SFUNC = @extschema@.tenure_survival_accum, STYPE = @extschema@.survival,
	COMBINEFUNC = @extschema@.survival_combine, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.rollup(@extschema@.survival) (
	SFUNC = @extschema@.survival_combine, STYPE = @extschema@.survival,
	COMBINEFUNC = @extschema@.survival_combine, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.tenure_survival(pg_catalog.daterange, pg_catalog.date) IS 'Kaplan–Meier summary of date spells seen at as_of: ended spells are events, the others censored';
COMMENT ON AGGREGATE @extschema@.tenure_survival(pg_catalog.tstzrange, pg_catalog.timestamptz) IS 'Kaplan–Meier summary of timestamp spells seen at as_of: ended spells are events, the others censored';
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.survival) IS 'merges survival summaries into the summary of all their spells';

CREATE FUNCTION @extschema@.survival_at(@extschema@.survival, pg_catalog.interval)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'survival_at'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.median_tenure(@extschema@.survival)
RETURNS pg_catalog.interval
AS 'MODULE_PATHNAME', 'survival_median_tenure'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_curve(s @extschema@.survival, confidence pg_catalog.float8 DEFAULT 0.95,
	OUT tenure pg_catalog.interval, OUT at_risk pg_catalog.int8, OUT events pg_catalog.int8,
	OUT censored pg_catalog.int8, OUT survival pg_catalog.float8,
	OUT ci_low pg_catalog.float8, OUT ci_high pg_catalog.float8)
RETURNS SETOF pg_catalog.record
AS 'MODULE_PATHNAME', 'survival_curve'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

COMMENT ON FUNCTION @extschema@.survival_at(@extschema@.survival, pg_catalog.interval) IS 'Kaplan–Meier estimate S(t) of staying longer than a tenure';
COMMENT ON FUNCTION @extschema@.median_tenure(@extschema@.survival) IS 'smallest tenure with S <= 0.5, NULL if S never falls that low';
COMMENT ON FUNCTION @extschema@.survival_curve(@extschema@.survival, pg_catalog.float8) IS 'Kaplan–Meier table: one row per distinct tenure with at-risk, events, censored, S and its log-log confidence interval (Greenwood variance)';

-- survival: equality and a consistent order on the stored form, for DISTINCT,
-- GROUP BY, UNION, sorting and indexes (the order means nothing statistically)
CREATE FUNCTION @extschema@.survival_eq(@extschema@.survival, @extschema@.survival)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'survival_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.survival_ne(@extschema@.survival, @extschema@.survival)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'survival_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.survival_lt(@extschema@.survival, @extschema@.survival)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'survival_lt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.survival_le(@extschema@.survival, @extschema@.survival)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'survival_le'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.survival_gt(@extschema@.survival, @extschema@.survival)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'survival_gt'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.survival_ge(@extschema@.survival, @extschema@.survival)
RETURNS pg_catalog.bool
AS 'MODULE_PATHNAME', 'survival_ge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.survival_cmp(@extschema@.survival, @extschema@.survival)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'survival_cmp'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_hash(@extschema@.survival)
RETURNS pg_catalog.int4
AS 'MODULE_PATHNAME', 'survival_hash'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.survival_hash_extended(@extschema@.survival, pg_catalog.int8)
RETURNS pg_catalog.int8
AS 'MODULE_PATHNAME', 'survival_hash_extended'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.survival_eq(@extschema@.survival, @extschema@.survival) IS 'whether the first survival is equal the second (the = operator)';
COMMENT ON FUNCTION @extschema@.survival_ne(@extschema@.survival, @extschema@.survival) IS 'whether the first survival is not equal the second (the <> operator)';
COMMENT ON FUNCTION @extschema@.survival_lt(@extschema@.survival, @extschema@.survival) IS 'whether the first survival is less than the second (the < operator)';
COMMENT ON FUNCTION @extschema@.survival_le(@extschema@.survival, @extschema@.survival) IS 'whether the first survival is less than or equal the second (the <= operator)';
COMMENT ON FUNCTION @extschema@.survival_gt(@extschema@.survival, @extschema@.survival) IS 'whether the first survival is greater than the second (the > operator)';
COMMENT ON FUNCTION @extschema@.survival_ge(@extschema@.survival, @extschema@.survival) IS 'whether the first survival is greater than or equal the second (the >= operator)';
COMMENT ON FUNCTION @extschema@.survival_cmp(@extschema@.survival, @extschema@.survival) IS '-1, 0 or 1 as the first survival sorts before, equal to or after the second (btree support)';
COMMENT ON FUNCTION @extschema@.survival_hash(@extschema@.survival) IS 'hash of a survival (hash support)';
COMMENT ON FUNCTION @extschema@.survival_hash_extended(@extschema@.survival, pg_catalog.int8) IS 'seeded 64-bit hash of a survival (hash support)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.survival,
	RIGHTARG = @extschema@.survival,
	FUNCTION = @extschema@.survival_eq,
	COMMUTATOR = OPERATOR(@extschema@.=),
	NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel,
	JOIN = pg_catalog.eqjoinsel,
	HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.survival,
	RIGHTARG = @extschema@.survival,
	FUNCTION = @extschema@.survival_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>),
	NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel,
	JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.survival,
	RIGHTARG = @extschema@.survival,
	FUNCTION = @extschema@.survival_lt,
	COMMUTATOR = OPERATOR(@extschema@.>),
	NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel,
	JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.survival,
	RIGHTARG = @extschema@.survival,
	FUNCTION = @extschema@.survival_le,
	COMMUTATOR = OPERATOR(@extschema@.>=),
	NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel,
	JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.survival,
	RIGHTARG = @extschema@.survival,
	FUNCTION = @extschema@.survival_gt,
	COMMUTATOR = OPERATOR(@extschema@.<),
	NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel,
	JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.survival,
	RIGHTARG = @extschema@.survival,
	FUNCTION = @extschema@.survival_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=),
	NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel,
	JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.survival, @extschema@.survival) IS 'equal';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.survival, @extschema@.survival) IS 'not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.survival, @extschema@.survival) IS 'less than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.survival, @extschema@.survival) IS 'less than or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.survival, @extschema@.survival) IS 'greater than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.survival, @extschema@.survival) IS 'greater than or equal';

CREATE OPERATOR CLASS @extschema@.survival_ops
DEFAULT FOR TYPE @extschema@.survival USING btree AS
	OPERATOR 1 @extschema@.< ,
	OPERATOR 2 @extschema@.<= ,
	OPERATOR 3 @extschema@.= ,
	OPERATOR 4 @extschema@.>= ,
	OPERATOR 5 @extschema@.> ,
	FUNCTION 1 @extschema@.survival_cmp(@extschema@.survival, @extschema@.survival);

CREATE OPERATOR CLASS @extschema@.survival_hash_ops
DEFAULT FOR TYPE @extschema@.survival USING hash AS
	OPERATOR 1 @extschema@.= ,
	FUNCTION 1 @extschema@.survival_hash(@extschema@.survival),
	FUNCTION 2 @extschema@.survival_hash_extended(@extschema@.survival, pg_catalog.int8);

--
-- turnover correlation: tests of association with p-values and intervals
--

CREATE TYPE @extschema@.corr_method AS ENUM ('pearson', 'spearman', 'kendall');

COMMENT ON TYPE @extschema@.corr_method IS 'the method of corr_test: pearson, spearman or kendall (an enum, so that postgres_fdw can ship corr_test with a method)';

CREATE TYPE @extschema@.correlation AS (
	method pg_catalog.text,
	n pg_catalog.int8,
	r pg_catalog.float8,
	p_value pg_catalog.float8,
	ci_low pg_catalog.float8,
	ci_high pg_catalog.float8,
	confidence pg_catalog.float8
);

COMMENT ON TYPE @extschema@.correlation IS 'a correlation coefficient with its two-sided p-value and confidence interval';

CREATE TYPE @extschema@.relative_risk AS (
	exposed_n pg_catalog.int8,
	exposed_events pg_catalog.int8,
	unexposed_n pg_catalog.int8,
	unexposed_events pg_catalog.int8,
	risk_exposed pg_catalog.float8,
	risk_unexposed pg_catalog.float8,
	ratio pg_catalog.float8,
	ci_low pg_catalog.float8,
	ci_high pg_catalog.float8,
	p_value pg_catalog.float8
);

COMMENT ON TYPE @extschema@.relative_risk IS 'a 2x2 table with the risk ratio, its 95% Katz interval and the two-sided Fisher exact p-value';

CREATE TYPE @extschema@.nps_stats AS (
	n pg_catalog.int8,
	promoters pg_catalog.int8,
	passives pg_catalog.int8,
	detractors pg_catalog.int8,
	nps pg_catalog.float8,
	margin_of_error pg_catalog.float8
);

COMMENT ON TYPE @extschema@.nps_stats IS 'net promoter score with its counts and 95% margin of error';

-- Pearson with a float8[] state

CREATE FUNCTION @extschema@.corr_test_pearson_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'corr_test_pearson_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_pearson_combine(pg_catalog.float8[], pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'corr_test_pearson_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_pearson_final(pg_catalog.float8[])
RETURNS @extschema@.correlation
AS 'MODULE_PATHNAME', 'corr_test_pearson_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.corr_test_pearson_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8) IS 'transition function of corr_test(x, y)';
COMMENT ON FUNCTION @extschema@.corr_test_pearson_combine(pg_catalog.float8[], pg_catalog.float8[]) IS 'combine function of corr_test(x, y)';
COMMENT ON FUNCTION @extschema@.corr_test_pearson_final(pg_catalog.float8[]) IS 'final function of corr_test(x, y)';

CREATE AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.corr_test_pearson_accum, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.corr_test_pearson_final,
	COMBINEFUNC = @extschema@.corr_test_pearson_combine,
	INITCOND = '{0,0,0,0,0,0,0,0}', PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8) IS 'Pearson correlation with its p-value (t, n-2 df) and 95% Fisher z interval';

-- the rank statistics and corr_test with a method: every pair, internal state

CREATE FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'corr_test_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'corr_test_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'corr_test_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_combine(pg_catalog.internal, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'corr_test_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_serialize(pg_catalog.internal)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME', 'corr_test_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_deserialize(pg_catalog.bytea, pg_catalog.internal)
RETURNS pg_catalog.internal
AS 'MODULE_PATHNAME', 'corr_test_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.corr_test_final(pg_catalog.internal)
RETURNS @extschema@.correlation
AS 'MODULE_PATHNAME', 'corr_test_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.spearman_corr_final(pg_catalog.internal)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'spearman_corr_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.kendall_tau_final(pg_catalog.internal)
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'kendall_tau_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method) IS 'transition function of corr_test(x, y, method)';
COMMENT ON FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8) IS 'transition function of corr_test(x, y, method, confidence)';
COMMENT ON FUNCTION @extschema@.corr_test_accum(pg_catalog.internal, pg_catalog.float8, pg_catalog.float8) IS 'transition function of spearman_corr and kendall_tau';
COMMENT ON FUNCTION @extschema@.corr_test_combine(pg_catalog.internal, pg_catalog.internal) IS 'combine function of the rank correlations and corr_test with a method';
COMMENT ON FUNCTION @extschema@.corr_test_serialize(pg_catalog.internal) IS 'serialize function of the rank correlations and corr_test with a method';
COMMENT ON FUNCTION @extschema@.corr_test_deserialize(pg_catalog.bytea, pg_catalog.internal) IS 'deserialize function of the rank correlations and corr_test with a method';
COMMENT ON FUNCTION @extschema@.corr_test_final(pg_catalog.internal) IS 'final function of corr_test with a method';
COMMENT ON FUNCTION @extschema@.spearman_corr_final(pg_catalog.internal) IS 'final function of spearman_corr';
COMMENT ON FUNCTION @extschema@.kendall_tau_final(pg_catalog.internal) IS 'final function of kendall_tau';

CREATE AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method) (
	SFUNC = @extschema@.corr_test_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.corr_test_final,
	COMBINEFUNC = @extschema@.corr_test_combine,
	SERIALFUNC = @extschema@.corr_test_serialize,
	DESERIALFUNC = @extschema@.corr_test_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8) (
	SFUNC = @extschema@.corr_test_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.corr_test_final,
	COMBINEFUNC = @extschema@.corr_test_combine,
	SERIALFUNC = @extschema@.corr_test_serialize,
	DESERIALFUNC = @extschema@.corr_test_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.spearman_corr(pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.corr_test_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.spearman_corr_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = @extschema@.corr_test_combine,
	SERIALFUNC = @extschema@.corr_test_serialize,
	DESERIALFUNC = @extschema@.corr_test_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.kendall_tau(pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.corr_test_accum, STYPE = pg_catalog.internal,
	FINALFUNC = @extschema@.kendall_tau_final, FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = @extschema@.corr_test_combine,
	SERIALFUNC = @extschema@.corr_test_serialize,
	DESERIALFUNC = @extschema@.corr_test_deserialize, PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method) IS 'correlation test by method pearson, spearman or kendall, with p-value and 95% interval';
COMMENT ON AGGREGATE @extschema@.corr_test(pg_catalog.float8, pg_catalog.float8, @extschema@.corr_method, pg_catalog.float8) IS 'correlation test by method pearson, spearman or kendall, with p-value and an interval at the given confidence';
COMMENT ON AGGREGATE @extschema@.spearman_corr(pg_catalog.float8, pg_catalog.float8) IS 'Spearman rank correlation (ties averaged)';
COMMENT ON AGGREGATE @extschema@.kendall_tau(pg_catalog.float8, pg_catalog.float8) IS 'Kendall rank correlation tau-b (ties corrected)';

-- partial and weighted correlation

CREATE FUNCTION @extschema@.partial_corr_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'partial_corr_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_combine(pg_catalog.float8[], pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'partial_corr_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.partial_corr_final(pg_catalog.float8[])
RETURNS @extschema@.correlation
AS 'MODULE_PATHNAME', 'partial_corr_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.weighted_corr_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8)
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'weighted_corr_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.weighted_corr_combine(pg_catalog.float8[], pg_catalog.float8[])
RETURNS pg_catalog.float8[]
AS 'MODULE_PATHNAME', 'weighted_corr_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.weighted_corr_final(pg_catalog.float8[])
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'weighted_corr_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.partial_corr_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS 'transition function of partial_corr';
COMMENT ON FUNCTION @extschema@.partial_corr_combine(pg_catalog.float8[], pg_catalog.float8[]) IS 'combine function of partial_corr';
COMMENT ON FUNCTION @extschema@.partial_corr_final(pg_catalog.float8[]) IS 'final function of partial_corr';
COMMENT ON FUNCTION @extschema@.weighted_corr_accum(pg_catalog.float8[], pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS 'transition function of weighted_corr';
COMMENT ON FUNCTION @extschema@.weighted_corr_combine(pg_catalog.float8[], pg_catalog.float8[]) IS 'combine function of weighted_corr';
COMMENT ON FUNCTION @extschema@.weighted_corr_final(pg_catalog.float8[]) IS 'final function of weighted_corr';

CREATE AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.partial_corr_accum, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.partial_corr_final,
	COMBINEFUNC = @extschema@.partial_corr_combine,
	INITCOND = '{0,0,0,0,0,0,0,0,0,0}', PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.weighted_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) (
	SFUNC = @extschema@.weighted_corr_accum, STYPE = pg_catalog.float8[],
	FINALFUNC = @extschema@.weighted_corr_final,
	COMBINEFUNC = @extschema@.weighted_corr_combine,
	INITCOND = '{0,0,0,0,0,0,0}', PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.partial_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS 'Pearson correlation of x and y controlling for z, with p-value (t, n-3 df) and 95% interval';
COMMENT ON AGGREGATE @extschema@.weighted_corr(pg_catalog.float8, pg_catalog.float8, pg_catalog.float8) IS 'Pearson correlation with observation weights';

-- risk ratio and net promoter score

CREATE FUNCTION @extschema@.risk_ratio_accum(pg_catalog.int8[], pg_catalog.bool, pg_catalog.bool)
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'risk_ratio_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_combine(pg_catalog.int8[], pg_catalog.int8[])
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'risk_ratio_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.risk_ratio_final(pg_catalog.int8[])
RETURNS @extschema@.relative_risk
AS 'MODULE_PATHNAME', 'risk_ratio_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_accum(pg_catalog.int8[], pg_catalog.int4)
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'nps_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_combine(pg_catalog.int8[], pg_catalog.int8[])
RETURNS pg_catalog.int8[]
AS 'MODULE_PATHNAME', 'nps_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_final(pg_catalog.int8[])
RETURNS pg_catalog.float8
AS 'MODULE_PATHNAME', 'nps_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.nps_stats_final(pg_catalog.int8[])
RETURNS @extschema@.nps_stats
AS 'MODULE_PATHNAME', 'nps_stats_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.risk_ratio_accum(pg_catalog.int8[], pg_catalog.bool, pg_catalog.bool) IS 'transition function of risk_ratio';
COMMENT ON FUNCTION @extschema@.risk_ratio_combine(pg_catalog.int8[], pg_catalog.int8[]) IS 'combine function of risk_ratio';
COMMENT ON FUNCTION @extschema@.nps_combine(pg_catalog.int8[], pg_catalog.int8[]) IS 'combine function of nps and nps_stats';
COMMENT ON FUNCTION @extschema@.risk_ratio_final(pg_catalog.int8[]) IS 'final function of risk_ratio';
COMMENT ON FUNCTION @extschema@.nps_accum(pg_catalog.int8[], pg_catalog.int4) IS 'transition function of nps and nps_stats';
COMMENT ON FUNCTION @extschema@.nps_final(pg_catalog.int8[]) IS 'final function of nps';
COMMENT ON FUNCTION @extschema@.nps_stats_final(pg_catalog.int8[]) IS 'final function of nps_stats';

CREATE AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool) (
	SFUNC = @extschema@.risk_ratio_accum, STYPE = pg_catalog.int8[],
	FINALFUNC = @extschema@.risk_ratio_final,
	COMBINEFUNC = @extschema@.risk_ratio_combine,
	INITCOND = '{0,0,0,0}', PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.nps(pg_catalog.int4) (
	SFUNC = @extschema@.nps_accum, STYPE = pg_catalog.int8[],
	FINALFUNC = @extschema@.nps_final,
	COMBINEFUNC = @extschema@.nps_combine,
	INITCOND = '{0,0,0,0}', PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.nps_stats(pg_catalog.int4) (
	SFUNC = @extschema@.nps_accum, STYPE = pg_catalog.int8[],
	FINALFUNC = @extschema@.nps_stats_final,
	COMBINEFUNC = @extschema@.nps_combine,
	INITCOND = '{0,0,0,0}', PARALLEL = SAFE);

COMMENT ON AGGREGATE @extschema@.risk_ratio(pg_catalog.bool, pg_catalog.bool) IS 'risk of the event among exposed over unexposed rows, with 95% Katz interval and Fisher exact p-value';
COMMENT ON AGGREGATE @extschema@.nps(pg_catalog.int4) IS 'net promoter score (-100 to 100) of 0-10 scores';
COMMENT ON AGGREGATE @extschema@.nps_stats(pg_catalog.int4) IS 'net promoter score with its counts and 95% margin of error';
