/*
 * ikev2d/sa_live.c -- the live SA stream from syncd (sa_live.h).
 * Edge code: a UNIX socket, libev, poll() for the barrier, a clock.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "tandem/clock.h"
#include "tandem/ctlmsg.h"
#include "tandem/log.h"
#include "tandem/sock.h"
#include "tandem/syncmsg.h"
#include "tandem/util.h"
#include "ike_core.h"
#include "sa_live.h"
#include "sync_out.h"

#define LIVE_RETRY_S	1.0
/*
 * Parking (ike_park.c) is background work: it starts PARK_DELAY_S after
 * the stream (re)connects -- a node that just lost its groups, or whose
 * links went down, has better things to do -- and then parks PARK_BATCH
 * copies every PARK_TICK_S: ~800 a second, a few per cent of a CPU on a
 * host, ~30% of the UML lab's one vCPU.
 */
#define PARK_DELAY_S	1.0
#define PARK_TICK_S	0.02
#define PARK_BATCH	16

enum live_state { LS_OFF = 0, LS_BULK, LS_READY };
static const char *const live_state_names[] = { "off", "bulk", "ready" };

struct sa_live {
	struct ev_loop	*loop;
	struct ike_core	*core;
	void		(*jump)(void *, uint64_t);
	void		*arg;
	char		 path[108];
	int		 fd;
	enum live_state	 st;
	bool		 want, barrier_seen;
	ev_io		 rio;
	ev_timer	 retry, park;
	double		 park_after;	/* ev_now() before which none */
	uint64_t	 bulk_t0, seq_seen;
	/* counters */
	uint64_t	 connects, closes, bulk_ms, barriers, barrier_ms;
	uint64_t	 applied, ignored, not_ours, refused, bad;
	char		 why[160];	/* the last close */
	struct sync_msg	 m;
	uint8_t		 buf[SYNC_MAX_LEN];
};

/* The records' wall-clock times on the core's clock (ike_core.h). */
static int64_t
mono_off(void)
{
	struct timespec	 m, r;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r);
	return ((int64_t)m.tv_sec - (int64_t)r.tv_sec) * 1000 +
	    ((int64_t)m.tv_nsec - (int64_t)r.tv_nsec) / 1000000;
}

static void
live_close(struct sa_live *l, const char *why)
{
	if (l->fd == -1)
		return;
	ev_io_stop(l->loop, &l->rio);
	close(l->fd);
	l->fd = -1;
	if (l->st != LS_OFF || why[0] != '\0')
		log_info("sync: live SA stream closed: %s", why);
	snprintf(l->why, sizeof(l->why), "%s", why);
	l->st = LS_OFF;
	l->closes++;
	if (l->want && !ev_is_active(&l->retry)) {
		ev_timer_set(&l->retry, LIVE_RETRY_S, 0.0);
		ev_timer_start(l->loop, &l->retry);
	}
}

/*
 * The standby groups' copies, dropped before a new bulk: it is the whole
 * truth, and copies of SAs deleted while no stream ran must go.
 */
static void
drop_standby_copies(struct sa_live *l)
{
	struct ike_group_status	 g;
	size_t			 i;

	for (i = 0; ike_core_group_status(l->core, i, &g) == 0; i++)
		if (g.state == IKE_GROUP_STANDBY)
			(void)ike_core_group_standby(l->core, g.name,
			    mono_ms());
}

static void
on_park(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sa_live	*l = container_of(w, struct sa_live, park);

	if (ike_core_park_step(l->core, PARK_BATCH) > 0) {
		ev_timer_set(&l->park, PARK_TICK_S, 0.0);
		ev_timer_start(l->loop, &l->park);
	}
}

/* Copies are queued to be parked: make sure the job runs. */
static void
park_arm(struct sa_live *l)
{
	double	 wait;

	if (ev_is_active(&l->park) || ike_core_park_step(l->core, 0) == 0)
		return;
	wait = l->park_after - ev_now(l->loop);
	ev_timer_set(&l->park, wait > PARK_TICK_S ? wait : PARK_TICK_S, 0.0);
	ev_timer_start(l->loop, &l->park);
}

