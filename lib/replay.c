/*
 * lib/replay.c -- replay window, ESN inference and sequence leases
 * (see replay.h for the bounds and their proof).
 */
#include <string.h>

#include "tandem/replay.h"
#include "tandem/util.h"

void
replay_init(struct replay_win *w, uint32_t size)
{
	memset(w, 0, sizeof(*w));
	w->size = size == 0 ? 1 : size > REPLAY_WINDOW_MAX ?
	    REPLAY_WINDOW_MAX : size;
}

static bool
bit_get(const struct replay_win *w, uint64_t off)
{
	return (w->bits[off / 64] >> (off % 64)) & 1;
}

static void
bit_set(struct replay_win *w, uint64_t off)
{
	w->bits[off / 64] |= (uint64_t)1 << (off % 64);
}

enum replay_verdict
replay_check(const struct replay_win *w, uint64_t seq)
{
	if (seq == 0)
		return REPLAY_OLD;		/* never sent (RFC 4303 3.3.3) */
	if (seq > w->top)
		return REPLAY_OK;
	if (w->top - seq >= w->size)
		return REPLAY_OLD;
	return bit_get(w, w->top - seq) ? REPLAY_DUP : REPLAY_OK;
}

/* Shift the bitmap towards higher offsets by n (n < REPLAY_WINDOW_MAX). */
static void
shift_up(struct replay_win *w, uint64_t n)
{
	size_t	 words = nitems(w->bits), i;
	size_t	 wsh = (size_t)(n / 64);
	unsigned bsh = (unsigned)(n % 64);

	for (i = words; i-- > 0;) {
		uint64_t v = 0;

		if (i >= wsh) {
			v = w->bits[i - wsh] << bsh;
			if (bsh != 0 && i > wsh)
				v |= w->bits[i - wsh - 1] >> (64 - bsh);
		}
		w->bits[i] = v;
	}
}

void
replay_accept(struct replay_win *w, uint64_t seq)
{
	uint64_t	 d;

	if (replay_check(w, seq) != REPLAY_OK)
		return;
	if (seq > w->top) {
		d = seq - w->top;
		if (d >= REPLAY_WINDOW_MAX)
			memset(w->bits, 0, sizeof(w->bits));
		else
			shift_up(w, d);
		w->top = seq;
		bit_set(w, 0);
		return;
	}
	bit_set(w, w->top - seq);
}

void
replay_takeover(struct replay_win *w, uint32_t size, uint64_t top)
{
	uint64_t	 i;

	replay_init(w, size);
	w->top = top;
	for (i = 0; i < w->size && i < top; i++)
		bit_set(w, i);
}

const char *
replay_verdict_name(enum replay_verdict v)
{
	switch (v) {
	case REPLAY_OK:
		return "ok";
	case REPLAY_DUP:
		return "duplicate";
	case REPLAY_OLD:
		return "too old";
	}
	return "unknown";
}

uint64_t
esn_infer(uint64_t top, uint32_t size, uint32_t seq_lo)
{
	uint32_t	 tl = (uint32_t)top, th = (uint32_t)(top >> 32);
	uint32_t	 bl;			/* bottom of the window, low bits */

	if (size == 0)
		size = 1;
	bl = tl - size + 1;
	/* Case A: the window lies within one 2^32 block. */
	if (tl >= size - 1) {
		if (seq_lo >= bl)
			return (uint64_t)th << 32 | seq_lo;
		/* Below the window: it must be from the next block. */
		return (uint64_t)(th + 1) << 32 | seq_lo;
	}
	/* Case B: the window spans the block boundary. */
	if (seq_lo >= bl)
		return th == 0 ? seq_lo :
		    (uint64_t)(th - 1) << 32 | seq_lo;
	return (uint64_t)th << 32 | seq_lo;
}

static uint64_t
seq_space(const struct seq_lease *l)
{
	return l->esn ? UINT64_MAX : SEQ_32_MAX;
}

bool
lease_init(struct seq_lease *l, uint64_t oseq0, uint64_t size,
    uint64_t low_water, bool esn)
{
	memset(l, 0, sizeof(*l));
	l->oseq0 = oseq0;
	l->end = oseq0;
	l->size = size == 0 ? 1 : size;
	l->low_water = low_water < l->size ? low_water : l->size - 1;
	l->esn = esn;
	if (oseq0 >= seq_space(l))
		return false;
	return true;
}

bool
lease_should_extend(const struct seq_lease *l, uint64_t oseq)
{
	if (l->end >= seq_space(l))
		return false;			/* nothing left to give */
	return oseq >= l->end || l->end - oseq <= l->low_water;
}

uint64_t
lease_next_end(const struct seq_lease *l)
{
	uint64_t	 next = sat_add64(l->end, l->size);

	return next > seq_space(l) ? seq_space(l) : next;
}

void
lease_ack(struct seq_lease *l, uint64_t end)
{
	if (end > l->end)
		l->end = end > seq_space(l) ? seq_space(l) : end;
}

uint64_t
lease_hard_packets(const struct seq_lease *l)
{
	return sat_sub64(l->end, l->oseq0);
}

uint64_t
lease_soft_packets(const struct seq_lease *l)
{
	uint64_t	 hard = lease_hard_packets(l);
	uint64_t	 soft = sat_sub64(hard, l->low_water);

	/* The kernel reads 0 as "no limit": warn at the first packet. */
	return hard == 0 ? 0 : soft == 0 ? 1 : soft;
}

uint64_t
lease_takeover_oseq(uint64_t acked_end)
{
	return acked_end;
}

bool
lease_kernel_base(uint64_t oseq, uint64_t packets, uint64_t *base)
{
	if (packets > oseq)
		return false;
	if (oseq - packets > *base)
		*base = oseq - packets;
	return true;
}

enum lease_fence
lease_kernel_fence(const struct seq_lease *l, uint64_t base,
    uint64_t packets_now, uint64_t cfg_soft, uint64_t cfg_hard,
    struct lease_klimits *out)
{
	uint64_t	 hard, soft;

	memset(out, 0, sizeof(*out));
	if (l->end <= base)
		return LEASE_FENCE_NONE;
	hard = l->end - base;
	if (cfg_hard != 0 && cfg_hard < hard)
		hard = cfg_hard;
	if (hard <= packets_now)
		return LEASE_FENCE_BEHIND;
	soft = hard > l->low_water ? hard - l->low_water : 1;
	/* The child's rekey limit, unless it fired already (it would fire
	 * again: the update clears the kernel's dying flag). */
	if (cfg_soft != 0 && cfg_soft < soft && cfg_soft > packets_now)
		soft = cfg_soft;
	out->hard_packets = hard;
	out->soft_packets = soft;
	return LEASE_FENCE_OK;
}

const char *
lease_fence_name(enum lease_fence f)
{
	switch (f) {
	case LEASE_FENCE_OK:
		return "ok";
	case LEASE_FENCE_NONE:
		return "no lease beyond the install oseq";
	case LEASE_FENCE_BEHIND:
		return "kernel already past the lease end";
	}
	return "unknown";
}
