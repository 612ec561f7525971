/*
 * cpgping -- a CPG round trip between two corosync nodes, for the lab.
 *
 *   cpgping serve GROUP [SECONDS]	join GROUP, echo every request from
 *					another process; run until SIGTERM /
 *					SIGINT or SECONDS
 *   cpgping ping GROUP N [SECONDS]	join GROUP, wait for a member on
 *					another node, then send N requests one
 *					at a time and wait for each echo
 *   cpgping members GROUP		print GROUP's members (nodeid pid)
 *
 * ping exits 0 only if all N echoes came back from a different nodeid
 * within SECONDS (default 30) in all; 1 on a timeout or a corosync
 * error; 2 on bad usage.  Every cpg_* result is checked.
 *
 * Wire format (all big-endian, 20 bytes; never sizeof(struct)):
 *   magic "TCPP" (32) | type 1=request 2=echo (32) | seq (32) |
 *   origin nodeid (32) | origin pid (32)
 * The origin is the pinger, so an echo names whom it answers.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>

#include <corosync/corotypes.h>
#include <corosync/cpg.h>

#define PING_MAGIC	0x54435050u	/* "TCPP" */
#define PING_LEN	20
#define PING_REQ	1
#define PING_ECHO	2
#define ECHO_QLEN	64		/* serve: echoes waiting to be sent */
#define RETRY_MS	10		/* after CS_ERR_TRY_AGAIN */

struct ping_msg {
	uint32_t	 type;
	uint32_t	 seq;
	uint32_t	 nodeid;	/* origin: the pinger */
	uint32_t	 pid;
};

struct ctx {
	cpg_handle_t	 h;
	unsigned int	 nodeid;	/* ours */
	uint32_t	 pid;		/* ours */
	bool		 serve;
	bool		 peer;		/* a member on another node is in */
	/* ping */
	uint32_t	 want_seq;
	bool		 got;
	uint32_t	 got_from;
	/* serve: echoes queued by the deliver callback, sent by the loop */
	struct ping_msg	 q[ECHO_QLEN];
	size_t		 qhead, qlen;
	unsigned long	 echoed, dropped, bad;
};

static volatile sig_atomic_t	 stop_sig;

static void
on_signal(int sig)
{
	stop_sig = sig;
}

static int64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
ping_encode(uint8_t buf[PING_LEN], const struct ping_msg *m)
{
	put_be32(buf, PING_MAGIC);
	put_be32(buf + 4, m->type);
	put_be32(buf + 8, m->seq);
	put_be32(buf + 12, m->nodeid);
	put_be32(buf + 16, m->pid);
}

/* Pure: 0, or -1 if buf is not one of our messages. */
static int
ping_decode(const uint8_t *buf, size_t len, struct ping_msg *m)
{
	if (len != PING_LEN || get_be32(buf) != PING_MAGIC)
		return -1;
	m->type = get_be32(buf + 4);
	m->seq = get_be32(buf + 8);
	m->nodeid = get_be32(buf + 12);
	m->pid = get_be32(buf + 16);
	if (m->type != PING_REQ && m->type != PING_ECHO)
		return -1;
	return 0;
}

static void
deliver_cb(cpg_handle_t h, const struct cpg_name *group, uint32_t nodeid,
    uint32_t pid, void *msg, size_t len)
{
	struct ctx	*c;
	struct ping_msg	 m;

	if (cpg_context_get(h, (void **)&c) != CS_OK || c == NULL)
		return;
	if (ping_decode(msg, len, &m) == -1) {
		c->bad++;
		return;
	}
	if (c->serve && m.type == PING_REQ &&
	    !(nodeid == c->nodeid && pid == c->pid)) {
		/* Sending from inside dispatch could meet TRY_AGAIN: queue. */
		if (c->qlen == ECHO_QLEN) {
			c->dropped++;
			return;
		}
		m.type = PING_ECHO;
		c->q[(c->qhead + c->qlen) % ECHO_QLEN] = m;
		c->qlen++;
		return;
	}
	if (!c->serve && m.type == PING_ECHO && m.seq == c->want_seq &&
	    m.nodeid == c->nodeid && m.pid == c->pid && nodeid != c->nodeid) {
		c->got = true;
		c->got_from = nodeid;
	}
}

static void
confchg_cb(cpg_handle_t h, const struct cpg_name *group,
    const struct cpg_address *members, size_t nmembers,
    const struct cpg_address *left, size_t nleft,
    const struct cpg_address *joined, size_t njoined)
{
	struct ctx	*c;
	size_t		 i;

	if (cpg_context_get(h, (void **)&c) != CS_OK || c == NULL)
		return;
	c->peer = false;
	for (i = 0; i < nmembers; i++)
		if (members[i].nodeid != c->nodeid)
			c->peer = true;
	printf("group %.*s: %zu member(s), %zu joined, %zu left\n",
	    (int)group->length, group->value, nmembers, njoined, nleft);
}

