/*
 * test/unit/test_wa_queue.c -- datagrams behind the write-ahead barrier
 * (ikev2d/wa_queue.c): each waits for its own barrier only, SAs do not
 * block each other, one SA's order is kept, nothing is lost or doubled.
 */
#include <string.h>

#include "../../ikev2d/wa_queue.h"
#include "tandem/util.h"
#include "unit.h"

/* What wa_release() sent, by the first payload byte (the datagram's id). */
struct sent {
	uint8_t		 id[64];
	size_t		 n;
};

static void
rec(void *arg, const struct ike_dgram *g)
{
	struct sent	*s = arg;

	CU_ASSERT_FATAL(s->n < sizeof(s->id));
	CU_ASSERT_EQUAL_FATAL(g->len, 3);
	s->id[s->n++] = g->buf[0];
}

static uint8_t	 b[64][3];	/* the datagrams' payloads, by id */

static struct ike_dgram
dg(uint8_t id, uint32_t uid, uint64_t barrier)
{
	struct ike_dgram g;

	memset(&g, 0, sizeof(g));
	b[id][0] = id;
	b[id][1] = 0xaa;
	b[id][2] = 0x55;
	g.buf = b[id];
	g.len = 3;
	g.ike_uid = uid;
	g.ev_seq = barrier;
	return g;
}

/* The edge's drain: pass or hold, as loop.c out_drain(). */
static void
offer(struct wa_queue *q, struct sent *s, struct ike_dgram g, uint64_t upto)
{
	wa_release(q, upto, rec, s);
	if (wa_may_pass(q, &g, upto))
		rec(s, &g);
	else
		CU_ASSERT_EQUAL(wa_push(q, &g), 0);
}

static void
test_no_head_of_line(void)
{
	struct wa_queue	 q;
	struct sent	 s = { .n = 0 };

	wa_queue_init(&q, 0);
	/* SA 1 waits for event 5, SA 2 for 7, SA 3 for 6 */
	offer(&q, &s, dg(1, 1, 5), 4);
	offer(&q, &s, dg(2, 2, 7), 4);
	offer(&q, &s, dg(3, 3, 6), 4);
	/* an IKE_SA_INIT response (no SA, no barrier) passes them all */
	offer(&q, &s, dg(4, 0, 0), 4);
	/* and one whose SA's events are all committed */
	offer(&q, &s, dg(5, 4, 3), 4);
	CU_ASSERT_EQUAL(s.n, 2);
	CU_ASSERT_EQUAL(s.id[0], 4);
	CU_ASSERT_EQUAL(s.id[1], 5);
	CU_ASSERT_EQUAL(q.n, 3);
	CU_ASSERT_EQUAL(wa_min_barrier(&q), 5);
	/* commit 6: SA 1 and SA 3 go, SA 2 (7) still waits */
	CU_ASSERT_EQUAL(wa_release(&q, 6, rec, &s), 2);
	CU_ASSERT_EQUAL(s.n, 4);
	CU_ASSERT_EQUAL(s.id[2], 1);
	CU_ASSERT_EQUAL(s.id[3], 3);
	CU_ASSERT_EQUAL(q.n, 1);
	CU_ASSERT_EQUAL(wa_release(&q, 6, rec, &s), 0);
	CU_ASSERT_EQUAL(wa_release(&q, 7, rec, &s), 1);
	CU_ASSERT_EQUAL(s.id[4], 2);
	CU_ASSERT_EQUAL(q.n, 0);
	CU_ASSERT_PTR_NULL(q.head);
	CU_ASSERT_PTR_NULL(q.tail);
	CU_ASSERT_EQUAL(wa_min_barrier(&q), UINT64_MAX);
	CU_ASSERT_EQUAL(q.held, 3);
	wa_queue_fini(&q);
}

