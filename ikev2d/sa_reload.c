/*
 * ikev2d/sa_reload.c -- the SA reload stream from syncd (sa_reload.h).
 * Edge code: a UNIX socket, poll(), a clock.
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
#include "tandem/sock.h"
#include "tandem/syncmsg.h"
#include "tandem/wire.h"
#include "sa_reload.h"
#include "sync_out.h"

struct fetch {
	int		 fd;
	uint8_t		 buf[SYNC_MAX_LEN];
	struct sync_msg	 m;
};

/* One datagram before the deadline: its length, 0 (closed) or -1. */
static ssize_t
recv_by(int fd, uint8_t *buf, size_t cap, uint64_t deadline, bool *late)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	ssize_t		 n;
	int		 rc;

	for (;;) {
		if ((now = mono_ms()) >= deadline) {
			*late = true;
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, (int)(deadline - now));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			return -1;
		if (rc == 0)
			continue;	/* the deadline check above ends it */
		n = recv(fd, buf, cap, 0);
		if (n == -1 && errno == EINTR)
			continue;
		return n;
	}
}

/*
 * The messages of one datagram of the stream: 1 at BULK_END, 0 to read
 * on, -1 when the stream ended before it began.  A message that does not
 * decode is counted and skipped; a pack that cannot be framed further is
 * counted once and its rest dropped.
 */
static int
fetch_pack(struct fetch *f, size_t len, const struct sa_reload_sink *s,
    struct sa_reload_result *res, bool *begun)
{
	const uint8_t	*p = f->buf;
	long		 l;

	for (; len > 0; p += l, len -= (size_t)l) {
		if ((l = syncmsg_frame_len(p, len)) == -1) {
			res->bad++;
			return 0;
		}
		if (syncmsg_decode(p, (size_t)l, &f->m) != 0) {
			res->bad++;
			continue;
		}
		switch (f->m.hdr.type) {
		case SYNC_BULK_BEGIN:
			*begun = true;
			res->held = f->m.u.bulk.count;
			break;
		case SYNC_BULK_END:
			res->announced = f->m.u.bulk.count;
			syncmsg_wipe(&f->m);
			return *begun ? 1 : -1;
		case SYNC_IKE_UP:
			if ((f->m.hdr.flags & SYNC_F_BULK) && s->ike != NULL) {
				res->ike++;
				s->ike(s->arg, &f->m.u.ike);
			}
			break;
		case SYNC_CHILD_UP:
			if ((f->m.hdr.flags & SYNC_F_BULK) &&
			    s->child != NULL) {
				res->child++;
				s->child(s->arg, &f->m.u.child);
			}
			break;
		default:
			/* not for this connection (an ack): skip */
			break;
		}
		syncmsg_wipe(&f->m);
	}
	return 0;
}

static int
fetch_run(struct fetch *f, uint64_t deadline, const struct sa_reload_sink *s,
    struct sa_reload_result *res, char *why, size_t whylen)
{
	struct sync_bulk	 b;
	struct wr		 w;
	ssize_t			 n;
	bool			 late = false, begun = false;
	int			 rc;

	memset(&b, 0, sizeof(b));
	wr_init(&w, f->buf, sizeof(f->buf));
	if (syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 0, 0, &b) < 0 ||
	    send(f->fd, f->buf, w.len, MSG_NOSIGNAL) == -1) {
		snprintf(why, whylen, "asking syncd for the SAs: %s",
		    strerror(errno));
		return -1;
	}
	for (;;) {
		n = recv_by(f->fd, f->buf, sizeof(f->buf), deadline, &late);
		if (n <= 0) {
			snprintf(why, whylen, "%s after %u IKE and %u Child "
			    "record(s)", late ? "syncd's stream too slow" :
			    n == 0 ? "syncd closed the stream" :
			    strerror(errno), res->ike, res->child);
			return -1;
		}
		/* syncd packs the stream: messages back to back */
		rc = fetch_pack(f, (size_t)n, s, res, &begun);
		OPENSSL_cleanse(f->buf, (size_t)n);
		if (rc == 1)
			return 0;
		if (rc == -1) {
			snprintf(why, whylen, "syncd's stream ended before "
			    "it began");
			return -1;
		}
	}
}

int
sa_reload_fetch(const char *rundir, int timeout_ms,
    const struct sa_reload_sink *sink, struct sa_reload_result *res,
    char *why, size_t whylen)
{
	struct fetch	*f;
	char		 path[108];
	uint64_t	 t0 = mono_ms();
	int		 ret = -1, saved;

	memset(res, 0, sizeof(res[0]));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", rundir,
	    SYNC_OUT_SOCK) >= sizeof(path)) {
		snprintf(why, whylen, "%s/%s: path too long", rundir,
		    SYNC_OUT_SOCK);
		return -1;
	}
	if ((f = malloc(sizeof(*f))) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if ((f->fd = sock_connect(path)) == -1) {
		saved = errno;
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		free(f);
		errno = saved;
		return -1;
	}
	res->connected = true;
	ret = fetch_run(f, t0 + (uint64_t)(timeout_ms > 0 ? timeout_ms :
	    SA_RELOAD_TIMEOUT_MS), sink, res, why, whylen);
	close(f->fd);
	OPENSSL_cleanse(f, sizeof(*f));
	free(f);
	res->ms = mono_ms() - t0;
	return ret;
}
