/*
 * ikev2d/loop.c -- ikev2d's edge: everything between the protocol core
 * (ike_core.h) and the operating system.
 *
 *   UDP 500/4500, v4+v6 --ike_core_input()--> core --ike_core_out_*--> sendmsg
 *   XFRM EXPIRE/ACQUIRE --ike_core_kernel_*()-> core --kernel_ops--> XFRM
 *   one ev_timer at ike_core_next_deadline() --> ike_core_tick()
 *
 * After every call into the core, loop_after_core() drains the output
 * queue and re-arms the timer: that is the whole contract of the core's
 * edge (ike_core.h).  Time is CLOCK_MONOTONIC in milliseconds everywhere.
 *
 * Sockets are bound to the wildcard address, not to the configured local
 * addresses: a node's VIPs come and go with its role (hamgrd), and a
 * socket bound to an absent address would fail or go deaf.  IP_PKTINFO /
 * IPV6_RECVPKTINFO tell the core where each datagram arrived, and each
 * answer is sent from the address the core names (the VIP, normally).
 * Each IKE socket carries a per-socket bypass policy, so an IPsec policy
 * that happens to cover the IKE endpoints never swallows IKE itself.
 *
 * NAT-T (RFC 3948): the ike.port_nat_t sockets carry UDP_ENCAP_ESPINUDP,
 * so the kernel takes ESP in UDP and NAT keepalives itself and hands the
 * socket only datagrams that start with the non-ESP marker (4 zero
 * bytes); the marker is stripped before the core sees them and put back
 * in front of every datagram the core flags (dgram->marker).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/xfrm.h>

#include "tandem/clock.h"
#include "tandem/cfg.h"
#include "tandem/ctlmsg.h"
#include "tandem/daemon.h"
#include "tandem/log.h"
#include "tandem/util.h"
#include "ctl.h"
#include "ike_core.h"
#include "kernel_null.h"
#include "sa_live.h"
#include "loop.h"
#include "sync_out.h"
#include "wa_queue.h"
#include "kernel_wa.h"
#include "xfrm_ops.h"

#define LOOP_RX_BUF	65536	/* largest UDP payload */
#define LOOP_RX_BURST	64	/* datagrams per socket per wake-up */
#define LOOP_SOCK_BUF	(4 << 20)	/* IKE socket buffers, bytes */
#define LOOP_DL_WALK_MS	10	/* next-deadline walks at most this often */
#define LOOP_SOCKS	4	/* {v4, v6} x {ike, nat-t} */
#define NON_ESP_MARKER	4	/* RFC 3948 2.2 */

/* What the edge drops or fails to send, by name (STYLE P8). */
enum loop_drop {
	LD_RX_TRUNCATED = 0,	/* larger than LOOP_RX_BUF */
	LD_RX_KEEPALIVE,	/* NAT keepalive (0xff) on the NAT-T port */
	LD_RX_SHORT_MARKER,	/* NAT-T datagram shorter than the marker */
	LD_RX_ESP,		/* ESP reached the socket (no UDP_ENCAP?) */
	LD_RX_NO_PKTINFO,	/* no local address with the datagram */
	LD_RX_ERROR,		/* recvmsg failed */
	LD_TX_NO_SOCKET,	/* no socket for the datagram's family/port */
	LD_TX_ERROR,		/* sendmsg failed */
	LD_MAX
};

static const char *const loop_drop_names[] = {
	[LD_RX_TRUNCATED]	= "rx_truncated",
	[LD_RX_KEEPALIVE]	= "rx_natt_keepalive",
	[LD_RX_SHORT_MARKER]	= "rx_short_natt",
	[LD_RX_ESP]		= "rx_esp_on_socket",
	[LD_RX_NO_PKTINFO]	= "rx_no_pktinfo",
	[LD_RX_ERROR]		= "rx_error",
	[LD_TX_NO_SOCKET]	= "tx_no_socket",
	[LD_TX_ERROR]		= "tx_error",
};
_Static_assert(nitems(loop_drop_names) == LD_MAX, "a name per edge drop");

struct ikev2d;

struct udp_sock {
	ev_io		 io;
	struct ikev2d	*ik;
	int		 fd;
	int		 family;
	uint16_t	 port;		/* host order */
	bool		 natt;		/* UDP_ENCAP: non-ESP marker in front */
};

struct ikev2d {
	struct daemon		*d;
	struct ike_core		*core;		/* owned */
	struct sync_out		*so;		/* owned: events to syncd */
	struct sa_live		*live;		/* owned: standby copies */
	struct wa_queue		 held;		/* behind the barrier */
	struct kernel_wa	 kwa;		/* kernel requests, too */
	struct xfrm_ops_ctx	 kx;
	bool			 kx_open;
	ev_io			 xfrm_io;
	ev_timer		 tmr;
	ev_prepare		 tmr_prep;	/* tmr re-armed before blocking */
	uint64_t		 dl, dl_walk_ms;	/* the last walk's */
	struct udp_sock		 sk[LOOP_SOCKS];
	size_t			 nsk;
	uint16_t		 port, port_nat_t;	/* what is bound */
	uint64_t		 drops[LD_MAX];
	uint64_t		 events;		/* SA events seen */
	uint64_t		 expire_unknown, acquire_unknown;
	uint64_t		 expire_lease;	/* soft: syncd's fence */
	struct ikev2d_takeover_last last;	/* CTL_ACTIVATE (ctl.c) */
	struct log_rate		 rl_drop[LD_MAX];
	struct log_rate		 rl_held;
	struct log_rate		 rl_kind[IKE_LK_MAX];
	struct log_rate		 rl_core_drop[IKE_DROP_MAX];
	uint8_t			 rbuf[LOOP_RX_BUF];
};

