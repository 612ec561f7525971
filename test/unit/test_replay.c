/*
 * test/unit/test_replay.c -- replay window, ESN inference and sequence
 * leases: tables of steps, and the two takeover bounds of replay.h.
 */
#include "tandem/replay.h"
#include "tandem/util.h"
#include "unit.h"

static void
test_window_steps(void)
{
	static const struct {
		uint64_t		 seq;
		enum replay_verdict	 want;
	} steps[] = {
		{ 1,		REPLAY_OK },
		{ 1,		REPLAY_DUP },	/* same again */
		{ 0,		REPLAY_OLD },	/* 0 is never sent */
		{ 64,		REPLAY_OK },	/* top of a 64-wide window */
		{ 2,		REPLAY_OK },	/* late but inside */
		{ 2,		REPLAY_DUP },
		{ 130,		REPLAY_OK },	/* slides the window */
		{ 66,		REPLAY_OLD },	/* fell off the bottom */
		{ 67,		REPLAY_OK },	/* the lowest slot still in */
		{ 67,		REPLAY_DUP },
		{ 64,		REPLAY_OLD },
		{ 130,		REPLAY_DUP },
		{ 129,		REPLAY_OK },
		{ 1000000,	REPLAY_OK },	/* jump clears everything */
		{ 999999,	REPLAY_OK },
		{ 130,		REPLAY_OLD },
	};
	struct replay_win	 w;
	size_t			 i;

	replay_init(&w, 64);
	for (i = 0; i < nitems(steps); i++) {
		enum replay_verdict v = replay_check(&w, steps[i].seq);

		CU_ASSERT_EQUAL_FATAL(v, steps[i].want);
		if (v == REPLAY_OK)
			replay_accept(&w, steps[i].seq);
	}
	CU_ASSERT_STRING_EQUAL(replay_verdict_name(REPLAY_DUP), "duplicate");
}

/* Shifts across word boundaries keep every seen bit. */
static void
test_window_wide(void)
{
	struct replay_win	 w;
	uint64_t		 s;

	replay_init(&w, 1024);
	for (s = 1; s <= 1999; s += 3)		/* top ends at 1999 */
		replay_accept(&w, s);
	CU_ASSERT_EQUAL(w.top, 1999);
	for (s = 1999 - 1023; s <= 2000; s++) {
		enum replay_verdict want = (s - 1) % 3 == 0 ? REPLAY_DUP :
		    REPLAY_OK;

		CU_ASSERT_EQUAL(replay_check(&w, s), want);
	}
	CU_ASSERT_EQUAL(replay_check(&w, 1999 - 1024), REPLAY_OLD);
	replay_init(&w, 0);
	CU_ASSERT_EQUAL(w.size, 1);
	replay_init(&w, 100000);
	CU_ASSERT_EQUAL(w.size, REPLAY_WINDOW_MAX);
}

/* Inbound bound: after takeover nothing at or below the top is taken. */
static void
test_takeover_window(void)
{
	struct replay_win	 w;
	uint64_t		 s;

	replay_takeover(&w, 128, 5000);
	for (s = 5000 - 200; s <= 5000; s++)
		CU_ASSERT_NOT_EQUAL(replay_check(&w, s), REPLAY_OK);
	CU_ASSERT_EQUAL(replay_check(&w, 5001), REPLAY_OK);
	/* A top below the window size marks only real numbers. */
	replay_takeover(&w, 128, 3);
	CU_ASSERT_EQUAL(replay_check(&w, 3), REPLAY_DUP);
	CU_ASSERT_EQUAL(replay_check(&w, 1), REPLAY_DUP);
	CU_ASSERT_EQUAL(replay_check(&w, 4), REPLAY_OK);
}

