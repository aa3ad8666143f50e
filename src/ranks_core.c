/*-------------------------------------------------------------------------
 *
 * ranks_core.c
 *	  Sorting (x, y) pairs and ranking them: an in-place radix sort over
 *	  an introsort, sorted runs and their merge, average ranks.  See
 *	  ranks_core.h.
 *
 * Interrupts are checked every PF_INTERRUPT_STRIDE elements a pass touches
 * (scans, moves, writes): simple loops run in stretches of that many
 * (pf_ranks_stretch_end), the others count with PF_INTERRUPT_EVERY, so
 * that a cancel is seen promptly whatever the sizes of the partitions,
 * buckets, runs or tie groups.  Only a whole sort of fewer pairs than the
 * stride runs without a check: a few milliseconds.
 *
 *-------------------------------------------------------------------------
 */
#include "ranks_core.h"

/* Lexicographic order on (a, b); no NaN reaches here. */
static inline bool
pair_lt(const PfPair *p, const PfPair *q)
{
	return p->a < q->a || (p->a == q->a && p->b < q->b);
}

static inline void
pair_swap(PfPair *p, PfPair *q)
{
	PfPair		t = *p;

	*p = *q;
	*q = t;
}

static void
insertion_sort(PfPair *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		PfPair		t = v[i];
		size_t		j = i;

		while (j > 0 && pair_lt(&t, &v[j - 1]))
		{
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

static void
sift_down(PfPair *v, size_t root, size_t n)
{
	for (;;)
	{
		size_t		child = 2 * root + 1;

		if (child >= n)
			break;
		if (child + 1 < n && pair_lt(&v[child], &v[child + 1]))
			child++;
		if (!pair_lt(&v[root], &v[child]))
			break;
		pair_swap(&v[root], &v[child]);
		root = child;
	}
}

static void
heap_sort(PfPair *v, size_t n)
{
	for (size_t i = n / 2; i > 0; i--)
	{
		PF_INTERRUPT_EVERY(i);
		sift_down(v, i - 1, n);
	}
	for (size_t i = n - 1; i > 0; i--)
	{
		PF_INTERRUPT_EVERY(i);
		pair_swap(&v[0], &v[i]);
		sift_down(v, 0, i);
	}
}

/*
 * Introsort in place: quicksort with a median-of-three pivot, heapsort when
 * the recursion gets too deep, insertion sort for short ranges.  The scans
 * stop on keys equal to the pivot, so heavy ties still split evenly.
 */
static void
introsort(PfPair *v, size_t n, int depth)
{
	while (n > 16)
	{
		size_t		mid = n / 2;
		size_t		i = 0;
		size_t		j = n;
		PfPair		pivot;

		if (depth-- <= 0)
		{
			heap_sort(v, n);
			return;
		}

		/* order v[0], v[mid], v[n-1], then put the median first */
		if (pair_lt(&v[mid], &v[0]))
			pair_swap(&v[mid], &v[0]);
		if (pair_lt(&v[n - 1], &v[mid]))
		{
			pair_swap(&v[n - 1], &v[mid]);
			if (pair_lt(&v[mid], &v[0]))
				pair_swap(&v[mid], &v[0]);
		}
		pair_swap(&v[0], &v[mid]);
		pivot = v[0];

		/* v[n-1] >= pivot and v[0] == pivot bound the two scans */
		for (;;)
		{
			while (pair_lt(&v[++i], &pivot))
				PF_INTERRUPT_EVERY(i);
			while (pair_lt(&pivot, &v[--j]))
				PF_INTERRUPT_EVERY(j);
			if (i >= j)
				break;
			pair_swap(&v[i], &v[j]);
		}
		pair_swap(&v[0], &v[j]);

		/* recurse into the smaller side, loop on the larger */
		if (j < n - j - 1)
		{
			introsort(v, j, depth);
			v += j + 1;
			n -= j + 1;
		}
		else
		{
			introsort(v + j + 1, n - j - 1, depth);
			n = j;
		}
	}
	insertion_sort(v, n);
}

static void
comparison_sort(PfPair *v, size_t n)
{
	int			depth = 0;

	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	introsort(v, n, depth);
}

/*
 * Sort pairs by (a, b) like comparison_sort, faster on large arrays: an
 * in-place most-significant-digit radix sort on the key of a, one byte a
 * pass, that hands small buckets, and runs of equal a, to comparison_sort.
 */
static void
radix_sort(PfPair *v, size_t n, int shift)
{
	size_t		count[256];
	size_t		next[256];
	size_t		end[256];
	size_t		pos;
	size_t		placed = 0;		/* moves, counted: a cycle can be long */

	for (;;)
	{
		int			only = -1;

		if (n < 48 || shift < 0)
		{
			comparison_sort(v, n);
			return;
		}
		memset(count, 0, sizeof(count));
		for (size_t lo = 0; lo < n;)
		{
			size_t		hi = pf_ranks_stretch_end(lo, n);

			for (size_t i = lo; i < hi; i++)
				count[(pf_ranks_key(v[i].a) >> shift) & 0xff]++;
			lo = hi;
		}
		for (int b = 0; b < 256; b++)
			if (count[b] == n)
				only = b;
		if (only < 0)
			break;
		/* one bucket holds everything: go straight to the next byte */
		shift -= 8;
	}

	pos = 0;
	for (int b = 0; b < 256; b++)
	{
		next[b] = pos;
		pos += count[b];
		end[b] = pos;
	}
	/* permute in place: each element moves straight to its bucket */
	for (int b = 0; b < 256; b++)
	{
		while (next[b] < end[b])
		{
			PfPair		t = v[next[b]];
			int			d = (int) ((pf_ranks_key(t.a) >> shift) & 0xff);

			while (d != b)
			{
				PfPair		u = v[next[d]];

				v[next[d]++] = t;
				PF_INTERRUPT_EVERY(++placed);
				t = u;
				d = (int) ((pf_ranks_key(t.a) >> shift) & 0xff);
			}
			v[next[b]++] = t;
			PF_INTERRUPT_EVERY(++placed);
		}
	}
	pos = 0;
	for (int b = 0; b < 256; b++)
	{
		if (count[b] > 1)
			radix_sort(v + pos, count[b], shift - 8);
		pos += count[b];
	}
}

/*
 * lsd_sort's digits: LSD_DIGITS digits of LSD_BITS bits, the high
 * LSD_DIGITS * LSD_BITS bits of the key.  The low LSD_LOW bits are left to
 * the comparison sort of the groups that share the rest, which on any
 * data but values a few hundred units in the last place apart are single
 * pairs or ties.
 */
#define LSD_BITS 11
#define LSD_DIGITS 4
#define LSD_LOW (64 - LSD_DIGITS * LSD_BITS)

/* Groups of at most this many pairs are sorted by insertion. */
#define LSD_SMALL_GROUP 16

/* Groups of equal a at least this long are sorted by group_sort_b. */
#define GROUP_RADIX_MIN 64

/*
 * Sort the m pairs of g, whose first values are all equal, by their second:
 * a least-significant-digit radix sort on the key of b, a byte a pass,
 * skipping the bytes that all keys share, moving the pairs between g and
 * tmp (room for m pairs); they end in g.  The same order as a comparison
 * sort of (a, b), without its mispredicted branches: ties in a are
 * common (a few values of x shared by many rows), and then all the work.
 */
static void
group_sort_b(PfPair *g, PfPair *tmp, size_t m)
{
	size_t		count[8][256];
	uint64_t	first = pf_ranks_key(g[0].b);
	PfPair	   *src = g;
	PfPair	   *dst = tmp;

	memset(count, 0, sizeof(count));
	for (size_t lo = 0; lo < m;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, m);

		for (size_t i = lo; i < hi; i++)
		{
			uint64_t	k = pf_ranks_key(g[i].b);

			for (int d = 0; d < 8; d++)
				count[d][(k >> (8 * d)) & 0xff]++;
		}
		lo = hi;
	}
	for (int d = 0; d < 8; d++)
	{
		size_t		next[256];
		size_t		pos = 0;
		PfPair	   *t;

		if (count[d][(first >> (8 * d)) & 0xff] == m)
			continue;			/* every key has this byte */
		for (int b = 0; b < 256; b++)
		{
			next[b] = pos;
			pos += count[d][b];
		}
		for (size_t lo = 0; lo < m;)
		{
			size_t		hi = pf_ranks_stretch_end(lo, m);

			for (size_t i = lo; i < hi; i++)
				dst[next[(pf_ranks_key(src[i].b) >> (8 * d)) & 0xff]++] = src[i];
			lo = hi;
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != g)
	{
		for (size_t lo = 0; lo < m;)
		{
			size_t		hi = pf_ranks_stretch_end(lo, m);

			memcpy(g + lo, src + lo, (hi - lo) * sizeof(PfPair));
			lo = hi;
		}
	}
}

/* Are the first values of the m pairs of g all equal? */
static bool
same_first(const PfPair *g, size_t m)
{
	for (size_t lo = 0; lo < m;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, m);

		for (size_t i = lo; i < hi; i++)
			if (g[i].a != g[0].a)
				return false;
		lo = hi;
	}
	return true;
}

/*
 * Sort the m pairs of v by (a, b): a least-significant-digit radix sort on
 * the high bits of the key of a, moving the pairs between v and tmp (m
 * pairs) and skipping the digits that all keys share, then a comparison
 * sort of each group of pairs whose keys share those bits (ties of a, or
 * values very close), by radix on b when a is the same throughout.  Unlike
 * radix_sort's permutation, each pass reads and writes in order, so it is
 * not bound by the latency of one load after another.  Returns where the
 * sorted pairs are: v or tmp.
 */
static PfPair *
lsd_sort(PfPair *v, PfPair *tmp, size_t m)
{
	size_t		count[LSD_DIGITS][1 << LSD_BITS];
	const uint64_t mask = (UINT64_C(1) << LSD_BITS) - 1;
	PfPair	   *src = v;
	PfPair	   *dst = tmp;
	uint64_t	first = pf_ranks_key(v[0].a) >> LSD_LOW;

	memset(count, 0, sizeof(count));
	for (size_t lo = 0; lo < m;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, m);

		for (size_t i = lo; i < hi; i++)
		{
			uint64_t	k = pf_ranks_key(v[i].a) >> LSD_LOW;

			for (int d = 0; d < LSD_DIGITS; d++)
				count[d][(k >> (LSD_BITS * d)) & mask]++;
		}
		lo = hi;
	}
	for (int d = 0; d < LSD_DIGITS; d++)
	{
		int			shift = LSD_LOW + LSD_BITS * d;
		size_t		next[1 << LSD_BITS];
		size_t		pos = 0;
		PfPair	   *t;

		if (count[d][(first >> (LSD_BITS * d)) & mask] == m)
			continue;			/* every key has this digit */
		for (size_t b = 0; b <= mask; b++)
		{
			next[b] = pos;
			pos += count[d][b];
		}
		for (size_t lo = 0; lo < m;)
		{
			size_t		hi = pf_ranks_stretch_end(lo, m);

			for (size_t i = lo; i < hi; i++)
				dst[next[(pf_ranks_key(src[i].a) >> shift) & mask]++] = src[i];
			lo = hi;
		}
		t = src;
		src = dst;
		dst = t;
	}
	for (size_t lo = 0; lo < m;)
	{
		size_t		i = lo;
		size_t		hi = pf_ranks_stretch_end(lo, m);

		/* groups that begin in this stretch, however far they reach */
		while (i < hi)
		{
			uint64_t	k = pf_ranks_key(src[i].a) >> LSD_LOW;
			size_t		j = i + 1;

			while (j < m && pf_ranks_key(src[j].a) >> LSD_LOW == k)
			{
				PF_INTERRUPT_EVERY(j);
				j++;
			}
			if (j - i >= GROUP_RADIX_MIN && same_first(src + i, j - i))
				group_sort_b(src + i, src == v ? tmp : v, j - i);
			else if (j - i > LSD_SMALL_GROUP)
				comparison_sort(src + i, j - i);
			else if (j - i > 1)
				insertion_sort(src + i, j - i);
			i = j;
		}
		lo = i;
	}
	return src;
}