/* --no-kernel: negotiate, install nothing (benchmarks, dry runs). */
static bool			 loop_no_kernel;
static struct kernel_null	 loop_knull;
/* --standby: every VIP group starts standby (hamgrd activates). */
static bool			 loop_standby;

void
loop_set_no_kernel(bool on)
{
	loop_no_kernel = on;
}

void
loop_set_standby(bool on)
{
	loop_standby = on;
}

static const char *
sa_addr_str(const struct sa_addr *a, char *buf, size_t len)
{
	char	 h[INET6_ADDRSTRLEN];

	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->addr, h, sizeof(h)) == NULL)
		snprintf(buf, len, "?");
	else if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", h, a->port);
	else
		snprintf(buf, len, "%s:%u", h, a->port);
	return buf;
}

/* Count an edge drop; true if it may be logged now. */
static bool
drop(struct ikev2d *ik, enum loop_drop what)
{
	ik->drops[what]++;
	return log_rate_ok(&ik->rl_drop[what]);
}

/* ------------------------------------------------------------------ */
/* Output: the queue, the write-ahead barrier, the timer                */

static struct udp_sock *
sock_for(struct ikev2d *ik, int family, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < ik->nsk; i++)
		if (ik->sk[i].family == family && ik->sk[i].port == port)
			return &ik->sk[i];
	return NULL;
}

static bool
addr_is_set(const struct sa_addr *a)
{
	static const uint8_t	 zero[16];

	return memcmp(a->addr, zero, a->family == AF_INET ? 4 : 16) != 0;
}

static void
send_dgram(struct ikev2d *ik, const struct ike_dgram *g)
{
	static const uint8_t	 marker[NON_ESP_MARKER];
	union {
		struct cmsghdr	 h;
		uint8_t		 b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cbuf;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct in_pktinfo	 pi;
	struct in6_pktinfo	 pi6;
	struct iovec		 iov[2];
	struct msghdr		 mh;
	struct cmsghdr		*cm;
	struct udp_sock		*s;
	uint16_t		 lport;
	char			 a[64], b[64];

	lport = g->local.port != 0 ? g->local.port :
	    (g->marker ? ik->port_nat_t : ik->port);
	if ((s = sock_for(ik, g->remote.family, lport)) == NULL) {
		if (drop(ik, LD_TX_NO_SOCKET))
			log_err("ike to %s: no socket on local port %u for "
			    "this family (%llu dropped)",
			    sa_addr_str(&g->remote, a, sizeof(a)), lport,
			    (unsigned long long)ik->drops[LD_TX_NO_SOCKET]);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	memset(&mh, 0, sizeof(mh));
	memset(&cbuf, 0, sizeof(cbuf));
	if (g->remote.family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(g->remote.port);
		memcpy(&sin->sin_addr, g->remote.addr, 4);
		mh.msg_namelen = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(g->remote.port);
		memcpy(&sin6->sin6_addr, g->remote.addr, 16);
		mh.msg_namelen = sizeof(*sin6);
	}
	mh.msg_name = &ss;
	iov[0].iov_base = (void *)marker;
	iov[0].iov_len = sizeof(marker);
	iov[1].iov_base = g->buf;
	iov[1].iov_len = g->len;
	mh.msg_iov = g->marker ? iov : iov + 1;
	mh.msg_iovlen = g->marker ? 2 : 1;
	/* Send from the address the core names (where the request came). */
	if (g->local.family == g->remote.family && addr_is_set(&g->local)) {
		mh.msg_control = cbuf.b;
		cm = (struct cmsghdr *)cbuf.b;
		if (g->local.family == AF_INET) {
			memset(&pi, 0, sizeof(pi));
			memcpy(&pi.ipi_spec_dst, g->local.addr, 4);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		} else {
			memset(&pi6, 0, sizeof(pi6));
			memcpy(&pi6.ipi6_addr, g->local.addr, 16);
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi6));
			memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
			mh.msg_controllen = CMSG_SPACE(sizeof(pi6));
		}
	}
	if (sendmsg(s->fd, &mh, MSG_DONTWAIT) == -1) {
		/* Lost like any datagram: the retransmission recovers. */
		if (drop(ik, LD_TX_ERROR))
			log_err("ike %s -> %s: send of %zu bytes failed: %m "
			    "(%llu send errors)",
			    sa_addr_str(&g->local, a, sizeof(a)),
			    sa_addr_str(&g->remote, b, sizeof(b)), g->len,
			    (unsigned long long)ik->drops[LD_TX_ERROR]);
	}
}

static void
send_held(void *arg, const struct ike_dgram *g)
{
	send_dgram(arg, g);
}

