/*
 * ha/hamgrd_ctl.c -- hamgrd's control socket: status lines (the frame's
 * status hook) and the role commands from haadm (CTL_FAILOVER,
 * CTL_MAINT).
 *
 * Status keys are "node", "maintenance", "cluster", "members" and, per
 * group G, "G.role", "G.prio", "G.master", "G.vips", "G.since_s",
 * "G.masters", "G.last", "G.last_unix_ms", "G.last_act_ms", "G.adverts",
 * "G.bad", "G.ike", "G.notify", "G.vip_errors", "G.garp" (GARP / NA
 * packets sent and failed, garp_master_refresh rounds), with use_vmac
 * "G.vmac" ("NAME up|down|absent MAC creates N errors N").  "G.masters" lists, comma-separated, every
 * node of this node's cluster view that is MASTER of G now (this node
 * first, then the peers by their last STATE): `haadm drill` wants
 * exactly one.  "G.peer_last" (and _node, _to, _unix_ms, _act_ms): the
 * last transition of G a peer announced (HAMSG_TRANS), on its clock.  Times for scripts are Unix milliseconds (the
 * lab compares them with its own clock).
 *
 * Replies of the role commands are CTL_T_KV lines: "result" (what was
 * done), per group "G" = "handed to NODE" / the refusal.  CTL_FAILOVER
 * naming a group and this node while it is BACKUP asks the master over
 * CPG to hand the group here (HAMSG_PULL): "result" = "pull requested";
 * the move itself shows in the status.  A refusal is
 * an error reply with the reason (haadm exits 1 on it).
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "hamgrd.h"

static void
kv(struct wr *w, const struct ha_group *g, const char *key,
    const char *val)
{
	char	 k[CFG_NAME_MAX + 32];

	snprintf(k, sizeof(k), "%s.%s", g->cfg->name, key);
	ctl_put_kv(w, k, val);
}

/* Is a of g present on its interface now?  For the operator's eyes. */
static bool
present(const struct ifaddrs *ifa, const char *ifn, const struct cfg_addr *a)
{
	const struct ifaddrs	*p;
	const void		*x;

	for (p = ifa; p != NULL; p = p->ifa_next) {
		if (p->ifa_addr == NULL || strcmp(p->ifa_name, ifn) != 0 ||
		    p->ifa_addr->sa_family != a->family)
			continue;
		x = a->family == CFG_AF_INET ?
		    (const void *)&((const struct sockaddr_in *)(const void *)
		    p->ifa_addr)->sin_addr :
		    (const void *)&((const struct sockaddr_in6 *)(const void *)
		    p->ifa_addr)->sin6_addr;
		if (memcmp(x, a->addr, a->family == CFG_AF_INET ? 4 : 16) == 0)
			return true;
	}
	return false;
}

static void
vips_line(const struct ha_group *g, const struct ifaddrs *ifa, char *v,
    size_t len)
{
	const struct cfg_addr	*a;
	const char		*ifn;
	char			 s[INET6_ADDRSTRLEN];
	size_t			 i, used = 0;
	int			 n;

	v[0] = '\0';
	for (i = 0; i < g->cfg->nvips && used < len; i++) {
		a = &g->cfg->vips[i];
		ifn = vip_ifname(g, i);
		inet_ntop(a->family == CFG_AF_INET ? AF_INET : AF_INET6,
		    a->addr, s, sizeof(s));
		n = snprintf(v + used, len - used, "%s%s/%u dev %s %s",
		    used > 0 ? ", " : "", s, a->plen, ifn,
		    present(ifa, ifn, a) ? "present" : "absent");
		if (n > 0)
			used += (size_t)n;
	}
}

static const char *
master_line(const struct hamgrd *hd, const struct ha_group *g, char *v,
    size_t len)
{
	char	 s[INET6_ADDRSTRLEN];
	size_t	 i, j;
	const char *node = NULL;

	if (g->role == ROLE_MASTER) {
		snprintf(v, len, "%s (this node)", hd->node);
		return v;
	}
	for (i = 0; i < hd->npeers; i++)
		for (j = 0; j < hd->peers[i].st.ngroups; j++)
			if (hd->peers[i].have_state &&
			    strcmp(hd->peers[i].st.groups[j].name,
			    g->cfg->name) == 0 &&
			    hd->peers[i].st.groups[j].role == HAMSG_ROLE_MASTER)
				node = hd->peers[i].st.node;
	if (g->master_family == 0) {
		snprintf(v, len, "%s", node != NULL ? node : "none heard");
		return v;
	}
	inet_ntop(g->master_family == VRRP_AF_INET ? AF_INET : AF_INET6,
	    g->master_addr, s, sizeof(s));
	snprintf(v, len, "%s%s%s prio %u, heard %.1f s ago",
	    node != NULL ? node : "", node != NULL ? " " : "", s,
	    g->master_prio, ev_now(hd->d->loop) - g->master_at);
	return v;
}

