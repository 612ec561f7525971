/*
 * ha/loop.c -- hamgrd's edge: one role machine per VIP group, driven as
 * ha/role_fsm.h prescribes (fill struct role_in, role_step(), copy the
 * memory back with role_in_update(), run the actions in bit order, one
 * log line per transition), and the libev timers it asks for.
 *
 * Inputs arrive from vrrp_io.c (adverts), track_io.c (links, scripts),
 * ha_cpg.c (membership, peers' states, handovers) and hamgrd_ctl.c
 * (failover, maintenance).  Every one of them ends in ha_group_event().
 *
 * Activations are timed from the decision (role_step) to the end of the
 * actions (ikev2d answered, VIPs added, first GARP and advert sent):
 * `haadm status` shows it, the lab measures takeovers with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tandem/util.h"
#include "ha_view.h"
#include "hamgrd.h"

_Static_assert((int)HAMSG_ROLE_MASTER == (int)ROLE_MASTER &&
    (int)HAMSG_ROLE_FAULT == (int)ROLE_FAULT &&
    (int)HAMSG_ROLE_MAX == (int)ROLE_MAX, "hamsg roles are role_fsm's");

struct ha_group *
ha_group_find(struct hamgrd *hd, const char *name)
{
	size_t	 i;

	for (i = 0; i < hd->ngroups; i++)
		if (strcmp(hd->groups[i].cfg->name, name) == 0)
			return &hd->groups[i];
	return NULL;
}

static void
timer_start(struct ev_loop *loop, ev_timer *t, uint32_t cs)
{
	ev_timer_stop(loop, t);
	ev_timer_set(t, cs / 100.0, 0.0);
	ev_timer_start(loop, t);
}

static void
garp_round(struct ha_group *g)
{
	struct ev_loop	*loop = g->hd->d->loop;

	if (g->garp_left == 0)
		return;
	vip_garp(g);
	if (--g->garp_left == 0)
		return;
	if (g->cfg->garp_interval_ms == 0) {
		while (g->garp_left > 0) {	/* all at once, as asked */
			vip_garp(g);
			g->garp_left--;
		}
		return;
	}
	ev_timer_stop(loop, &g->garp_tmr);
	ev_timer_set(&g->garp_tmr, g->cfg->garp_interval_ms / 1000.0, 0.0);
	ev_timer_start(loop, &g->garp_tmr);
}

/*
 * keepalived's garp_master_refresh: while MASTER, every garp_refresh_ms
 * another garp_refresh_repeat rounds, garp_interval apart (the config
 * makes sure they fit in the period).  Switches and routers that
 * forgot the VIP's MAC (aged out, rebooted) learn it again.
 */
void
ha_garp_refresh_arm(struct ha_group *g)
{
	struct ev_loop	*loop = g->hd->d->loop;
	double		 r = g->cfg->garp_refresh_ms / 1000.0;

	ev_timer_stop(loop, &g->garp_refresh_tmr);
	if (g->role != ROLE_MASTER || g->cfg->garp_refresh_ms == 0)
		return;
	ev_timer_set(&g->garp_refresh_tmr, r, r);
	ev_timer_start(loop, &g->garp_refresh_tmr);
}

