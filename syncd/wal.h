/*
 * syncd/wal.h -- write-ahead commit tracking (DESIGN guarantee 3; issue
 * 5, item 2).  Pure: no I/O, the clock is an argument (now_ms, monotonic).
 *
 * Corosync gives agreed order only: seeing our own message delivered does
 * not prove the others hold it.  So:
 *
 * SENDING SIDE.  Every replicated event this node multicasts (IKE_*,
 * CHILD_*, CTR, LEASE) gets the next sequence number, 1, 2, ... from
 * wal_assign(); the edge puts it in the sync header (hdr.seq) and
 * multicasts at once (assign and mcast happen in one loop turn, so no
 * configuration change falls between them).  hdr.seq 0 marks messages
 * that are not tracked: ACK, BULK_BEGIN/END and bulk records.
 * Seq is 64-bit and starts at 1 per syncd process: it does not wrap
 * (2^64 events at 10^7/s is 58,000 years), so plain < compares are used.
 *
 * Other members answer with cumulative SYNC_ACKs: (acking node, sender
 * node, highest seq held from that sender).  Event s is COMMITTED when
 * every other member m of the current configuration has
 *     acked(m) >= s   or   floor(m) >= s,
 * where floor(m) is the last seq we had assigned when m joined.  Why the
 * floor is sound: events assigned before the configuration change that
 * added m were sent in the old configuration, and virtual synchrony
 * delivers them there, before the change: they are in the snapshot m
 * receives by bulk resync, and m never sees them live -- waiting for its
 * ack would stall forever.  A member that leaves stops counting: if the
 * members that had not acked leave, pending events commit (a
 * configuration change is a commit point).  Alone, an event commits at
 * once.  The commit point is min over members of max(acked, floor),
 * capped at the last assigned seq; it never moves backwards (a member
 * that joins has floor = last assigned, so it cannot lower it).
 *
 * Pipelined: up to the capacity given to wal_init() events in flight,
 * each with a caller's tag (e.g. ikev2d's ev_seq, so the edge can release
 * the datagrams that carry that ev_seq); wal_pop_committed() hands the
 * tags back in order once committed.
 *
 * DELIVERY-TRACKED MODE (wal_track_delivery(), what syncd runs).  The
 * edge keeps multicasts under back-pressure in its own FIFO, so an event
 * assigned before a configuration change may reach the ring after it,
 * in the new configuration: it is then not in the joiner's snapshot and
 * the joiner must acknowledge it.  In this mode the edge reports each of
 * its own events as corosync delivers it back (wal_delivered()), the
 * join floor is the last own event DELIVERED before the change (what
 * the bulk sender's database holds at the cut) instead of the last
 * assigned, and the commit point is also capped by what was delivered:
 * alone, an event commits when corosync delivers it back (agreed
 * order: no other member can ack it earlier, so with members the cap
 * costs nothing).
 *
 * LOSING COROSYNC is not a configuration change.  When this node's
 * corosync connection breaks (wal_lost()), events already delivered back
 * to us may or may not have reached the others (agreed order only; the
 * others' configuration change, which would settle it, is not seen
 * here).  So nothing commits while lost: pending events stay pending --
 * their IKE responses stay held -- whatever was delivered.  They are
 * resolved when syncd rejoins (wal_rejoin(), before the confchg of the
 * join): they are then neither committed nor acknowledged to their
 * senders; their tags are dropped (reported to the caller, which makes
 * ikev2d send them again, to be committed anew) and the members of the
 * new configuration start from a floor past them.
 *
 * RECEIVING SIDE.  wal_held() records that an event (sender, seq) was
 * delivered and is held (applied, or buffered by resync: both survive
 * this node's takeover of the SA, as the buffer is applied before this
 * node can become active).  Acks are batched: one is due when `ack_n`
 * events are unacked or `ack_ms` passed since the first unacked one,
 * whichever first.  The edge calls wal_ack_due(now) after each delivery
 * batch and at wal_ack_deadline(), and sends what wal_ack_build() gives.
 * A sender's entry is reset when it leaves the configuration (a restarted
 * syncd starts its sequence at 1 again).
 */
#ifndef SYNCD_WAL_H
#define SYNCD_WAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/syncmsg.h"

#define WAL_MEMBERS_MAX		SYNC_ACK_MAX	/* nodes in a configuration */
#define WAL_ACK_N_DEFAULT	32	/* events per ack, at most */
#define WAL_ACK_MS_DEFAULT	2	/* ms before an ack is due */

struct wal_member {
	uint32_t	 node;
	uint64_t	 acked;		/* highest of our seqs it acked */
	uint64_t	 floor;		/* our last seq when it joined */
	/* receiving side: what we hold from it */
	uint64_t	 held;		/* highest seq of its events held */
	uint64_t	 held_acked;	/* highest `held` we acked */
};

