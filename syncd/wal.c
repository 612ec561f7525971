/*
 * syncd/wal.c -- write-ahead commit tracking (contract and the argument
 * for the join floor in wal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "wal.h"
#include "tandem/util.h"

int
wal_init(struct wal *w, uint32_t self, size_t cap, uint32_t ack_n,
    uint32_t ack_ms)
{
	size_t	 c = 16;

	memset(w, 0, sizeof(*w));
	while (c < cap && c < ((size_t)1 << 26))
		c <<= 1;
	if ((w->ring = calloc(c, sizeof(*w->ring))) == NULL)
		return -1;
	w->cap = c;
	w->self = self;
	w->ack_n = ack_n == 0 ? WAL_ACK_N_DEFAULT : ack_n;
	w->ack_ms = ack_ms == 0 ? WAL_ACK_MS_DEFAULT : ack_ms;
	return 0;
}

void
wal_fini(struct wal *w)
{
	free(w->ring);
	w->ring = NULL;
	w->cap = 0;
}

static struct wal_member *
member(struct wal *w, uint32_t node)
{
	size_t	 i;

	for (i = 0; i < w->n; i++)
		if (w->m[i].node == node)
			return &w->m[i];
	return NULL;
}

/* Recompute the commit point; 1 when it advanced. */
static int
recommit(struct wal *w)
{
	uint64_t	 cp = w->last_seq, eff;
	size_t		 i;

	/* Lost: nobody can be shown to hold anything more (wal.h). */
	if (w->lost)
		return 0;
	if (w->track_delivery && w->delivered < cp)
		cp = w->delivered;

	for (i = 0; i < w->n; i++) {
		eff = w->m[i].acked > w->m[i].floor ? w->m[i].acked :
		    w->m[i].floor;
		if (eff < cp)
			cp = eff;
	}
	if (cp > w->commit) {
		w->commit = cp;
		return 1;
	}
	return 0;
}

uint64_t
wal_assign(struct wal *w, uint64_t tag)
{
	uint64_t	 seq;

	if (w->last_seq - w->popped >= w->cap)
		return 0;
	seq = ++w->last_seq;
	w->ring[seq & (w->cap - 1)].seq = seq;
	w->ring[seq & (w->cap - 1)].tag = tag;
	/* Alone, the event is committed at once (nobody else to hold it). */
	(void)recommit(w);
	return seq;
}

int
wal_ack(struct wal *w, const struct sync_ack *a)
{
	struct wal_member	*m;
	uint16_t		 i;
	uint64_t		 s;

	w->acks_in++;
	if ((m = member(w, a->node)) == NULL) {
		w->acks_unknown++;
		return 0;
	}
	for (i = 0; i < a->n && i < SYNC_ACK_MAX; i++) {
		if (a->e[i].node != w->self)
			continue;
		/* Never beyond what we sent (a confused or old peer). */
		s = a->e[i].seq > w->last_seq ? w->last_seq : a->e[i].seq;
		if (s <= m->acked) {
			w->acks_stale++;
			continue;
		}
		m->acked = s;
	}
	return recommit(w);
}

bool
wal_committed(const struct wal *w, uint64_t seq)
{
	return seq != 0 && seq <= w->commit;
}

uint64_t
wal_commit_point(const struct wal *w)
{
	return w->commit;
}

int
wal_pop_committed(struct wal *w, uint64_t *seq, uint64_t *tag)
{
	const struct wal_slot	*s;

	if (w->popped >= w->commit)
		return 0;
	s = &w->ring[(w->popped + 1) & (w->cap - 1)];
	w->popped++;
	*seq = s->seq;
	*tag = s->tag;
	return 1;
}

size_t
wal_inflight(const struct wal *w)
{
	return (size_t)(w->last_seq - w->popped);
}

void
wal_track_delivery(struct wal *w)
{
	w->track_delivery = true;
}

