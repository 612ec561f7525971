/*
 * ha/haadm_netsave.c -- for `haadm drill --crash/--link`: what Linux
 * drops with a link set down and does not give back when it is set up
 * again, saved before and restored after, so that a drill leaves the node
 * as it found it.
 *
 *   routes   every route of the main table through one of the links
 *            (RTA_OIF), except the kernel's own prefix routes, which come
 *            back with their addresses;
 *   IPv6     the links' global IPv6 addresses (net.ipv6.conf.*.
 *            keep_addr_on_down is 0 by default: they go with the link);
 *            IPv4 addresses stay and need nothing.
 *
 * Saved as the requests that restore them: the dumped message itself,
 * turned into RTM_NEWADDR / RTM_NEWROUTE with NLM_F_CREATE | NLM_F_REPLACE
 * (what exists already is replaced by itself).  VIPs are never saved:
 * hamgrd adds them back if this node becomes MASTER again, and a drill
 * must not give a BACKUP a VIP.
 *
 * Everything from the kernel is bounds-checked by libmnl's parsers; a
 * message this code does not understand is skipped, not replayed.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "haadm.h"

struct save_ctx {
	struct haadm_links	*l;
	unsigned int		 ifindex[HAADM_LINKS_MAX];
	size_t			 nif;
};

void
links_exclude(struct haadm_links *l, uint8_t family, const uint8_t addr[16])
{
	if (l->nexcl == HAADM_EXCL_MAX)
		return;
	memcpy(l->excl[l->nexcl], addr, 16);
	l->excl_family[l->nexcl++] = family;
}

static bool
our_if(const struct save_ctx *x, unsigned int ifindex)
{
	size_t	 i;

	for (i = 0; i < x->nif; i++)
		if (x->ifindex[i] == ifindex)
			return true;
	return false;
}

static bool
excluded(const struct haadm_links *l, uint8_t family, const void *a)
{
	size_t	 i, n = family == AF_INET ? 4 : 16;

	for (i = 0; i < l->nexcl; i++)
		if (l->excl_family[i] == family &&
		    memcmp(l->excl[i], a, n) == 0)
			return true;
	return false;
}

/* Keep a copy of nlh as a request of type type. */
static int
keep(struct haadm_links *l, const struct nlmsghdr *nlh, uint16_t type)
{
	struct nlmsghdr	*m;
	size_t		 cap;
	uint8_t		*p;

	if (l->saved_len + nlh->nlmsg_len > l->saved_cap) {
		cap = l->saved_cap ? l->saved_cap * 2 : 8192;
		while (cap < l->saved_len + nlh->nlmsg_len)
			cap *= 2;
		if ((p = realloc(l->saved, cap)) == NULL)
			return MNL_CB_ERROR;
		l->saved = p;
		l->saved_cap = cap;
	}
	m = (struct nlmsghdr *)(l->saved + l->saved_len);
	memcpy(m, nlh, nlh->nlmsg_len);
	m->nlmsg_type = type;
	m->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_REPLACE;
	m->nlmsg_pid = 0;
	l->saved_len += NLMSG_ALIGN(nlh->nlmsg_len);
	return MNL_CB_OK;
}

static int
on_addr(const struct nlmsghdr *nlh, void *arg)
{
	struct save_ctx		*x = arg;
	const struct ifaddrmsg	*ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	const void		*addr = NULL;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) ||
	    ifa->ifa_family != AF_INET6 || !our_if(x, ifa->ifa_index) ||
	    ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa))
		if (mnl_attr_get_type(a) == IFA_ADDRESS &&
		    mnl_attr_get_payload_len(a) == 16)
			addr = mnl_attr_get_payload(a);
	if (addr == NULL || excluded(x->l, AF_INET6, addr))
		return MNL_CB_OK;
	x->l->saved_addrs++;
	return keep(x->l, nlh, RTM_NEWADDR);
}

