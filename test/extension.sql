-- Promises every SQL object of the extension keeps: a comment, PARALLEL
-- SAFE, not VOLATILE, a combine function on every aggregate.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
SET client_min_messages = warning;

CREATE TEMP VIEW ext_functions AS
SELECT p.oid, p.oid::regprocedure::text AS signature, p.prokind, p.proparallel, p.provolatile
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'peoplefirst';

BEGIN;
SELECT plan(7);
SELECT cmp_ok((SELECT count(*) FROM ext_functions), '>', 10::bigint,
	'the functions of the extension are found');
SELECT is((SELECT array_agg(signature ORDER BY signature) FROM ext_functions
	WHERE obj_description(oid, 'pg_proc') IS NULL), NULL,
	'every function and aggregate has a COMMENT');
SELECT is((SELECT array_agg(signature ORDER BY signature) FROM ext_functions
	WHERE proparallel <> 's'), NULL, 'every function and aggregate is PARALLEL SAFE');
SELECT is((SELECT array_agg(signature ORDER BY signature) FROM ext_functions
	WHERE provolatile = 'v'), NULL, 'no function is VOLATILE');
SELECT is((SELECT array_agg(signature ORDER BY signature) FROM ext_functions f
	JOIN pg_aggregate a ON a.aggfnoid = f.oid WHERE a.aggcombinefn = 0), NULL,
	'every aggregate has a combine function');
SELECT is((SELECT array_agg(t.typname::text ORDER BY t.typname) FROM pg_type t
	JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'peoplefirst'
	WHERE obj_description(t.oid, 'pg_type') IS NULL
	  -- array types are members from PostgreSQL 17 on; they take no comment
	  AND NOT EXISTS (SELECT 1 FROM pg_type b WHERE b.typarray = t.oid)), NULL,
	'every type has a COMMENT');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'peoplefirst'), false,
	'the extension is not relocatable');
SELECT * FROM finish();
ROLLBACK;
