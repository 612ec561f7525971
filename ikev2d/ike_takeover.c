/*
 * ikev2d/ike_takeover.c -- VIP groups: their state, taking a group's
 * imported SAs over (activate), giving them up (standby).  Part of
 * the pure core: no I/O, the kernel through struct kernel_ops, time from
 * the caller.  The contract is in ike_core.h ("VIP groups").
 *
 *   records --import--> standby SAs (passive: no timers, no input)
 *                          | activate: kernel SAs + policies, timers
 *                          v
 *                       live SAs --standby--> removed from the kernel and
 *                                             dropped, no DOWN event
 *
 * What a resumed SA keeps (DESIGN, "The guarantees a takeover must keep"):
 *  1. Outbound ESP resumes at the end of the last replicated sequence
 *     lease (ctr.out_end, lease_takeover_oseq()): every number the old
 *     master's kernel may have sent is <= that end (replay.h has the
 *     proof), so the first number we send is new.
 *  2. Inbound resumes with the replicated replay top and bitmap; what
 *     could be replayed once is bounded by the counter-sync period.
 *  3. Message IDs and the cached response are the replicated ones, so a
 *     retransmitted request is answered byte for byte and the next
 *     exchange has the ID the peer expects.  The SA is kept; nothing we
 *     send makes the peer renegotiate.
 *  4. After an unclean takeover the Child SAs are rekeyed, spread over
 *     ha.takeover_rekey_spread_ms, so doubts about counters are short.
 *
 * Imports (the records -> standby SAs step) are in ike_import.c, with
 * the event-sequence rule; the edge tells sync_out.c of the jump
 * (sync_out_seq_skip()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/replay.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "child_sa.h"
#include "ike_const.h"
#include "ike_sa.h"
#include "trap.h"
#include "ts.h"

#define CATCHUP_MS		5000	/* overdue deadlines spread over this */
#define LEASE_GUESS		131072	/* no lease and no sync.lease_packets */

static const char *const state_names[] = {
	[IKE_GROUP_ACTIVE]	= "active",
	[IKE_GROUP_STANDBY]	= "standby",
};
_Static_assert(nitems(state_names) == IKE_GROUP_MAX, "name per state");


const char *
ike_group_state_name(unsigned int s)
{
	return s < nitems(state_names) ? state_names[s] : "unknown";
}

/* --- groups ---------------------------------------------------------------- */

int
core_groups_sync(struct ike_core *c)
{
	const struct cfg_ha	*ha = &c->cfg->ha;
	struct ike_group_rt	*ng = NULL;
	size_t			 i, j;

	if (ha->ngroups > 0 && (ng = calloc(ha->ngroups, sizeof(*ng))) ==
	    NULL)
		return -1;
	for (i = 0; i < ha->ngroups; i++) {
		snprintf(ng[i].name, sizeof(ng[i].name), "%s",
		    ha->groups[i].name);
		ng[i].state = c->lim.start_standby ? IKE_GROUP_STANDBY :
		    IKE_GROUP_ACTIVE;
		/* a reload keeps what hamgrd told us */
		for (j = 0; j < c->ngroups; j++)
			if (strcmp(c->groups[j].name, ng[i].name) == 0)
				ng[i] = c->groups[j];
	}
	free(c->groups);
	c->groups = ng;
	c->ngroups = ha->ngroups;
	return 0;
}

void
core_groups_free(struct ike_core *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
	core_import_free(c);
}

struct ike_group_rt *
core_group_find(const struct ike_core *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->ngroups; i++)
		if (strcmp(c->groups[i].name, name) == 0)
			return &c->groups[i];
	return NULL;
}

bool
core_conn_standby(const struct ike_core *c, const struct cfg_conn *cn)
{
	const struct ike_group_rt	*g;

	if (cn == NULL)
		return false;
	/* groups are built in config order: try the index first */
	if (cn->vip_group_idx < c->ngroups && strcmp(c->groups[
	    cn->vip_group_idx].name, cn->vip_group) == 0)
		g = &c->groups[cn->vip_group_idx];
	else
		g = core_group_find(c, cn->vip_group);
	return g != NULL && g->state == IKE_GROUP_STANDBY;
}

/* sa belongs to group (by its connection, as named when it was made). */
static bool
sa_in_group(struct ike_core *c, const struct ike_sa *sa, const char *group)
{
	const struct cfg_conn	*cn = sa->conn;

	if (cn == NULL)
		cn = core_conn(c, sa->conn_name);
	return cn != NULL && strcmp(cn->vip_group, group) == 0;
}

