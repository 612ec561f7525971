/*
 * ikev2d/xfrm_ops.c -- struct kernel_ops over XFRM netlink, and the
 * EXPIRE / ACQUIRE listener (see xfrm_ops.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <inttypes.h>

#include "tandem/clock.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "xfrm_ops.h"

struct answer {
	int		 err;
	bool		 got_spi;
	uint32_t	 spi;
};

static const char *const stat_names[] = {
	[XOS_ALLOC_SPI]	 = "alloc_spi",
	[XOS_ADD_SA]	 = "add_sa",
	[XOS_DEL_SA]	 = "del_sa",
	[XOS_ADD_POLICY] = "add_policy",
	[XOS_DEL_POLICY] = "del_policy",
	[XOS_SET_CTR]	 = "set_counters",
};
_Static_assert(nitems(stat_names) == XOS_MAX, "a name per kernel op");

static const char *const dir_names[] = { "in", "out", "fwd" };

const char *
xfrm_ops_stat_name(unsigned int s)
{
	return s < nitems(stat_names) ? stat_names[s] : "?";
}

const char *
xfrm_ops_addr_str(const struct kaddr *a, char *buf, size_t len)
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* "198.51.100.0/25 -> 198.51.100.128/25" */
static const char *
sel_str(const struct ksel *s, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u -> %s/%u",
	    xfrm_ops_addr_str(&s->src, a, sizeof(a)), s->src_plen,
	    xfrm_ops_addr_str(&s->dst, b, sizeof(b)), s->dst_plen);
	return buf;
}

static void
on_answer(void *arg, uint32_t seq, int err, const void *msg, size_t len)
{
	struct answer	*a = arg;

	a->err = err;
	if (msg != NULL && xfrm_parse_sa_spi(msg, len, &a->spi) == 0)
		a->got_spi = true;
}

/*
 * Send the one message built at the batch's start (len from its builder)
 * and wait for its answer.  0 or a negative errno; the batch is wiped and
 * empty afterwards on every path.
 */
static int
request(struct xfrm_ops_ctx *x, long len, struct answer *a)
{
	int	 rc;

	memset(a, 0, sizeof(*a));
	if (len < 0) {
		secure_wipe(x->batch->buf, XFRM_MSG_BUF);
		xfrm_batch_init(x->batch);
		return -EINVAL;		/* cannot be expressed: logged by caller */
	}
	xfrm_batch_commit(x->batch, (size_t)len);
	rc = xfrm_batch_send(&x->req, x->batch, on_answer, a);
	if (rc == -1) {
		rc = errno != 0 ? -errno : -EIO;
		xfrm_batch_init(x->batch);
		return rc;
	}
	return a->err;
}

/* Room for one message; the batch is always empty between requests. */
static void *
slot(struct xfrm_ops_ctx *x, uint32_t *seq)
{
	xfrm_batch_init(x->batch);
	return xfrm_batch_next(&x->req, x->batch, seq);
}

static void
count(struct xfrm_ops_ctx *x, enum xfrm_ops_stat s, int err)
{
	if (err == 0)
		x->ok[s]++;
	else
		x->failed[s]++;
}

/* ------------------------------------------------------------------ */
/* Batches (batch_begin .. batch_end)                                   */

static void
on_batch_answer(void *arg, uint32_t seq, int err, const void *msg,
    size_t len)
{
	struct xfrm_ops_ctx	*x = arg;
	struct xfrm_ops_req	*q;
	unsigned int		 i = seq - x->batch->first_seq;

	if (i >= x->batch->count || i >= XFRM_OPS_BATCH_MAX)
		return;
	q = &x->breq[i];
	/* a delete of what is not there is what we wanted (DELSA says
	 * ESRCH, DELPOLICY ENOENT) */
	if ((err == -ENOENT || err == -ESRCH) && (q->op == XOS_DEL_SA ||
	    q->op == XOS_DEL_POLICY))
		err = 0;
	count(x, q->op, err);
	if (err == 0)
		return;
	x->batch_failed++;
	/* an SA whose counters could not be set is as unusable as one
	 * that could not be added */
	if ((q->op == XOS_ADD_SA || q->op == XOS_SET_CTR) &&
	    x->sa_failed != NULL)
		x->sa_failed(x->sa_failed_arg, q->spi);
	if (q->op == XOS_ADD_POLICY || q->op == XOS_DEL_POLICY)
		log_err("policy %s reqid %u: batched %s: %s",
		    q->dir < nitems(dir_names) ? dir_names[q->dir] : "?",
		    q->reqid, stat_names[q->op], strerror(-err));
	else
		log_err("child spi 0x%08x: batched %s (reqid %u): %s", q->spi,
		    stat_names[q->op], q->reqid, strerror(-err));
}

