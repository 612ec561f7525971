/*
 * ikev2d/sync_out.c -- SA events to syncd, commit acknowledgements back,
 * the write-ahead predicate (sync_out.h has the contract and the modes).
 *
 * Queue: every event sent while ON or LOST stays in a FIFO, encoded,
 * until syncd acknowledges it; `unsent` points at the first one not yet
 * written to the socket (the socket pushes back with EAGAIN: then the
 * loop waits for EV_WRITE).  On reconnect `unsent` goes back to the head:
 * syncd applies by record generation, so a resent event is harmless.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "tandem/clock.h"
#include "tandem/ctlmsg.h"
#include "tandem/log.h"
#include "tandem/sa_rec.h"
#include "tandem/clock.h"
#include "tandem/lat_hist.h"
#include "tandem/sock.h"
#include "tandem/syncmsg.h"
#include "tandem/util.h"
#include "ike_core.h"
#include "sync_out.h"

#define RETRY_MIN_MS	100
#define RETRY_MAX_MS	5000
#define SEND_BATCH	16	/* datagrams (packs) per sendmmsg() */
#define SEND_IOV	1024	/* events per sendmmsg(), at most (IOV_MAX) */

enum sync_out_mode { SO_OFF, SO_ON, SO_LOST };

static const char *const mode_names[] = { "off", "on", "lost" };

struct so_ent {
	struct so_ent	*next;
	uint64_t	 seq;
	uint64_t	 turn_us;	/* its loop turn's first event */
	uint64_t	 sent_us;	/* handed to syncd (0: not yet) */
	size_t		 len;
	uint8_t		 buf[];		/* wiped before free */
};

struct sync_out {
	struct ev_loop	*loop;
	char		 path[108];
	void		(*committed)(void *);
	void		*arg;
	enum sync_out_mode mode;
	int		 fd;
	ev_io		 rio, wio;
	ev_prepare	 prep;		/* flush before the loop blocks */
	/* the records' wall-clock offset, taken once per loop turn: a
	 * takeover encodes thousands of events in one, and a clock read
	 * is a system call where there is no vDSO (UML) */
	int64_t		 wall_off;
	ev_tstamp	 wall_off_at;
	ev_timer	 retry, grace;
	uint32_t	 retry_ms;
	uint64_t	 last_seq;	/* highest event seq seen */
	uint64_t	 acked;		/* highest seq syncd committed */
	uint64_t	 skip_to;	/* sync_out_seq_skip(): committed once
					 * the queue before it is */
	uint32_t	 syncd_node;	/* from the last ack */
	struct so_ent	*head, *tail, *unsent;
	size_t		 qlen;
	/* counters */
	uint64_t	 sent, writes, acks, connects, disconnects;
	uint64_t	 encode_failed;
	uint64_t	 queue_full, bad_in, not_replicated;
	/* write-ahead cost, microseconds per event: handed to syncd ->
	 * committed (commit), and its loop turn's first event ->
	 * committed (wait: what a held response waits at least); one
	 * clock read per turn, per flush and per ack */
	struct lat_hist	 commit, wait;
	uint64_t	 turn_us;
	ev_tstamp	 turn_at;
	struct log_rate	 rl;
	/* scratch for the wall-clock copies: records are big (resp) */
	struct sa_ike	 ike;
	struct sa_child	 child;
	uint8_t		 wbuf[SYNC_MAX_LEN];
	struct mmsghdr	 mm[SEND_BATCH];	/* so_flush() */
	struct iovec	 iov[SEND_IOV];
	uint8_t		 rbuf[SYNC_MAX_LEN];
};

static void	so_connect(struct sync_out *);

static void
ent_free(struct so_ent *e)
{
	OPENSSL_cleanse(e->buf, e->len);
	free(e);
}

static void
queue_clear(struct sync_out *so)
{
	struct so_ent	*e;

	while ((e = so->head) != NULL) {
		so->head = e->next;
		ent_free(e);
	}
	so->tail = so->unsent = NULL;
	so->qlen = 0;
}

/* Lift the barrier: everything seen so far counts as committed. */
static void
release_all(struct sync_out *so)
{
	queue_clear(so);
	so->acked = so->last_seq;
	so->committed(so->arg);
}

