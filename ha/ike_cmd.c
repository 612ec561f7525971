/*
 * ha/ike_cmd.c -- tell ikev2d that a VIP group is ours (CTL_ACTIVATE) or
 * no longer ours (CTL_STANDBY), over <rundir>/ikev2d.sock (all daemons
 * of a node share one run directory).
 *
 * Synchronous, with a 5 s deadline: at a takeover nothing else matters
 * more than ikev2d installing the group's SAs, and the role machine
 * wants the SAs in the kernel before the VIP draws traffic (its action
 * order).  A missing ikev2d or an error reply is logged loudly and
 * counted, and the role change goes on: the VIP still moves, because a
 * group with nobody on its VIP is worse than one whose SAs need
 * renegotiating.  ikev2d's reply lines (group, state, ike_sas,
 * child_sas, kernel_sas, fetch_ms, install_ms) are logged as they come.
 *
 * The watch: once a second, a group whose role ikev2d has not taken
 * (the request failed) is sent it again, and when ikev2d's pid file
 * names a new process -- ikev2d restarted, with every group on standby
 * -- every MASTER group is activated again (unclean: the restarted
 * ikev2d's counters come from syncd).  Nothing is tried while
 * <rundir>/ikev2d.sock does not exist, so a node without ikev2d (the
 * VRRP lab) only logs the first failure.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tandem/util.h"
#include "hamgrd.h"

#define IKE_CMD_TIMEOUT_MS	5000
#define IKE_WATCH_S		1.0
#define IKE_RETRY_MAX_S		30.0	/* back-off cap */

struct reply {
	char	 line[160];
	size_t	 used;
};

static void
on_reply(void *arg, const struct ctl_hdr *h, struct rd *tlvs)
{
	struct reply	*r = arg;
	struct ctl_tlv	 t;
	char		 k[64], v[128];
	int		 n;

	while (ctl_next(tlvs, &t) == 1) {
		if (t.tag != CTL_T_KV || ctl_kv(&t, k, sizeof(k), v,
		    sizeof(v)) != 0)
			continue;
		if (r->used >= sizeof(r->line))
			break;
		n = snprintf(r->line + r->used, sizeof(r->line) - r->used,
		    "%s%s=%s", r->used > 0 ? " " : "", k, v);
		if (n > 0)
			r->used += (size_t)n;
	}
}

int
ike_cmd(struct ha_group *g, bool activate, bool unclean)
{
	struct ctl_role_req	 req;
	struct reply		 r;
	struct wr		 w;
	uint8_t			 body[256];
	char			 path[PATH_MAX + 16], err[256];
	const char		*what = activate ? "ACTIVATE" : "STANDBY";

	memset(&req, 0, sizeof(req));
	snprintf(req.group, sizeof(req.group), "%s", g->cfg->name);
	if (activate && unclean)
		req.flags = CTL_RF_UNCLEAN;
	wr_init(&w, body, sizeof(body));
	ctl_put_role_args(&w, &req);
	snprintf(path, sizeof(path), "%s/ikev2d.sock", g->hd->d->rundir);
	memset(&r, 0, sizeof(r));
	if (w.bad || ctl_request_body(path, activate ? CTL_ACTIVATE :
	    CTL_STANDBY, body, w.len, IKE_CMD_TIMEOUT_MS, on_reply, &r, err,
	    sizeof(err)) == -1) {
		g->ike_fail++;
		snprintf(g->ike_last, sizeof(g->ike_last), "%s failed: %.140s",
		    what, w.bad ? "request too large" : err);
		g->ike_synced = false;
		/* The watch tries again: 1 s, doubling to 30 s. */
		g->ike_backoff = g->ike_backoff < IKE_WATCH_S ? IKE_WATCH_S :
		    g->ike_backoff * 2 > IKE_RETRY_MAX_S ? IKE_RETRY_MAX_S :
		    g->ike_backoff * 2;
		g->ike_next_try = ev_now(g->hd->d->loop) + g->ike_backoff;
		log_err("group %s: ikev2d %s%s FAILED: %s; %s", g->cfg->name,
		    what, unclean && activate ? " (unclean)" : "",
		    w.bad ? "request too large" : err, activate ?
		    "the VIP moves anyway" : "going on");
		return -1;
	}
	g->ike_ok++;
	g->ike_synced = true;
	g->ike_backoff = 0.0;
	snprintf(g->ike_last, sizeof(g->ike_last), "%s: %.140s", what,
	    r.used > 0 ? r.line : "ok");
	log_notice("group %s: ikev2d %s%s: %s", g->cfg->name, what,
	    unclean && activate ? " (unclean)" : "", r.used > 0 ? r.line :
	    "ok");
	return 0;
}

/* ikev2d's pid from its pid file, 0 if none. */
static long
ike_pid(const struct hamgrd *hd)
{
	char	 path[PATH_MAX + 16], buf[32];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "%s/ikev2d.pid", hd->d->rundir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static bool
ike_sock_exists(const struct hamgrd *hd)
{
	char		 path[PATH_MAX + 16];
	struct stat	 st;

	snprintf(path, sizeof(path), "%s/ikev2d.sock", hd->d->rundir);
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

static void
on_watch(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct hamgrd	*hd = container_of(w, struct hamgrd, ike_tmr);
	struct ha_group	*g;
	long		 pid = ike_pid(hd);
	size_t		 i;

	if (pid != 0 && pid != hd->ike_pid) {
		if (hd->ike_pid != 0)
			log_notice("ikev2d restarted (pid %ld, was %ld): "
			    "giving it the roles again", pid, hd->ike_pid);
		for (i = 0; i < hd->ngroups; i++)
			if (hd->groups[i].role == ROLE_MASTER) {
				hd->groups[i].ike_synced = false;
				hd->groups[i].ike_next_try = 0.0;
			}
	}
	hd->ike_pid = pid;
	if (!ike_sock_exists(hd))
		return;
	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		if (g->ike_synced || g->role == ROLE_INIT ||
		    ev_now(loop) < g->ike_next_try)
			continue;
		log_notice("group %s: telling ikev2d again: %s", g->cfg->name,
		    g->role == ROLE_MASTER ? "ACTIVATE" : "STANDBY");
		ike_cmd(g, g->role == ROLE_MASTER, true);
	}
}

void
ike_watch_start(struct hamgrd *hd)
{
	hd->ike_pid = ike_pid(hd);
	ev_timer_init(&hd->ike_tmr, on_watch, IKE_WATCH_S, IKE_WATCH_S);
	ev_timer_start(hd->d->loop, &hd->ike_tmr);
}

void
ike_watch_stop(struct hamgrd *hd)
{
	ev_timer_stop(hd->d->loop, &hd->ike_tmr);
}
