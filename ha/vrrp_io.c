/*
 * ha/vrrp_io.c -- VRRPv3 adverts on the wire (RFC 5798): raw IP sockets
 * of protocol 112, one per group and address family, bound to the
 * group's interface and joined to 224.0.0.18 / ff02::12 there.
 *
 * A group sends IPv4 adverts listing its IPv4 VIPs when it has any, and
 * IPv6 adverts listing its IPv6 VIPs when it has any; both feed the one
 * role machine of the group (an election per group, not per family).
 * Adverts leave with TTL / hop limit 255 (5.1.1.3) from the interface's
 * primary IPv4 address (the first that is not one of our VIPs) or its
 * IPv6 link-local address (5.1.2.1), named through IP(V6)_PKTINFO.
 *
 * Receive checks (7.1): an IPv4 raw socket hands us the IP header, so
 * the TTL and the destination are read from it (what IP_RECVTTL would
 * say); IPv6 gives the hop limit and destination as ancillary data
 * (IPV6_RECVHOPLIMIT, IPV6_RECVPKTINFO).  Then vrrp_check(): version,
 * type, length, TTL 255, VRID, checksum.  Every drop is counted by
 * reason and logged at most once a second per group; adverts of another
 * VRID on a shared interface are only counted.  Our own adverts are
 * not looped back (IP_MULTICAST_LOOP 0) and, if they were, would be
 * recognised by their source address.
 *
 * use_vmac (vmac.c): IPv4 adverts leave through the group's macvlan,
 * from a send-only socket bound to it (the receiving one stays on the
 * interface), so their source MAC is the virtual MAC (7.3) and the
 * LAN's switches keep learning it on the master's port; the source
 * address is still the interface's primary.  IPv6 adverts keep the
 * interface: their source must be a link-local address of the sending
 * interface (5.1.2.1), and the macvlan has none -- the interface's own
 * there would make the macvlan answer neighbour solicitations for it
 * with the virtual MAC, and one derived from the virtual MAC would be
 * the same on every node and void the tie-break of equal priorities.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tandem/util.h"
#include "hamgrd.h"

#define VRRP_MCAST4	0xe0000012u	/* 224.0.0.18 */
static const uint8_t	 vrrp_mcast6[16] = {
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12
};

static const char *const ha_drop_names[] = {
	[HA_DROP_IPHDR]		= "IPHDR",
	[HA_DROP_OWN]		= "OWN",
	[HA_DROP_TRUNC]		= "TRUNC",
	[HA_DROP_NOINFO]	= "NOINFO",
};
_Static_assert(nitems(ha_drop_names) == HA_DROP_MAX, "a name per drop");

const char *
ha_drop_name(enum ha_drop d)
{
	return NAME_OF(ha_drop_names, d);
}

static bool
is_vip(const struct ha_group *g, int af, const void *addr)
{
	size_t	 i, alen = af == AF_INET ? 4 : 16;

	for (i = 0; i < g->cfg->nvips; i++)
		if (g->cfg->vips[i].family == af &&
		    memcmp(g->cfg->vips[i].addr, addr, alen) == 0)
			return true;
	return false;
}

void
vrrp_io_refresh(struct ha_group *g)
{
	struct ifaddrs	*ifa, *p;
	struct ha_vsock	*v4 = &g->vs[0], *v6 = &g->vs[1];
	const uint8_t	*a;
	bool		 had4 = v4->have_src, had6 = v6->have_src;

	v4->have_src = v6->have_src = false;
	if (getifaddrs(&ifa) == -1)
		return;
	for (p = ifa; p != NULL; p = p->ifa_next) {
		if (p->ifa_addr == NULL ||
		    strcmp(p->ifa_name, g->cfg->interface) != 0)
			continue;
		if (p->ifa_addr->sa_family == AF_INET && !v4->have_src) {
			a = (const uint8_t *)&((struct sockaddr_in *)
			    (void *)p->ifa_addr)->sin_addr;
			if (is_vip(g, AF_INET, a))
				continue;
			memcpy(v4->src, a, 4);
			v4->have_src = true;
		} else if (p->ifa_addr->sa_family == AF_INET6 &&
		    !v6->have_src) {
			a = (const uint8_t *)&((struct sockaddr_in6 *)
			    (void *)p->ifa_addr)->sin6_addr;
			if (a[0] != 0xfe || (a[1] & 0xc0) != 0x80)
				continue;	/* link-local only */
			memcpy(v6->src, a, 16);
			v6->have_src = true;
		}
	}
	freeifaddrs(ifa);
	if (v4->fd != -1 && had4 != v4->have_src)
		log_info("group %s: %s IPv4 address on %s", g->cfg->name,
		    v4->have_src ? "have an" : "no", g->cfg->interface);
	if (v6->fd != -1 && had6 != v6->have_src)
		log_info("group %s: %s IPv6 link-local address on %s",
		    g->cfg->name, v6->have_src ? "have an" : "no",
		    g->cfg->interface);
}

