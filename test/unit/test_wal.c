/*
 * test/unit/test_wal.c -- write-ahead commit tracking (syncd/wal.c):
 * table tests of commit points under acks, configuration changes and
 * ack batching.  Seq is 64-bit and never wraps (wal.h), so no wrap case.
 */
#include <string.h>

#include "../../syncd/wal.h"
#include "tandem/util.h"
#include "unit.h"

enum op { ASSIGN, ACK, CONF };

struct step {
	enum op		 op;
	uint32_t	 node;		/* ACK: acking node */
	uint64_t	 seq;		/* ACK: seq acked */
	uint32_t	 members[4];	/* CONF: 0-terminated */
	uint64_t	 want_commit;	/* after the step */
};

static void
run(const char *name, uint32_t self, const struct step *s, size_t n)
{
	struct wal		 w;
	struct sync_ack		 a;
	size_t			 i, k;
	uint64_t		 prev = 0;

	CU_ASSERT_EQUAL_FATAL(wal_init(&w, self, 64, 0, 0), 0);
	for (i = 0; i < n; i++) {
		switch (s[i].op) {
		case ASSIGN:
			CU_ASSERT(wal_assign(&w, 100 + i) != 0);
			break;
		case ACK:
			memset(&a, 0, sizeof(a));
			a.node = s[i].node;
			a.n = 2;
			a.e[0].node = 999;	/* another sender's entry */
			a.e[0].seq = 12345;
			a.e[1].node = self;
			a.e[1].seq = s[i].seq;
			wal_ack(&w, &a);
			break;
		case CONF:
			for (k = 0; k < 4 && s[i].members[k] != 0; k++)
				;
			wal_confchg(&w, s[i].members, k);
			break;
		}
		if (wal_commit_point(&w) != s[i].want_commit)
			CU_FAIL(name);
		CU_ASSERT_EQUAL(wal_commit_point(&w), s[i].want_commit);
		CU_ASSERT(wal_commit_point(&w) >= prev);	/* monotonic */
		prev = wal_commit_point(&w);
	}
	wal_fini(&w);
}

static void
test_two_nodes(void)
{
	static const struct step s[] = {
		{ CONF,	  0, 0, { 1, 2 },	0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ACK,	  2, 1, { 0 },		1 },
		{ ACK,	  2, 3, { 0 },		3 },	/* cumulative */
		{ ACK,	  2, 2, { 0 },		3 },	/* late, stale */
		{ ACK,	  2, 3, { 0 },		3 },	/* duplicate */
		{ ACK,	  2, 99, { 0 },		3 },	/* beyond sent */
		{ ASSIGN, 0, 0, { 0 },		3 },
		{ ACK,	  7, 4, { 0 },		3 },	/* not a member */
		{ ACK,	  2, 4, { 0 },		4 },
	};

	run("two nodes", 1, s, nitems(s));
}

static void
test_three_nodes(void)
{
	static const struct step s[] = {
		{ CONF,	  0, 0, { 1, 2, 3 },	0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ACK,	  3, 3, { 0 },		0 },	/* 2 has not */
		{ ACK,	  2, 1, { 0 },		1 },
		{ ACK,	  2, 2, { 0 },		2 },
		{ ACK,	  3, 2, { 0 },		2 },	/* out of order */
		{ ACK,	  2, 3, { 0 },		3 },
	};

	run("three nodes", 1, s, nitems(s));
}

static void
test_leave_and_join(void)
{
	static const struct step s[] = {
		{ CONF,	  0, 0, { 1, 2, 3 },	0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ASSIGN, 0, 0, { 0 },		0 },
		{ ACK,	  2, 2, { 0 },		0 },
		/* 3 dies holding nothing: its departure commits 1..2. */
		{ CONF,	  0, 0, { 1, 2 },	2 },
		{ ASSIGN, 0, 0, { 0 },		2 },
		/* 4 joins mid-stream: 1..3 reach it by bulk resync, so it
		 * must not hold them back... */
		{ CONF,	  0, 0, { 1, 2, 4 },	2 },
		{ ACK,	  2, 3, { 0 },		3 },
		{ ASSIGN, 0, 0, { 0 },		3 },
		/* ...but 4 is needed for what we sent after it joined. */
		{ ACK,	  2, 4, { 0 },		3 },
		{ ACK,	  4, 4, { 0 },		4 },
		/* 3 comes back (a restarted syncd): a new member. */
		{ CONF,	  0, 0, { 1, 2, 3, 4 },	4 },
		{ ASSIGN, 0, 0, { 0 },		4 },
		{ ACK,	  2, 5, { 0 },		4 },
		{ ACK,	  4, 5, { 0 },		4 },
		{ ACK,	  3, 5, { 0 },		5 },
		/* Everyone else leaves: alone, events commit at once. */
		{ ASSIGN, 0, 0, { 0 },		5 },
		{ CONF,	  0, 0, { 1 },		6 },
		{ ASSIGN, 0, 0, { 0 },		7 },
	};

	run("leave and join", 1, s, nitems(s));
}

