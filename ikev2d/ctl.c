/*
 * ikev2d/ctl.c -- ikev2d's control requests (see ctl.h).  Ages are taken
 * against CLOCK_MONOTONIC, the clock the core stamps its records with
 * (loop.c); sync_out.c converts to wall clock for replication.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "tandem/clock.h"
#include "tandem/log.h"
#include "ctl.h"
#include "ike_core.h"
#include "sa_live.h"
#include "sa_reload.h"
#include "sa_view.h"
#include "xfrm.h"
#include "xfrm_msg.h"

struct ctr_query {
	struct xfrm_sock	 xs;
	struct xfrm_batch	 b;
	struct kernel_sa_stats	 st[2];
	bool			 got[2];
	uint32_t		 seq0;
};

static void
on_stats(void *arg, uint32_t seq, int err, const void *msg, size_t len)
{
	struct ctr_query	*q = arg;
	unsigned int		 i = seq - q->seq0;

	if (i < 2 && err == 0 && msg != NULL &&
	    xfrm_parse_sa_stats(msg, len, &q->st[i]) == 0)
		q->got[i] = true;
}

static void
kaddr_of(struct kaddr *k, const struct sa_addr *a)
{
	memset(k, 0, sizeof(*k));
	k->family = a->family;
	memcpy(k->addr, a->addr, sizeof(k->addr));
}

/* Read both SAs of a Child SA with one GETSA batch (sa_view_ctr_fn). */
static int
child_counters(void *arg, const struct sa_child *rec, struct sa_view_ctr *out)
{
	struct ctr_query	*q = arg;
	struct kaddr		 in_dst, out_dst;
	uint32_t		 seq;
	void			*m;
	long			 n;

	memset(out, 0, sizeof(*out));
	memset(q->got, 0, sizeof(q->got));
	kaddr_of(&in_dst, &rec->local);
	kaddr_of(&out_dst, &rec->remote);
	xfrm_batch_init(&q->b);
	m = xfrm_batch_next(&q->xs, &q->b, &seq);
	q->seq0 = seq;
	if ((n = xfrm_msg_getsa(m, XFRM_MSG_BUF, seq, &in_dst, rec->spi_in,
	    rec->proto, rec->mark_in, rec->mark_in_mask)) < 0)
		return -1;
	xfrm_batch_commit(&q->b, (size_t)n);
	m = xfrm_batch_next(&q->xs, &q->b, &seq);
	if ((n = xfrm_msg_getsa(m, XFRM_MSG_BUF, seq, &out_dst, rec->spi_out,
	    rec->proto, rec->mark_out, rec->mark_out_mask)) < 0)
		return -1;
	xfrm_batch_commit(&q->b, (size_t)n);
	if (xfrm_batch_send(&q->xs, &q->b, on_stats, q) == -1)
		return -1;
	out->have_in = q->got[0];
	out->bytes_in = q->st[0].bytes;
	out->packets_in = q->st[0].packets;
	out->drops_in = q->st[0].replay_drops + q->st[0].integrity_failed;
	out->have_out = q->got[1];
	out->bytes_out = q->st[1].bytes;
	out->packets_out = q->st[1].packets;
	return 0;
}

/* Counters come from the kernel; without netlink the tables still list
 * the SAs, with "-" for the counters. */
static void
sas_reply(struct ike_core *core, uint64_t now_ms, struct ctl_reply *r)
{
	struct ctr_query	*q = calloc(1, sizeof(*q));

	if (q != NULL && xfrm_open(&q->xs, 0) == 0) {
		sa_view_reply(core, now_ms, child_counters, q, r);
		xfrm_close(&q->xs);
	} else
		sa_view_reply(core, now_ms, NULL, NULL, r);
	free(q);
}

/*
 * CTL_REKEY / CTL_DELETE: start the exchange now, as the soft lifetime
 * (rekey) or an operator's delete would; the reply says it was started,
 * not that the peer answered (`haadm sas` shows the outcome).  The edge
 * drains the core's output after the request (loop_request()).
 */