/*
 * Merge the sorted pairs tmp[0 .. m-1] into the sorted v[0 .. len-1],
 * from the back, so that v[0 .. len+m-1] is sorted.
 */
static void
merge_from_back(PfPair *v, size_t len, const PfPair *tmp, size_t m)
{
	size_t		i = len;
	size_t		j = m;
	size_t		k = len + m;

	/*
	 * Without a branch on which side is taken, as good as random: the
	 * larger tail goes last, tmp's on ties (it holds the later pairs).
	 */
	while (i > 0 && j > 0)
	{
		const PfPair *l = &v[i - 1];
		const PfPair *r = &tmp[j - 1];
		size_t		left = (r->a < l->a) | ((r->a == l->a) & (r->b < l->b));

		PF_INTERRUPT_EVERY(k);
		v[--k] = *(left ? l : r);
		i -= left;
		j -= 1 - left;
	}
	for (size_t lo = 0; lo < j;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, j);

		memcpy(v + lo, tmp + lo, (hi - lo) * sizeof(PfPair));
		lo = hi;
	}
}

/*
 * The blocks that sort_with_spare sorts n pairs in with a spare of m: 0
 * when m is less than a quarter of them (it then sorts in place).
 */
static size_t
spare_blocks(size_t n, size_t m)
{
	return m > 0 && m >= (n + 3) / 4 ? (n + m - 1) / m : 0;
}

