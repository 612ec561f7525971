/*
 * syncd/stats.c -- the cluster-wide node view (issue 7): about every
 * second, and at once after a configuration change or a bulk resync,
 * syncd multicasts SYNC_STATS with this node's figures; every member
 * keeps the last one of each (nodestats.h, which also explains how the
 * digests are compared exactly) and syncd's status reply carries one
 * block of "node.<id>.*" lines per member, ours included.
 *
 * STATS is not replicated state: it goes straight to the ring
 * (syncd_mcast_raw()), never through the write-ahead log (wal.c) or the
 * SA database, is never acknowledged and never buffered behind a bulk;
 * its hdr.seq is a counter of its own.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tandem/ctlmsg.h"
#include "tandem/daemon.h"
#include "tandem/log.h"
#include "tandem/util.h"
#include "loop.h"
#include "sadb.h"

_Static_assert(SYNC_DIGEST_LEN == SADB_DIGEST_LEN, "one digest size");

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define XFRM_STAT_PATH	"/proc/net/xfrm_stat"

/* This namespace's XFRM error counters (none when not readable). */
static void
read_xfrm(struct sync_stats *s)
{
	char	 text[4096];
	ssize_t	 n;
	int	 fd;

	s->nx = 0;
	if ((fd = open(XFRM_STAT_PATH, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n <= 0 || nodestats_parse_xfrm(text, (size_t)n, s) < 0)
		s->nx = 0;
}

/*
 * How long the commit point has been stuck with events waiting: the time
 * since it last moved (or since events started waiting), sampled at each
 * STATS and status; 0 when nothing waits.
 */
static uint32_t
lag_ms(struct syncd *sd, uint64_t now)
{
	struct syncd_stats	*st = &sd->st;

	if (sd->wal.last_seq <= sd->committed) {
		st->lag_since_ms = 0;
		return 0;
	}
	if (st->lag_since_ms == 0 || st->lag_committed != sd->committed) {
		st->lag_since_ms = now;
		st->lag_committed = sd->committed;
	}
	return (uint32_t)MIN(now - st->lag_since_ms, UINT32_MAX);
}

static void
build(struct syncd *sd, struct sync_stats *s)
{
	struct sadb_stats	 db;
	uint64_t		 now = syncd_now_ms();

	memset(s, 0, sizeof(*s));
	s->node = sd->cpg.nodeid;
	if (sd->cs != SYNCD_CS_DOWN && sd->ring.encrypted)
		s->flags |= SYNC_SF_RING_CRYPTO;
	if (sd->rs == RS_WAIT)
		s->flags |= SYNC_SF_RESYNCING;
	else if (!sd->stale)
		s->flags |= SYNC_SF_SYNCED;
	sadb_get_stats(sd->db, &db);
	s->ike_sas = (uint32_t)MIN(db.n_ike, UINT32_MAX);
	s->child_sas = (uint32_t)MIN(db.n_child, UINT32_MAX);
	s->applied = sd->applied;
	s->last_applied_seq = sd->last_applied_seq;
	s->tx_seq = sd->wal.last_seq;
	s->committed = sd->committed;
	s->lag_events = sd->wal.last_seq - sd->committed;
	s->lag_ms = lag_ms(sd, now);
	s->ctr_age_ms = sd->st.ctr_last_ms == 0 ? UINT32_MAX :
	    (uint32_t)MIN(now - sd->st.ctr_last_ms, UINT32_MAX - 1);
	nodestats_fill_digest(&sd->st.ns, s);
	read_xfrm(s);
}

void
syncd_stats_send(struct syncd *sd)
{
	struct sync_msg	 m;

	if (!sd->cpg_open || !sd->joined)
		return;
	memset(&m, 0, sizeof(m));
	m.hdr.type = SYNC_STATS;
	m.hdr.seq = ++sd->st.seq;
	build(sd, &m.u.stats);
	(void)syncd_mcast_raw(sd, &m);
}

static void
on_stats_tmr(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct syncd	*sd = container_of(w, struct syncd, st.tmr);

	syncd_stats_send(sd);
}

void
syncd_stats_start(struct syncd *sd)
{
	ev_timer_init(&sd->st.tmr, on_stats_tmr, NODESTATS_PERIOD_MS / 1000.0,
	    NODESTATS_PERIOD_MS / 1000.0);
	ev_timer_start(sd->d->loop, &sd->st.tmr);
}

void
syncd_stats_stop(struct syncd *sd)
{
	ev_timer_stop(sd->d->loop, &sd->st.tmr);
}

/*
 * A configuration change (members: every id, ours included; joined: those
 * that joined in it), or the group lost (n 0): follow it, and tell the
 * members at once.  A node that joined is a new process (its STATS seq
 * starts again): what an earlier one said is forgotten first, so that a
 * digest_at of the new one is never matched against the old one's seq.
 */
void
syncd_stats_members(struct syncd *sd, const uint32_t *ids, size_t n,
    const uint32_t *joined, size_t nj)
{
	uint32_t	 stay[NODESTATS_MAX];
	size_t		 i, j, k = 0;
	bool		 in;

	if (sd->st.ns.self != sd->cpg.nodeid)
		nodestats_init(&sd->st.ns, sd->cpg.nodeid);
	for (i = 0; i < n && k < nitems(stay); i++) {
		for (j = 0, in = false; j < nj; j++)
			in |= joined[j] == ids[i];
		if (!in)
			stay[k++] = ids[i];
	}
	nodestats_members(&sd->st.ns, stay, k);
	nodestats_members(&sd->st.ns, ids, n);
	if (n > 0)
		syncd_stats_send(sd);
}

/*
 * Our `set` digest now, for the comparison at this point of the order;
 * NULL when not comparable.  sadb keeps the digest up to date, so one
 * costs a SHA-256 per record changed since the last (~1 us each), but
 * the first after a bulk of 100,000 SA pairs hashes them all (~0.2 s,
 * test/bench/bench_sadb.c), and every member's STATS asks for one, so:
 * reused while the database has not changed (sadb_set_changes()), and
 * recomputed at most as often as keeps it under a tenth of the time
 * (DG_BUDGET); in between the comparison is skipped (unknown).
 */
#define DG_BUDGET	10

static const uint8_t *
my_digest(struct syncd *sd)
{
	struct syncd_stats	*st = &sd->st;
	struct sadb_digest	 dg;
	uint64_t		 ch, t0;

	if (sd->rs != RS_NONE)
		return NULL;		/* being rebuilt by a bulk */
	ch = sadb_set_changes(sd->db);
	if (st->dg_valid && st->dg_changes == ch)
		return st->dg;
	t0 = syncd_now_ms();
	if (st->dg_valid && t0 - st->dg_at_ms < DG_BUDGET * st->dg_cost_ms) {
		st->dg_skipped++;
		return NULL;
	}
	if (sadb_digest(sd->db, &dg) != 0)
		return NULL;
	memcpy(st->dg, dg.set, sizeof(st->dg));
	st->dg_valid = true;
	st->dg_changes = ch;
	st->dg_at_ms = t0;
	st->dg_cost_ms = syncd_now_ms() - t0;
	st->dg_computed++;
	return st->dg;
}

/* A STATS delivered (in agreed order): our digest at this point. */
void
syncd_stats_deliver(struct syncd *sd, uint32_t from, const struct sync_msg *m)
{
	const uint8_t		*mine = my_digest(sd);

	if (nodestats_deliver(&sd->st.ns, from, m->hdr.seq, &m->u.stats, mine,
	    syncd_now_ms()) == -1 && syncd_drop(sd, SD_CPG_TYPE))
		log_warn("sync node %u: STATS for node %u dropped (not a "
		    "member, or not its own)", from, m->u.stats.node);
}

/* --- status ------------------------------------------------------------ */

static void
kv(struct wr *w, uint32_t node, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
kv(struct wr *w, uint32_t node, const char *key, const char *fmt, ...)
{
	char	 k[64], v[160];
	va_list	 ap;

	snprintf(k, sizeof(k), "node.%u.%s", node, key);
	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	ctl_put_kv(w, k, v);
}

/*
 * How often our digest was computed for the comparisons (and skipped to
 * stay in budget, my_digest()), then one block per member, in membership
 * order:
 *   node.<id>.state         up | stale (no STATS for 3 s, or never)
 *   node.<id>.stats_age_ms  since its last STATS ("-": never)
 *   node.<id>.synced        yes | no | resyncing
 *   node.<id>.ring_crypto   on | off
 *   node.<id>.ike_sas, child_sas, applied, last_applied_seq, tx_seq,
 *   committed, commit_lag_events, commit_lag_ms, ctr_age_ms ("-": none)
 *   node.<id>.digest        its `set` digest (hex, "-": not comparable)
 *   node.<id>.digest_equal  yes | no | unknown (vs ours, nodestats.h)
 *   node.<id>.digest_differs_ms  how long it has differed (0: it does not)
 *   node.<id>.xfrm_errors   the sum of its XFRM error counters
 *   node.<id>.xfrm.<Name>   each non-zero counter ("Xfrm" dropped)
 */
void
syncd_stats_status(struct syncd *sd, struct wr *w)
{
	const struct nodestats	*ns = &sd->st.ns;
	const struct ns_peer	*p;
	const struct sync_stats	*s;
	char			 hex[2 * SYNC_DIGEST_LEN + 1];
	uint64_t		 now = syncd_now_ms(), sum;
	size_t			 i, j;

	(void)lag_ms(sd, now);
	snprintf(hex, sizeof(hex), "%" PRIu64, sd->st.dg_computed);
	ctl_put_kv(w, "stats_digests_computed", hex);
	snprintf(hex, sizeof(hex), "%" PRIu64, sd->st.dg_skipped);
	ctl_put_kv(w, "stats_digests_skipped", hex);
	snprintf(hex, sizeof(hex), "%" PRIu64, sd->st.dg_cost_ms);
	ctl_put_kv(w, "stats_digest_ms", hex);
	for (i = 0; i < ns->n; i++) {
		p = &ns->p[i];
		s = &p->st;
		kv(w, p->node, "state", "%s", nodestats_stale(p, now) ?
		    "stale" : "up");
		if (!p->heard) {
			kv(w, p->node, "stats_age_ms", "-");
			continue;
		}
		kv(w, p->node, "stats_age_ms", "%" PRIu64, now - p->heard_ms);
		kv(w, p->node, "synced", "%s", s->flags & SYNC_SF_RESYNCING ?
		    "resyncing" : s->flags & SYNC_SF_SYNCED ? "yes" : "no");
		kv(w, p->node, "ring_crypto", "%s",
		    s->flags & SYNC_SF_RING_CRYPTO ? "on" : "off");
		kv(w, p->node, "ike_sas", "%u", s->ike_sas);
		kv(w, p->node, "child_sas", "%u", s->child_sas);
		kv(w, p->node, "applied", "%" PRIu64, s->applied);
		kv(w, p->node, "last_applied_seq", "%" PRIu64,
		    s->last_applied_seq);
		kv(w, p->node, "tx_seq", "%" PRIu64, s->tx_seq);
		kv(w, p->node, "committed", "%" PRIu64, s->committed);
		kv(w, p->node, "commit_lag_events", "%" PRIu64, s->lag_events);
		kv(w, p->node, "commit_lag_ms", "%u", s->lag_ms);
		if (s->ctr_age_ms == UINT32_MAX)
			kv(w, p->node, "ctr_age_ms", "-");
		else
			kv(w, p->node, "ctr_age_ms", "%u", s->ctr_age_ms);
		if (s->has_digest)
			sadb_digest_hex(s->digest, hex);
		else
			snprintf(hex, sizeof(hex), "-");
		kv(w, p->node, "digest", "%s", hex);
		kv(w, p->node, "digest_equal", "%s", nodestats_dg_name(p->dg));
		kv(w, p->node, "digest_differs_ms", "%" PRIu64,
		    p->dg == NS_DG_DIFFER && p->differ_ms != 0 ?
		    now - p->differ_ms : 0);
		for (j = 0, sum = 0; j < s->nx; j++)
			sum += s->x[j].value;
		kv(w, p->node, "xfrm_errors", "%" PRIu64, sum);
		for (j = 0; j < s->nx; j++) {
			if (s->x[j].value == 0)
				continue;
			snprintf(hex, sizeof(hex), "xfrm.%s",
			    syncmsg_xstat_name(s->x[j].id) + 4);
			kv(w, p->node, hex, "%" PRIu64, s->x[j].value);
		}
	}
}