int
wal_delivered(struct wal *w, uint64_t seq)
{
	if (seq > w->last_seq)
		seq = w->last_seq;	/* never beyond what we sent */
	if (seq <= w->delivered)
		return 0;
	w->delivered = seq;
	return recommit(w);
}

int
wal_confchg(struct wal *w, const uint32_t *members, size_t n)
{
	struct wal_member	 nm[WAL_MEMBERS_MAX], *old;
	size_t			 i, j, k = 0;
	int			 ret = 0;

	for (i = 0; i < n; i++) {
		if (members[i] == w->self)
			continue;
		for (j = 0; j < k; j++)
			if (nm[j].node == members[i])
				break;
		if (j < k)
			continue;	/* duplicate */
		if (k == WAL_MEMBERS_MAX) {
			ret = -1;
			break;
		}
		if ((old = member(w, members[i])) != NULL)
			nm[k] = *old;		/* stayed */
		else {
			/* Joined: everything sent so far reaches it by bulk
			 * resync, not live (wal.h). */
			memset(&nm[k], 0, sizeof(nm[k]));
			nm[k].node = members[i];
			nm[k].floor = w->track_delivery ? w->delivered :
			    w->last_seq;
		}
		k++;
	}
	/* Leavers vanish with their held counters: a restarted syncd
	 * counts from 1 again. */
	memcpy(w->m, nm, k * sizeof(nm[0]));
	w->n = k;
	/* Unacked events of a leaver need no ack any more. */
	for (i = 0; i < w->n; i++)
		if (w->m[i].held > w->m[i].held_acked)
			break;
	if (i == w->n)
		w->unacked = 0;
	if (recommit(w) == 1 && ret == 0)
		ret = 1;
	return ret;
}

void
wal_lost(struct wal *w)
{
	w->lost = true;
}

bool
wal_is_lost(const struct wal *w)
{
	return w->lost;
}

size_t
wal_rejoin(struct wal *w)
{
	uint64_t	 s;
	size_t		 n = 0;

	if (!w->lost)
		return 0;
	for (s = w->commit + 1; s <= w->last_seq; s++) {
		w->ring[s & (w->cap - 1)].tag = 0;
		n++;
	}
	w->lost_resolved += n;
	/* Sent in a configuration we left: whatever of them was not
	 * delivered then never will be, and the others hold what they got
	 * (their bulk is the truth we take).  Members start afresh: they
	 * reset their counters for us when we left. */
	if (w->delivered < w->last_seq)
		w->delivered = w->last_seq;
	w->n = 0;
	w->unacked = 0;
	w->lost = false;
	return n;
}

void
wal_held(struct wal *w, uint32_t sender, uint64_t seq, uint64_t now_ms)
{
	struct wal_member	*m;

	if (seq == 0 || sender == w->self)
		return;
	if ((m = member(w, sender)) == NULL || seq <= m->held)
		return;
	m->held = seq;
	if (w->unacked == 0)
		w->first_unacked_ms = now_ms;
	w->unacked++;
}

bool
wal_ack_due(const struct wal *w, uint64_t now_ms)
{
	if (w->unacked == 0)
		return false;
	return w->unacked >= w->ack_n || now_ms >= wal_ack_deadline(w);
}

uint64_t
wal_ack_deadline(const struct wal *w)
{
	if (w->unacked == 0)
		return UINT64_MAX;
	return sat_add64(w->first_unacked_ms, w->ack_ms);
}

uint16_t
wal_ack_build(struct wal *w, struct sync_ack *a)
{
	size_t	 i;

	memset(a, 0, sizeof(*a));
	a->node = w->self;
	for (i = 0; i < w->n && a->n < SYNC_ACK_MAX; i++) {
		if (w->m[i].held <= w->m[i].held_acked)
			continue;
		a->e[a->n].node = w->m[i].node;
		a->e[a->n].seq = w->m[i].held;
		a->n++;
		w->m[i].held_acked = w->m[i].held;
	}
	w->unacked = 0;
	if (a->n > 0)
		w->acks_out++;
	return a->n;
}
