/*
 * ha/track_io.c -- the trackers' inputs (ha/track.h holds the counting):
 *
 * - interfaces, from rtnetlink link events (RTM_NEWLINK / RTM_DELLINK on
 *   RTNLGRP_LINK): up means IFF_UP and IFF_RUNNING (carrier); the
 *   group's own interface is tracker 0 with weight 0, as keepalived
 *   tracks a VRRP instance's interface implicitly: without it the group
 *   is in FAULT.  A missing interface is a failed one.
 * - address events (RTNLGRP_IPV4_IFADDR / _IPV6_IFADDR) refresh the
 *   source addresses of the group's adverts.
 * - scripts, run every interval with a timeout (fork + exec, ev_child),
 *   exit 0 = success; results counted by track_result() (rise/fall).
 *
 * The netlink socket is non-blocking on the loop.  On ENOBUFS (events
 * lost) every interface is looked up again.
 */
#include <errno.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "tandem/util.h"
#include "hamgrd.h"

struct ha_script {
	struct ha_group		*g;
	size_t			 idx;		/* in g->tracks */
	const struct cfg_track_script *cfg;
	ev_timer		 every, timeout;
	ev_child		 child;
	pid_t			 pid;		/* 0: not running */
	bool			 timed_out;
	uint64_t		 runs;
};

static struct mnl_socket *mon;

/* up = IFF_UP and IFF_RUNNING, by ioctl (start-up and resync). */
static bool
if_up_now(const char *name, int *ifindex)
{
	struct ifreq	 ifr;
	int		 fd;
	bool		 up = false;

	*ifindex = (int)if_nametoindex(name);
	if (*ifindex == 0)
		return false;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	close(fd);
	return up;
}

/* The group's interface changed (index, state): sockets and tracker. */
static void
group_link(struct ha_group *g, int ifindex, bool up)
{
	bool	 changed;

	if (ifindex != g->ifindex) {
		log_notice("group %s: interface %s %s", g->cfg->name,
		    g->cfg->interface, ifindex != 0 ? "appeared" :
		    "is gone");
		vrrp_io_close(g);
		g->ifindex = ifindex;
		if (ifindex != 0)
			(void)vrrp_io_open(g);
	}
	if (up != g->if_running)
		log_notice("group %s: interface %s %s", g->cfg->name,
		    g->cfg->interface, up ? "up" : "down");
	g->if_running = up;
	changed = track_result(&g->tracks[0], up);
	if (changed && up && g->ifindex != 0)
		vrrp_io_refresh(g);
}

static void
link_event(struct hamgrd *hd, const char *name, int ifindex, bool up)
{
	struct ha_group	*g;
	size_t		 i, j;
	bool		 hit;

	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		hit = false;
		if (strcmp(g->cfg->interface, name) == 0) {
			group_link(g, ifindex, up);
			hit = true;
		}
		for (j = 0; j < g->cfg->ntrack_ifs; j++)
			if (strcmp(g->cfg->track_ifs[j].name, name) == 0) {
				if (track_result(&g->tracks[1 + j], up))
					log_notice("group %s: tracked "
					    "interface %s %s", g->cfg->name,
					    name, up ? "up" : "down");
				hit = true;
			}
		if (hit)
			ha_group_track(g);
	}
}

static void
resync_all(struct hamgrd *hd)
{
	struct ha_group	*g;
	size_t		 i, j;
	int		 ifi;
	bool		 up;

	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		up = if_up_now(g->cfg->interface, &ifi);
		link_event(hd, g->cfg->interface, ifi, up);
		for (j = 0; j < g->cfg->ntrack_ifs; j++) {
			up = if_up_now(g->cfg->track_ifs[j].name, &ifi);
			link_event(hd, g->cfg->track_ifs[j].name, ifi, up);
		}
	}
}

struct attrs {
	const char	*name;
};

