/*
 * include/tandem/lat_hist.h -- a latency histogram: log2 buckets split in
 * four, so that a quantile read from it is at most 19% above the true
 * value (and never above the largest sample).  Fixed size, no
 * allocation: one per thing measured, updated on the hot path.
 */
#ifndef TANDEM_LAT_HIST_H
#define TANDEM_LAT_HIST_H

#include <stdint.h>

#define LAT_HIST_SUB		4	/* buckets per power of two */
#define LAT_HIST_BUCKETS	(64 * LAT_HIST_SUB)

struct lat_hist {
	uint64_t	 n, sum, max;
	uint64_t	 b[LAT_HIST_BUCKETS];
};

void		 lat_hist_add(struct lat_hist *, uint64_t v);
/* The q-quantile (0 < q <= 1) as its bucket's upper bound, capped at
 * the largest sample; 0 when empty. */
uint64_t	 lat_hist_quantile(const struct lat_hist *, double q);
/* The mean, rounded down; 0 when empty. */
uint64_t	 lat_hist_mean(const struct lat_hist *);

#endif /* TANDEM_LAT_HIST_H */
