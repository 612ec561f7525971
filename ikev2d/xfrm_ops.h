/*
 * ikev2d/xfrm_ops.h -- the kernel ops of the protocol core (ike_core.h,
 * struct kernel_ops) over XFRM netlink, and the listener for the kernel's
 * EXPIRE and ACQUIRE events.  Edge code: it logs (libqb) and owns two
 * netlink sockets.
 *
 * Requests are synchronous: one message, one answer, the kernel's error
 * returned to the core as a negative errno and logged with the SA or
 * policy named.  (xfrm.c batches; a takeover that installs thousands of
 * SAs will use batches, the exchanges install a few at a time.)
 *
 * Inbound SAs: alloc_spi reserves the SPI with XFRM_MSG_ALLOCSPI, which
 * leaves a larval state in the kernel; add_sa of an SPI reserved that way
 * becomes XFRM_MSG_UPDSA of the larval state (a NEWSA would collide with
 * it), every other add_sa a NEWSA.  The larval state expires by itself
 * after net.core.xfrm_acq_expires (30 s) if the negotiation never ends.
 *
 * Policies are installed with XFRM_MSG_UPDPOLICY: a trap policy turned
 * into the policy of an established Child SA, or one left behind by a
 * predecessor (a standby taking over, a restarted daemon), is replaced
 * instead of failing with EEXIST.
 */
#ifndef IKEV2D_XFRM_OPS_H
#define IKEV2D_XFRM_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/log.h"
#include "ike_core.h"
#include "xfrm.h"
#include "xfrm_msg.h"

/* SPIs ikev2d allocates (strongSwan uses the same range). */
#define XFRM_OPS_SPI_MIN	0xc0000000u
#define XFRM_OPS_SPI_MAX	0xcfffffffu
#define XFRM_OPS_LARVAL_MAX	4096	/* SPIs reserved, not yet added */

struct xfrm_larval {
	struct kaddr	 dst;
	uint32_t	 spi;
	uint8_t		 proto;
};

enum xfrm_ops_stat {
	XOS_ALLOC_SPI = 0,
	XOS_ADD_SA,
	XOS_DEL_SA,
	XOS_ADD_POLICY,
	XOS_DEL_POLICY,
	XOS_MAX
};

struct xfrm_ops_ctx {
	struct xfrm_sock	 req;		/* requests and their answers */
	struct xfrm_sock	 ev;		/* EXPIRE and ACQUIRE groups */
	bool			 ev_open;
	struct xfrm_batch	*batch;		/* owned, wiped after each use */
	struct xfrm_larval	*larval;	/* owned */
	size_t			 nlarval;
	uint64_t		 ok[XOS_MAX], failed[XOS_MAX];
	uint64_t		 expires, acquires;
	uint64_t		 ev_lost;	/* ENOBUFS on the listener */
	uint64_t		 ev_bad;	/* events that do not parse */
	struct log_rate		 rl_fail, rl_ev;
};

/* The ops table; kernel_arg is a struct xfrm_ops_ctx *. */
extern const struct kernel_ops xfrm_kernel_ops;

/*
 * Open the request socket and, if listen, the event socket (nonblocking).
 * 0, or -1 with the reason logged (then nothing stays open).
 */
int	xfrm_ops_open(struct xfrm_ops_ctx *x, bool listen);
void	xfrm_ops_close(struct xfrm_ops_ctx *x);
/* The event socket's descriptor, or -1. */
int	xfrm_ops_event_fd(const struct xfrm_ops_ctx *x);

struct xfrm_ops_events {
	void	(*expire)(void *arg, const struct kernel_expire *e);
	void	(*acquire)(void *arg, const struct kernel_acquire *a);
	void	*arg;
};

/*
 * Read what the event socket holds now (nonblocking) and call the sink
 * for each EXPIRE and ACQUIRE.  Returns the number of events, or -1 if
 * the socket failed (logged).
 */
int	xfrm_ops_read_events(struct xfrm_ops_ctx *x,
	    const struct xfrm_ops_events *sink);

const char	*xfrm_ops_stat_name(unsigned int);
/* "192.0.2.1" / "2001:db8::1" into buf; buf on every path. */
const char	*xfrm_ops_addr_str(const struct kaddr *a, char *buf,
		    size_t len);

#endif
