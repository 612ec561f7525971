/*
 * ha/haadm_drill.c -- `haadm drill`: a failover drill on a live cluster
 * that measures itself and says PASS or FAIL (haadm(8), DRILL).  The
 * pure parts -- SA set comparison, gap, verdict, report -- are in
 * ha/drill.c; this file does the I/O: the three daemons' control
 * sockets on this node, the interfaces (haadm_link.c), the clock.
 *
 * Run on the MASTER of the group.  In order:
 *   1. health gate: hamgrd sees another member and exactly one master
 *      (this node); syncd replicates and holds as many of the group's
 *      SAs as ikev2d has established;
 *   2. before: the group's IKE and Child SAs from ikev2d, then ~1 s of
 *      counter samples from syncd (every 50 ms); refused when syncd's
 *      write-ahead is stuck (events unacknowledged all along), when the
 *      kernel's packet counts moved but the replicated ones did not
 *      (replication stalled), or when nothing moved and --max-outage
 *      is to be judged;
 *   3. the failure: planned = CTL_FAILOVER to hamgrd; crash = the
 *      group's interface and every VIP interface DOWN for --down; link =
 *      the --link-if interfaces DOWN for --down;
 *   4. samples every 50 ms: syncd's replicated SAs (inbound replay tops:
 *      the traffic gap) and hamgrd's view (who is MASTER: the takeover);
 *      the links go UP again after --down;
 *   5. settle, then wait (up to 30 s) for exactly one master; after:
 *      the SAs this node's syncd holds for the group;
 *   6. --back: once this node is BACKUP, CTL_FAILOVER naming this node
 *      to the local hamgrd, which asks the master over CPG (HAMSG_PULL)
 *      to hand the group here; wait until this node is its only MASTER;
 *   7. every node's replay / integrity error counters (XFRM, from the
 *      STATS each syncd multicasts) before the failure and after it:
 *      any that rose fails the drill;
 *   8. report and verdict.
 * Every interface taken down is brought up again on every path out,
 * SIGINT / SIGTERM included (the handler only sets a flag; the sampling
 * loop sees it and restores).  All measurements come from this node's
 * daemons: no socket to another node (the other nodes' XFRM counters
 * come through this node's syncd).
 *
 * Exit: 0 PASS, 1 FAIL (or refused: not the master, unhealthy), 2 the
 * drill could not run (a daemon unreachable, netlink failed,
 * interrupted), 64 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drill.h"
#include "haadm.h"
#include "tandem/clock.h"
#include "tandem/cfg.h"
#include "tandem/daemon.h"
#include "tandem/util.h"

#define SAMPLE_MS	50
#define BEFORE_MIN_MS	1000	/* counter samples before the failure */
#define TAKEOVER_MAX_MS	20000	/* no takeover by then: stop waiting */
#define ONE_MASTER_MS	30000	/* wait for exactly one master */
#define AFTER_MAX_MS	5000	/* after settle: for a counter advance */
#define GATE_TRIES	20	/* x 100 ms: counts may lag a moment */
#define KV_MAX		256

struct kvs {
	char	 k[KV_MAX][64];
	char	 v[KV_MAX][256];
	size_t	 n;
	bool	 bad;
};

struct drill_run {
	struct haadm		*h;
	struct tnd_cfg		*cfg;
	const struct cfg_group	*g;
	enum drill_kind		 kind;
	int64_t			 down_ms, settle_ms;
	struct drill_limits	 lim;
	struct haadm_links	 lk;		/* what a failure sets down */
	bool			 back;		/* --back */
	char			 node[DRILL_NAME_MAX];
	char			 path[3][512];	/* ikev2d, syncd, hamgrd */
	char			 err[512];
};

enum { P_IKE, P_SYNC, P_HA };

static volatile sig_atomic_t	 stop_sig;

static void
on_signal(int sig)
{
	stop_sig = sig;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec	 ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	(void)nanosleep(&ts, NULL);	/* EINTR: the caller checks stop_sig */
}

/* --- control sockets -------------------------------------------------- */

static void
on_kv(void *arg, const struct ctl_hdr *h, struct rd *tlvs)
{
	struct kvs	*o = arg;
	struct ctl_tlv	 t;
	int		 rc;

	while ((rc = ctl_next(tlvs, &t)) == 1)
		if (t.tag == CTL_T_KV && o->n < KV_MAX &&
		    ctl_kv(&t, o->k[o->n], sizeof(o->k[0]), o->v[o->n],
		    sizeof(o->v[0])) == 0)
			o->n++;
	if (rc < 0)
		o->bad = true;
}

static const char *
kv_get(const struct kvs *o, const char *key)
{
	size_t	 i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->k[i], key) == 0)
			return o->v[i];
	return NULL;
}

static const char *
gkv(const struct kvs *o, const char *group, const char *key)
{
	char	 k[128];

	snprintf(k, sizeof(k), "%s.%s", group, key);
	return kv_get(o, k);
}

static int
status(struct drill_run *r, int which, struct kvs *o)
{
	memset(o, 0, sizeof(*o));
	if (ctl_request(r->path[which], CTL_STATUS, r->h->timeout_ms, on_kv,
	    o, r->err, sizeof(r->err)) == -1)
		return -1;
	if (o->bad) {
		snprintf(r->err, sizeof(r->err), "%s: malformed status reply",
		    r->path[which]);
		return -1;
	}
	return 0;
}

