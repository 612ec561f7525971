/*
 * ha/ha_cpg.c -- corosync membership as a role input.  hamgrd joins its
 * own CPG group "<sync.cpg_group>-ha" (syncd's stays free of role
 * traffic) and multicasts its node state (include/tandem/hamsg.h) on
 * every change and after every configuration change, so a node that
 * joins learns everyone's at once.
 *
 * From the membership and the members' states: cluster_up (another
 * member is present) and, per group, peer_better (a member with a
 * higher effective priority, eligible) -- ROLE_EV_CLUSTER_UP/DOWN and
 * ROLE_EV_PEER_BETTER_UP/DOWN through ha_groups_peers().  HANDOVER
 * messages go to ha_handover_seen() in agreed order on every member.
 *
 * Without corosync hamgrd runs on VRRP alone and tries again with a
 * back-off of 1 s doubling to 10 s, as syncd does; a failed dispatch
 * (corosync died) closes the handle and starts the back-off.  Every
 * message from a peer is untrusted: decoded by hamsg_decode(), dropped
 * and counted by reason when it does not decode.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <corosync/corotypes.h>
#include <corosync/cpg.h>

#include "tandem/util.h"
#include "hamgrd.h"

#define CS_RETRY_MIN_S	1.0
#define CS_RETRY_MAX_S	10.0
#define RESEND_S	0.1	/* state not sent (TRY_AGAIN): again in */

struct ha_cpg {
	struct hamgrd	*hd;
	cpg_handle_t	 h;
	struct cpg_name	 name;
	bool		 open;
	ev_io		 io;
	ev_timer	 retry;		/* reopen after back-off */
	ev_timer	 resend;	/* state again after TRY_AGAIN */
	double		 backoff;
	uint64_t	 seq;
	uint64_t	 sent, recv, send_fail, confchgs;
	uint64_t	 bad[HAMSG_NERR];
	struct log_rate	 rl;
	char		 why[160];	/* why it is not open */
};

static void	cs_open(struct ha_cpg *);

static struct ha_cpg *
ctx_of(cpg_handle_t h)
{
	void	*p = NULL;

	if (cpg_context_get(h, &p) != CS_OK)
		return NULL;
	return p;
}

static struct ha_peer *
peer_find(struct hamgrd *hd, uint32_t nodeid, uint32_t pid, bool add)
{
	size_t	 i;

	for (i = 0; i < hd->npeers; i++)
		if (hd->peers[i].nodeid == nodeid && hd->peers[i].pid == pid)
			return &hd->peers[i];
	if (!add || hd->npeers >= HA_PEERS_MAX)
		return NULL;
	memset(&hd->peers[hd->npeers], 0, sizeof(hd->peers[0]));
	hd->peers[hd->npeers].nodeid = nodeid;
	hd->peers[hd->npeers].pid = pid;
	return &hd->peers[hd->npeers++];
}

static void
on_deliver(cpg_handle_t h, const struct cpg_name *group, uint32_t nodeid,
    uint32_t pid, void *msg, size_t len)
{
	struct ha_cpg	*c = ctx_of(h);
	struct hamgrd	*hd;
	struct ha_peer	*p;
	struct hamsg	 m;
	int		 rc;

	if (c == NULL)
		return;
	hd = c->hd;
	if ((rc = hamsg_decode(msg, len, &m)) != 0) {
		c->bad[-rc]++;
		if (log_rate_ok(&c->rl))
			log_warn("ha cpg: %zu-byte message from node %u "
			    "dropped: %s", len, nodeid, hamsg_err_name(rc));
		return;
	}
	c->recv++;
	if (m.hdr.type == HAMSG_HANDOVER) {
		ha_handover_seen(hd, m.u.handover.group, m.u.handover.target,
		    m.u.handover.from);
		return;
	}
	if (m.hdr.type == HAMSG_PULL) {
		ha_pull_seen(hd, m.u.pull.group, m.u.pull.requester);
		return;
	}
	if (nodeid == hd->nodeid && pid == (uint32_t)getpid())
		return;			/* our own state */
	if (m.hdr.type == HAMSG_TRANS) {
		struct ha_group	*g = ha_group_find(hd, m.u.trans.group);

		if (g != NULL) {
			g->peer_last = m.u.trans;
			g->have_peer_last = true;
		}
		/* the target of our handover may be MASTER now */
		ha_handover_trans(hd, &m.u.trans);
		return;
	}
	if ((p = peer_find(hd, nodeid, pid, true)) == NULL) {
		c->bad[-HAMSG_E_VALUE]++;
		return;
	}
	if (!p->have_state || strcmp(p->st.node, m.u.state.node) != 0)
		log_info("ha cpg: node %u is %s", nodeid, m.u.state.node);
	p->st = m.u.state;
	p->have_state = true;
	ha_groups_peers(hd);
}