static void
so_close(struct sync_out *so)
{
	if (so->fd == -1)
		return;
	ev_io_stop(so->loop, &so->rio);
	ev_io_stop(so->loop, &so->wio);
	close(so->fd);
	so->fd = -1;
}

static void
retry_arm(struct sync_out *so)
{
	ev_timer_stop(so->loop, &so->retry);
	ev_timer_set(&so->retry, so->retry_ms / 1000.0, 0.0);
	ev_timer_start(so->loop, &so->retry);
	so->retry_ms = so->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS :
	    so->retry_ms * 2;
}

static void
so_lost(struct sync_out *so, const char *why)
{
	so_close(so);
	so->disconnects++;
	if (so->mode == SO_ON) {
		log_warn("sync: lost syncd (%s): %zu event(s) unacknowledged, "
		    "IKE responses held for up to %d ms", why, so->qlen,
		    SYNC_OUT_GRACE_MS);
		so->mode = SO_LOST;
		ev_timer_set(&so->grace, SYNC_OUT_GRACE_MS / 1000.0, 0.0);
		ev_timer_start(so->loop, &so->grace);
	}
	so->unsent = so->head;
	so->retry_ms = RETRY_MIN_MS;
	retry_arm(so);
}

/*
 * Write what is unsent; false if the connection broke.  Events go in
 * packs: each datagram carries as many consecutive events as fit in
 * SYNC_MAX_LEN (syncd splits it by the length in each header, as it
 * splits CPG packs), up to SEND_BATCH datagrams per sendmmsg(), the
 * events referenced in place (iovecs, no copy).  A loop turn's events
 * thus cost one system call, wake syncd once and are read there at once.
 * Sent one per datagram, syncd (woken by the first, on the same CPU)
 * took them in pieces as the scheduler let it and multicast a CPG
 * message per piece: 3 to 5 per turn where one does
 * (test/bench/bench_ike_repl.sh: 0.10-0.13 CPG messages per SA from
 * node A before, 0.02 since).
 */
static bool
so_flush(struct sync_out *so)
{
	struct mmsghdr	*mm = so->mm;
	struct so_ent	*e;
	size_t		 cnt[SEND_BATCH], len, ni;
	uint64_t	 now;
	int		 i, j, n, nm;

	while (so->fd != -1 && so->unsent != NULL) {
		memset(so->mm, 0, sizeof(so->mm));
		e = so->unsent;
		for (nm = 0, ni = 0; nm < SEND_BATCH && e != NULL &&
		    ni < SEND_IOV; nm++) {
			mm[nm].msg_hdr.msg_iov = &so->iov[ni];
			/* e->len <= SYNC_MAX_LEN: at least one per pack */
			for (len = 0, cnt[nm] = 0; e != NULL && ni < SEND_IOV &&
			    len + e->len <= SYNC_MAX_LEN; e = e->next) {
				so->iov[ni].iov_base = e->buf;
				so->iov[ni++].iov_len = e->len;
				len += e->len;
				cnt[nm]++;
			}
			mm[nm].msg_hdr.msg_iovlen = cnt[nm];
		}
		n = sendmmsg(so->fd, mm, (unsigned int)nm,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ev_io_start(so->loop, &so->wio);
			return true;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			so_lost(so, strerror(errno));
			return false;
		}
		so->writes += (uint64_t)n;
		now = mono_us();
		for (i = 0; i < n; i++)
			for (j = 0; j < (int)cnt[i]; j++) {
				so->sent++;
				so->unsent->sent_us = now;
				so->unsent = so->unsent->next;
			}
		if (n < nm && so->unsent != NULL) {
			/* the socket took only part: wait until writable */
			ev_io_start(so->loop, &so->wio);
			return true;
		}
	}
	ev_io_stop(so->loop, &so->wio);
	return true;
}

/* Drop acknowledged entries (seq <= acked); now_us: the ack's time, for
 * the write-ahead histograms (0: not measured). */
