/*
 * test/unit/test_ctr_batch.c -- counter replication policy
 * (syncd/ctr_batch.c): lease extensions driven by kernel oseq, the fence
 * only after commit, and the outbound bound under simulated traffic;
 * inbound batching by count and by time, coalescing, and the lag bound.
 */
#include <sys/socket.h>

#include <string.h>

#include "../../syncd/ctr_batch.h"
#include "tandem/util.h"
#include "unit.h"

static void
test_out_steps(void)
{
	struct ctr_out		 o;
	struct ctr_fence	 f;
	uint64_t		 end = 0;

	/* oseq0 100, lease 1000, extend when <= 200 remain. */
	CU_ASSERT_FATAL(ctr_out_init(&o, 100, 1000, 200, true));
	ctr_out_fence(&o, &f);
	CU_ASSERT_EQUAL(f.hard_packets, 0);		/* base unknown */
	CU_ASSERT_EQUAL(f.res, LEASE_FENCE_NONE);
	CU_ASSERT(ctr_out_kernel(&o, 100, 0));		/* installed at 100 */
	CU_ASSERT(!ctr_out_kernel(&o, 100, 0));		/* nothing new */
	ctr_out_fence(&o, &f);
	CU_ASSERT_EQUAL(f.hard_packets, 0);		/* no lease yet */
	CU_ASSERT(!ctr_out_fence_due(&o));
	CU_ASSERT(ctr_out_observe(&o, 100, &end));	/* first lease */
	CU_ASSERT_EQUAL(end, 1100);
	ctr_out_asked(&o, end, 7);
	CU_ASSERT(!ctr_out_observe(&o, 100, &end));	/* one in flight */
	CU_ASSERT(!ctr_out_commit(&o, 6, &f));		/* not committed */
	CU_ASSERT(ctr_out_commit(&o, 7, &f));
	CU_ASSERT_EQUAL(f.end, 1100);
	CU_ASSERT_EQUAL(f.hard_packets, 1000);
	CU_ASSERT_EQUAL(f.soft_packets, 800);
	CU_ASSERT(ctr_out_fence_due(&o));
	ctr_out_fenced(&o, &f);
	CU_ASSERT(!ctr_out_fence_due(&o));
	CU_ASSERT(!ctr_out_commit(&o, 8, &f));		/* nothing asked */
	CU_ASSERT(!ctr_out_observe(&o, 800, &end));	/* 300 left */
	CU_ASSERT(ctr_out_observe(&o, 900, &end));	/* 200 left */
	CU_ASSERT_EQUAL(end, 2100);
	ctr_out_asked(&o, end, 9);
	/* Lost in a configuration change: ask again. */
	ctr_out_reset_ask(&o);
	CU_ASSERT(ctr_out_observe(&o, 950, &end));
	ctr_out_asked(&o, end, 12);
	CU_ASSERT(ctr_out_commit(&o, 20, &f));
	CU_ASSERT_EQUAL(f.hard_packets, 2000);
	/* An old (lower) oseq observation does not go backwards. */
	CU_ASSERT(!ctr_out_observe(&o, 10, &end));
	CU_ASSERT_EQUAL(o.last_oseq, 950);
}

static void
test_out_exhausted(void)
{
	struct ctr_out		 o;
	struct ctr_fence	 f;
	uint64_t		 end = 0;

	/* 32-bit numbers, near the top. */
	CU_ASSERT_FATAL(ctr_out_init(&o, UINT32_MAX - 1500, 1000, 100,
	    false));
	CU_ASSERT(ctr_out_observe(&o, UINT32_MAX - 1500, &end));
	ctr_out_asked(&o, end, 1);
	CU_ASSERT(ctr_out_commit(&o, 1, &f));
	CU_ASSERT(ctr_out_observe(&o, UINT32_MAX - 550, &end));
	CU_ASSERT_EQUAL(end, UINT32_MAX);		/* capped */
	ctr_out_asked(&o, end, 2);
	CU_ASSERT(ctr_out_commit(&o, 2, &f));
	CU_ASSERT(!ctr_out_observe(&o, UINT32_MAX - 5, &end));	/* rekey */
	CU_ASSERT(!ctr_out_init(&o, UINT32_MAX, 1000, 100, false));
}