/*
 * The one place for the write-ahead barrier (DESIGN guarantee 3): once
 * syncd exists, a datagram waits in ik->held until syncd has acknowledged
 * its barrier (g->ev_seq, its own IKE SA's last event), released by
 * wa_release() on each acknowledgement; others go meanwhile (wa_queue.h).
 * Without syncd, everything goes.  A datagram the full queue refuses is
 * lost like any datagram: the retransmission recovers.
 */
static void
out_drain(struct ikev2d *ik)
{
	const struct ike_dgram	*g;
	uint64_t		 upto = sync_out_upto(ik->so);
	uint32_t		 spi[KERNEL_WA_FAILED_MAX];
	size_t			 i, n;

	/* Kernel requests first: a Child SA is in the kernel before the
	 * response that announces it leaves (kernel_wa.h). */
	kernel_wa_settle(&ik->kwa, ike_core_event_seq(ik->core));
	if (ik->kwa.n > 0 && kernel_wa_release(&ik->kwa, upto) > 0 &&
	    (n = kernel_wa_take_failed(&ik->kwa, spi, nitems(spi))) > 0) {
		/* announced, not installed: drop them (DELETE to the peer) */
		for (i = 0; i < n; i++)
			(void)ike_core_kernel_expire(ik->core, IPPROTO_ESP,
			    spi[i], true, 0, 0, clock_ms(CLOCK_MONOTONIC));
		kernel_wa_settle(&ik->kwa, ike_core_event_seq(ik->core));
	}
	if (ik->held.n > 0)
		wa_release(&ik->held, upto, send_held, ik);
	while ((g = ike_core_out_peek(ik->core)) != NULL) {
		if (wa_may_pass(&ik->held, g, upto))
			send_dgram(ik, g);
		else if (wa_push(&ik->held, g) != 0 && log_rate_ok(&ik->rl_held))
			log_err("ike: %zu datagrams held for syncd: one dropped "
			    "(%" PRIu64 " so far)", ik->held.n, ik->held.full);
		ike_core_out_pop(ik->core);
	}
}

static void
timer_arm(struct ikev2d *ik)
{
	uint64_t	 dl, now;
	double		 delay;

	ev_timer_stop(ik->d->loop, &ik->tmr);
	now = clock_ms(CLOCK_MONOTONIC);
	if (ik->dl_walk_ms != 0 && now - ik->dl_walk_ms < LOOP_DL_WALK_MS) {
		/* walked moments ago: again by dl_walk_ms + LOOP_DL_WALK_MS
		 * (on_timer ticks, which finds whatever came due since) */
		dl = ik->dl_walk_ms + LOOP_DL_WALK_MS;
		if (ik->dl < dl)
			dl = ik->dl;
	} else {
		ik->dl = dl = ike_core_next_deadline(ik->core);
		ik->dl_walk_ms = now;
		if (dl == UINT64_MAX)
			return;
	}
	delay = dl > now ? (double)(dl - now) / 1000.0 : 0.0;
	ev_timer_set(&ik->tmr, delay, 0.0);
	ev_timer_start(ik->d->loop, &ik->tmr);
}

/*
 * The timer is re-armed once per loop turn, before the loop blocks, not
 * after every call, and the walk of every SA that finds the next deadline
 * (ike_core_next_deadline()) runs at most every LOOP_DL_WALK_MS: between
 * two, the timer is set no later than the next walk, so a deadline that a
 * turn brought forward is acted on at most that late.  The core's
 * deadlines are retransmissions, DPD, rekeys and lifetimes (a second and
 * more), and a tick early or late is harmless (ike_core.h).  At 5,000 SAs
 * a walk per turn had taken 4-10% of ikev2d's CPU, more in busy turns
 * of few datagrams.
 */
static void
on_tmr_prep(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct ikev2d	*ik = container_of(w, struct ikev2d, tmr_prep);

	ev_prepare_stop(loop, w);
	timer_arm(ik);
}

/* After every call into the core (ike_core.h, "Edge contract"). */
static void
loop_after_core(struct ikev2d *ik)
{
	out_drain(ik);
	if (!ev_is_active(&ik->tmr_prep))
		ev_prepare_start(ik->d->loop, &ik->tmr_prep);
}

static void
on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ikev2d	*ik = container_of(w, struct ikev2d, tmr);

	ike_core_tick(ik->core, clock_ms(CLOCK_MONOTONIC));
	ik->dl_walk_ms = 0;	/* what was due is done: walk again */
	loop_after_core(ik);
}

/* ------------------------------------------------------------------ */
/* Input                                                                */

/* Local address of a received datagram from its IP_PKTINFO. */
static bool
pktinfo_local(struct msghdr *mh, int family, struct sa_addr *local)
{
	struct cmsghdr		*cm;
	struct in_pktinfo	 pi;
	struct in6_pktinfo	 pi6;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (family == AF_INET && cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			memcpy(local->addr, &pi.ipi_addr, 4);
			return true;
		}
		if (family == AF_INET6 && cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(pi6))) {
			memcpy(&pi6, CMSG_DATA(cm), sizeof(pi6));
			memcpy(local->addr, &pi6.ipi6_addr, 16);
			return true;
		}
	}
	return false;
}