int
ike_core_group_state(const struct ike_core *c, const char *group)
{
	const struct ike_group_rt	*g = core_group_find(c, group);

	return g != NULL ? (int)g->state : -1;
}

int
ike_core_group_status(const struct ike_core *c, size_t i,
    struct ike_group_status *out)
{
	const struct ike_sa	*sa;
	const struct child_sa	*ch;
	const struct cfg_conn	*cn;

	if (i >= c->ngroups)
		return -1;
	memset(out, 0, sizeof(*out));
	out->name = c->groups[i].name;
	out->state = c->groups[i].state;
	out->changed_ms = c->groups[i].changed_ms;
	out->last = c->groups[i].last;
	for (sa = c->sas; sa != NULL; sa = sa->next) {
		if ((cn = sa->conn) == NULL ||
		    strcmp(cn->vip_group, out->name) != 0)
			continue;
		out->ike_sas++;
		for (ch = sa->children; ch != NULL; ch = ch->next)
			out->child_sas++;
	}
	return 0;
}

/* --- activate ---------------------------------------------------------------- */

struct catchup {
	uint64_t	 now;
	uint64_t	 skip;		/* numbers skipped past the lease end */
	uint32_t	 n, k;		/* timers in the group, overdue so far */
	/* reqids whose policies are in the kernel (0 = empty slot; a
	 * record's reqid is never 0): the first Child SA of a reqid
	 * installs them, as child_sa_kernel_add()'s walk would decide */
	uint32_t	*reqids;
	size_t		 cap;
};

static size_t
pow2_for(size_t n)
{
	size_t	 cap = 64;

	while (cap < 2 * n + 2)
		cap *= 2;
	return cap;
}

/* Add reqid; true if it was there already. */
static bool
reqid_seen(struct catchup *cu, uint32_t reqid)
{
	size_t	 i = (size_t)(reqid * 2654435761u) & (cu->cap - 1);

	while (cu->reqids[i] != 0) {
		if (cu->reqids[i] == reqid)
			return true;
		i = (i + 1) & (cu->cap - 1);
	}
	cu->reqids[i] = reqid;
	return false;
}

/* Is reqid there?  (No insert.) */
static bool
reqid_seen_only(const struct catchup *cu, uint32_t reqid)
{
	size_t	 i = (size_t)(reqid * 2654435761u) & (cu->cap - 1);

	while (cu->reqids[i] != 0) {
		if (cu->reqids[i] == reqid)
			return true;
		i = (i + 1) & (cu->cap - 1);
	}
	return false;
}

/* The reqids of the Child SAs in the kernel now; false: no memory. */
static bool
reqids_init(struct ike_core *c, struct catchup *cu)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;
	size_t		 n = 0;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		for (ch = sa->children; ch != NULL; ch = ch->next)
			n++;
	cu->cap = pow2_for(n);
	if ((cu->reqids = calloc(cu->cap, sizeof(*cu->reqids))) == NULL)
		return false;
	for (sa = c->sas; sa != NULL; sa = sa->next)
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (!ch->standby && ch->reqid != 0)
				(void)reqid_seen(cu, ch->reqid);
	return true;
}

/*
 * A replicated deadline on resume: kept if still ahead, else moved into
 * the next CATCHUP_MS, the k-th overdue one at k/n of it, so that a
 * group whose deadlines all passed does not fire them in one burst.
 */
static uint64_t
due(struct catchup *cu, uint64_t dl)
{
	if (dl == 0 || dl > cu->now)
		return dl;
	cu->k++;
	return cu->now + (uint64_t)CATCHUP_MS * cu->k / (cu->n + 1);
}

/*
 * A group's kernel requests go in batches when the backend can (xfrm.c:
 * many requests per sendto, answers matched by sequence).  A batched
 * failure is known only at batch_end: the backend logs each, the
 * takeover counts them (kernel_errors), and a Child SA whose SA add
 * failed is dropped then (spi_list_note()), as a synchronous failure is.
 */

static void	child_drop_failed(struct child_sa *);
static bool
batch_begin(struct ike_core *c)
{
	const struct kernel_ops	*k = c->env.kernel;

	return k->batch_begin != NULL && k->batch_end != NULL &&
	    k->batch_begin(c->env.kernel_arg) == 0;
}

