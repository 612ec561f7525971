/*
 * syncd/aevent.c -- XFRM async events and expires into counter records
 * and sequence leases (aevent.h has the contract and what is not wired).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "tandem/log.h"
#include "tandem/util.h"
#include "../ikev2d/xfrm_msg.h"
#include "aevent.h"
#include "sadb.h"

#define LOW_WATER_DIV	4	/* extend when a quarter of a lease is left */

int
aevent_open(struct aevent *ae, const struct aevent_ops *ops,
    uint32_t lease_packets, uint32_t batch_n, uint32_t batch_ms)
{
	int	 on = 1;

	memset(ae, 0, sizeof(*ae));
	ae->ops = *ops;
	ae->lease_packets = lease_packets;
	ctr_batch_init(&ae->in, (uint16_t)(batch_n > SYNC_CTR_MAX ?
	    SYNC_CTR_MAX : batch_n), batch_ms);
	if ((ae->nl = mnl_socket_open2(NETLINK_XFRM, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == NULL)
		return -1;
	if (mnl_socket_bind(ae->nl, 0, MNL_SOCKET_AUTOPID) == -1)
		goto fail;
	if (mnl_socket_setsockopt(ae->nl, NETLINK_ADD_MEMBERSHIP,
	    &(int){ XFRMNLGRP_AEVENTS }, sizeof(int)) == -1 ||
	    mnl_socket_setsockopt(ae->nl, NETLINK_ADD_MEMBERSHIP,
	    &(int){ XFRMNLGRP_EXPIRE }, sizeof(int)) == -1)
		goto fail;
	/* Lost events are counted (ENOBUFS), never fatal. */
	(void)mnl_socket_setsockopt(ae->nl, NETLINK_NO_ENOBUFS, &on,
	    sizeof(on));
	return 0;
 fail:
	mnl_socket_close(ae->nl);
	ae->nl = NULL;
	return -1;
}

void
aevent_close(struct aevent *ae)
{
	if (ae->nl != NULL)
		mnl_socket_close(ae->nl);
	ae->nl = NULL;
	free(ae->out);
	ae->out = NULL;
	ae->nout = ae->cap = 0;
}

int
aevent_fd(const struct aevent *ae)
{
	return mnl_socket_get_fd(ae->nl);
}

static void
to_sa_addr(const struct kaddr *k, struct sa_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = k->family;
	memcpy(a->addr, k->addr, sizeof(a->addr));
}

static struct ae_out *
out_find(struct aevent *ae, uint32_t spi, const struct sa_addr *dst,
    bool esn, uint64_t oseq)
{
	struct ae_out	*o;
	size_t		 i, cap;

	for (i = 0; i < ae->nout; i++)
		if (ae->out[i].spi == spi && ae->out[i].dst.family ==
		    dst->family && memcmp(ae->out[i].dst.addr, dst->addr,
		    16) == 0)
			return &ae->out[i];
	if (ae->nout == ae->cap) {
		cap = ae->cap ? ae->cap * 2 : 64;
		if ((o = reallocarray(ae->out, cap, sizeof(*o))) == NULL)
			return NULL;
		ae->out = o;
		ae->cap = cap;
	}
	o = &ae->out[ae->nout];
	memset(o, 0, sizeof(*o));
	o->spi = spi;
	o->dst = *dst;
	if (!ctr_out_init(&o->co, oseq, ae->lease_packets,
	    ae->lease_packets / LOW_WATER_DIV, esn))
		return NULL;
	/* The first lease is asked like any extension. */
	o->co.lease.end = oseq;
	ae->nout++;
	return o;
}

static void
on_out(struct aevent *ae, const struct sa_child *c, uint32_t spi,
    const struct sa_addr *dst, uint64_t oseq)
{
	struct ae_out	*o;
	struct sync_lease l;
	uint64_t	 end, seq;

	ae->out_observed++;
	if ((o = out_find(ae, spi, dst, (c->flags & SA_CHILD_ESN) != 0,
	    oseq)) == NULL)
		return;
	if (!ctr_out_observe(&o->co, oseq, &end))
		return;
	memset(&l, 0, sizeof(l));
	l.spi_out = spi;
	l.dst = *dst;
	l.end = end;
	if ((seq = ae->ops.lease(ae->ops.arg, &l)) == 0)
		return;
	ctr_out_asked(&o->co, end, seq);
	ae->leases_asked++;
}

static void
on_in(struct aevent *ae, uint32_t spi, const struct sa_addr *dst,
    uint64_t seq, uint32_t bitmap, uint64_t now_ms)
{
	struct sync_ctr	 r;

	memset(&r, 0, sizeof(r));
	r.dir = SYNC_CTR_IN;
	r.spi = spi;
	r.dst = *dst;
	r.value = seq;
	r.bitmap = bitmap;
	if (ctr_batch_add(&ae->in, &r, now_ms) == -1) {
		aevent_flush(ae, now_ms, true);
		(void)ctr_batch_add(&ae->in, &r, now_ms);
	}
	ae->in_records++;
}

static void
on_msg(struct aevent *ae, const struct nlmsghdr *nh, const struct sadb *db,
    uint64_t now_ms)
{
	const struct sa_child	*c;
	struct kernel_ae	 a;
	struct kernel_expire	 x;
	struct sa_addr		 dst;

	memset(&a, 0, sizeof(a));
	if (nh->nlmsg_type == XFRM_MSG_NEWAE) {
		ae->events++;
		if (xfrm_parse_ae(nh, nh->nlmsg_len, &a) == -1) {
			ae->parse_errors++;
			return;
		}
	} else if (nh->nlmsg_type == XFRM_MSG_EXPIRE) {
		ae->expires++;
		if (xfrm_parse_expire(nh, nh->nlmsg_len, &x) == -1) {
			ae->parse_errors++;
			return;
		}
		if (x.hard)
			return;
		/* A soft packet limit: the sender's count is the oseq. */
		a.dst = x.dst;
		a.spi = x.spi;
		a.proto = x.proto;
		a.oseq = x.packets;
	} else {
		return;
	}
	to_sa_addr(&a.dst, &dst);
	if ((c = sadb_child_find_out(db, a.spi, &dst)) != NULL)
		on_out(ae, c, a.spi, &dst, a.oseq);
	else if (nh->nlmsg_type == XFRM_MSG_NEWAE &&
	    sadb_child_find_in(db, a.spi, &dst) != NULL)
		on_in(ae, a.spi, &dst, a.seq, a.bitmap, now_ms);
	else
		ae->unknown_sa++;
}

int
aevent_read(struct aevent *ae, const struct sadb *db, uint64_t now_ms)
{
	uint8_t			 buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlmsghdr	*nh;
	ssize_t			 n;
	int			 len, i;

	for (i = 0; i < 64; i++) {
		n = mnl_socket_recvfrom(ae->nl, buf, sizeof(buf));
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1 && (errno == EINTR || errno == ENOBUFS)) {
			ae->read_errors++;
			continue;
		}
		if (n <= 0)
			return -1;
		len = (int)n;
		for (nh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nh, len);
		    nh = mnl_nlmsg_next(nh, &len))
			on_msg(ae, nh, db, now_ms);
	}
	aevent_flush(ae, now_ms, false);
	return 0;
}