static void
queue_trim(struct sync_out *so, uint64_t now_us)
{
	struct so_ent	*e;

	while ((e = so->head) != NULL && e->seq <= so->acked) {
		if (now_us != 0 && e->sent_us != 0) {
			lat_hist_add(&so->commit, now_us > e->sent_us ?
			    now_us - e->sent_us : 0);
			lat_hist_add(&so->wait, now_us > e->turn_us ?
			    now_us - e->turn_us : 0);
		}
		if (so->unsent == e)
			so->unsent = e->next;
		so->head = e->next;
		ent_free(e);
		so->qlen--;
	}
	if (so->head == NULL)
		so->tail = NULL;
}

static void
on_ack(struct sync_out *so, const struct sync_msg *m)
{
	uint64_t	 seq;

	if (m->u.ack.node != 0 || m->u.ack.n < 1) {
		so->bad_in++;
		return;
	}
	so->acks++;
	so->syncd_node = m->u.ack.e[0].node;
	seq = m->u.ack.e[0].seq;
	if (seq > so->last_seq)
		seq = so->last_seq;	/* an ack for an older ikev2d's seq */
	if (seq <= so->acked)
		return;
	so->acked = seq;
	queue_trim(so, mono_us());
	/* nothing unacknowledged left: a skipped range is committed too */
	if (so->head == NULL && so->skip_to > so->acked)
		so->acked = so->skip_to;
	so->committed(so->arg);
}

static void
on_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sync_out	*so = container_of(w, struct sync_out, rio);
	struct sync_msg	 m;
	ssize_t		 n;
	int		 i, rc;

	for (i = 0; i < 64; i++) {
		n = recv(so->fd, so->rbuf, sizeof(so->rbuf), MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			so_lost(so, n == 0 ? "closed" : strerror(errno));
			return;
		}
		if ((rc = syncmsg_decode(so->rbuf, (size_t)n, &m)) != 0 ||
		    m.hdr.type != SYNC_ACK) {
			so->bad_in++;
			if (log_rate_ok(&so->rl))
				log_warn("sync: from syncd: %s %s dropped "
				    "(%" PRIu64 " so far)",
				    syncmsg_type_name(m.hdr.type),
				    rc != 0 ? syncmsg_err_name(rc) : "unexpected",
				    so->bad_in);
			syncmsg_wipe(&m);
			continue;
		}
		on_ack(so, &m);
	}
}

static void
on_write(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sync_out	*so = container_of(w, struct sync_out, wio);

	(void)so_flush(so);
}

/* The loop is about to block: send this turn's events together. */
static void
on_prepare(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct sync_out	*so = container_of(w, struct sync_out, prep);

	ev_prepare_stop(loop, w);
	if (so->mode == SO_ON && !ev_is_active(&so->wio))
		(void)so_flush(so);
}

static void
on_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sync_out	*so = container_of(w, struct sync_out, retry);

	so_connect(so);
}

static void
on_grace(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sync_out	*so = container_of(w, struct sync_out, grace);

	if (so->mode != SO_LOST)
		return;
	log_err("sync: syncd gone for %d ms: replication OFF, %zu "
	    "unacknowledged event(s) dropped and held IKE responses "
	    "released (write-ahead not kept until syncd returns)",
	    SYNC_OUT_GRACE_MS, so->qlen);
	so->mode = SO_OFF;
	so->not_replicated += so->qlen;
	release_all(so);
}

static void
so_connect(struct sync_out *so)
{
	int	 fd;

	if (so->fd != -1)
		return;
	if ((fd = sock_connect(so->path)) == -1) {
		retry_arm(so);
		return;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		close(fd);
		retry_arm(so);
		return;
	}
	so->fd = fd;
	so->connects++;
	so->retry_ms = RETRY_MIN_MS;
	ev_timer_stop(so->loop, &so->grace);
	ev_io_init(&so->rio, on_read, fd, EV_READ);
	ev_io_init(&so->wio, on_write, fd, EV_WRITE);
	ev_io_start(so->loop, &so->rio);
	if (so->mode == SO_OFF) {
		/* Events before syncd existed are not replicated. */
		so->not_replicated += so->last_seq - so->acked;
		so->acked = so->last_seq;
		log_notice("sync: connected to syncd (%s): write-ahead on "
		    "from event %" PRIu64, so->path, so->last_seq + 1);
	} else {
		log_notice("sync: reconnected to syncd: resending %zu "
		    "unacknowledged event(s)", so->qlen);
	}
	so->mode = SO_ON;
	so->unsent = so->head;
	(void)so_flush(so);
}

