/*
 * syncd/cpg.c -- corosync CPG: join, agreed-order multicast with a
 * back-pressure FIFO, dispatch of deliveries, configuration changes and
 * totem ring changes (cpg.h has the contract).
 *
 * CPG gives agreed ordering and virtual synchrony, not SAFE delivery
 * (LAB-NOTES 2): seeing our own message come back proves nothing about
 * the other members.  The write-ahead commit point is therefore built
 * above this file from the members' acknowledgements (loop.c); here a
 * delivery is only a delivery.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <corosync/corotypes.h>
#include <corosync/cpg.h>

#include "tandem/log.h"
#include "tandem/util.h"
#include "cpg.h"

static struct sync_cpg *
ctx_of(cpg_handle_t h)
{
	void	*p = NULL;

	if (cpg_context_get(h, &p) != CS_OK)
		return NULL;
	return p;
}

static void
on_deliver(cpg_handle_t h, const struct cpg_name *group, uint32_t nodeid,
    uint32_t pid, void *msg, size_t len)
{
	struct sync_cpg	*c = ctx_of(h);

	if (c == NULL)
		return;
	c->delivered++;
	c->ops.deliver(c->ops.arg, nodeid, pid, msg, len);
}

static size_t
copy_members(struct sync_cpg_member *dst, const struct cpg_address *src,
    size_t n)
{
	size_t	 i;

	if (n > SYNC_CPG_MEMBERS_MAX)
		n = SYNC_CPG_MEMBERS_MAX;
	for (i = 0; i < n; i++) {
		dst[i].nodeid = src[i].nodeid;
		dst[i].pid = src[i].pid;
	}
	return n;
}

static void
on_confchg(cpg_handle_t h, const struct cpg_name *group,
    const struct cpg_address *members, size_t nmembers,
    const struct cpg_address *left, size_t nleft,
    const struct cpg_address *joined, size_t njoined)
{
	struct sync_cpg		*c = ctx_of(h);
	struct sync_cpg_member	 m[SYNC_CPG_MEMBERS_MAX];
	struct sync_cpg_member	 l[SYNC_CPG_MEMBERS_MAX];
	struct sync_cpg_member	 j[SYNC_CPG_MEMBERS_MAX];
	struct sync_cpg_view	 v;

	if (c == NULL)
		return;
	if (nmembers > SYNC_CPG_MEMBERS_MAX)
		log_err("sync: %zu members, only %d handled", nmembers,
		    SYNC_CPG_MEMBERS_MAX);
	c->confchgs++;
	v.members = m;
	v.left = l;
	v.joined = j;
	v.nmembers = copy_members(m, members, nmembers);
	v.nleft = copy_members(l, left, nleft);
	v.njoined = copy_members(j, joined, njoined);
	c->ops.confchg(c->ops.arg, &v);
}

static void
on_totem(cpg_handle_t h, struct cpg_ring_id ring_id, uint32_t n,
    const uint32_t *list)
{
	struct sync_cpg	*c = ctx_of(h);

	if (c == NULL)
		return;
	c->ring_node = ring_id.nodeid;
	c->ring_seq = ring_id.seq;
	if (c->ops.ring != NULL)
		c->ops.ring(c->ops.arg, ring_id.nodeid, ring_id.seq);
}

int
sync_cpg_open(struct sync_cpg *c, const char *group,
    const struct sync_cpg_ops *ops, char *why, size_t whylen)
{
	cpg_model_v1_data_t	 model;
	cs_error_t		 e;
	size_t			 n = strlen(group);
	unsigned int		 nodeid;
	int			 tries;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->ops = *ops;
	if (n == 0 || n >= sizeof(c->group.value)) {
		snprintf(why, whylen, "cpg group name of %zu bytes", n);
		return -1;
	}
	memcpy(c->group.value, group, n);
	c->group.length = (uint32_t)n;

	memset(&model, 0, sizeof(model));
	model.model = CPG_MODEL_V1;
	model.cpg_deliver_fn = on_deliver;
	model.cpg_confchg_fn = on_confchg;
	model.cpg_totem_confchg_fn = on_totem;
	model.flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF;
	if ((e = cpg_model_initialize(&c->h, CPG_MODEL_V1,
	    (cpg_model_data_t *)&model, c)) != CS_OK) {
		snprintf(why, whylen, "cpg_model_initialize: %s "
		    "(is corosync running in this network namespace?)",
		    cs_strerror(e));
		return -1;
	}
	c->open = true;
	if ((e = cpg_local_get(c->h, &nodeid)) != CS_OK) {
		snprintf(why, whylen, "cpg_local_get: %s", cs_strerror(e));
		goto fail;
	}
	c->nodeid = nodeid;
	for (tries = 0; (e = cpg_join(c->h, &c->group)) == CS_ERR_TRY_AGAIN &&
	    tries < 200; tries++)
		usleep(10000);	/* start-up only */
	if (e != CS_OK) {
		snprintf(why, whylen, "cpg_join %s: %s", group,
		    cs_strerror(e));
		goto fail;
	}
	if ((e = cpg_fd_get(c->h, &c->fd)) != CS_OK) {
		snprintf(why, whylen, "cpg_fd_get: %s", cs_strerror(e));
		goto fail;
	}
	return 0;
 fail:
	cpg_finalize(c->h);
	c->open = false;
	return -1;
}

