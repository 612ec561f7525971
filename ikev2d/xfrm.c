/*
 * ikev2d/xfrm.c -- the XFRM netlink socket: batched requests, answers
 * matched by sequence number (see xfrm.h).
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <string.h>
#include <sys/socket.h>

#include "tandem/secbuf.h"
#include "xfrm.h"
#include "xfrm_msg.h"

int
xfrm_open(struct xfrm_sock *xs, unsigned int groups)
{
	int	 on = 1;

	memset(xs, 0, sizeof(*xs));
	if ((xs->nl = mnl_socket_open(NETLINK_XFRM)) == NULL)
		return -1;
	if (mnl_socket_bind(xs->nl, groups, MNL_SOCKET_AUTOPID) == -1)
		goto fail;
	/* Errors of one request must not hide the answers to the rest. */
	(void)mnl_socket_setsockopt(xs->nl, NETLINK_EXT_ACK, &on, sizeof(on));
	xs->portid = mnl_socket_get_portid(xs->nl);
	xs->seq = 1;
	return 0;
 fail:
	mnl_socket_close(xs->nl);
	xs->nl = NULL;
	return -1;
}

void
xfrm_close(struct xfrm_sock *xs)
{
	if (xs->nl != NULL)
		mnl_socket_close(xs->nl);
	xs->nl = NULL;
}

void
xfrm_batch_init(struct xfrm_batch *b)
{
	b->len = 0;
	b->count = 0;
	b->first_seq = 0;
}

void *
xfrm_batch_next(struct xfrm_sock *xs, struct xfrm_batch *b, uint32_t *seq)
{
	if (sizeof(b->buf) - b->len < XFRM_MSG_BUF)
		return NULL;
	if (b->count == 0)
		b->first_seq = xs->seq;
	*seq = b->first_seq + b->count;
	return b->buf + b->len;
}

void
xfrm_batch_commit(struct xfrm_batch *b, size_t len)
{
	b->len += MNL_ALIGN(len);
	b->count++;
}

int
xfrm_batch_send(struct xfrm_sock *xs, struct xfrm_batch *b, xfrm_answer_fn fn,
    void *arg)
{
	uint8_t			 rbuf[MNL_SOCKET_BUFFER_SIZE * 4];
	const struct nlmsghdr	*nlh;
	unsigned int		 answered = 0;
	ssize_t			 n;
	int			 failed = 0, err, len;

	if (b->count == 0)
		return 0;
	xs->seq = b->first_seq + b->count;
	n = mnl_socket_sendto(xs->nl, b->buf, b->len);
	secure_wipe(b->buf, b->len);
	if (n < 0 || (size_t)n != b->len)
		return -1;
	while (answered < b->count) {
		n = mnl_socket_recvfrom(xs->nl, rbuf, sizeof(rbuf));
		if (n <= 0)
			return -1;
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			/* Not ours (multicast events): the listener's job. */
			if (nlh->nlmsg_pid != xs->portid ||
			    nlh->nlmsg_seq < b->first_seq ||
			    nlh->nlmsg_seq >= b->first_seq + b->count)
				continue;
			answered++;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				if (xfrm_parse_error(nlh, nlh->nlmsg_len,
				    &err) == -1)
					err = -EBADMSG;
				failed += err != 0;
				fn(arg, nlh->nlmsg_seq, err, NULL, 0);
			} else
				fn(arg, nlh->nlmsg_seq, 0, nlh,
				    nlh->nlmsg_len);
		}
	}
	xfrm_batch_init(b);
	return failed;
}