struct sync_out *
sync_out_new(struct ev_loop *loop, const char *rundir,
    void (*committed)(void *), void *arg)
{
	struct sync_out	*so;

	if ((so = calloc(1, sizeof(*so))) == NULL)
		return NULL;
	if ((size_t)snprintf(so->path, sizeof(so->path), "%s/%s", rundir,
	    SYNC_OUT_SOCK) >= sizeof(so->path)) {
		free(so);
		errno = ENAMETOOLONG;
		return NULL;
	}
	so->loop = loop;
	so->committed = committed;
	so->arg = arg;
	so->fd = -1;
	so->mode = SO_OFF;
	so->retry_ms = RETRY_MIN_MS;
	ev_timer_init(&so->retry, on_retry, 0.0, 0.0);
	ev_timer_init(&so->grace, on_grace, 0.0, 0.0);
	ev_prepare_init(&so->prep, on_prepare);
	so_connect(so);
	return so;
}

void
sync_out_free(struct sync_out *so)
{
	if (so == NULL)
		return;
	so_close(so);
	ev_prepare_stop(so->loop, &so->prep);
	ev_timer_stop(so->loop, &so->retry);
	ev_timer_stop(so->loop, &so->grace);
	queue_clear(so);
	OPENSSL_cleanse(so, sizeof(*so));
	free(so);
}

static uint64_t
wall(uint64_t mono_ms, int64_t off)
{
	return mono_ms == 0 ? 0 : (uint64_t)((int64_t)mono_ms + off);
}

/* Wall clock minus monotonic clock, ms, as of this loop turn. */
static int64_t
wall_offset(struct sync_out *so)
{
	ev_tstamp	 t = ev_now(so->loop);

	if (t != so->wall_off_at || so->wall_off_at == 0) {
		so->wall_off = (int64_t)clock_ms(CLOCK_REALTIME) -
		    (int64_t)clock_ms(CLOCK_MONOTONIC);
		so->wall_off_at = t;
	}
	return so->wall_off;
}

/* Encode ev into so->wbuf; the length or -1. */
static long
encode(struct sync_out *so, const struct ike_event *ev, struct wr *w)
{
	int64_t	 off = wall_offset(so);
	long	 n = -1;

	wr_init(w, so->wbuf, sizeof(so->wbuf));
	switch (ev->type) {
	case IKE_EV_IKE_UP:
	case IKE_EV_IKE_REKEYED:
	case IKE_EV_IKE_DOWN:
	case IKE_EV_IKE_MID:
		so->ike = *ev->ike;
		so->ike.established_ms = wall(so->ike.established_ms, off);
		so->ike.rekey_ms = wall(so->ike.rekey_ms, off);
		so->ike.reauth_ms = wall(so->ike.reauth_ms, off);
		if (ev->type == IKE_EV_IKE_DOWN)
			n = syncmsg_encode_ike_down(w, ev->seq, 0, &so->ike);
		else if (ev->type == IKE_EV_IKE_MID)
			n = syncmsg_encode_ike_mid(w, ev->seq, 0, &so->ike);
		else
			n = syncmsg_encode_ike_up(w, ev->seq, 0, &so->ike);
		sa_ike_wipe(&so->ike);
		break;
	case IKE_EV_CHILD_UP:
	case IKE_EV_CHILD_REKEYED:
	case IKE_EV_CHILD_DOWN:
		if (ev->child == NULL)
			break;
		so->child = *ev->child;
		so->child.installed_ms = wall(so->child.installed_ms, off);
		so->child.rekey_ms = wall(so->child.rekey_ms, off);
		if (ev->type == IKE_EV_CHILD_DOWN)
			n = syncmsg_encode_child_down(w, ev->seq, 0,
			    &so->child);
		else
			n = syncmsg_encode_child_up(w, ev->seq, 0,
			    &so->child);
		sa_child_wipe(&so->child);
		break;
	default:
		break;
	}
	return n;
}