struct wal_slot {
	uint64_t	 seq;
	uint64_t	 tag;
};

struct wal {
	uint32_t	 self;
	uint64_t	 last_seq;	/* last assigned; 0 = none */
	uint64_t	 commit;	/* commit point: all <= are committed */
	uint64_t	 popped;	/* tags handed back up to this seq */
	bool		 track_delivery; /* see DELIVERY-TRACKED MODE */
	uint64_t	 delivered;	/* highest own seq delivered back */
	bool		 lost;		/* corosync lost: nothing commits */
	/* in-flight ring: seqs popped+1 .. last_seq */
	struct wal_slot	*ring;
	size_t		 cap;		/* power of two */
	/* members of the current configuration, self excluded */
	struct wal_member m[WAL_MEMBERS_MAX];
	size_t		 n;
	/* ack batching */
	uint32_t	 ack_n;
	uint32_t	 ack_ms;
	uint32_t	 unacked;	/* events held since the last ack */
	uint64_t	 first_unacked_ms;
	/* counters */
	uint64_t	 acks_in, acks_stale, acks_unknown, acks_out;
	uint64_t	 lost_resolved;	/* events dropped by wal_rejoin() */
};

/* cap: events in flight (rounded up to a power of two, >= 16); ack_n /
 * ack_ms 0 = the defaults.  0, or -1 on allocation failure. */
int		 wal_init(struct wal *, uint32_t self, size_t cap,
		    uint32_t ack_n, uint32_t ack_ms);
void		 wal_fini(struct wal *);

/* --- sending side ----------------------------------------------------- */
/* The next seq for an event carrying tag; 0 when cap events are in
 * flight (back-pressure: wait for commits). */
uint64_t	 wal_assign(struct wal *, uint64_t tag);
/*
 * Apply one decoded ACK (struct sync_ack): only the entry for our node
 * is used.  Returns 1 when the commit point advanced, else 0.  Stale
 * (lower than held), duplicate and unknown-node acks are counted.
 */
int		 wal_ack(struct wal *, const struct sync_ack *);
bool		 wal_committed(const struct wal *, uint64_t seq);
uint64_t	 wal_commit_point(const struct wal *);
/* Next committed event's (seq, tag) in order: 1, or 0 when none. */
int		 wal_pop_committed(struct wal *, uint64_t *seq, uint64_t *tag);
size_t		 wal_inflight(const struct wal *);
/* Switch to delivery-tracked mode (before the first wal_assign). */
void		 wal_track_delivery(struct wal *);
/* Delivery-tracked: our own event seq came back from corosync.  Returns
 * 1 when the commit point advanced. */
int		 wal_delivered(struct wal *, uint64_t seq);

/*
 * A new configuration (members include self or not; duplicates are
 * ignored).  Members that left are dropped (their acks no longer
 * needed, their held entry reset); members that joined get floor =
 * last assigned.  Returns 1 when the commit point advanced.  -1 when
 * more than WAL_MEMBERS_MAX members (the extra are ignored).
 */
int		 wal_confchg(struct wal *, const uint32_t *members, size_t n);

/*
 * This node lost its corosync connection (see LOSING COROSYNC): from now
 * until wal_rejoin() no event commits; members are kept (for the
 * status) but their acks can no longer arrive.
 */
void		 wal_lost(struct wal *);
bool		 wal_is_lost(const struct wal *);
/*
 * Back in a configuration after wal_lost(): call before the first
 * wal_confchg() of the join.  Every event not committed at the loss is
 * resolved without a commit: its tag is dropped (wal_pop_committed()
 * gives it with tag 0), and every member of the coming configuration is
 * treated as a joiner whose floor is past it.  Returns how many events
 * were dropped (the caller has their senders send them again).
 */
size_t		 wal_rejoin(struct wal *);

/* --- receiving side --------------------------------------------------- */
/* An event (sender, seq) is held.  seq 0 and our own node: ignored. */
void		 wal_held(struct wal *, uint32_t sender, uint64_t seq,
		    uint64_t now_ms);
bool		 wal_ack_due(const struct wal *, uint64_t now_ms);
/* When an ack falls due by time; UINT64_MAX when nothing is unacked. */
uint64_t	 wal_ack_deadline(const struct wal *);
/* Fill *a with every sender whose held advanced since the last ack and
 * reset the batch.  Returns a->n (0: nothing to ack). */
uint16_t	 wal_ack_build(struct wal *, struct sync_ack *a);

#endif /* SYNCD_WAL_H */