/* Called while the backend reads answers: only note the SPI. */
void
spi_list_note(void *arg, uint32_t spi)
{
	struct spi_list	*f = arg;
	uint32_t	*n;
	size_t		 ncap;

	if (f->n == f->cap) {
		ncap = f->cap ? 2 * f->cap : 16;
		if ((n = realloc(f->spi, ncap * sizeof(*n))) == NULL) {
			f->oom = true;
			return;
		}
		f->spi = n;
		f->cap = ncap;
	}
	f->spi[f->n++] = spi;
}

/* Drop the group's Child SAs whose SA add failed in the batch. */
static void
drop_failed(struct ike_core *c, const char *group, struct spi_list *f,
    struct ike_takeover_stats *st)
{
	struct child_sa	*ch;
	size_t		 i;

	for (i = 0; i < f->n; i++) {
		/* the other SA of one already dropped: nothing left */
		if ((ch = child_sa_core_by_spi(c, f->spi[i])) == NULL ||
		    !ch->imported || ch->standby ||
		    !sa_in_group(c, ch->ike, group))
			continue;
		st->failures++;
		st->child_sas--;
		st->kernel_sas -= 2;
		child_drop_failed(ch);
	}
	if (f->oom)
		core_log(c, NULL, IKE_LOG_ERR, IKE_LK_KERNEL, "group %s: out "
		    "of memory noting failed installs: some Child SAs may be "
		    "half in the kernel", group);
	free(f->spi);
}

/* st NULL: nothing to drop (standby). */
static uint32_t
batch_end(struct ike_core *c, const char *group, const char *what,
    struct ike_takeover_stats *st)
{
	struct spi_list	 f;
	int			 rc;

	memset(&f, 0, sizeof(f));
	rc = c->env.kernel->batch_end(c->env.kernel_arg, st != NULL ?
	    spi_list_note : NULL, &f);
	if (st != NULL)
		drop_failed(c, group, &f, st);
	else
		free(f.spi);
	if (rc != 0)
		core_log(c, NULL, IKE_LOG_ERR, IKE_LK_KERNEL, "group %s: %s: "
		    "%d batched kernel request(s) failed", group, what,
		    rc > 0 ? rc : -rc);
	return rc > 0 ? (uint32_t)rc : rc < 0 ? 1u : 0u;
}

/*
 * Not in the kernel after all (or only half of it): remove what is
 * there, forget it, tell the peer (RFC 7296 1.4.1).  child_sa_delete()
 * hands its policies to another Child SA of the reqid if there is one.
 */
static void
child_drop_failed(struct child_sa *ch)
{
	struct ike_sa	*sa = ch->ike;
	struct ike_task	 t;

	core_log(sa->core, sa, IKE_LOG_ERR, IKE_LK_KERNEL,
	    "child %s: takeover install of SPIs %08x_i %08x_o failed: "
	    "deleting it", ch->name, ch->spi_in, ch->spi_out);
	memset(&t, 0, sizeof(t));
	t.kind = IKE_TASK_CHILD_DELETE;
	t.uid = ch->uid;
	t.spi = ch->spi_in;
	child_sa_delete(ch, true);
	ike_sa_task_add(sa, &t);
}

static void
child_resume(struct ike_core *c, struct child_sa *ch, struct catchup *cu,
    struct ike_takeover_stats *st)
{
	struct ike_sa	*sa = ch->ike;
	uint64_t	 guess, lease;
	unsigned int	 dirs;
	bool		 parked = child_park_usable(ch), owner;

