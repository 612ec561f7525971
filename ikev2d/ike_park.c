/*
 * ikev2d/ike_park.c -- standby copies kept in the kernel ("parked").
 * Part of the pure core: the kernel only through struct kernel_ops.
 *
 * A takeover's critical path used to add, per Child SA, two SAs and up
 * to three policies (and delete whatever a predecessor left): in the UML
 * lab ~0.5 ms per Child SA, 0.7-0.9 s for 1,000.  A standby copy fed by
 * the live stream (sa_live.c) is parked instead, as it arrives:
 *
 *   inbound SA    in the kernel, replay state as replicated then
 *   outbound SA   in the kernel, oseq one lease past the replicated end
 *   in, fwd       the reqid's inbound and forward policies
 *   out           NOT in the kernel: without it no packet can select the
 *                 outbound SA, so a standby never sends a sequence number
 *
 * At the takeover (ike_takeover.c) a parked copy needs its policies
 * (the first Child SA of a reqid adds all three again: UPDPOLICY is
 * idempotent and a missing forward policy would drop all decrypted
 * traffic) and a counter preset (XFRM_MSG_NEWAE) only where its counters
 * moved since it was parked: the outbound SA's oseq where the lease end
 * moved past what was preset, the inbound SA's replay state where it
 * moved.  No SA is added or removed on the critical path.
 *
 * Why one lease past the end: a clean handover starts one lease further
 * on (ike_takeover.c), an unclean one at the end; preset for the clean
 * case, the oseq serves both (a forward jump is always allowed, DESIGN
 * guarantee 1 asks only that no number is sent twice).
 *
 * Policies are counted per reqid (the same rule that makes the first
 * Child SA of a reqid own them when active): the first parked copy of a
 * reqid adds its inbound and forward policies, the last one removed
 * takes them away.
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

#define LEASE_GUESS	131072		/* as ike_takeover.c */

/* --- reqid -> parked copies, open addressing --------------------------- */

struct park_map {
	uint32_t	*key;		/* 0 = empty (a reqid is never 0) */
	uint32_t	*cnt;
	size_t		 cap, n;	/* cap: a power of two */
	struct spi_list	 failed;	/* SPIs whose batched park failed */
};

static size_t
slot_of(const struct park_map *m, uint32_t reqid)
{
	return (size_t)(reqid * 2654435761u) & (m->cap - 1);
}

static int
map_grow(struct park_map *m)
{
	struct park_map	 nm;
	size_t		 i, j;

	memset(&nm, 0, sizeof(nm));
	nm.cap = m->cap != 0 ? 2 * m->cap : 64;
	if ((nm.key = calloc(nm.cap, sizeof(*nm.key))) == NULL ||
	    (nm.cnt = calloc(nm.cap, sizeof(*nm.cnt))) == NULL) {
		free(nm.key);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		if (m->key[i] == 0)
			continue;
		for (j = slot_of(&nm, m->key[i]); nm.key[j] != 0;
		    j = (j + 1) & (nm.cap - 1))
			;
		nm.key[j] = m->key[i];
		nm.cnt[j] = m->cnt[i];
	}
	free(m->key);
	free(m->cnt);
	m->key = nm.key;
	m->cnt = nm.cnt;
	m->cap = nm.cap;
	return 0;
}

/* The slot of reqid, or of the empty slot where it would go. */
static size_t
map_find(const struct park_map *m, uint32_t reqid)
{
	size_t	 i;

	for (i = slot_of(m, reqid); m->key[i] != 0 && m->key[i] != reqid;
	    i = (i + 1) & (m->cap - 1))
		;
	return i;
}

static uint32_t
map_get(const struct park_map *m, uint32_t reqid)
{
	size_t	 i;

	if (m == NULL || m->cap == 0)
		return 0;
	i = map_find(m, reqid);
	return m->key[i] == reqid ? m->cnt[i] : 0;
}