/*
 * The outbound bound under traffic: packets flow at a rate per tick,
 * the kernel is fenced at oseq0 + hard, LEASEs commit after a delay.
 * At every tick: the highest number sent <= the end the standby holds
 * (the standby applies a LEASE when it is delivered, before its ack).
 */
static void
test_out_bound_traffic(void)
{
	static const struct {
		uint64_t	 rate, size, low, delay;
	} cases[] = {
		{ 0,	1000,	200,	3 },	/* no traffic */
		{ 10,	1000,	200,	3 },
		{ 150,	1000,	200,	3 },	/* fast: the fence bites */
		{ 5000,	1000,	900,	10 },	/* far over the lease rate */
	};
	size_t			 i;
	int			 t;

	for (i = 0; i < nitems(cases); i++) {
		struct ctr_out		 o;
		struct ctr_fence	 f;
		uint64_t		 sent = 0, standby_end = 0, end = 0;
		uint64_t		 seq = 0, commit = 0, asked_at = 0;
		uint64_t		 fence_end;

		CU_ASSERT_FATAL(ctr_out_init(&o, 0, cases[i].size,
		    cases[i].low, true));
		ctr_out_fence(&o, &f);
		fence_end = f.hard_packets == 0 ? 0 : f.end;
		for (t = 0; t < 2000; t++) {
			if (ctr_out_observe(&o, sent, &end)) {
				ctr_out_asked(&o, end, ++seq);
				asked_at = (uint64_t)t;
				/* Delivered to the standby right away; its ack
				 * arrives `delay` ticks later. */
				if (end > standby_end)
					standby_end = end;
			}
			if (seq > commit && (uint64_t)t >= asked_at +
			    cases[i].delay)
				commit = seq;
			if (ctr_out_commit(&o, commit, &f))
				fence_end = f.end;
			/* The kernel sends up to its fence, no further. */
			sent += cases[i].rate;
			if (sent > fence_end)
				sent = fence_end;
			CU_ASSERT(sent <= standby_end || sent == 0);
			CU_ASSERT(fence_end <= standby_end);
		}
		if (cases[i].rate > 0)
			CU_ASSERT(sent > 0);
		/* Takeover skip: at most size + low_water numbers. */
		CU_ASSERT(lease_takeover_oseq(standby_end) - sent <=
		    cases[i].size + cases[i].low + cases[i].rate);
	}
}

/*
 * The kernel's view: an SA installed by a takeover at oseq E (so its
 * packet count starts at 0 there), reports taken between the kernel's
 * two increments (oseq first), an ESN SA crossing 2^32, a base that
 * grows (its oseq preset again), and a fence behind the kernel.
 */
