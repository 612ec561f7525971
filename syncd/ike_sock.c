/*
 * syncd/ike_sock.c -- syncd's edge toward ikev2d (issue 5, items 1, 2
 * and 5): the SEQPACKET socket syncd-ike.sock, credential check on
 * accept, SA events in (packs of one or more per datagram; each
 * multicast under a wal seq by loop.c), commit acknowledgements and the
 * SA reload stream out, queued per client under back-pressure (copies,
 * wiped: they hold keys).
 *
 * One job: this socket.  The ring, the database and the commit point
 * are loop.c's (syncd_mcast_event(), syncd_bulk_stream(),
 * syncd_commit_advance()).
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "tandem/cfg.h"
#include "tandem/daemon.h"
#include "tandem/log.h"
#include "tandem/sock.h"
#include "tandem/syncmsg.h"
#include "tandem/util.h"
#include "loop.h"

#define IKE_OUT_MAX	200000	/* datagrams queued to one ikev2d */

/* To ikev2d                                                            */

static void
ike_out_free(struct ike_out *o)
{
	OPENSSL_cleanse(o->buf, o->len);
	free(o);
}

static void	client_flush(struct ike_client *c);

static void
client_flush(struct ike_client *c)
{
	struct ike_out	*o;
	ssize_t		 n;

	while ((o = c->qhead) != NULL) {
		n = send(c->fd, o->buf, o->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ev_io_start(c->sd->d->loop, &c->wio);
			return;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			syncd_client_close(c, strerror(errno));
			return;
		}
		c->qhead = o->next;
		if (c->qhead == NULL)
			c->qtail = NULL;
		c->qlen--;
		ike_out_free(o);
	}
	ev_io_stop(c->sd->d->loop, &c->wio);
}

/* Queue one datagram to ikev2d (copied) and try to send. */
int
syncd_client_send(struct ike_client *c, const uint8_t *buf, size_t len)
{
	struct ike_out	*o;

	if (c->fd == -1)
		return -1;
	if (c->qlen >= IKE_OUT_MAX || (o = malloc(sizeof(*o) + len)) == NULL)
		return -1;
	o->next = NULL;
	o->len = len;
	memcpy(o->buf, buf, len);
	if (c->qtail != NULL)
		c->qtail->next = o;
	else
		c->qhead = o;
	c->qtail = o;
	c->qlen++;
	if (c->qlen == 1)
		client_flush(c);
	return 0;
}

void
syncd_client_ack(struct syncd *sd, struct ike_client *c, uint64_t ike_seq)
{
	struct sync_ack	 a;
	struct wr	 w;
	uint8_t		 b[64];

	memset(&a, 0, sizeof(a));
	a.node = 0;			/* "this node's syncd" (sync_out.h) */
	a.n = 1;
	a.e[0].node = sd->cpg.nodeid;
	a.e[0].seq = ike_seq;
	wr_init(&w, b, sizeof(b));
	if (syncmsg_encode_ack(&w, 0, 0, &a) < 0)
		return;
	c->acked_seq = ike_seq;
	(void)syncd_client_send(c, b, w.len);
}

/* ------------------------------------------------------------------ */
/* The ikev2d socket                                                    */

void
syncd_client_close(struct ike_client *c, const char *why)
{
	struct ike_out	*o;

	if (c->fd == -1)
		return;
	log_info("sync: ikev2d (pid %d) disconnected: %s", (int)c->pid, why);
	ev_io_stop(c->sd->d->loop, &c->rio);
	ev_io_stop(c->sd->d->loop, &c->wio);
	close(c->fd);
	c->fd = -1;
	while ((o = c->qhead) != NULL) {
		c->qhead = o->next;
		ike_out_free(o);
	}
	c->qtail = NULL;
	c->qlen = 0;
}

static void
client_event(struct syncd *sd, struct ike_client *c, struct sync_msg *m)
{
	if (syncd_mcast_event(sd, m, syncd_tag((size_t)(c - sd->cl), c->gen,
	    m->hdr.seq)) != 0)
		c->events++;
}

/*
 * ikev2d asks for the SAs (BULK_BEGIN: a fetch, or with live the live
 * stream's subscription) or for a barrier of its live stream (BULK_END).
 * Both take everything corosync delivered first (syncd_cpg_drain()).
 */
static void
client_sas(struct syncd *sd, struct ike_client *c, uint8_t type, bool live)
{
	syncmsg_wipe(&sd->m);		/* the scratch is the ring's now */
	syncd_cpg_drain(sd);
	if (c->fd == -1)
		return;
	if (type == SYNC_BULK_BEGIN) {
		log_info("sync: ikev2d (pid %d) asks for its SAs%s: %u "
		    "record(s) sent", (int)c->pid, live ? " and the live "
		    "stream" : "", syncd_bulk_stream(sd, c));
		/* from now on: nothing applied is missed */
		if (c->fd != -1 && live)
			c->live = true;
		return;
	}
	/* a standby's barrier: echoed behind what it was sent */
	if (c->live)
		syncd_live_barrier(sd, c);
	else if (syncd_drop(sd, SD_IKE_TYPE))
		log_warn("sync: from ikev2d: a barrier outside the live "
		    "stream");
}