/* One datagram from s; false when the socket has nothing more. */
static bool
rx_one(struct ikev2d *ik, struct udp_sock *s)
{
	union {
		struct cmsghdr	 h;
		uint8_t		 b[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
				    CMSG_SPACE(sizeof(struct in_pktinfo))];
	}			 cbuf;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct sa_addr		 local, remote;
	struct iovec		 iov;
	struct msghdr		 mh;
	const uint8_t		*p = ik->rbuf;
	ssize_t			 n;
	size_t			 len;
	char			 a[64];

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = ik->rbuf;
	iov.iov_len = sizeof(ik->rbuf);
	mh.msg_name = &ss;
	mh.msg_namelen = sizeof(ss);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf.b;
	mh.msg_controllen = sizeof(cbuf.b);
	if ((n = recvmsg(s->fd, &mh, MSG_DONTWAIT)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return false;
		if (errno == EINTR)
			return true;
		/* ICMP errors of earlier sends surface here (ECONNREFUSED). */
		if (drop(ik, LD_RX_ERROR))
			log_warn("ike socket udp/%u: receive: %m", s->port);
		return true;
	}
	memset(&local, 0, sizeof(local));
	memset(&remote, 0, sizeof(remote));
	remote.family = local.family = (uint8_t)s->family;
	local.port = s->port;
	if (s->family == AF_INET) {
		memcpy(remote.addr, &sin->sin_addr, 4);
		remote.port = ntohs(sin->sin_port);
	} else {
		memcpy(remote.addr, &sin6->sin6_addr, 16);
		remote.port = ntohs(sin6->sin6_port);
	}
	if (mh.msg_flags & MSG_TRUNC) {
		if (drop(ik, LD_RX_TRUNCATED))
			log_warn("ike from %s: datagram over %zu bytes dropped",
			    sa_addr_str(&remote, a, sizeof(a)),
			    sizeof(ik->rbuf));
		return true;
	}
	if (!pktinfo_local(&mh, s->family, &local)) {
		if (drop(ik, LD_RX_NO_PKTINFO))
			log_warn("ike from %s: no local address with the "
			    "datagram, dropped", sa_addr_str(&remote, a,
			    sizeof(a)));
		return true;
	}
	len = (size_t)n;
	if (s->natt) {
		/* RFC 3948 2.2, 2.3: keepalive, then marker or ESP. */
		if (len == 1 && p[0] == 0xff) {
			ik->drops[LD_RX_KEEPALIVE]++;
			return true;
		}
		if (len < NON_ESP_MARKER) {
			if (drop(ik, LD_RX_SHORT_MARKER))
				log_warn("ike from %s: %zu-byte datagram on "
				    "the NAT-T port dropped",
				    sa_addr_str(&remote, a, sizeof(a)), len);
			return true;
		}
		if (p[0] != 0 || p[1] != 0 || p[2] != 0 || p[3] != 0) {
			if (drop(ik, LD_RX_ESP))
				log_warn("ike from %s: ESP reached the NAT-T "
				    "socket (no UDP_ENCAP?), dropped",
				    sa_addr_str(&remote, a, sizeof(a)));
			return true;
		}
		p += NON_ESP_MARKER;
		len -= NON_ESP_MARKER;
	}
	/* The core counts and logs its own drops. */
	(void)ike_core_input(ik->core, &local, &remote, p, len, clock_ms(CLOCK_MONOTONIC));
	loop_after_core(ik);
	return true;
}

static void
on_udp(struct ev_loop *loop, ev_io *w, int revents)
{
	struct udp_sock	*s = container_of(w, struct udp_sock, io);
	int		 i;

	for (i = 0; i < LOOP_RX_BURST; i++)
		if (!rx_one(s->ik, s))
			break;
}

/* ------------------------------------------------------------------ */
/* Kernel events                                                        */

static void
on_kernel_expire(void *arg, const struct kernel_expire *e)
{
	struct ikev2d	*ik = arg;
	int		 rc;

	/* Not ours (larval SPIs, another daemon's SAs): nothing to do. */
	rc = ike_core_kernel_expire(ik->core, e->proto, e->spi, e->hard,
	    e->bytes, e->packets, clock_ms(CLOCK_MONOTONIC));
	if (rc == -1) {
		ik->expire_unknown++;
		log_debug("child spi 0x%08x: %s expire for no Child SA of "
		    "ours", e->spi, e->hard ? "hard" : "soft");
	} else if (rc == 1) {
		/* syncd's sequence-lease fence: syncd extends it. */
		ik->expire_lease++;
		log_debug("child spi 0x%08x: soft expire at %llu packets is "
		    "a lease fence (syncd's), not a rekey", e->spi,
		    (unsigned long long)e->packets);
	}
	loop_after_core(ik);
}

static void
on_kernel_acquire(void *arg, const struct kernel_acquire *a)
{
	struct ikev2d	*ik = arg;

	if (ike_core_kernel_acquire(ik->core, a->reqid, clock_ms(CLOCK_MONOTONIC)) == -1) {
		ik->acquire_unknown++;
		log_debug("policy reqid %u: acquire for no connection of "
		    "ours", a->reqid);
	}
	loop_after_core(ik);
}

static void
on_xfrm(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ikev2d			*ik = container_of(w, struct ikev2d,
					    xfrm_io);
	const struct xfrm_ops_events	 sink = {
		.expire = on_kernel_expire,
		.acquire = on_kernel_acquire,
		.arg = ik,
	};

	if (xfrm_ops_read_events(&ik->kx, &sink) == -1) {
		/* Without events the core's own lifetimes still rekey. */
		log_err("xfrm: no more kernel events: listener closed");
		ev_io_stop(loop, w);
	}
}

/* ------------------------------------------------------------------ */
/* The core's log and event sinks                                       */

static void
on_core_log(void *arg, const struct ike_log_msg *m)
{
	struct ikev2d	*ik = arg;
	struct log_rate	*rl = NULL;

	switch (m->kind) {
	case IKE_LK_DROP:
		rl = m->drop >= 0 && (size_t)m->drop < nitems(ik->rl_core_drop) ?
		    &ik->rl_core_drop[m->drop] : &ik->rl_kind[IKE_LK_DROP];
		break;
	/* Remote-triggerable: one line a second per kind. */
	case IKE_LK_AUTH_FAILED:
	case IKE_LK_NEGOTIATION:
	case IKE_LK_RETRANSMIT:
	case IKE_LK_TIMEOUT:
	case IKE_LK_DPD:
		rl = &ik->rl_kind[m->kind];
		break;
	default:
		break;
	}
	if (rl != NULL && !log_rate_ok(rl))
		return;
	/* qb_log's priority must be a constant: one call per level. */
	switch (m->level) {
	case IKE_LOG_ERR:
		log_err("%s", m->msg);
		break;
	case IKE_LOG_WARN:
		log_warn("%s", m->msg);
		break;
	case IKE_LOG_NOTICE:
		log_notice("%s", m->msg);
		break;
	case IKE_LOG_INFO:
		log_info("%s", m->msg);
		break;
	default:
		log_debug("%s", m->msg);
		break;
	}
}

/* To syncd (sync_out.c), which acknowledges what the cluster holds. */
static void
on_core_event(void *arg, const struct ike_event *ev)
{
	struct ikev2d	*ik = arg;

	ik->events++;
	log_debug("event %" PRIu64 ": %s ike %u child %u", ev->seq,
	    ike_ev_type_name(ev->type), ev->ike_uid, ev->child_uid);
	if (ik->so != NULL)
		sync_out_event(ik->so, ev);
}

/* A takeover raised the core's event sequence (ike_takeover.c). */
static void
on_seq_jump(void *arg, uint64_t seq)
{
	struct ikev2d	*ik = arg;

	sync_out_seq_skip(ik->so, seq);
}

static uint64_t
loop_sync_upto(void *arg)
{
	struct ikev2d	*ik = arg;

	return sync_out_upto(ik->so);
}

/* syncd acknowledged more events: send what they held back. */
static void
on_sync_committed(void *arg)
{
	struct ikev2d	*ik = arg;

	if (ik->core != NULL)
		out_drain(ik);
}

/* ------------------------------------------------------------------ */
/* Sockets                                                              */

/* Per-socket bypass: IPsec policies never apply to IKE itself. */
static int
sock_bypass(int fd, int family)
{
	struct xfrm_userpolicy_info	 pol;
	int				 level, opt;

	level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	opt = family == AF_INET ? IP_XFRM_POLICY : IPV6_XFRM_POLICY;
	memset(&pol, 0, sizeof(pol));
	pol.action = XFRM_POLICY_ALLOW;
	pol.sel.family = (uint16_t)family;
	pol.lft.soft_byte_limit = pol.lft.hard_byte_limit = XFRM_INF;
	pol.lft.soft_packet_limit = pol.lft.hard_packet_limit = XFRM_INF;
	pol.dir = XFRM_POLICY_IN;
	if (setsockopt(fd, level, opt, &pol, sizeof(pol)) == -1)
		return -1;
	pol.dir = XFRM_POLICY_OUT;
	return setsockopt(fd, level, opt, &pol, sizeof(pol));
}

/* 0, 1 when the family is not available (IPv6 off), -1 on failure. */
/*
 * A burst of peers (a hub's branches coming back after an outage, a
 * write-ahead commit releasing its held answers) queues hundreds of
 * datagrams at once: the default 208 KB receive buffer dropped some at
 * 128 IKE exchanges in flight, each then waiting for the peer's
 * retransmission (seconds).  LOOP_SOCK_BUF, beyond net.core.rmem_max as
 * root (the FORCE options); else whatever the sysctl allows.
 */
static void
sock_buffers(int fd, const char *fam, uint16_t port)
{
	int		 sz = LOOP_SOCK_BUF, got = 0;
	socklen_t	 len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) == 0 &&
	    got < sz)
		log_info("ike: %s udp/%u: receive buffer %d KB (%d KB asked; "
		    "raise net.core.rmem_max)", fam, port, got / 1024,
		    sz / 1024);
}

