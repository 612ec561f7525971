/*
 * ikev2d/sa_reload.h -- fetch the replicated SA records from this node's
 * syncd (the "SA reload stream", syncd_bulk_stream() in syncd/loop.c):
 * ikev2d's side of a takeover (CTL_ACTIVATE) and of a restart.
 *
 * A new, short-lived SEQPACKET connection to <rundir>/syncd-ike.sock,
 * never sync_out's own: the stream must not mix with the event /
 * acknowledgement traffic that the write-ahead barrier depends on.
 * ikev2d sends SYNC_BULK_BEGIN; syncd answers SYNC_BULK_BEGIN, every
 * IKE_UP record (all of them first), every CHILD_UP record (each with
 * SYNC_F_BULK), then SYNC_BULK_END {count}.
 *
 * Blocking, with poll() and one deadline for the whole stream: a takeover
 * is the one thing ikev2d must do at that moment, and the event loop has
 * nothing better to do than wait for the SAs it is taking over.
 *
 * Keys: each record is decoded into a scratch struct sync_msg that is
 * wiped after the sink saw it; the receive buffer is wiped too.
 */
#ifndef IKEV2D_SA_RELOAD_H
#define IKEV2D_SA_RELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sa_rec.h"

/*
 * The whole stream's deadline.  hamgrd waits IKE_CMD_TIMEOUT_MS (5 s,
 * ha/ike_cmd.c) for the reply to CTL_ACTIVATE, which also covers the
 * import and the kernel install after the fetch: keep this below it.
 */
#define SA_RELOAD_TIMEOUT_MS	3500

/* Called for every record (borrowed for the call, wiped after it). */
struct sa_reload_sink {
	void	(*ike)(void *arg, const struct sa_ike *r);
	void	(*child)(void *arg, const struct sa_child *r);
	void	*arg;
};

struct sa_reload_result {
	bool		 connected;	/* syncd answered the connect */
	uint32_t	 ike, child;	/* records delivered to the sink */
	uint32_t	 held;		/* BULK_BEGIN's count: what syncd holds */
	uint32_t	 announced;	/* BULK_END's count: what it sent */
	uint32_t	 bad;		/* datagrams that did not decode */
	uint64_t	 ms;		/* connect to BULK_END */
};

/*
 * Fetch every record syncd holds and hand each to the sink.  0 when the
 * stream ended with BULK_END; -1 with a reason in why (syncd not
 * reachable: res->connected false; stream cut, or the deadline passed),
 * the records delivered until then having been handed over all the
 * same.
 */
int	 sa_reload_fetch(const char *rundir, int timeout_ms,
	    const struct sa_reload_sink *sink, struct sa_reload_result *res,
	    char *why, size_t whylen);

#endif /* IKEV2D_SA_RELOAD_H */