static void
drop(struct ha_group *g, int vrrp_err, int ha_drop, const char *from)
{
	if (vrrp_err != 0)
		g->st.bad[-vrrp_err]++;
	else
		g->st.drop[ha_drop]++;
	if (ha_drop == HA_DROP_OWN)
		return;
	if (log_rate_ok(&g->st.rl))
		log_warn("group %s: advert from %s dropped: %s", g->cfg->name,
		    from, vrrp_err != 0 ? vrrp_err_name(vrrp_err) :
		    ha_drop_name(ha_drop));
}

/* A packet of the family of v: judge it and hand it to the group. */
static void
judge(struct ha_vsock *v, const uint8_t *msg, size_t len,
    const struct vrrp_ph *ph, uint8_t ttl)
{
	struct ha_group	*g = v->g;
	struct vrrp_adv	 a;
	char		 from[INET6_ADDRSTRLEN];
	size_t		 alen = vrrp_addr_len(v->family);
	int		 rc;

	inet_ntop(v->family == VRRP_AF_INET ? AF_INET : AF_INET6, ph->src,
	    from, sizeof(from));
	if (v->have_src && memcmp(ph->src, v->src, alen) == 0) {
		drop(g, 0, HA_DROP_OWN, from);
		return;
	}
	rc = vrrp_check(msg, len, ph, ttl, g->cfg->vrid, &a);
	if (rc == VRRP_E_VRID) {
		g->st.other_vrid++;	/* another router of this LAN */
		return;
	}
	if (rc != 0) {
		drop(g, rc, 0, from);
		return;
	}
	g->st.recv++;
	ha_group_advert(g, &a, ph->src);
}

static void
recv4(struct ha_vsock *v)
{
	uint8_t		 buf[60 + VRRP_MAX_LEN];
	struct vrrp_ph	 ph;
	struct rd	 r;
	ssize_t		 n;
	size_t		 hl;
	uint8_t		 vihl, ttl, proto;

	n = recv(v->fd, buf, sizeof(buf), MSG_TRUNC);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf)) {
		drop(v->g, 0, HA_DROP_TRUNC, "?");
		return;
	}
	memset(&ph, 0, sizeof(ph));
	ph.family = VRRP_AF_INET;
	rd_init(&r, buf, (size_t)n);
	vihl = rd_u8(&r);
	rd_skip(&r, 7);			/* tos, length, id, fragment */
	ttl = rd_u8(&r);
	proto = rd_u8(&r);
	rd_skip(&r, 2);			/* checksum: the kernel's */
	rd_copy(&r, ph.src, 4);
	rd_copy(&r, ph.dst, 4);
	hl = (size_t)(vihl & 0x0f) * 4;
	if (r.bad || vihl >> 4 != 4 || hl < 20 || hl > (size_t)n ||
	    proto != VRRP_PROTO) {
		drop(v->g, 0, HA_DROP_IPHDR, "?");
		return;
	}
	judge(v, buf + hl, (size_t)n - hl, &ph, ttl);
}