static int
set_group(struct cpg_name *g, const char *name)
{
	size_t	 len = strlen(name);

	if (len == 0 || len > CPG_MAX_NAME_LENGTH) {
		fprintf(stderr, "cpgping: bad group name length %zu\n", len);
		return -1;
	}
	memset(g, 0, sizeof(*g));
	memcpy(g->value, name, len);
	g->length = (uint32_t)len;
	return 0;
}

/*
 * Initialize, learn our nodeid, optionally join (retrying TRY_AGAIN, which
 * corosync returns while the ring re-forms, until the deadline; 0: none).
 * Returns 0 or -1 (printed).
 */
static int
cpg_open(struct ctx *c, const struct cpg_name *g, bool join, int64_t deadline)
{
	cpg_callbacks_t	 cbs = {		/* libcpg keeps a copy */
		.cpg_deliver_fn = deliver_cb,
		.cpg_confchg_fn = confchg_cb,
	};
	cs_error_t	 e;

	if ((e = cpg_initialize(&c->h, &cbs)) != CS_OK) {
		fprintf(stderr, "cpgping: cpg_initialize: %s\n", cs_strerror(e));
		return -1;
	}
	if ((e = cpg_context_set(c->h, c)) != CS_OK) {
		fprintf(stderr, "cpgping: cpg_context_set: %s\n", cs_strerror(e));
		return -1;
	}
	if ((e = cpg_local_get(c->h, &c->nodeid)) != CS_OK) {
		fprintf(stderr, "cpgping: cpg_local_get: %s\n", cs_strerror(e));
		return -1;
	}
	c->pid = (uint32_t)getpid();
	if (!join)
		return 0;
	while ((e = cpg_join(c->h, g)) == CS_ERR_TRY_AGAIN) {
		if (deadline != 0 && now_ns() >= deadline)
			break;
		poll(NULL, 0, RETRY_MS);
	}
	if (e != CS_OK) {
		fprintf(stderr, "cpgping: cpg_join: %s\n", cs_strerror(e));
		return -1;
	}
	return 0;
}

/*
 * Dispatch callbacks until done(c) holds, a signal arrives or the
 * deadline passes (deadline 0: none).  Returns 0 if done, 1 on timeout
 * or signal, -1 on a corosync error.
 */
static int
run_until(struct ctx *c, int64_t deadline, bool (*done)(const struct ctx *),
    const sigset_t *waitmask)
{
	struct pollfd	 pfd;
	struct timespec	 ts, *tsp;
	int64_t		 left;
	cs_error_t	 e;
	int		 fd, n;

	if ((e = cpg_fd_get(c->h, &fd)) != CS_OK) {
		fprintf(stderr, "cpgping: cpg_fd_get: %s\n", cs_strerror(e));
		return -1;
	}
	for (;;) {
		if (done != NULL && done(c))
			return 0;
		if (stop_sig)
			return 1;
		tsp = NULL;
		if (deadline != 0) {
			if ((left = deadline - now_ns()) <= 0)
				return 1;
			ts.tv_sec = left / 1000000000;
			ts.tv_nsec = left % 1000000000;
			tsp = &ts;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		/* ppoll unblocks SIGTERM/SIGINT only while waiting: no race. */
		n = ppoll(&pfd, 1, tsp, waitmask);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("cpgping: ppoll");
			return -1;
		}
		if (n == 0)
			continue;
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
			fprintf(stderr, "cpgping: corosync connection lost\n");
			return -1;
		}
		if ((e = cpg_dispatch(c->h, CS_DISPATCH_ALL)) != CS_OK) {
			fprintf(stderr, "cpgping: cpg_dispatch: %s\n",
			    cs_strerror(e));
			return -1;
		}
		if (c->serve && c->qlen > 0)
			return 0;	/* let the caller send the echoes */
	}
}

/* Multicast one message, retrying TRY_AGAIN until the deadline. */
static int
send_msg(struct ctx *c, const struct ping_msg *m, int64_t deadline)
{
	uint8_t		 buf[PING_LEN];
	struct iovec	 iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	cs_error_t	 e;

	ping_encode(buf, m);
	while ((e = cpg_mcast_joined(c->h, CPG_TYPE_AGREED, &iov, 1)) ==
	    CS_ERR_TRY_AGAIN) {
		if (deadline != 0 && now_ns() >= deadline)
			break;
		poll(NULL, 0, RETRY_MS);
	}
	if (e != CS_OK) {
		fprintf(stderr, "cpgping: cpg_mcast_joined: %s\n",
		    cs_strerror(e));
		return -1;
	}
	return 0;
}

static bool
have_peer(const struct ctx *c)
{
	return c->peer;
}

static bool
have_echo(const struct ctx *c)
{
	return c->got;
}