/*
 * Sort the n pairs of v by (a, b), with the spare pairs as scratch when
 * there are enough of them: blocks of at most nspare pairs are sorted by
 * lsd_sort, each merged into the sorted ones before it.  With at least a
 * quarter of n spare that is at most four blocks and 2.25 moves a pair in
 * the merges; with less, or for few pairs, radix_sort in place.
 */
static void
sort_with_spare(PfPair *v, size_t n, PfPair *spare, size_t nspare)
{
	size_t		nblocks = spare_blocks(n, spare == NULL ? 0 : nspare);
	size_t		block;

	if (n < PF_RANKS_MIN_SPARE_SORT || nblocks == 0)
	{
		radix_sort(v, n, 56);
		return;
	}
	block = (n + nblocks - 1) / nblocks;
	for (size_t done = 0; done < n;)
	{
		size_t		m = n - done < block ? n - done : block;
		PfPair	   *sorted = lsd_sort(v + done, spare, m);

		if (done == 0)
		{
			if (sorted != v)
				memcpy(v, sorted, m * sizeof(PfPair));
		}
		else
		{
			if (sorted != spare)
				memcpy(spare, sorted, m * sizeof(PfPair));
			merge_from_back(v, done, spare, m);
		}
		done += m;
	}
}

void
pf_ranks_sort_pairs(double *xy, int64_t n, PfPair *spare, size_t nspare)
{
	if (n > 1)
		sort_with_spare((PfPair *) xy, (size_t) n, spare, nspare);
}