/* Send what is queued; failures are counted by on_batch_answer(). */
static void
batch_flush(struct xfrm_ops_ctx *x)
{
	unsigned int	 n = x->batch->count;
	uint64_t	 t0;

	if (n == 0)
		return;
	x->batches++;
	t0 = mono_us();
	if (xfrm_batch_send(&x->req, x->batch, on_batch_answer, x) == -1) {
		/* the socket failed: what was not answered is lost */
		log_err("xfrm: batch of %u request(s): %m", n);
		x->batch_failed += n;
		xfrm_batch_init(x->batch);
	}
	log_debug("xfrm: batch of %u request(s) answered in %" PRIu64 " us",
	    n, mono_us() - t0);
}

/* Room for one more request in the batch (sending it first if full). */
static void *
bslot(struct xfrm_ops_ctx *x, uint32_t *seq)
{
	void	*m;

	if (x->batch->count < XFRM_OPS_BATCH_MAX &&
	    (m = xfrm_batch_next(&x->req, x->batch, seq)) != NULL)
		return m;
	batch_flush(x);
	return xfrm_batch_next(&x->req, x->batch, seq);
}

/* Queue the message bslot() gave (len from its builder, or -1). */
static int
bqueue(struct xfrm_ops_ctx *x, void *m, long len, enum xfrm_ops_stat op,
    uint32_t spi, uint32_t reqid, unsigned int dir)
{
	struct xfrm_ops_req	*q;

	if (len < 0) {
		secure_wipe(m, XFRM_MSG_BUF);
		count(x, op, -EINVAL);
		x->batch_failed++;
		return -EINVAL;
	}
	q = &x->breq[x->batch->count];
	q->op = (uint8_t)op;
	q->dir = (uint8_t)dir;
	q->spi = spi;
	q->reqid = reqid;
	xfrm_batch_commit(x->batch, (size_t)len);
	return 0;
}

static int
op_batch_begin(void *arg)
{
	struct xfrm_ops_ctx	*x = arg;

	if (x->batching || x->breq == NULL)
		return -EBUSY;
	xfrm_batch_init(x->batch);
	x->batching = true;
	x->batch_failed = 0;
	return 0;
}

static int
op_batch_end(void *arg, void (*sa_failed)(void *, uint32_t), void *cb_arg)
{
	struct xfrm_ops_ctx	*x = arg;

	if (!x->batching)
		return -EINVAL;
	x->sa_failed = sa_failed;
	x->sa_failed_arg = cb_arg;
	batch_flush(x);
	x->batching = false;
	x->sa_failed = NULL;
	x->sa_failed_arg = NULL;
	return (int)x->batch_failed;
}

/* ------------------------------------------------------------------ */
/* Larval SPIs (ALLOCSPI done, SA not yet added)                        */

static ssize_t
larval_find(const struct xfrm_ops_ctx *x, const struct kaddr *dst,
    uint32_t spi, uint8_t proto)
{
	size_t	 i;

	for (i = 0; i < x->nlarval; i++)
		if (x->larval[i].spi == spi && x->larval[i].proto == proto &&
		    x->larval[i].dst.family == dst->family &&
		    memcmp(x->larval[i].dst.addr, dst->addr, 16) == 0)
			return (ssize_t)i;
	return -1;
}

static void
larval_del(struct xfrm_ops_ctx *x, const struct kaddr *dst, uint32_t spi,
    uint8_t proto)
{
	ssize_t	 i;

	if ((i = larval_find(x, dst, spi, proto)) < 0)
		return;
	x->larval[i] = x->larval[--x->nlarval];
}