/* Every node this node believes MASTER of g ("" when none). */
static void
masters_line(const struct hamgrd *hd, const struct ha_group *g, char *v,
    size_t len)
{
	size_t	 i, j, used = 0;
	int	 n;

	v[0] = '\0';
	if (g->role == ROLE_MASTER) {
		n = snprintf(v, len, "%s", hd->node);
		used = n > 0 ? (size_t)n : 0;
	}
	for (i = 0; i < hd->npeers && used < len; i++) {
		if (!hd->peers[i].have_state || !hd->peers[i].member)
			continue;
		for (j = 0; j < hd->peers[i].st.ngroups && used < len; j++) {
			if (strcmp(hd->peers[i].st.groups[j].name,
			    g->cfg->name) != 0 ||
			    hd->peers[i].st.groups[j].role !=
			    HAMSG_ROLE_MASTER)
				continue;
			n = snprintf(v + used, len - used, "%s%s",
			    used > 0 ? "," : "", hd->peers[i].st.node);
			if (n > 0)
				used += (size_t)n;
		}
	}
}

static void
group_status(struct hamgrd *hd, struct ha_group *g, struct wr *w,
    const struct ifaddrs *ifa)
{
	char	 v[512], mac[18];
	size_t	 i, used = 0;
	int	 n;
	double	 now = ev_now(hd->d->loop);

	kv(w, g, "role", role_name(g->role));
	snprintf(v, sizeof(v), "%u (configured %u%s%s)", g->in.prio_eff,
	    g->cfg->priority, g->in.fault ? ", fault" : "",
	    g->handing ? ", handing over" : g->yielded ? ", handed away" :
	    "");
	kv(w, g, "prio", v);
	kv(w, g, "master", master_line(hd, g, v, sizeof(v)));
	masters_line(hd, g, v, sizeof(v));
	kv(w, g, "masters", v);
	vips_line(g, ifa, v, sizeof(v));
	kv(w, g, "vips", v);
	snprintf(v, sizeof(v), "%.1f", now - g->since);
	kv(w, g, "since_s", v);
	if (g->transitions > 0) {
		snprintf(v, sizeof(v), "%s -> %s (%s), actions %.1f ms, "
		    "ikev2d %.1f ms, %.1f s ago", role_name(g->last.from),
		    role_name(g->last.to), g->last.why, g->last.act_ms,
		    g->last.ike_ms, now - g->last.at);
		kv(w, g, "last", v);
		snprintf(v, sizeof(v), "%.0f", g->last.at * 1000.0);
		kv(w, g, "last_unix_ms", v);
		snprintf(v, sizeof(v), "%.1f", g->last.act_ms);
		kv(w, g, "last_act_ms", v);
	}
	if (g->have_peer_last) {
		const struct hamsg_trans *t = &g->peer_last;

		snprintf(v, sizeof(v), "%s %s -> %s, actions %.1f ms",
		    t->node, role_name((enum role)t->from),
		    role_name((enum role)t->to), t->act_us / 1000.0);
		kv(w, g, "peer_last", v);
		kv(w, g, "peer_last_node", t->node);
		kv(w, g, "peer_last_to", role_name((enum role)t->to));
		snprintf(v, sizeof(v), "%llu",
		    (unsigned long long)t->at_unix_ms);
		kv(w, g, "peer_last_unix_ms", v);
		snprintf(v, sizeof(v), "%.1f", t->act_us / 1000.0);
		kv(w, g, "peer_last_act_ms", v);
	}
	snprintf(v, sizeof(v), "sent %llu recv %llu send_err %llu "
	    "other_vrid %llu", (unsigned long long)g->st.sent,
	    (unsigned long long)g->st.recv,
	    (unsigned long long)g->st.send_err,
	    (unsigned long long)g->st.other_vrid);
	kv(w, g, "adverts", v);
	v[0] = '\0';
	for (i = 1; i < nitems(g->st.bad) && used < sizeof(v); i++) {
		if (g->st.bad[i] == 0)
			continue;
		n = snprintf(v + used, sizeof(v) - used, "%s%s %llu",
		    used > 0 ? ", " : "", vrrp_err_name(-(int)i),
		    (unsigned long long)g->st.bad[i]);
		if (n > 0)
			used += (size_t)n;
	}
	for (i = 0; i < nitems(g->st.drop) && used < sizeof(v); i++) {
		if (g->st.drop[i] == 0)
			continue;
		n = snprintf(v + used, sizeof(v) - used, "%s%s %llu",
		    used > 0 ? ", " : "", ha_drop_name(i),
		    (unsigned long long)g->st.drop[i]);
		if (n > 0)
			used += (size_t)n;
	}
	kv(w, g, "bad", used > 0 ? v : "none");
	snprintf(v, sizeof(v), "ok %llu failed %llu; last: %s",
	    (unsigned long long)g->ike_ok, (unsigned long long)g->ike_fail,
	    g->ike_last[0] != '\0' ? g->ike_last : "-");
	kv(w, g, "ike", v);
	snprintf(v, sizeof(v), "runs %llu failed %llu",
	    (unsigned long long)g->notify_runs,
	    (unsigned long long)g->notify_fail);
	kv(w, g, "notify", v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)g->vip_err);
	kv(w, g, "vip_errors", v);
	snprintf(v, sizeof(v), "sent %llu failed %llu refreshes %llu",
	    (unsigned long long)g->garp_sent,
	    (unsigned long long)g->garp_err,
	    (unsigned long long)g->garp_refreshes);
	kv(w, g, "garp", v);
	if (g->cfg->use_vmac) {
		vmac_addr_str(g->vmac.mac, mac, sizeof(mac));
		snprintf(v, sizeof(v), "%s %s %s creates %llu errors %llu",
		    g->cfg->vmac_name, g->vmac.ifindex == 0 ? "absent" :
		    g->vmac.up ? "up" : "down", mac,
		    (unsigned long long)g->vmac.creates,
		    (unsigned long long)g->vmac.err);
		kv(w, g, "vmac", v);
	}
}

