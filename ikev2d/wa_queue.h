/*
 * ikev2d/wa_queue.h -- datagrams held behind the write-ahead barrier
 * (DESIGN guarantee 3; ike_core.h, "Write-ahead").  Pure: no I/O, no
 * clock; loop.c feeds it and sends what it releases.
 *
 * Each datagram waits for its own barrier (dgram->ev_seq, the last event
 * of its IKE SA), not for the newest event of the core: SAs whose events
 * are committed go while others wait (no head-of-line blocking across
 * SAs).  Within one IKE SA (dgram->ike_uid, 0 = none) the order is kept:
 * a datagram's barrier is raised at push to that of the SA's last held
 * one, so it can never be released before it.  Release walks the queue
 * in arrival order.
 *
 * "upto": every event up to this seq is committed (sync_out_upto();
 * UINT64_MAX when nothing is to be held).  Acknowledgements are
 * cumulative, so a barrier <= upto means the datagram may go.
 *
 * Ownership: wa_push() copies the datagram (buf included); the release
 * callback borrows it for the call; the queue frees it afterwards.
 */
#ifndef IKEV2D_WA_QUEUE_H
#define IKEV2D_WA_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"

#define WA_QUEUE_MAX	65536	/* held datagrams; beyond: dropped */

struct wa_ent;

struct wa_queue {
	struct wa_ent	*head, *tail;
	size_t		 n, max;
	uint64_t	 held;		/* datagrams ever pushed */
	uint64_t	 full;		/* refused: max reached or no memory */
};

/* max 0: WA_QUEUE_MAX. */
void	 wa_queue_init(struct wa_queue *, size_t max);
/* Free everything held (nothing is sent). */
void	 wa_queue_fini(struct wa_queue *);
/*
 * May g go at once, without being queued?  Its barrier is committed and
 * nothing of its IKE SA is held.
 */
bool	 wa_may_pass(const struct wa_queue *, const struct ike_dgram *g,
	    uint64_t upto);
/* Hold a copy of g.  0, or -1 (full, or no memory: counted in full). */
int	 wa_push(struct wa_queue *, const struct ike_dgram *g);
/*
 * Release, in arrival order, every held datagram whose barrier is
 * <= upto: send(arg, g) for each, then free it.  Returns how many.
 */
size_t	 wa_release(struct wa_queue *, uint64_t upto,
	    void (*send)(void *arg, const struct ike_dgram *g), void *arg);
/* The lowest barrier held, UINT64_MAX if none (status, tests). */
uint64_t wa_min_barrier(const struct wa_queue *);

#endif /* IKEV2D_WA_QUEUE_H */