static int
sock_open(struct ikev2d *ik, int family, uint16_t port, bool natt)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct udp_sock		*s = &ik->sk[ik->nsk];
	socklen_t		 sslen;
	const char		*fam = family == AF_INET ? "IPv4" : "IPv6";
	int			 fd, on = 1, encap = UDP_ENCAP_ESPINUDP;

	if ((fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		if (family == AF_INET6 && errno == EAFNOSUPPORT) {
			log_warn("ike: no IPv6 in this kernel: IPv4 only");
			return 1;
		}
		log_err("ike: %s udp/%u socket: %m", fam, port);
		return -1;
	}
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sslen = sizeof(*sin);
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on,
		    sizeof(on)) == -1)
			goto fail;
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sslen = sizeof(*sin6);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on)) == -1 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
		    sizeof(on)) == -1)
			goto fail;
	}
	if (sock_bypass(fd, family) == -1)
		goto fail;
	sock_buffers(fd, fam, port);
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1) {
		log_err("ike: %s udp/%u: bind: %m%s", fam, port,
		    errno == EADDRINUSE ? " (another IKE daemon runs in this "
		    "network namespace?)" : "");
		close(fd);
		return -1;
	}
	if (natt && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap,
	    sizeof(encap)) == -1)
		goto fail;
	s->ik = ik;
	s->fd = fd;
	s->family = family;
	s->port = port;
	s->natt = natt;
	ev_io_init(&s->io, on_udp, fd, EV_READ);
	ev_io_start(ik->d->loop, &s->io);
	ik->nsk++;
	log_info("ike: listening on %s udp/%u%s", fam, port,
	    natt ? " (NAT-T, ESP in UDP)" : "");
	return 0;
 fail:
	log_err("ike: %s udp/%u socket options: %m", fam, port);
	close(fd);
	return -1;
}

