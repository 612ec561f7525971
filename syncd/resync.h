/*
 * syncd/resync.h -- bulk resync phases (issue 5, item 5): a node that
 * joins or restarts gets a consistent snapshot of the SA database and
 * then the live stream, with no gap and no double-apply.  Pure: the edge
 * (cpg.c / loop.c) feeds configuration changes and deliveries in CPG
 * agreed order and runs the actions returned; nothing here sends.
 * Corosync's sync_init / process / activate / abort shape:
 *
 *   confchg ----> (init)   the cut: every member decides its part
 *   SENDING       (process) the sender emits BULK_BEGIN(cut, count),
 *                           count records flagged SYNC_F_BULK, BULK_END
 *   BULK_END      (activate) receivers apply what they buffered: SYNCED
 *   confchg again (abort)   everything in progress stops; a new cut
 *
 *                  confchg (joined, others present)
 *        INIT ------------------------------------> WAIT
 *          | confchg (alone / all joined at once)     | BULK_BEGIN(cut)
 *          v                                          v
 *       SYNCED <------------ BULK_END(cut, count) - RECEIVING
 *        |  ^                                         |
 *        |  +-- send done (END encoded) -- SENDING    +- confchg -> WAIT
 *        +- confchg, we are the sender --^  +- confchg: drain, decide again
 *
 * THE CUT.  CPG delivers configuration changes and messages in one agreed
 * total order (virtual synchrony).  Let C be the confchg at which node J
 * joins and E the agreed sequence of events.
 *   Sender.  At C the sender (below) freezes its database: from C until
 *   it has encoded its last record it applies nothing and buffers every
 *   live event.  Its database is therefore exactly state(E before C)
 *   while it reads the snapshot, whatever the loop turns and flow
 *   control in between.  When done it applies the buffer in order.
 *   Receiver.  From C on J buffers every live event; at BULK_BEGIN(C) it
 *   clears its database; it applies the bulk records; at BULK_END(C)
 *   with the count matching it applies the buffer in order and is
 *   SYNCED.
 *   No gap, no double-apply: every event e is either before C or after
 *   C in the total order, never both.  Before C: it is in the snapshot
 *   (the sender applied it before C) and J never receives it live (it
 *   was delivered in the old configuration).  After C: it is not in the
 *   snapshot (frozen at C) and J holds it in the buffer, applied once
 *   after the snapshot in agreed order.  So J's database = state(E),
 *   each event applied once -- gen idempotence is not needed for this
 *   argument (it remains a second line of defence).
 *   A stale bulk cannot be taken for a new one: BULK_BEGIN/END carry the
 *   cut id (resync_cut_id(): the totem ring id mixed with the confchg's
 *   member, joined and left lists, identical on every member of that
 *   configuration); records are taken only between a BEGIN and END of
 *   the current cut from the node that sent that BEGIN (one sender's
 *   messages are delivered in order), and END must count them all.
 *
 * WHO SENDS.  Every member that was in the previous configuration knows
 * the same history, so the same set of synced members (a member becomes
 * synced at a BULK_END it received, or by being there at the start):
 * the sender is the lowest node id among the members that stayed and are
 * synced.  They agree without a message.  A joiner need not know: it
 * takes the first BULK_BEGIN of the current cut.  If nobody that stayed
 * is synced (the only synced node left mid-bulk), the lowest one that
 * stayed declares its partial copy the truth and sends it; counted in
 * resync.stats.forced, logged by the edge.  Everyone joining at once (a
 * cluster start) or a node alone: SYNCED with what it holds.
 *
 * Not handled here: a partition merge, where each side sees the other
 * as joined; each side keeps its own database (both send a bulk and
 * both, being synced, ignore the other's).  The digests differ and
 * `haadm resync` re-fetches a node's copy, merged by gen (the edge does it:
 * syncd/resync_op.c, with its request as the cut; resync_force() is the
 * pure model's form).
 *
 * Memory: the buffer holds encoded messages (copies; wiped when freed:
 * they hold keys) up to RESYNC_Q_MAX_BYTES; past that the receiver gives
 * up (RESYNC_A_OVERFLOW: the edge leaves and rejoins the group, which is
 * a new cut).
 */
#ifndef SYNCD_RESYNC_H
#define SYNCD_RESYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sadb.h"
#include "tandem/syncmsg.h"
#include "tandem/wire.h"

#define RESYNC_MEMBERS_MAX	SYNC_ACK_MAX
#define RESYNC_Q_MAX_BYTES	(512UL * 1024 * 1024)

enum resync_phase {
	RESYNC_INIT = 0,	/* no configuration yet */
	RESYNC_SYNCED,		/* database current: apply live events */
	RESYNC_SENDING,		/* sending the snapshot: frozen, buffering */
	RESYNC_WAIT,		/* receiver: waiting for BULK_BEGIN(cut) */
	RESYNC_RECEIVING,	/* receiver: records in, live buffered */
	RESYNC_PHASE_MAX	/* keep last */
};

/*
 * Actions for the edge, to run in this order (bits of `act`):
 */
#define RESYNC_A_STOP_SEND	0x0001	/* abandon the bulk being sent */
#define RESYNC_A_DISCARD	0x0002	/* drop the buffer (resync_q_clear) */
#define RESYNC_A_DRAIN		0x0004	/* apply the buffer in order now */
#define RESYNC_A_CLEAR_DB	0x0008	/* sadb_clear(): snapshot follows */
#define RESYNC_A_SEND		0x0010	/* start sending (resync_send_next) */
#define RESYNC_A_SYNCED		0x0020	/* became synced: log, tell hamgrd */
#define RESYNC_A_UNSYNCED	0x0040	/* lost synced state: not eligible */
#define RESYNC_A_OVERFLOW	0x0080	/* buffer full: leave + rejoin */
#define RESYNC_A_FAILED		0x0100	/* BULK_END count mismatch: rejoin */

