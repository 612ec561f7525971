/*
 * test/unit/test_vmac.c -- use_vmac's pure part (ha/vmac_msg.h): the
 * virtual MAC of RFC 5798 7.3, the rtnetlink requests read back
 * attribute by attribute, and the link parser on built answers,
 * truncated ones included.
 */
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "tandem/util.h"
#include "unit.h"
#include "../../ha/vmac_msg.h"

static void
test_addr(void)
{
	static const uint8_t	 v4[6] = { 0, 0, 0x5e, 0, 1, 51 };
	static const uint8_t	 v6[6] = { 0, 0, 0x5e, 0, 2, 255 };
	uint8_t			 mac[6];
	char			 s[18];

	vmac_addr(51, true, mac);
	UNIT_ASSERT_BYTES(mac, v4, 6);
	vmac_addr(255, false, mac);
	UNIT_ASSERT_BYTES(mac, v6, 6);
	vmac_addr(1, true, mac);
	vmac_addr_str(mac, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "00:00:5e:00:01:01");
	vmac_addr(0xab, false, mac);
	vmac_addr_str(mac, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "00:00:5e:00:02:ab");
}

/* Attributes of interest of a request, read back with libmnl. */
struct seen {
	char		 name[IFNAMSIZ];
	uint32_t	 link, mode;
	uint8_t		 mac[6];
	char		 kind[16];
	uint32_t	 conf[IPV4_DEVCONF_MAX + 1];
	int		 nconf;
	int		 gen_mode;
};