size_t
pf_ranks_spare_choice(size_t n, size_t cap, bool *use_tail)
{
	size_t		budget;
	size_t		tail_blocks;
	size_t		own_blocks;

	*use_tail = false;
	if (n < PF_RANKS_MIN_SPARE_SORT)
		return 0;
	budget = n + n / 2 > cap ? n + n / 2 - cap : 0;
	tail_blocks = spare_blocks(n, cap - n);
	own_blocks = spare_blocks(n, budget);
	if (tail_blocks != 0 && (own_blocks == 0 || tail_blocks <= own_blocks))
	{
		*use_tail = true;
		return 0;
	}
	if (own_blocks == 0)
		return 0;
	return (n + own_blocks - 1) / own_blocks;
}

PfPair *
pf_ranks_sort_pairs_either(double *xy, int64_t n, PfPair *dst)
{
	PfPair	   *v = (PfPair *) xy;

	if (n < PF_RANKS_MIN_SPARE_SORT)
	{
		if (n > 1)
			sort_with_spare(v, (size_t) n, NULL, 0);
		return v;
	}
	return lsd_sort(v, dst, (size_t) n);
}

/* Are the pairs sorted by (a, b)?  -0 equals +0 here, as in pf_ranks_key. */
static bool
is_sorted(const PfPair *p, size_t len)
{
	for (size_t lo = 1; lo < len;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, len);

		for (size_t i = lo; i < hi; i++)
			if (p[i - 1].a > p[i].a ||
				(p[i - 1].a == p[i].a && p[i - 1].b > p[i].b))
				return false;
		lo = hi;
	}
	return true;
}