static int
do_serve(struct ctx *c, const struct cpg_name *g, int64_t deadline,
    const sigset_t *waitmask)
{
	int	 r;

	c->serve = true;
	if (cpg_open(c, g, true, deadline) == -1)
		return 1;
	printf("serve %.*s: nodeid %u pid %" PRIu32 "\n", (int)g->length,
	    g->value, c->nodeid, c->pid);
	for (;;) {
		r = run_until(c, deadline, NULL, waitmask);
		if (r == -1)
			return 1;
		while (c->qlen > 0) {
			if (send_msg(c, &c->q[c->qhead], deadline) == -1)
				return 1;
			c->qhead = (c->qhead + 1) % ECHO_QLEN;
			c->qlen--;
			c->echoed++;
		}
		if (r == 1)
			break;
	}
	printf("serve: %lu echoed, %lu dropped, %lu malformed\n", c->echoed,
	    c->dropped, c->bad);
	return 0;
}

static int
do_ping(struct ctx *c, const struct cpg_name *g, unsigned long n,
    int64_t deadline, const sigset_t *waitmask)
{
	struct ping_msg	 m;
	int64_t		 t0, rtt, sum = 0, min = INT64_MAX, max = 0;
	unsigned long	 i, ok = 0;
	int		 r;

	if (cpg_open(c, g, true, deadline) == -1)
		return 1;
	if ((r = run_until(c, deadline, have_peer, waitmask)) != 0) {
		fprintf(stderr, "cpgping: no member on another node in %.*s\n",
		    (int)g->length, g->value);
		return 1;
	}
	for (i = 1; i <= n; i++) {
		m.type = PING_REQ;
		m.seq = (uint32_t)i;
		m.nodeid = c->nodeid;
		m.pid = c->pid;
		c->want_seq = m.seq;
		c->got = false;
		t0 = now_ns();
		if (send_msg(c, &m, deadline) == -1)
			return 1;
		if ((r = run_until(c, deadline, have_echo, waitmask)) != 0)
			break;
		rtt = now_ns() - t0;
		sum += rtt;
		min = rtt < min ? rtt : min;
		max = rtt > max ? rtt : max;
		ok++;
		printf("seq=%lu echo from nodeid %" PRIu32 " rtt=%.3f ms\n", i,
		    c->got_from, (double)rtt / 1e6);
	}
	printf("%lu/%lu echoes", ok, n);
	if (ok > 0)
		printf(", rtt min/avg/max = %.3f/%.3f/%.3f ms",
		    (double)min / 1e6, (double)sum / (double)ok / 1e6,
		    (double)max / 1e6);
	printf("\n");
	return ok == n ? 0 : 1;
}

static int
do_members(struct ctx *c, struct cpg_name *g)
{
	struct cpg_address	 list[CPG_MEMBERS_MAX];
	int			 n = CPG_MEMBERS_MAX, i;
	cs_error_t		 e;

	if (cpg_open(c, g, false, 0) == -1)
		return 1;
	if ((e = cpg_membership_get(c->h, g, list, &n)) != CS_OK) {
		fprintf(stderr, "cpgping: cpg_membership_get: %s\n",
		    cs_strerror(e));
		return 1;
	}
	printf("group %.*s: local nodeid %u, %d member(s)\n", (int)g->length,
	    g->value, c->nodeid, n);
	for (i = 0; i < n; i++)
		printf("  nodeid %" PRIu32 " pid %" PRIu32 "\n", list[i].nodeid,
		    list[i].pid);
	return 0;
}

static int
parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: cpgping serve GROUP [SECONDS]\n"
	    "       cpgping ping GROUP N [SECONDS]\n"
	    "       cpgping members GROUP\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct ctx		 c;
	struct cpg_name		 g;
	struct sigaction	 sa;
	sigset_t		 block, waitmask;
	unsigned long		 n = 0, secs = 0;
	int64_t			 deadline = 0;
	int			 ret = 1;
	cs_error_t		 e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3 || set_group(&g, argv[2]) == -1)
		usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	memset(&c, 0, sizeof(c));
	if (strcmp(argv[1], "serve") == 0) {
		if (argc > 4 || (argc == 4 &&
		    parse_ulong(argv[3], 86400, &secs) == -1))
			usage();
		if (secs != 0)
			deadline = now_ns() + (int64_t)secs * 1000000000;
		ret = do_serve(&c, &g, deadline, &waitmask);
	} else if (strcmp(argv[1], "ping") == 0) {
		if (argc < 4 || argc > 5 ||
		    parse_ulong(argv[3], 1000000, &n) == -1 ||
		    (argc == 5 && parse_ulong(argv[4], 86400, &secs) == -1))
			usage();
		deadline = now_ns() + (int64_t)(secs ? secs : 30) * 1000000000;
		ret = do_ping(&c, &g, n, deadline, &waitmask);
	} else if (strcmp(argv[1], "members") == 0) {
		if (argc != 3)
			usage();
		ret = do_members(&c, &g);
	} else
		usage();

	if (c.h != 0 && (e = cpg_finalize(c.h)) != CS_OK) {
		fprintf(stderr, "cpgping: cpg_finalize: %s\n", cs_strerror(e));
		ret = 1;
	}
	return ret;
}
