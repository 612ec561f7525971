/*
 * lib/ctl_io.c -- the control socket of every daemon (server side, on the
 * daemon's libev loop) and the blocking client haadm uses.
 *
 * Requests and replies are ctlmsg.h datagrams.  Connections are checked
 * with SO_PEERCRED when accepted; malformed requests are counted, answered
 * with an error where possible and never crash the daemon.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tandem/ctlmsg.h"
#include "tandem/daemon.h"
#include "tandem/log.h"
#include "tandem/sock.h"
#include "tandem/util.h"

static uint8_t	 ctl_buf[CTL_MAX_LEN];	/* one request at a time */
static uint8_t	 ctl_out[CTL_MAX_LEN];

static void
conn_close(struct ctl_conn *c)
{
	if (c->fd == -1)
		return;
	ev_io_stop(c->d->loop, &c->io);
	close(c->fd);
	c->fd = -1;
}

static void
reply_error(struct wr *w, uint8_t type, uint32_t id, const char *why)
{
	wr_init(w, ctl_out, sizeof(ctl_out));
	ctl_begin(w, type | CTL_REPLY, CTL_F_ERROR, id);
	ctl_put(w, CTL_T_ERROR, why, strlen(why));
}

static void
reply_status(struct daemon *d, struct wr *w, uint32_t id)
{
	char	 num[32];

	wr_init(w, ctl_out, sizeof(ctl_out));
	ctl_begin(w, CTL_STATUS | CTL_REPLY, 0, id);
	ctl_put_kv(w, "daemon", d->desc->name);
	ctl_put_kv(w, "version", TANDEM_VERSION);
	snprintf(num, sizeof(num), "%ld", (long)getpid());
	ctl_put_kv(w, "pid", num);
	snprintf(num, sizeof(num), "%.0f",
	    ev_now(d->loop) - (double)d->started_ms / 1000);
	ctl_put_kv(w, "uptime_s", num);
	ctl_put_kv(w, "config", d->config_path);
	ctl_put_kv(w, "rundir", d->rundir);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)d->reloads);
	ctl_put_kv(w, "reloads", num);
	snprintf(num, sizeof(num), "%llu",
	    (unsigned long long)(d->ctl_bad + d->ctl_denied));
	ctl_put_kv(w, "ctl_drops", num);
	if (d->desc->status != NULL)
		d->desc->status(d, w);
}

