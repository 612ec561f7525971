/*
 * syncd/nodestats.h -- the cluster-wide view of `haadm status` (issue 7):
 * every member's SYNC_STATS, when it was heard, and whether its SA
 * database equals ours.  Pure: the clock and our own digest are
 * arguments; stats.c (the edge) feeds deliveries and membership.
 *
 * DIGESTS COMPARED AT ONE POINT OF THE AGREED ORDER.  Two nodes' digests
 * sampled at two moments differ whenever an event falls between the
 * samples.  Instead every member takes its own `set` digest at the
 * delivery of each STATS message (any sender's, ours included): CPG
 * delivers it at the same point of the agreed order on every member, so
 * with equal databases every member computes the same digest there.  A
 * sender puts in its next STATS the digest it took at the delivery of
 * its previous one (digest_at = that message's seq); a receiver compares
 * it with the digest it took itself at that same delivery.  Equal or not
 * is then exact, not a race: a difference is a real divergence.  Not
 * comparable (UNKNOWN): the receiver or the sender was resyncing at that
 * point, or the receiver joined after it.
 *
 * A member not heard from for NODESTATS_STALE_MS is stale.
 */
#ifndef SYNCD_NODESTATS_H
#define SYNCD_NODESTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/syncmsg.h"

#define NODESTATS_MAX		SYNC_ACK_MAX	/* members, us included */
#define NODESTATS_STALE_MS	3000
#define NODESTATS_PERIOD_MS	1000

enum nodestats_dg {
	NS_DG_UNKNOWN = 0,	/* not comparable (yet) */
	NS_DG_EQUAL,
	NS_DG_DIFFER,
	NS_DG_MAX		/* keep last */
};

struct ns_peer {
	uint32_t	 node;
	bool		 heard;
	uint64_t	 heard_ms;	/* its last STATS (monotonic) */
	uint64_t	 seq;		/* that message's hdr.seq */
	struct sync_stats st;		/* what it said */
	/* Our own digest at the delivery of its last STATS. */
	bool		 mine_valid;
	uint8_t		 mine[SYNC_DIGEST_LEN];
	enum nodestats_dg dg;
	uint64_t	 differ_ms;	/* since when it differs; 0: not */
	uint64_t	 received;
};

struct nodestats {
	uint32_t	 self;
	struct ns_peer	 p[NODESTATS_MAX];
	size_t		 n;
	uint64_t	 dropped;	/* not a member, or node != sender */
};

void	 nodestats_init(struct nodestats *, uint32_t self);
/*
 * The membership (ids, us included): members kept keep what was heard,
 * new ones start unheard, those gone are forgotten.  Over
 * NODESTATS_MAX: the extra ids are ignored.
 */
void	 nodestats_members(struct nodestats *, const uint32_t *ids, size_t n);
/*
 * A STATS delivered from `from` with header seq `seq`; mine: our own
 * `set` digest now (NULL: we are resyncing, not comparable).  Returns 0,
 * or -1 when it is dropped (not a member, or s->node is not the sender:
 * only a node speaks for itself).
 */
int	 nodestats_deliver(struct nodestats *, uint32_t from, uint64_t seq,
	    const struct sync_stats *s, const uint8_t *mine, uint64_t now_ms);
/*
 * Our next STATS's digest: what we took at the delivery of our own last
 * one (has_digest false when there is none, or we were resyncing).
 */
void	 nodestats_fill_digest(const struct nodestats *, struct sync_stats *);
const struct ns_peer *nodestats_find(const struct nodestats *, uint32_t);
bool	 nodestats_stale(const struct ns_peer *, uint64_t now_ms);
const char *nodestats_dg_name(unsigned int);

/*
 * /proc/net/xfrm_stat ("XfrmInError   0" lines) into s->x: every counter
 * syncmsg_xstat_name() knows, in the file's order; other lines are
 * skipped.  Returns the number taken, or -1 when a known counter's value
 * is not a number.  text need not be NUL-terminated.
 */
int	 nodestats_parse_xfrm(const char *text, size_t len,
	    struct sync_stats *s);

#endif /* SYNCD_NODESTATS_H */
