/*
 * test/unit/test_nodestats.c -- the cluster-wide node view of syncd
 * (syncd/nodestats.c): membership, staleness, the digest comparison at
 * one point of the agreed order, and the /proc/net/xfrm_stat parser.
 */
#include <string.h>

#include "../../syncd/nodestats.h"
#include "tandem/util.h"
#include "unit.h"

static struct nodestats	 ns;

static void
stats_of(struct sync_stats *s, uint32_t node, uint32_t ike)
{
	memset(s, 0, sizeof(*s));
	s->node = node;
	s->ike_sas = ike;
	s->flags = SYNC_SF_SYNCED;
}

static void
test_members(void)
{
	static const uint32_t	 two[] = { 1, 2 }, three[] = { 2, 3, 1 };
	struct sync_stats	 s;
	const struct ns_peer	*p;

	nodestats_init(&ns, 1);
	nodestats_members(&ns, two, nitems(two));
	CU_ASSERT_EQUAL(ns.n, 2);
	stats_of(&s, 2, 7);
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 1, &s, NULL, 100), 0);
	/* Only a node speaks for itself; strangers are dropped. */
	stats_of(&s, 1, 7);
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 2, &s, NULL, 100), -1);
	stats_of(&s, 9, 7);
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 9, 2, &s, NULL, 100), -1);
	CU_ASSERT_EQUAL(ns.dropped, 2);
	/* A new member starts unheard; a kept one keeps what it said. */
	nodestats_members(&ns, three, nitems(three));
	CU_ASSERT_EQUAL(ns.n, 3);
	p = nodestats_find(&ns, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT(p->heard);
	CU_ASSERT_EQUAL(p->st.ike_sas, 7);
	p = nodestats_find(&ns, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT(!p->heard);
	CU_ASSERT(nodestats_stale(p, 100));
	/* Stale after NODESTATS_STALE_MS without a word. */
	p = nodestats_find(&ns, 2);
	CU_ASSERT(!nodestats_stale(p, 100 + NODESTATS_STALE_MS));
	CU_ASSERT(nodestats_stale(p, 101 + NODESTATS_STALE_MS));
	/* A node that left is forgotten. */
	nodestats_members(&ns, two, 1);
	CU_ASSERT_EQUAL(ns.n, 1);
	CU_ASSERT_PTR_NULL(nodestats_find(&ns, 2));
}

/*
 * Two members, each delivering the same messages in the same order:
 * what node 1 concludes about node 2 (and what node 1 sends next).
 */
static void
test_digest(void)
{
	static const uint32_t	 ids[] = { 1, 2 };
	struct sync_stats	 s, mine;
	uint8_t			 d_a[SYNC_DIGEST_LEN], d_b[SYNC_DIGEST_LEN];
	const struct ns_peer	*p;

	memset(d_a, 0xaa, sizeof(d_a));
	memset(d_b, 0xbb, sizeof(d_b));
	nodestats_init(&ns, 1);
	nodestats_members(&ns, ids, 2);
	/* Nothing delivered of our own yet: no digest to send. */
	stats_of(&mine, 1, 0);
	nodestats_fill_digest(&ns, &mine);
	CU_ASSERT(!mine.has_digest);
	/* Our STATS seq 5 is delivered while our database is d_a. */
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 1, 5, &mine, d_a, 10), 0);
	nodestats_fill_digest(&ns, &mine);
	CU_ASSERT(mine.has_digest);
	CU_ASSERT_EQUAL(mine.digest_at, 5);
	UNIT_ASSERT_BYTES(mine.digest, d_a, SYNC_DIGEST_LEN);
	CU_ASSERT_STRING_EQUAL(nodestats_dg_name(
	    nodestats_find(&ns, 1)->dg), "yes");
	/* Node 2's first STATS (seq 8): nothing to compare with yet. */
	stats_of(&s, 2, 1);
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 8, &s, d_a, 20), 0);
	p = nodestats_find(&ns, 2);
	CU_ASSERT_EQUAL(p->dg, NS_DG_UNKNOWN);
	/* Its next: its digest at the delivery of seq 8 equals ours then,
	 * although ours has moved on since (d_b now): equal. */
	s.has_digest = true;
	s.digest_at = 8;
	memcpy(s.digest, d_a, SYNC_DIGEST_LEN);
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 9, &s, d_b, 30), 0);
	CU_ASSERT_EQUAL(p->dg, NS_DG_EQUAL);
	/* Next: it says d_a at seq 9, where we had d_b: differs. */
	s.digest_at = 9;
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 10, &s, d_b, 1000), 0);
	CU_ASSERT_EQUAL(p->dg, NS_DG_DIFFER);
	CU_ASSERT_EQUAL(p->differ_ms, 1000);
	s.digest_at = 10;
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 11, &s, NULL, 2000), 0);
	CU_ASSERT_EQUAL(p->dg, NS_DG_DIFFER);
	CU_ASSERT_EQUAL(p->differ_ms, 1000);	/* since the first */
	/* We were resyncing at seq 11 (mine NULL): not comparable. */
	s.digest_at = 11;
	memcpy(s.digest, d_b, SYNC_DIGEST_LEN);
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 12, &s, d_b, 3000), 0);
	CU_ASSERT_EQUAL(p->dg, NS_DG_UNKNOWN);
	/* A digest taken at a message we did not see (seq gap). */
	s.digest_at = 40;
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 41, &s, d_b, 4000), 0);
	CU_ASSERT_EQUAL(p->dg, NS_DG_UNKNOWN);
	/* Equal again: the difference is over. */
	s.digest_at = 41;
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 42, &s, d_b, 5000), 0);
	CU_ASSERT_EQUAL(p->dg, NS_DG_EQUAL);
	CU_ASSERT_EQUAL(p->differ_ms, 0);
	/* The sender was resyncing: no digest, unknown. */
	s.has_digest = false;
	CU_ASSERT_EQUAL(nodestats_deliver(&ns, 2, 43, &s, d_b, 6000), 0);
	CU_ASSERT_EQUAL(p->dg, NS_DG_UNKNOWN);
	CU_ASSERT_EQUAL(p->received, 8);
	CU_ASSERT_STRING_EQUAL(nodestats_dg_name(NS_DG_DIFFER), "no");
	CU_ASSERT_STRING_EQUAL(nodestats_dg_name(NS_DG_MAX), "unknown");
}