/* The actions of one step, in the order of their bits (role_fsm.h). */
static void
run_actions(struct ha_group *g, const struct role_out *o)
{
	struct ev_loop	*loop = g->hd->d->loop;
	double		 t;

	if (o->act & ACT_TIMER_STOP) {
		ev_timer_stop(loop, &g->down_tmr);
		ev_timer_stop(loop, &g->preempt_tmr);
	}
	if (o->act & ACT_ADVERT_RESIGN)
		vrrp_io_send(g, VRRP_PRIO_RESIGN);
	if (o->act & ACT_ADVERT_STOP) {
		ev_timer_stop(loop, &g->advert_tmr);
		ev_timer_stop(loop, &g->garp_tmr);
		ev_timer_stop(loop, &g->garp_refresh_tmr);
		g->garp_left = 0;
	}
	if (o->act & ACT_VIP_DEL)
		vip_del_all(g, false);
	if (o->act & ACT_IKE_STANDBY) {
		t = ev_time();
		ike_cmd(g, false, false);
		g->last.ike_ms = (ev_time() - t) * 1000.0;
	}
	if (o->act & ACT_IKE_ACTIVATE) {
		t = ev_time();
		/* Unclean unless a planned handover named us. */
		ike_cmd(g, true, !g->handover_in);
		g->last.ike_ms = (ev_time() - t) * 1000.0;
	}
	g->handover_in = false;
	if (o->act & ACT_VIP_ADD)
		vip_add_all(g);
	if (o->act & ACT_GARP) {
		g->garp_left = g->cfg->garp_count;
		garp_round(g);
	}
	if (o->act & ACT_ADVERT_START) {
		vrrp_io_send(g, ha_advert_prio(g));
		ev_timer_stop(loop, &g->advert_tmr);
		ev_timer_set(&g->advert_tmr, g->cfg->advert_interval_cs / 100.0,
		    g->cfg->advert_interval_cs / 100.0);
		ev_timer_start(loop, &g->advert_tmr);
		ha_garp_refresh_arm(g);
	}
	if ((o->act & ACT_ADVERT_SEND) && g->role == ROLE_MASTER) {
		vrrp_io_send(g, ha_advert_prio(g));
		ev_timer_again(loop, &g->advert_tmr);
	}
	if (o->act & ACT_TIMER_MASTER_DOWN)
		timer_start(loop, &g->down_tmr, o->master_down_cs);
	if (o->act & ACT_TIMER_PREEMPT)
		timer_start(loop, &g->preempt_tmr, o->preempt_delay_cs);
	if (o->act & ACT_TIMER_PREEMPT_STOP)
		ev_timer_stop(loop, &g->preempt_tmr);
	if (o->act & ACT_PULL) {
		/* the master hands over (HANDOVER) or the preempt timer,
		 * rearmed above, seizes the group by adverts */
		log_notice("group %s: preempting: asking the master to hand "
		    "the group over (else taking it in %u ms)", g->cfg->name,
		    o->preempt_delay_cs * 10);
		if (ha_cpg_pull(g->hd, g->cfg->name) == -1)
			log_warn("group %s: cannot ask for a handover over the "
			    "cluster: taking over when the timer runs out",
			    g->cfg->name);
	}
	if (o->act & ACT_NOTIFY)
		notify_run(g, o->next);
}

void
ha_group_event(struct ha_group *g, enum role_ev ev)
{
	struct role_out	 o;
	enum role	 prev = g->role;
	char		 acts[256];
	double		 t0;

	t0 = ev_time();
	o = role_step(g->role, ev, &g->in);
	role_in_update(&g->in, &o);
	g->role = o.next;
	g->advert_prio = o.advert_prio;
	if (o.next != prev)
		log_notice("group %s: %s -> %s (%s)", g->cfg->name,
		    role_name(prev), role_name(o.next), o.why);
	else if (o.act != 0 && ev != ROLE_EV_ADVERT)	/* not per advert */
		log_debug("group %s: %s on %s: %s (%s)", g->cfg->name,
		    role_name(prev), role_ev_name(ev),
		    role_act_str(o.act, acts, sizeof(acts)), o.why);
	if (o.next != ROLE_MASTER)
		ha_handover_left(g);	/* a handover under way ends */
	if (o.next == ROLE_MASTER && !g->handing)
		g->yielded = false;	/* ours again: preempt as set */
	g->in.preempt = g->cfg->preempt && !g->yielded;
	if (o.next != prev)
		g->last.ike_ms = 0.0;	/* set by IKE actions, if any */
	run_actions(g, &o);
	if (o.next == prev)
		return;
	g->transitions++;
	g->since = t0;
	g->last.at = t0;
	g->last.from = prev;
	g->last.to = o.next;
	snprintf(g->last.why, sizeof(g->last.why), "%s", o.why);
	g->last.act_ms = (ev_time() - t0) * 1000.0;
	if (o.act & ACT_IKE_ACTIVATE)
		log_notice("group %s: active in %.1f ms (ikev2d %.1f ms)",
		    g->cfg->name, g->last.act_ms, g->last.ike_ms);
	if (!g->hd->stopping) {
		ha_cpg_state(g->hd);
		ha_cpg_trans(g->hd, g);
	}
}

void
ha_group_advert(struct ha_group *g, const struct vrrp_adv *a,
    const uint8_t *src)
{
	const struct ha_vsock	*vs = &g->vs[a->family == VRRP_AF_INET6];
	size_t			 alen = vrrp_addr_len(a->family);

	g->in.adv_prio = a->prio;
	g->in.adv_adver_cs = a->adver_cs;
	g->in.adv_addr_cmp = role_addr_cmp(src, vs->src, alen);
	if (a->prio != VRRP_PRIO_RESIGN) {
		g->master_family = a->family;
		memcpy(g->master_addr, src, alen);
		g->master_prio = a->prio;
		g->master_at = ev_now(g->hd->d->loop);
	}
	ha_group_event(g, ROLE_EV_ADVERT);
}

