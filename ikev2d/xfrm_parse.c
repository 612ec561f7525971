/*
 * ikev2d/xfrm_parse.c -- parsers for XFRM netlink messages from the kernel
 * (see xfrm_msg.h).  The kernel is trusted more than a peer, but these
 * still check every length: a short read or a future ABI change must give
 * an error, never an out-of-bounds read.
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "xfrm_msg.h"

struct attrs {
	const struct nlattr	*a[XFRMA_MAX + 1];
};

static int
attr_cb(const struct nlattr *a, void *data)
{
	struct attrs	*t = data;
	uint16_t	 type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, XFRMA_MAX) > 0)
		t->a[type] = a;
	return MNL_CB_OK;
}

/* Check the message and its fixed header; collect attributes. */
static const void *
msg_body(const void *buf, size_t len, uint16_t type, size_t hdrlen,
    struct attrs *t)
{
	const struct nlmsghdr	*nlh = buf;

	if (len > INT32_MAX || !mnl_nlmsg_ok(nlh, (int)len) ||
	    nlh->nlmsg_type != type ||
	    mnl_nlmsg_get_payload_len(nlh) < hdrlen)
		return NULL;
	memset(t, 0, sizeof(*t));
	if (mnl_attr_parse(nlh, (unsigned int)hdrlen, attr_cb, t) != MNL_CB_OK)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

static int
addr_get(struct kaddr *a, const xfrm_address_t *x, uint16_t family)
{
	memset(a, 0, sizeof(*a));
	if (family != AF_INET && family != AF_INET6)
		return -1;
	a->family = (uint8_t)family;
	memcpy(a->addr, x, family == AF_INET ? 4 : 16);
	return 0;
}

static int
replay_get(const struct attrs *t, struct kernel_ae *ae)
{
	struct xfrm_replay_state_esn	 esn;
	struct xfrm_replay_state	 rs;
	const struct nlattr		*a;
	size_t				 n;

	if ((a = t->a[XFRMA_REPLAY_ESN_VAL]) != NULL) {
		n = mnl_attr_get_payload_len(a);
		if (n < sizeof(esn))
			return -1;
		memcpy(&esn, mnl_attr_get_payload(a), sizeof(esn));
		if (esn.bmp_len > XFRMA_REPLAY_ESN_MAX / 32 ||
		    n < sizeof(esn) + esn.bmp_len * 4u)
			return -1;
		ae->esn_form = true;
		ae->oseq = (uint64_t)esn.oseq_hi << 32 | esn.oseq;
		ae->seq = (uint64_t)esn.seq_hi << 32 | esn.seq;
		ae->replay_window = esn.replay_window;
		if (esn.bmp_len > 0)
			memcpy(&ae->bitmap, (const uint8_t *)
			    mnl_attr_get_payload(a) + sizeof(esn), 4);
		return 0;
	}
	if ((a = t->a[XFRMA_REPLAY_VAL]) != NULL) {
		if (mnl_attr_get_payload_len(a) < sizeof(rs))
			return -1;
		memcpy(&rs, mnl_attr_get_payload(a), sizeof(rs));
		ae->oseq = rs.oseq;
		ae->seq = rs.seq;
		ae->bitmap = rs.bitmap;
		return 0;
	}
	return -1;
}

int
xfrm_parse_ae(const void *buf, size_t len, struct kernel_ae *out)
{
	struct xfrm_aevent_id	 id;
	struct xfrm_lifetime_cur cur;
	struct attrs		 t;
	const void		*body;

	memset(out, 0, sizeof(*out));
	if ((body = msg_body(buf, len, XFRM_MSG_NEWAE, sizeof(id), &t)) ==
	    NULL)
		return -1;
	memcpy(&id, body, sizeof(id));
	if (addr_get(&out->dst, &id.sa_id.daddr, id.sa_id.family) == -1)
		return -1;
	out->spi = ntohl(id.sa_id.spi);
	out->proto = id.sa_id.proto;
	out->reqid = id.reqid;
	if (replay_get(&t, out) == -1)
		return -1;
	if (t.a[XFRMA_LTIME_VAL] != NULL) {
		if (mnl_attr_get_payload_len(t.a[XFRMA_LTIME_VAL]) <
		    sizeof(cur))
			return -1;
		memcpy(&cur, mnl_attr_get_payload(t.a[XFRMA_LTIME_VAL]),
		    sizeof(cur));
		out->has_lifetime = true;
		out->bytes = cur.bytes;
		out->packets = cur.packets;
	}
	return 0;
}

int
xfrm_parse_expire(const void *buf, size_t len, struct kernel_expire *out)
{
	struct xfrm_user_expire	 ex;
	struct attrs		 t;
	const void		*body;

	memset(out, 0, sizeof(*out));
	if ((body = msg_body(buf, len, XFRM_MSG_EXPIRE, sizeof(ex), &t)) ==
	    NULL)
		return -1;
	memcpy(&ex, body, sizeof(ex));
	if (addr_get(&out->dst, &ex.state.id.daddr, ex.state.family) == -1 ||
	    addr_get(&out->src, &ex.state.saddr, ex.state.family) == -1)
		return -1;
	out->spi = ntohl(ex.state.id.spi);
	out->proto = ex.state.id.proto;
	out->reqid = ex.state.reqid;
	out->hard = ex.hard != 0;
	out->bytes = ex.state.curlft.bytes;
	out->packets = ex.state.curlft.packets;
	return 0;
}

int
xfrm_parse_acquire(const void *buf, size_t len, struct kernel_acquire *out)
{
	struct xfrm_user_acquire acq;
	struct xfrm_user_tmpl	 tmpl;
	struct attrs		 t;
	const void		*body;

	memset(out, 0, sizeof(*out));
	if ((body = msg_body(buf, len, XFRM_MSG_ACQUIRE, sizeof(acq), &t)) ==
	    NULL)
		return -1;
	memcpy(&acq, body, sizeof(acq));
	if (addr_get(&out->sel.src, &acq.sel.saddr, acq.sel.family) == -1 ||
	    addr_get(&out->sel.dst, &acq.sel.daddr, acq.sel.family) == -1 ||
	    addr_get(&out->src, &acq.saddr, acq.sel.family) == -1 ||
	    addr_get(&out->dst, &acq.id.daddr, acq.sel.family) == -1)
		return -1;
	out->sel.src_plen = acq.sel.prefixlen_s;
	out->sel.dst_plen = acq.sel.prefixlen_d;
	out->sel.proto = acq.sel.proto;
	out->sel.sport = ntohs(acq.sel.sport);
	out->sel.dport = ntohs(acq.sel.dport);
	out->proto = acq.id.proto;
	out->policy_index = acq.policy.index;
	out->dir = acq.policy.dir;
	if (t.a[XFRMA_TMPL] != NULL) {
		if (mnl_attr_get_payload_len(t.a[XFRMA_TMPL]) < sizeof(tmpl))
			return -1;
		memcpy(&tmpl, mnl_attr_get_payload(t.a[XFRMA_TMPL]),
		    sizeof(tmpl));
		out->reqid = tmpl.reqid;
	}
	return 0;
}

int
xfrm_parse_sa_spi(const void *buf, size_t len, uint32_t *spi)
{
	struct xfrm_usersa_info	 info;
	struct attrs		 t;
	const void		*body;

	if ((body = msg_body(buf, len, XFRM_MSG_NEWSA, sizeof(info), &t)) ==
	    NULL)
		return -1;
	memcpy(&info, body, sizeof(info));
	*spi = ntohl(info.id.spi);
	return 0;
}

int
xfrm_parse_sa_stats(const void *buf, size_t len, struct kernel_sa_stats *out)
{
	struct xfrm_usersa_info	 info;
	struct attrs		 t;
	const void		*body;

	memset(out, 0, sizeof(*out));
	if ((body = msg_body(buf, len, XFRM_MSG_NEWSA, sizeof(info), &t)) ==
	    NULL)
		return -1;
	memcpy(&info, body, sizeof(info));
	out->spi = ntohl(info.id.spi);
	out->bytes = info.curlft.bytes;
	out->packets = info.curlft.packets;
	out->add_time = info.curlft.add_time;
	out->use_time = info.curlft.use_time;
	out->replay_drops = info.stats.replay;
	out->replay_window_drops = info.stats.replay_window;
	out->integrity_failed = info.stats.integrity_failed;
	return 0;
}

int
xfrm_parse_error(const void *buf, size_t len, int *err)
{
	const struct nlmsghdr	*nlh = buf;
	struct nlmsgerr		 e;

	if (len > INT32_MAX || !mnl_nlmsg_ok(nlh, (int)len) ||
	    nlh->nlmsg_type != NLMSG_ERROR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(e))
		return -1;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (e.error > 0)
		return -1;
	*err = e.error;
	return 0;
}