static void
test_out_kernel_base(void)
{
	struct ctr_out		 o;
	struct ctr_fence	 f;
	const uint64_t		 E = 5000000;
	uint64_t		 end = 0;

	/* Takeover: installed at E; first report after 2 packets. */
	CU_ASSERT_FATAL(ctr_out_init(&o, E + 2, 1000, 250, true));
	/* The sadb holds E: the kernel is past it, nothing held ahead. */
	CU_ASSERT(!ctr_out_start(&o, E + 2, E));
	CU_ASSERT_EQUAL(o.lease.end, E + 2);
	CU_ASSERT(ctr_out_kernel(&o, E + 2, 2));
	CU_ASSERT_EQUAL(o.base, E);
	CU_ASSERT(!ctr_out_fence_due(&o));	/* not before a commit */
	/* From the output path: oseq raised, packets not yet. */
	CU_ASSERT(ctr_out_kernel(&o, E + 11, 10));
	CU_ASSERT_EQUAL(o.base, E + 1);		/* conservative by one */
	CU_ASSERT(!ctr_out_kernel(&o, E + 20, 20));	/* never lowered */
	CU_ASSERT(!ctr_out_kernel(&o, 5, 6));	/* impossible: ignored */
	CU_ASSERT_EQUAL(o.base, E + 1);
	CU_ASSERT(ctr_out_observe(&o, E + 20, &end));
	CU_ASSERT_EQUAL(end, E + 1002);
	ctr_out_asked(&o, end, 1);
	CU_ASSERT(ctr_out_commit(&o, 1, &f));
	CU_ASSERT_EQUAL(f.res, LEASE_FENCE_OK);
	/* The kernel stops at packets = hard: oseq = E + hard <= end. */
	CU_ASSERT_EQUAL(f.hard_packets, E + 1002 - (E + 1));
	CU_ASSERT(E + f.hard_packets <= end);
	CU_ASSERT_EQUAL(f.soft_packets, f.hard_packets - 250);
	ctr_out_fenced(&o, &f);
	/* A NEWAE preset the oseq 100 further: base grows, fence again. */
	CU_ASSERT(ctr_out_kernel(&o, E + 130, 30));
	CU_ASSERT(ctr_out_fence_due(&o));
	ctr_out_fence(&o, &f);
	CU_ASSERT_EQUAL(f.hard_packets, E + 1002 - (E + 100));
	/* The child's own limits stay where lower. */
	ctr_out_fence_cfg(&o, 500, 800, &f);
	CU_ASSERT_EQUAL(f.hard_packets, 800);
	CU_ASSERT_EQUAL(f.soft_packets, 500);
	/* ... unless its rekey limit fired already. */
	o.last_packets = 600;
	ctr_out_fence_cfg(&o, 500, 0, &f);
	CU_ASSERT_EQUAL(f.soft_packets, f.hard_packets - 250);
	/* The kernel past the end (an SA that sent before any fence). */
	o.last_packets = 2000;
	ctr_out_fence(&o, &f);
	CU_ASSERT_EQUAL(f.res, LEASE_FENCE_BEHIND);
	CU_ASSERT_EQUAL(f.hard_packets, 0);

	/* ESN across 2^32: installed at 2^32 - 100. */
	CU_ASSERT_FATAL(ctr_out_init(&o, (1ULL << 32) - 90, 1000, 100,
	    true));
	CU_ASSERT(ctr_out_kernel(&o, (1ULL << 32) - 90, 10));
	CU_ASSERT_EQUAL(o.base, (1ULL << 32) - 100);
	CU_ASSERT(ctr_out_observe(&o, (1ULL << 32) - 90, &end));
	CU_ASSERT_EQUAL(end, (1ULL << 32) + 910);
	ctr_out_asked(&o, end, 3);
	CU_ASSERT(ctr_out_commit(&o, 3, &f));
	CU_ASSERT_EQUAL(f.hard_packets, 1010);
	CU_ASSERT_EQUAL(f.soft_packets, 910);
	/* Without ESN the lease, and so the fence, stops at 2^32 - 1. */
	CU_ASSERT_FATAL(ctr_out_init(&o, UINT32_MAX - 90, 1000, 100,
	    false));
	CU_ASSERT(ctr_out_kernel(&o, UINT32_MAX - 90, 10));
	CU_ASSERT(ctr_out_observe(&o, UINT32_MAX - 90, &end));
	CU_ASSERT_EQUAL(end, UINT32_MAX);
	ctr_out_asked(&o, end, 4);
	CU_ASSERT(ctr_out_commit(&o, 4, &f));
	CU_ASSERT_EQUAL(f.hard_packets, 100);
	CU_ASSERT_EQUAL(o.base + f.hard_packets, UINT32_MAX);
}

/*
 * A kernel fenced with packet limits, simulated packet by packet in
 * ticks: it refuses a packet once packets == hard (and the SA is then
 * hard-expired), sends a soft EXPIRE at packets == soft, and reports
 * (oseq, packets) every rseqth packets from the output path (oseq one
 * ahead).  The SA was installed at oseq B (a takeover), LEASEs commit
 * `delay` ticks after they are asked, and a fence is programmed at
 * commit.  Always: no number above the end the standby holds; under a
 * rate the soft margin covers (rate * delay < low water) the SA is
 * never hard-expired; over it, it is (the failure mode), still safe.
 */