void
ha_group_track(struct ha_group *g)
{
	struct track_sum	 s = track_sum(g->tracks, g->ntracks);
	uint8_t			 prio;

	prio = track_prio(g->cfg->priority, s.delta);
	if (prio == g->in.prio_eff && s.fault == g->in.fault)
		return;
	log_info("group %s: trackers: priority %u -> %u, %s", g->cfg->name,
	    g->in.prio_eff, prio, s.fault ? "fault" : "no fault");
	g->in.prio_eff = prio;
	g->in.fault = s.fault;
	if (g->role != ROLE_INIT)
		ha_group_event(g, ROLE_EV_TRACK);
	ha_groups_peers(g->hd);
	ha_cpg_state(g->hd);
}

void
ha_groups_peers(struct hamgrd *hd)
{
	const struct hamsg_state	*ps[HA_PEERS_MAX];
	struct ha_group			*g;
	size_t				 i, n = 0;
	bool				 better;

	for (i = 0; i < hd->npeers; i++)
		if (hd->peers[i].member && hd->peers[i].have_state)
			ps[n++] = &hd->peers[i].st;
	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		if (g->role == ROLE_INIT)
			continue;
		if (g->in.cluster_up != hd->cluster_up) {
			g->in.cluster_up = hd->cluster_up;
			ha_group_event(g, hd->cluster_up ? ROLE_EV_CLUSTER_UP :
			    ROLE_EV_CLUSTER_DOWN);
		}
		/* a condition only the preempt timer reads: no event */
		g->in.master_member = hd->cluster_up &&
		    ha_view_master(ps, n, g->cfg->name);
		better = hd->cluster_up && ha_view_better(ps, n, g->cfg->name,
		    g->in.prio_eff);
		if (better != g->in.peer_better) {
			g->in.peer_better = better;
			ha_group_event(g, better ? ROLE_EV_PEER_BETTER_UP :
			    ROLE_EV_PEER_BETTER_DOWN);
		}
	}
}

/*
 * Drain (ROLE_EV_MAINT_ON): every group this node masters resigns with
 * a priority-0 advert and a backup takes it over after its Skew_Time --
 * an unclean activation there; `haadm failover` first moves groups
 * cleanly (haadm(8)).  Undrain: preempt as configured again, a handover
 * away from this node forgotten.
 */
void
ha_set_maint(struct hamgrd *hd, bool on)
{
	struct ha_group	*g;
	char		 why[256];
	size_t		 i;

	if (hd->maint == on)
		return;
	log_notice("node %s: maintenance %s", hd->node, on ? "on" : "off");
	hd->maint = on;
	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		g->in.maint = on;
		if (!on)
			g->yielded = false;
		g->in.preempt = g->cfg->preempt && !g->yielded;
		/*
		 * Draining a master is a planned handover to the best other
		 * node (clean, make before break); only with no one to hand
		 * to does it resign (a priority-0 advert: the backups'
		 * activation is then unclean).  It stays MASTER until the
		 * target is (handover.c), then leaves as BACKUP.
		 */
		if (on && g->role == ROLE_MASTER && !g->handing &&
		    ha_handover_start(g, "", why, sizeof(why)) == 0)
			continue;
		if (on && g->role == ROLE_MASTER && !g->handing)
			log_notice("group %s: draining without a handover (%s):"
			    " resigning", g->cfg->name, why);
		if (on && g->handing)
			continue;	/* leaves when the handover ends */
		ha_group_event(g, on ? ROLE_EV_MAINT_ON : ROLE_EV_MAINT_OFF);
	}
	ha_cpg_state(hd);
}