static void
sa_cmd_reply(struct ike_core *core, uint8_t type, struct rd *tlvs,
    uint64_t now_ms, struct ctl_reply *r)
{
	enum ctl_sa_kind	 kind;
	uint32_t		 uid;
	const char		*what = type == CTL_REKEY ? "rekey" : "delete";
	const char		*k;
	char			 num[16], why[96];
	int			 rc;

	if (ctl_sa_target(tlvs, &kind, &uid) != 0) {
		ctl_reply_error(r, "want a kind (ike or child) and an SA uid");
		return;
	}
	k = kind == CTL_SA_IKE ? "ike" : "child";
	if (type == CTL_REKEY)
		rc = kind == CTL_SA_IKE ? ike_core_rekey_ike(core, uid, now_ms) :
		    ike_core_rekey_child(core, uid, now_ms);
	else
		rc = kind == CTL_SA_IKE ? ike_core_delete_ike(core, uid, now_ms) :
		    ike_core_delete_child(core, uid, now_ms);
	if (rc != 0) {
		log_info("ctl: %s %s SA %" PRIu32 " refused (no such SA, not "
		    "established, or an exchange is pending)", what, k, uid);
		snprintf(why, sizeof(why), "cannot %s %s SA %" PRIu32 ": no "
		    "such SA, not established, or busy", what, k, uid);
		ctl_reply_error(r, why);
		return;
	}
	log_info("ctl: %s %s SA %" PRIu32 " started by the operator", what, k,
	    uid);
	snprintf(num, sizeof(num), "%" PRIu32, uid);
	ctl_reply_kv(r, "action", what);
	ctl_reply_kv(r, "kind", k);
	ctl_reply_kv(r, "uid", num);
	ctl_reply_kv(r, "result", "started");
}

static void
kv_u64(struct ctl_reply *r, const char *key, uint64_t v)
{
	char	 buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	ctl_reply_kv(r, key, buf);
}

/* The 16-byte SPI pair of an IKE SA, as a sort key. */
struct spi_key {
	uint8_t	 b[2 * SA_SPI_LEN];
};

static int
spi_key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct spi_key));
}

/*
 * Importing the stream: IKE records of our group go in (all come first,
 * syncd's cursor order); a Child record goes in only when its IKE SA
 * did, found by binary search of the SPI pairs taken.
 */
struct imp {
	struct ike_core	*core;
	const char	*group;
	int64_t		 off;		/* MONOTONIC - REALTIME, ms */
	struct spi_key	*keys;
	size_t		 n, cap;
	bool		 sorted, oom;
	uint32_t	 taken, refused, other;
};

static void
imp_ike(void *arg, const struct sa_ike *r)
{
	struct imp	*i = arg;
	struct spi_key	*nk;
	size_t		 ncap;
	int		 rc;

	if (strcmp(r->group, i->group) != 0) {
		i->other++;
		return;
	}
	if ((rc = ike_core_import_ike(i->core, r, i->off)) < 0) {
		i->refused++;
		return;
	}
	i->taken += rc == 0;
	if (i->n == i->cap) {
		ncap = i->cap ? i->cap * 2 : 256;
		if ((nk = realloc(i->keys, ncap * sizeof(*nk))) == NULL) {
			i->oom = true;
			return;
		}
		i->keys = nk;
		i->cap = ncap;
	}
	memcpy(i->keys[i->n].b, r->spi_i, SA_SPI_LEN);
	memcpy(i->keys[i->n].b + SA_SPI_LEN, r->spi_r, SA_SPI_LEN);
	i->n++;
	i->sorted = false;
}

static void
imp_child(void *arg, const struct sa_child *r)
{
	struct imp	*i = arg;
	struct spi_key	 k;
	int		 rc;

	if (!i->sorted) {
		if (i->n > 0)
			qsort(i->keys, i->n, sizeof(*i->keys), spi_key_cmp);
		i->sorted = true;
	}
	memcpy(k.b, r->ike_spi_i, SA_SPI_LEN);
	memcpy(k.b + SA_SPI_LEN, r->ike_spi_r, SA_SPI_LEN);
	if (i->n == 0 || bsearch(&k, i->keys, i->n, sizeof(k),
	    spi_key_cmp) == NULL) {
		i->other++;
		return;
	}
	if ((rc = ike_core_import_child(i->core, r, i->off)) < 0)
		i->refused++;
	else
		i->taken += rc == 0;
}

/*
 * The group's records the old way: drop its copies, fetch the whole
 * database from syncd on a new connection, import the group's.  0, or
 * -1 with why (the group left standby with nothing imported).
 */
