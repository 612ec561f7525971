/*
 * lib/lat_hist.c -- the latency histogram (tandem/lat_hist.h).
 *
 * Values 0..3 have a bucket each; above, bucket 4 * (log2 v - 1) + the
 * two bits under the top one, so [4,5) [5,6) [6,7) [7,8) [8,10) ...
 */
#include "tandem/lat_hist.h"

static unsigned int
bucket(uint64_t v)
{
	unsigned int	 top;

	if (v < LAT_HIST_SUB)
		return (unsigned int)v;
	top = 63 - (unsigned int)__builtin_clzll(v);	/* >= 2 */
	return (top - 1) * LAT_HIST_SUB +
	    (unsigned int)((v >> (top - 2)) & (LAT_HIST_SUB - 1));
}

/* The largest value bucket i holds. */
static uint64_t
bucket_top(unsigned int i)
{
	unsigned int	 top = i / LAT_HIST_SUB + 1;
	uint64_t	 sub = i % LAT_HIST_SUB;

	if (i < LAT_HIST_SUB)
		return i;
	if (top >= 63)
		return UINT64_MAX;
	return ((uint64_t)(LAT_HIST_SUB + sub + 1) << (top - 2)) - 1;
}

void
lat_hist_add(struct lat_hist *h, uint64_t v)
{
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	h->b[bucket(v)]++;
}

uint64_t
lat_hist_quantile(const struct lat_hist *h, double q)
{
	uint64_t	 want, seen = 0, top;
	unsigned int	 i;

	if (h->n == 0)
		return 0;
	if (q <= 0.0)
		q = 1e-9;
	if (q > 1.0)
		q = 1.0;
	want = (uint64_t)(q * (double)h->n + 0.999999);
	if (want == 0)
		want = 1;
	for (i = 0; i < LAT_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want) {
			top = bucket_top(i);
			return top < h->max ? top : h->max;
		}
	}
	return h->max;
}

uint64_t
lat_hist_mean(const struct lat_hist *h)
{
	return h->n == 0 ? 0 : h->sum / h->n;
}