/* The count after the increment, 0 if out of memory. */
static uint32_t
map_inc(struct park_map *m, uint32_t reqid)
{
	size_t	 i;

	if (4 * (m->n + 1) > 3 * m->cap && map_grow(m) != 0)
		return 0;
	i = map_find(m, reqid);
	if (m->key[i] == 0) {
		m->key[i] = reqid;
		m->cnt[i] = 0;
		m->n++;
	}
	return ++m->cnt[i];
}

/* The count after the decrement; the entry goes at 0 (backward shift,
 * so that no probe chain is cut). */
static uint32_t
map_dec(struct park_map *m, uint32_t reqid)
{
	size_t	 i, j, k;

	if (m->cap == 0)
		return 0;
	i = map_find(m, reqid);
	if (m->key[i] != reqid)
		return 0;
	if (--m->cnt[i] > 0)
		return m->cnt[i];
	m->key[i] = 0;
	m->n--;
	for (j = (i + 1) & (m->cap - 1); m->key[j] != 0;
	    j = (j + 1) & (m->cap - 1)) {
		k = slot_of(m, m->key[j]);
		/* j's entry may move to the hole at i unless its home k
		 * lies cyclically in (i, j] */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->key[i] = m->key[j];
		m->cnt[i] = m->cnt[j];
		m->key[j] = 0;
		i = j;
	}
	return 0;
}

static struct park_map *
park_map(struct ike_core *c)
{
	if (c->park == NULL)
		c->park = calloc(1, sizeof(*c->park));
	return c->park;
}

void
park_free(struct ike_core *c)
{
	if (c->park == NULL)
		return;
	free(c->park->key);
	free(c->park->cnt);
	free(c->park->failed.spi);
	free(c->park);
	c->park = NULL;
}

/* --- parking ------------------------------------------------------------ */

bool
park_enabled(const struct ike_core *c)
{
	return c->cfg->ha.standby_preinstall &&
	    c->env.kernel->set_counters != NULL;
}

static uint64_t
lease_of(const struct ike_core *c)
{
	return c->cfg->sync.lease_packets != 0 ? c->cfg->sync.lease_packets :
	    LEASE_GUESS;
}

/* Where the outbound SA is preset: one lease past what a takeover with
 * these counters would need at least (ike_takeover.c child_resume()). */
static uint64_t
park_oseq_for(const struct ike_core *c, const struct child_sa *ch)
{
	uint64_t	 lease = lease_of(c);

	return (ch->ctr.out_end != 0 ? lease_takeover_oseq(ch->ctr.out_end) :
	    lease) + lease;
}

