/*
 * ha/vip.c -- the virtual addresses: added and removed with rtnetlink
 * (libmnl: RTM_NEWADDR / RTM_DELADDR, each acknowledged), announced with
 * gratuitous ARP (AF_PACKET) and unsolicited neighbour adverts (ICMPv6).
 *
 * Each VIP goes on its own interface ("ADDR dev IF" in the config) or
 * the group's -- with use_vmac, the group's macvlan (vmac.c), which is
 * up exactly while the VIPs are on it: its GARP and NA then leave from
 * the virtual MAC.  IPv4 VIPs in the subnet of the interface's address
 * become secondaries, so removing one never takes the primary (and its
 * secondaries) with it.  IPv6 VIPs are added with IFA_F_NODAD: they are
 * the cluster's, and DAD would only delay the takeover by a second.
 *
 * GARP, keepalived's way: per IPv4 VIP one ARP request and one ARP reply
 * to ff:ff:ff:ff:ff:ff, both with sender = target = the VIP (Linux
 * updates an existing neighbour entry on either, overriding its lock
 * time, as a "gratuitous" ARP).  Per IPv6 VIP one neighbour advert to
 * ff02::1 with the Override flag and the target link-layer address
 * option (RFC 4861 4.4, 7.2.6), hop limit 255.
 *
 * The netlink socket is blocking: a request and its ack take
 * microseconds, and the takeover wants them done before the GARP.
 */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "tandem/util.h"
#include "hamgrd.h"

#ifndef IFA_F_NODAD
#define IFA_F_NODAD	0x02
#endif

static struct mnl_socket *nl;		/* requests, one at a time */
static unsigned int	 nl_seq;
static int		 pkt_fd = -1;	/* AF_PACKET / ETH_P_ARP */
static int		 icmp6_fd = -1;

int
vip_init(void)
{
	int	 hops = 255;

	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		log_err("vip: rtnetlink socket: %m");
		return -1;
	}
	nl_seq = (unsigned int)time(NULL);
	pkt_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (pkt_fd == -1)
		log_err("vip: AF_PACKET socket: %m (no gratuitous ARP)");
	icmp6_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (icmp6_fd == -1)
		log_err("vip: ICMPv6 socket: %m (no unsolicited NA)");
	else if (setsockopt(icmp6_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
	    &hops, sizeof(hops)) == -1)
		log_err("vip: IPV6_MULTICAST_HOPS: %m");
	return 0;
}

void
vip_fini(void)
{
	if (nl != NULL)
		mnl_socket_close(nl);
	nl = NULL;
	if (pkt_fd != -1)
		close(pkt_fd);
	if (icmp6_fd != -1)
		close(icmp6_fd);
	pkt_fd = icmp6_fd = -1;
}

const char *
vip_ifname(const struct ha_group *g, size_t i)
{
	if (g->cfg->vip_ifs[i][0] != '\0')
		return g->cfg->vip_ifs[i];
	return g->cfg->use_vmac ? g->cfg->vmac_name : g->cfg->interface;
}

/* One RTM_NEWADDR / RTM_DELADDR and its ack: 0 or -errno. */
static int
addr_req(uint16_t type, const struct cfg_addr *a, int ifindex)
{
	uint8_t		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct ifaddrmsg *ifa;
	size_t		 alen = a->family == CFG_AF_INET ? 4 : 16;
	unsigned int	 seq = ++nl_seq, portid;
	ssize_t		 n;
	int		 rc;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (type == RTM_NEWADDR)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_REPLACE;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_index = (unsigned int)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (type == RTM_NEWADDR && a->family == CFG_AF_INET6) {
		ifa->ifa_flags = IFA_F_NODAD;
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	mnl_attr_put(nlh, IFA_LOCAL, alen, a->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, a->addr);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	portid = mnl_socket_get_portid(nl);
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) < 0)
			return -errno;
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
		if (rc == MNL_CB_ERROR)
			return errno != 0 ? -errno : -EIO;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

static void
addr_str(const struct cfg_addr *a, char *buf, size_t len)
{
	char	 s[INET6_ADDRSTRLEN];

	inet_ntop(a->family == CFG_AF_INET ? AF_INET : AF_INET6, a->addr, s,
	    sizeof(s));
	snprintf(buf, len, "%s/%u", s, a->plen);
}

int
vip_add_all(struct ha_group *g)
{
	const char	*ifn;
	char		 s[64];
	size_t		 i;
	int		 ifi, rc, ret = 0;

	if (vmac_up(g) == -1)
		ret = -1;	/* its VIPs fail below, the others go on */
	for (i = 0; i < g->cfg->nvips; i++) {
		ifn = vip_ifname(g, i);
		addr_str(&g->cfg->vips[i], s, sizeof(s));
		if ((ifi = (int)if_nametoindex(ifn)) == 0) {
			g->vip_err++;
			log_err("group %s: VIP %s: no interface %s",
			    g->cfg->name, s, ifn);
			ret = -1;
			continue;
		}
		if ((rc = addr_req(RTM_NEWADDR, &g->cfg->vips[i], ifi)) != 0) {
			g->vip_err++;
			log_err("group %s: VIP %s on %s: %s", g->cfg->name, s,
			    ifn, strerror(-rc));
			ret = -1;
			continue;
		}
		log_info("group %s: VIP %s added on %s", g->cfg->name, s, ifn);
	}
	return ret;
}