static void
test_out_fenced_kernel(void)
{
	static const struct {
		uint64_t	 rate, delay;
		bool		 expire;	/* a hard expire is expected */
	} cases[] = {
		{ 0,	4,	false },
		{ 7,	4,	false },
		{ 40,	5,	false },	/* 200 < low water 256 */
		{ 200,	6,	true },		/* 1200 > 256: fence bites */
	};
	const uint64_t		 B = 77777, size = 1024, low = 256;
	size_t			 i;
	int			 t;

	for (i = 0; i < nitems(cases); i++) {
		struct ctr_out		 o;
		struct ctr_fence	 f;
		uint64_t		 oseq = B + 3, packets = 3, end = 0;
		uint64_t		 hard = 0, soft = 0, standby = B;
		uint64_t		 seq = 0, commit = 0, asked_at = 0, k;
		bool			 dead = false, soft_sent = false;
		unsigned int		 hard_expires = 0;

		/* Untracked at first: 3 packets went before any fence (the
		 * first lease came in the CHILD_UP: B + size, see aevent.c). */
		standby = B + size;
		CU_ASSERT_FATAL(ctr_out_init(&o, oseq, size, low, true));
		CU_ASSERT(ctr_out_start(&o, oseq, standby));
		(void)ctr_out_kernel(&o, oseq + 1, packets);	/* skewed */
		CU_ASSERT(ctr_out_fence_due(&o));
		ctr_out_fence(&o, &f);
		CU_ASSERT_EQUAL_FATAL(f.res, LEASE_FENCE_OK);
		hard = f.hard_packets;
		soft = f.soft_packets;
		ctr_out_fenced(&o, &f);
		for (t = 0; t < 3000 && !dead; t++) {
			for (k = 0; k < cases[i].rate; k++) {
				if (packets >= hard) {
					dead = true;	/* hard EXPIRE */
					hard_expires++;
					break;
				}
				oseq++;
				packets++;
				CU_ASSERT(oseq <= standby);
				if (packets % 16 == 0)
					(void)ctr_out_kernel(&o, oseq, packets);
				if (!soft_sent && packets >= soft) {
					soft_sent = true;
					(void)ctr_out_kernel(&o, oseq, packets);
				}
				if ((packets % 16 == 0 || soft_sent) &&
				    ctr_out_observe(&o, oseq, &end)) {
					ctr_out_asked(&o, end, ++seq);
					asked_at = (uint64_t)t;
					/* delivered to the standby at once */
					if (end > standby)
						standby = end;
				}
			}
			if (seq > commit && (uint64_t)t >= asked_at +
			    cases[i].delay)
				commit = seq;
			if (ctr_out_commit(&o, commit, &f) &&
			    f.res == LEASE_FENCE_OK) {
				CU_ASSERT(f.end <= standby);
				hard = f.hard_packets;
				soft = f.soft_packets;
				soft_sent = false;	/* UPDSA clears dying */
				ctr_out_fenced(&o, &f);
			}
			CU_ASSERT(o.base + hard <= standby);
		}
		CU_ASSERT_EQUAL(hard_expires > 0, cases[i].expire);
		if (cases[i].rate > 0 && !cases[i].expire)
			CU_ASSERT(packets > 10 * size);	/* traffic flowed */
	}
}

static struct sync_ctr
rec(uint8_t dir, uint32_t spi, uint64_t v, uint32_t bm)
{
	struct sync_ctr	 c;

	memset(&c, 0, sizeof(c));
	c.dir = dir;
	c.spi = spi;
	c.dst.family = AF_INET;
	c.dst.addr[0] = 192;
	c.dst.addr[3] = 1;
	c.value = v;
	c.bitmap = bm;
	return c;
}