void
hamgrd_status(struct daemon *d, struct wr *w)
{
	struct hamgrd	*hd = d->priv;
	struct ifaddrs	*ifa = NULL;
	size_t		 i;

	if (hd == NULL)
		return;
	ctl_put_kv(w, "node", hd->node);
	ctl_put_kv(w, "maintenance", hd->maint ? "on" : "off");
	ha_cpg_status(hd, w);
	if (getifaddrs(&ifa) == -1)
		ifa = NULL;
	for (i = 0; i < hd->ngroups; i++)
		group_status(hd, &hd->groups[i], w, ifa);
	if (ifa != NULL)
		freeifaddrs(ifa);
}

static int
do_failover(struct hamgrd *hd, const struct ctl_role_req *rq,
    struct ctl_reply *r)
{
	struct ha_group	*g;
	char		 why[256];
	size_t		 i, moved = 0;

	if (rq->group[0] != '\0') {
		if ((g = ha_group_find(hd, rq->group)) == NULL) {
			snprintf(why, sizeof(why), "no group %s", rq->group);
			ctl_reply_error(r, why);
			return 0;
		}
		/* --to this node on a BACKUP: pull the group here. */
		if (g->role == ROLE_BACKUP && strcmp(rq->node, hd->node) == 0) {
			if (ha_cpg_pull(hd, g->cfg->name) == -1) {
				snprintf(why, sizeof(why), "group %s: no "
				    "cluster membership to ask the master "
				    "through", g->cfg->name);
				ctl_reply_error(r, why);
				return 0;
			}
			ctl_reply_kv(r, g->cfg->name, "asked the master");
			ctl_reply_kv(r, "result", "pull requested");
			return 0;
		}
		if (ha_handover_start(g, rq->node, why, sizeof(why)) == -1) {
			ctl_reply_error(r, why);
			return 0;
		}
		ctl_reply_kv(r, g->cfg->name, why);
		ctl_reply_kv(r, "result", "handed over");
		return 0;
	}
	/* Every group this node masters. */
	for (i = 0; i < hd->ngroups; i++) {
		g = &hd->groups[i];
		if (g->role != ROLE_MASTER)
			continue;
		if (ha_handover_start(g, rq->node, why, sizeof(why)) == -1) {
			ctl_reply_error(r, why);
			return 0;
		}
		ctl_reply_kv(r, g->cfg->name, why);
		moved++;
	}
	if (moved == 0) {
		ctl_reply_error(r, "this node is MASTER of no group");
		return 0;
	}
	ctl_reply_kv(r, "result", "handed over");
	return 0;
}

int
hamgrd_request(struct daemon *d, const struct ctl_hdr *h, struct rd *tlvs,
    struct ctl_reply *r)
{
	struct hamgrd		*hd = d->priv;
	struct ctl_role_req	 rq;
	int			 rc;

	if (h->type != CTL_FAILOVER && h->type != CTL_MAINT)
		return -1;
	if ((rc = ctl_role_args(tlvs, &rq)) != 0) {
		d->ctl_bad++;
		ctl_reply_error(r, ctl_err_name(rc));
		return 0;
	}
	if (h->type == CTL_MAINT) {
		ha_set_maint(hd, (rq.flags & CTL_RF_ON) != 0);
		ctl_reply_kv(r, "maintenance", hd->maint ? "on" : "off");
		return 0;
	}
	return do_failover(hd, &rq, r);
}