static int
cb_data(const struct nlattr *a, void *arg)
{
	struct seen	*s = arg;

	if (mnl_attr_get_type(a) == IFLA_MACVLAN_MODE)
		s->mode = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int
cb_info(const struct nlattr *a, void *arg)
{
	struct seen	*s = arg;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		snprintf(s->kind, sizeof(s->kind), "%s", mnl_attr_get_str(a));
	else if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
		mnl_attr_parse_nested(a, cb_data, s);
	return MNL_CB_OK;
}

static int
cb_conf(const struct nlattr *a, void *arg)
{
	struct seen	*s = arg;
	uint16_t	 t = mnl_attr_get_type(a);

	CU_ASSERT_EQUAL(mnl_attr_get_payload_len(a), 4);
	if (t <= IPV4_DEVCONF_MAX) {
		s->conf[t] = mnl_attr_get_u32(a);
		s->nconf++;
	}
	return MNL_CB_OK;
}

static int
cb_inet(const struct nlattr *a, void *arg)
{
	struct seen	*s = arg;

	if (mnl_attr_get_type(a) == IFLA_INET_CONF)
		mnl_attr_parse_nested(a, cb_conf, s);
	else if (mnl_attr_get_type(a) == IFLA_INET6_ADDR_GEN_MODE)
		s->gen_mode = mnl_attr_get_u8(a);
	return MNL_CB_OK;
}

static int
cb_af(const struct nlattr *a, void *arg)
{
	return mnl_attr_parse_nested(a, cb_inet, arg);
}

static int
cb_top(const struct nlattr *a, void *arg)
{
	struct seen	*s = arg;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		snprintf(s->name, sizeof(s->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_LINK:
		s->link = mnl_attr_get_u32(a);
		break;
	case IFLA_ADDRESS:
		CU_ASSERT_EQUAL(mnl_attr_get_payload_len(a), 6);
		memcpy(s->mac, mnl_attr_get_payload(a), 6);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, cb_info, s);
		break;
	case IFLA_AF_SPEC:
		mnl_attr_parse_nested(a, cb_af, s);
		break;
	}
	return MNL_CB_OK;
}

/* Check the header of the request in buf (n bytes) and read it back. */
static const struct ifinfomsg *
read_back(const uint8_t *buf, int n, uint16_t type, uint16_t flags,
    struct seen *s)
{
	const struct nlmsghdr	*nlh = (const void *)buf;

	memset(s, 0, sizeof(*s));
	s->gen_mode = -1;
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(nlh->nlmsg_len, (uint32_t)n);
	CU_ASSERT_EQUAL(nlh->nlmsg_type, type);
	CU_ASSERT_EQUAL(nlh->nlmsg_flags, NLM_F_REQUEST | flags);
	CU_ASSERT_EQUAL(nlh->nlmsg_seq, 77);
	CU_ASSERT_EQUAL(mnl_attr_parse(nlh, sizeof(struct ifinfomsg), cb_top,
	    s), MNL_CB_OK);
	return mnl_nlmsg_get_payload(nlh);
}

static void
test_requests(void)
{
	uint8_t			 buf[512], mac[6];
	const struct ifinfomsg	*ifi;
	struct vmac_conf	 c = { 1, -1, 2, 0 }, none = { -1, -1, -1, -1 };
	struct seen		 s;
	int			 n, i;

	vmac_addr(51, true, mac);
	n = vmac_msg_create(buf, sizeof(buf), 77, "vrrp.51", 3, mac);
	ifi = read_back(buf, n, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_EXCL, &s);
	CU_ASSERT_EQUAL(ifi->ifi_index, 0);
	CU_ASSERT_EQUAL(ifi->ifi_flags & IFF_UP, 0);	/* created down */
	CU_ASSERT_STRING_EQUAL(s.name, "vrrp.51");
	CU_ASSERT_EQUAL(s.link, 3);
	UNIT_ASSERT_BYTES(s.mac, mac, 6);
	CU_ASSERT_STRING_EQUAL(s.kind, "macvlan");
	CU_ASSERT_EQUAL(s.mode, MACVLAN_MODE_PRIVATE);
	/* every byte counts: one short of the message fails */
	CU_ASSERT_EQUAL(vmac_msg_create(buf, (size_t)n - 1, 77, "vrrp.51", 3,
	    mac), -1);
	CU_ASSERT_EQUAL(vmac_msg_create(buf, 8, 77, "vrrp.51", 3, mac), -1);

	n = vmac_msg_updown(buf, sizeof(buf), 77, 9, true);
	ifi = read_back(buf, n, RTM_NEWLINK, NLM_F_ACK, &s);
	CU_ASSERT_EQUAL(ifi->ifi_index, 9);
	CU_ASSERT_EQUAL(ifi->ifi_change, IFF_UP);
	CU_ASSERT_EQUAL(ifi->ifi_flags, IFF_UP);
	n = vmac_msg_updown(buf, sizeof(buf), 77, 9, false);
	ifi = read_back(buf, n, RTM_NEWLINK, NLM_F_ACK, &s);
	CU_ASSERT_EQUAL(ifi->ifi_change, IFF_UP);
	CU_ASSERT_EQUAL(ifi->ifi_flags, 0);

	n = vmac_msg_del(buf, sizeof(buf), 77, 9);
	ifi = read_back(buf, n, RTM_DELLINK, NLM_F_ACK, &s);
	CU_ASSERT_EQUAL(ifi->ifi_index, 9);

	n = vmac_msg_get(buf, sizeof(buf), 77, "up0");
	ifi = read_back(buf, n, RTM_GETLINK, 0, &s);	/* the answer acks */
	CU_ASSERT_STRING_EQUAL(s.name, "up0");

	n = vmac_msg_conf(buf, sizeof(buf), 77, 4, &c);
	ifi = read_back(buf, n, RTM_NEWLINK, NLM_F_ACK, &s);
	CU_ASSERT_EQUAL(ifi->ifi_index, 4);
	CU_ASSERT_EQUAL(s.nconf, 3);		/* arp_filter left alone */
	CU_ASSERT_EQUAL(s.conf[IPV4_DEVCONF_ARP_IGNORE], 1);
	CU_ASSERT_EQUAL(s.conf[IPV4_DEVCONF_ARP_ANNOUNCE], 2);
	CU_ASSERT_EQUAL(s.conf[IPV4_DEVCONF_RP_FILTER], 0);
	CU_ASSERT_EQUAL(s.conf[IPV4_DEVCONF_ARPFILTER], 0);
	CU_ASSERT_EQUAL(vmac_msg_conf(buf, sizeof(buf), 77, 4, &none), -1);
	for (i = 0; i < n; i++)	/* every short buffer refused */
		CU_ASSERT_EQUAL(vmac_msg_conf(buf, (size_t)i, 77, 4, &c), -1);

	n = vmac_msg_nolladdr(buf, sizeof(buf), 77, 4);
	read_back(buf, n, RTM_NEWLINK, NLM_F_ACK, &s);
	CU_ASSERT_EQUAL(s.gen_mode, 1);		/* IN6_ADDR_GEN_MODE_NONE */
}

/* An RTM_NEWLINK answer as the kernel writes one: a macvlan on link 2,
 * or (macvlan false) a veth, with the IPv4 devconf array. */
static int
answer(uint8_t *buf, size_t len, bool macvlan)
{
	static const uint8_t	 mac[6] = { 0, 0, 0x5e, 0, 1, 7 };
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*li, *d, *af, *in;
	uint32_t		 conf[IPV4_DEVCONF_MAX];

	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 12;
	ifi->ifi_flags = IFF_UP | IFF_BROADCAST;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "vrrp.7");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_u32(nlh, IFLA_LINK, 2);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_str(nlh, IFLA_INFO_KIND, macvlan ? "macvlan" : "veth");
	d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, li);
	memset(conf, 0, sizeof(conf));
	conf[IPV4_DEVCONF_ARP_IGNORE - 1] = 8;
	conf[IPV4_DEVCONF_ARPFILTER - 1] = 1;
	conf[IPV4_DEVCONF_ARP_ANNOUNCE - 1] = 2;
	conf[IPV4_DEVCONF_RP_FILTER - 1] = 2;
	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in = mnl_attr_nest_start(nlh, AF_INET);
	mnl_attr_put(nlh, IFLA_INET_CONF, sizeof(conf), conf);
	mnl_attr_nest_end(nlh, in);
	mnl_attr_nest_end(nlh, af);
	return (int)nlh->nlmsg_len;
}