static void
test_alone(void)
{
	static const struct step s[] = {
		{ ASSIGN, 0, 0, { 0 },		1 },	/* no configuration */
		{ CONF,	  0, 0, { 5 },		1 },
		{ ASSIGN, 0, 0, { 0 },		2 },
	};

	run("alone", 5, s, nitems(s));
}

/*
 * Delivery-tracked mode (wal.h): alone, commit waits for corosync to
 * deliver the event back; a member that joins while events sit in the
 * edge's FIFO (assigned, not delivered) must ack them: the floor is the
 * last delivered, not the last assigned.
 */
static void
test_track_delivery(void)
{
	struct wal	 w;
	struct sync_ack	 a;
	uint32_t	 alone[] = { 1 }, two[] = { 1, 2 };

	CU_ASSERT_EQUAL_FATAL(wal_init(&w, 1, 16, 0, 0), 0);
	wal_track_delivery(&w);
	wal_confchg(&w, alone, 1);
	CU_ASSERT_EQUAL(wal_assign(&w, 10), 1);
	CU_ASSERT_EQUAL(wal_assign(&w, 11), 2);
	CU_ASSERT_EQUAL(wal_assign(&w, 12), 3);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 0);	/* not delivered */
	CU_ASSERT_EQUAL(wal_delivered(&w, 1), 1);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 1);
	CU_ASSERT_EQUAL(wal_delivered(&w, 1), 0);	/* duplicate */
	CU_ASSERT_EQUAL(wal_delivered(&w, 99), 1);	/* capped at 3 */
	CU_ASSERT_EQUAL(wal_commit_point(&w), 3);
	/* 4 and 5 assigned, still in the FIFO when node 2 joins. */
	CU_ASSERT_EQUAL(wal_assign(&w, 13), 4);
	CU_ASSERT_EQUAL(wal_assign(&w, 14), 5);
	CU_ASSERT_EQUAL(wal_confchg(&w, two, 2), 0);
	CU_ASSERT_EQUAL(wal_delivered(&w, 5), 0);	/* 2 must ack 4, 5 */
	CU_ASSERT_EQUAL(wal_commit_point(&w), 3);
	memset(&a, 0, sizeof(a));
	a.node = 2;
	a.n = 1;
	a.e[0].node = 1;
	a.e[0].seq = 4;
	CU_ASSERT_EQUAL(wal_ack(&w, &a), 1);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 4);
	/* 2 leaves: 5 was delivered, so it commits with the change. */
	CU_ASSERT_EQUAL(wal_confchg(&w, alone, 1), 1);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 5);
	wal_fini(&w);
}