static int
link_attr(const struct nlattr *a, void *arg)
{
	struct attrs	*at = arg;

	if (mnl_attr_get_type(a) == IFLA_IFNAME &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		at->name = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

static int
on_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct hamgrd		*hd = arg;
	const struct ifinfomsg	*ifi;
	const struct ifaddrmsg	*ifa;
	struct attrs		 at = { NULL };
	size_t			 i;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
			return MNL_CB_OK;
		ifi = mnl_nlmsg_get_payload(nlh);
		if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr, &at) !=
		    MNL_CB_OK || at.name == NULL)
			return MNL_CB_OK;
		if (nlh->nlmsg_type == RTM_DELLINK)
			link_event(hd, at.name, 0, false);
		else
			link_event(hd, at.name, ifi->ifi_index,
			    (ifi->ifi_flags & IFF_UP) &&
			    (ifi->ifi_flags & IFF_RUNNING));
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
			return MNL_CB_OK;
		ifa = mnl_nlmsg_get_payload(nlh);
		for (i = 0; i < hd->ngroups; i++)
			if (hd->groups[i].ifindex == (int)ifa->ifa_index)
				vrrp_io_refresh(&hd->groups[i]);
		break;
	}
	return MNL_CB_OK;
}

static void
on_nl(struct ev_loop *loop, ev_io *w, int revents)
{
	struct hamgrd	*hd = container_of(w, struct hamgrd, nl_io);
	uint8_t		 buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t		 n;

	while ((n = recv(hd->nl_fd, buf, sizeof(buf), MSG_DONTWAIT)) != 0) {
		if (n < 0) {
			if (errno == ENOBUFS) {
				hd->nl_err++;
				log_warn("rtnetlink: events lost, looking "
				    "again");
				resync_all(hd);
				continue;
			}
			return;		/* EAGAIN */
		}
		/* Multicast: no sequence or port to check. */
		if (mnl_cb_run(buf, (size_t)n, 0, 0, on_msg, hd) ==
		    MNL_CB_ERROR)
			hd->nl_err++;
	}
}

int
track_io_start(struct hamgrd *hd)
{
	unsigned int	 groups = (1u << (RTNLGRP_LINK - 1)) |
			    (1u << (RTNLGRP_IPV4_IFADDR - 1)) |
			    (1u << (RTNLGRP_IPV6_IFADDR - 1));

	if ((mon = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(mon, groups, MNL_SOCKET_AUTOPID) == -1) {
		log_err("rtnetlink monitor: %m");
		return -1;
	}
	hd->nl_fd = mnl_socket_get_fd(mon);
	ev_io_init(&hd->nl_io, on_nl, hd->nl_fd, EV_READ);
	ev_io_start(hd->d->loop, &hd->nl_io);
	return 0;
}

void
track_io_stop(struct hamgrd *hd)
{
	if (mon == NULL)
		return;
	ev_io_stop(hd->d->loop, &hd->nl_io);
	mnl_socket_close(mon);
	mon = NULL;
	hd->nl_fd = -1;
}

/* --- scripts ----------------------------------------------------------- */

static void
script_result(struct ha_script *s, bool ok, const char *how)
{
	struct ha_group	*g = s->g;

	if (track_result(&g->tracks[s->idx], ok))
		log_notice("group %s: tracked script %s now %s (%s)",
		    g->cfg->name, s->cfg->path,
		    track_state_name(g->tracks[s->idx].st), how);
	ha_group_track(g);
}

static void
on_script_exit(struct ev_loop *loop, ev_child *w, int revents)
{
	struct ha_script	*s = container_of(w, struct ha_script, child);
	int			 st = w->rstatus;
	char			 how[48];

	ev_child_stop(loop, w);
	ev_timer_stop(loop, &s->timeout);
	s->pid = 0;
	if (s->timed_out)
		snprintf(how, sizeof(how), "timed out");
	else if (WIFEXITED(st))
		snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(st));
	else
		snprintf(how, sizeof(how), "signal %d", WTERMSIG(st));
	script_result(s, !s->timed_out && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0, how);
}

