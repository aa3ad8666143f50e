/*-------------------------------------------------------------------------
 *
 * floor.c
 *	  The floor of make bench: one transition function that does nothing
 *	  but hand its state back, for no-op aggregates that take the same
 *	  arguments, with the same strictness, as each aggregate benchmarked.
 *	  What such an aggregate costs is what the server spends to scan the
 *	  rows and call a transition with those arguments: the least any
 *	  aggregate of that signature can cost.
 *
 * A module of its own, built and loaded by test/bench/run_bench.sh in the
 * benchmark's throw-away database; never part of the extension.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(bench_floor_transition);
Datum
bench_floor_transition(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}
