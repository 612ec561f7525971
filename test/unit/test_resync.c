/*
 * test/unit/test_resync.c -- bulk resync phases (syncd/resync.c),
 * simulated: nodes with their own sadb and resync state share one agreed
 * stream of deliveries (configuration changes and messages), as CPG
 * gives.  A producer emits live events while bulks are in flight; at the
 * end every synced node's digest equals a reference database that
 * applied every live event exactly once -- no gap, no double-apply --
 * including a configuration change mid-bulk and a sender that leaves.
 */
#include <stdlib.h>
#include <string.h>

#include "../../syncd/resync.h"
#include "../../syncd/sadb.h"
#include "../../syncd/sync_apply.h"
#include "sadb_fix.h"
#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "unit.h"

#define NODES	4
#define ENT_MAX	20000

struct ent {
	bool		 conf;
	uint32_t	 from;
	uint32_t	 members[NODES], joined[NODES], left[NODES];
	size_t		 n, nj, nl;
	size_t		 len;
	uint8_t		*data;
};

struct node {
	uint32_t	 id;
	bool		 in;
	struct sadb	*db;
	struct resync	 r;
};

static struct ent	 stream[ENT_MAX];
static size_t		 n_ent, delivered;
static struct node	 nodes[NODES];
static struct sadb	*ref;
static uint64_t		 live_seq;
static struct sync_msg	 m;
static uint8_t		 buf[SYNC_MAX_LEN];
static uint32_t		 next_ike = 1;

static void
push_msg(uint32_t from, const uint8_t *p, size_t len)
{
	CU_ASSERT_FATAL(n_ent < ENT_MAX);
	memset(&stream[n_ent], 0, sizeof(stream[n_ent]));
	stream[n_ent].from = from;
	stream[n_ent].len = len;
	stream[n_ent].data = malloc(len);
	memcpy(stream[n_ent].data, p, len);
	n_ent++;
}

static void
push_conf(const uint32_t *mem, size_t n, const uint32_t *j, size_t nj,
    const uint32_t *l, size_t nl)
{
	struct ent	*e = &stream[n_ent++];

	memset(e, 0, sizeof(*e));
	e->conf = true;
	if (n > 0)
		memcpy(e->members, mem, n * sizeof(*mem));
	if (nj > 0)
		memcpy(e->joined, j, nj * sizeof(*j));
	if (nl > 0)
		memcpy(e->left, l, nl * sizeof(*l));
	e->n = n;
	e->nj = nj;
	e->nl = nl;
}

static void
apply_bytes(struct node *nd, const uint8_t *p, size_t len)
{
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(p, len, &m), 0);
	CU_ASSERT(sync_apply(nd->db, &m, NULL) >= 0);
}

static void
run_act(struct node *nd, unsigned int act)
{
	struct resync_qent	*q;

	if (act & RESYNC_A_DISCARD)
		resync_q_clear(&nd->r.q);
	if (act & RESYNC_A_DRAIN)
		while ((q = resync_q_pop(&nd->r.q)) != NULL) {
			apply_bytes(nd, q->data, q->len);
			resync_qent_free(q);
		}
	if (act & RESYNC_A_CLEAR_DB)
		sadb_clear(nd->db);
	CU_ASSERT_EQUAL(act & (RESYNC_A_FAILED | RESYNC_A_OVERFLOW), 0);
}

static void
deliver_one(void)
{
	struct ent		*e = &stream[delivered++];
	struct resync_out	 o;
	struct resync_cut	 cut;
	size_t			 i, k;

	if (e->conf) {
		cut = resync_cut_id(1, 100 + delivered, e->members, e->n,
		    e->joined, e->nj, e->left, e->nl);
		for (i = 0; i < NODES; i++) {
			struct node	*nd = &nodes[i];
			bool		 member = false;

			for (k = 0; k < e->n; k++)
				if (e->members[k] == nd->id)
					member = true;
			if (!member) {
				nd->in = false;
				continue;
			}
			nd->in = true;
			run_act(nd, resync_confchg(&nd->r, cut, e->members,
			    e->n, e->joined, e->nj));
		}
		return;
	}
	for (i = 0; i < NODES; i++) {
		struct node	*nd = &nodes[i];

		if (!nd->in)
			continue;
		CU_ASSERT_EQUAL_FATAL(syncmsg_decode(e->data, e->len, &m), 0);
		o = resync_deliver(&nd->r, e->from, &m);
		if (o.v == RESYNC_APPLY && m.hdr.type != SYNC_ACK) {
			CU_ASSERT(sync_apply(nd->db, &m, NULL) >= 0);
		} else if (o.v == RESYNC_BUFFER) {
			CU_ASSERT_EQUAL(resync_q_push(&nd->r.q, e->from,
			    e->data, e->len), 0);
		}
		run_act(nd, o.act);
	}
}