static void
on_script_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_script	*s = container_of(w, struct ha_script, timeout);

	if (s->pid > 0) {
		s->timed_out = true;
		kill(s->pid, SIGKILL);
	}
}

static void
on_script_every(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_script	*s = container_of(w, struct ha_script, every);
	pid_t			 pid;

	if (s->pid > 0)
		return;		/* timeout <= interval: being killed */
	if ((pid = fork()) == -1) {
		script_result(s, false, "fork failed");
		return;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		execl(s->cfg->path, s->cfg->path, (char *)NULL);
		_exit(127);
	}
	s->pid = pid;
	s->timed_out = false;
	s->runs++;
	ev_child_set(&s->child, pid, 0);
	ev_child_start(loop, &s->child);
	ev_timer_set(&s->timeout, s->cfg->timeout_ms / 1000.0, 0.0);
	ev_timer_start(loop, &s->timeout);
}

int
track_io_group_init(struct ha_group *g)
{
	const struct cfg_group	*c = g->cfg;
	struct ha_script	*s;
	size_t			 i, k;
	int			 ifi;
	bool			 up;

	g->ntracks = 1 + c->ntrack_ifs + c->ntrack_scripts;
	if ((g->tracks = calloc(g->ntracks, sizeof(*g->tracks))) == NULL)
		return -1;
	track_init(&g->tracks[0], 0, 1, 1);
	up = if_up_now(c->interface, &ifi);
	g->ifindex = ifi;
	g->if_running = up;
	track_result(&g->tracks[0], up);
	if (ifi == 0)
		log_warn("group %s: no interface %s (FAULT until it appears)",
		    c->name, c->interface);
	for (i = 0; i < c->ntrack_ifs; i++) {
		k = 1 + i;
		track_init(&g->tracks[k], c->track_ifs[i].weight, 1, 1);
		track_result(&g->tracks[k], if_up_now(c->track_ifs[i].name,
		    &ifi));
	}
	if (c->ntrack_scripts == 0)
		return 0;
	if ((g->scripts = calloc(c->ntrack_scripts,
	    sizeof(*g->scripts))) == NULL)
		return -1;
	for (i = 0; i < c->ntrack_scripts; i++) {
		k = 1 + c->ntrack_ifs + i;
		s = &g->scripts[i];
		s->g = g;
		s->idx = k;
		s->cfg = &c->track_scripts[i];
		track_init(&g->tracks[k], s->cfg->weight, s->cfg->rise,
		    s->cfg->fall);
		ev_child_init(&s->child, on_script_exit, 0, 0);
		ev_timer_init(&s->timeout, on_script_timeout, 0.0, 0.0);
		/* First run at once, then every interval. */
		ev_timer_init(&s->every, on_script_every, 0.0,
		    s->cfg->interval_ms / 1000.0);
		ev_timer_start(g->hd->d->loop, &s->every);
	}
	return 0;
}

void
track_io_group_fini(struct ha_group *g)
{
	struct ev_loop	*loop = g->hd->d->loop;
	size_t		 i;

	for (i = 0; g->scripts != NULL && i < g->cfg->ntrack_scripts; i++) {
		ev_timer_stop(loop, &g->scripts[i].every);
		ev_timer_stop(loop, &g->scripts[i].timeout);
		ev_child_stop(loop, &g->scripts[i].child);
		if (g->scripts[i].pid > 0)
			kill(g->scripts[i].pid, SIGKILL);
	}
	free(g->scripts);
	g->scripts = NULL;
	free(g->tracks);
	g->tracks = NULL;
	g->ntracks = 0;
}

/* After a reload: the scripts' settings from the new configuration. */
void
track_io_reload(struct ha_group *g)
{
	size_t	 i;

	for (i = 0; g->scripts != NULL && i < g->cfg->ntrack_scripts; i++) {
		g->scripts[i].cfg = &g->cfg->track_scripts[i];
		g->scripts[i].every.repeat =
		    g->scripts[i].cfg->interval_ms / 1000.0;
	}
}