/* One message of an ikev2d's datagram. */
static void
client_msg(struct syncd *sd, struct ike_client *c, const uint8_t *buf,
    size_t len)
{
	struct sync_msg	*m = &sd->m;
	int		 rc;

	if ((rc = syncmsg_decode(buf, len, m)) != 0) {
		if (syncd_drop(sd, SD_IKE_DECODE))
			log_warn("sync: from ikev2d: %s", syncmsg_err_name(rc));
		return;
	}
	if (m->hdr.type == SYNC_BULK_BEGIN || m->hdr.type == SYNC_BULK_END) {
		client_sas(sd, c, m->hdr.type,
		    (m->hdr.flags & SYNC_F_LIVE) != 0);
		return;
	}
	switch (m->hdr.type) {
	case SYNC_IKE_UP:
	case SYNC_IKE_DOWN:
	case SYNC_IKE_MID:
	case SYNC_CHILD_UP:
	case SYNC_CHILD_DOWN:
		client_event(sd, c, m);
		break;
	default:
		if (syncd_drop(sd, SD_IKE_TYPE))
			log_warn("sync: from ikev2d: %s not taken",
			    syncmsg_type_name(m->hdr.type));
		break;
	}
	syncmsg_wipe(m);
}

/*
 * A datagram from ikev2d is a pack: one or more messages, each as long as
 * its header says (sync_out.c sends a loop turn's events together).  A
 * length that does not fit drops the rest of the datagram.  The pack has
 * keys: wiped once split (sd->buf is the encoder's, hence sd->ibuf).
 */
static void
on_client_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ike_client	*c = container_of(w, struct ike_client, rio);
	struct syncd		*sd = c->sd;
	const uint8_t		*p;
	ssize_t			 n;
	size_t			 left;
	long			 l;
	int			 i;

	for (i = 0; i < 64 && c->fd != -1; i++) {
		n = recv(c->fd, sd->ibuf, sizeof(sd->ibuf), MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			syncd_client_close(c, n == 0 ? "closed" : strerror(errno));
			break;
		}
		for (p = sd->ibuf, left = (size_t)n; left > 0 && c->fd != -1;
		    p += l, left -= (size_t)l) {
			if ((l = syncmsg_frame_len(p, left)) == -1) {
				if (syncd_drop(sd, SD_IKE_DECODE))
					log_warn("sync: from ikev2d: %zu "
					    "byte(s) of a datagram dropped: "
					    "bad length", left);
				break;
			}
			client_msg(sd, c, p, (size_t)l);
		}
		OPENSSL_cleanse(sd->ibuf, (size_t)n);
	}
	/* Members may have left: with no one to wait for, commit now. */
	syncd_commit_advance(sd);
}

static void
on_client_write(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ike_client	*c = container_of(w, struct ike_client, wio);

	client_flush(c);
}

static void
on_ike_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct syncd		*sd = container_of(w, struct syncd, ike_lio);
	struct ike_client	*c = NULL;
	uid_t			 uid;
	pid_t			 pid;
	size_t			 i;
	int			 fd;

	if ((fd = sock_accept(sd->ike_lfd)) == -1)
		return;
	if (!sock_peer_ok(fd, sd->ike_gid, &uid, &pid)) {
		if (syncd_drop(sd, SD_IKE_DENIED))
			log_warn("sync: ikev2d socket: uid %u (pid %d) "
			    "refused", (unsigned)uid, (int)pid);
		close(fd);
		return;
	}
	for (i = 0; i < SYNCD_IKE_CLIENTS; i++)
		if (sd->cl[i].fd == -1) {
			c = &sd->cl[i];
			break;
		}
	if (c == NULL) {
		if (syncd_drop(sd, SD_IKE_FULL))
			log_warn("sync: ikev2d socket: no free slot");
		close(fd);
		return;
	}
	c->fd = fd;
	c->pid = pid;
	c->gen = ++sd->client_gen;
	c->events = c->acked_seq = 0;
	c->live = false;
	ev_io_init(&c->rio, on_client_read, fd, EV_READ);
	ev_io_init(&c->wio, on_client_write, fd, EV_WRITE);
	ev_io_start(loop, &c->rio);
	log_info("sync: ikev2d connected (pid %d, uid %u)", (int)pid,
	    (unsigned)uid);
}

int
syncd_ike_listen(struct syncd *sd)
{
	const char	*gname = sd->d->cfg->sync.socket_group;
	struct group	*gr;
	char		 path[PATH_MAX];

	sd->ike_gid = (gid_t)-1;
	if (gname[0] != '\0') {
		/* Fail closed but run: root only until the group exists. */
		if ((gr = getgrnam(gname)) == NULL)
			log_err("sync: socket_group %s: no such group: %s "
			    "accepts root only (restart syncd once the group "
			    "exists)", gname, SYNCD_IKE_SOCK);
		else
			sd->ike_gid = gr->gr_gid;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", sd->d->rundir,
	    SYNCD_IKE_SOCK) >= 108) {
		log_err("sync: %s/%s: path too long", sd->d->rundir,
		    SYNCD_IKE_SOCK);
		return -1;
	}
	if ((sd->ike_lfd = sock_listen(path)) == -1) {
		log_err("sync: listen on %s: %m", path);
		return -1;
	}
	if (sd->ike_gid != (gid_t)-1 && chown(path, (uid_t)-1,
	    sd->ike_gid) == -1)
		log_warn("sync: chown %s to group %s: %m", path, gname);
	ev_io_init(&sd->ike_lio, on_ike_accept, sd->ike_lfd, EV_READ);
	ev_io_start(sd->d->loop, &sd->ike_lio);
	return 0;
}
