/*
 * ha/handover.c -- the old master's side of a planned handover, make
 * before break (issue 6, item 7; hamgrd.8 "Planned handover").
 *
 * The old master keeps its VIPs and its SAs while the target takes the
 * group: it sends HANDOVER, goes on forwarding, and leaves MASTER only
 * when the target announces that it is MASTER (its HAMSG_TRANS, sent
 * once its SAs are in the kernel and its VIPs are up).  Traffic that
 * still reaches the old master meanwhile is forwarded, not dropped --
 * a break-before-break handover loses everything in flight during the
 * target's activation.
 *
 * Meanwhile its adverts go on at priority 1: the target, MASTER, ignores
 * a lower priority, and any other backup keeps hearing a master, so its
 * Master_Down_Timer does not start a race while the target activates.
 * The old master's own FSM stays MASTER (the target's adverts are lower
 * than its configured priority and ignored).
 *
 * Sequence numbers: both nodes send ESP for a moment.  The target starts
 * one lease past the lease end it holds (ike_takeover.c, clean
 * activation), so the old master would need a second lease extension
 * committed in the overlap to reach the target's numbers (documented
 * bound, hamgrd.8).
 *
 * If the target does not become MASTER within HANDOVER_WAIT_S (refused,
 * died, the message lost), the handover is cancelled: the old master
 * stays MASTER and advertises its priority again.
 */
#include <string.h>

#include "tandem/log.h"
#include "tandem/util.h"
#include "ha_view.h"
#include "hamgrd.h"

#define HANDOVER_WAIT_S		5.0
#define HANDOVER_ADVERT_PRIO	1

static void
finish(struct ha_group *g, const char *why)
{
	ev_timer_stop(g->hd->d->loop, &g->handover_tmr);
	g->handing = false;
	g->yielded = true;		/* no preempting it back */
	log_notice("group %s: handover to %s complete (%s, after %.0f ms): "
	    "leaving MASTER", g->cfg->name, g->handing_to, why,
	    (ev_time() - g->handing_since) * 1000.0);
	ha_group_event(g, ROLE_EV_HANDOVER_OUT);
}

/* The target, as its last HA_STATE says: MASTER of g? */
static bool
target_is_master(const struct ha_group *g)
{
	const struct hamgrd		*hd = g->hd;
	const struct hamsg_group	*pg;
	size_t				 i;

	for (i = 0; i < hd->npeers; i++) {
		if (!hd->peers[i].member || !hd->peers[i].have_state ||
		    strcmp(hd->peers[i].st.node, g->handing_to) != 0)
			continue;
		pg = ha_view_group(&hd->peers[i].st, g->cfg->name);
		return pg != NULL && pg->role == HAMSG_ROLE_MASTER;
	}
	return false;
}

static void
on_handover_wait(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ha_group	*g = container_of(w, struct ha_group, handover_tmr);

	if (!g->handing)
		return;
	if (target_is_master(g)) {
		finish(g, "its state says MASTER");
		return;
	}
	g->handing = false;
	g->yielded = false;
	g->in.preempt = g->cfg->preempt && !g->hd->maint;
	log_warn("group %s: %s did not take the group within %.0f s: "
	    "handover cancelled, staying MASTER", g->cfg->name,
	    g->handing_to, HANDOVER_WAIT_S);
	if (g->role != ROLE_MASTER)
		return;
	/* draining (maintenance on): resign instead (role_fsm.c) */
	if (g->hd->maint) {
		ha_group_event(g, ROLE_EV_MAINT_ON);
		return;
	}
	vrrp_io_send(g, g->advert_prio);
}

void
ha_handover_init(struct ha_group *g)
{
	ev_timer_init(&g->handover_tmr, on_handover_wait, HANDOVER_WAIT_S,
	    0.0);
}

void
ha_handover_begin(struct ha_group *g, const char *target)
{
	g->handing = true;
	g->yielded = true;
	g->in.preempt = false;
	g->handing_since = ev_time();
	snprintf(g->handing_to, sizeof(g->handing_to), "%s", target);
	ev_timer_stop(g->hd->d->loop, &g->handover_tmr);
	ev_timer_set(&g->handover_tmr, HANDOVER_WAIT_S, 0.0);
	ev_timer_start(g->hd->d->loop, &g->handover_tmr);
	log_notice("group %s: handing over to %s: forwarding until it is "
	    "MASTER", g->cfg->name, target);
}

void
ha_handover_trans(struct hamgrd *hd, const struct hamsg_trans *t)
{
	struct ha_group	*g = ha_group_find(hd, t->group);

	if (g == NULL || !g->handing || g->role != ROLE_MASTER ||
	    strcmp(t->node, g->handing_to) != 0 ||
	    t->to != HAMSG_ROLE_MASTER)
		return;
	finish(g, "it announced MASTER");
}

/* A role change for any other reason ends the handover (cancelled). */
void
ha_handover_left(struct ha_group *g)
{
	if (!g->handing)
		return;
	ev_timer_stop(g->hd->d->loop, &g->handover_tmr);
	g->handing = false;
}

uint8_t
ha_advert_prio(const struct ha_group *g)
{
	return g->handing ? HANDOVER_ADVERT_PRIO : g->advert_prio;
}
