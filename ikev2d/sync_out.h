/*
 * ikev2d/sync_out.h -- ikev2d's side of the ikev2d <-> syncd socket:
 * SA events out as syncmsg, commit acknowledgements in, and the
 * write-ahead bound the edge's out_drain() releases datagrams by (DESIGN
 * guarantee 3; wa_queue.h).
 *
 * Socket: <rundir>/syncd-ike.sock, SOCK_SEQPACKET.  ikev2d -> syncd:
 * packs, one or more syncmsgs per datagram (each as long as its header
 * says, at most SYNC_MAX_LEN in all: a loop turn's events together);
 * syncd -> ikev2d: one syncmsg per datagram.  Events: IKE_UP (also for
 * IKE_REKEYED), IKE_DOWN,
 * IKE_MID, CHILD_UP (also for CHILD_REKEYED), CHILD_DOWN, with the
 * core's event sequence in hdr.seq.  syncd -> ikev2d: SYNC_ACK with
 * ack.node = 0 ("this node's syncd") and one entry {node = syncd's
 * corosync node id, seq = N}: every event up to N is held by every other
 * member of the CPG configuration (or the members that did not ack have
 * left it).  No new message type is needed for that.
 *
 * Times: the core's *_ms are CLOCK_MONOTONIC; sa_rec.h wants wall clock.
 * Each record is shifted by (REALTIME - MONOTONIC) sampled at the event.
 *
 * Modes:
 *   OFF        no syncd seen yet (or given up on): nothing is held, as
 *              before replication existed.  Connects are retried with
 *              back-off (100 ms doubling to 5 s).
 *   ON         connected: every event is sent; a datagram whose
 *              barrier (ev_seq) is above the acknowledged seq waits.
 *   LOST       the connection dropped while ON: datagrams stay held,
 *              unacknowledged events are kept (encoded, wiped when
 *              freed) and sent again on reconnect; after
 *              SYNC_OUT_GRACE_MS without syncd the mode falls to OFF
 *              (logged loudly) and everything held is released.
 * Events emitted while OFF are not replicated (a restarted syncd's
 * peers still hold them; the ikev2d SA reload is documented in
 * syncd/loop.c).
 *
 * Keys: the encoded messages hold keys; they travel only over this
 * socket and are wiped when acknowledged or dropped.  Nothing is logged
 * but types and sequence numbers.
 */
#ifndef IKEV2D_SYNC_OUT_H
#define IKEV2D_SYNC_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include <ev.h>

#define SYNC_OUT_SOCK		"syncd-ike.sock"
#define SYNC_OUT_GRACE_MS	3000
#define SYNC_OUT_QUEUE_MAX	65536	/* unacknowledged events kept */

struct ike_event;
struct sync_out;
struct wr;

/*
 * Start (not yet connected: the first attempt is made at once).
 * committed(arg) is called whenever the acknowledged seq advances or the
 * barrier is lifted, so the edge can drain its held datagrams.  NULL on
 * allocation failure.
 */
struct sync_out	*sync_out_new(struct ev_loop *loop, const char *rundir,
		    void (*committed)(void *arg), void *arg);
void		 sync_out_free(struct sync_out *);
/* One core event (borrowed for the call). */
void		 sync_out_event(struct sync_out *, const struct ike_event *ev);
/*
 * The core's event sequence jumped to seq without events in between (a
 * takeover imported records with higher gens, ike_takeover.c): the
 * numbers skipped were never emitted, so they count as committed as soon
 * as everything emitted before the jump is.  Without this, a datagram
 * queued after the jump (ev_seq = seq) but before the next event would
 * wait for an acknowledgement that never comes.
 */
void		 sync_out_seq_skip(struct sync_out *, uint64_t seq);
/*
 * The write-ahead bound: every event up to the returned seq is committed
 * (held by the cluster), so whatever waits for one of them may go;
 * UINT64_MAX when nothing is held (no syncd, mode OFF).
 */
uint64_t	 sync_out_upto(const struct sync_out *);
/* Status lines (ctl_put_kv): sync_mode, sync_acked, sync_held, ... */
void		 sync_out_status(const struct sync_out *, struct wr *w);

#endif /* IKEV2D_SYNC_OUT_H */