static bool
addr_eq(const struct sa_addr *a, const struct sa_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

static bool
child_encap_flag(const struct child_sa *ch)
{
	return (ch->rec_flags & SA_CHILD_ENCAP) != 0;
}

/* Is what ch parked still the kernel view ch would install now? */
static bool
park_current(const struct child_sa *ch)
{
	return addr_eq(&ch->park_local, &ch->ike->local) &&
	    addr_eq(&ch->park_remote, &ch->ike->remote) &&
	    ch->park_encap == child_encap_flag(ch);
}

static void
park_note(struct child_sa *ch)
{
	ch->park_in_top = ch->ctr.in_top;
	ch->park_in_bitmap = ch->ctr.in_bitmap;
	ch->park_local = ch->ike->local;
	ch->park_remote = ch->ike->remote;
	ch->park_encap = child_encap_flag(ch);
}

void
child_park(struct child_sa *ch)
{
	struct ike_core		*c = ch->ike->core;
	const struct kernel_ops	*k = c->env.kernel;
	struct park_map		*m;
	struct kernel_sa	 ksa;
	uint64_t		 oseq = ch->oseq;
	int			 rc;

	if (ch->parked || !ch->standby || !park_enabled(c) ||
	    (m = park_map(c)) == NULL)
		return;
	child_park_queue(ch, false);
	/* whatever an earlier run of ours left under these SPIs */
	child_sa_kernel_del(ch, false);
	ch->park_oseq = park_oseq_for(c, ch);
	ch->oseq = ch->park_oseq;
	child_sa_ksa(ch, true, &ksa);
	if ((rc = k->add_sa(c->env.kernel_arg, &ksa)) == 0) {
		child_sa_ksa(ch, false, &ksa);
		rc = k->add_sa(c->env.kernel_arg, &ksa);
	}
	secure_wipe(&ksa, sizeof(ksa));
	ch->oseq = oseq;
	if (rc != 0) {
		child_sa_kernel_del(ch, false);
		c->st.park_failed++;
		core_log(c, ch->ike, IKE_LOG_WARN, IKE_LK_KERNEL, "child %s: "
		    "cannot park SPIs %08x_i %08x_o in the kernel: a takeover "
		    "adds them then", ch->name, ch->spi_in, ch->spi_out);
		return;
	}
	park_note(ch);
	ch->parked = true;
	c->st.parked++;
	core_log(c, ch->ike, IKE_LOG_DEBUG, IKE_LK_KERNEL, "child %s: parked "
	    "SPIs %08x_i %08x_o (reqid %u, %u parked of it)", ch->name,
	    ch->spi_in, ch->spi_out, ch->reqid, map_get(m, ch->reqid) + 1);
	/* (a failed add is harmless: a takeover adds all three again) */
	if (map_inc(m, ch->reqid) == 1)
		(void)child_sa_policies(ch, true, KDIRS_IN_FWD);
}

/* Out of the kernel; last: no parked copy of the reqid is left, so the
 * inbound and forward policies go too. */
void
child_unpark(struct child_sa *ch)
{
	struct ike_core	*c = ch->ike->core;

	uint32_t	 left;

	if (!ch->parked)
		return;
	ch->parked = false;
	c->st.parked--;
	child_sa_kernel_del(ch, false);
	left = c->park != NULL ? map_dec(c->park, ch->reqid) : 0;
	core_log(c, ch->ike, IKE_LOG_DEBUG, IKE_LK_KERNEL, "child %s: "
	    "unparked SPIs %08x_i %08x_o (reqid %u, %u parked of it left)",
	    ch->name, ch->spi_in, ch->spi_out, ch->reqid, left);
	if (left == 0)
		(void)child_sa_policies(ch, false, KDIRS_IN_FWD);
}

void
child_park_adopt(struct child_sa *ch, struct child_sa *old)
{
	if (!old->parked)
		return;
	if (ch->reqid != old->reqid || !addr_eq(&old->park_local,
	    &ch->ike->local) || !addr_eq(&old->park_remote,
	    &ch->ike->remote) || old->park_encap != child_encap_flag(ch)) {
		child_unpark(old);
		return;
	}
	/* the same SAs: ch holds old's place in the kernel and the count */
	ch->parked = true;
	ch->park_oseq = old->park_oseq;
	ch->park_in_top = old->park_in_top;
	ch->park_in_bitmap = old->park_in_bitmap;
	ch->park_local = old->park_local;
	ch->park_remote = old->park_remote;
	ch->park_encap = old->park_encap;
	ch->moved = old->moved;
	old->parked = false;
}

void
child_park_moved(struct child_sa *ch)
{
	ch->moved = ++ch->ike->core->live_tick;
}

void
child_park_refresh(struct child_sa *ch)
{
	if (!ch->parked || park_current(ch))
		return;
	child_unpark(ch);
	child_park(ch);
}

bool
child_park_usable(const struct child_sa *ch)
{
	return ch->parked && park_current(ch);
}

int
child_park_resume(struct child_sa *ch, unsigned int dirs, uint32_t *presets)
{
	struct ike_core		*c = ch->ike->core;
	const struct kernel_ops	*k = c->env.kernel;
	struct kernel_sa	 ksa;
	int			 rc = 0;

	memset(&ksa, 0, sizeof(ksa));
	if (ch->ctr.in_top != ch->park_in_top ||
	    ch->ctr.in_bitmap != ch->park_in_bitmap) {
		child_sa_ksa(ch, true, &ksa);
		if (k->set_counters(c->env.kernel_arg, &ksa) != 0)
			rc = -1;
		(*presets)++;
	}
	if (rc == 0 && ch->oseq != ch->park_oseq) {
		child_sa_ksa(ch, false, &ksa);
		if (k->set_counters(c->env.kernel_arg, &ksa) != 0)
			rc = -1;
		(*presets)++;
	}
	secure_wipe(&ksa, sizeof(ksa));
	ch->parked = false;
	c->st.parked--;
	if (c->park != NULL)
		(void)map_dec(c->park, ch->reqid);
	if (rc != 0)
		return -1;	/* the caller drops it (and its SAs) */
	ch->owns_policies = dirs != 0;
	if (dirs != 0 && child_sa_policies(ch, true, dirs) != 0)
		return -1;
	return 0;
}

/* --- the background job ----------------------------------------------- */

void
child_park_queue(struct child_sa *ch, bool want)
{
	struct ike_core	*c = ch->ike->core;

	if (ch->park_want == want || (want && (ch->parked ||
	    !park_enabled(c))))
		return;
	ch->park_want = want;
	if (c->park_qtail == NULL)
		c->park_qtail = &c->park_q;
	if (want) {
		ch->pk_next = NULL;
		ch->pk_pprev = c->park_qtail;
		*c->park_qtail = ch;
		c->park_qtail = &ch->pk_next;
		c->park_pending++;
		return;
	}
	*ch->pk_pprev = ch->pk_next;
	if (ch->pk_next != NULL)
		ch->pk_next->pk_pprev = ch->pk_pprev;
	else
		c->park_qtail = ch->pk_pprev;
	ch->pk_next = NULL;
	ch->pk_pprev = NULL;
	if (c->park_pending > 0)
		c->park_pending--;
}

/* A batch's failures: those copies are not parked after all. */
static void
park_batch_failures(struct ike_core *c, struct park_map *m, int rc)
{
	struct child_sa	*ch;
	size_t		 i, sa_fails = m->failed.n;

	/* out of memory noting some: those copies stay "parked", their
	 * takeover preset fails and is counted and handled there */
	for (i = 0; i < m->failed.n; i++) {
		if ((ch = child_sa_core_by_spi(c, m->failed.spi[i])) == NULL ||
		    !ch->parked)
			continue;
		c->st.park_failed++;
		core_log(c, ch->ike, IKE_LOG_WARN, IKE_LK_KERNEL, "child %s: "
		    "cannot park SPIs %08x_i %08x_o in the kernel: a takeover "
		    "adds them then", ch->name, ch->spi_in, ch->spi_out);
		child_unpark(ch);
	}
	m->failed.n = 0;
	m->failed.oom = false;
	/* the others (policies, removals): a takeover adds all again */
	if (rc > 0 && (size_t)rc > sa_fails)
		core_log(c, NULL, IKE_LOG_DEBUG, IKE_LK_KERNEL, "parking: %zu "
		    "batched policy request(s) failed", (size_t)rc - sa_fails);
}

size_t
ike_core_park_step(struct ike_core *c, size_t max)
{
	const struct kernel_ops	*k = c->env.kernel;
	struct park_map		*m;
	struct child_sa		*ch;
	size_t			 n = 0;
	bool			 batch;
	int			 rc;

	if (c->park_pending == 0 || max == 0)
		return c->park_pending;
	if (!park_enabled(c) || (m = park_map(c)) == NULL) {
		/* switched off by a reload, or no memory: forget the queue */
		while ((ch = c->park_q) != NULL)
			child_park_queue(ch, false);
		return 0;
	}
	batch = k->batch_begin != NULL && k->batch_end != NULL &&
	    k->batch_begin(c->env.kernel_arg) == 0;
	/* oldest first, each in O(1): the queue, not a walk of every SA */
	for (; n < max && (ch = c->park_q) != NULL; n++) {
		child_park_queue(ch, false);
		child_park(ch);
	}
	if (batch) {
		m->failed.n = 0;
		rc = k->batch_end(c->env.kernel_arg, spi_list_note,
		    &m->failed);
		park_batch_failures(c, m, rc);
	}
	return c->park_pending;
}