static void
socks_close(struct ikev2d *ik)
{
	size_t	 i;

	for (i = 0; i < ik->nsk; i++) {
		ev_io_stop(ik->d->loop, &ik->sk[i].io);
		close(ik->sk[i].fd);
	}
	ik->nsk = 0;
}

static int
socks_open(struct ikev2d *ik, const struct cfg_ike *c)
{
	int	 rc;

	ik->port = c->port;
	ik->port_nat_t = c->port_nat_t;
	if (sock_open(ik, AF_INET, c->port, false) != 0 ||
	    sock_open(ik, AF_INET, c->port_nat_t, true) != 0)
		return -1;
	if ((rc = sock_open(ik, AF_INET6, c->port, false)) == -1)
		return -1;
	if (rc == 0 && sock_open(ik, AF_INET6, c->port_nat_t, true) == -1)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The daemon frame's hooks                                             */

static void
ikev2d_free(struct ikev2d *ik)
{
	if (ik == NULL)
		return;
	ev_timer_stop(ik->d->loop, &ik->tmr);
	ev_prepare_stop(ik->d->loop, &ik->tmr_prep);
	sa_live_free(ik->live);
	/* No kernel op and no event: the SAs stay for a standby. */
	ike_core_free(ik->core);
	sync_out_free(ik->so);
	wa_queue_fini(&ik->held);
	kernel_wa_fini(&ik->kwa);
	socks_close(ik);
	if (ik->kx_open) {
		ev_io_stop(ik->d->loop, &ik->xfrm_io);
		xfrm_ops_close(&ik->kx);
	}
	free(ik);
}

static void
loop_ctl_ctx(struct daemon *d, struct ikev2d *ik, struct ikev2d_ctl *x)
{
	memset(x, 0, sizeof(*x));
	x->rundir = d->rundir;
	x->rt_priority = d->cfg != NULL ? d->cfg->ha.takeover_rt_priority : 0;
	if (ik != NULL) {
		x->core = ik->core;
		x->seq_jump = on_seq_jump;
		x->arg = ik;
		x->last = &ik->last;
		x->live = ik->live;
	}
}

/*
 * The kernel reports an SA's replay progress every
 * sync.aevent_replay_threshold packets (set per SA) or after its own
 * period, whichever first.  That period can be set per SA only in
 * jiffies (XFRMA_ETIMER_THRESH, HZ-dependent, and read back in 100 ms
 * units), so the namespace's default is set instead, in its documented
 * unit of 100 ms: sync.aevent_timer rounded up.  Without it the kernel's
 * 1 s default makes the replicated inbound replay state lag up to a
 * second at low packet rates (tandem.conf(5), aevent_timer).
 */
#define AEVENT_ETIME_PATH	"/proc/sys/net/core/xfrm_aevent_etime"

static void
loop_aevent_etime(const struct tnd_cfg *cfg)
{
	unsigned int	 units = (cfg->sync.aevent_timer_ms + 99) / 100;
	FILE		*f;

	if (units == 0)
		units = 1;
	if ((f = fopen(AEVENT_ETIME_PATH, "w")) == NULL ||
	    fprintf(f, "%u\n", units) < 0 || fclose(f) != 0) {
		log_warn("ikev2d: %s: %m: the kernel reports replay progress "
		    "at its own period (inbound replication may lag more "
		    "than sync.aevent_timer)", AEVENT_ETIME_PATH);
		return;
	}
	log_info("ikev2d: kernel replay reports every %u00 ms at most "
	    "(%s)", units, AEVENT_ETIME_PATH);
}

/* The live SA stream runs while some group is standby (sa_live.h). */
static void
loop_live_update(struct ikev2d *ik)
{
	struct ike_group_status	 g;
	bool			 any = false;
	size_t			 i;

	if (ik->live == NULL || ik->core == NULL)
		return;
	for (i = 0; !any && ike_core_group_status(ik->core, i, &g) == 0; i++)
		any = g.state == IKE_GROUP_STANDBY;
	sa_live_want(ik->live, any);
}

/* Not a standby node: every group is ours from the start. */
static void
loop_take_all(struct ikev2d *ik)
{
	struct ikev2d_ctl	 x;
	struct ikev2d_takeover	 t;
	char			 why[400];
	size_t			 i;

	loop_ctl_ctx(ik->d, ik, &x);
	for (i = 0; i < ik->d->cfg->ha.ngroups; i++)
		if (ikev2d_takeover(&x, ik->d->cfg->ha.groups[i].name, false,
		    true, &t, why, sizeof(why)) < 0)
			log_err("ikev2d: group %s stays standby: %s",
			    ik->d->cfg->ha.groups[i].name, why);
}

int
loop_start(struct daemon *d)
{
	struct ike_core_env	 env;
	struct ike_core_limits	 lim;
	struct ikev2d		*ik;
	int			 n;

	if ((ik = calloc(1, sizeof(*ik))) == NULL) {
		log_err("ikev2d: out of memory");
		return -1;
	}
	ik->d = d;
	wa_queue_init(&ik->held, 0);
	ev_timer_init(&ik->tmr, on_timer, 0.0, 0.0);
	ev_prepare_init(&ik->tmr_prep, on_tmr_prep);
	/* Write-ahead to syncd, once it is there (sync_out.h, modes). */
	if ((ik->so = sync_out_new(d->loop, d->rundir, on_sync_committed,
	    ik)) == NULL) {
		log_err("ikev2d: sync: %m");
		goto fail;
	}
	if (socks_open(ik, &d->cfg->ike) == -1)
		goto fail;
	memset(&env, 0, sizeof(env));
	if (loop_no_kernel) {
		kernel_null_init(&loop_knull, 0xc0000000u);
		env.kernel = &kernel_null_ops;
		env.kernel_arg = &loop_knull;
		log_notice("ikev2d: --no-kernel: SAs are negotiated but "
		    "nothing is installed in the kernel");
	} else {
		if (xfrm_ops_open(&ik->kx, true) == -1)
			goto fail;
		ik->kx_open = true;
		ev_io_init(&ik->xfrm_io, on_xfrm, xfrm_ops_event_fd(&ik->kx),
		    EV_READ);
		ev_io_start(d->loop, &ik->xfrm_io);
		env.kernel = &xfrm_kernel_ops;
		env.kernel_arg = &ik->kx;
		loop_aevent_etime(d->cfg);
	}
	/* Installs wait for their Child SA's event to commit (kernel_wa.h). */
	kernel_wa_init(&ik->kwa, env.kernel, env.kernel_arg, loop_sync_upto,
	    ik);
	env.kernel = kernel_wa_ops_for(&ik->kwa);
	env.kernel_arg = &ik->kwa;
	env.event = on_core_event;
	env.log = on_core_log;
	env.random = NULL;		/* OpenSSL's RAND_bytes */
	env.arg = ik;
	memset(&lim, 0, sizeof(lim));	/* the defaults */
	/* Without --standby every group is ours: each is taken over at
	 * once (below), which reloads what syncd holds of it -- a restarted
	 * ikev2d resumes its SAs -- or, with no syncd, starts empty. */
	lim.start_standby = true;
	if (loop_standby)
		log_notice("ikev2d: --standby: every VIP group on standby "
		    "until hamgrd activates it");
	if ((ik->core = ike_core_new(d->cfg, &env, &lim)) == NULL) {
		log_err("ikev2d: cannot create the IKE core");
		goto fail;
	}
	d->priv = ik;
	if (!loop_standby)
		loop_take_all(ik);
	if ((ik->live = sa_live_new(d->loop, d->rundir, ik->core, on_seq_jump,
	    ik)) == NULL)
		log_err("ikev2d: live SA stream: %m: a takeover fetches its "
		    "SAs");
	loop_live_update(ik);
	n = ike_core_start_all(ik->core, clock_ms(CLOCK_MONOTONIC));
	log_info("ikev2d: %zu connection(s), %d started", d->cfg->ike.nconns,
	    n);
	loop_after_core(ik);
	return 0;
 fail:
	ikev2d_free(ik);
	return -1;
}

void
loop_stop(struct daemon *d)
{
	struct ikev2d	*ik = d->priv;

	if (ik == NULL)
		return;
	if (ik->core != NULL && ike_core_stats(ik->core)->ike_sas > 0)
		log_notice("ikev2d: leaving %u IKE SA(s) and their Child SAs "
		    "in place for a standby", ike_core_stats(ik->core)->ike_sas);
	ikev2d_free(ik);
	d->priv = NULL;
}

int
loop_reload(struct daemon *d, struct tnd_cfg *next)
{
	struct ikev2d	*ik = d->priv;

	if (next->ike.port != ik->port || next->ike.port_nat_t !=
	    ik->port_nat_t)
		log_warn("reload: ike.port / ike.port_nat_t changed: "
		    "restart ikev2d to listen on udp/%u and udp/%u",
		    next->ike.port, next->ike.port_nat_t);
	ike_core_set_cfg(ik->core, next);
	if (ik->kx_open)
		loop_aevent_etime(next);
	loop_after_core(ik);
	return 0;
}

static void
kv_u64(struct wr *w, const char *key, uint64_t v)
{
	char	 buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	ctl_put_kv(w, key, buf);
}

/*
 * One line per VIP group ("group_NAME" = active / standby, with what it
 * holds), and the last takeover: haadm shows at most 64 lines per daemon,
 * so the figures share a line.
 */
static void
loop_status_groups(struct ikev2d *ik, struct wr *w)
{
	const struct ike_core_stats	*st = ike_core_stats(ik->core);
	struct ike_group_status		 gs;
	char				 key[96], val[160];
	uint64_t			 refused = 0;
	size_t				 i;

	for (i = 0; ike_core_group_status(ik->core, i, &gs) == 0; i++) {
		snprintf(key, sizeof(key), "group_%s", gs.name);
		ctl_put_kv(w, key, ike_group_state_name(gs.state));
		snprintf(key, sizeof(key), "group_%s_sas", gs.name);
		snprintf(val, sizeof(val), "ike %u child %u; last takeover: "
		    "ike %u child %u kernel %u failed %u rekeys %u", gs.ike_sas,
		    gs.child_sas, gs.last.ike_sas, gs.last.child_sas,
		    gs.last.kernel_sas, gs.last.failures, gs.last.rekeys);
		ctl_put_kv(w, key, val);
	}
	for (i = 0; i < IKE_IMP_MAX; i++)
		refused += st->import_refused[i];
	if (ik->last.group[0] != '\0') {
		snprintf(val, sizeof(val), "group %s records %u refused %u "
		    "fetch_ms %" PRIu64 " install_ms %" PRIu64, ik->last.group,
		    ik->last.records, ik->last.refused, ik->last.fetch_ms,
		    ik->last.install_ms);
		ctl_put_kv(w, "takeover_last", val);
	}
	kv_u64(w, "import_refused", refused);
}

void
loop_status(struct daemon *d, struct wr *w)
{
	struct ikev2d			*ik = d->priv;
	const struct ike_core_stats	*st;
	char				 key[64];
	uint64_t			 ok;
	unsigned int			 i;

	if (ik == NULL || ik->core == NULL)
		return;
	st = ike_core_stats(ik->core);
	kv_u64(w, "ike_sas", st->ike_sas);
	kv_u64(w, "child_sas", st->child_sas);
	kv_u64(w, "half_open", st->half_open);
	kv_u64(w, "rx", st->rx);
	kv_u64(w, "tx", st->tx);
	kv_u64(w, "retransmits", st->retransmits);
	kv_u64(w, "resp_cache_hits", st->resp_cache_hits);
	kv_u64(w, "ike_up", st->ike_up);
	kv_u64(w, "ike_down", st->ike_down);
	kv_u64(w, "child_up", st->child_up);
	kv_u64(w, "child_down", st->child_down);
	kv_u64(w, "auth_failed", st->auth_failed);
	for (i = 0; i < IKE_DROP_MAX; i++) {
		snprintf(key, sizeof(key), "drop_%s", ike_drop_name(i));
		kv_u64(w, key, st->drops[i]);
	}
	for (i = 0; i < LD_MAX; i++) {
		snprintf(key, sizeof(key), "drop_%s", loop_drop_names[i]);
		kv_u64(w, key, ik->drops[i]);
	}
	/* haadm shows at most 64 lines per daemon: failures by op only. */
	for (i = 0, ok = 0; i < XOS_MAX; i++)
		ok += ik->kx.ok[i];
	kv_u64(w, "kernel_ops_ok", ok);
	for (i = 0; i < XOS_MAX; i++) {
		snprintf(key, sizeof(key), "kernel_%s_failed",
		    xfrm_ops_stat_name(i));
		kv_u64(w, key, ik->kx.failed[i]);
	}
	kv_u64(w, "kernel_expires", ik->kx.expires);
	kv_u64(w, "kernel_expires_lease", ik->expire_lease);
	kv_u64(w, "kernel_acquires", ik->kx.acquires);
	kv_u64(w, "kernel_events_lost", ik->kx.ev_lost);
	kv_u64(w, "sa_events", ik->events);
	loop_status_groups(ik, w);
	sync_out_status(ik->so, w);
	sa_live_status(ik->live, w);
	kv_u64(w, "queued_out", ike_core_out_count(ik->core) + ik->held.n);
	kv_u64(w, "held_out_dropped", ik->held.full);
	kv_u64(w, "kernel_held", ik->kwa.n);
	kv_u64(w, "kernel_held_late_failed", ik->kwa.late_failed);
	kv_u64(w, "kernel_held_dropped", ik->kwa.full);
}

int
loop_request(struct daemon *d, const struct ctl_hdr *h, struct rd *tlvs,
    struct ctl_reply *r)
{
	struct ikev2d		*ik = d->priv;
	struct ikev2d_ctl	 x;
	int			 rc;

	loop_ctl_ctx(d, ik, &x);
	rc = ikev2d_ctl_request(&x, h, tlvs, r);
	/* CTL_REKEY / CTL_DELETE called into the core: send what it queued */
	if (ik != NULL && ik->core != NULL) {
		loop_after_core(ik);
		loop_live_update(ik);
	}
	return rc;
}