static void
larval_add(struct xfrm_ops_ctx *x, const struct kaddr *dst, uint32_t spi,
    uint8_t proto)
{
	/*
	 * Full: forget the oldest.  Its add_sa becomes a NEWSA that fails
	 * with EEXIST -- logged, and the negotiation fails cleanly.
	 */
	if (x->nlarval == XFRM_OPS_LARVAL_MAX) {
		memmove(x->larval, x->larval + 1,
		    (x->nlarval - 1) * sizeof(*x->larval));
		x->nlarval--;
	}
	x->larval[x->nlarval].dst = *dst;
	x->larval[x->nlarval].spi = spi;
	x->larval[x->nlarval].proto = proto;
	x->nlarval++;
}

/* ------------------------------------------------------------------ */
/* The ops                                                              */

static int
op_alloc_spi(void *arg, const struct kaddr *src, const struct kaddr *dst,
    uint8_t proto, uint32_t reqid, uint32_t *spi)
{
	struct xfrm_ops_ctx	*x = arg;
	struct answer		 a;
	char			 s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	uint32_t		 seq;
	void			*m;
	int			 err;

	if (x->batching)
		batch_flush(x);		/* answered synchronously, in order */
	m = slot(x, &seq);
	err = request(x, xfrm_msg_allocspi(m, XFRM_MSG_BUF, seq, src, dst,
	    proto, reqid, XFRM_OPS_SPI_MIN, XFRM_OPS_SPI_MAX), &a);
	if (err == 0 && !a.got_spi)
		err = -EBADMSG;
	count(x, XOS_ALLOC_SPI, err);
	if (err != 0) {
		log_err("child reqid %u: ALLOCSPI %s -> %s: %s", reqid,
		    xfrm_ops_addr_str(src, s, sizeof(s)),
		    xfrm_ops_addr_str(dst, d, sizeof(d)), strerror(-err));
		return err;
	}
	*spi = a.spi;
	larval_add(x, dst, a.spi, proto);
	log_debug("child spi 0x%08x: reserved for %s -> %s reqid %u", a.spi,
	    xfrm_ops_addr_str(src, s, sizeof(s)),
	    xfrm_ops_addr_str(dst, d, sizeof(d)), reqid);
	return 0;
}

static int
op_add_sa(void *arg, const struct kernel_sa *sa)
{
	struct xfrm_ops_ctx	*x = arg;
	struct answer		 a;
	char			 s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	uint32_t		 seq;
	void			*m;
	bool			 upd;
	int			 err;

	upd = larval_find(x, &sa->dst, sa->spi, sa->proto) >= 0;
	if (x->batching) {
		if (upd)
			larval_del(x, &sa->dst, sa->spi, sa->proto);
		if ((m = bslot(x, &seq)) == NULL)
			return -ENOBUFS;
		return bqueue(x, m, xfrm_msg_newsa(m, XFRM_MSG_BUF, seq, sa,
		    upd), XOS_ADD_SA, sa->spi, sa->reqid, 0);
	}
	m = slot(x, &seq);
	err = request(x, xfrm_msg_newsa(m, XFRM_MSG_BUF, seq, sa, upd), &a);
	count(x, XOS_ADD_SA, err);
	if (upd && err != -EINVAL)
		larval_del(x, &sa->dst, sa->spi, sa->proto);
	if (err != 0) {
		log_err("child spi 0x%08x: %s %s -> %s reqid %u (%s%s): %s",
		    sa->spi, upd ? "UPDSA" : "NEWSA",
		    xfrm_ops_addr_str(&sa->src, s, sizeof(s)),
		    xfrm_ops_addr_str(&sa->dst, d, sizeof(d)), sa->reqid,
		    xfrm_encr_name(sa->encr) != NULL ?
		    xfrm_encr_name(sa->encr) : "unknown cipher",
		    sa->encap ? ", ESP in UDP" : "",
		    err == -EINVAL ? "cannot express it, or the kernel "
		    "refused it" : strerror(-err));
		return err;
	}
	log_info("child spi 0x%08x: installed %s -> %s reqid %u (%s%s%s)",
	    sa->spi, xfrm_ops_addr_str(&sa->src, s, sizeof(s)),
	    xfrm_ops_addr_str(&sa->dst, d, sizeof(d)), sa->reqid,
	    xfrm_encr_name(sa->encr) != NULL ? xfrm_encr_name(sa->encr) : "?",
	    sa->esn ? ", esn" : "", sa->encap ? ", ESP in UDP" : "");
	return 0;
}