/* What to do with one delivered message. */
enum resync_verdict {
	RESYNC_APPLY = 0,	/* apply now (sync_apply / wal for ACK) */
	RESYNC_BUFFER,		/* resync_q_push(), apply at DRAIN */
	RESYNC_CONSUMED,	/* a BULK_BEGIN/END used by resync itself */
	RESYNC_DROP,		/* stale or not for us: count */
	RESYNC_VERDICT_MAX	/* keep last */
};

struct resync_cut {
	uint32_t	 node;
	uint64_t	 seq;
};

struct resync_out {
	enum resync_verdict v;
	unsigned int	 act;		/* RESYNC_A_* */
};

/* One buffered message (copy of the encoded bytes). */
struct resync_qent {
	struct resync_qent *next;
	uint32_t	 from;
	size_t		 len;
	uint8_t		 data[];	/* secret: wiped when freed */
};

struct resync_q {
	struct resync_qent *head, *tail;
	size_t		 n, bytes;
};

struct resync_stats {
	uint64_t	 bulks_sent, bulks_received, aborts, forced;
	uint64_t	 records_sent, records_received, buffered;
	uint64_t	 dropped[RESYNC_VERDICT_MAX];	/* [RESYNC_DROP] */
	uint64_t	 failed, overflow;
};

struct resync {
	uint32_t	 self;
	enum resync_phase phase;
	struct resync_cut cut;		/* the current configuration's */
	uint32_t	 members[RESYNC_MEMBERS_MAX];
	size_t		 n;
	uint32_t	 synced[RESYNC_MEMBERS_MAX];	/* our view */
	size_t		 n_synced;
	uint32_t	 sender;	/* bulk sender of this cut; 0 = none */
	uint32_t	 expect;	/* records announced by BEGIN */
	uint32_t	 got;		/* records taken */
	/* sending */
	struct sadb_cursor cur;
	struct sadb_item *item;		/* scratch, owned; wiped */
	int		 send_state;	/* internal: BEGIN, records, END */
	bool		 pending;	/* item read, not yet encoded */
	uint32_t	 sent;
	/* the bulk of this cut as every member observes it */
	bool		 bulk_open;
	uint32_t	 bulk_from;
	struct resync_q	 q;
	struct resync_stats stats;
};

/* 0, or -1 on allocation failure. */
int		 resync_init(struct resync *, uint32_t self);
/* Wipes and frees the buffer and the scratch record. */
void		 resync_fini(struct resync *);

/* The cut id of a configuration change: same on every member of it. */
struct resync_cut resync_cut_id(uint32_t ring_node, uint64_t ring_seq,
		    const uint32_t *members, size_t n, const uint32_t *joined,
		    size_t nj, const uint32_t *left, size_t nl);

/*
 * A configuration change (the CPG confchg callback's lists).  Returns the
 * actions (RESYNC_A_*).  Over RESYNC_MEMBERS_MAX members: the extra ones
 * are ignored.
 */
unsigned int	 resync_confchg(struct resync *, struct resync_cut cut,
		    const uint32_t *members, size_t n,
		    const uint32_t *joined, size_t nj);

/*
 * A delivered, decoded message from node `from`: what to do with it.
 * hdr is m's header; for BULK_BEGIN / BULK_END, m->u.bulk is read.  ACK
 * is always RESYNC_APPLY (wal, never buffered).  Live events are
 * APPLY when SYNCED, BUFFER otherwise.  Bulk records are APPLY only on a
 * receiver, from the current sender, between BEGIN and END.
 */
struct resync_out resync_deliver(struct resync *, uint32_t from,
		    const struct sync_msg *m);

/*
 * Sender: encode the next bulk message at w->len (BULK_BEGIN, then one
 * record per call, then BULK_END; hdr.seq 0, records flagged
 * SYNC_F_BULK).  Returns the bytes encoded (> 0), or 0 when there is
 * nothing (more) to send.  The call that encodes BULK_END sets *act to
 * RESYNC_A_DRAIN | RESYNC_A_SYNCED (otherwise *act = 0): the snapshot is
 * read, the edge applies its buffer and is live again.  -1 when w has
 * no room (w unchanged; the record is kept for the next call).  Call it
 * only after running a confchg's DRAIN; db must stay frozen (the edge
 * applies nothing while SENDING).  The caller wipes w's bytes after
 * sending (records hold keys).
 */
long		 resync_send_next(struct resync *, const struct sadb *,
		    struct wr *w, unsigned int *act);

/* Operator's `haadm resync`: become a receiver at the next cut.  The
 * edge then leaves and rejoins the group.  Returns the actions. */
unsigned int	 resync_force(struct resync *);

/* --- the buffer ---------------------------------------------------------- */
/* Copy buf (a whole encoded message) in; 0, -1 on allocation failure or
 * when RESYNC_Q_MAX_BYTES would be passed (then RESYNC_A_OVERFLOW). */
int		 resync_q_push(struct resync_q *, uint32_t from,
		    const uint8_t *buf, size_t len);
/* Oldest entry, or NULL; the caller frees it with resync_qent_free(). */
struct resync_qent *resync_q_pop(struct resync_q *);
void		 resync_qent_free(struct resync_qent *);
void		 resync_q_clear(struct resync_q *);

const char	*resync_phase_name(unsigned int phase);
const char	*resync_verdict_name(unsigned int v);

#endif /* SYNCD_RESYNC_H */