void
aevent_flush(struct aevent *ae, uint64_t now_ms, bool force)
{
	struct sync_ctr_batch	 b;

	if (!force && !ctr_batch_due(&ae->in, now_ms))
		return;
	if (ctr_batch_take(&ae->in, &b) == 0)
		return;
	if (ae->ops.ctr(ae->ops.arg, &b) == 0)
		ae->ctr_sent++;
}

uint64_t
aevent_deadline(const struct aevent *ae)
{
	return ctr_batch_deadline(&ae->in);
}

void
aevent_commit(struct aevent *ae, uint64_t commit)
{
	struct ctr_fence	 f;
	size_t			 i;

	for (i = 0; i < ae->nout; i++) {
		if (!ctr_out_commit(&ae->out[i].co, commit, &f))
			continue;
		ae->leases_committed++;
		/* XXX(issue 5): program f with XFRM_MSG_UPDSA lifetimes. */
		ae->fences_due++;
		log_debug("child spi 0x%08x: lease to %llu committed (fence "
		    "hard %llu not programmed)", ae->out[i].spi,
		    (unsigned long long)f.end,
		    (unsigned long long)f.hard_packets);
	}
}

void
aevent_confchg(struct aevent *ae)
{
	size_t	 i;

	for (i = 0; i < ae->nout; i++)
		ctr_out_reset_ask(&ae->out[i].co);
}