static int
op_del_sa(void *arg, const struct kaddr *dst, uint32_t spi, uint8_t proto)
{
	struct xfrm_ops_ctx	*x = arg;
	struct answer		 a;
	char			 d[INET6_ADDRSTRLEN];
	uint32_t		 seq;
	void			*m;
	int			 err;

	larval_del(x, dst, spi, proto);
	if (x->batching) {
		if ((m = bslot(x, &seq)) == NULL)
			return -ENOBUFS;
		return bqueue(x, m, xfrm_msg_delsa(m, XFRM_MSG_BUF, seq, dst,
		    spi, proto, 0, 0), XOS_DEL_SA, spi, 0, 0);
	}
	m = slot(x, &seq);
	err = request(x, xfrm_msg_delsa(m, XFRM_MSG_BUF, seq, dst, spi, proto,
	    0, 0), &a);
	if (err == -ESRCH)		/* the kernel's "no such SA" */
		err = -ENOENT;
	count(x, XOS_DEL_SA, err == -ENOENT ? 0 : err);
	if (err == -ENOENT)
		log_debug("child spi 0x%08x: DELSA dst %s: already gone", spi,
		    xfrm_ops_addr_str(dst, d, sizeof(d)));
	else if (err != 0)
		log_err("child spi 0x%08x: DELSA dst %s: %s", spi,
		    xfrm_ops_addr_str(dst, d, sizeof(d)), strerror(-err));
	else
		log_info("child spi 0x%08x: removed (dst %s)", spi,
		    xfrm_ops_addr_str(dst, d, sizeof(d)));
	return err;
}

static int
op_add_policy(void *arg, const struct kernel_policy *p)
{
	struct xfrm_ops_ctx	*x = arg;
	struct answer		 a;
	char			 sel[2 * INET6_ADDRSTRLEN + 16];
	uint32_t		 seq;
	void			*m;
	int			 err;

	if (x->batching) {
		if ((m = bslot(x, &seq)) == NULL)
			return -ENOBUFS;
		return bqueue(x, m, xfrm_msg_newpolicy(m, XFRM_MSG_BUF, seq, p,
		    true), XOS_ADD_POLICY, 0, p->reqid, p->dir);
	}
	m = slot(x, &seq);
	err = request(x, xfrm_msg_newpolicy(m, XFRM_MSG_BUF, seq, p, true),
	    &a);
	count(x, XOS_ADD_POLICY, err);
	if (err != 0) {
		log_err("policy %s %s reqid %u: UPDPOLICY: %s",
		    sel_str(&p->sel, sel, sizeof(sel)),
		    p->dir < nitems(dir_names) ? dir_names[p->dir] : "?",
		    p->reqid, strerror(-err));
		return err;
	}
	log_debug("policy %s %s reqid %u: installed",
	    sel_str(&p->sel, sel, sizeof(sel)),
	    p->dir < nitems(dir_names) ? dir_names[p->dir] : "?", p->reqid);
	return 0;
}

