/*
 * ikev2d/xfrm_msg.h -- XFRM netlink messages, built into the caller's
 * buffer (libmnl style).  Pure: no sockets, no allocation.
 *
 * Every builder returns the message length, or -1 when the buffer is too
 * small or the request cannot be expressed (unknown algorithm, key of the
 * wrong size, window over the kernel's limit).  Buffers that carry keys
 * must be wiped by the caller after sending (secure_wipe).
 */
#ifndef IKEV2D_XFRM_MSG_H
#define IKEV2D_XFRM_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "kernel_sa.h"

#define XFRM_MSG_BUF	2048	/* enough for any message built here */

/* XFRM_MSG_NEWSA, or XFRM_MSG_UPDSA when update (counters are ignored by
 * UPDSA: use xfrm_msg_newae for them). */
long	xfrm_msg_newsa(void *buf, size_t cap, uint32_t seq,
	    const struct kernel_sa *sa, bool update);
long	xfrm_msg_delsa(void *buf, size_t cap, uint32_t seq,
	    const struct kaddr *dst, uint32_t spi, uint8_t proto,
	    uint32_t mark, uint32_t mark_mask);
/* Ask the kernel for a free SPI in [min, max] for an SA to dst. */
long	xfrm_msg_allocspi(void *buf, size_t cap, uint32_t seq,
	    const struct kaddr *src, const struct kaddr *dst, uint8_t proto,
	    uint32_t reqid, uint32_t min, uint32_t max);
long	xfrm_msg_newpolicy(void *buf, size_t cap, uint32_t seq,
	    const struct kernel_policy *p, bool update);
long	xfrm_msg_delpolicy(void *buf, size_t cap, uint32_t seq,
	    const struct ksel *sel, enum kdir dir, uint32_t if_id,
	    uint32_t mark, uint32_t mark_mask);
/*
 * Replace the counters of a live SA (XFRM_MSG_NEWAE with NLM_F_REPLACE:
 * UPDSA silently ignores replay state, LAB-NOTES 3).  The SA's esn and
 * replay_window select the attribute form the kernel keeps.
 */
long	xfrm_msg_setae(void *buf, size_t cap, uint32_t seq,
	    const struct kernel_sa *sa);
/* XFRM_MSG_GETAE: read counters of (dst, spi, proto). */
long	xfrm_msg_getae(void *buf, size_t cap, uint32_t seq,
	    const struct kaddr *dst, uint32_t spi, uint8_t proto,
	    uint32_t mark, uint32_t mark_mask);

/* XFRM_MSG_GETSA: one SA, answered with a NEWSA (xfrm_parse_sa_stats). */
long	xfrm_msg_getsa(void *buf, size_t cap, uint32_t seq,
	    const struct kaddr *dst, uint32_t spi, uint8_t proto,
	    uint32_t mark, uint32_t mark_mask);

/* The kernel's algorithm name for an IKE transform id, or NULL. */
const char	*xfrm_encr_name(uint16_t encr);
const char	*xfrm_integ_name(uint16_t integ, unsigned int *trunc_bits);

#endif

/*
 * Parsers for what the kernel sends back: counters (NEWAE, as the answer
 * to GETAE and as an async event), EXPIRE, ACQUIRE, the SA an ALLOCSPI
 * created, and errors.  Each takes one netlink message (buf, len) and
 * checks every length against it.  Pure.  Return 0, or -1 when the
 * message is not of the expected type or is malformed.
 */
struct kernel_ae {
	struct kaddr	 dst;
	uint32_t	 spi;		/* host order */
	uint8_t		 proto;
	uint32_t	 reqid;
	uint64_t	 oseq;		/* last sequence number sent */
	uint64_t	 seq;		/* highest sequence number received */
	uint32_t	 bitmap;	/* low 32 bits of the replay window */
	uint32_t	 replay_window;	/* ESN form only, else 0 */
	bool		 esn_form;	/* state came as XFRMA_REPLAY_ESN_VAL */
	bool		 has_lifetime;
	uint64_t	 bytes, packets;	/* XFRMA_LTIME_VAL, if present */
};

struct kernel_expire {
	struct kaddr	 src, dst;
	uint32_t	 spi;
	uint8_t		 proto;
	uint32_t	 reqid;
	bool		 hard;		/* hard: the kernel deleted the SA */
	uint64_t	 bytes, packets;
};

struct kernel_acquire {
	struct ksel	 sel;		/* the packet that found no SA */
	struct kaddr	 src, dst;	/* template endpoints */
	uint8_t		 proto;
	uint32_t	 reqid;		/* from the template, 0 if none */
	uint32_t	 policy_index;
	uint8_t		 dir;
};

int	xfrm_parse_ae(const void *buf, size_t len, struct kernel_ae *out);
int	xfrm_parse_expire(const void *buf, size_t len,
	    struct kernel_expire *out);
int	xfrm_parse_acquire(const void *buf, size_t len,
	    struct kernel_acquire *out);
/* The SA in a NEWSA message (the kernel's answer to ALLOCSPI). */
int	xfrm_parse_sa_spi(const void *buf, size_t len, uint32_t *spi);
/* What the kernel counted for one SA (a NEWSA answering GETSA). */
struct kernel_sa_stats {
	uint32_t	 spi;
	uint64_t	 bytes, packets;		/* since the SA was added */
	uint64_t	 add_time, use_time;		/* seconds (wall clock) */
	uint32_t	 replay_drops;			/* outside the window */
	uint32_t	 integrity_failed;		/* ICV did not verify */
	uint32_t	 replay_window_drops;		/* stats.replay_window */
};

int	xfrm_parse_sa_stats(const void *buf, size_t len,
	    struct kernel_sa_stats *out);
/* NLMSG_ERROR: *err = the negative errno (0 for an ACK). */
int	xfrm_parse_error(const void *buf, size_t len, int *err);