static void
test_pipeline_tags(void)
{
	struct wal	 w;
	struct sync_ack	 a;
	uint32_t	 mem[] = { 1, 2 };
	uint64_t	 seq, tag, i;

	CU_ASSERT_EQUAL_FATAL(wal_init(&w, 1, 16, 0, 0), 0);
	wal_confchg(&w, mem, 2);
	for (i = 0; i < 16; i++)
		CU_ASSERT_EQUAL(wal_assign(&w, 1000 + i), i + 1);
	CU_ASSERT_EQUAL(wal_assign(&w, 9), 0);		/* back-pressure */
	CU_ASSERT_EQUAL(wal_inflight(&w), 16);
	CU_ASSERT_EQUAL(wal_pop_committed(&w, &seq, &tag), 0);
	memset(&a, 0, sizeof(a));
	a.node = 2;
	a.n = 1;
	a.e[0].node = 1;
	a.e[0].seq = 10;
	CU_ASSERT_EQUAL(wal_ack(&w, &a), 1);
	CU_ASSERT(wal_committed(&w, 10));
	CU_ASSERT(!wal_committed(&w, 11));
	CU_ASSERT(!wal_committed(&w, 0));
	for (i = 1; i <= 10; i++) {
		CU_ASSERT_EQUAL(wal_pop_committed(&w, &seq, &tag), 1);
		CU_ASSERT_EQUAL(seq, i);
		CU_ASSERT_EQUAL(tag, 1000 + i - 1);
	}
	CU_ASSERT_EQUAL(wal_pop_committed(&w, &seq, &tag), 0);
	CU_ASSERT_EQUAL(wal_inflight(&w), 6);
	/* The ring slots freed by popping are reused. */
	for (i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(wal_assign(&w, 2000 + i), 17 + i);
	CU_ASSERT_EQUAL(wal_assign(&w, 9), 0);
	a.e[0].seq = 26;
	CU_ASSERT_EQUAL(wal_ack(&w, &a), 1);
	for (i = 11; i <= 26; i++) {
		CU_ASSERT_EQUAL(wal_pop_committed(&w, &seq, &tag), 1);
		CU_ASSERT_EQUAL(seq, i);
		CU_ASSERT_EQUAL(tag, i <= 16 ? 1000 + i - 1 : 2000 + i - 17);
	}
	wal_fini(&w);
}

static void
test_ack_batching(void)
{
	struct wal	 w;
	struct sync_ack	 a;
	uint32_t	 mem[] = { 1, 2, 3 };
	uint64_t	 i;

	CU_ASSERT_EQUAL_FATAL(wal_init(&w, 1, 16, 4, 5), 0);
	wal_confchg(&w, mem, 3);
	CU_ASSERT(!wal_ack_due(&w, 0));
	CU_ASSERT_EQUAL(wal_ack_deadline(&w), UINT64_MAX);
	/* By time: one event at t=100 is due at t=105. */
	wal_held(&w, 2, 1, 100);
	CU_ASSERT(!wal_ack_due(&w, 104));
	CU_ASSERT_EQUAL(wal_ack_deadline(&w), 105);
	CU_ASSERT(wal_ack_due(&w, 105));
	CU_ASSERT_EQUAL(wal_ack_build(&w, &a), 1);
	CU_ASSERT_EQUAL(a.node, 1);
	CU_ASSERT_EQUAL(a.e[0].node, 2);
	CU_ASSERT_EQUAL(a.e[0].seq, 1);
	CU_ASSERT(!wal_ack_due(&w, 1000));
	/* By count: the 4th event makes it due at once. */
	for (i = 2; i <= 4; i++)
		wal_held(&w, 2, i, 200);
	CU_ASSERT(!wal_ack_due(&w, 200));
	wal_held(&w, 3, 7, 200);
	CU_ASSERT(wal_ack_due(&w, 200));
	CU_ASSERT_EQUAL(wal_ack_build(&w, &a), 2);	/* both senders */
	/* Ignored: seq 0 (untracked), our own, old, unknown sender. */
	wal_held(&w, 2, 0, 300);
	wal_held(&w, 1, 9, 300);
	wal_held(&w, 2, 3, 300);
	wal_held(&w, 8, 9, 300);
	CU_ASSERT(!wal_ack_due(&w, 10000));
	CU_ASSERT_EQUAL(wal_ack_build(&w, &a), 0);
	/* A sender that leaves takes its pending ack with it. */
	wal_held(&w, 3, 8, 400);
	mem[2] = 0;
	wal_confchg(&w, mem, 2);
	CU_ASSERT(!wal_ack_due(&w, 10000));
	/* ...and restarts its sequence when it comes back. */
	mem[2] = 3;
	wal_confchg(&w, mem, 3);
	wal_held(&w, 3, 1, 500);
	CU_ASSERT_EQUAL(wal_ack_build(&w, &a), 1);
	CU_ASSERT_EQUAL(a.e[0].seq, 1);
	wal_fini(&w);
}

/*
 * corosync lost (wal.h, LOSING COROSYNC): events delivered back to us
 * but not acked by the other member stay pending -- no configuration
 * change is seen, and a "leave" computed locally must not commit them;
 * at the rejoin they are resolved without a commit (tags dropped, so no
 * sender is told they are held) and later events need the member's ack.
 */
static void
test_lost_rejoin(void)
{
	struct wal	 w;
	struct sync_ack	 a;
	uint32_t	 alone[] = { 1 }, two[] = { 1, 2 };
	uint64_t	 seq, tag;

	CU_ASSERT_EQUAL_FATAL(wal_init(&w, 1, 16, 0, 0), 0);
	wal_track_delivery(&w);
	wal_confchg(&w, two, 2);
	CU_ASSERT_EQUAL(wal_assign(&w, 10), 1);
	CU_ASSERT_EQUAL(wal_assign(&w, 11), 2);
	CU_ASSERT_EQUAL(wal_assign(&w, 12), 3);
	CU_ASSERT_EQUAL(wal_delivered(&w, 3), 0);	/* 2 must ack */
	memset(&a, 0, sizeof(a));
	a.node = 2;
	a.n = 1;
	a.e[0].node = 1;
	a.e[0].seq = 1;
	CU_ASSERT_EQUAL(wal_ack(&w, &a), 1);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 1);
	/* corosync lost: 2 and 3 were delivered to us, not acked. */
	wal_lost(&w);
	CU_ASSERT(wal_is_lost(&w));
	CU_ASSERT_EQUAL(wal_confchg(&w, alone, 1), 0);	/* no commit */
	CU_ASSERT_EQUAL(wal_commit_point(&w), 1);
	CU_ASSERT_EQUAL(wal_delivered(&w, 3), 0);
	a.e[0].seq = 3;					/* a late ack */
	CU_ASSERT_EQUAL(wal_ack(&w, &a), 0);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 1);
	CU_ASSERT_EQUAL(wal_assign(&w, 13), 4);		/* held too */
	CU_ASSERT_EQUAL(wal_commit_point(&w), 1);
	CU_ASSERT_EQUAL(wal_pop_committed(&w, &seq, &tag), 1);
	CU_ASSERT_EQUAL(tag, 10);
	CU_ASSERT_EQUAL(wal_pop_committed(&w, &seq, &tag), 0);
	/* Rejoined: 2..4 resolved without a commit (tags dropped). */
	CU_ASSERT_EQUAL(wal_rejoin(&w), 3);
	CU_ASSERT(!wal_is_lost(&w));
	CU_ASSERT_EQUAL(wal_rejoin(&w), 0);		/* once */
	wal_confchg(&w, two, 2);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 4);
	for (seq = 2; seq <= 4; seq++) {
		uint64_t	 s2;

		CU_ASSERT_EQUAL(wal_pop_committed(&w, &s2, &tag), 1);
		CU_ASSERT_EQUAL(s2, seq);
		CU_ASSERT_EQUAL(tag, 0);
	}
	CU_ASSERT_EQUAL(w.lost_resolved, 3);
	/* New events (ikev2d's re-sent ones) need node 2's ack again. */
	CU_ASSERT_EQUAL(wal_assign(&w, 11), 5);
	CU_ASSERT_EQUAL(wal_delivered(&w, 5), 0);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 4);
	a.e[0].seq = 5;
	CU_ASSERT_EQUAL(wal_ack(&w, &a), 1);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 5);
	CU_ASSERT_EQUAL(wal_pop_committed(&w, &seq, &tag), 1);
	CU_ASSERT_EQUAL(tag, 11);
	/* Alone after a loss: events commit at delivery again. */
	wal_lost(&w);
	CU_ASSERT_EQUAL(wal_assign(&w, 20), 6);
	CU_ASSERT_EQUAL(wal_rejoin(&w), 1);
	wal_confchg(&w, alone, 1);
	CU_ASSERT_EQUAL(wal_assign(&w, 21), 7);
	CU_ASSERT_EQUAL(wal_delivered(&w, 7), 1);
	CU_ASSERT_EQUAL(wal_commit_point(&w), 7);
	wal_fini(&w);
}

UNIT_SUITE(wal, "wal: write-ahead commit tracking",
    { "two nodes", test_two_nodes },
    { "three nodes, acks out of order", test_three_nodes },
    { "member leaves and joins", test_leave_and_join },
    { "alone", test_alone },
    { "delivery-tracked mode", test_track_delivery },
    { "pipeline and tags", test_pipeline_tags },
    { "corosync lost: no commit until the rejoin", test_lost_rejoin },
    { "ack batching", test_ack_batching });