static void
test_esn_infer(void)
{
	static const struct {
		uint64_t	 top;
		uint32_t	 size;
		uint32_t	 lo;
		uint64_t	 want;
	} t[] = {
		{ 100,			64, 90,		90 },
		{ 100,			64, 101,	101 },
		{ 100,			64, 20,	(1ULL << 32) | 20 }, /* case A, next */
		{ 0xffffffffULL,	64, 5,	(1ULL << 32) | 5 },
		{ (1ULL << 32) | 10,	64, 0xfffffff0U, 0xfffffff0ULL },
		{ (1ULL << 32) | 10,	64, 11,	(1ULL << 32) | 11 },
		{ 10,			64, 0xfffffff0U, 0xfffffff0ULL },
		{ (5ULL << 32) | 100,	32, 80,	(5ULL << 32) | 80 },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++)
		CU_ASSERT_EQUAL(esn_infer(t[i].top, t[i].size, t[i].lo),
		    t[i].want);
}

/*
 * The outbound bound, simulated: an owner sends under its fence while
 * extensions are acknowledged late; a takeover at any instant installs
 * the acknowledged end, which is never below the last number sent.
 */
static void
test_lease_bound(void)
{
	struct seq_lease	 l;
	uint64_t		 oseq = 1000, pending = 0, sent_max = 0;
	uint64_t		 fence, step, violations = 0;

	CU_ASSERT_FATAL(lease_init(&l, oseq, 4096, 1024, true));
	CU_ASSERT_EQUAL(lease_hard_packets(&l), 0);	/* no lease yet */
	CU_ASSERT_EQUAL(lease_soft_packets(&l), 0);
	lease_ack(&l, lease_next_end(&l));
	CU_ASSERT_EQUAL(l.end, 1000 + 4096);
	for (step = 0; step < 100000; step++) {
		fence = l.oseq0 + lease_hard_packets(&l);
		/* The kernel sends while under its fence. */
		if (oseq < fence)
			oseq++;
		sent_max = oseq;
		if (lease_should_extend(&l, oseq) && pending == 0)
			pending = lease_next_end(&l);
		/* Acknowledgements arrive every 700 steps only. */
		if (pending != 0 && step % 700 == 0) {
			lease_ack(&l, pending);
			pending = 0;
		}
		if (lease_takeover_oseq(l.end) < sent_max)
			violations++;
	}
	CU_ASSERT_EQUAL(violations, 0);
	CU_ASSERT(oseq > 50000);	/* the fence did not stall traffic */
	lease_ack(&l, 5);		/* never backwards */
	CU_ASSERT(l.end >= oseq);
}

static void
test_lease_corners(void)
{
	struct seq_lease	 l;

	/* 32-bit numbers: the lease stops at 2^32 - 1, never wraps. */
	CU_ASSERT_FATAL(lease_init(&l, SEQ_32_MAX - 10, 100, 20, false));
	CU_ASSERT_EQUAL(lease_next_end(&l), SEQ_32_MAX);
	lease_ack(&l, lease_next_end(&l));
	CU_ASSERT_EQUAL(lease_hard_packets(&l), 10);
	CU_ASSERT(!lease_should_extend(&l, SEQ_32_MAX - 1));
	lease_ack(&l, (uint64_t)SEQ_32_MAX + 50);
	CU_ASSERT_EQUAL(l.end, SEQ_32_MAX);
	CU_ASSERT(!lease_init(&l, SEQ_32_MAX, 100, 20, false));
	/* ESN: saturates at 2^64 - 1. */
	CU_ASSERT_FATAL(lease_init(&l, UINT64_MAX - 5, 100, 20, true));
	CU_ASSERT_EQUAL(lease_next_end(&l), UINT64_MAX);
	/* Zero traffic: no extension asked for while the lease is full. */
	CU_ASSERT_FATAL(lease_init(&l, 0, 1000, 100, true));
	lease_ack(&l, 1000);
	CU_ASSERT(!lease_should_extend(&l, 0));
	CU_ASSERT(lease_should_extend(&l, 900));
	CU_ASSERT_EQUAL(lease_soft_packets(&l), 900);
	/* low_water >= size is clamped so a lease is never born empty. */
	CU_ASSERT_FATAL(lease_init(&l, 0, 10, 50, true));
	CU_ASSERT_EQUAL(l.low_water, 9);
	/* Forward jumps stay far below what ESN inference tolerates. */
	CU_ASSERT(4096 + 1024 < (1ULL << 32) - REPLAY_WINDOW_MAX);
}

/*
 * The fence in the kernel's terms (replay.h): base from (oseq, packets),
 * limits from the lease end, corners.
 */