int
ha_handover_start(struct ha_group *g, const char *target, char *why,
    size_t whylen)
{
	struct hamgrd			*hd = g->hd;
	const struct hamsg_state	*ps[HA_PEERS_MAX], *t;
	size_t				 i, n = 0;

	if (g->role != ROLE_MASTER) {
		snprintf(why, whylen, "group %s: this node is %s, not MASTER",
		    g->cfg->name, role_name(g->role));
		return -1;
	}
	if (!ha_cpg_up(hd)) {
		snprintf(why, whylen, "group %s: no cluster membership to "
		    "hand over through", g->cfg->name);
		return -1;
	}
	for (i = 0; i < hd->npeers; i++)
		if (hd->peers[i].member && hd->peers[i].have_state)
			ps[n++] = &hd->peers[i].st;
	if ((t = ha_view_target(ps, n, g->cfg->name, hd->node,
	    target)) == NULL) {
		snprintf(why, whylen, "group %s: %s%s%s", g->cfg->name,
		    target[0] != '\0' ? "node " : "no eligible node",
		    target, target[0] != '\0' ? " is not an eligible member" :
		    " to take over");
		return -1;
	}
	/*
	 * Make before break (handover.c): HANDOVER first, and we stay
	 * MASTER -- VIPs, SAs, forwarding -- until the target says it is.
	 */
	if (g->handing) {
		snprintf(why, whylen, "group %s: a handover to %s is under "
		    "way", g->cfg->name, g->handing_to);
		return -1;
	}
	if (ha_cpg_handover(hd, g->cfg->name, t->node) == -1) {
		snprintf(why, whylen, "group %s: the HANDOVER message could "
		    "not be sent: still MASTER", g->cfg->name);
		return -1;
	}
	ha_handover_begin(g, t->node);
	snprintf(why, whylen, "%s", t->node);
	return 0;
}

void
ha_handover_seen(struct hamgrd *hd, const char *group, const char *target,
    const char *from)
{
	struct ha_group	*g = ha_group_find(hd, group);

	if (g == NULL) {
		log_warn("handover of unknown group %s from %s ignored", group,
		    from);
		return;
	}
	log_notice("group %s: handover from %s to %s", group, from, target);
	if (strcmp(target, hd->node) != 0) {
		/* Not ours: do not preempt the node it was handed to. */
		g->yielded = g->role != ROLE_MASTER || g->handing;
		g->in.preempt = g->cfg->preempt && !g->yielded;
		return;
	}
	g->handover_in = true;
	ha_group_event(g, ROLE_EV_HANDOVER_IN);
	g->handover_in = false;
}

/*
 * A BACKUP asks for group (haadm failover --to itself on that node,
 * haadm drill --back): the master hands it over exactly as its own
 * `haadm failover --to requester` would; every other node ignores it.
 */
void
ha_pull_seen(struct hamgrd *hd, const char *group, const char *requester)
{
	struct ha_group	*g = ha_group_find(hd, group);
	char		 why[256];

	if (g == NULL || g->role != ROLE_MASTER ||
	    strcmp(requester, hd->node) == 0)
		return;
	log_notice("group %s: %s asks for it: handing over", group,
	    requester);
	if (ha_handover_start(g, requester, why, sizeof(why)) == -1)
		log_warn("group %s: pull by %s refused: %s", group, requester,
		    why);
}

/* --- timers ------------------------------------------------------------ */

/*
 * Re-check before committing (STYLE P3): when the loop was late (a slow
 * fork, a blocking ikev2d request, one busy UML vCPU) the timer and the
 * master's advert can be due in the same iteration, and libev may run
 * the timer first.  Adverts already queued are read first; one that
 * restarts the timer cancels the takeover.
 */
static void
on_down(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_group	*g = container_of(w, struct ha_group, down_tmr);

	vrrp_io_drain(g);
	if (ev_is_active(&g->down_tmr) || g->role != ROLE_BACKUP)
		return;
	ha_group_event(g, ROLE_EV_MASTER_DOWN);
}

static void
on_preempt(struct ev_loop *loop, ev_timer *w, int revents)
{
	ha_group_event(container_of(w, struct ha_group, preempt_tmr),
	    ROLE_EV_PREEMPT_DELAY);
}

static void
on_advert(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_group	*g;

	g = container_of(w, struct ha_group, advert_tmr);

	if (g->role == ROLE_MASTER)
		vrrp_io_send(g, ha_advert_prio(g));
}

static void
on_garp(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_group	*g = container_of(w, struct ha_group, garp_tmr);

	if (g->role == ROLE_MASTER)
		garp_round(g);
}

static void
on_garp_refresh(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_group	*g;

	g = container_of(w, struct ha_group, garp_refresh_tmr);
	if (g->role != ROLE_MASTER)
		return;
	g->garp_refreshes++;
	if (ev_is_active(&g->garp_tmr)) {	/* a burst is under way */
		g->garp_left += g->cfg->garp_refresh_repeat;
		return;
	}
	g->garp_left = g->cfg->garp_refresh_repeat;
	garp_round(g);
}