int
vip_del_all(struct ha_group *g, bool quiet)
{
	const char	*ifn;
	char		 s[64];
	size_t		 i;
	int		 ifi, rc, ret = 0;

	for (i = 0; i < g->cfg->nvips; i++) {
		ifn = vip_ifname(g, i);
		addr_str(&g->cfg->vips[i], s, sizeof(s));
		if ((ifi = (int)if_nametoindex(ifn)) == 0)
			continue;		/* no interface, no address */
		rc = addr_req(RTM_DELADDR, &g->cfg->vips[i], ifi);
		if (rc == -EADDRNOTAVAIL || rc == -ENOENT || rc == -ENODEV ||
		    rc == -ESRCH)
			continue;		/* not there: fine */
		if (rc != 0) {
			g->vip_err++;
			log_err("group %s: removing VIP %s from %s: %s",
			    g->cfg->name, s, ifn, strerror(-rc));
			ret = -1;
			continue;
		}
		if (quiet)
			log_notice("group %s: removed stale VIP %s from %s "
			    "(left by an earlier run)", g->cfg->name, s, ifn);
		else
			log_info("group %s: VIP %s removed from %s",
			    g->cfg->name, s, ifn);
	}
	vmac_down(g);
	return ret;
}

static int
if_mac(const char *ifn, uint8_t mac[6])
{
	struct ifreq	 ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifn);
	if (ioctl(pkt_fd, SIOCGIFHWADDR, &ifr) == -1 ||
	    ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static int
send_arp(int ifi, const uint8_t mac[6], const uint8_t ip[4], uint16_t op)
{
	static const uint8_t	 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff,
				    0xff };
	static const uint8_t	 zero[6];
	struct sockaddr_ll	 to;
	uint8_t			 buf[28];
	struct wr		 w;

	wr_init(&w, buf, sizeof(buf));
	wr_be16(&w, ARPHRD_ETHER);
	wr_be16(&w, ETH_P_IP);
	wr_u8(&w, 6);
	wr_u8(&w, 4);
	wr_be16(&w, op);
	wr_bytes(&w, mac, 6);			/* sender: us, the VIP */
	wr_bytes(&w, ip, 4);
	wr_bytes(&w, op == ARPOP_REPLY ? mac : zero, 6);
	wr_bytes(&w, ip, 4);			/* target: the VIP too */
	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(ETH_P_ARP);
	to.sll_ifindex = ifi;
	to.sll_halen = 6;
	memcpy(to.sll_addr, bcast, 6);
	return sendto(pkt_fd, buf, w.len, 0, (struct sockaddr *)&to,
	    sizeof(to)) == (ssize_t)w.len ? 0 : -1;
}

static int
send_na(int ifi, const uint8_t mac[6], const uint8_t ip[16])
{
	union {
		struct cmsghdr	 h;
		uint8_t	 b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cbuf;
	struct sockaddr_in6	 to;
	struct in6_pktinfo	 pi;
	struct msghdr		 m;
	struct cmsghdr		*c;
	struct iovec		 iov;
	uint8_t			 buf[32];
	struct wr		 w;

	wr_init(&w, buf, sizeof(buf));
	wr_u8(&w, ND_NEIGHBOR_ADVERT);
	wr_u8(&w, 0);				/* code */
	wr_be16(&w, 0);			/* checksum: the kernel's */
	wr_be32(&w, 0x20000000);		/* O: override */
	wr_bytes(&w, ip, 16);
	wr_u8(&w, ND_OPT_TARGET_LINKADDR);
	wr_u8(&w, 1);				/* 8 bytes */
	wr_bytes(&w, mac, 6);
	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	to.sin6_addr.s6_addr[0] = 0xff;		/* ff02::1, all nodes */
	to.sin6_addr.s6_addr[1] = 0x02;
	to.sin6_addr.s6_addr[15] = 0x01;
	to.sin6_scope_id = (uint32_t)ifi;
	memset(&pi, 0, sizeof(pi));
	pi.ipi6_ifindex = (unsigned int)ifi;
	memset(&cbuf, 0, sizeof(cbuf));
	iov.iov_base = buf;
	iov.iov_len = w.len;
	memset(&m, 0, sizeof(m));
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf.b;
	m.msg_controllen = sizeof(cbuf.b);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	return sendmsg(icmp6_fd, &m, 0) == (ssize_t)w.len ? 0 : -1;
}

void
vip_garp(struct ha_group *g)
{
	const struct cfg_addr	*a;
	const char		*ifn;
	uint8_t			 mac[6];
	size_t			 i;
	int			 ifi, rc, rc2;

	for (i = 0; i < g->cfg->nvips; i++) {
		a = &g->cfg->vips[i];
		ifn = vip_ifname(g, i);
		if ((ifi = (int)if_nametoindex(ifn)) == 0 || pkt_fd == -1 ||
		    if_mac(ifn, mac) == -1)
			continue;	/* not Ethernet: nothing to announce */
		if (a->family == CFG_AF_INET) {
			rc = send_arp(ifi, mac, a->addr, ARPOP_REQUEST);
			rc2 = send_arp(ifi, mac, a->addr, ARPOP_REPLY);
			g->garp_sent += (rc == 0) + (rc2 == 0);
			g->garp_err += (rc != 0) + (rc2 != 0);
			rc |= rc2;
		} else if (icmp6_fd != -1) {
			rc = send_na(ifi, mac, a->addr);
			if (rc == 0)
				g->garp_sent++;
			else
				g->garp_err++;
		} else
			continue;
		if (rc != 0 && log_rate_ok(&g->st.rl))
			log_warn("group %s: gratuitous ARP/NA on %s: %m",
			    g->cfg->name, ifn);
	}
}