/* The producer's next live event: mostly new SAs, some deletes. */
static void
produce(uint32_t from)
{
	struct sa_ike	 ike;
	struct sa_child	 ch;
	struct wr	 w;
	uint32_t	 id;

	wr_init(&w, buf, sizeof(buf));
	live_seq++;
	if (live_seq % 5 == 0 && next_ike > 3) {
		/* delete an SA made earlier (maybe in the snapshot) */
		id = (uint32_t)(live_seq * 7) % (next_ike - 1) + 1;
		memset(&ike, 0, sizeof(ike));
		fix_spis(id, ike.spi_i, ike.spi_r);
		CU_ASSERT(syncmsg_encode_ike_down(&w, live_seq, 0, &ike) > 0);
		CU_ASSERT(sadb_ike_down(ref, ike.spi_i, ike.spi_r, 0) >= 0);
	} else if (live_seq % 2 == 0) {
		fix_child(&ch, next_ike - 1, (uint32_t)(live_seq % 8) + 1, 1);
		CU_ASSERT(syncmsg_encode_child_up(&w, live_seq, 0, &ch) > 0);
		sadb_child_up(ref, &ch);
	} else {
		id = next_ike++;
		fix_ike(&ike, id, 1, id % 2 ? "a" : "b");
		CU_ASSERT(syncmsg_encode_ike_up(&w, live_seq, 0, &ike) > 0);
		CU_ASSERT_EQUAL(sadb_ike_up(ref, &ike), SADB_OK);
		sa_ike_wipe(&ike);
	}
	push_msg(from, buf, w.len);
}

/* Senders emit up to k bulk messages each. */
static void
send_some(int k)
{
	struct wr	 w;
	unsigned int	 act;
	size_t		 i;
	int		 j;
	long		 len;

	for (i = 0; i < NODES; i++) {
		struct node	*nd = &nodes[i];

		for (j = 0; j < k && nd->in &&
		    nd->r.phase == RESYNC_SENDING; j++) {
			wr_init(&w, buf, sizeof(buf));
			len = resync_send_next(&nd->r, nd->db, &w, &act);
			CU_ASSERT_FATAL(len > 0);
			push_msg(nd->id, buf, (size_t)len);
			run_act(nd, act);
		}
	}
}

static void
setup(void)
{
	size_t	 i;

	n_ent = delivered = 0;
	live_seq = 0;
	next_ike = 1;
	ref = sadb_new(0);
	for (i = 0; i < NODES; i++) {
		nodes[i].id = (uint32_t)(i + 1);
		nodes[i].in = false;
		nodes[i].db = sadb_new(0);
		CU_ASSERT_EQUAL_FATAL(resync_init(&nodes[i].r, nodes[i].id), 0);
	}
}

static void
teardown(void)
{
	size_t	 i;

	for (i = 0; i < n_ent; i++)
		free(stream[i].data);
	for (i = 0; i < NODES; i++) {
		resync_fini(&nodes[i].r);
		sadb_free(nodes[i].db);
	}
	sadb_free(ref);
	syncmsg_wipe(&m);
}

/* Run turns until the stream is drained and nobody is mid-resync. */
static void
settle(uint32_t producer, int live_turns)
{
	int	 t;
	size_t	 i;
	bool	 busy;

	for (t = 0; t < 10000; t++) {
		if (t < live_turns)
			produce(producer);
		send_some(3);
		if (delivered < n_ent)
			deliver_one();
		if (delivered < n_ent)
			deliver_one();
		busy = delivered < n_ent;
		for (i = 0; i < NODES; i++)
			if (nodes[i].in && nodes[i].r.phase != RESYNC_SYNCED)
				busy = true;
		if (t >= live_turns && !busy)
			return;
	}
	CU_FAIL("did not settle");
}

static void
assert_same_as_ref(size_t i)
{
	struct sadb_digest	 a, b;

	CU_ASSERT_EQUAL(nodes[i].r.phase, RESYNC_SYNCED);
	CU_ASSERT_EQUAL(sadb_digest(nodes[i].db, &a), 0);
	CU_ASSERT_EQUAL(sadb_digest(ref, &b), 0);
	CU_ASSERT_EQUAL(a.n_ike, b.n_ike);
	CU_ASSERT_EQUAL(a.n_child, b.n_child);
	CU_ASSERT(memcmp(a.full, b.full, SADB_DIGEST_LEN) == 0);
}

static const uint32_t	 m1[] = { 1 }, m12[] = { 1, 2 };
static const uint32_t	 m123[] = { 1, 2, 3 }, m23[] = { 2, 3 };
static const uint32_t	 j2[] = { 2 }, j3[] = { 3 }, l1[] = { 1 };

