/*
 * ha/vmac_msg.c -- rtnetlink messages of the virtual MAC's macvlan
 * (vmac_msg.h).  Built with libmnl's bounds-checked attribute puts into
 * the caller's buffer; parsed with mnl_attr_parse, which checks every
 * attribute's length against the message before we look at it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "vmac_msg.h"

#ifndef IN6_ADDR_GEN_MODE_NONE
#define IN6_ADDR_GEN_MODE_NONE	1
#endif

void
vmac_addr(uint8_t vrid, bool has_v4, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = has_v4 ? 0x01 : 0x02;
	mac[5] = vrid;
}

void
vmac_addr_str(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
}

/* Header and ifinfomsg, or NULL when they do not fit. */
static struct nlmsghdr *
link_hdr(void *buf, size_t buflen, uint16_t type, uint16_t flags,
    uint32_t seq, int ifindex)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if (buflen < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)))
		return NULL;
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

int
vmac_msg_create(void *buf, size_t buflen, uint32_t seq, const char *name,
    int link, const uint8_t mac[6])
{
	struct nlmsghdr	*nlh;
	struct nlattr	*info, *data;

	if ((nlh = link_hdr(buf, buflen, RTM_NEWLINK, NLM_F_ACK |
	    NLM_F_CREATE | NLM_F_EXCL, seq, 0)) == NULL ||
	    !mnl_attr_put_strz_check(nlh, buflen, IFLA_IFNAME, name) ||
	    !mnl_attr_put_u32_check(nlh, buflen, IFLA_LINK, (uint32_t)link) ||
	    !mnl_attr_put_check(nlh, buflen, IFLA_ADDRESS, 6, mac) ||
	    (info = mnl_attr_nest_start_check(nlh, buflen,
	    IFLA_LINKINFO)) == NULL ||
	    !mnl_attr_put_strz_check(nlh, buflen, IFLA_INFO_KIND,
	    "macvlan") ||
	    (data = mnl_attr_nest_start_check(nlh, buflen,
	    IFLA_INFO_DATA)) == NULL ||
	    !mnl_attr_put_u32_check(nlh, buflen, IFLA_MACVLAN_MODE,
	    MACVLAN_MODE_PRIVATE))
		return -1;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return (int)nlh->nlmsg_len;
}

int
vmac_msg_updown(void *buf, size_t buflen, uint32_t seq, int ifindex,
    bool up)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if ((nlh = link_hdr(buf, buflen, RTM_NEWLINK, NLM_F_ACK, seq,
	    ifindex)) == NULL)
		return -1;
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return (int)nlh->nlmsg_len;
}

int
vmac_msg_del(void *buf, size_t buflen, uint32_t seq, int ifindex)
{
	struct nlmsghdr	*nlh;

	if ((nlh = link_hdr(buf, buflen, RTM_DELLINK, NLM_F_ACK, seq,
	    ifindex)) == NULL)
		return -1;
	return (int)nlh->nlmsg_len;
}

int
vmac_msg_get(void *buf, size_t buflen, uint32_t seq, const char *name)
{
	struct nlmsghdr	*nlh;

	if ((nlh = link_hdr(buf, buflen, RTM_GETLINK, 0, seq, 0)) == NULL ||
	    !mnl_attr_put_strz_check(nlh, buflen, IFLA_IFNAME, name))
		return -1;
	return (int)nlh->nlmsg_len;
}

int
vmac_msg_conf(void *buf, size_t buflen, uint32_t seq, int ifindex,
    const struct vmac_conf *c)
{
	const struct {
		int	 v;
		uint16_t type;
	}		 f[] = {
		{ c->arp_ignore, IPV4_DEVCONF_ARP_IGNORE },
		{ c->arp_filter, IPV4_DEVCONF_ARPFILTER },
		{ c->arp_announce, IPV4_DEVCONF_ARP_ANNOUNCE },
		{ c->rp_filter, IPV4_DEVCONF_RP_FILTER },
	};
	struct nlmsghdr	*nlh;
	struct nlattr	*af, *in, *conf;
	size_t		 i, n = 0;

	if ((nlh = link_hdr(buf, buflen, RTM_NEWLINK, NLM_F_ACK, seq,
	    ifindex)) == NULL ||
	    (af = mnl_attr_nest_start_check(nlh, buflen,
	    IFLA_AF_SPEC)) == NULL ||
	    (in = mnl_attr_nest_start_check(nlh, buflen, AF_INET)) == NULL ||
	    (conf = mnl_attr_nest_start_check(nlh, buflen,
	    IFLA_INET_CONF)) == NULL)
		return -1;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (f[i].v < 0)
			continue;
		if (!mnl_attr_put_u32_check(nlh, buflen, f[i].type,
		    (uint32_t)f[i].v))
			return -1;
		n++;
	}
	if (n == 0)
		return -1;
	mnl_attr_nest_end(nlh, conf);
	mnl_attr_nest_end(nlh, in);
	mnl_attr_nest_end(nlh, af);
	return (int)nlh->nlmsg_len;
}