/* Number of names in a comma-separated list ("" = 0). */
static size_t
list_count(const char *s)
{
	size_t	 n = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (n = 1; *s != '\0'; s++)
		n += *s == ',';
	return n;
}

/* The first name of the list that is not name, into out ("" = none). */
static void
list_other(const char *s, const char *name, char *out, size_t len)
{
	const char	*e;
	size_t		 n;

	out[0] = '\0';
	while (s != NULL && *s != '\0') {
		e = strchr(s, ',');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n != strlen(name) || strncmp(s, name, n) != 0) {
			snprintf(out, len, "%.*s", (int)n, s);
			return;
		}
		s = e != NULL ? e + 1 : NULL;
	}
}

/*
 * The group's SAs.  from_syncd: syncd's "ike"/"child" tables (group
 * column; in_top: the replicated inbound replay top); else ikev2d's
 * (established IKE SAs of the group's connections, their Child SAs by
 * ike_uid; in_top: the kernel's inbound packet count).
 */
static int
sas(struct drill_run *r, bool from_syncd, struct drill_sas *out)
{
	struct tables		 ts;
	const struct table	*ti, *tc;
	const char		*cols_i[] = { "group", "spi_i", "spi_r" };
	const char		*cols_c[] = { "group", "ike_spi_i",
				    "ike_spi_r", "spi_in", "spi_out",
				    "in_top" };
	const char		*kcols_i[] = { "uid", "conn", "state",
				    "spi_i", "spi_r" };
	const char		*kcols_c[] = { "ike_uid", "spi_in",
				    "spi_out", "packets_in" };
	const struct cfg_conn	*cn;
	size_t			 ci[6], cc[6], i, j, k;
	char			 **row, **irow;
	int			 ret = -1;

	memset(&ts, 0, sizeof(ts));
	memset(out, 0, sizeof(*out));
	if (ctl_request(r->path[from_syncd ? P_SYNC : P_IKE], CTL_SAS,
	    r->h->timeout_ms, tables_on_msg, &ts, r->err,
	    sizeof(r->err)) == -1)
		goto done;
	ti = tables_find(&ts, "ike");
	tc = tables_find(&ts, "child");
	if (ts.bad || ti == NULL || tc == NULL) {
		snprintf(r->err, sizeof(r->err), "%s: malformed SA tables",
		    r->path[from_syncd ? P_SYNC : P_IKE]);
		goto done;
	}
	/* Columns by name: a newer daemon may add some. */
	for (k = 0; k < (from_syncd ? 3u : 5u); k++) {
		for (j = 0; j < ti->ncols; j++)
			if (strcmp(ti->cols[j], from_syncd ? cols_i[k] :
			    kcols_i[k]) == 0)
				break;
		if (j == ti->ncols)
			goto cols;
		ci[k] = j;
	}
	for (k = 0; k < (from_syncd ? 6u : 4u); k++) {
		for (j = 0; j < tc->ncols; j++)
			if (strcmp(tc->cols[j], from_syncd ? cols_c[k] :
			    kcols_c[k]) == 0)
				break;
		if (j == tc->ncols)
			goto cols;
		cc[k] = j;
	}
	if (from_syncd) {
		for (i = 0; i < ti->nrows; i++) {
			row = ti->rows[i];
			if (strcmp(row[ci[0]], r->g->name) == 0 &&
			    drill_sas_add_ike(out, row[ci[1]],
			    row[ci[2]]) == -1)
				goto malformed;
		}
		for (i = 0; i < tc->nrows; i++) {
			row = tc->rows[i];
			if (strcmp(row[cc[0]], r->g->name) == 0 &&
			    drill_sas_add_child(out, row[cc[1]], row[cc[2]],
			    row[cc[3]], row[cc[4]],
			    strtoull(row[cc[5]], NULL, 10)) == -1)
				goto malformed;
		}
		ret = 0;
		goto done;
	}
	for (i = 0; i < ti->nrows; i++) {
		row = ti->rows[i];
		cn = cfg_conn_find(r->cfg, row[ci[1]]);
		if (cn == NULL || strcmp(cn->vip_group, r->g->name) != 0 ||
		    (strcmp(row[ci[2]], "ESTABLISHED") != 0 &&
		    strcmp(row[ci[2]], "REKEYING") != 0))
			continue;
		if (drill_sas_add_ike(out, row[ci[3]], row[ci[4]]) == -1)
			goto malformed;
		for (j = 0; j < tc->nrows; j++) {
			irow = tc->rows[j];
			if (strcmp(irow[cc[0]], row[ci[0]]) != 0)
				continue;
			if (drill_sas_add_child(out, row[ci[3]], row[ci[4]],
			    irow[cc[1]], irow[cc[2]],
			    strtoull(irow[cc[3]], NULL, 10)) == -1)
				goto malformed;
		}
	}
	ret = 0;
	goto done;
 cols:
	snprintf(r->err, sizeof(r->err), "%s: SA tables lack a column this "
	    "haadm needs", r->path[from_syncd ? P_SYNC : P_IKE]);
	goto done;
 malformed:
	snprintf(r->err, sizeof(r->err), "%s: malformed SPI in the SA "
	    "tables", r->path[from_syncd ? P_SYNC : P_IKE]);
 done:
	if (ret == -1)
		drill_sas_free(out);
	tables_free(&ts);
	return ret;
}

