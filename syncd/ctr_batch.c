/*
 * syncd/ctr_batch.c -- ESP counter replication policy (contract and the
 * two bounds in ctr_batch.h; the lease proof in replay.h).
 */
#include <string.h>

#include "ctr_batch.h"
#include "tandem/util.h"

bool
ctr_out_init(struct ctr_out *o, uint64_t oseq0, uint64_t size,
    uint64_t low_water, bool esn)
{
	memset(o, 0, sizeof(*o));
	o->last_oseq = oseq0;
	return lease_init(&o->lease, oseq0, size, low_water, esn);
}

bool
ctr_out_observe(struct ctr_out *o, uint64_t oseq, uint64_t *end)
{
	uint64_t	 next;

	if (oseq > o->last_oseq)
		o->last_oseq = oseq;
	if (o->asked_end != 0)
		return false;		/* one extension in flight at most */
	if (!lease_should_extend(&o->lease, o->last_oseq))
		return false;
	next = lease_next_end(&o->lease);
	if (next <= o->lease.end)
		return false;		/* exhausted: rekey */
	*end = next;
	return true;
}

void
ctr_out_asked(struct ctr_out *o, uint64_t end, uint64_t seq)
{
	o->asked_end = end;
	o->asked_seq = seq;
}

bool
ctr_out_start(struct ctr_out *o, uint64_t oseq, uint64_t held_end)
{
	o->lease.end = oseq;
	lease_ack(&o->lease, held_end);
	o->held = held_end > oseq;
	return o->held;
}

bool
ctr_out_kernel(struct ctr_out *o, uint64_t oseq, uint64_t packets)
{
	uint64_t	 base = o->base;

	if (!lease_kernel_base(oseq, packets, &base))
		return false;
	if (oseq > o->last_oseq)
		o->last_oseq = oseq;
	if (packets > o->last_packets)
		o->last_packets = packets;
	if (o->base_known && base == o->base)
		return false;
	o->base = base;
	o->base_known = true;
	return true;
}

void
ctr_out_fence_cfg(const struct ctr_out *o, uint64_t cfg_soft,
    uint64_t cfg_hard, struct ctr_fence *f)
{
	struct lease_klimits	 k;
	uint64_t		 now;

	memset(f, 0, sizeof(*f));
	f->end = o->lease.end;
	if (!o->base_known) {
		f->res = LEASE_FENCE_NONE;
		return;
	}
	/* Packets counted by now: at least the last report, and at least
	 * what the highest oseq seen implies. */
	now = sat_sub64(o->last_oseq, o->base);
	if (o->last_packets > now)
		now = o->last_packets;
	f->res = lease_kernel_fence(&o->lease, o->base, now, cfg_soft,
	    cfg_hard, &k);
	f->hard_packets = k.hard_packets;
	f->soft_packets = k.soft_packets;
}

void
ctr_out_fence(const struct ctr_out *o, struct ctr_fence *f)
{
	ctr_out_fence_cfg(o, 0, 0, f);
}

bool
ctr_out_fence_due(const struct ctr_out *o)
{
	return o->held && o->base_known && o->lease.end > o->base &&
	    (o->lease.end != o->fenced_end || o->base != o->fenced_base);
}

void
ctr_out_fenced(struct ctr_out *o, const struct ctr_fence *f)
{
	o->fenced_end = f->end;
	o->fenced_base = o->base;
}

bool
ctr_out_commit(struct ctr_out *o, uint64_t commit_point, struct ctr_fence *f)
{
	if (o->asked_end == 0 || o->asked_seq == 0 ||
	    o->asked_seq > commit_point)
		return false;
	/* Every other member holds asked_end now (wal): the one premise of
	 * the outbound bound (replay.h). */
	lease_ack(&o->lease, o->asked_end);
	o->held = true;
	o->asked_end = 0;
	o->asked_seq = 0;
	ctr_out_fence(o, f);
	return true;
}

void
ctr_out_reset_ask(struct ctr_out *o)
{
	o->asked_end = 0;
	o->asked_seq = 0;
}

void
ctr_batch_init(struct ctr_batch *b, uint16_t n, uint32_t ms)
{
	memset(b, 0, sizeof(*b));
	b->max_n = n == 0 ? CTR_BATCH_N_DEFAULT : n;
	if (b->max_n > SYNC_CTR_MAX)
		b->max_n = SYNC_CTR_MAX;
	b->max_ms = ms == 0 ? CTR_BATCH_MS_DEFAULT : ms;
}

static bool
same_sa(const struct sync_ctr *a, const struct sync_ctr *b)
{
	return a->dir == b->dir && a->spi == b->spi &&
	    a->dst.family == b->dst.family &&
	    memcmp(a->dst.addr, b->dst.addr, sa_addr_len(a->dst.family)) == 0;
}

int
ctr_batch_add(struct ctr_batch *b, const struct sync_ctr *c, uint64_t now_ms)
{
	struct sync_ctr	*e;
	uint16_t	 i;

	for (i = 0; i < b->b.n; i++) {
		e = &b->b.c[i];
		if (!same_sa(e, c))
			continue;
		b->coalesced++;
		if (c->value > e->value) {
			e->value = c->value;
			e->bitmap = c->bitmap;
		} else if (c->value == e->value)
			e->bitmap |= c->bitmap;
		return 0;
	}
	if (b->b.n >= b->max_n)
		return -1;
	if (b->b.n == 0)
		b->first_ms = now_ms;
	b->b.c[b->b.n++] = *c;
	return 0;
}

bool
ctr_batch_due(const struct ctr_batch *b, uint64_t now_ms)
{
	if (b->b.n == 0)
		return false;
	return b->b.n >= b->max_n || now_ms >= ctr_batch_deadline(b);
}

uint64_t
ctr_batch_deadline(const struct ctr_batch *b)
{
	if (b->b.n == 0)
		return UINT64_MAX;
	return sat_add64(b->first_ms, b->max_ms);
}

uint16_t
ctr_batch_take(struct ctr_batch *b, struct sync_ctr_batch *out)
{
	uint16_t	 n = b->b.n;

	out->n = n;
	memcpy(out->c, b->b.c, n * sizeof(out->c[0]));
	b->b.n = 0;
	b->first_ms = 0;
	return n;
}

uint64_t
ctr_in_lag_bound_ms(uint32_t aevent_etime_ms, const struct ctr_batch *b)
{
	return (uint64_t)aevent_etime_ms + b->max_ms;
}