static void
on_confchg(cpg_handle_t h, const struct cpg_name *group,
    const struct cpg_address *members, size_t nmembers,
    const struct cpg_address *left, size_t nleft,
    const struct cpg_address *joined, size_t njoined)
{
	struct ha_cpg	*c = ctx_of(h);
	struct hamgrd	*hd;
	struct ha_peer	*p;
	size_t		 i, j, others = 0;

	if (c == NULL)
		return;
	hd = c->hd;
	c->confchgs++;
	for (i = 0; i < hd->npeers; i++)
		hd->peers[i].member = false;
	for (i = 0; i < nmembers; i++) {
		if (members[i].nodeid == hd->nodeid &&
		    members[i].pid == (uint32_t)getpid())
			continue;
		others++;
		if ((p = peer_find(hd, members[i].nodeid, members[i].pid,
		    true)) != NULL)
			p->member = true;
	}
	/* Forget who left (a restarted hamgrd comes back with a new pid). */
	for (i = j = 0; i < hd->npeers; i++)
		if (hd->peers[i].member)
			hd->peers[j++] = hd->peers[i];
	hd->npeers = j;
	if (hd->cluster_up != (others > 0))
		log_notice("ha cpg: %zu other member%s: cluster %s", others,
		    others == 1 ? "" : "s", others > 0 ? "up" : "down");
	hd->cluster_up = others > 0;
	ha_groups_peers(hd);
	ha_cpg_state(hd);		/* tell the joiners who we are */
}

static void
cs_close(struct ha_cpg *c, const char *why)
{
	struct hamgrd	*hd = c->hd;

	if (c->open) {
		ev_io_stop(hd->d->loop, &c->io);
		(void)cpg_finalize(c->h);
		c->open = false;
	}
	ev_timer_stop(hd->d->loop, &c->resend);
	snprintf(c->why, sizeof(c->why), "%s", why);
	hd->npeers = 0;
	if (hd->cluster_up)
		log_notice("ha cpg: cluster down (%s)", why);
	hd->cluster_up = false;
	ha_groups_peers(hd);
}

static void
cs_retry(struct ha_cpg *c)
{
	if (c->backoff < CS_RETRY_MIN_S)
		c->backoff = CS_RETRY_MIN_S;
	else if ((c->backoff *= 2) > CS_RETRY_MAX_S)
		c->backoff = CS_RETRY_MAX_S;
	ev_timer_set(&c->retry, c->backoff, 0.0);
	ev_timer_start(c->hd->d->loop, &c->retry);
}

static void
on_io(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ha_cpg	*c = container_of(w, struct ha_cpg, io);
	cs_error_t	 e;
	char		 why[96];

	e = cpg_dispatch(c->h, CS_DISPATCH_ALL);
	if (e == CS_OK || e == CS_ERR_TRY_AGAIN)
		return;
	snprintf(why, sizeof(why), "cpg_dispatch: %s", cs_strerror(e));
	log_err("ha cpg: %s: corosync lost, running on VRRP alone; "
	    "retrying", why);
	cs_close(c, why);
	c->backoff = 0.0;
	cs_retry(c);
}

static void
on_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
	cs_open(container_of(w, struct ha_cpg, retry));
}

static void
on_resend(struct ev_loop *loop, ev_timer *w, int revents)
{
	ha_cpg_state(container_of(w, struct ha_cpg, resend)->hd);
}

static void
cs_open(struct ha_cpg *c)
{
	struct hamgrd		*hd = c->hd;
	cpg_model_v1_data_t	 model;
	cs_error_t		 e;
	unsigned int		 nodeid;
	int			 fd;

	memset(&model, 0, sizeof(model));
	model.model = CPG_MODEL_V1;
	model.cpg_deliver_fn = on_deliver;
	model.cpg_confchg_fn = on_confchg;
	if ((e = cpg_model_initialize(&c->h, CPG_MODEL_V1,
	    (cpg_model_data_t *)&model, c)) != CS_OK) {
		snprintf(c->why, sizeof(c->why), "cpg_model_initialize: %s",
		    cs_strerror(e));
		goto retry;
	}
	/* One attempt per try: a join that would block the VRRP loop is
	 * simply tried again after the back-off. */
	if ((e = cpg_local_get(c->h, &nodeid)) != CS_OK ||
	    (e = cpg_join(c->h, &c->name)) != CS_OK ||
	    (e = cpg_fd_get(c->h, &fd)) != CS_OK) {
		snprintf(c->why, sizeof(c->why), "cpg join %.*s: %s",
		    (int)c->name.length, c->name.value, cs_strerror(e));
		cpg_finalize(c->h);
		goto retry;
	}
	hd->nodeid = nodeid;
	c->open = true;
	c->backoff = 0.0;
	c->why[0] = '\0';
	ev_io_init(&c->io, on_io, fd, EV_READ);
	ev_io_start(hd->d->loop, &c->io);
	log_notice("ha cpg: joined %.*s as node %u", (int)c->name.length,
	    c->name.value, nodeid);
	return;
 retry:
	if (c->backoff == 0.0)
		log_warn("ha cpg: %s (is corosync running?): VRRP alone "
		    "decides; retrying every %.0f-%.0f s", c->why,
		    CS_RETRY_MIN_S, CS_RETRY_MAX_S);
	cs_retry(c);
}