void
sync_out_event(struct sync_out *so, const struct ike_event *ev)
{
	struct so_ent	*e;
	struct wr	 w;
	long		 n;

	if (ev->seq > so->last_seq)
		so->last_seq = ev->seq;
	if (so->mode == SO_OFF) {
		so->not_replicated++;
		so->acked = so->last_seq;
		return;
	}
	n = encode(so, ev, &w);
	if (n < 0) {
		/* Not replicable: hold nothing behind it. */
		so->encode_failed++;
		log_err("sync: event %" PRIu64 " (%s) does not encode: not "
		    "replicated", ev->seq, ike_ev_type_name(ev->type));
		OPENSSL_cleanse(so->wbuf, w.cap);
		if (so->head == NULL)
			so->acked = so->last_seq;
		return;
	}
	if (so->qlen >= SYNC_OUT_QUEUE_MAX ||
	    (e = malloc(sizeof(*e) + (size_t)n)) == NULL) {
		so->queue_full++;
		log_err("sync: event %" PRIu64 " dropped: %zu unacknowledged "
		    "events queued", ev->seq, so->qlen);
		OPENSSL_cleanse(so->wbuf, (size_t)n);
		return;
	}
	if (so->turn_at != ev_now(so->loop)) {
		so->turn_at = ev_now(so->loop);
		so->turn_us = mono_us();
	}
	e->next = NULL;
	e->seq = ev->seq;
	e->turn_us = so->turn_us;
	e->sent_us = 0;
	e->len = (size_t)n;
	memcpy(e->buf, so->wbuf, (size_t)n);
	OPENSSL_cleanse(so->wbuf, (size_t)n);
	if (so->tail != NULL)
		so->tail->next = e;
	else
		so->head = e;
	so->tail = e;
	so->qlen++;
	if (so->unsent == NULL)
		so->unsent = e;
	/* Sent when the loop turn ends (on_prepare), with the others. */
	if (so->mode == SO_ON && !ev_is_active(&so->prep))
		ev_prepare_start(so->loop, &so->prep);
}

/*
 * Write-ahead stays correct across the jump: every event actually
 * emitted still waits for syncd's acknowledgement of its own seq (events
 * after the jump carry seq + 1, ...; syncd acks by the seq it was sent);
 * only the numbers between the last emitted event and seq, which no
 * event carries, are taken as committed -- at once when nothing is
 * unacknowledged, else when the queue empties (on_ack()).
 */
void
sync_out_seq_skip(struct sync_out *so, uint64_t seq)
{
	if (so == NULL || seq <= so->last_seq)
		return;
	so->last_seq = seq;
	if (so->mode == SO_OFF || so->head == NULL) {
		so->acked = seq;
		so->committed(so->arg);
	} else
		so->skip_to = seq;
}

uint64_t
sync_out_upto(const struct sync_out *so)
{
	return so == NULL || so->mode == SO_OFF ? UINT64_MAX : so->acked;
}

static void
kv_u64(struct wr *w, const char *key, uint64_t v)
{
	char	 buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	ctl_put_kv(w, key, buf);
}

void
sync_out_status(const struct sync_out *so, struct wr *w)
{
	if (so == NULL)
		return;
	ctl_put_kv(w, "sync_mode", mode_names[so->mode]);
	kv_u64(w, "sync_syncd_node", so->syncd_node);
	kv_u64(w, "sync_last_seq", so->last_seq);
	kv_u64(w, "sync_acked_seq", so->acked);
	kv_u64(w, "sync_unacked", so->qlen);
	kv_u64(w, "sync_sent", so->sent);
	kv_u64(w, "sync_writes", so->writes);
	kv_u64(w, "sync_acks", so->acks);
	kv_u64(w, "sync_connects", so->connects);
	kv_u64(w, "sync_not_replicated", so->not_replicated);
	kv_u64(w, "sync_encode_failed", so->encode_failed);
	kv_u64(w, "sync_commit_n", so->commit.n);
	kv_u64(w, "sync_commit_p50_us", lat_hist_quantile(&so->commit, 0.5));
	kv_u64(w, "sync_commit_p99_us", lat_hist_quantile(&so->commit, 0.99));
	kv_u64(w, "sync_commit_max_us", so->commit.max);
	kv_u64(w, "sync_wait_p50_us", lat_hist_quantile(&so->wait, 0.5));
	kv_u64(w, "sync_wait_p99_us", lat_hist_quantile(&so->wait, 0.99));
}