static void
recv6(struct ha_vsock *v)
{
	uint8_t			 buf[VRRP_MAX_LEN + 1];
	union {
		struct cmsghdr	 h;
		uint8_t		 b[CMSG_SPACE(sizeof(int)) +
				    CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cbuf;
	struct sockaddr_in6	 sa;
	struct in6_pktinfo	 pi;
	struct vrrp_ph		 ph;
	struct msghdr		 m;
	struct cmsghdr		*c;
	struct iovec		 iov;
	ssize_t			 n;
	int			 hops = -1;
	bool			 have_dst = false;

	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	memset(&m, 0, sizeof(m));
	m.msg_name = &sa;
	m.msg_namelen = sizeof(sa);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf.b;
	m.msg_controllen = sizeof(cbuf.b);
	if ((n = recvmsg(v->fd, &m, 0)) < 0)
		return;
	if ((m.msg_flags & MSG_TRUNC) || (size_t)n >= sizeof(buf)) {
		drop(v->g, 0, HA_DROP_TRUNC, "?");
		return;
	}
	memset(&ph, 0, sizeof(ph));
	ph.family = VRRP_AF_INET6;
	memcpy(ph.src, &sa.sin6_addr, 16);
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&hops, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memcpy(ph.dst, &pi.ipi6_addr, 16);
			have_dst = true;
		}
	}
	if (hops < 0 || hops > 255 || !have_dst) {
		drop(v->g, 0, HA_DROP_NOINFO, "?");
		return;
	}
	judge(v, buf, (size_t)n, &ph, (uint8_t)hops);
}

/* Up to max queued packets of v, without blocking. */
static void
drain(struct ha_vsock *v, int max)
{
	uint8_t	 b;
	int	 i;

	for (i = 0; i < max && v->fd != -1; i++) {
		if (recv(v->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) < 0)
			break;
		if (v->family == VRRP_AF_INET)
			recv4(v);
		else
			recv6(v);
	}
}

static void
on_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	/* A few per wakeup: adverts come in ones and twos. */
	drain(container_of(w, struct ha_vsock, io), 8);
}

void
vrrp_io_drain(struct ha_group *g)
{
	drain(&g->vs[0], 64);
	drain(&g->vs[1], 64);
}

static int
sopt(int fd, int level, int name, const void *v, socklen_t len,
    const struct ha_group *g, const char *what)
{
	if (setsockopt(fd, level, name, v, len) == 0)
		return 0;
	log_err("group %s: vrrp socket on %s: %s: %m", g->cfg->name,
	    g->cfg->interface, what);
	return -1;
}

static int
open4(struct ha_group *g, struct ha_vsock *v)
{
	struct ip_mreqn	 mr;
	int		 fd, one = 1, zero = 0, ttl = VRRP_TTL;

	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    VRRP_PROTO);
	if (fd == -1) {
		log_err("group %s: raw IPv4 socket: %m", g->cfg->name);
		return -1;
	}
	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr.s_addr = htonl(VRRP_MCAST4);
	mr.imr_ifindex = g->ifindex;
	if (sopt(fd, SOL_SOCKET, SO_BINDTODEVICE, g->cfg->interface,
	    (socklen_t)strlen(g->cfg->interface), g, "SO_BINDTODEVICE") ||
	    sopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr), g,
	    "IP_ADD_MEMBERSHIP") ||
	    sopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr), g,
	    "IP_MULTICAST_IF") ||
	    sopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl), g,
	    "IP_MULTICAST_TTL") ||
	    sopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl), g, "IP_TTL") ||
	    sopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero), g,
	    "IP_MULTICAST_LOOP") ||
	    sopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one), g,
	    "IP_PKTINFO")) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
open6(struct ha_group *g, struct ha_vsock *v)
{
	struct ipv6_mreq mr;
	int		 fd, one = 1, zero = 0, hops = VRRP_TTL;
	int		 ifi = g->ifindex;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    VRRP_PROTO);
	if (fd == -1) {
		log_err("group %s: raw IPv6 socket: %m", g->cfg->name);
		return -1;
	}
	memset(&mr, 0, sizeof(mr));
	memcpy(&mr.ipv6mr_multiaddr, vrrp_mcast6, 16);
	mr.ipv6mr_interface = (unsigned int)g->ifindex;
	if (sopt(fd, SOL_SOCKET, SO_BINDTODEVICE, g->cfg->interface,
	    (socklen_t)strlen(g->cfg->interface), g, "SO_BINDTODEVICE") ||
	    sopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr), g,
	    "IPV6_ADD_MEMBERSHIP") ||
	    sopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifi, sizeof(ifi), g,
	    "IPV6_MULTICAST_IF") ||
	    sopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops),
	    g, "IPV6_MULTICAST_HOPS") ||
	    sopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero),
	    g, "IPV6_MULTICAST_LOOP") ||
	    sopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one), g,
	    "IPV6_RECVHOPLIMIT") ||
	    sopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one), g,
	    "IPV6_RECVPKTINFO")) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
tx_close(struct ha_vsock *v)
{
	if (v->txfd >= 0)
		close(v->txfd);
	v->txfd = -1;
	v->tx_ifindex = 0;
}