/* One message: 1 when it was the BULK_END that ends a bulk or barrier. */
static int
live_msg(struct sa_live *l, const uint8_t *p, size_t len, int64_t off)
{
	int	 rc = 0;

	if (syncmsg_decode(p, len, &l->m) != 0) {
		l->bad++;
		return 0;
	}
	switch (l->m.hdr.type) {
	case SYNC_BULK_BEGIN:
		break;
	case SYNC_BULK_END:
		if (l->st == LS_BULK) {
			l->st = LS_READY;
			l->bulk_ms = mono_ms() - l->bulk_t0;
			log_info("sync: live SA stream ready: bulk of %u "
			    "record(s) in %llu ms", l->m.u.bulk.count,
			    (unsigned long long)l->bulk_ms);
		} else
			l->barrier_seen = true;
		rc = 1;
		break;
	default:
		switch (ike_core_live_apply(l->core, &l->m, off)) {
		case IKE_LIVE_APPLIED:
			l->applied++;
			break;
		case IKE_LIVE_IGNORED:
			l->ignored++;
			break;
		case IKE_LIVE_NOT_OURS:
			l->not_ours++;
			break;
		default:
			l->refused++;
			break;
		}
		break;
	}
	syncmsg_wipe(&l->m);
	return rc;
}

/* One datagram (a pack or a single message); -1 when it cannot frame. */
static int
live_dgram(struct sa_live *l, size_t len)
{
	const uint8_t	*p = l->buf;
	int64_t		 off = mono_off();
	uint64_t	 seq;
	long		 n;

	for (; len > 0; p += n, len -= (size_t)n) {
		if ((n = syncmsg_frame_len(p, len)) == -1) {
			l->bad++;
			break;
		}
		(void)live_msg(l, p, (size_t)n, off);
	}
	park_arm(l);
	/* imports raise the core's event sequence: sync_out must know */
	if ((seq = ike_core_event_seq(l->core)) > l->seq_seen) {
		l->seq_seen = seq;
		if (l->jump != NULL)
			l->jump(l->arg, seq);
	}
	return 0;
}

/* Read what is there; false when the stream closed. */
static bool
live_drain(struct sa_live *l, int max)
{
	ssize_t	 n;
	int	 i;

	for (i = 0; i < max && l->fd != -1; i++) {
		n = recv(l->fd, l->buf, sizeof(l->buf), MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			live_close(l, n == 0 ? "syncd closed it" :
			    strerror(errno));
			return false;
		}
		(void)live_dgram(l, (size_t)n);
		OPENSSL_cleanse(l->buf, (size_t)n);
	}
	return l->fd != -1;
}

static void
on_live_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sa_live	*l = container_of(w, struct sa_live, rio);

	(void)live_drain(l, 64);
}

static int
live_send_bulk(struct sa_live *l, uint8_t type, uint16_t flags)
{
	struct sync_bulk	 b;
	struct wr		 w;
	uint8_t			 buf[64];

	memset(&b, 0, sizeof(b));
	wr_init(&w, buf, sizeof(buf));
	if (syncmsg_encode_bulk(&w, type, 0, flags, &b) < 0)
		return -1;
	return send(l->fd, buf, w.len, MSG_NOSIGNAL) == -1 ? -1 : 0;
}

static void
live_connect(struct sa_live *l)
{
	if (l->fd != -1 || !l->want)
		return;
	if ((l->fd = sock_connect(l->path)) == -1) {
		/* syncd not there (yet): quietly again in a second */
		snprintf(l->why, sizeof(l->why), "%s: %s", l->path,
		    strerror(errno));
		ev_timer_set(&l->retry, LIVE_RETRY_S, 0.0);
		ev_timer_start(l->loop, &l->retry);
		return;
	}
	drop_standby_copies(l);
	l->park_after = ev_now(l->loop) + PARK_DELAY_S;
	l->st = LS_BULK;
	l->bulk_t0 = mono_ms();
	l->connects++;
	if (live_send_bulk(l, SYNC_BULK_BEGIN, SYNC_F_LIVE) != 0) {
		live_close(l, strerror(errno));
		return;
	}
	ev_io_init(&l->rio, on_live_read, l->fd, EV_READ);
	ev_io_start(l->loop, &l->rio);
}

static void
on_live_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sa_live	*l = container_of(w, struct sa_live, retry);

	live_connect(l);
}