static int
takeover_fetch(const struct ikev2d_ctl *x, const char *group,
    bool allow_empty, struct ikev2d_takeover *out, struct imp *i, char *why,
    size_t whylen)
{
	const struct sa_reload_sink	 sink = { imp_ike, imp_child, NULL };
	struct sa_reload_sink		 s = sink;
	struct sa_reload_result		 res;
	char				 err[256];
	int				 rc;

	/* records of an earlier attempt may be stale: start clean */
	ike_core_group_standby(x->core, group, clock_ms(CLOCK_MONOTONIC));
	i->core = x->core;
	i->group = group;
	i->off = (int64_t)clock_ms(CLOCK_MONOTONIC) -
	    (int64_t)clock_ms(CLOCK_REALTIME);
	s.arg = i;
	rc = sa_reload_fetch(x->rundir, SA_RELOAD_TIMEOUT_MS, &s, &res, err,
	    sizeof(err));
	free(i->keys);
	out->fetch_ms = res.ms;
	out->no_syncd = !res.connected;
	if (rc != 0 || i->oom) {
		/* never active with half of the SAs */
		ike_core_group_standby(x->core, group,
		    clock_ms(CLOCK_MONOTONIC));
		if (!res.connected && allow_empty) {
			log_notice("group %s: no syncd (%s): active with no "
			    "replicated SAs", group, err);
			return 0;
		}
		if (!res.connected)
			snprintf(why, whylen, "no syncd: cannot take over "
			    "group %s (%s)", group, err);
		else
			snprintf(why, whylen, "syncd's SA stream failed: "
			    "cannot take over group %s (%s)", group,
			    i->oom ? "out of memory" : err);
		log_err("group %s: takeover: %s", group, why);
		return -1;
	}
	/* syncd drops what it cannot queue or encode: say so, loudly */
	if (res.announced < res.held || res.ike + res.child < res.announced)
		log_err("group %s: syncd holds %u record(s), sent %u, %u "
		    "arrived: SAs may be missing from this takeover", group,
		    res.held, res.announced, res.ike + res.child);
	return 0;
}

/*
 * The install runs at real-time priority (ha.takeover_rt_priority,
 * SCHED_RR; corosync's own is higher): on a node that is also busy with
 * the membership change, syncd's fences and whatever else it runs, the
 * traffic waits for this and nothing else.  Only the install: the
 * barrier before it needs syncd to run.  Back to normal right after.
 */
static bool
rt_boost(const struct ikev2d_ctl *x, bool on)
{
	struct sched_param	 sp;
	int			 prio = x->rt_priority;

	if (prio == 0)
		return false;
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = on ? prio : 0;
	if (sched_setscheduler(0, on ? SCHED_RR : SCHED_OTHER, &sp) != 0) {
		log_warn("takeover: cannot %s real-time priority %d: %m",
		    on ? "take" : "leave", prio);
		return false;
	}
	return true;
}

int
ikev2d_takeover(const struct ikev2d_ctl *x, const char *group, bool unclean,
    bool allow_empty, struct ikev2d_takeover *out, char *why, size_t whylen)
{
	struct imp			 i;
	struct ike_group_status		 gs;
	char				 err[256];
	uint64_t			 t1, c0;
	size_t				 k;
	bool				 live = false, boosted;

	memset(out, 0, sizeof(*out));
	memset(&i, 0, sizeof(i));
	if (ike_core_group_state(x->core, group) == IKE_GROUP_ACTIVE)
		return 1;
	/*
	 * A live stream (sa_live.h) holds the copies current: drain it to
	 * a barrier instead of fetching.  A barrier that fails means syncd
	 * is not answering: a fetch would fail the same way, later.
	 */
	if (sa_live_ready(x->live)) {
		if (sa_live_barrier(x->live, SA_RELOAD_TIMEOUT_MS,
		    &out->fetch_ms, err, sizeof(err)) != 0) {
			snprintf(why, whylen, "cannot take over group %s: %s",
			    group, err);
			log_err("group %s: takeover: %s", group, why);
			return -1;
		}
		live = true;
		for (k = 0; ike_core_group_status(x->core, k, &gs) == 0; k++)
			if (strcmp(gs.name, group) == 0)
				i.taken = gs.ike_sas + gs.child_sas;
	} else if (takeover_fetch(x, group, allow_empty, out, &i, why,
	    whylen) != 0)
		return -1;
	out->live = live;
	out->records = i.taken;
	out->refused = i.refused;
	if (x->seq_jump != NULL)
		x->seq_jump(x->arg, ike_core_event_seq(x->core));
	boosted = rt_boost(x, true);
	c0 = self_cpu_us();
	t1 = clock_ms(CLOCK_MONOTONIC);
	(void)ike_core_group_activate(x->core, group, unclean, t1, &out->st);
	out->install_ms = clock_ms(CLOCK_MONOTONIC) - t1;
	out->install_cpu_ms = (self_cpu_us() - c0) / 1000;
	if (boosted)
		(void)rt_boost(x, false);
	log_notice("group %s: active (%s takeover): %u record(s) %s, "
	    "%u refused, %u IKE / %u Child SA(s) resumed, %u kernel SA(s), "
	    "%u failed, %u parked, %u counter preset(s); %s %" PRIu64 " ms, "
	    "install %" PRIu64 " ms (cpu %" PRIu64 " ms)", group,
	    unclean ? "unclean" : "clean", i.taken, live ? "held live" :
	    "imported", i.refused,
	    out->st.ike_sas, out->st.child_sas, out->st.kernel_sas,
	    out->st.failures, out->st.parked, out->st.presets,
	    live ? "barrier" : "fetch", out->fetch_ms, out->install_ms,
	    out->install_cpu_ms);
	if (x->last != NULL) {
		snprintf(x->last->group, sizeof(x->last->group), "%s", group);
		x->last->fetch_ms = out->fetch_ms;
		x->last->install_ms = out->install_ms;
		x->last->records = out->records;
		x->last->refused = out->refused;
	}
	return 0;
}