	child_park_queue(ch, false);	/* too late to park it */
	lease = c->cfg->sync.lease_packets != 0 ? c->cfg->sync.lease_packets :
	    LEASE_GUESS;
	/* DESIGN guarantee 1: past the end of the last lease */
	if (ch->ctr.out_end != 0)
		ch->oseq = lease_takeover_oseq(ch->ctr.out_end) + cu->skip;
	else {
		/*
		 * No lease ever replicated (the old master died before
		 * syncd's first fence of this SA): jump one lease ahead, the
		 * most the first one could have covered.
		 */
		guess = lease;
		ch->oseq = guess;
		st->ctr_guessed++;
		core_log(c, sa, IKE_LOG_WARN, IKE_LK_ACTION, "child %s: no "
		    "replicated sequence lease: outbound resumes at %llu",
		    ch->name, (unsigned long long)guess);
	}
	ch->standby = false;
	/*
	 * Our own lease before our first packet.  The members hold out_end
	 * and our kernel starts right after it; until a lease of ours is
	 * held, another takeover (back to the old master, or on to a third
	 * node) would resume at that same out_end and send the numbers we
	 * send now twice.  So the lease end moves one lease on, and the
	 * CHILD_UP that carries it (a newer gen: imports raised ev_seq)
	 * goes to syncd when this loop turn ends: syncd fences the SA there
	 * as soon as it is committed, and extends it as usual.  The event
	 * is emitted after the group's kernel batch (emit_resumed()), which
	 * changes nothing for syncd -- it leaves after the batch either way
	 * -- but lets the traffic resume before a thousand records are
	 * encoded.  (Not waiting for the commit is a known window: a second
	 * crash within it, on a cluster of three or more, could let a third
	 * node resume at this same out_end.)
	 */
	if (parked) {
		/* its SAs are in the kernel: keep the preset oseq where it
		 * is far enough already (ike_park.c presets a lease past the
		 * end, what a clean handover wants) */
		if (ch->park_oseq > ch->oseq)
			ch->oseq = ch->park_oseq;
	} else if (ch->parked)
		child_unpark(ch);	/* stale: added afresh below */
	ch->ctr.out_end = ch->oseq + lease;
	ch->resume_emit = true;
	if (parked) {
		/*
		 * The first of its reqid owns the policies and (re)adds all
		 * three (UPDPOLICY: idempotent).  The parked inbound and
		 * forward ones are very likely there already, but a missing
		 * forward policy drops every decrypted packet (XfrmInNoPols),
		 * and two more requests per reqid is a cheap insurance
		 * against any slip in the standby's bookkeeping.
		 */
		owner = cu->reqids == NULL || !reqid_seen(cu, ch->reqid);
		dirs = owner ? KDIRS_ALL : 0;
		if (child_park_resume(ch, dirs, &st->presets) != 0) {
			st->failures++;
			child_drop_failed(ch);
			return;
		}
		st->parked++;
	} else {
		/* whatever a predecessor left under these SPIs has stale
		 * counters: it goes (ENOENT, the normal case, is no error) */
		child_sa_kernel_del(ch, false);
		if (child_sa_kernel_add(ch, cu->reqids == NULL ? -1 :
		    !reqid_seen(cu, ch->reqid)) != 0) {
			st->failures++;
			child_drop_failed(ch);
			return;
		}
	}
	st->child_sas++;
	st->kernel_sas += 2;
	ch->rekey_ms = due(cu, ch->rekey_ms);
	ch->expire_ms = due(cu, ch->expire_ms);
}

/* The CHILD_UP of every Child SA child_resume() kept (see there). */
static void
emit_resumed(struct ike_core *c, const char *group)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	for (sa = c->sas; sa != NULL; sa = sa->next) {
		if (!sa_in_group(c, sa, group))
			continue;
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (ch->resume_emit) {
				ch->resume_emit = false;
				child_sa_emit(ch, IKE_EV_CHILD_UP, NULL);
			}
	}
}

static void
ike_resume(struct ike_sa *sa, struct catchup *cu)
{
	const struct cfg_conn	*cn = sa->conn;

	sa->standby = false;
	sa->last_rx_ms = cu->now;
	sa->rekey_ms = due(cu, sa->rekey_ms);
	sa->expire_ms = due(cu, sa->expire_ms);
	/* liveness is checked a DPD interval from now, as after a receive */
	sa->dpd_ms = cn != NULL && cn->dpd_delay_s != 0 ? cu->now +
	    (uint64_t)cn->dpd_delay_s * 1000 : 0;
}

/*
 * Unclean takeover (DESIGN guarantee 4): rekey every Child SA of the
 * group, the i-th of n at (2i + 1) / 2n of the spread: uniform, none at
 * the very start, none at the end.
 */