/* --- every node's replay / integrity errors (syncd's STATS) ------------- */

#define XERR_FRESH_MS	3000	/* after: wait this long for new STATS */

static struct nodes_view	 xnv;
static struct haadm_skv		 xst;

/*
 * Note every node's counters (nodes_view.h: syncd's view of each
 * member, this node included).  After the drill only figures from STATS
 * sent since this call started count, so that a peer's counters are read
 * after the failure, not before it: wait up to XERR_FRESH_MS for them.
 * A node that stays silent (stale) is shown without "after" and not
 * judged.  Nothing is noted when syncd does not answer.
 */
static void
xerr_sample(struct drill_run *r, struct drill_report *rep, bool after)
{
	const struct nv_node	*n;
	uint64_t		 v[DRILL_XE_MAX];
	int64_t			 t0 = mono_ms(), waited;
	size_t			 i, x, fresh;
	char			 err[512];

	for (;;) {
		if (haadm_nodes(r->h, &xnv, &xst, err, sizeof(err)) == -1)
			return;
		waited = mono_ms() - t0;
		for (i = 0, fresh = 0; i < xnv.nn; i++)
			fresh += !xnv.n[i].stale && xnv.n[i].heard &&
			    (!after || xnv.n[i].stats_age_ms <= waited);
		if (fresh == xnv.nn || waited >= XERR_FRESH_MS || stop_sig)
			break;
		sleep_ms(100);
	}
	for (i = 0; i < xnv.nn; i++) {
		n = &xnv.n[i];
		if (n->stale || !n->heard ||
		    (after && n->stats_age_ms > waited))
			continue;
		for (x = 0; x < DRILL_XE_MAX; x++)
			v[x] = nodes_view_xstat(n, drill_xerr_name(
			    (unsigned int)x));
		(void)drill_xerr_note(&rep->xerr, n->id, n->name, n->self,
		    after, v);
	}
}

/* --- the drill ---------------------------------------------------------- */

