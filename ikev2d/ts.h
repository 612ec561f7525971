/*
 * ikev2d/ts.h -- traffic selectors: from config, narrowing (RFC 7296 2.9)
 * and conversion to kernel selectors.  Pure.
 */
#ifndef IKEV2D_TS_H
#define IKEV2D_TS_H

#include <stdbool.h>
#include <stddef.h>

#include "tandem/cfg.h"
#include "tandem/sa_rec.h"
#include "ike_msg.h"
#include "kernel_sa.h"

/*
 * Config selectors to wire selectors; "dynamic" becomes the single address
 * dyn (our IKE address for local_ts, the peer's for remote_ts).  Returns
 * the count (>= 1) or -1 (too many, or dynamic without an address).
 */
int	 ts_from_cfg(const struct cfg_ts *c, size_t n, const struct sa_addr *dyn,
	    struct ike_ts_pld *out);

/* a ∩ b; false when empty or of different families / protocols. */
bool	 ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
	    struct ike_ts *out);

/*
 * Narrow (2.9): every non-empty intersection of a selector in `offered`
 * with one in `allowed`, duplicates removed.  Returns out->n; 0 means
 * TS_UNACCEPTABLE.
 */
int	 ts_narrow(const struct ike_ts_pld *offered,
	    const struct ike_ts_pld *allowed, struct ike_ts_pld *out);

/* True when every selector of inner lies inside one of outer. */
bool	 ts_subset(const struct ike_ts_pld *inner, const struct ike_ts_pld *outer);

/*
 * An address range as kernel prefixes (largest blocks first).  Returns the
 * number written, or -1 if more than cap are needed.
 */
struct ts_prefix {
	struct kaddr	 a;
	uint8_t		 plen;
};

int	 ts_prefixes(const struct ike_ts *t, struct ts_prefix *out, size_t cap);

/* ike_ts <-> sa_ts (replicated records). */
void	 ts_to_rec(const struct ike_ts *t, struct sa_ts *r);

#endif /* IKEV2D_TS_H */
