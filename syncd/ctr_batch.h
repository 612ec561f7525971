/*
 * syncd/ctr_batch.h -- ESP counter replication policy (issue 5, item 4;
 * DESIGN guarantees 1 and 2).  Pure: the clock and the kernel's values
 * are arguments.
 *
 * OUTBOUND (the owner of an SA, per outbound Child SA): struct ctr_out
 * drives the sequence lease of replay.h from kernel observations (XFRM
 * async events and soft-packet EXPIREs carry the kernel's oseq):
 *
 *   observe(oseq) --want?--> LEASE(end) multicast with wal seq s
 *                              |  (every other member holds end: wal)
 *                              v
 *   committed(s) ----> lease_ack(end) ----> fence: program the kernel's
 *                                          hard/soft packet limits
 *
 * The fence is in the kernel's terms: packets counted since install, so
 * it needs the SA's base (oseq at install), learnt from the kernel's
 * (oseq, packets) reports by ctr_out_kernel() -- replay.h has the math
 * and its proof.  Nothing here assumes the SA was negotiated on this
 * node: one installed by a takeover (oseq = the lease end it resumes
 * at) is tracked from its first report the same way.
 *
 * At most one extension is in flight per SA; asking again before the
 * first commits would not help (the fence moves only on commit).  The
 * first lease is asked the same way, at the first report; a fence with
 * hard 0 means "nothing to program".  The edge programs min(fence, the
 * negotiated sa_lifetime packet limits).
 *
 * Bound (DESIGN 1): every number the owner's kernel sent is <= the end
 * each other member holds -- proof in replay.h; this file only ever
 * calls lease_ack() with an end whose LEASE event wal reports committed,
 * which is the one premise of that proof.  A takeover resumes at
 * lease_takeover_oseq(out_end held in the sadb).
 *
 * INBOUND (replay tops, every Child SA this node receives on): struct
 * ctr_batch collects struct sync_ctr records, coalescing repeats of one
 * SA (the latest top wins), and says when to send a SYNC_CTR: when `n`
 * distinct SAs changed, or `ms` after the first unsent change, whichever
 * first; never more than SYNC_CTR_MAX records per message.
 *
 * Bound (DESIGN 2): the kernel reports a receive top when it advanced by
 * rseqth packets or etime ms passed (XFRM AE thresholds, set by ikev2d
 * at install).  So the replicated in_top lags the kernel's by at most
 *     rseqth packets   or   etime + batch ms + delivery time,
 * and after a takeover at most rseqth packets (those received in the
 * last etime + batch ms) can be replayed once.  ctr_in_lag_bound_ms()
 * computes the time half for status output.
 */
#ifndef SYNCD_CTR_BATCH_H
#define SYNCD_CTR_BATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "tandem/replay.h"
#include "tandem/syncmsg.h"

#define CTR_BATCH_N_DEFAULT	64	/* SAs per CTR message */
#define CTR_BATCH_MS_DEFAULT	100	/* ms before a batch is due */

struct ctr_out {
	struct seq_lease lease;		/* end = committed (acknowledged) */
	uint64_t	 asked_end;	/* LEASE in flight; 0 = none */
	uint64_t	 asked_seq;	/* its wal seq */
	uint64_t	 last_oseq;	/* last kernel oseq observed */
	uint64_t	 last_packets;	/* the kernel's packet count then */
	uint64_t	 base;		/* oseq at install (replay.h) */
	bool		 base_known;
	bool		 held;		/* lease.end is held by every member */
	uint64_t	 fenced_end;	/* end the kernel was last fenced at */
	uint64_t	 fenced_base;	/* with this base */
};

struct ctr_fence {
	uint64_t	 hard_packets;	/* 0: no fence to program */
	uint64_t	 soft_packets;
	uint64_t	 end;		/* the lease end it enforces */
	enum lease_fence res;		/* why hard is 0 */
};

/* Same arguments as lease_init(); false when out of numbers. */
bool		 ctr_out_init(struct ctr_out *, uint64_t oseq0, uint64_t size,
		    uint64_t low_water, bool esn);
