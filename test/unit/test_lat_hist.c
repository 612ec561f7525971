/*
 * test/unit/test_lat_hist.c -- the latency histogram's quantiles against
 * exact ones from sorted samples.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/lat_hist.h"
#include "unit.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Exact q-quantile: the ceil(q n)-th smallest. */
static uint64_t
exact(const uint64_t *s, size_t n, double q)
{
	size_t	 k = (size_t)(q * (double)n + 0.999999);

	return s[(k == 0 ? 1 : k) - 1];
}

static void
test_empty_small(void)
{
	struct lat_hist	 h;
	uint64_t	 v;

	memset(&h, 0, sizeof(h));
	CU_ASSERT_EQUAL(lat_hist_quantile(&h, 0.5), 0);
	CU_ASSERT_EQUAL(lat_hist_mean(&h), 0);
	/* values under 8 are exact */
	for (v = 0; v < 8; v++) {
		memset(&h, 0, sizeof(h));
		lat_hist_add(&h, v);
		CU_ASSERT_EQUAL(lat_hist_quantile(&h, 0.5), v);
		CU_ASSERT_EQUAL(lat_hist_quantile(&h, 1.0), v);
	}
	memset(&h, 0, sizeof(h));
	lat_hist_add(&h, 10);
	lat_hist_add(&h, 30);
	CU_ASSERT_EQUAL(lat_hist_mean(&h), 20);
	CU_ASSERT_EQUAL(h.max, 30);
	CU_ASSERT_EQUAL(lat_hist_quantile(&h, 1.0), 30);
	CU_ASSERT(lat_hist_quantile(&h, 0.5) >= 10);
	CU_ASSERT(lat_hist_quantile(&h, 0.5) <= 11);
	/* the largest value a sample can have */
	lat_hist_add(&h, UINT64_MAX);
	CU_ASSERT_EQUAL(lat_hist_quantile(&h, 1.0), UINT64_MAX);
}

/* Random samples over six decades: every quantile read is >= the exact
 * one and at most 25% above it (the bound is 1 + 1/4 per bucket). */
static void
test_bound(void)
{
	static uint64_t	 s[20000];
	static const double qs[] = { 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0 };
	struct lat_hist	 h;
	uint64_t	 r = 88172645463325252ULL, e, got;
	size_t		 i;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < 20000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		s[i] = (r % 1000) << (r >> 60) % 20;
		lat_hist_add(&h, s[i]);
	}
	qsort(s, 20000, sizeof(s[0]), cmp_u64);
	CU_ASSERT_EQUAL(h.n, 20000);
	CU_ASSERT_EQUAL(h.max, s[19999]);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		e = exact(s, 20000, qs[i]);
		got = lat_hist_quantile(&h, qs[i]);
		CU_ASSERT(got >= e);
		CU_ASSERT((double)got <= (double)e * 1.25 + 1.0);
	}
}

UNIT_SUITE(lat_hist, "lat_hist: latency quantiles",
    { "empty, small values, extremes", test_empty_small },
    { "quantile bound", test_bound });