static void
test_sa_order(void)
{
	struct wa_queue	 q;
	struct sent	 s = { .n = 0 };
	struct ike_dgram g;

	wa_queue_init(&q, 0);
	/* SA 1: a response behind event 9, then a retransmission whose
	 * own barrier (8) is committed: it must not overtake */
	offer(&q, &s, dg(1, 1, 9), 8);
	g = dg(2, 1, 8);
	CU_ASSERT_FALSE(wa_may_pass(&q, &g, 8));
	offer(&q, &s, g, 8);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_EQUAL(q.n, 2);
	/* other SAs still pass */
	offer(&q, &s, dg(3, 2, 8), 8);
	CU_ASSERT_EQUAL(s.n, 1);
	CU_ASSERT_EQUAL(s.id[0], 3);
	CU_ASSERT_EQUAL(wa_release(&q, 8, rec, &s), 0);
	CU_ASSERT_EQUAL(wa_release(&q, 9, rec, &s), 2);
	CU_ASSERT_EQUAL(s.id[1], 1);
	CU_ASSERT_EQUAL(s.id[2], 2);
	/* with nothing of SA 1 held, its next datagram passes at once */
	g = dg(4, 1, 9);
	CU_ASSERT_TRUE(wa_may_pass(&q, &g, 9));
	wa_queue_fini(&q);
}

static void
test_release_middle_and_tail(void)
{
	struct wa_queue	 q;
	struct sent	 s = { .n = 0 };

	wa_queue_init(&q, 0);
	offer(&q, &s, dg(1, 1, 10), 0);
	offer(&q, &s, dg(2, 2, 3), 0);
	offer(&q, &s, dg(3, 3, 10), 0);
	offer(&q, &s, dg(4, 4, 3), 0);	/* the tail goes */
	CU_ASSERT_EQUAL(wa_release(&q, 3, rec, &s), 2);
	CU_ASSERT_EQUAL(s.id[0], 2);
	CU_ASSERT_EQUAL(s.id[1], 4);
	/* the tail is right after removing it: a push appends */
	offer(&q, &s, dg(5, 5, 11), 3);
	CU_ASSERT_EQUAL(q.n, 3);
	CU_ASSERT_EQUAL(wa_release(&q, 10, rec, &s), 2);
	CU_ASSERT_EQUAL(s.id[2], 1);
	CU_ASSERT_EQUAL(s.id[3], 3);
	CU_ASSERT_PTR_EQUAL(q.head, q.tail);
	CU_ASSERT_EQUAL(wa_release(&q, UINT64_MAX, rec, &s), 1);
	CU_ASSERT_EQUAL(s.id[4], 5);
	CU_ASSERT_EQUAL(s.n, 5);
	wa_queue_fini(&q);
}

static void
test_full(void)
{
	struct wa_queue	 q;
	struct sent	 s = { .n = 0 };
	struct ike_dgram g;

	wa_queue_init(&q, 2);
	g = dg(1, 1, 5);
	CU_ASSERT_EQUAL(wa_push(&q, &g), 0);
	g = dg(2, 2, 5);
	CU_ASSERT_EQUAL(wa_push(&q, &g), 0);
	g = dg(3, 3, 5);
	CU_ASSERT_EQUAL(wa_push(&q, &g), -1);
	CU_ASSERT_EQUAL(q.full, 1);
	CU_ASSERT_EQUAL(q.n, 2);
	/* the copy is the queue's: the caller's buffer may change */
	b[1][0] = 0xee;
	CU_ASSERT_EQUAL(wa_release(&q, 5, rec, &s), 2);
	CU_ASSERT_EQUAL(s.id[0], 1);
	CU_ASSERT_EQUAL(s.id[1], 2);
	/* fini frees what is held without sending it */
	g = dg(4, 4, 9);
	CU_ASSERT_EQUAL(wa_push(&q, &g), 0);
	wa_queue_fini(&q);
	CU_ASSERT_EQUAL(q.n, 0);
	CU_ASSERT_EQUAL(s.n, 2);
}

UNIT_SUITE(wa_queue, "wa_queue: datagrams behind the write-ahead barrier",
    { "no head-of-line blocking across SAs", test_no_head_of_line },
    { "one SA's order is kept", test_sa_order },
    { "release from the middle and the tail", test_release_middle_and_tail },
    { "full queue, ownership", test_full });