static int
op_del_policy(void *arg, const struct kernel_policy *p)
{
	struct xfrm_ops_ctx	*x = arg;
	struct answer		 a;
	char			 sel[2 * INET6_ADDRSTRLEN + 16];
	uint32_t		 seq;
	void			*m;
	int			 err;

	if (x->batching) {
		if ((m = bslot(x, &seq)) == NULL)
			return -ENOBUFS;
		return bqueue(x, m, xfrm_msg_delpolicy(m, XFRM_MSG_BUF, seq,
		    &p->sel, p->dir, p->if_id, p->mark, p->mark_mask),
		    XOS_DEL_POLICY, 0, p->reqid, p->dir);
	}
	m = slot(x, &seq);
	err = request(x, xfrm_msg_delpolicy(m, XFRM_MSG_BUF, seq, &p->sel,
	    p->dir, p->if_id, p->mark, p->mark_mask), &a);
	count(x, XOS_DEL_POLICY, err == -ENOENT ? 0 : err);
	if (err != 0 && err != -ENOENT)
		log_err("policy %s %s reqid %u: DELPOLICY: %s",
		    sel_str(&p->sel, sel, sizeof(sel)),
		    p->dir < nitems(dir_names) ? dir_names[p->dir] : "?",
		    p->reqid, strerror(-err));
	else
		log_debug("policy %s %s reqid %u: removed%s",
		    sel_str(&p->sel, sel, sizeof(sel)),
		    p->dir < nitems(dir_names) ? dir_names[p->dir] : "?",
		    p->reqid, err == -ENOENT ? " (was gone)" : "");
	return err;
}

/* Preset the counters of an SA in the kernel (NEWAE): a parked SA. */
static int
op_set_counters(void *arg, const struct kernel_sa *sa)
{
	struct xfrm_ops_ctx	*x = arg;
	struct answer		 a;
	char			 d[INET6_ADDRSTRLEN];
	uint32_t		 seq;
	void			*m;
	int			 err;

	if (x->batching) {
		if ((m = bslot(x, &seq)) == NULL)
			return -ENOBUFS;
		return bqueue(x, m, xfrm_msg_setae(m, XFRM_MSG_BUF, seq, sa),
		    XOS_SET_CTR, sa->spi, sa->reqid, 0);
	}
	m = slot(x, &seq);
	err = request(x, xfrm_msg_setae(m, XFRM_MSG_BUF, seq, sa), &a);
	count(x, XOS_SET_CTR, err);
	if (err != 0)
		log_err("child spi 0x%08x: NEWAE dst %s reqid %u: %s", sa->spi,
		    xfrm_ops_addr_str(&sa->dst, d, sizeof(d)), sa->reqid,
		    strerror(-err));
	else
		log_debug("child spi 0x%08x: counters set (oseq %llu, seq "
		    "%llu)", sa->spi, (unsigned long long)sa->oseq,
		    (unsigned long long)sa->seq);
	return err;
}

const struct kernel_ops xfrm_kernel_ops = {
	.set_counters	= op_set_counters,
	.alloc_spi	= op_alloc_spi,
	.add_sa		= op_add_sa,
	.del_sa		= op_del_sa,
	.add_policy	= op_add_policy,
	.del_policy	= op_del_policy,
	.batch_begin	= op_batch_begin,
	.batch_end	= op_batch_end,
};

/* ------------------------------------------------------------------ */
/* Sockets and the listener                                             */

