/*
 * ikev2d/xfrm_ops.h -- the kernel ops of the protocol core (ike_core.h,
 * struct kernel_ops) over XFRM netlink, and the listener for the kernel's
 * EXPIRE and ACQUIRE events.  Edge code: it logs (libqb) and owns two
 * netlink sockets.
 *
 * Requests are synchronous: one message, one answer, the kernel's error
 * returned to the core as a negative errno and logged with the SA or
 * policy named -- except between batch_begin and batch_end (a takeover
 * installing or removing a whole VIP group): then add_sa, del_sa,
 * add_policy and del_policy are queued into xfrm.c batches (many
 * requests per sendto, answers matched by sequence), answer 0 at once,
 * and each failure is logged and counted when its batch is sent;
 * batch_end returns how many failed.
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
	XOS_SET_CTR,
	XOS_MAX
};

/* What a batched request was, to name it when its answer comes. */
struct xfrm_ops_req {
	uint8_t		 op;		/* enum xfrm_ops_stat */
	uint8_t		 dir;		/* policies: enum kdir */
	uint32_t	 spi;		/* SAs */
	uint32_t	 reqid;
};

/*
 * Requests per batch.  The kernel answers each with an ack it drops
 * silently when our receive buffer is full (netlink unicast), so a batch
 * must fit its acks: about 1 KiB of buffer each (skb truesize), against
 * a 212 KiB default.  The request socket also times out (2 s) rather
 * than wait forever for an ack that was dropped.
 */
#define XFRM_OPS_BATCH_MAX	128
#define XFRM_OPS_RCV_TIMEOUT_S	2

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
	bool			 batching;	/* between batch_begin/end */
	struct xfrm_ops_req	*breq;		/* per batch slot, owned */
	unsigned int		 batch_failed;	/* since batch_begin */
	void			(*sa_failed)(void *, uint32_t);
	void			*sa_failed_arg;	/* batch_end's callback */
	uint64_t		 batches;	/* sent */
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
