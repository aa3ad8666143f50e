/*
 * fuzz_host.c
 *	  An arena over the core's allocations for the fuzz targets.  Linked
 *	  with -Wl,--wrap=pf_alloc,--wrap=pf_alloc0,--wrap=pf_realloc,
 *	  --wrap=pf_free, so that the core's calls land here and reach
 *	  test/core/host.c through the __real_ names.  fuzz_arena_reset frees
 *	  whatever is still live, as the server resets a memory context; an
 *	  error raised half-way through a call therefore costs nothing across
 *	  millions of inputs, and LeakSanitizer still sees the targets' own
 *	  leaks.
 */
#include "fuzz_common.h"

extern void *__real_pf_alloc(size_t size);
extern void *__real_pf_alloc0(size_t size);
extern void *__real_pf_realloc(void *ptr, size_t size);
extern void __real_pf_free(void *ptr);

void	   *__wrap_pf_alloc(size_t size);
void	   *__wrap_pf_alloc0(size_t size);
void	   *__wrap_pf_realloc(void *ptr, size_t size);
void		__wrap_pf_free(void *ptr);

static void **live;
static size_t nlive;
static size_t caplive;

static void
track(void *p)
{
	if (nlive == caplive)
	{
		size_t		cap = caplive ? caplive * 2 : 64;
		void	  **n = realloc(live, cap * sizeof(void *));

		if (n == NULL)
			abort();
		live = n;
		caplive = cap;
	}
	live[nlive++] = p;
}

/* Forget p; abort when the core frees what it does not own. */
static void
untrack(void *p)
{
	for (size_t i = nlive; i > 0; i--)
	{
		if (live[i - 1] == p)
		{
			live[i - 1] = live[--nlive];
			return;
		}
	}
	fprintf(stderr, "core freed %p, which it did not allocate or already freed\n", p);
	abort();
}

void *
__wrap_pf_alloc(size_t size)
{
	void	   *p = __real_pf_alloc(size);

	track(p);
	return p;
}

void *
__wrap_pf_alloc0(size_t size)
{
	void	   *p = __real_pf_alloc0(size);

	track(p);
	return p;
}

void *
__wrap_pf_realloc(void *ptr, size_t size)
{
	/* the old block stays tracked when the real realloc raises */
	void	   *p = __real_pf_realloc(ptr, size);

	if (ptr != NULL)
		untrack(ptr);
	track(p);
	return p;
}

void
__wrap_pf_free(void *ptr)
{
	if (ptr == NULL)
		return;
	untrack(ptr);
	__real_pf_free(ptr);
}

void
fuzz_arena_reset(void)
{
	for (size_t i = 0; i < nlive; i++)
		__real_pf_free(live[i]);
	nlive = 0;
}

size_t
fuzz_arena_live(void)
{
	return nlive;
}