struct sa_live *
sa_live_new(struct ev_loop *loop, const char *rundir, struct ike_core *core,
    void (*jump)(void *, uint64_t), void *arg)
{
	struct sa_live	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((size_t)snprintf(l->path, sizeof(l->path), "%s/%s", rundir,
	    SYNC_OUT_SOCK) >= sizeof(l->path)) {
		free(l);
		errno = ENAMETOOLONG;
		return NULL;
	}
	l->loop = loop;
	l->core = core;
	l->jump = jump;
	l->arg = arg;
	l->fd = -1;
	ev_timer_init(&l->retry, on_live_retry, LIVE_RETRY_S, 0.0);
	ev_timer_init(&l->park, on_park, PARK_TICK_S, 0.0);
	return l;
}

void
sa_live_free(struct sa_live *l)
{
	if (l == NULL)
		return;
	l->want = false;
	ev_timer_stop(l->loop, &l->retry);
	ev_timer_stop(l->loop, &l->park);
	live_close(l, "");
	OPENSSL_cleanse(l, sizeof(*l));
	free(l);
}

void
sa_live_want(struct sa_live *l, bool want)
{
	if (l == NULL || l->want == want)
		return;
	l->want = want;
	if (want) {
		live_connect(l);
		return;
	}
	ev_timer_stop(l->loop, &l->retry);
	live_close(l, "no standby group left");
}

void
sa_live_restart(struct sa_live *l)
{
	if (l == NULL || l->fd == -1)
		return;
	live_close(l, "a group went standby: starting over");
	ev_timer_stop(l->loop, &l->retry);
	live_connect(l);
}

bool
sa_live_ready(const struct sa_live *l)
{
	return l != NULL && l->fd != -1 && l->st == LS_READY;
}

int
sa_live_barrier(struct sa_live *l, int timeout_ms, uint64_t *ms, char *why,
    size_t whylen)
{
	struct pollfd	 pfd;
	uint64_t	 t0 = mono_ms(), now, dl = t0 + (uint64_t)timeout_ms;
	int		 rc;

	*ms = 0;
	if (!sa_live_ready(l)) {
		snprintf(why, whylen, "live SA stream not ready (%s)",
		    l == NULL ? "none" : l->st == LS_BULK ? "bulk running" :
		    l->why);
		return -1;
	}
	l->barrier_seen = false;
	if (live_send_bulk(l, SYNC_BULK_END, 0) != 0) {
		snprintf(why, whylen, "live SA stream: %s", strerror(errno));
		live_close(l, why);
		return -1;
	}
	while (!l->barrier_seen) {
		if ((now = mono_ms()) >= dl) {
			snprintf(why, whylen, "syncd did not answer the live "
			    "stream's barrier within %d ms", timeout_ms);
			live_close(l, why);
			return -1;
		}
		pfd.fd = l->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, (int)(dl - now));
		if (rc == -1 && errno != EINTR) {
			snprintf(why, whylen, "live SA stream: %s",
			    strerror(errno));
			live_close(l, why);
			return -1;
		}
		if (rc > 0 && !live_drain(l, 1 << 20)) {
			snprintf(why, whylen, "live SA stream closed at the "
			    "barrier (%s)", l->why);
			return -1;
		}
	}
	l->barriers++;
	*ms = l->barrier_ms = mono_ms() - t0;
	return 0;
}

void
sa_live_status(const struct sa_live *l, struct wr *w)
{
	if (l == NULL)
		return;
	ctl_put_kv(w, "live_stream", l->want ? live_state_names[l->st] :
	    "not wanted");
	ctl_put_kv_u64(w, "live_connects", l->connects);
	ctl_put_kv_u64(w, "live_bulk_ms", l->bulk_ms);
	ctl_put_kv_u64(w, "live_applied", l->applied);
	ctl_put_kv_u64(w, "live_ignored", l->ignored);
	ctl_put_kv_u64(w, "live_not_ours", l->not_ours);
	ctl_put_kv_u64(w, "live_refused", l->refused);
	ctl_put_kv_u64(w, "live_bad", l->bad);
	ctl_put_kv_u64(w, "live_barriers", l->barriers);
	ctl_put_kv_u64(w, "live_barrier_ms", l->barrier_ms);
}