void
pf_ranks_sort_runs(PfPair *p, size_t len, const int64_t *runlen, int nruns,
				   PfPair *spare, size_t nspare, PfRuns *runs)
{
	size_t		pos = 0;
	int			k = 0;

	if (nruns < 1)
		pf_errorf(PF_ERR_INTERNAL, NULL, NULL, "no runs of pairs");
	for (int r = 0; r < nruns; r++)
	{
		if (runlen[r] < 0 || (uint64_t) runlen[r] > len - pos)
			pf_errorf(PF_ERR_INTERNAL, NULL, NULL,
					  "runs of pairs do not add up to the pairs held");
		if (runlen[r] > 0 && nruns <= PF_MAX_RUNS)
		{
			runs->from[k] = pos;
			runs->to[k] = pos + (size_t) runlen[r];
			k++;
		}
		pos += (size_t) runlen[r];
	}
	if (pos != len)
		pf_errorf(PF_ERR_INTERNAL, NULL, NULL,
				  "runs of pairs do not add up to the pairs held");
	if (k <= 1)
	{
		k = 1;
		runs->from[0] = 0;
		runs->to[0] = len;
	}
	for (int r = 0; r < k; r++)
	{
		PfPair	   *run = p + runs->from[r];
		size_t		rlen = runs->to[r] - runs->from[r];

		if (!is_sorted(run, rlen))
			sort_with_spare(run, rlen, spare, nspare);
	}
	runs->k = k;
}

void
pf_ranks_merge_start(PfMerge *mg, const PfPair *p, const PfRuns *runs)
{
	mg->k = runs->k;
	for (int r = 0; r < runs->k; r++)
	{
		mg->head[r] = runs->from[r];
		mg->stop[r] = runs->to[r];
		mg->key[r] = pf_ranks_merge_key(p, mg, r);
	}
}

/* The run whose head comes first by the first value (the lowest run on ties). */
static inline int
merge_min(const PfMerge *mg)
{
	int			m = 0;

	for (int r = 1; r < mg->k; r++)
		m = mg->key[r] < mg->key[m] ? r : m;
	return m;
}

/*
 * Rank the first values of the sorted pairs and swap the columns, in one
 * pass: pairs i .. j-1 hold equal first values, ranks i+1 .. j, mean
 * (i+1+j)/2, which goes second, and the second value first.
 */
static void
rank_sorted_swap(PfPair *p, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		size_t		j = pf_ranks_tie_end(&p->a, 2, i, len);
		double		rank = ((double) i + 1.0 + (double) j) / 2.0;

		for (size_t k = i; k < j; k++)
		{
			PF_INTERRUPT_EVERY(k);
			p[k].a = p[k].b;
			p[k].b = rank;
		}
		i = j;
	}
}