static uint32_t
rekey_spread(struct ike_core *c, const char *group, uint64_t now)
{
	uint64_t	 spread = c->cfg->ha.takeover_rekey_spread_ms;
	struct ike_sa	*sa;
	struct child_sa	*ch;
	uint32_t	 n = 0, i = 0;

	if (spread == 0)
		return 0;
	for (sa = c->sas; sa != NULL; sa = sa->next)
		if (!sa->standby && sa_in_group(c, sa, group))
			for (ch = sa->children; ch != NULL; ch = ch->next)
				n++;
	for (sa = c->sas; sa != NULL; sa = sa->next) {
		if (sa->standby || !sa_in_group(c, sa, group))
			continue;
		for (ch = sa->children; ch != NULL; ch = ch->next, i++)
			ch->rekey_ms = now + 1 + spread * (2 * (uint64_t)i + 1) /
			    (2 * (uint64_t)n);
	}
	return n;
}

static int
by_moved(const void *a, const void *b)
{
	const struct child_sa	*x = *(const struct child_sa *const *)a;
	const struct child_sa	*y = *(const struct child_sa *const *)b;

	return x->moved < y->moved ? 1 : x->moved > y->moved ? -1 : 0;
}

/* The group's standby Child SAs, last moved first (NULL: none, or no
 * memory -- then the caller walks the list). */
static struct child_sa **
busiest_first(struct ike_core *c, const char *group, size_t *n)
{
	struct child_sa	**v;
	struct ike_sa	*sa;
	struct child_sa	*ch;
	size_t		 k = 0;

	*n = 0;
	for (sa = c->sas; sa != NULL; sa = sa->next)
		if (sa->standby && sa_in_group(c, sa, group))
			for (ch = sa->children; ch != NULL; ch = ch->next)
				k++;
	if (k == 0 || (v = calloc(k, sizeof(*v))) == NULL)
		return NULL;
	for (sa = c->sas; sa != NULL; sa = sa->next)
		if (sa->standby && sa_in_group(c, sa, group))
			for (ch = sa->children; ch != NULL; ch = ch->next)
				v[(*n)++] = ch;
	qsort(v, *n, sizeof(*v), by_moved);
	return v;
}

int
ike_core_group_activate(struct ike_core *c, const char *group, bool unclean,
    uint64_t now, struct ike_takeover_stats *out)
{
	struct ike_group_rt		*g;
	struct ike_takeover_stats	 st;
	struct catchup			 cu;
	struct ike_sa			*sa;
	struct child_sa			*ch, *nx, **order;
	size_t				 i, nch;
	bool				 batch;

	memset(&st, 0, sizeof(st));
	if (out != NULL)
		*out = st;
	if ((g = core_group_find(c, group)) == NULL)
		return -1;
	if (g->state == IKE_GROUP_ACTIVE)
		return 1;
	/* ACTIVE first: installs below must see the group as ours */
	g->state = IKE_GROUP_ACTIVE;
	g->changed_ms = now;
	memset(&cu, 0, sizeof(cu));
	cu.now = now;
	/*
	 * A clean handover is make-before-break (hamgrd.8): the old master
	 * forwards until we are in, and its syncd may extend its lease once
	 * meanwhile (we ack it, but an active group ignores replicas).  So
	 * we start one lease further on: its kernel cannot reach our
	 * numbers without a second extension, i.e. without sending most of
	 * a lease (sync.lease_packets less the low water) in the overlap.
	 */
	if (!unclean)
		cu.skip = c->cfg->sync.lease_packets != 0 ?
		    c->cfg->sync.lease_packets : LEASE_GUESS;
	batch = batch_begin(c);
	if (!reqids_init(c, &cu))
		cu.reqids = NULL;	/* each install walks the core instead */
	for (sa = c->sas; sa != NULL; sa = sa->next) {
		if (!sa->standby || !sa_in_group(c, sa, group))
			continue;
		cu.n++;
		for (ch = sa->children; ch != NULL; ch = ch->next)
			cu.n++;
	}
	/*
	 * Busiest first: the Child SAs whose counters moved last go into
	 * the kernel first, so the traffic that flows resumes after a few
	 * requests rather than after the whole group's.
	 */
	if ((order = busiest_first(c, group, &nch)) != NULL) {
		for (i = 0; i < nch; i++)
			child_resume(c, order[i], &cu, &st);
		free(order);
	} else
		for (sa = c->sas; sa != NULL; sa = sa->next) {
			if (!sa->standby || !sa_in_group(c, sa, group))
				continue;
			for (ch = sa->children; ch != NULL; ch = nx) {
				nx = ch->next;
				child_resume(c, ch, &cu, &st);
			}
		}
	for (sa = c->sas; sa != NULL; sa = sa->next) {
		if (!sa->standby || !sa_in_group(c, sa, group))
			continue;
		ike_resume(sa, &cu);
		st.ike_sas++;
	}
	free(cu.reqids);
	if (batch)
		st.kernel_errors = batch_end(c, group, "activation", &st);
	emit_resumed(c, group);
	/* only a failed install queued work (its Delete) */
	for (sa = c->sas; sa != NULL; sa = sa->next)
		if (sa->ntasks > 0 && !sa->standby &&
		    sa_in_group(c, sa, group))
			ike_sa_task_run(sa, now);
	if (unclean)
		st.rekeys = rekey_spread(c, group, now);
	trap_install_all(c);
	core_start_conns(c, group, now);
	g->last = st;
	if (out != NULL)
		*out = st;
	core_log(c, NULL, IKE_LOG_NOTICE, IKE_LK_ACTION, "group %s: standby "
	    "-> active (%s): %u IKE SA(s), %u Child SA(s) resumed (%u parked, "
	    "%u counter preset(s)), %u failed, %u rekey(s) scheduled, %u "
	    "kernel error(s)", group, unclean ? "unclean" : "clean",
	    st.ike_sas, st.child_sas, st.parked, st.presets, st.failures,
	    st.rekeys, st.kernel_errors);
	return 0;
}