static void
test_join(void)
{
	setup();
	push_conf(m1, 1, m1, 1, NULL, 0);
	settle(1, 40);			/* node 1 alone builds a database */
	CU_ASSERT_EQUAL(nodes[0].r.phase, RESYNC_SYNCED);
	assert_same_as_ref(0);
	push_conf(m12, 2, j2, 1, NULL, 0);
	deliver_one();
	CU_ASSERT_EQUAL(nodes[0].r.phase, RESYNC_SENDING);
	CU_ASSERT_EQUAL(nodes[1].r.phase, RESYNC_WAIT);
	settle(1, 60);			/* live events during the bulk */
	assert_same_as_ref(0);
	assert_same_as_ref(1);
	CU_ASSERT_EQUAL(nodes[0].r.stats.bulks_sent, 1);
	CU_ASSERT_EQUAL(nodes[1].r.stats.bulks_received, 1);
	CU_ASSERT(nodes[1].r.stats.buffered > 0);	/* the live tail */
	CU_ASSERT(nodes[0].r.stats.buffered > 0);	/* sender froze */
	teardown();
}

static void
test_change_mid_bulk(void)
{
	size_t	 i;

	setup();
	push_conf(m1, 1, m1, 1, NULL, 0);
	settle(1, 40);
	push_conf(m12, 2, j2, 1, NULL, 0);
	deliver_one();
	for (i = 0; i < 4; i++) {	/* part of the bulk goes out */
		produce(1);
		send_some(3);
		deliver_one();
	}
	CU_ASSERT_EQUAL(nodes[1].r.phase, RESYNC_RECEIVING);
	/* Node 3 joins mid-bulk; the old bulk's tail, still in flight,
	 * is delivered after the change and must be ignored. */
	push_conf(m123, 3, j3, 1, NULL, 0);
	send_some(3);
	while (delivered < n_ent)
		deliver_one();
	CU_ASSERT(nodes[1].r.stats.aborts >= 1);
	CU_ASSERT(nodes[0].r.stats.aborts >= 1);
	CU_ASSERT(nodes[1].r.stats.dropped[RESYNC_DROP] > 0);
	settle(1, 30);
	for (i = 0; i < 3; i++)
		assert_same_as_ref(i);
	teardown();
}

static void
test_sender_leaves(void)
{
	size_t	 i;

	setup();
	push_conf(m1, 1, m1, 1, NULL, 0);
	settle(1, 20);
	push_conf(m12, 2, j2, 1, NULL, 0);
	settle(1, 10);
	assert_same_as_ref(1);
	push_conf(m123, 3, j3, 1, NULL, 0);
	deliver_one();
	for (i = 0; i < 3; i++) {
		send_some(2);
		deliver_one();
	}
	CU_ASSERT_EQUAL(nodes[2].r.phase, RESYNC_RECEIVING);
	/* Node 1 (the sender) dies: node 2 takes over sending. */
	while (delivered < n_ent)
		deliver_one();
	nodes[0].in = false;
	push_conf(m23, 2, NULL, 0, l1, 1);
	deliver_one();
	CU_ASSERT_EQUAL(nodes[1].r.phase, RESYNC_SENDING);
	CU_ASSERT_EQUAL(nodes[2].r.phase, RESYNC_WAIT);
	settle(2, 25);
	assert_same_as_ref(1);
	assert_same_as_ref(2);
	teardown();
}

static void
test_cluster_start_and_names(void)
{
	struct resync		 r;
	struct resync_cut	 c1, c2, c3;
	uint32_t		 rev[] = { 3, 2, 1 };

	/* Everyone joins at once: everyone is synced, nobody sends. */
	CU_ASSERT_EQUAL_FATAL(resync_init(&r, 2), 0);
	c1 = resync_cut_id(1, 5, m123, 3, m123, 3, NULL, 0);
	CU_ASSERT(resync_confchg(&r, c1, m123, 3, m123, 3) & RESYNC_A_SYNCED);
	CU_ASSERT_EQUAL(r.phase, RESYNC_SYNCED);
	/* Cut ids: list order does not matter, contents and ring do. */
	c2 = resync_cut_id(1, 5, rev, 3, rev, 3, NULL, 0);
	CU_ASSERT(c1.seq == c2.seq && c1.node == c2.node);
	c3 = resync_cut_id(1, 5, m123, 3, j3, 1, NULL, 0);
	CU_ASSERT(c1.seq != c3.seq);
	c3 = resync_cut_id(1, 6, m123, 3, m123, 3, NULL, 0);
	CU_ASSERT(c1.seq != c3.seq);
	/* Forced resync: unsynced until the next cut. */
	CU_ASSERT(resync_force(&r) & RESYNC_A_UNSYNCED);
	CU_ASSERT_EQUAL(r.phase, RESYNC_WAIT);
	CU_ASSERT_STRING_EQUAL(resync_phase_name(RESYNC_RECEIVING),
	    "RECEIVING");
	CU_ASSERT_STRING_EQUAL(resync_phase_name(99), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(resync_verdict_name(RESYNC_BUFFER), "BUFFER");
	resync_fini(&r);
}

UNIT_SUITE(resync, "resync: bulk resync phases",
    { "join with live traffic", test_join },
    { "configuration change mid-bulk", test_change_mid_bulk },
    { "sender leaves mid-bulk", test_sender_leaves },
    { "cluster start, cut ids, names", test_cluster_start_and_names });
