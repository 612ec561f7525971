/*
 * syncd/aevent.c -- XFRM async events and expires into counter records
 * and sequence leases (aevent.h has the contract and what is not wired).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "tandem/log.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "../ikev2d/xfrm_msg.h"
#include "aevent.h"
#include "sadb.h"


int
aevent_open(struct aevent *ae, const struct aevent_ops *ops,
    uint32_t lease_packets, uint32_t batch_n, uint32_t batch_ms)
{
	struct timeval	 tv = { 1, 0 };
	int		 on = 1;

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
	/* Requests: blocking, answered within a second or given up. */
	if ((ae->req = mnl_socket_open2(NETLINK_XFRM, SOCK_CLOEXEC)) == NULL)
		goto fail;
	if (mnl_socket_bind(ae->req, 0, MNL_SOCKET_AUTOPID) == -1 ||
	    setsockopt(mnl_socket_get_fd(ae->req), SOL_SOCKET, SO_RCVTIMEO,
	    &tv, sizeof(tv)) == -1)
		goto fail;
	ae->req_seq = (uint32_t)time(NULL);
	return 0;
 fail:
	mnl_socket_close(ae->nl);
	ae->nl = NULL;
	if (ae->req != NULL)
		mnl_socket_close(ae->req);
	ae->req = NULL;
	return -1;
}

void
aevent_close(struct aevent *ae)
{
	if (ae->nl != NULL)
		mnl_socket_close(ae->nl);
	ae->nl = NULL;
	if (ae->req != NULL)
		mnl_socket_close(ae->req);
	ae->req = NULL;
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

static void
to_kaddr(const struct sa_addr *a, struct kaddr *k)
{
	memset(k, 0, sizeof(*k));
	k->family = a->family;
	memcpy(k->addr, a->addr, sizeof(k->addr));
}

static struct ae_out *
out_get(struct aevent *ae, uint32_t spi, const struct sa_addr *dst)
{
	size_t	 i;

	for (i = 0; i < ae->nout; i++)
		if (ae->out[i].spi == spi && ae->out[i].dst.family ==
		    dst->family && memcmp(ae->out[i].dst.addr, dst->addr,
		    16) == 0)
			return &ae->out[i];
	return NULL;
}

/*
 * The SA's first report: track it.  Its first lease starts at what the
 * sadb holds for it, when that is ahead of the kernel: the CHILD_UP of
 * a new SA carries a first lease (loop.c), and any member that holds
 * the SA holds that record; a value learnt otherwise (bulk, a previous
 * owner) is held by every member too.  Nothing here assumes the SA was
 * negotiated on this node.
 */
static struct ae_out *
out_find(struct aevent *ae, const struct sa_child *c, uint32_t spi,
    const struct sa_addr *dst, uint64_t oseq)
{
	struct ae_out	*o;
	size_t		 cap;
	bool		 esn = (c->flags & SA_CHILD_ESN) != 0;

	if ((o = out_get(ae, spi, dst)) != NULL)
		return o;
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
	    ae->lease_packets / LEASE_LOW_WATER_DIV, esn))
		return NULL;
	/* The first lease is asked like any extension.  Held by all: the
	 * sadb's end, when the kernel is still below it; else (an SA
	 * installed at the end members hold -- a takeover -- that already
	 * sent) nothing is fenced before the first extension commits. */
	if (!ctr_out_start(&o->co, oseq, c->ctr.out_end)) {
		ae->unfenced_first++;
		log_info("child spi 0x%08x: followed from oseq %llu, past the "
		    "end members hold (%llu): not fenced until its first "
		    "extension commits", spi, (unsigned long long)oseq,
		    (unsigned long long)c->ctr.out_end);
	}
	ae->nout++;
	return o;
}

/* One request, its answer into rbuf (the NEWAE of a GETAE; NULL: an
 * ACK is wanted).  0, or a negative errno. */