static void
role_activate(const struct ikev2d_ctl *x, const char *group, bool unclean,
    struct ctl_reply *r)
{
	struct ikev2d_takeover	 t;
	char			 why[400];
	int			 rc;

	if ((rc = ikev2d_takeover(x, group, unclean, false, &t, why,
	    sizeof(why))) < 0) {
		ctl_reply_error(r, why);
		return;
	}
	ctl_reply_kv(r, "group", group);
	ctl_reply_kv(r, "state", "active");
	if (rc == 1) {
		ctl_reply_kv(r, "mode", "already active");
		return;
	}
	ctl_reply_kv(r, "mode", unclean ? "unclean" : "clean");
	kv_u64(r, "ike_sas", t.st.ike_sas);
	kv_u64(r, "child_sas", t.st.child_sas);
	kv_u64(r, "kernel_sas", t.st.kernel_sas);
	kv_u64(r, "failures", t.st.failures + t.st.kernel_errors);
	kv_u64(r, "rekeys", t.st.rekeys);
	kv_u64(r, "records", t.records);
	kv_u64(r, "refused", t.refused);
	ctl_reply_kv(r, "source", t.live ? "live" : "fetch");
	kv_u64(r, "fetch_ms", t.fetch_ms);
	kv_u64(r, "install_ms", t.install_ms);
	kv_u64(r, "install_cpu_ms", t.install_cpu_ms);
	kv_u64(r, "parked", t.st.parked);
	kv_u64(r, "presets", t.st.presets);
}

static void
role_standby(const struct ikev2d_ctl *x, const char *group,
    struct ctl_reply *r)
{
	int	 n;

	/* standby already, its copies kept current live: nothing to undo */
	if (ike_core_group_state(x->core, group) == IKE_GROUP_STANDBY &&
	    sa_live_ready(x->live)) {
		ctl_reply_kv(r, "group", group);
		ctl_reply_kv(r, "state", "standby");
		kv_u64(r, "ike_sas_dropped", 0);
		return;
	}
	n = ike_core_group_standby(x->core, group, clock_ms(CLOCK_MONOTONIC));
	/* its SAs are gone here: a running stream would not send them
	 * again (nor the rest of a bulk it was in): start it over */
	sa_live_restart(x->live);
	log_notice("group %s: standby: %d IKE SA(s) dropped, their kernel "
	    "state removed", group, n);
	ctl_reply_kv(r, "group", group);
	ctl_reply_kv(r, "state", "standby");
	kv_u64(r, "ike_sas_dropped", n > 0 ? (uint64_t)n : 0);
}

static void
role_reply(const struct ikev2d_ctl *x, uint8_t type, struct rd *tlvs,
    struct ctl_reply *r)
{
	struct ctl_role_req	 a;
	char			 why[160];

	if (ctl_role_args(tlvs, &a) != 0 || a.group[0] == '\0') {
		ctl_reply_error(r, "want a VIP group (and only CTL_RF_UNCLEAN "
		    "as a flag)");
		return;
	}
	if (ike_core_group_state(x->core, a.group) < 0) {
		snprintf(why, sizeof(why), "no group %s in ha.groups", a.group);
		ctl_reply_error(r, why);
		return;
	}
	if (type == CTL_ACTIVATE)
		role_activate(x, a.group, (a.flags & CTL_RF_UNCLEAN) != 0, r);
	else
		role_standby(x, a.group, r);
}

int
ikev2d_ctl_request(const struct ikev2d_ctl *x, const struct ctl_hdr *h,
    struct rd *tlvs, struct ctl_reply *r)
{
	struct ike_core	*core = x->core;

	switch (h->type) {
	case CTL_REKEY:
	case CTL_DELETE:
	case CTL_SAS:
	case CTL_ACTIVATE:
	case CTL_STANDBY:
		if (core == NULL) {
			ctl_reply_error(r, "ikev2d has no IKE core running");
			return 0;
		}
		break;
	default:
		return -1;
	}
	switch (h->type) {
	case CTL_REKEY:
	case CTL_DELETE:
		sa_cmd_reply(core, h->type, tlvs, clock_ms(CLOCK_MONOTONIC), r);
		break;
	case CTL_SAS:
		sas_reply(core, clock_ms(CLOCK_MONOTONIC), r);
		break;
	default:
		role_reply(x, h->type, tlvs, r);
		break;
	}
	return 0;
}