static void
test_lease_kernel(void)
{
	static const struct {
		uint64_t	 end, base, now, cfg_soft, cfg_hard;
		enum lease_fence res;
		uint64_t	 hard, soft;
	} T[] = {
		/* fresh SA: base 0, lease 1000, low water 100 */
		{ 1000,	0,	0,	0,	0,  LEASE_FENCE_OK,	1000, 900 },
		{ 1000,	0,	999,	0,	0,  LEASE_FENCE_OK,	1000, 900 },
		{ 1000,	0,	1000,	0,	0,  LEASE_FENCE_BEHIND,	0, 0 },
		/* takeover install at 5000 */
		{ 6000,	5000,	10,	0,	0,  LEASE_FENCE_OK,	1000, 900 },
		{ 5000,	5000,	0,	0,	0,  LEASE_FENCE_NONE,	0, 0 },
		{ 4000,	5000,	0,	0,	0,  LEASE_FENCE_NONE,	0, 0 },
		/* the child's limits where lower */
		{ 1000,	0,	0,	300,	600, LEASE_FENCE_OK,	600, 300 },
		{ 1000,	0,	400,	300,	0,  LEASE_FENCE_OK,	1000, 900 },
		{ 1000,	0,	700,	300,	600, LEASE_FENCE_BEHIND, 0, 0 },
		/* a lease smaller than the low water: soft 1 */
		{ 50,	0,	0,	0,	0,  LEASE_FENCE_OK,	50, 1 },
		/* ESN across 2^32 */
		{ (1ULL << 32) + 500, (1ULL << 32) - 500, 0, 0, 0,
		    LEASE_FENCE_OK, 1000, 900 },
		{ UINT64_MAX, UINT64_MAX - 10, 0, 0, 0, LEASE_FENCE_OK, 10, 1 },
	};
	struct seq_lease	 l;
	struct lease_klimits	 k;
	uint64_t		 base;
	size_t			 i;

	for (i = 0; i < nitems(T); i++) {
		CU_ASSERT_FATAL(lease_init(&l, 0, 1000, 100, true));
		l.end = T[i].end;
		CU_ASSERT_EQUAL(lease_kernel_fence(&l, T[i].base, T[i].now,
		    T[i].cfg_soft, T[i].cfg_hard, &k), T[i].res);
		CU_ASSERT_EQUAL(k.hard_packets, T[i].hard);
		CU_ASSERT_EQUAL(k.soft_packets, T[i].soft);
		/* The claim: the last number sent is base + hard <= end. */
		if (T[i].res == LEASE_FENCE_OK)
			CU_ASSERT(T[i].base + k.hard_packets <= T[i].end);
	}
	/* base = oseq - packets; the largest report wins. */
	base = 0;
	CU_ASSERT(lease_kernel_base(100, 0, &base));
	CU_ASSERT_EQUAL(base, 100);
	CU_ASSERT(lease_kernel_base(150, 49, &base));	/* output path */
	CU_ASSERT_EQUAL(base, 101);
	CU_ASSERT(lease_kernel_base(160, 60, &base));
	CU_ASSERT_EQUAL(base, 101);
	CU_ASSERT(!lease_kernel_base(10, 11, &base));	/* impossible */
	CU_ASSERT_EQUAL(base, 101);
	/* ESN form: oseq_hi << 32 | oseq. */
	base = 0;
	CU_ASSERT(lease_kernel_base((3ULL << 32) | 5, 10, &base));
	CU_ASSERT_EQUAL(base, (3ULL << 32) - 5);
	CU_ASSERT_STRING_EQUAL(lease_fence_name(LEASE_FENCE_OK), "ok");
}

UNIT_SUITE(replay, "replay+lease",
    { "window steps", test_window_steps },
    { "wide window shifts", test_window_wide },
    { "takeover window (inbound bound)", test_takeover_window },
    { "ESN inference RFC 4303 A2.2", test_esn_infer },
    { "lease bound under late acks (outbound bound)", test_lease_bound },
    { "lease corners", test_lease_corners },
    { "lease fence in kernel packets (base, ESN, limits)",
	test_lease_kernel });
