/*
 * syncd/resync.c -- bulk resync phases (contract, diagram and the proof
 * of "no gap, no double-apply" in resync.h).
 */
#include <stdlib.h>
#include <string.h>

#include "resync.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"

int
resync_init(struct resync *r, uint32_t self)
{
	memset(r, 0, sizeof(*r));
	r->self = self;
	r->phase = RESYNC_INIT;
	if ((r->item = calloc(1, sizeof(*r->item))) == NULL)
		return -1;
	return 0;
}

void
resync_fini(struct resync *r)
{
	resync_q_clear(&r->q);
	if (r->item != NULL) {
		secure_wipe(r->item, sizeof(*r->item));
		free(r->item);
		r->item = NULL;
	}
}

/* --- helpers --------------------------------------------------------------- */

static bool
in_list(const uint32_t *l, size_t n, uint32_t node)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (l[i] == node)
			return true;
	return false;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
fnv_u64(uint64_t h, uint64_t v)
{
	int	 i;

	for (i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t
fnv_list(uint64_t h, uint64_t tag, const uint32_t *l, size_t n)
{
	uint32_t	 s[RESYNC_MEMBERS_MAX];
	size_t		 i;

	if (n > RESYNC_MEMBERS_MAX)
		n = RESYNC_MEMBERS_MAX;
	if (n > 0)
		memcpy(s, l, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_u32);	/* order-independent */
	h = fnv_u64(h, tag);
	h = fnv_u64(h, n);
	for (i = 0; i < n; i++)
		h = fnv_u64(h, s[i]);
	return h;
}

struct resync_cut
resync_cut_id(uint32_t ring_node, uint64_t ring_seq, const uint32_t *members,
    size_t n, const uint32_t *joined, size_t nj, const uint32_t *left,
    size_t nl)
{
	struct resync_cut	 c;
	uint64_t		 h = 0xcbf29ce484222325ULL;

	h = fnv_u64(h, ring_seq);
	h = fnv_list(h, 'M', members, n);
	h = fnv_list(h, 'J', joined, nj);
	h = fnv_list(h, 'L', left, nl);
	c.node = ring_node;
	c.seq = h;
	return c;
}

static bool
cut_is(const struct resync *r, const struct sync_bulk *b)
{
	return b->ring_node == r->cut.node && b->ring_seq == r->cut.seq;
}

static void
synced_add(struct resync *r, uint32_t node)
{
	if (!in_list(r->synced, r->n_synced, node) &&
	    r->n_synced < RESYNC_MEMBERS_MAX)
		r->synced[r->n_synced++] = node;
}

static void
synced_all(struct resync *r)
{
	memcpy(r->synced, r->members, r->n * sizeof(r->members[0]));
	r->n_synced = r->n;
}

/* --- init / abort (the confchg) -------------------------------------------- */

unsigned int
resync_confchg(struct resync *r, struct resync_cut cut,
    const uint32_t *members, size_t n, const uint32_t *joined, size_t nj)
{
	uint32_t	 keep[RESYNC_MEMBERS_MAX];
	uint32_t	 sender = 0, oldmin = 0;
	size_t		 i, k = 0, n_old = 0, n_cand = 0;
	bool		 we_joined, was_synced;
	unsigned int	 act = 0;

	if (n > RESYNC_MEMBERS_MAX)
		n = RESYNC_MEMBERS_MAX;
	we_joined = r->phase == RESYNC_INIT || in_list(joined, nj, r->self);
	was_synced = r->phase == RESYNC_SYNCED || r->phase == RESYNC_SENDING;

	/* Abort what the previous cut started. */
	switch (r->phase) {
	case RESYNC_SENDING:
		/* Everything buffered was delivered before this confchg:
		 * applying it brings the database to the new cut. */
		act |= RESYNC_A_STOP_SEND | RESYNC_A_DRAIN;
		r->stats.aborts++;
		r->phase = RESYNC_SYNCED;
		break;
	case RESYNC_RECEIVING:
		r->stats.aborts++;
		/* FALLTHROUGH */
	case RESYNC_WAIT:
		/* The new snapshot covers the buffered events too. */
		act |= RESYNC_A_DISCARD;
		r->phase = RESYNC_WAIT;
		break;
	default:
		break;
	}
	if (r->pending && r->item != NULL)
		secure_wipe(r->item, sizeof(*r->item));
	r->pending = false;
	r->send_state = 0;
	r->sent = 0;
	r->bulk_open = false;
	r->bulk_from = 0;
	r->sender = 0;
	r->expect = r->got = 0;
	r->cut = cut;
	if (n > 0)
		memcpy(r->members, members, n * sizeof(*members));
	r->n = n;
	for (i = 0; i < n; i++) {
		if (in_list(joined, nj, members[i]))
			continue;
		if (n_old == 0 || members[i] < oldmin)
			oldmin = members[i];
		n_old++;
	}

	if (we_joined) {
		if (n <= 1 || n_old == 0) {
			/* Alone, or everyone starting together: what we hold
			 * is the truth. */
			if (r->phase == RESYNC_WAIT)
				r->stats.forced++;
			act |= RESYNC_A_DISCARD;
			if (!was_synced)
				act |= RESYNC_A_SYNCED;
			r->phase = RESYNC_SYNCED;
			synced_all(r);
			return act;
		}
		/* Receiver: take the first BULK_BEGIN of this cut. */
		act |= RESYNC_A_DISCARD;
		if (was_synced)
			act |= RESYNC_A_UNSYNCED;
		r->phase = RESYNC_WAIT;
		r->n_synced = 0;
		for (i = 0; i < n; i++)
			if (!in_list(joined, nj, members[i]))
				synced_add(r, members[i]);
		return act;
	}

	/* We stayed: our synced view is the group's. */
	if (r->phase == RESYNC_SYNCED)
		synced_add(r, r->self);
	for (i = 0; i < r->n_synced; i++)
		if (in_list(members, n, r->synced[i]))
			keep[k++] = r->synced[i];
	memcpy(r->synced, keep, k * sizeof(keep[0]));
	r->n_synced = k;
	for (i = 0; i < n; i++)
		if (!in_list(r->synced, r->n_synced, members[i]))
			break;
	if (i == n)
		return act;		/* everyone holds the database */
	for (i = 0; i < r->n_synced; i++) {
		if (in_list(joined, nj, r->synced[i]))
			continue;
		if (n_cand == 0 || r->synced[i] < sender)
			sender = r->synced[i];
		n_cand++;
	}
	if (n_cand == 0) {
		/* Nobody who stayed holds a full copy: the lowest one's
		 * partial copy becomes the truth (resync.h). */
		sender = oldmin;
		synced_add(r, sender);
		if (sender == r->self) {
			r->stats.forced++;
			r->phase = RESYNC_SYNCED;
			act |= RESYNC_A_DISCARD | RESYNC_A_SYNCED;
		}
	}
	r->sender = sender;
	if (sender == r->self) {
		r->phase = RESYNC_SENDING;
		act |= RESYNC_A_SEND;
	}
	return act;
}

/* --- process / activate: deliveries ------------------------------------------ */

static struct resync_out
out(struct resync *r, enum resync_verdict v, unsigned int act)
{
	struct resync_out	 o = { v, act };

	if (v == RESYNC_DROP)
		r->stats.dropped[RESYNC_DROP]++;
	return o;
}

static bool
is_record(unsigned int t)
{
	return t == SYNC_IKE_UP || t == SYNC_IKE_DOWN || t == SYNC_IKE_MID ||
	    t == SYNC_CHILD_UP || t == SYNC_CHILD_DOWN || t == SYNC_CTR ||
	    t == SYNC_LEASE;
}

struct resync_out
resync_deliver(struct resync *r, uint32_t from, const struct sync_msg *m)
{
	unsigned int	 t = m->hdr.type;

	if (t == SYNC_ACK)
		return out(r, RESYNC_APPLY, 0);
	if (t == SYNC_BULK_BEGIN) {
		if (!cut_is(r, &m->u.bulk) || r->bulk_open)
			return out(r, RESYNC_DROP, 0);
		/* Every member observes the bulk, to agree on its end. */
		r->bulk_open = true;
		r->bulk_from = from;
		r->expect = m->u.bulk.count;
		r->got = 0;
		if (r->phase == RESYNC_WAIT && from != r->self) {
			r->phase = RESYNC_RECEIVING;
			r->sender = from;
			return out(r, RESYNC_CONSUMED, RESYNC_A_CLEAR_DB);
		}
		return out(r, RESYNC_CONSUMED, 0);
	}
	if (t == SYNC_BULK_END) {
		if (!cut_is(r, &m->u.bulk) || !r->bulk_open ||
		    from != r->bulk_from)
			return out(r, RESYNC_DROP, 0);
		r->bulk_open = false;
		if (r->got != r->expect || m->u.bulk.count != r->got) {
			r->stats.failed++;
			if (r->phase == RESYNC_RECEIVING) {
				r->phase = RESYNC_WAIT;
				return out(r, RESYNC_CONSUMED,
				    RESYNC_A_DISCARD | RESYNC_A_CLEAR_DB |
				    RESYNC_A_FAILED);
			}
			return out(r, RESYNC_CONSUMED, 0);
		}
		/* Every receiver of this cut took the same records. */
		synced_all(r);
		if (r->phase == RESYNC_RECEIVING) {
			r->phase = RESYNC_SYNCED;
			r->stats.bulks_received++;
			return out(r, RESYNC_CONSUMED,
			    RESYNC_A_DRAIN | RESYNC_A_SYNCED);
		}
		return out(r, RESYNC_CONSUMED, 0);
	}
	if (!is_record(t))
		return out(r, RESYNC_DROP, 0);
	if (m->hdr.flags & SYNC_F_BULK) {
		if (!r->bulk_open || from != r->bulk_from)
			return out(r, RESYNC_DROP, 0);
		r->got++;
		if (r->phase == RESYNC_RECEIVING) {
			r->stats.records_received++;
			return out(r, RESYNC_APPLY, 0);
		}
		return out(r, RESYNC_CONSUMED, 0);	/* ours, or observed */
	}
	switch (r->phase) {
	case RESYNC_SYNCED:
		return out(r, RESYNC_APPLY, 0);
	case RESYNC_SENDING:
	case RESYNC_WAIT:
	case RESYNC_RECEIVING:
		r->stats.buffered++;
		return out(r, RESYNC_BUFFER, 0);
	default:
		return out(r, RESYNC_DROP, 0);
	}
}

long
resync_send_next(struct resync *r, const struct sadb *db, struct wr *w,
    unsigned int *act)
{
	struct sadb_stats	 st;
	struct sync_bulk	 b;
	long			 len;

	*act = 0;
	if (r->phase != RESYNC_SENDING)
		return 0;
	memset(&b, 0, sizeof(b));
	b.ring_node = r->cut.node;
	b.ring_seq = r->cut.seq;
	if (r->send_state == 0) {
		sadb_get_stats(db, &st);
		sadb_cursor_init(db, &r->cur, NULL);
		b.count = (uint32_t)(st.n_ike + st.n_child);
		if ((len = syncmsg_encode_bulk(w, SYNC_BULK_BEGIN, 0, 0,
		    &b)) < 0)
			return -1;
		r->send_state = 1;
		r->sent = 0;
		return len;
	}
	if (r->send_state == 1) {
		if (!r->pending &&
		    sadb_cursor_next(db, &r->cur, r->item) == SADB_ITEM_END)
			r->send_state = 2;
		else {
			r->pending = true;
			if (r->item->type == SADB_ITEM_IKE)
				len = syncmsg_encode_ike_up(w, 0, SYNC_F_BULK,
				    &r->item->u.ike);
			else
				len = syncmsg_encode_child_up(w, 0,
				    SYNC_F_BULK, &r->item->u.child);
			if (len < 0)
				return -1;
			secure_wipe(r->item, sizeof(*r->item));
			r->pending = false;
			r->sent++;
			r->stats.records_sent++;
			return len;
		}
	}
	if (r->send_state == 2) {
		b.count = r->sent;
		if ((len = syncmsg_encode_bulk(w, SYNC_BULK_END, 0, 0,
		    &b)) < 0)
			return -1;
		r->send_state = 3;
		r->phase = RESYNC_SYNCED;
		r->stats.bulks_sent++;
		*act = RESYNC_A_DRAIN | RESYNC_A_SYNCED;
		return len;
	}
	return 0;
}

unsigned int
resync_force(struct resync *r)
{
	size_t	 i, k = 0;

	for (i = 0; i < r->n_synced; i++)
		if (r->synced[i] != r->self)
			r->synced[k++] = r->synced[i];
	r->n_synced = k;
	if (r->phase == RESYNC_SYNCED || r->phase == RESYNC_SENDING) {
		r->phase = RESYNC_WAIT;
		return RESYNC_A_STOP_SEND | RESYNC_A_UNSYNCED;
	}
	return 0;
}

/* --- the buffer ---------------------------------------------------------------- */

int
resync_q_push(struct resync_q *q, uint32_t from, const uint8_t *buf,
    size_t len)
{
	struct resync_qent	*e;

	if (len > RESYNC_Q_MAX_BYTES || q->bytes > RESYNC_Q_MAX_BYTES - len)
		return -1;
	if ((e = malloc(sizeof(*e) + len)) == NULL)
		return -1;
	e->next = NULL;
	e->from = from;
	e->len = len;
	memcpy(e->data, buf, len);
	if (q->tail != NULL)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	q->n++;
	q->bytes += len;
	return 0;
}

struct resync_qent *
resync_q_pop(struct resync_q *q)
{
	struct resync_qent	*e = q->head;

	if (e == NULL)
		return NULL;
	q->head = e->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->n--;
	q->bytes -= e->len;
	e->next = NULL;
	return e;
}

void
resync_qent_free(struct resync_qent *e)
{
	if (e == NULL)
		return;
	secure_wipe(e, sizeof(*e) + e->len);
	free(e);
}

void
resync_q_clear(struct resync_q *q)
{
	struct resync_qent	*e;

	while ((e = resync_q_pop(q)) != NULL)
		resync_qent_free(e);
}

static const char *const phase_names[] = {
	[RESYNC_INIT]		= "INIT",
	[RESYNC_SYNCED]		= "SYNCED",
	[RESYNC_SENDING]	= "SENDING",
	[RESYNC_WAIT]		= "WAIT",
	[RESYNC_RECEIVING]	= "RECEIVING",
};
_Static_assert(nitems(phase_names) == RESYNC_PHASE_MAX, "phase names");

static const char *const verdict_names[] = {
	[RESYNC_APPLY]		= "APPLY",
	[RESYNC_BUFFER]		= "BUFFER",
	[RESYNC_CONSUMED]	= "CONSUMED",
	[RESYNC_DROP]		= "DROP",
};
_Static_assert(nitems(verdict_names) == RESYNC_VERDICT_MAX, "verdict names");

const char *
resync_phase_name(unsigned int phase)
{
	return NAME_OF(phase_names, phase);
}

const char *
resync_verdict_name(unsigned int v)
{
	return NAME_OF(verdict_names, v);
}