/* --- standby ------------------------------------------------------------------ */

/*
 * Giving up a group of thousands of SAs must not walk the core per SA
 * (child_sa_delete()'s heir search, ike_sa_free()'s unlink and partner
 * scans): the group's SAs are first taken off the core's list (the scans
 * then see only the others), and a Child SA that owns policies removes
 * them itself unless a Child SA outside the group holds its reqid (then
 * the general path, which hands them over, is taken).
 */
static void
standby_child(struct ike_core *c, struct child_sa *ch, struct catchup *out)
{
	if (ch->standby) {
		child_unpark(ch);		/* unless parked: not in it */
		child_sa_free(ch);
		return;
	}
	if (ch->owns_policies && out->reqids != NULL &&
	    !reqid_seen_only(out, ch->reqid)) {
		child_sa_kernel_del(ch, true);
		c->st.child_down++;
		child_sa_free(ch);
		return;
	}
	child_sa_delete(ch, true);
}

int
ike_core_group_standby(struct ike_core *c, const char *group, uint64_t now)
{
	struct ike_group_rt	*g;
	struct ike_sa		*sa, *nx, *mine = NULL, **tail = &mine;
	struct child_sa		*ch;
	struct catchup		 out;
	bool			 was_active, batch;
	int			 n = 0;

	if ((g = core_group_find(c, group)) == NULL)
		return -1;
	if ((was_active = g->state != IKE_GROUP_STANDBY)) {
		g->state = IKE_GROUP_STANDBY;
		g->changed_ms = now;
	}
	/* forget the group's traps first: each Child SA's removal then
	 * deletes its policies instead of restoring the trap's */
	trap_prune(c);
	for (sa = c->sas; sa != NULL; sa = nx) {
		nx = sa->next;
		if (!sa_in_group(c, sa, group))
			continue;
		ike_sa_unlink(sa);	/* off the table, counted out */
		*tail = sa;
		tail = &sa->next;
	}
	batch = batch_begin(c);
	/* the reqids Child SAs outside the group hold in the kernel */
	memset(&out, 0, sizeof(out));
	if (!reqids_init(c, &out))
		out.reqids = NULL;
	for (sa = mine; sa != NULL; sa = nx) {
		nx = sa->next;
		while ((ch = sa->children) != NULL)
			standby_child(c, ch, &out);
		/* SPIs reserved for exchanges that will not finish here */
		if (!sa->standby) {
			child_sa_release_spi(sa, sa->req.p.spi_in);
			child_sa_release_spi(sa, sa->auth_p.spi_in);
		}
		ike_sa_free(sa);
		n++;
	}
	free(out.reqids);
	if (batch)
		(void)batch_end(c, group, "standby", NULL);
	/* on a standby group this only forgets imported records */
	core_log(c, NULL, was_active ? IKE_LOG_NOTICE : IKE_LOG_DEBUG,
	    IKE_LK_ACTION, "group %s: %s: %d IKE SA(s) dropped (no delete "
	    "sent; the master resumes them)", group, was_active ?
	    "active -> standby" : "standby", n);
	return n;
}