static void
test_in_batch(void)
{
	struct ctr_batch	 b;
	static struct sync_ctr_batch out;
	struct sync_ctr		 c;

	ctr_batch_init(&b, 3, 50);
	CU_ASSERT(!ctr_batch_due(&b, 0));
	CU_ASSERT_EQUAL(ctr_batch_deadline(&b), UINT64_MAX);
	c = rec(SYNC_CTR_IN, 1, 10, 0x1);
	CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, 1000), 0);
	CU_ASSERT_EQUAL(ctr_batch_deadline(&b), 1050);
	CU_ASSERT(!ctr_batch_due(&b, 1049));
	CU_ASSERT(ctr_batch_due(&b, 1050));		/* by time */
	/* Coalescing: the same SA keeps the larger top; equal tops OR. */
	c = rec(SYNC_CTR_IN, 1, 20, 0x3);
	CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, 1010), 0);
	c = rec(SYNC_CTR_IN, 1, 15, 0xff);
	CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, 1011), 0);
	c = rec(SYNC_CTR_IN, 1, 20, 0x4);
	CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, 1012), 0);
	CU_ASSERT_EQUAL(b.b.n, 1);
	CU_ASSERT_EQUAL(b.b.c[0].value, 20);
	CU_ASSERT_EQUAL(b.b.c[0].bitmap, 0x7);
	CU_ASSERT_EQUAL(b.coalesced, 3);
	/* Same SPI, other direction: another record. */
	c = rec(SYNC_CTR_OUT, 1, 5000, 0);
	CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, 1013), 0);
	CU_ASSERT(!ctr_batch_due(&b, 1013));
	c = rec(SYNC_CTR_IN, 2, 1, 0);
	CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, 1014), 0);
	CU_ASSERT(ctr_batch_due(&b, 1014));		/* by count */
	c = rec(SYNC_CTR_IN, 3, 1, 0);
	CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, 1015), -1);	/* full */
	CU_ASSERT_EQUAL(ctr_batch_take(&b, &out), 3);
	CU_ASSERT_EQUAL(out.c[1].dir, SYNC_CTR_OUT);
	CU_ASSERT(!ctr_batch_due(&b, 5000));
	CU_ASSERT_EQUAL(ctr_batch_take(&b, &out), 0);
	/* The documented lag: AE timer + batch interval. */
	CU_ASSERT_EQUAL(ctr_in_lag_bound_ms(1000, &b), 1050);
	ctr_batch_init(&b, 0, 0);
	CU_ASSERT_EQUAL(b.max_n, CTR_BATCH_N_DEFAULT);
	CU_ASSERT_EQUAL(b.max_ms, CTR_BATCH_MS_DEFAULT);
	ctr_batch_init(&b, 60000, 1);
	CU_ASSERT_EQUAL(b.max_n, SYNC_CTR_MAX);
}

/*
 * The inbound bound under traffic: the kernel reports its top every
 * rseqth packets or etime ticks (ms); reports go through the batch;
 * the replica applies a batch when it is due.  At every ms the replica's
 * top lags by at most rseqth packets or etime + batch ms of traffic.
 */
static void
test_in_bound_traffic(void)
{
	static const struct {
		uint64_t	 rate;		/* packets per ms */
		uint64_t	 rseqth, etime;
	} cases[] = {
		{ 0, 32, 100 },
		{ 1, 32, 100 },			/* timer-driven */
		{ 50, 32, 100 },		/* threshold-driven */
	};
	size_t			 i;
	uint64_t		 t;

	for (i = 0; i < nitems(cases); i++) {
		struct ctr_batch	 b;
		static struct sync_ctr_batch out;
		struct sync_ctr		 c;
		uint64_t		 top = 0, reported = 0, replica = 0;
		uint64_t		 last_report_ms = 0, bound;

		ctr_batch_init(&b, 64, 20);
		bound = ctr_in_lag_bound_ms(cases[i].etime, &b);
		for (t = 1; t <= 3000; t++) {
			top += cases[i].rate;
			if (top - reported >= cases[i].rseqth ||
			    (t - last_report_ms >= cases[i].etime &&
			    top != reported)) {
				c = rec(SYNC_CTR_IN, 7, top, ~0U);
				CU_ASSERT_EQUAL(ctr_batch_add(&b, &c, t), 0);
				reported = top;
				last_report_ms = t;
			}
			if (ctr_batch_due(&b, t) &&
			    ctr_batch_take(&b, &out) > 0 &&
			    out.c[0].value > replica)
				replica = out.c[0].value;
			CU_ASSERT(top - replica <= cases[i].rseqth +
			    cases[i].rate * bound);
		}
	}
}

UNIT_SUITE(ctr_batch, "ctr_batch: counter replication policy",
    { "outbound lease steps", test_out_steps },
    { "outbound number space exhausted", test_out_exhausted },
    { "outbound bound under traffic", test_out_bound_traffic },
    { "outbound kernel base, ESN, takeover install", test_out_kernel_base },
    { "outbound fenced kernel: bound, no hard expire",
	test_out_fenced_kernel },
    { "inbound batching", test_in_batch },
    { "inbound bound under traffic", test_in_bound_traffic });