int
xfrm_ops_open(struct xfrm_ops_ctx *x, bool listen)
{
	struct timeval	 tv;
	int		 fd, flags, rcvbuf = 1 << 20;

	memset(x, 0, sizeof(*x));
	if ((x->batch = malloc(sizeof(*x->batch))) == NULL ||
	    (x->larval = calloc(XFRM_OPS_LARVAL_MAX,
	    sizeof(*x->larval))) == NULL ||
	    (x->breq = calloc(XFRM_OPS_BATCH_MAX, sizeof(*x->breq))) ==
	    NULL) {
		log_err("xfrm: out of memory");
		goto fail;
	}
	xfrm_batch_init(x->batch);
	if (xfrm_open(&x->req, 0) == -1) {
		log_err("xfrm: cannot open the XFRM netlink socket: %m");
		goto fail;
	}
	/* an ack lost to a full buffer must not hang the daemon */
	tv.tv_sec = XFRM_OPS_RCV_TIMEOUT_S;
	tv.tv_usec = 0;
	(void)setsockopt(mnl_socket_get_fd(x->req.nl), SOL_SOCKET,
	    SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(mnl_socket_get_fd(x->req.nl), SOL_SOCKET,
	    SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (!listen)
		return 0;
	if (xfrm_open(&x->ev, XFRMGRP_ACQUIRE | XFRMGRP_EXPIRE) == -1) {
		log_err("xfrm: cannot listen to XFRM acquire/expire: %m");
		xfrm_close(&x->req);
		goto fail;
	}
	x->ev_open = true;
	fd = mnl_socket_get_fd(x->ev.nl);
	/* Bursts of expires (a lifetime shared by many SAs) must fit. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		log_err("xfrm: listener: %m");
		xfrm_ops_close(x);
		return -1;
	}
	return 0;
 fail:
	free(x->breq);
	free(x->larval);
	free(x->batch);
	x->breq = NULL;
	x->larval = NULL;
	x->batch = NULL;
	return -1;
}

void
xfrm_ops_close(struct xfrm_ops_ctx *x)
{
	xfrm_close(&x->req);
	if (x->ev_open)
		xfrm_close(&x->ev);
	x->ev_open = false;
	if (x->batch != NULL)
		secure_wipe(x->batch, sizeof(*x->batch));
	free(x->batch);
	free(x->larval);
	free(x->breq);
	x->batch = NULL;
	x->larval = NULL;
	x->breq = NULL;
	x->nlarval = 0;
	x->batching = false;
}

int
xfrm_ops_event_fd(const struct xfrm_ops_ctx *x)
{
	return x->ev_open ? mnl_socket_get_fd(x->ev.nl) : -1;
}

static void
event_one(struct xfrm_ops_ctx *x, const struct nlmsghdr *nlh,
    const struct xfrm_ops_events *sink)
{
	struct kernel_expire	 e;
	struct kernel_acquire	 q;
	char			 d[INET6_ADDRSTRLEN];

	switch (nlh->nlmsg_type) {
	case XFRM_MSG_EXPIRE:
		if (xfrm_parse_expire(nlh, nlh->nlmsg_len, &e) == -1)
			break;
		x->expires++;
		/* The kernel removed a larval state we reserved. */
		if (e.hard)
			larval_del(x, &e.dst, e.spi, e.proto);
		log_debug("child spi 0x%08x: kernel %s expire (dst %s, "
		    "%llu bytes, %llu packets)", e.spi, e.hard ? "hard" : "soft",
		    xfrm_ops_addr_str(&e.dst, d, sizeof(d)),
		    (unsigned long long)e.bytes,
		    (unsigned long long)e.packets);
		if (sink->expire != NULL)
			sink->expire(sink->arg, &e);
		return;
	case XFRM_MSG_ACQUIRE:
		if (xfrm_parse_acquire(nlh, nlh->nlmsg_len, &q) == -1)
			break;
		x->acquires++;
		log_debug("policy reqid %u: kernel acquire for dst %s",
		    q.reqid, xfrm_ops_addr_str(&q.dst, d, sizeof(d)));
		if (sink->acquire != NULL)
			sink->acquire(sink->arg, &q);
		return;
	default:
		return;		/* other groups are not subscribed */
	}
	x->ev_bad++;
	if (log_rate_ok(&x->rl_ev))
		log_warn("xfrm: malformed %s event dropped (%llu so far)",
		    nlh->nlmsg_type == XFRM_MSG_EXPIRE ? "EXPIRE" : "ACQUIRE",
		    (unsigned long long)x->ev_bad);
}

int
xfrm_ops_read_events(struct xfrm_ops_ctx *x,
    const struct xfrm_ops_events *sink)
{
	uint8_t			 buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlmsghdr	*nlh;
	ssize_t			 n;
	int			 len, events = 0, rounds;

	if (!x->ev_open)
		return 0;
	/* Bounded: the loop gets the rest on its next turn. */
	for (rounds = 0; rounds < 64; rounds++) {
		n = recv(mnl_socket_get_fd(x->ev.nl), buf, sizeof(buf),
		    MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			if (errno == ENOBUFS) {
				/* Events were lost: rekeys fall back to the
				 * core's own lifetimes. */
				x->ev_lost++;
				if (log_rate_ok(&x->rl_ev))
					log_warn("xfrm: kernel events lost "
					    "(receive buffer overrun, %llu "
					    "times)",
					    (unsigned long long)x->ev_lost);
				continue;
			}
			log_err("xfrm: event socket: %m");
			return -1;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		    nlh = mnl_nlmsg_next(nlh, &len)) {
			event_one(x, nlh, sink);
			events++;
		}
	}
	return events;
}
