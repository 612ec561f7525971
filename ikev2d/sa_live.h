/*
 * ikev2d/sa_live.h -- a standby ikev2d's live copy of the replicated SAs
 * (issue 6: activation must not wait for a fetch).
 *
 * While some VIP group is STANDBY here, ikev2d holds one connection to
 * its syncd's syncd-ike.sock that asked for the live stream (SYNC_F_LIVE
 * in syncmsg.h): first the whole database (a bulk), then every record
 * syncd applies, as it applies it.  Each message goes into the core's
 * standby copies (ike_core_live_apply()) from the event loop, so the
 * copies are as current as syncd's database, less what is still in the
 * socket.  A takeover then drains exactly that (sa_live_barrier()): it
 * sends a barrier that syncd answers behind everything it had applied,
 * and applies what arrives before the answer.  Counters: the lease end a
 * takeover resumes at is then the one syncd held when it answered, as
 * with a fetch (DESIGN guarantee 1 is kept the same way).
 *
 * On connect, the standby groups' copies are dropped first: the bulk
 * that follows is the whole truth, and copies of SAs deleted while no
 * stream ran must not survive it.  Until the bulk has ended the stream
 * is not ready and a takeover fetches as before (sa_reload.h).  A closed
 * stream (syncd restarted, or disconnected us on overrun) is reconnected
 * every second while wanted.
 */
#ifndef IKEV2D_SA_LIVE_H
#define IKEV2D_SA_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "tandem/wire.h"

struct ike_core;
struct sa_live;

/* jump: the core's event sequence rose (imports raise it). */
struct sa_live	*sa_live_new(struct ev_loop *, const char *rundir,
		    struct ike_core *, void (*jump)(void *, uint64_t),
		    void *arg);
void		 sa_live_free(struct sa_live *);
/* Hold the stream (connect if needed) or drop it. */
void		 sa_live_want(struct sa_live *, bool want);
/* A connected stream starts over: new connection, new bulk. */
void		 sa_live_restart(struct sa_live *);
/* Connected and past the bulk. */
bool		 sa_live_ready(const struct sa_live *);
/*
 * Apply everything syncd applied before this call.  Blocks for at most
 * timeout_ms.  0; or -1 with why (not ready, syncd closed, too slow):
 * then the stream is closed and reconnects, and the copies must not be
 * trusted for a takeover.  *ms: how long it took.
 */
int		 sa_live_barrier(struct sa_live *, int timeout_ms,
		    uint64_t *ms, char *why, size_t whylen);
/* Status lines (live_*). */
void		 sa_live_status(const struct sa_live *, struct wr *w);

#endif
