/*
 * ikev2d/xfrm.h -- the XFRM netlink socket (the edge around xfrm_msg.c).
 *
 * Requests go out in batches: many messages in one sendto(), then every
 * answer is read and matched to its request by sequence number, so a
 * takeover installing thousands of SAs makes few system calls and still
 * learns which ones failed.  Every netlink error is reported to the caller.
 */
#ifndef IKEV2D_XFRM_H
#define IKEV2D_XFRM_H

#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#define XFRM_BATCH_BUF	(64 * 1024)

struct xfrm_sock {
	struct mnl_socket	*nl;
	uint32_t		 portid;
	uint32_t		 seq;		/* next request sequence number */
};

struct xfrm_batch {
	uint8_t			 buf[XFRM_BATCH_BUF];
	size_t			 len;
	uint32_t		 first_seq;
	unsigned int		 count;
};

/*
 * Answer to one request: err is 0 (ACK) or a negative errno; msg/len is
 * the kernel's answer when it was not an ACK (ALLOCSPI's NEWSA, GETAE's
 * NEWAE), else NULL.
 */
typedef void (*xfrm_answer_fn)(void *arg, uint32_t seq, int err,
    const void *msg, size_t len);

/* Open the socket; groups: XFRMNLGRP_* bits to listen to, or 0. */
int	xfrm_open(struct xfrm_sock *xs, unsigned int groups);
void	xfrm_close(struct xfrm_sock *xs);

void	xfrm_batch_init(struct xfrm_batch *b);
/*
 * Room for a message of up to XFRM_MSG_BUF bytes at the batch's end, and
 * the sequence number to build it with; then xfrm_batch_commit(len).
 * NULL when the batch is full: send it first.
 */
void	*xfrm_batch_next(struct xfrm_sock *xs, struct xfrm_batch *b,
	    uint32_t *seq);
void	 xfrm_batch_commit(struct xfrm_batch *b, size_t len);
/*
 * Send the batch and wait for every answer (each request asks for one).
 * Calls fn for each.  Wipes the batch buffer (it may hold keys).  Returns
 * the number of failed requests, or -1 if the socket failed.
 */
int	xfrm_batch_send(struct xfrm_sock *xs, struct xfrm_batch *b,
	    xfrm_answer_fn fn, void *arg);

#endif
