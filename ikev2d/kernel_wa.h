/*
 * ikev2d/kernel_wa.h -- kernel installs behind the write-ahead barrier
 * (DESIGN guarantee 3; ike_core.h, "Write-ahead": "the kernel ops may
 * defer their netlink requests the same way").  A struct kernel_ops
 * that sits between the core and the real backend (xfrm_ops.c, or
 * kernel_null.c): pure, no I/O of its own.
 *
 * While the edge holds datagrams (upto() != UINT64_MAX: syncd is
 * there), add_sa, del_sa, add_policy and del_policy are copied into a
 * FIFO and answer 0.  A request waits for every event emitted by the
 * call into the core that made it: the edge calls kernel_wa_settle()
 * with the core's last event seq after each call.  A Child SA is
 * installed, then its CHILD_UP (or CHILD_REKEYED) is emitted, in the same
 * call; it is removed, then its CHILD_DOWN -- so a Child SA enters (and
 * leaves) the kernel once the other nodes hold that event, at the same
 * acknowledgement that releases the response (responder: the response
 * waits for its SA's last event, emitted by that call), or as soon as
 * the event commits (initiator: there is no response).  Not the first
 * event after the request: the IKE_UP of an IKE_AUTH follows the
 * install of its first Child SA (its response is cached first) but
 * precedes its CHILD_UP.  kernel_wa_release() runs, in order, every
 * request whose tag is committed.  Acks are cumulative and tags grow
 * along the FIFO, so the FIFO order is the kernel order.
 *
 * Not deferred: alloc_spi (answers synchronously, a larval SA only);
 * everything between batch_begin and batch_end (a takeover installs
 * SAs the cluster already holds; passed through in one batch); every
 * request while nothing is held (upto() == UINT64_MAX) and the FIFO is
 * empty -- then errors reach the core at once, as without this layer.
 *
 * A deferred add_sa that fails is logged by the backend and counted
 * here (late_failed); its SPI is kept (kernel_wa_take_failed()) so the
 * edge can make the core drop that Child SA (a hard expire: DELETE to
 * the peer) -- the response already told the peer it exists.
 *
 * The first lease: a deferred outbound SA new here (kernel_sa.first_lease)
 * is installed with the packet limits of its first sequence lease, which
 * its CHILD_UP carries (syncd) and which the cluster holds by the time
 * the request runs -- fenced from its first packet (DESIGN guarantee 1);
 * syncd takes over the fence at the SA's first counter event.
 *
 * Keys: each deferred add_sa holds a struct kernel_sa with keys, wiped
 * when run or dropped.
 */
#ifndef IKEV2D_KERNEL_WA_H
#define IKEV2D_KERNEL_WA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_core.h"

#define KERNEL_WA_MAX		65536	/* deferred requests */
#define KERNEL_WA_FAILED_MAX	64	/* SPIs kept for take_failed */

struct kwa_req;

struct kernel_wa {
	const struct kernel_ops	*next;		/* the real backend */
	void			*next_arg;
	uint64_t		(*upto)(void *arg);	/* sync_out_upto() */
	void			*upto_arg;
	struct kwa_req		*head, *tail;
	struct kwa_req		*untagged;	/* first not yet tagged */
	size_t			 n;
	bool			 batching;
	uint32_t		 failed_spi[KERNEL_WA_FAILED_MAX];
	size_t			 nfailed;
	/* counters */
	uint64_t		 deferred;	/* requests ever queued */
	uint64_t		 late_failed;	/* deferred, then failed */
	uint64_t		 full;		/* refused: queue full / ENOMEM */
};


void	 kernel_wa_init(struct kernel_wa *, const struct kernel_ops *next,
	    void *next_arg, uint64_t (*upto)(void *), void *upto_arg);
/* The ops table for env.kernel (env.kernel_arg = the struct kernel_wa):
 * with batches if the backend has them. */
const struct kernel_ops *kernel_wa_ops_for(const struct kernel_wa *);
/* Drop what is queued (nothing reaches the kernel), keys wiped. */
void	 kernel_wa_fini(struct kernel_wa *);
/* A call into the core ended; seq: the core's last event seq.  What the
 * call asked waits for it. */
void	 kernel_wa_settle(struct kernel_wa *, uint64_t seq);
/* Run, in order, every tagged request with tag <= upto.  How many. */
size_t	 kernel_wa_release(struct kernel_wa *, uint64_t upto);
/* Copy out (and forget) the SPIs of deferred add_sa that failed. */
size_t	 kernel_wa_take_failed(struct kernel_wa *, uint32_t *spi,
	    size_t cap);

#endif /* IKEV2D_KERNEL_WA_H */