static int
refuse(struct drill_run *r, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
refuse(struct drill_run *r, int rc, const char *fmt, ...)
{
	char	 why[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (r->h->json) {
		printf("{\"verdict\": \"%s\", \"reasons\": [",
		    rc == HAADM_DEGRADED ? "refused" : "error");
		json_str(stdout, why);
		printf("]}\n");
	} else
		fprintf(stderr, "drill: %s\n", why);
	return rc;
}

/*
 * The health gate.  Returns 0, or the exit code with the reason printed.
 */
static int
gate(struct drill_run *r, struct drill_sas *before)
{
	struct kvs	*ha, *sy;
	const char	*v, *masters;
	char		 other[DRILL_NAME_MAX];
	int		 tries, ret = HAADM_FAILED;

	ha = calloc(1, sizeof(*ha));
	sy = calloc(1, sizeof(*sy));
	if (ha == NULL || sy == NULL) {
		ret = refuse(r, HAADM_FAILED, "out of memory");
		goto done;
	}
	for (tries = 0;; tries++) {
		if (status(r, P_HA, ha) == -1) {
			ret = refuse(r, HAADM_FAILED, "hamgrd: %s", r->err);
			goto done;
		}
		snprintf(r->node, sizeof(r->node), "%s",
		    (v = kv_get(ha, "node")) != NULL ? v : "?");
		v = gkv(ha, r->g->name, "role");
		masters = gkv(ha, r->g->name, "masters");
		if (v == NULL || masters == NULL) {
			ret = refuse(r, HAADM_FAILED, "hamgrd does not report "
			    "group %s (or is too old for drills)",
			    r->g->name);
			goto done;
		}
		if (strcmp(v, "MASTER") != 0) {
			list_other(masters, r->node, other, sizeof(other));
			ret = refuse(r, HAADM_DEGRADED, "run it on the master "
			    "of %s (node %s)", r->g->name, other[0] != '\0' ?
			    other : "none known");
			goto done;
		}
		if ((v = kv_get(ha, "members")) == NULL || *v == '\0' ||
		    strcmp(kv_get(ha, "cluster") != NULL ?
		    kv_get(ha, "cluster") : "", "up") != 0) {
			ret = refuse(r, HAADM_DEGRADED, "unhealthy cluster: "
			    "hamgrd sees no other member (cluster %s)",
			    kv_get(ha, "cluster") != NULL ?
			    kv_get(ha, "cluster") : "?");
			goto done;
		}
		if (list_count(masters) != 1) {
			ret = refuse(r, HAADM_DEGRADED, "unhealthy cluster: "
			    "%zu masters of %s (%s)", list_count(masters),
			    r->g->name, masters);
			goto done;
		}
		if (status(r, P_SYNC, sy) == -1) {
			ret = refuse(r, HAADM_FAILED, "syncd: %s", r->err);
			goto done;
		}
		if ((v = kv_get(sy, "replication")) == NULL ||
		    strcmp(v, "on") != 0) {
			ret = refuse(r, HAADM_DEGRADED, "unhealthy cluster: "
			    "syncd replication is %s", v != NULL ? v : "?");
			goto done;
		}
		drill_sas_free(before);
		if (sas(r, false, before) == -1) {
			ret = refuse(r, HAADM_FAILED, "ikev2d: %s", r->err);
			goto done;
		}
		{
			struct drill_sas	 s;
			struct drill_cmp	 c;

			if (sas(r, true, &s) == -1) {
				ret = refuse(r, HAADM_FAILED, "syncd: %s",
				    r->err);
				goto done;
			}
			drill_compare(before, &s, &c);
			drill_sas_free(&s);
			if (c.ike_kept == c.ike_before &&
			    c.ike_after == c.ike_before &&
			    c.child_kept == c.child_before &&
			    c.child_after == c.child_before)
				break;
			if (tries + 1 >= GATE_TRIES) {
				ret = refuse(r, HAADM_DEGRADED, "unhealthy "
				    "cluster: syncd holds %zu IKE / %zu Child "
				    "SAs of %s, ikev2d %zu / %zu (replication "
				    "behind?)", c.ike_after, c.child_after,
				    r->g->name, c.ike_before, c.child_before);
				goto done;
			}
		}
		sleep_ms(100);
		if (stop_sig) {
			ret = refuse(r, HAADM_FAILED, "interrupted");
			goto done;
		}
	}
	ret = 0;
 done:
	free(ha);
	free(sy);
	return ret;
}

static int
failover(struct drill_run *r)
{
	struct ctl_role_req	 rq;
	struct kvs		*o;
	struct wr		 w;
	uint8_t			 body[256];
	int			 rc;

	if ((o = calloc(1, sizeof(*o))) == NULL) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		return -1;
	}
	memset(&rq, 0, sizeof(rq));
	snprintf(rq.group, sizeof(rq.group), "%s", r->g->name);
	wr_init(&w, body, sizeof(body));
	ctl_put_role_args(&w, &rq);
	rc = w.bad ? -1 : ctl_request_body(r->path[P_HA], CTL_FAILOVER, body,
	    w.len, r->h->timeout_ms, on_kv, o, r->err, sizeof(r->err));
	free(o);
	return rc;
}

/* syncd's replication progress (its status lines). */
struct wal_view {
	uint64_t	 tx, committed;		/* tx_seq, committed_seq */
	uint64_t	 queued, delivered;	/* cpg_queued, cpg_delivered */
	uint64_t	 lasked, lcommitted;	/* ctr_leases_asked, _committed */
};

static int
wal_seqs(struct drill_run *r, struct kvs *o, struct wal_view *v)
{
	const char	*k[] = { "tx_seq", "committed_seq", "cpg_queued",
			    "cpg_delivered", "ctr_leases_asked",
			    "ctr_leases_committed" };
	uint64_t	*f[] = { &v->tx, &v->committed, &v->queued,
			    &v->delivered, &v->lasked, &v->lcommitted };
	const char	*a;
	size_t		 i;

	if (status(r, P_SYNC, o) == -1)
		return -1;
	for (i = 0; i < nitems(k); i++) {
		if ((a = kv_get(o, k[i])) == NULL) {
			snprintf(r->err, sizeof(r->err), "syncd does not "
			    "report %s", k[i]);
			return -1;
		}
		*f[i] = strtoull(a, NULL, 10);
	}
	return 0;
}

/* One look at hamgrd: the masters of the group now ("" on error). */
static void
masters_now(struct drill_run *r, struct kvs *ha, char *out, size_t len)
{
	const char	*m;

	out[0] = '\0';
	if (status(r, P_HA, ha) == 0 &&
	    (m = gkv(ha, r->g->name, "masters")) != NULL)
		snprintf(out, len, "%s", m);
}

/*
 * --back: once this node is BACKUP, ask the master (through the local
 * hamgrd, which relays a HAMSG_PULL over CPG) to hand the group back,
 * and wait until this node is its only MASTER.
 */
static void
back_trip(struct drill_run *r, struct drill_report *rep, struct kvs *ha)
{
	struct ctl_role_req	 rq;
	struct kvs		*o;
	struct wr		 w;
	uint8_t			 body[256];
	const char		*role = NULL, *m = NULL;
	int64_t			 t, deadline;

	rep->back = true;
	rep->back_ms = -1;
	for (deadline = mono_ms() + ONE_MASTER_MS;; sleep_ms(100)) {
		if (status(r, P_HA, ha) == 0 &&
		    (role = gkv(ha, r->g->name, "role")) != NULL &&
		    strcmp(role, "BACKUP") == 0)
			break;
		if (mono_ms() >= deadline || stop_sig) {
			snprintf(rep->back_why, sizeof(rep->back_why),
			    "%s is %s, not BACKUP, %d s after the drill",
			    r->node, role != NULL ? role : "unknown",
			    ONE_MASTER_MS / 1000);
			return;
		}
	}
	if ((o = calloc(1, sizeof(*o))) == NULL) {
		snprintf(rep->back_why, sizeof(rep->back_why),
		    "out of memory");
		return;
	}
	memset(&rq, 0, sizeof(rq));
	snprintf(rq.group, sizeof(rq.group), "%s", r->g->name);
	snprintf(rq.node, sizeof(rq.node), "%s", r->node);
	wr_init(&w, body, sizeof(body));
	ctl_put_role_args(&w, &rq);
	t = mono_ms();
	if (w.bad || ctl_request_body(r->path[P_HA], CTL_FAILOVER, body,
	    w.len, r->h->timeout_ms, on_kv, o, r->err,
	    sizeof(r->err)) == -1) {
		snprintf(rep->back_why, sizeof(rep->back_why), "%.100s",
		    w.bad ? "request too large" : r->err);
		free(o);
		return;
	}
	free(o);
	for (deadline = t + ONE_MASTER_MS;; sleep_ms(50)) {
		if (status(r, P_HA, ha) == 0 &&
		    (role = gkv(ha, r->g->name, "role")) != NULL &&
		    (m = gkv(ha, r->g->name, "masters")) != NULL &&
		    strcmp(role, "MASTER") == 0 && list_count(m) == 1) {
			rep->back_ms = mono_ms() - t;
			return;
		}
		if (mono_ms() >= deadline || stop_sig) {
			snprintf(rep->back_why, sizeof(rep->back_why),
			    "%s asked for %s but is %s %d s later (masters: "
			    "%.40s)", r->node, r->g->name, role != NULL ?
			    role : "unknown", ONE_MASTER_MS / 1000,
			    m != NULL && *m != '\0' ? m : "none");
			return;
		}
	}
}

static int
run(struct drill_run *r)
{
	struct drill_report	*rep = NULL;
	struct drill_sas	 before, prev, cur, after, k0, k1;
	struct wal_view		 w0, w1;
	struct drill_gap	 gap;
	struct kvs		*ha = NULL;
	char			 m[2 * DRILL_NAME_MAX], other[DRILL_NAME_MAX];
	int64_t			 t0, t_fail, t_up = -1, t_take = -1, now;
	int64_t			 settle_from, deadline;
	bool			 have_prev = false, adv;
	size_t			 i;
	int			 ret = HAADM_FAILED, rc;

	memset(&before, 0, sizeof(before));
	memset(&prev, 0, sizeof(prev));
	memset(&cur, 0, sizeof(cur));
	memset(&after, 0, sizeof(after));
	memset(&k0, 0, sizeof(k0));
	memset(&k1, 0, sizeof(k1));
	if ((rep = calloc(1, sizeof(*rep))) == NULL ||
	    (ha = calloc(1, sizeof(*ha))) == NULL) {
		ret = refuse(r, HAADM_FAILED, "out of memory");
		goto done;
	}
	if ((rc = gate(r, &before)) != 0) {
		ret = rc;
		goto done;
	}
	rep->kind = r->kind;
	snprintf(rep->group, sizeof(rep->group), "%s", r->g->name);
	snprintf(rep->node, sizeof(rep->node), "%s", r->node);
	snprintf(rep->old_master, sizeof(rep->old_master), "%s", r->node);
	rep->ctr_sync_ms = r->cfg->sync.aevent_timer_ms;
	rep->settle_ms = r->settle_ms;
	rep->down_ms = r->kind == DRILL_PLANNED ? 0 : r->down_ms;
	if (r->kind == DRILL_PLANNED)
		snprintf(rep->what, sizeof(rep->what), "planned handover "
		    "(failover to the best other node)");
	else {
		size_t	 used;

		used = (size_t)snprintf(rep->what, sizeof(rep->what), "%s",
		    r->kind == DRILL_CRASH ? "LAN links down:" :
		    "cluster links down:");
		for (i = 0; i < r->lk.n && used < sizeof(rep->what); i++)
			used += (size_t)snprintf(rep->what + used,
			    sizeof(rep->what) - used, "%s %s", i ? "," : "",
			    r->lk.name[i]);
	}

	/* Counters before the failure: long enough to see a batch.  The
	 * kernel's (ikev2d) tell "no traffic" from "replication stalled". */
	if (sas(r, false, &k0) == -1 || wal_seqs(r, ha, &w0) == -1) {
		ret = refuse(r, HAADM_FAILED, "%s", r->err);
		goto done;
	}
	t0 = mono_ms();
	drill_gap_init(&gap, INT64_MAX);
	while ((now = mono_ms()) - t0 < BEFORE_MIN_MS + rep->ctr_sync_ms &&
	    !stop_sig) {
		if (sas(r, true, &cur) == 0) {
			adv = have_prev && drill_sas_advanced(&prev, &cur);
			drill_gap_note(&gap, now, adv);
			drill_sas_free(&prev);
			prev = cur;
			memset(&cur, 0, sizeof(cur));
			have_prev = true;
		}
		sleep_ms(SAMPLE_MS);
	}
	if (stop_sig) {
		ret = refuse(r, HAADM_FAILED, "interrupted before the failure");
		goto done;
	}
	if (sas(r, false, &k1) == -1 || wal_seqs(r, ha, &w1) == -1) {
		ret = refuse(r, HAADM_FAILED, "%s", r->err);
		goto done;
	}
	if (w1.lasked > w1.lcommitted && w0.lasked > w0.lcommitted &&
	    w1.lcommitted == w0.lcommitted) {
		ret = refuse(r, HAADM_DEGRADED, "unhealthy cluster: "
		    "replication stalled: %" PRIu64 " ESP sequence lease "
		    "extension%s not committed by every member for %" PRId64
		    " ms (a member's syncd stuck?): outbound ESP stops at its "
		    "lease", w1.lasked - w1.lcommitted, w1.lasked -
		    w1.lcommitted == 1 ? "" : "s", mono_ms() - t0);
		goto done;
	}
	if ((w1.committed == w0.committed && w1.tx > w1.committed) ||
	    (w1.queued > 0 && w0.queued > 0 &&
	    w1.delivered == w0.delivered)) {
		ret = refuse(r, HAADM_DEGRADED, "unhealthy cluster: "
		    "replication stalled for %" PRId64 " ms: syncd has %"
		    PRIu64 " events unacknowledged, %" PRIu64 " messages "
		    "queued for corosync, %" PRIu64 " delivered (a member's "
		    "syncd stuck?); outbound ESP waits for its sequence "
		    "lease", mono_ms() - t0, w1.tx - w1.committed, w1.queued,
		    w1.delivered - w0.delivered);
		goto done;
	}
	if (gap.last_before_ms < 0 && drill_sas_advanced(&k0, &k1)) {
		ret = refuse(r, HAADM_DEGRADED, "unhealthy cluster: "
		    "replication stalled: the kernel received ESP on %s's "
		    "Child SAs for %" PRId64 " ms, but the counters syncd "
		    "replicates did not move (a member's syncd stuck?)",
		    r->g->name, mono_ms() - t0);
		goto done;
	}
	if (gap.last_before_ms < 0 &&
	    r->lim.max_outage_ms != DRILL_NO_LIMIT) {
		ret = refuse(r, HAADM_DEGRADED, "no inbound ESP on %s's "
		    "Child SAs for %" PRId64 " ms: --max-outage cannot be "
		    "judged without traffic (syncd: %" PRIu64 " events "
		    "unacknowledged, %" PRIu64 " queued for corosync, "
		    "leases asked %" PRIu64 ", committed %" PRIu64 ")",
		    r->g->name, mono_ms() - t0, w1.tx - w1.committed,
		    w1.queued, w1.lasked, w1.lcommitted);
		goto done;
	}

	xerr_sample(r, rep, false);

	/* The failure. */
	t_fail = mono_ms();
	gap.fail_ms = t_fail;
	if (r->kind == DRILL_LINK)	/* the master stays: no takeover */
		drill_gap_resume(&gap, t_fail);
	rep->fail_unix_ms = unix_ms();
	if (r->kind == DRILL_PLANNED)
		rc = failover(r);
	else
		rc = links_down(&r->lk);
	if (rc == -1) {
		(void)links_up(&r->lk);
		ret = refuse(r, HAADM_FAILED, "%s: %s", r->kind ==
		    DRILL_PLANNED ? "failover refused" : "links", r->kind ==
		    DRILL_PLANNED ? r->err : r->lk.err);
		goto done;
	}

	/* Samples until the links are back, the takeover is seen (or
	 * cannot be expected) and the settle period is over. */
	deadline = t_fail + rep->down_ms + TAKEOVER_MAX_MS;
	settle_from = -1;
	for (;;) {
		now = mono_ms();
		if (stop_sig)
			break;
		if (r->kind != DRILL_PLANNED && t_up < 0 &&
		    now - t_fail >= r->down_ms) {
			if (links_up(&r->lk) == -1) {
				ret = HAADM_FAILED;
				goto done;
			}
			t_up = now;
		}
		if (sas(r, true, &cur) == 0) {
			adv = have_prev && drill_sas_advanced(&prev, &cur);
			drill_gap_note(&gap, now, adv);
			drill_sas_free(&prev);
			prev = cur;
			memset(&cur, 0, sizeof(cur));
			have_prev = true;
		}
		masters_now(r, ha, m, sizeof(m));
		list_other(m, r->node, other, sizeof(other));
		if (other[0] != '\0' && t_take < 0) {
			t_take = now;
			/* From here on counters may be the new master's;
			 * the old master's last batches land within one
			 * counter-sync interval. */
			drill_gap_resume(&gap, now + rep->ctr_sync_ms);
			rep->role_changed = true;
			snprintf(rep->new_master, sizeof(rep->new_master),
			    "%s", other);
		}
		if (settle_from < 0 && (r->kind == DRILL_PLANNED ||
		    t_up >= 0) && (t_take >= 0 || r->kind == DRILL_LINK ||
		    now >= deadline))
			settle_from = now;
		/* Settled; a little longer for a first counter advance. */
		if (settle_from >= 0 && now - settle_from >= r->settle_ms &&
		    (gap.first_after_ms >= 0 || now - settle_from >=
		    r->settle_ms + AFTER_MAX_MS))
			break;
		if (now >= deadline + r->settle_ms)
			break;
		sleep_ms(SAMPLE_MS);
	}
	if (links_up(&r->lk) == -1) {
		ret = HAADM_FAILED;
		goto done;
	}
	if (stop_sig) {
		ret = refuse(r, HAADM_FAILED, "interrupted by signal %d; "
		    "links restored", (int)stop_sig);
		goto done;
	}
	rep->takeover_ms = t_take >= 0 ? t_take - t_fail : -1;
	/* The new master's own account of its transition (HAMSG_TRANS). */
	if (rep->new_master[0] != '\0' && status(r, P_HA, ha) == 0) {
		const char	*pn, *pt, *pu, *pa;
		double		 act;

		pn = gkv(ha, r->g->name, "peer_last_node");
		pt = gkv(ha, r->g->name, "peer_last_to");
		pu = gkv(ha, r->g->name, "peer_last_unix_ms");
		pa = gkv(ha, r->g->name, "peer_last_act_ms");
		if (pn != NULL && pt != NULL && pu != NULL && pa != NULL &&
		    strcmp(pn, rep->new_master) == 0 &&
		    strcmp(pt, "MASTER") == 0 &&
		    strtoll(pu, NULL, 10) >= rep->fail_unix_ms - 60000 &&
		    strtoll(pu, NULL, 10) < rep->fail_unix_ms + 3600000 &&
		    (act = strtod(pa, NULL)) >= 0.0 && act < 1e7) {
			/* hamgrd's lines are checked like any input. */
			rep->have_decided = true;
			rep->decided_ms = strtoll(pu, NULL, 10) -
			    rep->fail_unix_ms;
			rep->activation_us = (int64_t)(act * 1000.0);
		}
	}
	rep->gap_ms = drill_gap_ms(&gap);

	/* Exactly one master to end with (the drill waits for it). */
	for (deadline = mono_ms() + ONE_MASTER_MS;;) {
		masters_now(r, ha, m, sizeof(m));
		if (list_count(m) == 1 || mono_ms() >= deadline || stop_sig)
			break;
		sleep_ms(100);
	}
	snprintf(rep->masters_after, sizeof(rep->masters_after), "%s", m);
	rep->nmasters_after = list_count(m);
	if (r->kind == DRILL_LINK) {
		if (rep->nmasters_after == 1 && strcmp(m, r->node) != 0) {
			rep->role_changed = true;
			list_other(m, r->node, rep->new_master,
			    sizeof(rep->new_master));
		} else if (!rep->role_changed)
			snprintf(rep->new_master, sizeof(rep->new_master),
			    "%s", r->node);
		/* After a cluster cut syncd resyncs: wait until it is live
		 * again before reading what it holds. */
		for (deadline = mono_ms() + ONE_MASTER_MS;
		    mono_ms() < deadline && !stop_sig;) {
			const char	*v;

			if (status(r, P_SYNC, ha) == 0 &&
			    (v = kv_get(ha, "resync")) != NULL &&
			    strcmp(v, "live") == 0 &&
			    (v = kv_get(ha, "replication")) != NULL &&
			    strcmp(v, "on") == 0)
				break;
			sleep_ms(100);
		}
	} else if (rep->nmasters_after == 1 && strcmp(m, r->node) != 0)
		list_other(m, r->node, rep->new_master,
		    sizeof(rep->new_master));
	if (sas(r, true, &after) == -1) {
		ret = refuse(r, HAADM_FAILED, "syncd after the drill: %s",
		    r->err);
		goto done;
	}
	drill_compare(&before, &after, &rep->cmp);
	if (r->back)
		back_trip(r, rep, ha);
	/* After the return trip too: its errors count. */
	xerr_sample(r, rep, true);
	drill_evaluate(rep, &r->lim);
	if (r->h->json)
		drill_json(stdout, rep);
	else
		drill_print(stdout, rep);
	ret = rep->pass ? HAADM_OK : HAADM_DEGRADED;
 done:
	(void)links_up(&r->lk);
	drill_sas_free(&before);
	drill_sas_free(&prev);
	drill_sas_free(&cur);
	drill_sas_free(&after);
	drill_sas_free(&k0);
	drill_sas_free(&k1);
	free(rep);
	free(ha);
	return ret;
}

static void
drill_usage(FILE *f)
{
	fprintf(f,
"usage: haadm drill --planned|--crash|--link [--group G] [--back]\n"
"                   [--down DUR] [--settle DUR] [--max-outage DUR]\n"
"                   [--max-renegotiations N] [--max-rekeys N]\n"
"                   [--link-if IF ...] [-c FILE] [--json]\n"
"Run on the MASTER of the group.  --planned hands the group over;\n"
"--crash takes this node's LAN interfaces (the group's interface and its\n"
"VIP interfaces, from FILE) down for --down (default 5s); --link takes\n"
"the --link-if interfaces (the cluster link) down for --down.  Reports\n"
"the takeover, the traffic gap and the SAs kept.  --back: then ask for\n"
"the group back (the master hands it here).  Exit 0 PASS, 1 FAIL or\n"
"refused, 2 the drill could not run.  DUR: 500ms, 2s.\n");
}

static int
count_arg(const char *opt, const char *v, int64_t *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 0 ||
	    n > 1000000) {
		fprintf(stderr, "haadm drill: %s: '%s' is not a count\n", opt,
		    v);
		return -1;
	}
	*out = n;
	return 0;
}