static void
test_parse(void)
{
	static const uint8_t	 mac[6] = { 0, 0, 0x5e, 0, 1, 7 };
	uint8_t			 buf[1024];
	struct vmac_link	 l;
	int			 n;

	n = answer(buf, sizeof(buf), true);
	CU_ASSERT_EQUAL_FATAL(vmac_link_parse(buf, (size_t)n, &l), 0);
	CU_ASSERT_EQUAL(l.ifindex, 12);
	CU_ASSERT_EQUAL(l.link, 2);
	CU_ASSERT(l.flags & IFF_UP);
	CU_ASSERT(l.have_mac);
	UNIT_ASSERT_BYTES(l.mac, mac, 6);
	CU_ASSERT(l.macvlan);
	CU_ASSERT_EQUAL(l.mode, MACVLAN_MODE_PRIVATE);
	CU_ASSERT_EQUAL(l.conf.arp_ignore, 8);
	CU_ASSERT_EQUAL(l.conf.arp_filter, 1);
	CU_ASSERT_EQUAL(l.conf.arp_announce, 2);
	CU_ASSERT_EQUAL(l.conf.rp_filter, 2);

	n = answer(buf, sizeof(buf), false);
	CU_ASSERT_EQUAL_FATAL(vmac_link_parse(buf, (size_t)n, &l), 0);
	CU_ASSERT(!l.macvlan);
	CU_ASSERT_EQUAL(l.link, 2);

	/* Cut short: the header says more than there is. */
	CU_ASSERT_EQUAL(vmac_link_parse(buf, (size_t)n - 1, &l), -1);
	CU_ASSERT_EQUAL(vmac_link_parse(buf, 10, &l), -1);
	/* A length of 2^31 or more (libmnl's int compare would pass it). */
	((struct nlmsghdr *)(void *)buf)->nlmsg_len = 0xffff00f4;
	CU_ASSERT_EQUAL(vmac_link_parse(buf, (size_t)n, &l), -1);
	((struct nlmsghdr *)(void *)buf)->nlmsg_len = (uint32_t)n;
	/* Not a link message. */
	((struct nlmsghdr *)(void *)buf)->nlmsg_type = RTM_NEWADDR;
	CU_ASSERT_EQUAL(vmac_link_parse(buf, (size_t)n, &l), -1);
	/* A devconf array too short for the fields: they stay unknown. */
	n = answer(buf, sizeof(buf), true);
	{
		struct nlmsghdr	*nlh = (void *)buf;
		struct nlattr	*a;

		mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg))
			if (mnl_attr_get_type(a) == IFLA_AF_SPEC) {
				struct nlattr	*in = mnl_attr_get_payload(a);
				struct nlattr	*cf = mnl_attr_get_payload(in);

				/* keep 2 of the u32s, the rest is padding
				 * of the outer attributes */
				cf->nla_len = MNL_ATTR_HDRLEN + 8;
				in->nla_len = MNL_ATTR_HDRLEN +
				    MNL_ALIGN(cf->nla_len);
				a->nla_len = MNL_ATTR_HDRLEN +
				    MNL_ALIGN(in->nla_len);
				nlh->nlmsg_len = (uint32_t)((uint8_t *)a -
				    buf) + MNL_ALIGN(a->nla_len);
			}
		CU_ASSERT_EQUAL_FATAL(vmac_link_parse(buf, nlh->nlmsg_len,
		    &l), 0);
		CU_ASSERT_EQUAL(l.conf.arp_ignore, -1);
		CU_ASSERT_EQUAL(l.conf.rp_filter, -1);
		CU_ASSERT(l.macvlan);
	}
}

UNIT_SUITE(vmac, "vmac",
    { "virtual MAC", test_addr },
    { "rtnetlink requests", test_requests },
    { "link answers", test_parse });