void
ha_cpg_start(struct hamgrd *hd)
{
	struct ha_cpg	*c;
	int		 n;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_err("ha cpg: out of memory: VRRP alone decides");
		return;
	}
	c->hd = hd;
	hd->cpg = c;
	n = snprintf(c->name.value, sizeof(c->name.value), "%s-ha",
	    hd->d->cfg->sync.cpg_group);
	c->name.length = (uint32_t)(n > 0 && (size_t)n < sizeof(c->name.value)
	    ? n : 0);
	ev_timer_init(&c->retry, on_retry, 0.0, 0.0);
	ev_timer_init(&c->resend, on_resend, RESEND_S, 0.0);
	cs_open(c);
}

void
ha_cpg_stop(struct hamgrd *hd)
{
	struct ha_cpg	*c = hd->cpg;

	if (c == NULL)
		return;
	ev_timer_stop(hd->d->loop, &c->retry);
	ev_timer_stop(hd->d->loop, &c->resend);
	if (c->open) {
		ev_io_stop(hd->d->loop, &c->io);
		(void)cpg_leave(c->h, &c->name);
		(void)cpg_finalize(c->h);
	}
	free(c);
	hd->cpg = NULL;
}

bool
ha_cpg_up(const struct hamgrd *hd)
{
	const struct ha_cpg	*c = hd->cpg;

	return c != NULL && c->open && hd->cluster_up;
}

/* 0 sent, 1 try again, -1 failed. */
static int
mcast(struct ha_cpg *c, const uint8_t *buf, size_t len)
{
	struct iovec	 iov;
	cs_error_t	 e;

	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	e = cpg_mcast_joined(c->h, CPG_TYPE_AGREED, &iov, 1);
	if (e == CS_OK) {
		c->sent++;
		return 0;
	}
	if (e == CS_ERR_TRY_AGAIN)
		return 1;
	c->send_fail++;
	if (log_rate_ok(&c->rl))
		log_err("ha cpg: cpg_mcast_joined: %s", cs_strerror(e));
	return -1;
}

void
ha_cpg_state(struct hamgrd *hd)
{
	struct ha_cpg		*c = hd->cpg;
	struct hamsg_state	 s;
	struct hamsg_group	*hg;
	struct ha_group		*g;
	uint8_t			 buf[HAMSG_MAX_LEN];
	struct wr		 w;
	size_t			 i;
	int			 n;

	if (c == NULL || !c->open)
		return;
	memset(&s, 0, sizeof(s));
	snprintf(s.node, sizeof(s.node), "%s", hd->node);
	s.flags = hd->maint ? HAMSG_NF_MAINT : 0;
	for (i = 0; i < hd->ngroups && i < HAMSG_GROUPS_MAX; i++) {
		g = &hd->groups[i];
		hg = &s.groups[s.ngroups++];
		snprintf(hg->name, sizeof(hg->name), "%s", g->cfg->name);
		hg->prio = g->in.prio_eff;
		hg->role = (uint8_t)g->role;
		hg->flags = g->in.fault ? HAMSG_GF_FAULT : 0;
	}
	wr_init(&w, buf, sizeof(buf));
	if ((n = hamsg_encode_state(&w, ++c->seq, &s)) < 0) {
		c->send_fail++;
		log_err("ha cpg: state encode: %s", hamsg_err_name(n));
		return;
	}
	ev_timer_stop(hd->d->loop, &c->resend);
	if (mcast(c, buf, (size_t)n) == 1)
		ev_timer_start(hd->d->loop, &c->resend);
}

int
ha_cpg_handover(struct hamgrd *hd, const char *group, const char *target)
{
	struct ha_cpg		*c = hd->cpg;
	struct hamsg_handover	 h;
	uint8_t			 buf[HAMSG_MAX_LEN];
	struct wr		 w;
	int			 n, rc, tries;

	if (c == NULL || !c->open)
		return -1;
	memset(&h, 0, sizeof(h));
	snprintf(h.group, sizeof(h.group), "%s", group);
	snprintf(h.target, sizeof(h.target), "%s", target);
	snprintf(h.from, sizeof(h.from), "%s", hd->node);
	wr_init(&w, buf, sizeof(buf));
	if ((n = hamsg_encode_handover(&w, ++c->seq, &h)) < 0)
		return -1;
	/* An operator's command: a short wait for flow control is fine. */
	for (tries = 0; (rc = mcast(c, buf, (size_t)n)) == 1 && tries < 100;
	    tries++)
		usleep(2000);
	return rc == 0 ? 0 : -1;
}

