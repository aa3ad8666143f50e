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
CREATE FUNCTION @extschema@.relstrength_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.relstrength_combine(@extschema@.relstrength, @extschema@.relstrength)
RETURNS @extschema@.relstrength
AS 'MODULE_PATHNAME', 'relstrength_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.relstrength_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval) IS 'transition function of strength_agg(at, half_life)';
COMMENT ON FUNCTION @extschema@.relstrength_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8) IS 'transition function of strength_agg(at, half_life, weight)';
COMMENT ON FUNCTION @extschema@.relstrength_accum(@extschema@.relstrength, pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) IS 'transition function of strength_agg(at, half_life, weight, sentiment, inbound)';
COMMENT ON FUNCTION @extschema@.relstrength_combine(@extschema@.relstrength, @extschema@.relstrength) IS 'merges two relstrength summaries (transition and combine function of rollup, combine function of strength_agg)';

CREATE AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval) (
	SFUNC = @extschema@.relstrength_accum,
	STYPE = @extschema@.relstrength,
	COMBINEFUNC = @extschema@.relstrength_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8) (
	SFUNC = @extschema@.relstrength_accum,
	STYPE = @extschema@.relstrength,
	COMBINEFUNC = @extschema@.relstrength_combine,
	PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.strength_agg(pg_catalog.timestamptz, pg_catalog.interval, pg_catalog.float8, pg_catalog.float8, pg_catalog.bool) (
	SFUNC = @extschema@.relstrength_accum,
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