static int
dur_arg(const char *opt, const char *v, int64_t *out)
{
	if (drill_parse_duration(v, out) == -1) {
		fprintf(stderr, "haadm drill: %s: '%s' is not a duration "
		    "(500ms, 2s)\n", opt, v);
		return -1;
	}
	return 0;
}

int
haadm_drill(struct haadm *h, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "planned",		no_argument,		NULL, 'P' },
		{ "crash",		no_argument,		NULL, 'C' },
		{ "link",		no_argument,		NULL, 'L' },
		{ "group",		required_argument,	NULL, 'g' },
		{ "back",		no_argument,		NULL, 'b' },
		{ "down",		required_argument,	NULL, 'd' },
		{ "settle",		required_argument,	NULL, 's' },
		{ "max-outage",		required_argument,	NULL, 'o' },
		{ "max-renegotiations",	required_argument,	NULL, 'n' },
		{ "max-rekeys",		required_argument,	NULL, 'k' },
		{ "link-if",		required_argument,	NULL, 'i' },
		{ "config",		required_argument,	NULL, 'c' },
		{ "json",		no_argument,		NULL, 'j' },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL,			0,			NULL, 0 }
	};
	struct sigaction	 sa, old_int, old_term;
	struct drill_run	 r;
	const char		*config = DAEMON_DEFAULT_CONFIG;
	const char		*group = NULL;
	const char		*names[] = { "ikev2d", "syncd", "hamgrd" };
	char			 cerr[512];
	char			 link_ifs[HAADM_LINKS_MAX][IFNAMSIZ];
	size_t			 nlink_ifs = 0, i, j;
	int			 c, nkinds = 0, ret;
	bool			 back = false;

	memset(&r, 0, sizeof(r));
	r.h = h;
	r.down_ms = 5000;
	r.settle_ms = 3000;
	r.lim.max_outage_ms = DRILL_NO_LIMIT;
	r.lim.max_renegotiations = 0;
	r.lim.max_rekeys = DRILL_NO_LIMIT;
	optind = 1;
	while ((c = getopt_long(argc, argv, "g:c:jh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'P':
			r.kind = DRILL_PLANNED;
			nkinds++;
			break;
		case 'C':
			r.kind = DRILL_CRASH;
			nkinds++;
			break;
		case 'L':
			r.kind = DRILL_LINK;
			nkinds++;
			break;
		case 'g':
			group = optarg;
			break;
		case 'b':
			back = true;
			break;
		case 'd':
			if (dur_arg("--down", optarg, &r.down_ms) == -1)
				return HAADM_USAGE;
			break;
		case 's':
			if (dur_arg("--settle", optarg, &r.settle_ms) == -1)
				return HAADM_USAGE;
			break;
		case 'o':
			if (dur_arg("--max-outage", optarg,
			    &r.lim.max_outage_ms) == -1)
				return HAADM_USAGE;
			break;
		case 'n':
			if (count_arg("--max-renegotiations", optarg,
			    &r.lim.max_renegotiations) == -1)
				return HAADM_USAGE;
			break;
		case 'k':
			if (count_arg("--max-rekeys", optarg,
			    &r.lim.max_rekeys) == -1)
				return HAADM_USAGE;
			break;
		case 'i':
			if (strlen(optarg) == 0 ||
			    strlen(optarg) >= IFNAMSIZ ||
			    nlink_ifs >= HAADM_LINKS_MAX) {
				fprintf(stderr, "haadm drill: --link-if: '%s' "
				    "is not an interface name (or too many)\n",
				    optarg);
				return HAADM_USAGE;
			}
			snprintf(link_ifs[nlink_ifs++], IFNAMSIZ, "%s",
			    optarg);
			break;
		case 'c':
			config = optarg;
			break;
		case 'j':
			h->json = true;
			break;
		case 'h':
			drill_usage(stdout);
			return HAADM_OK;
		default:
			drill_usage(stderr);
			return HAADM_USAGE;
		}
	}
	if (optind != argc || nkinds != 1) {
		fprintf(stderr, "haadm drill: %s\n", optind != argc ?
		    "unexpected argument" : "give exactly one of --planned, "
		    "--crash, --link");
		drill_usage(stderr);
		return HAADM_USAGE;
	}
	if (r.kind == DRILL_LINK && nlink_ifs == 0) {
		fprintf(stderr, "haadm drill: --link needs --link-if IF (the "
		    "cluster link's interfaces)\n");
		return HAADM_USAGE;
	}
	if (r.kind != DRILL_LINK && nlink_ifs > 0) {
		fprintf(stderr, "haadm drill: --link-if is for --link\n");
		return HAADM_USAGE;
	}
	if (back && r.kind == DRILL_LINK) {
		fprintf(stderr, "haadm drill: --back is for --planned and "
		    "--crash (a --link drill moves nothing)\n");
		return HAADM_USAGE;
	}
	r.back = back;
	if (cfg_load(config, &r.cfg, cerr, sizeof(cerr)) == -1) {
		fprintf(stderr, "haadm drill: %s\n", cerr);
		return HAADM_FAILED;
	}
	if (group != NULL)
		r.g = cfg_group_find(r.cfg, group);
	else if (r.cfg->ha.ngroups == 1)
		r.g = &r.cfg->ha.groups[0];
	if (r.g == NULL) {
		fprintf(stderr, "haadm drill: %s\n", group != NULL ?
		    "no such group in the configuration" :
		    "several groups: name one with --group");
		cfg_free(r.cfg);
		return HAADM_USAGE;
	}
	/* No VIP of any group is ever put back by the drill (netsave). */
	for (i = 0; i < r.cfg->ha.ngroups; i++)
		for (j = 0; j < r.cfg->ha.groups[i].nvips; j++) {
			const struct cfg_addr *v = &r.cfg->ha.groups[i].vips[j];

			links_exclude(&r.lk, v->family == CFG_AF_INET6 ?
			    AF_INET6 : AF_INET, v->addr);
		}
	if (r.kind == DRILL_CRASH) {
		links_add(&r.lk, r.g->interface);
		for (i = 0; i < r.g->nvips; i++)
			links_add(&r.lk, r.g->vip_ifs[i]);
	} else
		for (i = 0; i < nlink_ifs; i++)
			links_add(&r.lk, link_ifs[i]);
	for (i = 0; i < nitems(names); i++)
		snprintf(r.path[i], sizeof(r.path[i]), "%s/%s.sock",
		    h->rundir, names[i]);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	ret = run(&r);
	(void)links_up(&r.lk);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	links_close(&r.lk);
	cfg_free(r.cfg);
	return ret;
}