/*
 * The first report of the SA: its lease starts at oseq, or at held_end
 * (what the database holds for it, e.g. the first lease of a new SA's
 * CHILD_UP) when that is ahead.  Returns whether that end is held by
 * every member; if not (an SA installed by a takeover at the end members
 * hold, already past it), no fence is due before the first extension
 * commits.
 */
bool		 ctr_out_start(struct ctr_out *, uint64_t oseq,
		    uint64_t held_end);
/*
 * The kernel reports (oseq, packets) for the SA (an async event, or the
 * answer to GETAE).  Learns the base (replay.h: the largest report wins)
 * and the packet count.  True when the base is new or grew: a fence
 * programmed with the old one must be programmed again.
 */
bool		 ctr_out_kernel(struct ctr_out *, uint64_t oseq,
		    uint64_t packets);
/*
 * The kernel reports oseq.  True when a LEASE should be sent now, with
 * the end to ask for in *end; false while one is in flight, while the
 * lease is comfortable, or when the number space is exhausted (the SA
 * must be rekeyed: the fence stops it).
 */
bool		 ctr_out_observe(struct ctr_out *, uint64_t oseq,
		    uint64_t *end);
/* The LEASE for end went out with wal seq `seq`. */
void		 ctr_out_asked(struct ctr_out *, uint64_t end, uint64_t seq);
/*
 * wal committed everything up to commit_point.  If our LEASE is among
 * them: apply the end, fill *f with the new fence, return true (program
 * the kernel).  Else false.
 */
bool		 ctr_out_commit(struct ctr_out *, uint64_t commit_point,
		    struct ctr_fence *f);
/* The fence for the currently acknowledged lease, in the kernel's terms
 * (lease_kernel_fence(): base and the last packet count; no child
 * limits).  f->hard_packets 0 with f->res saying why when there is none
 * (the base is not known yet: LEASE_FENCE_NONE). */
void		 ctr_out_fence(const struct ctr_out *, struct ctr_fence *f);
/* The same, keeping the child's own packet limits where lower. */
void		 ctr_out_fence_cfg(const struct ctr_out *, uint64_t cfg_soft,
		    uint64_t cfg_hard, struct ctr_fence *f);
/* Is the kernel's fence behind the acknowledged end (or its base)? */
bool		 ctr_out_fence_due(const struct ctr_out *);
/* The kernel took fence f. */
void		 ctr_out_fenced(struct ctr_out *, const struct ctr_fence *f);
/* A configuration change lost our LEASE (never delivered): forget it so
 * the next observation asks again. */
void		 ctr_out_reset_ask(struct ctr_out *);

struct ctr_batch {
	uint16_t	 max_n;		/* 1..SYNC_CTR_MAX */
	uint32_t	 max_ms;
	uint64_t	 first_ms;	/* time of the first unsent record */
	struct sync_ctr_batch b;
	uint64_t	 coalesced;	/* records merged into one already held */
};

/* n 0 = CTR_BATCH_N_DEFAULT (capped at SYNC_CTR_MAX); ms 0 = default. */
void		 ctr_batch_init(struct ctr_batch *, uint16_t n, uint32_t ms);
/*
 * Add or merge a record.  A record for an SA already in the batch (same
 * dir, spi, dst) keeps the larger value (IN: its bitmap goes with it; on
 * equal tops the bitmaps are OR-ed).  Returns 0, or -1 when the batch
 * is full (take it first: ctr_batch_due() is true then).
 */
int		 ctr_batch_add(struct ctr_batch *, const struct sync_ctr *,
		    uint64_t now_ms);
bool		 ctr_batch_due(const struct ctr_batch *, uint64_t now_ms);
/* UINT64_MAX when empty. */
uint64_t	 ctr_batch_deadline(const struct ctr_batch *);
/* Move the batch into *out (for syncmsg_encode_ctr) and empty it;
 * returns the record count (0 = nothing to send). */
uint16_t	 ctr_batch_take(struct ctr_batch *, struct sync_ctr_batch *out);

/* The documented inbound lag in ms: etime_ms + batch ms. */
uint64_t	 ctr_in_lag_bound_ms(uint32_t aevent_etime_ms,
		    const struct ctr_batch *);

#endif /* SYNCD_CTR_BATCH_H */