static void
qent_free(struct sync_cpg_qent *q)
{
	OPENSSL_cleanse(q->buf, q->len);
	free(q);
}

void
sync_cpg_close(struct sync_cpg *c)
{
	struct sync_cpg_qent	*q;

	while ((q = c->qhead) != NULL) {
		c->qhead = q->next;
		qent_free(q);
	}
	c->qtail = NULL;
	c->qlen = 0;
	if (c->pack != NULL) {
		OPENSSL_cleanse(c->pack, c->pack_len);
		free(c->pack);
	}
	c->pack = NULL;
	c->pack_len = 0;
	if (!c->open)
		return;
	(void)cpg_leave(c->h, &c->group);
	(void)cpg_finalize(c->h);
	c->open = false;
	c->fd = -1;
}

int
sync_cpg_fd(const struct sync_cpg *c)
{
	return c->fd;
}

int
sync_cpg_dispatch(struct sync_cpg *c)
{
	cs_error_t	 e;

	if ((e = cpg_dispatch(c->h, CS_DISPATCH_ALL)) != CS_OK &&
	    e != CS_ERR_TRY_AGAIN) {
		log_err("sync: cpg_dispatch: %s", cs_strerror(e));
		return -1;
	}
	return 0;
}

/* 0 sent, 1 try again, -1 failed. */
static int
mcast(struct sync_cpg *c, const uint8_t *buf, size_t len)
{
	struct iovec	 iov;
	cs_error_t	 e;

	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	e = cpg_mcast_joined(c->h, CPG_TYPE_AGREED, &iov, 1);
	if (e == CS_OK) {
		c->sent++;
		return 0;
	}
	if (e == CS_ERR_TRY_AGAIN) {
		c->send_retries++;
		return 1;
	}
	c->send_failed++;
	log_err("sync: cpg_mcast_joined: %s", cs_strerror(e));
	return -1;
}

int
sync_cpg_flush(struct sync_cpg *c)
{
	struct sync_cpg_qent	*q;
	int			 rc;

	while ((q = c->qhead) != NULL) {
		if ((rc = mcast(c, q->buf, q->len)) == 1)
			return 1;
		c->qhead = q->next;
		if (c->qhead == NULL)
			c->qtail = NULL;
		c->qlen--;
		qent_free(q);
		if (rc == -1)
			return -1;
	}
	return 0;
}

static int	send_one(struct sync_cpg *, const uint8_t *, size_t);

int
sync_cpg_pack_flush(struct sync_cpg *c)
{
	int	 rc;

	if (c->pack_len == 0)
		return 0;
	rc = send_one(c, c->pack, c->pack_len);
	OPENSSL_cleanse(c->pack, c->pack_len);
	c->pack_len = 0;
	return rc;
}

int
sync_cpg_pack(struct sync_cpg *c, const uint8_t *buf, size_t len)
{
	if (!c->open)
		return -1;
	if (c->pack == NULL &&
	    (c->pack = malloc(SYNC_CPG_PACK_MAX)) == NULL)
		return sync_cpg_send(c, buf, len);
	if (c->pack_len + len > SYNC_CPG_PACK_MAX &&
	    sync_cpg_pack_flush(c) == -1)
		return -1;
	if (len > SYNC_CPG_PACK_MAX)
		return send_one(c, buf, len);
	memcpy(c->pack + c->pack_len, buf, len);
	c->pack_len += len;
	c->packed++;
	return 0;
}

int
sync_cpg_send(struct sync_cpg *c, const uint8_t *buf, size_t len)
{
	/* Whatever is packed was multicast before this. */
	if (sync_cpg_pack_flush(c) == -1)
		return -1;
	return send_one(c, buf, len);
}

static int
send_one(struct sync_cpg *c, const uint8_t *buf, size_t len)
{
	struct sync_cpg_qent	*q;
	int			 rc;

	if (!c->open)
		return -1;
	if (c->qhead == NULL) {
		if ((rc = mcast(c, buf, len)) != 1)
			return rc;
	}
	if (c->qlen >= SYNC_CPG_QUEUE_MAX) {
		c->send_failed++;
		return -1;
	}
	if ((q = malloc(sizeof(*q) + len)) == NULL) {
		c->send_failed++;
		return -1;
	}
	q->next = NULL;
	q->len = len;
	memcpy(q->buf, buf, len);
	if (c->qtail != NULL)
		c->qtail->next = q;
	else
		c->qhead = q;
	c->qtail = q;
	if (++c->qlen > c->queued_max)
		c->queued_max = c->qlen;
	return 0;
}

size_t
sync_cpg_queued(const struct sync_cpg *c)
{
	return c->qlen;
}