int
vmac_msg_nolladdr(void *buf, size_t buflen, uint32_t seq, int ifindex)
{
	struct nlmsghdr	*nlh;
	struct nlattr	*af, *in6;

	if ((nlh = link_hdr(buf, buflen, RTM_NEWLINK, NLM_F_ACK, seq,
	    ifindex)) == NULL ||
	    (af = mnl_attr_nest_start_check(nlh, buflen,
	    IFLA_AF_SPEC)) == NULL ||
	    (in6 = mnl_attr_nest_start_check(nlh, buflen,
	    AF_INET6)) == NULL ||
	    !mnl_attr_put_u8_check(nlh, buflen, IFLA_INET6_ADDR_GEN_MODE,
	    IN6_ADDR_GEN_MODE_NONE))
		return -1;
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	return (int)nlh->nlmsg_len;
}

/* --- parsing ----------------------------------------------------------- */

static int
parse_macvlan_data(const struct nlattr *a, void *arg)
{
	struct vmac_link	*l = arg;

	if (mnl_attr_get_type(a) == IFLA_MACVLAN_MODE &&
	    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		l->mode = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int
parse_linkinfo(const struct nlattr *a, void *arg)
{
	struct vmac_link	*l = arg;
	const char		*kind;
	size_t			 n;

	switch (mnl_attr_get_type(a)) {
	case IFLA_INFO_KIND:
		kind = mnl_attr_get_payload(a);
		n = mnl_attr_get_payload_len(a);
		/* "macvlan" with or without its NUL */
		l->macvlan = (n == 7 || (n == 8 && kind[7] == '\0')) &&
		    memcmp(kind, "macvlan", 7) == 0;
		break;
	case IFLA_INFO_DATA:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) == 0 &&
		    mnl_attr_parse_nested(a, parse_macvlan_data, l) ==
		    MNL_CB_ERROR)
			return MNL_CB_ERROR;
		break;
	}
	return MNL_CB_OK;
}

/* IFLA_INET_CONF: u32 per devconf, index IPV4_DEVCONF_x - 1. */
static void
parse_inet_conf(const struct nlattr *a, struct vmac_link *l)
{
	const uint8_t	*p = mnl_attr_get_payload(a);
	size_t		 n = mnl_attr_get_payload_len(a) / 4;
	uint32_t	 v;

#define CONF(field, idx)						\
	if ((size_t)(idx) <= n) {					\
		memcpy(&v, p + ((idx) - 1) * 4, 4);			\
		l->conf.field = v > 255 ? 255 : (int)v;			\
	}
	CONF(arp_ignore, IPV4_DEVCONF_ARP_IGNORE);
	CONF(arp_filter, IPV4_DEVCONF_ARPFILTER);
	CONF(arp_announce, IPV4_DEVCONF_ARP_ANNOUNCE);
	CONF(rp_filter, IPV4_DEVCONF_RP_FILTER);
#undef CONF
}

static int
parse_inet(const struct nlattr *a, void *arg)
{
	if (mnl_attr_get_type(a) == IFLA_INET_CONF)
		parse_inet_conf(a, arg);
	return MNL_CB_OK;
}

static int
parse_afspec(const struct nlattr *a, void *arg)
{
	if (mnl_attr_get_type(a) == AF_INET &&
	    mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
		return mnl_attr_parse_nested(a, parse_inet, arg);
	return MNL_CB_OK;
}

static int
parse_link(const struct nlattr *a, void *arg)
{
	struct vmac_link	*l = arg;

	switch (mnl_attr_get_type(a)) {
	case IFLA_LINK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			l->link = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == 6) {
			memcpy(l->mac, mnl_attr_get_payload(a), 6);
			l->have_mac = true;
		}
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
			return mnl_attr_parse_nested(a, parse_linkinfo, l);
		break;
	case IFLA_AF_SPEC:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
			return mnl_attr_parse_nested(a, parse_afspec, l);
		break;
	}
	return MNL_CB_OK;
}

int
vmac_link_parse(const void *msg, size_t len, struct vmac_link *l)
{
	const struct nlmsghdr	*nlh = msg;
	const struct ifinfomsg	*ifi;

	memset(l, 0, sizeof(*l));
	l->conf.arp_ignore = l->conf.arp_filter = l->conf.arp_announce =
	    l->conf.rp_filter = -1;
	/* Not mnl_nlmsg_ok(): it compares nlmsg_len as an int, and a
	 * length of 2^31 or more passes. */
	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)) ||
	    nlh->nlmsg_len > len || nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)))
		return -1;
	ifi = mnl_nlmsg_get_payload(nlh);
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (mnl_attr_parse(nlh, sizeof(*ifi), parse_link, l) == MNL_CB_ERROR)
		return -1;
	return 0;
}
