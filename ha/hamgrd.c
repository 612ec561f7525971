/*
 * ha/hamgrd.c -- the HA role manager's entry point: the description
 * handed to the shared daemon frame (lib/daemon.c) and its hooks, which
 * hand over to loop.c (roles), hamgrd_ctl.c (control socket).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "tandem/daemon.h"
#include "hamgrd.h"

static struct hamgrd	 hamgrd;

#define HAMGRD_RT_PRIO	10	/* SCHED_RR: above every SCHED_OTHER task */

/*
 * With adverts every 10 cs the master-down time is about 0.35 s: a
 * hamgrd that the scheduler starves, or that waits for a page to come
 * back from swap, for a third of a second lets its peer take over while
 * it still holds the VIPs -- two masters until the next advert.  So, as
 * keepalived does, hamgrd runs with a real-time priority (reset in the
 * children it forks: notify and track scripts) and locked memory.  Where
 * that is not allowed (no CAP_SYS_NICE / CAP_IPC_LOCK) it goes on, and
 * says so.
 */
static void
realtime(void)
{
	struct sched_param	 sp = { .sched_priority = HAMGRD_RT_PRIO };

	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) == -1)
		log_warn("hamgrd: no real-time priority (%s): adverts may be "
		    "late under load", strerror(errno));
	if (mlockall(MCL_CURRENT | MCL_FUTURE) == -1)
		log_warn("hamgrd: memory not locked (%s): a page-in may "
		    "delay adverts", strerror(errno));
}

static int
hamgrd_start(struct daemon *d)
{
	size_t	 i;

	realtime();
	memset(&hamgrd, 0, sizeof(hamgrd));
	hamgrd.d = d;
	d->priv = &hamgrd;
	if (ha_loop_start(&hamgrd) == -1) {
		/* The frame calls no stop after a failed start, and the
		 * macvlans made so far would outlive us. */
		for (i = 0; hamgrd.groups != NULL && i < hamgrd.ngroups; i++)
			vmac_stop(&hamgrd.groups[i]);
		return 1;
	}
	return 0;
}

static void
hamgrd_stop(struct daemon *d)
{
	ha_loop_stop(&hamgrd);
	d->priv = NULL;
}

static bool
same_addr(const struct cfg_addr *a, const struct cfg_addr *b)
{
	return a->family == b->family && a->plen == b->plen &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* What a reload may not change under a running role machine. */
static bool
same_shape(const struct cfg_group *a, const struct cfg_group *b)
{
	size_t	 i;

	if (strcmp(a->name, b->name) != 0 || a->vrid != b->vrid ||
	    strcmp(a->interface, b->interface) != 0 ||
	    a->nvips != b->nvips || a->ntrack_ifs != b->ntrack_ifs ||
	    a->ntrack_scripts != b->ntrack_scripts ||
	    a->use_vmac != b->use_vmac ||
	    strcmp(a->vmac_name, b->vmac_name) != 0)
		return false;
	for (i = 0; i < a->nvips; i++)
		if (!same_addr(&a->vips[i], &b->vips[i]) ||
		    strcmp(a->vip_ifs[i], b->vip_ifs[i]) != 0)
			return false;
	for (i = 0; i < a->ntrack_ifs; i++)
		if (strcmp(a->track_ifs[i].name, b->track_ifs[i].name) != 0)
			return false;
	for (i = 0; i < a->ntrack_scripts; i++)
		if (strcmp(a->track_scripts[i].path,
		    b->track_scripts[i].path) != 0)
			return false;
	return true;
}

/*
 * Priorities, preempt, intervals, GARP, notify and tracker weights are
 * taken on SIGHUP; groups, VRIDs, interfaces, VIPs and the trackers'
 * identity need a restart (the VIPs would otherwise be orphaned).
 */
static int
hamgrd_reload(struct daemon *d, struct tnd_cfg *next)
{
	struct ha_group	*g;
	size_t		 i, j, k;

	if (next->ha.ngroups != hamgrd.ngroups) {
		log_err("reload: the set of VIP groups changed: restart "
		    "hamgrd for that");
		return -1;
	}
	for (i = 0; i < hamgrd.ngroups; i++)
		if (!same_shape(hamgrd.groups[i].cfg, &next->ha.groups[i])) {
			log_err("reload: group %s: vrid, interface, VIPs or "
			    "trackers changed: restart hamgrd for that",
			    hamgrd.groups[i].cfg->name);
			return -1;
		}
	for (i = 0; i < hamgrd.ngroups; i++) {
		g = &hamgrd.groups[i];
		g->cfg = &next->ha.groups[i];
		g->in.preempt = g->cfg->preempt && !g->yielded;
		g->in.preempt_delay_cs = g->cfg->preempt_delay_s * 100;
		g->in.adver_cs = g->cfg->advert_interval_cs;
		for (j = 0; j < g->cfg->ntrack_ifs; j++)
			g->tracks[1 + j].weight = g->cfg->track_ifs[j].weight;
		for (j = 0; j < g->cfg->ntrack_scripts; j++) {
			k = 1 + g->cfg->ntrack_ifs + j;
			g->tracks[k].weight = g->cfg->track_scripts[j].weight;
			g->tracks[k].rise = g->cfg->track_scripts[j].rise;
			g->tracks[k].fall = g->cfg->track_scripts[j].fall;
		}
		track_io_reload(g);
		if (g->advert_tmr.repeat > 0.0)
			g->advert_tmr.repeat = g->cfg->advert_interval_cs /
			    100.0;
		ha_garp_refresh_arm(g);
		ha_group_track(g);
	}
	return 0;
}

static const struct daemon_desc hamgrd_desc = {
	.name = "hamgrd",
	.summary =
"Tandem's HA role manager: decides which node is MASTER for each VIP group\n"
"of the ha section of tandem.conf, moves the virtual addresses and tells\n"
"ikev2d which SAs to activate.",
	.help =
"Each VIP group runs one VRRPv3 instance (RFC 5798) on its interface;\n"
"corosync membership (CPG group <sync.cpg_group>-ha) adds the cluster's\n"
"view and planned handovers.  Without corosync, VRRP alone decides.\n"
"\n"
"Files:\n"
"  <rundir>/hamgrd.pid    pid file, locked while the daemon runs\n"
"  <rundir>/hamgrd.sock   control socket (haadm; root or the daemon's user)\n"
"  <rundir>/ikev2d.sock   ikev2d's, told ACTIVATE / STANDBY per group\n",
	.start = hamgrd_start,
	.stop = hamgrd_stop,
	.reload = hamgrd_reload,
	.status = hamgrd_status,
	.request = hamgrd_request,
};

int
main(int argc, char **argv)
{
	return daemon_main(&hamgrd_desc, argc, argv);
}