static void
test_parse_xfrm(void)
{
	static const char	 text[] =
	    "XfrmInError             \t0\n"
	    "XfrmInNoStates          \t12\n"
	    "XfrmSomethingNew        \t5\n"
	    "XfrmInStateSeqError     \t3\r\n"
	    "XfrmInStateProtoError   \t18446744073709551615\n"
	    "\n"
	    "XfrmOutStateSeqError\t7";	/* no newline at the end */
	struct sync_stats	 s;

	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL_FATAL(nodestats_parse_xfrm(text, strlen(text), &s),
	    5);
	CU_ASSERT_EQUAL(s.x[0].id, SYNC_XS_IN_ERROR);
	CU_ASSERT_EQUAL(s.x[0].value, 0);
	CU_ASSERT_EQUAL(s.x[1].id, SYNC_XS_IN_NO_STATES);
	CU_ASSERT_EQUAL(s.x[1].value, 12);
	CU_ASSERT_EQUAL(s.x[2].id, SYNC_XS_IN_STATE_SEQ_ERROR);
	CU_ASSERT_EQUAL(s.x[2].value, 3);
	CU_ASSERT_EQUAL(s.x[3].value, UINT64_MAX);
	CU_ASSERT_EQUAL(s.x[4].id, SYNC_XS_OUT_STATE_SEQ_ERROR);
	CU_ASSERT_EQUAL(s.x[4].value, 7);
	/* Only the given length is read. */
	CU_ASSERT_EQUAL(nodestats_parse_xfrm(text, 26, &s), 1);
	/* Malformed values of known counters. */
	CU_ASSERT_EQUAL(nodestats_parse_xfrm("XfrmInError x\n", 14, &s), -1);
	CU_ASSERT_EQUAL(nodestats_parse_xfrm("XfrmInError\n", 12, &s), -1);
	CU_ASSERT_EQUAL(nodestats_parse_xfrm("XfrmInError 1x\n", 15, &s), -1);
	CU_ASSERT_EQUAL(nodestats_parse_xfrm(
	    "XfrmInError 18446744073709551616\n", 33, &s), -1);
	CU_ASSERT_EQUAL(nodestats_parse_xfrm("", 0, &s), 0);
	/* A counter twice: the first wins. */
	CU_ASSERT_EQUAL(nodestats_parse_xfrm(
	    "XfrmInError 1\nXfrmInError 2\n", 28, &s), 1);
	CU_ASSERT_EQUAL(s.x[0].value, 1);
}

UNIT_SUITE(nodestats, "syncd cluster node view",
    { "membership and staleness", test_members },
    { "digests compared at one point of the order", test_digest },
    { "/proc/net/xfrm_stat", test_parse_xfrm });