/* --- start / stop ------------------------------------------------------ */

static void
group_init(struct hamgrd *hd, struct ha_group *g, size_t i)
{
	const struct cfg_group	*c = &hd->d->cfg->ha.groups[i];

	memset(g, 0, sizeof(*g));
	g->hd = hd;
	g->cfg = c;
	g->idx = i;
	g->role = ROLE_INIT;
	g->vs[0].fd = g->vs[1].fd = g->vs[0].txfd = g->vs[1].txfd = -1;
	g->in.preempt = c->preempt;
	g->in.preempt_delay_cs = c->preempt_delay_s * 100;
	g->in.adver_cs = c->advert_interval_cs;
	g->in.prio_eff = c->priority;
	g->in.maint = hd->maint;
	g->since = ev_time();
	ev_timer_init(&g->down_tmr, on_down, 0.0, 0.0);
	ev_timer_init(&g->preempt_tmr, on_preempt, 0.0, 0.0);
	ev_timer_init(&g->advert_tmr, on_advert, 0.0, 0.0);
	ev_timer_init(&g->garp_tmr, on_garp, 0.0, 0.0);
	ev_timer_init(&g->garp_refresh_tmr, on_garp_refresh, 0.0, 0.0);
	ha_handover_init(g);
}

int
ha_loop_start(struct hamgrd *hd)
{
	struct tnd_cfg	*cfg = hd->d->cfg;
	struct ha_group	*g;
	struct track_sum s;
	size_t		 i;

	if (cfg->ha.node[0] != '\0')
		snprintf(hd->node, sizeof(hd->node), "%s", cfg->ha.node);
	else if (gethostname(hd->node, sizeof(hd->node)) == -1 ||
	    !hamsg_name_ok(hd->node))
		snprintf(hd->node, sizeof(hd->node), "node-%ld",
		    (long)gethostid());
	hd->node[strcspn(hd->node, ".")] = '\0';	/* short host name */
	hd->maint = cfg->ha.maintenance;
	hd->nl_fd = -1;
	if (vip_init() == -1)
		return -1;
	hd->ngroups = cfg->ha.ngroups;
	if ((hd->groups = calloc(hd->ngroups, sizeof(*hd->groups))) == NULL)
		return -1;
	for (i = 0; i < hd->ngroups; i++)
		group_init(hd, &hd->groups[i], i);
	if (track_io_start(hd) == -1)
		return -1;
	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		if (track_io_group_init(g) == -1)
			return -1;
		if (g->ifindex != 0)
			(void)vrrp_io_open(g);	/* again on link events */
		/* A crash may have left our VIPs behind: nobody is MASTER
		 * at start (priority <= 254), so they all go. */
		vip_del_all(g, true);
		if (vmac_start(g) == -1)
			return -1;
		s = track_sum(g->tracks, g->ntracks);
		g->in.prio_eff = track_prio(g->cfg->priority, s.delta);
		g->in.fault = s.fault;
	}
	/*
	 * Corosync first: its set-up can take a while (more so in UML),
	 * and the first Master_Down_Timer must count from when the loop
	 * can hear adverts, not from before a blocking join.
	 */
	ha_cpg_start(hd);
	ike_watch_start(hd);
	ev_now_update(hd->d->loop);
	for (i = 0; i < hd->ngroups; i++)
		ha_group_event(&hd->groups[i], ROLE_EV_START);
	ha_cpg_state(hd);
	return 0;
}

void
ha_loop_stop(struct hamgrd *hd)
{
	struct ev_loop	*loop = hd->d->loop;
	struct ha_group	*g;
	size_t		 i;

	hd->stopping = true;
	ike_watch_stop(hd);
	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		ha_group_event(g, ROLE_EV_STOP);
		ev_timer_stop(loop, &g->down_tmr);
		ev_timer_stop(loop, &g->preempt_tmr);
		ev_timer_stop(loop, &g->advert_tmr);
		ev_timer_stop(loop, &g->garp_tmr);
		ev_timer_stop(loop, &g->garp_refresh_tmr);
		notify_stop(g);
		vrrp_io_close(g);
		vmac_stop(g);
		track_io_group_fini(g);
	}
	ha_cpg_stop(hd);
	track_io_stop(hd);
	vip_fini();
	free(hd->groups);
	hd->groups = NULL;
	hd->ngroups = 0;
}
