/*
 * syncd/ringcheck.h -- is corosync's ring encrypted and authenticated?
 * (issue 5, item 6; DESIGN guarantee 5).
 *
 * syncd replicates keys over the ring.  Through cmap it reads
 * totem.crypto_cipher and totem.crypto_hash; either absent or "none"
 * means the ring is plain.  The caller refuses to start unless the
 * configuration's sync.allow_unencrypted_ring is true (a lab override,
 * logged loudly at start and every hour).
 */
#ifndef SYNCD_RINGCHECK_H
#define SYNCD_RINGCHECK_H

#include <stdbool.h>
#include <stddef.h>

struct ringcheck {
	char	 cipher[32];	/* "" when absent */
	char	 hash[32];
	bool	 encrypted;	/* both set and neither "none" */
};

/*
 * Ask corosync (cmap) in this network namespace.  Returns 0 with *rc
 * filled, or -1 with the reason in why (corosync not reachable).
 */
int	 ringcheck_query(struct ringcheck *rc, char *why, size_t whylen);

#endif /* SYNCD_RINGCHECK_H */
