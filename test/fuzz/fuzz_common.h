/*
 * fuzz_common.h
 *	  What every libFuzzer target of the core shares: reading typed values
 *	  from the fuzzer's bytes, an arena over the core's allocations, and a
 *	  check that stops the run when a property does not hold.
 *
 * Errors raised through pf_error are expected outcomes: targets catch them
 * with PF_TRY (test/core/host.h).  A failed FUZZ_CHECK aborts, so libFuzzer
 * saves the input as a crash, as it does for a sanitizer report.
 *
 * The core's allocations are linked through -Wl,--wrap (see fuzz_host.c)
 * and all freed when the next input starts, as the server frees a memory
 * context: an error raised mid-way leaves memory behind by design.
 */
#ifndef PF_FUZZ_COMMON_H
#define PF_FUZZ_COMMON_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "property failed at %s:%d: %s\n  ", \
					__FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fprintf(stderr, "\n"); \
			abort(); \
		} \
	} while (0)

/* Free every allocation of the core still live; call first in each input. */
extern void fuzz_arena_reset(void);

/* Allocations of the core live now (for checks that nothing is kept). */
extern size_t fuzz_arena_live(void);

/* A cursor over the fuzzer's bytes; past the end every value reads as 0. */
typedef struct FuzzInput
{
	const uint8_t *p;
	size_t		left;
} FuzzInput;

static inline void
fin_init(FuzzInput *in, const uint8_t *data, size_t size)
{
	in->p = data;
	in->left = size;
}

static inline uint8_t
fin_u8(FuzzInput *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

static inline bool
fin_bool(FuzzInput *in)
{
	return (fin_u8(in) & 1) != 0;
}

static inline uint64_t
fin_u64(FuzzInput *in)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | fin_u8(in);
	return v;
}

static inline int64_t
fin_i64(FuzzInput *in)
{
	return (int64_t) fin_u64(in);
}

static inline double
fin_bits_double(FuzzInput *in)
{
	uint64_t	bits = fin_u64(in);
	double		v;

	memcpy(&v, &bits, sizeof(v));
	return v;
}

/*
 * An int64 that is usually small: the low byte selects among boundary
 * values, small numbers and full-width values, so both the edges of int64
 * and realistic magnitudes are reached.
 */
static inline int64_t
fin_i64_mixed(FuzzInput *in)
{
	uint8_t		sel = fin_u8(in);

	switch (sel & 7)
	{
		case 0:
			return (int64_t) (int8_t) fin_u8(in);
		case 1:
			{
				uint16_t	v = fin_u8(in);

				v = (uint16_t) (v << 8) | fin_u8(in);
				return (int64_t) (int16_t) v;
			}
		case 2:
			{
				static const int64_t edges[] = {
					INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT64_MAX - 1, INT64_MAX,
					INT64_C(-211813488000000000), INT64_C(9223371331200000000),
					INT64_C(86400000000), INT64_C(3037000499), INT64_C(4294967296),
					INT64_C(1) << 62, -(INT64_C(1) << 62), INT32_MAX, INT32_MIN
				};

				return edges[fin_u8(in) % (sizeof(edges) / sizeof(edges[0]))];
			}
		case 3:
			{
				uint32_t	v = 0;

				for (int i = 0; i < 4; i++)
					v = (v << 8) | fin_u8(in);
				return (int64_t) (int32_t) v;
			}
		default:
			return fin_i64(in);
	}
}

/* A double that is usually a small integer, sometimes any bit pattern. */
static inline double
fin_double_mixed(FuzzInput *in)
{
	uint8_t		sel = fin_u8(in);

	switch (sel & 7)
	{
		case 0:
		case 1:
		case 2:
			return (double) (int8_t) fin_u8(in);
		case 3:
			return (double) (int8_t) fin_u8(in) / 8.0;
		case 4:
			{
				static const double edges[] = {
					0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, DBL_MAX,
					-DBL_MAX, DBL_MIN, 5e-324, 1e300, -1e300, 1e154, 1e-154, 0.5
				};

				return edges[fin_u8(in) % (sizeof(edges) / sizeof(edges[0]))];
			}
		default:
			return fin_bits_double(in);
	}
}

/* a + b with two's complement wrapping, as the fuzz inputs may need */
static inline int64_t
wrap_add(int64_t a, int64_t b)
{
	return (int64_t) ((uint64_t) a + (uint64_t) b);
}

/* A NUL-terminated copy of the input, for the text parsers. */
static inline char *
fuzz_cstring(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif							/* PF_FUZZ_COMMON_H */