int
ha_cpg_pull(struct hamgrd *hd, const char *group)
{
	struct ha_cpg		*c = hd->cpg;
	struct hamsg_pull	 p;
	uint8_t			 buf[HAMSG_MAX_LEN];
	struct wr		 w;
	int			 n, rc, tries;

	if (c == NULL || !c->open || !hd->cluster_up)
		return -1;
	memset(&p, 0, sizeof(p));
	snprintf(p.group, sizeof(p.group), "%s", group);
	snprintf(p.requester, sizeof(p.requester), "%s", hd->node);
	wr_init(&w, buf, sizeof(buf));
	if ((n = hamsg_encode_pull(&w, ++c->seq, &p)) < 0)
		return -1;
	/* An operator's command, as ha_cpg_handover(). */
	for (tries = 0; (rc = mcast(c, buf, (size_t)n)) == 1 && tries < 100;
	    tries++)
		usleep(2000);
	return rc == 0 ? 0 : -1;
}

void
ha_cpg_trans(struct hamgrd *hd, const struct ha_group *g)
{
	struct ha_cpg		*c = hd->cpg;
	struct hamsg_trans	 t;
	uint8_t			 buf[HAMSG_MAX_LEN];
	struct wr		 w;
	int			 n;

	if (c == NULL || !c->open)
		return;
	memset(&t, 0, sizeof(t));
	snprintf(t.node, sizeof(t.node), "%s", hd->node);
	snprintf(t.group, sizeof(t.group), "%s", g->cfg->name);
	t.from = (uint8_t)g->last.from;
	t.to = (uint8_t)g->last.to;
	t.at_unix_ms = g->last.at > 0 ? (uint64_t)(g->last.at * 1000.0) : 0;
	t.act_us = g->last.act_ms > 0 && g->last.act_ms < 4e6 ?
	    (uint32_t)(g->last.act_ms * 1000.0) : 0;
	wr_init(&w, buf, sizeof(buf));
	if ((n = hamsg_encode_trans(&w, ++c->seq, &t)) < 0) {
		c->send_fail++;
		return;
	}
	/* A figure for status, and the end of a handover to us (the old
	 * master steps down on it, else after its wait: handover.c). */
	(void)mcast(c, buf, (size_t)n);
}

void
ha_cpg_status(struct hamgrd *hd, struct wr *w)
{
	struct ha_cpg	*c = hd->cpg;
	char		 v[512], num[32];
	size_t		 i, used = 0;
	uint64_t	 bad = 0;
	int		 n;

	if (c == NULL || !c->open) {
		ctl_put_kv(w, "cluster", "absent");
		ctl_put_kv(w, "cluster_why", c != NULL ? c->why : "");
		return;
	}
	ctl_put_kv(w, "cluster", hd->cluster_up ? "up" : "alone");
	snprintf(num, sizeof(num), "%u", hd->nodeid);
	ctl_put_kv(w, "nodeid", num);
	/* This node first, then the others as their states name them. */
	n = snprintf(v, sizeof(v), "%s", hd->node);
	used = n > 0 ? (size_t)n : 0;
	for (i = 0; i < hd->npeers && used < sizeof(v); i++) {
		n = snprintf(v + used, sizeof(v) - used, ",%s",
		    hd->peers[i].have_state ? hd->peers[i].st.node : "?");
		if (n > 0)
			used += (size_t)n;
	}
	ctl_put_kv(w, "members", v);
	/* corosync node id = name, for haadm's cluster-wide node table. */
	n = snprintf(v, sizeof(v), "%u=%s", hd->nodeid, hd->node);
	used = n > 0 ? (size_t)n : 0;
	for (i = 0; i < hd->npeers && used < sizeof(v); i++) {
		if (!hd->peers[i].member || !hd->peers[i].have_state)
			continue;
		n = snprintf(v + used, sizeof(v) - used, ",%u=%s",
		    hd->peers[i].nodeid, hd->peers[i].st.node);
		if (n > 0)
			used += (size_t)n;
	}
	ctl_put_kv(w, "node_ids", v);
	for (i = 0; i < nitems(c->bad); i++)
		bad += c->bad[i];
	snprintf(v, sizeof(v), "sent %llu recv %llu bad %llu send_fail %llu "
	    "confchg %llu", (unsigned long long)c->sent,
	    (unsigned long long)c->recv, (unsigned long long)bad,
	    (unsigned long long)c->send_fail,
	    (unsigned long long)c->confchgs);
	ctl_put_kv(w, "cluster_msgs", v);
}
