/*-------------------------------------------------------------------------
 *
 * ranks_core.h
 *	  Sorting (x, y) pairs and ranking them: a radix sort and an introsort
 *	  in place, sorted runs and their merge, and average ranks.
 *	  Server-free core.
 *
 * Pairs are held as xy[2*i] = x, xy[2*i + 1] = y, the layout of an array
 * of 16-byte rows, and viewed here as PfPair (a = x, b = y).  Nothing here
 * allocates: the arrays may be a large share of memory.  Every loop whose
 * length grows with the pairs checks for interrupts every
 * PF_INTERRUPT_STRIDE elements it touches.  The sorts run faster with
 * scratch space, which the caller may lend them (a "spare").
 *
 *-------------------------------------------------------------------------
 */
#ifndef RANKS_CORE_H
#define RANKS_CORE_H

#include <string.h>

#include "pf_core.h"

typedef struct PfPair
{
	double		a;
	double		b;
} PfPair;

/*
 * The order-preserving unsigned key of a value: flip every bit of a
 * negative double, only the sign bit of a positive one.  -0 becomes +0
 * first, so that equal values have equal keys.  No NaN reaches here.
 */
static inline uint64_t
pf_ranks_key(double v)
{
	double		a = v + 0.0;
	uint64_t	u;

	memcpy(&u, &a, sizeof(u));
	return (u >> 63) ? ~u : (u | UINT64_C(0x8000000000000000));
}

/*
 * The end of the stretch of at most PF_INTERRUPT_STRIDE elements that
 * starts at lo in a pass over len, after a check for interrupts: a loop
 * over lo .. end-1 then needs no check of its own.
 */
static inline size_t
pf_ranks_stretch_end(size_t lo, size_t len)
{
	pf_check_interrupts();
	return len - lo > PF_INTERRUPT_STRIDE ? lo + PF_INTERRUPT_STRIDE : len;
}

/*
 * The end of the group of values equal to v[i * stride] that begins at i:
 * the first j <= len with v[j * stride] != v[i * stride].
 */
static inline size_t
pf_ranks_tie_end(const double *v, size_t stride, size_t i, size_t len)
{
	size_t		j = i + 1;

	PF_INTERRUPT_EVERY(i);
	while (j < len && v[j * stride] == v[i * stride])
	{
		PF_INTERRUPT_EVERY(j);
		j++;
	}
	return j;
}

/*
 * Fewer pairs than this are sorted in place even when spare pairs are
 * given: the spare's gain only shows on arrays larger than the caches.
 */
#define PF_RANKS_MIN_SPARE_SORT 4096

/*
 * Sort the n pairs of xy by (x, y) in O(n log n).  spare, when not NULL,
 * is room for nspare pairs that the sort may overwrite: with at least a
 * quarter of n it sorts about twice as fast as in place.  The functions
 * below that sort take a spare the same way.
 */
extern void pf_ranks_sort_pairs(double *xy, int64_t n, PfPair *spare,
								size_t nspare);

/*
 * The same, given room for all n pairs at dst (which must not overlap xy):
 * one radix sort that moves the pairs between the two, without the merges
 * a smaller spare needs.  Returns where the sorted pairs are, xy or dst;
 * the other holds the pairs in no useful order.
 */
extern PfPair *pf_ranks_sort_pairs_either(double *xy, int64_t n, PfPair *dst);

/*
 * The scratch for sorting n pairs held in an array with room for cap >= n
 * pairs.  The sort works in blocks as large as its scratch (at least a
 * quarter of the pairs), then merges them: the fewer the blocks, the
 * faster.  Sets *use_tail when the array's unused tail (cap - n pairs)
 * makes as few blocks as any scratch can within 24 bytes a row (the array
 * and the scratch together at most 1.5 n pairs); else returns the least
 * room of its own that makes the fewest such blocks, or 0 when none can
 * (too few pairs, or no room: the sort then runs in place).
 */
extern size_t pf_ranks_spare_choice(size_t n, size_t cap, bool *use_tail);

/*
 * The pairs as consecutive runs, as the states of parallel workers
 * arrive: the non-empty runs, each sorted by (a, b), are from[r] ..
 * to[r]-1 for r < k.
 */
#define PF_MAX_RUNS 16

typedef struct PfRuns
{
	int			k;
	size_t		from[PF_MAX_RUNS];
	size_t		to[PF_MAX_RUNS];
} PfRuns;

/*
 * The len pairs p held as nruns consecutive runs of runlen[0],
 * runlen[1], ... pairs: check that the lengths add up to len (raises
 * PF_ERR_INTERNAL otherwise), sort each run that is not sorted yet, and
 * describe them in runs.  A run already sorted costs a linear check
 * only, so the runs are a hint.  More than PF_MAX_RUNS runs are treated
 * as one: a sort of the whole array costs less than merging that many.
 */
extern void pf_ranks_sort_runs(PfPair *p, size_t len, const int64_t *runlen,
							   int nruns, PfPair *spare, size_t nspare,
							   PfRuns *runs);

/*
 * The heads of sorted runs in a merge, each with the key of its pair's
 * first value (UINT64_MAX once the run is done, above the key of any
 * number) so that picking the smallest head needs no branch on which runs
 * are left.
 */
typedef struct PfMerge
{
	int			k;
	size_t		head[PF_MAX_RUNS];
	size_t		stop[PF_MAX_RUNS];
	uint64_t	key[PF_MAX_RUNS];
} PfMerge;

static inline uint64_t
pf_ranks_merge_key(const PfPair *p, const PfMerge *mg, int r)
{
	return mg->head[r] < mg->stop[r] ? pf_ranks_key(p[mg->head[r]].a) : UINT64_MAX;
}

extern void pf_ranks_merge_start(PfMerge *mg, const PfPair *p,
								 const PfRuns *runs);

/*
 * Replace both values of each of the len pairs of p, sorted as runs,
 * by their average ranks in their column (1-based; ties get the mean of
 * the ranks they span).  Pairs stay pairs; their order afterwards is
 * unspecified.
 */
extern void pf_ranks_average_pairs(PfPair *p, size_t len, const PfRuns *runs,
								   PfPair *spare, size_t nspare);

/*
 * Per-phase timing of the rank computations, for the benchmark only: built
 * with -DPF_PHASE_TIMING, each phase adds its wall time to pf_phase_ms[]
 * under its name; otherwise the marks compile to nothing.
 */
#ifdef PF_PHASE_TIMING
#include <time.h>

#define PF_MAX_PHASES 8
extern const char *pf_phase_name[PF_MAX_PHASES];
extern double pf_phase_ms[PF_MAX_PHASES];
extern void pf_phase_add(const char *name, const struct timespec *since);

#define PF_PHASE_START(t) struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t)
#define PF_PHASE_MARK(t, name) \
	do { pf_phase_add(name, &t); clock_gettime(CLOCK_MONOTONIC, &t); } while (0)
#else
#define PF_PHASE_START(t) ((void) 0)
#define PF_PHASE_MARK(t, name) ((void) 0)
#endif

#endif							/* RANKS_CORE_H */