static int
on_route(const struct nlmsghdr *nlh, void *arg)
{
	struct save_ctx		*x = arg;
	const struct rtmsg	*rt = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*a;
	bool			 ours = false;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)) ||
	    rt->rtm_table != RT_TABLE_MAIN || rt->rtm_type != RTN_UNICAST ||
	    rt->rtm_protocol == RTPROT_KERNEL ||
	    (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*rt))
		if (mnl_attr_get_type(a) == RTA_OIF &&
		    mnl_attr_get_payload_len(a) == 4 &&
		    our_if(x, mnl_attr_get_u32(a)))
			ours = true;
	if (!ours)
		return MNL_CB_OK;
	x->l->saved_routes++;
	return keep(x->l, nlh, RTM_NEWROUTE);
}

/* One dump request and its answer through cb. */
static int
dump(struct haadm_links *l, uint16_t type, uint8_t family, mnl_cb_t cb,
    struct save_ctx *x)
{
	struct mnl_socket	*nl = l->nl;
	uint8_t			 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr		*nlh;
	struct rtgenmsg		*g;
	unsigned int		 portid;
	uint32_t		 seq;
	ssize_t			 n;
	int			 rc;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq = ++l->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = family;
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, cb, x);
	} while (rc > 0);
	return rc;
}

int
links_open_nl(struct haadm_links *l)
{
	struct mnl_socket	*nl;

	if (l->nl != NULL)
		return 0;
	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		snprintf(l->err, sizeof(l->err), "rtnetlink: %s",
		    strerror(errno));
		if (nl != NULL)
			mnl_socket_close(nl);
		return -1;
	}
	l->nl = nl;
	return 0;
}

int
links_save(struct haadm_links *l)
{
	struct save_ctx	 x;
	size_t		 i;

	memset(&x, 0, sizeof(x));
	x.l = l;
	for (i = 0; i < l->n; i++)
		if ((x.ifindex[x.nif] = if_nametoindex(l->name[i])) != 0)
			x.nif++;
	l->saved_len = 0;
	l->saved_addrs = l->saved_routes = 0;
	if (links_open_nl(l) == -1)
		return -1;
	/* Addresses first: restored first, the routes need them. */
	if (dump(l, RTM_GETADDR, AF_INET6, on_addr, &x) == -1 ||
	    dump(l, RTM_GETROUTE, AF_UNSPEC, on_route, &x) == -1) {
		snprintf(l->err, sizeof(l->err), "saving routes and "
		    "addresses: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
links_restore(struct haadm_links *l)
{
	uint8_t		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*m;
	size_t		 off;
	unsigned int	 portid, failed = 0;
	ssize_t		 n;
	int		 rc;

	if (l->saved_len == 0)
		return 0;
	if (links_open_nl(l) == -1) {
		fprintf(stderr, "haadm: routes and IPv6 addresses of the "
		    "drilled links not restored: %s\n", l->err);
		return -1;
	}
	portid = mnl_socket_get_portid(l->nl);
	for (off = 0; off < l->saved_len;
	    off += NLMSG_ALIGN(m->nlmsg_len)) {
		m = (struct nlmsghdr *)(l->saved + off);
		m->nlmsg_seq = ++l->seq;
		rc = -1;
		if (mnl_socket_sendto(l->nl, m, m->nlmsg_len) >= 0) {
			do
				n = mnl_socket_recvfrom(l->nl, buf,
				    sizeof(buf));
			while (n < 0 && errno == EINTR);
			rc = n < 0 ? -1 : mnl_cb_run(buf, (size_t)n,
			    m->nlmsg_seq, portid, NULL, NULL);
		}
		if (rc == -1 && errno != EEXIST) {
			failed++;
			fprintf(stderr, "haadm: could not restore a%s of a "
			    "drilled link: %s\n", m->nlmsg_type ==
			    RTM_NEWADDR ? "n IPv6 address" : " route",
			    strerror(errno));
		}
	}
	l->saved_len = 0;
	return failed ? -1 : 0;
}
