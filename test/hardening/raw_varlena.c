/*
 * raw_varlena.c
 *	  A test-only function for test/hardening/stored_v1.sh: it returns its
 *	  bytea argument unchanged as a datum of another varlena type, so that
 *	  the test can store bytes in exactly the on-disk layout of an older
 *	  version (a survival summary as 1.0 wrote it) without that version's
 *	  library.  Never part of the extension.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(pf_test_raw_varlena);
Datum
pf_test_raw_varlena(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(PointerGetDatum(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0))));
}