static int
send_fd(void *arg, const uint8_t *msg, size_t len)
{
	int	 fd = *(int *)arg;

	return send(fd, msg, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static void
on_request(struct ev_loop *loop, ev_io *io, int revents)
{
	struct ctl_conn	*c = container_of(io, struct ctl_conn, io);
	struct daemon	*d = c->d;
	struct ctl_hdr	 h;
	struct rd	 tlvs;
	struct wr	 w;
	ssize_t		 n;
	long		 len;
	int		 rc;

	n = recv(c->fd, ctl_buf, sizeof(ctl_buf), MSG_TRUNC);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	if ((size_t)n > sizeof(ctl_buf) ||
	    (rc = ctl_decode(ctl_buf, (size_t)n, &h, &tlvs)) != 0) {
		d->ctl_bad++;
		log_warn("ctl: dropped %zd-byte request: %s", n,
		    (size_t)n > sizeof(ctl_buf) ? "too long" :
		    ctl_err_name(rc));
		conn_close(c);
		return;
	}
	switch (h.type) {
	case CTL_PING:
		wr_init(&w, ctl_out, sizeof(ctl_out));
		ctl_begin(&w, CTL_PING | CTL_REPLY, 0, h.id);
		break;
	case CTL_STATUS:
		reply_status(d, &w, h.id);
		break;
	default:
		if (d->desc->request != NULL) {
			struct ctl_reply r;

			ctl_reply_init(&r, ctl_out, sizeof(ctl_out), h.type,
			    h.id, send_fd, &c->fd);
			if (d->desc->request(d, &h, &tlvs, &r) == 0) {
				if (ctl_reply_end(&r) == -1)
					conn_close(c);
				return;
			}
		}
		d->ctl_bad++;
		reply_error(&w, h.type, h.id, "unknown request type");
		break;
	}
	if ((len = ctl_finish(&w)) == -1) {
		reply_error(&w, h.type, h.id, "reply too large");
		len = ctl_finish(&w);
	}
	if (send(c->fd, ctl_out, (size_t)len, MSG_NOSIGNAL) != len)
		conn_close(c);
}

static void
on_accept(struct ev_loop *loop, ev_io *io, int revents)
{
	struct daemon	*d = container_of(io, struct daemon, ctl_listen);
	struct ctl_conn	*c = NULL;
	uid_t		 uid;
	pid_t		 pid;
	size_t		 i;
	int		 fd;

	if ((fd = sock_accept(d->ctl_fd)) == -1)
		return;
	if (!sock_peer_ok(fd, (gid_t)-1, &uid, &pid)) {
		d->ctl_denied++;
		log_warn("ctl: refused connection from uid %u pid %ld",
		    (unsigned)uid, (long)pid);
		close(fd);
		return;
	}
	for (i = 0; i < nitems(d->clients); i++)
		if (d->clients[i].fd == -1) {
			c = &d->clients[i];
			break;
		}
	if (c == NULL) {
		d->ctl_denied++;
		log_warn("ctl: %zu clients connected, refusing pid %ld",
		    nitems(d->clients), (long)pid);
		close(fd);
		return;
	}
	c->fd = fd;
	c->d = d;
	ev_io_init(&c->io, on_request, fd, EV_READ);
	ev_io_start(loop, &c->io);
}

int
ctl_server_start(struct daemon *d)
{
	size_t	 i;

	for (i = 0; i < nitems(d->clients); i++)
		d->clients[i].fd = -1;
	if ((d->ctl_fd = sock_listen(d->ctlpath)) == -1) {
		log_err("ctl: %s: %s", d->ctlpath, strerror(errno));
		return -1;
	}
	ev_io_init(&d->ctl_listen, on_accept, d->ctl_fd, EV_READ);
	ev_io_start(d->loop, &d->ctl_listen);
	return 0;
}

void
ctl_server_stop(struct daemon *d)
{
	size_t	 i;

	if (d->ctl_fd == -1)
		return;
	for (i = 0; i < nitems(d->clients); i++)
		conn_close(&d->clients[i]);
	ev_io_stop(d->loop, &d->ctl_listen);
	close(d->ctl_fd);
	d->ctl_fd = -1;
	unlink(d->ctlpath);
}

int
ctl_request(const char *path, uint8_t type, int timeout_ms,
    void (*fn)(void *arg, const struct ctl_hdr *h, struct rd *tlvs),
    void *arg, char *err, size_t errlen)
{
	return ctl_request_body(path, type, NULL, 0, timeout_ms, fn, arg, err,
	    errlen);
}

int
ctl_request_body(const char *path, uint8_t type, const uint8_t *body,
    size_t bodylen, int timeout_ms,
    void (*fn)(void *arg, const struct ctl_hdr *h, struct rd *tlvs),
    void *arg, char *err, size_t errlen)
{
	static uint8_t	 buf[CTL_MAX_LEN];
	struct pollfd	 pfd;
	struct ctl_hdr	 h;
	struct ctl_tlv	 t;
	struct rd	 tlvs, scan;
	struct wr	 w;
	uint8_t		 req[CTL_HDR_LEN + 256];
	ssize_t		 n;
	long		 len;
	int		 fd, rc, ret = -1;
	uint32_t	 id = (uint32_t)getpid();

	wr_init(&w, req, sizeof(req));
	ctl_begin(&w, type, 0, id);
	if (bodylen > 0)
		wr_bytes(&w, body, bodylen);
	if ((len = ctl_finish(&w)) == -1) {
		snprintf(err, errlen, "%s: request too large", path);
		return -1;
	}
	if ((fd = sock_connect(path)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (send(fd, req, (size_t)len, MSG_NOSIGNAL) != len) {
		snprintf(err, errlen, "%s: send: %s", path, strerror(errno));
		goto done;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, timeout_ms) <= 0) {
			snprintf(err, errlen, "%s: no reply within %d ms",
			    path, timeout_ms);
			goto done;
		}
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n <= 0 || (size_t)n > sizeof(buf)) {
			snprintf(err, errlen, "%s: %s", path, n == 0 ?
			    "closed" : n < 0 ? strerror(errno) :
			    "reply too large");
			goto done;
		}
		if ((rc = ctl_decode(buf, (size_t)n, &h, &tlvs)) != 0 ||
		    h.type != (type | CTL_REPLY) || h.id != id) {
			snprintf(err, errlen, "%s: bad reply: %s", path,
			    rc != 0 ? ctl_err_name(rc) : "wrong type or id");
			goto done;
		}
		if (h.flags & CTL_F_ERROR) {
			scan = tlvs;
			snprintf(err, errlen, "%s: request failed", path);
			while (ctl_next(&scan, &t) == 1)
				if (t.tag == CTL_T_ERROR)
					snprintf(err, errlen, "%s: %.*s", path,
					    (int)t.len, (const char *)t.val);
			goto done;
		}
		fn(arg, &h, &tlvs);
		if (!(h.flags & CTL_F_MORE))
			break;
	}
	ret = 0;
 done:
	close(fd);
	return ret;
}

long
ctl_call(const char *path, uint8_t type, uint8_t *buf, size_t cap,
    int timeout_ms, char *err, size_t errlen)
{
	struct pollfd	 pfd;
	struct ctl_hdr	 h;
	struct rd	 tlvs;
	struct wr	 w;
	uint8_t		 req[CTL_HDR_LEN];
	ssize_t		 n;
	long		 len, ret = -1;
	int		 fd, rc;

	if ((fd = sock_connect(path)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	wr_init(&w, req, sizeof(req));
	ctl_begin(&w, type, 0, (uint32_t)getpid());
	len = ctl_finish(&w);
	if (send(fd, req, (size_t)len, MSG_NOSIGNAL) != len) {
		snprintf(err, errlen, "%s: send: %s", path, strerror(errno));
		goto done;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if ((rc = poll(&pfd, 1, timeout_ms)) <= 0) {
		snprintf(err, errlen, "%s: no reply within %d ms", path,
		    timeout_ms);
		goto done;
	}
	if ((n = recv(fd, buf, cap, MSG_TRUNC)) <= 0 || (size_t)n > cap) {
		snprintf(err, errlen, "%s: %s", path, n == 0 ? "closed" :
		    n < 0 ? strerror(errno) : "reply too large");
		goto done;
	}
	if ((rc = ctl_decode(buf, (size_t)n, &h, &tlvs)) != 0 ||
	    h.type != (type | CTL_REPLY)) {
		snprintf(err, errlen, "%s: bad reply: %s", path,
		    rc != 0 ? ctl_err_name(rc) : "wrong type");
		goto done;
	}
	ret = n;
 done:
	close(fd);
	return ret;
}
