/*-------------------------------------------------------------------------
 *
 * survival.h
 *	  What other glue files need of the survival type's glue.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PF_SURVIVAL_H
#define PF_SURVIVAL_H

#include "postgres.h"

#include "survival_core.h"

/*
 * The flat summary of a survival datum, detoasted (an expanded one
 * flattened), and read into this version's layout when stored by 1.0.
 */
extern PfSurvival *pf_survival_from_datum(Datum d);

#endif							/* PF_SURVIVAL_H */