/*
 * The send-only IPv4 socket on g's macvlan (use_vmac), opened when the
 * macvlan is new to us (created again: another ifindex).  It would
 * receive adverts the macvlan hears if its multicast filter let them in;
 * a filter that accepts nothing keeps its queue empty.  -1 when it
 * cannot be had (logged at most once a second): the caller sends from
 * the interface instead, a late master being worse than a source MAC.
 */
static int
tx_open(struct ha_group *g, struct ha_vsock *v)
{
	static struct sock_filter	 none[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog		 prog = { 1, none };
	struct ip_mreqn			 mr;
	const char			*ifn = g->cfg->vmac_name, *what;
	int				 fd, zero = 0, ttl = VRRP_TTL;

	if (v->txfd >= 0 && v->tx_ifindex == g->vmac.ifindex)
		return v->txfd;
	tx_close(v);
	memset(&mr, 0, sizeof(mr));
	mr.imr_ifindex = g->vmac.ifindex;
	what = "socket";
	if ((fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    VRRP_PROTO)) == -1 ||
	    (what = "SO_ATTACH_FILTER", setsockopt(fd, SOL_SOCKET,
	    SO_ATTACH_FILTER, &prog, sizeof(prog))) == -1 ||
	    (what = "SO_BINDTODEVICE", setsockopt(fd, SOL_SOCKET,
	    SO_BINDTODEVICE, ifn, (socklen_t)strlen(ifn))) == -1 ||
	    (what = "IP_MULTICAST_IF", setsockopt(fd, IPPROTO_IP,
	    IP_MULTICAST_IF, &mr, sizeof(mr))) == -1 ||
	    (what = "IP_MULTICAST_TTL", setsockopt(fd, IPPROTO_IP,
	    IP_MULTICAST_TTL, &ttl, sizeof(ttl))) == -1 ||
	    (what = "IP_MULTICAST_LOOP", setsockopt(fd, IPPROTO_IP,
	    IP_MULTICAST_LOOP, &zero, sizeof(zero))) == -1) {
		if (log_rate_ok(&g->st.rl))
			log_err("group %s: advert socket on %s: %s: %m; "
			    "adverts leave from %s", g->cfg->name, ifn, what,
			    g->cfg->interface);
		if (fd != -1)
			close(fd);
		return -1;
	}
	v->txfd = fd;
	v->tx_ifindex = g->vmac.ifindex;
	return fd;
}

int
vrrp_io_open(struct ha_group *g)
{
	struct ha_vsock	*v;
	size_t		 i, f, alen;
	int		 ret = 0;

	vrrp_io_close(g);
	for (f = 0; f < 2; f++) {
		v = &g->vs[f];
		v->g = g;
		v->family = f == 0 ? VRRP_AF_INET : VRRP_AF_INET6;
		alen = vrrp_addr_len(v->family);
		v->naddrs = 0;
		for (i = 0; i < g->cfg->nvips && v->naddrs < VRRP_MAX_ADDRS;
		    i++)
			if (g->cfg->vips[i].family == v->family)
				memcpy(v->addrs + alen * v->naddrs++,
				    g->cfg->vips[i].addr, alen);
		if (v->naddrs == 0)
			continue;
		if (f == 1 && !vrrp_v6_ll_first(v->addrs, v->naddrs))
			log_notice("group %s: no IPv6 link-local VIP (such as "
			    "fe80::1/64): RFC 5798 5.2.9 wants one first in "
			    "IPv6 adverts (keepalived only notes it, unless "
			    "strict)", g->cfg->name);
		v->fd = f == 0 ? open4(g, v) : open6(g, v);
		if (v->fd == -1) {
			ret = -1;
			continue;
		}
		ev_io_init(&v->io, on_readable, v->fd, EV_READ);
		ev_io_start(g->hd->d->loop, &v->io);
	}
	vrrp_io_refresh(g);
	return ret;
}

void
vrrp_io_close(struct ha_group *g)
{
	size_t	 f;

	for (f = 0; f < 2; f++) {
		tx_close(&g->vs[f]);
		if (g->vs[f].fd == -1)
			continue;
		ev_io_stop(g->hd->d->loop, &g->vs[f].io);
		close(g->vs[f].fd);
		g->vs[f].fd = -1;
	}
}