/*
 * The members of a group of equal values that spans the merged positions
 * gstart .. gend-1, a range from[r] .. head[r]-1 of each run, get their
 * average rank.
 */
static void
rank_merged_group(PfPair *p, const PfMerge *mg, const size_t *from,
				  size_t gstart, size_t gend)
{
	double		rank = ((double) gstart + 1.0 + (double) gend) / 2.0;

	for (int r = 0; r < mg->k; r++)
		for (size_t i = from[r]; i < mg->head[r]; i++)
		{
			PF_INTERRUPT_EVERY(i);
			p[i].a = rank;
		}
}

/*
 * The ranks of rank_sorted_swap over several sorted runs, without the
 * swap: merge them, numbering the pairs in merged order, and when a group
 * of equal values spans more than one pair, give its members their
 * average rank.
 */
static void
rank_merged_runs(PfPair *p, const PfRuns *runs, size_t len)
{
	PfMerge		mg;
	size_t		from[PF_MAX_RUNS];	/* heads where the group began */
	size_t		gstart = 0;		/* merged position where it began */
	uint64_t	gkey = 0;

	pf_ranks_merge_start(&mg, p, runs);
	memcpy(from, mg.head, sizeof(size_t) * mg.k);
	for (size_t done = 0; done < len; done++)
	{
		int			m = merge_min(&mg);

		PF_INTERRUPT_EVERY(done);
		if (mg.key[m] != gkey || done == 0)
		{
			if (done - gstart > 1)
				rank_merged_group(p, &mg, from, gstart, done);
			gstart = done;
			gkey = mg.key[m];
			memcpy(from, mg.head, sizeof(size_t) * mg.k);
		}
		p[mg.head[m]].a = (double) done + 1.0;
		mg.head[m]++;
		mg.key[m] = pf_ranks_merge_key(p, &mg, m);
	}
	if (len - gstart > 1)
		rank_merged_group(p, &mg, from, gstart, len);
}

static void
swap_columns(PfPair *p, size_t len)
{
	for (size_t lo = 0; lo < len;)
	{
		size_t		hi = pf_ranks_stretch_end(lo, len);

		for (size_t i = lo; i < hi; i++)
		{
			double		t = p[i].a;

			p[i].a = p[i].b;
			p[i].b = t;
		}
		lo = hi;
	}
}

/*
 * Rank x (over the sorted runs, or merging them), swap the columns, sort
 * by y and rank it the same way, and swap back; each swap in the same pass
 * as the ranks where it can.
 */
void
pf_ranks_average_pairs(PfPair *p, size_t len, const PfRuns *runs,
					   PfPair *spare, size_t nspare)
{
	PF_PHASE_START(t);

	if (runs->k == 1)
		rank_sorted_swap(p, len);
	else
	{
		rank_merged_runs(p, runs, len);
		swap_columns(p, len);
	}
	PF_PHASE_MARK(t, "rank x");
	sort_with_spare(p, len, spare, nspare);
	PF_PHASE_MARK(t, "sort by y");
	rank_sorted_swap(p, len);
	PF_PHASE_MARK(t, "rank y");
}

#ifdef PF_PHASE_TIMING
const char *pf_phase_name[PF_MAX_PHASES];
double		pf_phase_ms[PF_MAX_PHASES];

void
pf_phase_add(const char *name, const struct timespec *since)
{
	struct timespec now;
	int			i = 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	while (i < PF_MAX_PHASES - 1 && pf_phase_name[i] != NULL &&
		   strcmp(pf_phase_name[i], name) != 0)
		i++;
	pf_phase_name[i] = name;
	pf_phase_ms[i] += (double) (now.tv_sec - since->tv_sec) * 1e3 +
		(double) (now.tv_nsec - since->tv_nsec) / 1e6;
}
#endif