static int
request(struct aevent *ae, void *msg, size_t len, uint8_t *rbuf,
    size_t rcap, const struct nlmsghdr **reply)
{
	struct nlmsghdr		*nh = msg;
	const struct nlmsghdr	*r;
	ssize_t			 n;
	int			 left, err;

	if (ae->req == NULL)
		return -ENOTCONN;
	nh->nlmsg_seq = ++ae->req_seq;
	if (mnl_socket_sendto(ae->req, msg, len) < 0)
		return -errno;
	for (;;) {
		if ((n = mnl_socket_recvfrom(ae->req, rbuf, rcap)) < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		left = (int)n;
		for (r = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(r, left);
		    r = mnl_nlmsg_next(r, &left)) {
			if (r->nlmsg_seq != ae->req_seq)
				continue;	/* an old answer, given up */
			if (r->nlmsg_type == NLMSG_ERROR) {
				if (xfrm_parse_error(r, r->nlmsg_len, &err)
				    == -1)
					return -EPROTO;
				if (err == 0 && reply != NULL)
					return -EPROTO;
				return err;
			}
			if (reply == NULL)
				continue;
			*reply = r;
			return 0;
		}
	}
}

/* The outbound SA as the kernel has it, lifetimes from f. */
static void
ksa_out(const struct sa_child *c, const struct ctr_fence *f,
    struct kernel_sa *k)
{
	memset(k, 0, sizeof(*k));
	to_kaddr(&c->local, &k->src);
	to_kaddr(&c->remote, &k->dst);
	k->spi = c->spi_out;
	k->proto = c->proto;
	k->tunnel = c->mode != SA_MODE_TRANSPORT;
	k->reqid = c->reqid;
	k->encr = c->encr;
	k->encr_bits = c->encr_bits;
	k->integ = c->integ;
	if (c->encr_out.len <= sizeof(k->enc_key)) {
		memcpy(k->enc_key, c->encr_out.data, c->encr_out.len);
		k->enc_key_len = c->encr_out.len;
	}
	if (c->integ_out.len <= sizeof(k->int_key)) {
		memcpy(k->int_key, c->integ_out.data, c->integ_out.len);
		k->int_key_len = c->integ_out.len;
	}
	k->esn = (c->flags & SA_CHILD_ESN) != 0;
	/* What ikev2d installed (child_sa.c), the packets from the fence. */
	k->lft.soft_bytes = c->lft.soft_bytes;
	k->lft.hard_bytes = c->lft.hard_bytes;
	k->lft.soft_packets = f->soft_packets;
	k->lft.hard_packets = f->hard_packets;
	if (c->flags & SA_CHILD_ENCAP) {
		k->encap = true;
		k->encap_sport = c->local.port;
		k->encap_dport = c->remote.port;
	}
	/* if_id 0: the update keeps the SA's own (the record holds the
	 * inbound one only); the mark finds the SA. */
	k->mark = c->mark_out;
	k->mark_mask = c->mark_out_mask;
}

/*
 * Fence the kernel at the acknowledged lease end (aevent.h).  Called
 * whenever the end or the base moved; a fence that cannot be
 * programmed is counted and logged, and tried again at the next move.
 */
static void
fence(struct aevent *ae, const struct sadb *db, const struct sa_child *rec,
    struct ae_out *o)
{
	const struct sa_child	*c = rec;
	struct ctr_fence	 f;
	struct kernel_sa	 k;
	uint8_t			 msg[XFRM_MSG_BUF];
	uint8_t			 rbuf[MNL_SOCKET_BUFFER_SIZE];
	long			 n;
	int			 rc;

	if (!ctr_out_fence_due(&o->co))
		return;
	/* rec: the record the caller has (not yet in the database when it
	 * is our own CHILD_UP on its way out). */
	if (c == NULL && (c = sadb_child_find_out(db, o->spi, &o->dst)) ==
	    NULL)
		return;		/* gone: its CHILD_DOWN came first */
	ctr_out_fence_cfg(&o->co, c->lft.soft_packets, c->lft.hard_packets,
	    &f);
	if (f.res == LEASE_FENCE_NONE)
		return;
	if (f.res != LEASE_FENCE_OK) {
		ae->fence_failures++;
		ctr_out_fenced(&o->co, &f);	/* not again for this end */
		log_err("child spi 0x%08x: lease end %llu NOT fenced: %s "
		    "(oseq %llu, base %llu): numbers past the end every "
		    "member holds may have been sent", o->spi,
		    (unsigned long long)f.end, lease_fence_name(f.res),
		    (unsigned long long)o->co.last_oseq,
		    (unsigned long long)o->co.base);
		return;
	}
	ksa_out(c, &f, &k);
	n = xfrm_msg_newsa(msg, sizeof(msg), 0, &k, true);
	secure_wipe(&k, sizeof(k));
	if (n < 0) {
		rc = -EINVAL;
	} else {
		rc = request(ae, msg, (size_t)n, rbuf, sizeof(rbuf), NULL);
		secure_wipe(msg, (size_t)n);
	}
	if (rc != 0) {
		ae->fence_failures++;
		if (log_rate_ok(&ae->rl_fence))
			log_err("child spi 0x%08x: lease fence at %llu not "
			    "programmed (UPDSA: %s); the kernel stays at its "
			    "previous fence", o->spi,
			    (unsigned long long)f.end, strerror(-rc));
		return;
	}
	ctr_out_fenced(&o->co, &f);
	ae->fences_programmed++;
	log_debug("child spi 0x%08x: fenced at lease end %llu (base %llu: "
	    "hard %llu, soft %llu packets)", o->spi,
	    (unsigned long long)f.end, (unsigned long long)o->co.base,
	    (unsigned long long)f.hard_packets,
	    (unsigned long long)f.soft_packets);
}

/* A report of the kernel's outbound counters (has_pk: packets known). */
static void
on_out(struct aevent *ae, const struct sadb *db, const struct sa_child *c,
    uint32_t spi, const struct sa_addr *dst, uint64_t oseq, bool has_pk,
    uint64_t packets)
{
	struct ae_out	*o;
	struct sync_lease l;
	uint64_t	 end, seq;

	ae->out_observed++;
	if ((o = out_find(ae, c, spi, dst, oseq)) == NULL)
		return;
	if (has_pk)
		(void)ctr_out_kernel(&o->co, oseq, packets);
	fence(ae, db, c, o);	/* a first or a grown base, a held lease */
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

/*
 * The kernel hard-expired (and deleted) an outbound SA we follow.  At
 * the child's own hard limit that is its lifetime; below it, our fence
 * stopped it: the cluster did not commit an extension in time.
 */
static void
on_hard(struct aevent *ae, const struct sadb *db, struct ae_out *o,
    const struct kernel_expire *x)
{
	const struct sa_child	*c = sadb_child_find_out(db, o->spi, &o->dst);

	if (c != NULL && c->lft.hard_packets != 0 &&
	    x->packets >= c->lft.hard_packets)
		log_info("child spi 0x%08x: hard packet lifetime reached (%llu "
		    "packets)", o->spi, (unsigned long long)x->packets);
	else if (o->co.fenced_end != 0) {
		ae->fence_hard_expires++;
		log_err("child spi 0x%08x: OUTBOUND SA STOPPED BY ITS LEASE "
		    "FENCE at %llu packets (lease end %llu): the cluster did "
		    "not commit a lease extension in time (%s); the kernel "
		    "deleted the SA rather than send numbers no other member "
		    "holds", o->spi, (unsigned long long)x->packets,
		    (unsigned long long)o->co.fenced_end,
		    o->co.asked_end != 0 ? "an extension was in flight" :
		    "none was asked");
	}
	/* Forget it: a new SA with this SPI starts afresh. */
	*o = ae->out[ae->nout - 1];
	ae->nout--;
}

static void
on_msg(struct aevent *ae, const struct nlmsghdr *nh, const struct sadb *db,
    uint64_t now_ms)
{
	const struct sa_child	*c;
	struct kernel_ae	 a;
	struct kernel_expire	 x;
	struct sa_addr		 dst;
	struct ae_out		*o;

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
		to_sa_addr(&x.dst, &dst);
		if (sadb_child_find_out(db, x.spi, &dst) == NULL ||
		    (o = out_get(ae, x.spi, &dst)) == NULL)
			return;		/* not an SA we follow */
		if (x.hard) {
			on_hard(ae, db, o, &x);
			return;
		}
		/* The soft limit: oseq = base + packets (replay.h). */
		ae->fence_soft_expires++;
		if (!o->co.base_known)
			return;
		a.dst = x.dst;
		a.spi = x.spi;
		a.proto = x.proto;
		a.oseq = sat_add64(o->co.base, x.packets);
		a.has_lifetime = true;
		a.packets = x.packets;
	} else {
		return;
	}
	to_sa_addr(&a.dst, &dst);
	if ((c = sadb_child_find_out(db, a.spi, &dst)) != NULL)
		on_out(ae, db, c, a.spi, &dst, a.oseq, a.has_lifetime,
		    a.packets);
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
aevent_commit(struct aevent *ae, const struct sadb *db, uint64_t commit)
{
	struct ctr_fence	 f;
	size_t			 i;

	for (i = 0; i < ae->nout; i++) {
		if (!ctr_out_commit(&ae->out[i].co, commit, &f))
			continue;
		ae->leases_committed++;
		log_debug("child spi 0x%08x: lease to %llu committed",
		    ae->out[i].spi, (unsigned long long)f.end);
		fence(ae, db, NULL, &ae->out[i]);
	}
}

void
aevent_child_down(struct aevent *ae, const struct sa_child *c)
{
	size_t	 i;

	/* A CHILD_DOWN names the SA by its SPIs (the address may be
	 * absent). */
	for (i = 0; i < ae->nout; i++) {
		if (ae->out[i].spi != c->spi_out || (c->remote.family != 0 &&
		    (ae->out[i].dst.family != c->remote.family ||
		    memcmp(ae->out[i].dst.addr, c->remote.addr,
		    sa_addr_len(c->remote.family)) != 0)))
			continue;
		ae->out[i] = ae->out[ae->nout - 1];
		ae->nout--;
		return;
	}
}

void
aevent_child_up(struct aevent *ae, const struct sadb *db,
    const struct sa_child *c)
{
	const struct nlmsghdr	*r = NULL;
	struct kernel_ae	 a;
	struct kaddr		 dst;
	struct sa_addr		 sdst;
	uint8_t			 msg[XFRM_MSG_BUF];
	uint8_t			 rbuf[MNL_SOCKET_BUFFER_SIZE];
	long			 n;

	if (ae->req == NULL || c->spi_out == 0)
		return;
	to_kaddr(&c->remote, &dst);
	to_sa_addr(&dst, &sdst);
	if (out_get(ae, c->spi_out, &sdst) != NULL)
		return;		/* followed already */
	if ((n = xfrm_msg_getae(msg, sizeof(msg), 0, &dst, c->spi_out,
	    c->proto, c->mark_out, c->mark_out_mask)) < 0)
		return;
	/* Not (yet) in this kernel: its first async event will do. */
	if (request(ae, msg, (size_t)n, rbuf, sizeof(rbuf), &r) != 0 ||
	    xfrm_parse_ae(r, r->nlmsg_len, &a) == -1)
		return;
	on_out(ae, db, c, c->spi_out, &sdst, a.oseq, a.has_lifetime,
	    a.packets);
}

void
aevent_confchg(struct aevent *ae)
{
	size_t	 i;

	for (i = 0; i < ae->nout; i++)
		ctr_out_reset_ask(&ae->out[i].co);
}