static int
send4(struct ha_group *g, struct ha_vsock *v, const uint8_t *msg,
    size_t len)
{
	int			 fd = v->fd, ifi = g->ifindex;
	union {
		struct cmsghdr	 h;
		uint8_t	 b[CMSG_SPACE(sizeof(struct in_pktinfo))];
	}			 cbuf;
	struct sockaddr_in	 to;
	struct in_pktinfo	 pi;
	struct msghdr		 m;
	struct cmsghdr		*c;
	struct iovec		 iov;

	if (g->vmac.started && g->vmac.up && g->vmac.ifindex != 0 &&
	    (fd = tx_open(g, v)) != -1)
		ifi = g->vmac.ifindex;
	else
		fd = v->fd;
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = htonl(VRRP_MCAST4);
	memset(&pi, 0, sizeof(pi));
	pi.ipi_ifindex = ifi;
	memcpy(&pi.ipi_spec_dst, v->src, 4);	/* the source address */
	iov.iov_base = (void *)msg;
	iov.iov_len = len;
	memset(&m, 0, sizeof(m));
	memset(&cbuf, 0, sizeof(cbuf));
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf.b;
	m.msg_controllen = sizeof(cbuf.b);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(fd, &m, 0) == (ssize_t)len)
		return 0;
	if (fd != v->fd && (errno == ENODEV || errno == ENXIO))
		tx_close(v);	/* the macvlan went: again next time */
	return -1;
}

static int
send6(struct ha_group *g, struct ha_vsock *v, const uint8_t *msg,
    size_t len)
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

	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	memcpy(&to.sin6_addr, vrrp_mcast6, 16);
	to.sin6_scope_id = (uint32_t)g->ifindex;
	memset(&pi, 0, sizeof(pi));
	pi.ipi6_ifindex = (unsigned int)g->ifindex;
	memcpy(&pi.ipi6_addr, v->src, 16);
	iov.iov_base = (void *)msg;
	iov.iov_len = len;
	memset(&m, 0, sizeof(m));
	memset(&cbuf, 0, sizeof(cbuf));
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
	return sendmsg(v->fd, &m, 0) == (ssize_t)len ? 0 : -1;
}

void
vrrp_io_send(struct ha_group *g, uint8_t prio)
{
	uint8_t		 buf[VRRP_MAX_LEN];
	struct vrrp_adv	 a;
	struct vrrp_ph	 ph;
	struct ha_vsock	*v;
	struct wr	 w;
	size_t		 f, alen;
	int		 n, rc;

	for (f = 0; f < 2; f++) {
		v = &g->vs[f];
		if (v->fd == -1)
			continue;
		if (!v->have_src)
			vrrp_io_refresh(g);
		if (!v->have_src) {
			g->st.send_err++;
			if (log_rate_ok(&g->st.rl))
				log_warn("group %s: no %s source address on "
				    "%s: advert not sent", g->cfg->name,
				    f == 0 ? "IPv4" : "IPv6 link-local",
				    g->cfg->interface);
			continue;
		}
		alen = vrrp_addr_len(v->family);
		memset(&a, 0, sizeof(a));
		a.family = v->family;
		a.vrid = g->cfg->vrid;
		a.prio = prio;
		a.naddrs = v->naddrs;
		a.adver_cs = g->cfg->advert_interval_cs;
		a.addrs = v->addrs;
		memset(&ph, 0, sizeof(ph));
		ph.family = v->family;
		memcpy(ph.src, v->src, alen);
		if (v->family == VRRP_AF_INET) {
			ph.dst[0] = 224, ph.dst[3] = 18;
		} else
			memcpy(ph.dst, vrrp_mcast6, 16);
		wr_init(&w, buf, sizeof(buf));
		if ((n = vrrp_encode(&w, &a, &ph)) < 0) {
			g->st.send_err++;
			log_err("group %s: advert encode: %s", g->cfg->name,
			    vrrp_err_name(n));
			continue;
		}
		rc = f == 0 ? send4(g, v, buf, (size_t)n) :
		    send6(g, v, buf, (size_t)n);
		if (rc == 0) {
			g->st.sent++;
			continue;
		}
		g->st.send_err++;
		if (log_rate_ok(&g->st.rl))
			log_warn("group %s: advert on %s: %m", g->cfg->name,
			    g->cfg->interface);
		if (errno == EADDRNOTAVAIL || errno == EINVAL)
			vrrp_io_refresh(g);
	}
}
