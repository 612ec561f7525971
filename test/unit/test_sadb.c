/*
 * test/unit/test_sadb.c -- the replicated SA database (syncd/sadb.c) and
 * the ops table that feeds it (syncd/sync_apply.c): apply, idempotence,
 * cascading delete, orphans, forward-only counters, digests that do not
 * depend on order, snapshot cursor, groups, growth.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../../syncd/sadb.h"
#include "../../syncd/sync_apply.h"
#include "sadb_fix.h"
#include "tandem/syncmsg.h"
#include "tandem/util.h"
#include "unit.h"

static struct sa_ike	 ike;
static struct sa_child	 ch;

static void
test_ike_gen(void)
{
	struct sadb	*db = sadb_new(0);
	static struct sa_ike got;
	static const struct {
		uint64_t	 gen;
		int		 want;
	} steps[] = {
		{ 5,	SADB_OK },
		{ 5,	SADB_IGN_STALE },	/* duplicate */
		{ 4,	SADB_IGN_STALE },	/* older */
		{ 6,	SADB_OK },		/* rekeyed / refreshed */
		{ 1,	SADB_IGN_STALE },
	};
	size_t		 i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (i = 0; i < nitems(steps); i++) {
		fix_ike(&ike, 1, steps[i].gen, "g1");
		ike.msgid_send = (uint32_t)steps[i].gen;
		CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), steps[i].want);
	}
	CU_ASSERT_EQUAL(sadb_ike_get(db, ike.spi_i, ike.spi_r, &got), 0);
	CU_ASSERT_EQUAL(got.gen, 6);
	CU_ASSERT_EQUAL(got.msgid_send, 6);
	CU_ASSERT_EQUAL(got.resp_len, 80);
	CU_ASSERT_EQUAL(got.resp[79], 1);
	CU_ASSERT_STRING_EQUAL(got.group, "g1");
	CU_ASSERT_STRING_EQUAL(got.conn, "site1");
	fix_ike(&ike, 1, 6, "g1");
	ike.msgid_send = 6;
	CU_ASSERT(memcmp(&got, &ike, sizeof(got)) == 0);
	fix_ike(&ike, 1, 0, "");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_E_INVAL);	/* gen 0 */
	sa_ike_wipe(&got);
	sadb_free(db);
}

static void
test_child_find(void)
{
	struct sadb		*db = sadb_new(0);
	const struct sa_child	*c;
	struct sa_addr		 other;

	fix_ike(&ike, 7, 1, "");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	fix_child(&ch, 7, 1, 1);
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_IGN_STALE);
	c = sadb_child_find_in(db, ch.spi_in, &ch.local);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->spi_out, ch.spi_out);
	CU_ASSERT(sadb_child_find_out(db, ch.spi_out, &ch.remote) == c);
	CU_ASSERT(sadb_child_find_in(db, ch.spi_in, NULL) == c);
	/* The kernel names an SA by (dst, spi): another dst is another SA. */
	fix_addr(&other, 99, 0);
	CU_ASSERT_PTR_NULL(sadb_child_find_in(db, ch.spi_in, &other));
	CU_ASSERT_PTR_NULL(sadb_child_find_out(db, ch.spi_out, &other));
	CU_ASSERT_PTR_NULL(sadb_child_find_in(db, ch.spi_out, NULL));
	/* A newer gen may change the outbound SPI: index follows. */
	ch.gen = 2;
	ch.spi_out = 0x12345678;
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	CU_ASSERT_PTR_NULL(sadb_child_find_out(db, 0xd0000000U | (7 << 4) | 1,
	    NULL));
	CU_ASSERT_PTR_NOT_NULL(sadb_child_find_out(db, 0x12345678, NULL));
	sadb_free(db);
}

static void
test_ike_down_cascade(void)
{
	struct sadb		*db = sadb_new(0);
	struct sadb_stats	 st;
	uint32_t		 n;

	fix_ike(&ike, 3, 1, "");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	fix_ike(&ike, 4, 1, "");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	for (n = 1; n <= 3; n++) {
		fix_child(&ch, 3, n, 1);
		CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	}
	fix_child(&ch, 4, 1, 1);
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	sadb_get_stats(db, &st);
	CU_ASSERT_EQUAL(st.n_ike, 2);
	CU_ASSERT_EQUAL(st.n_child, 4);
	fix_ike(&ike, 3, 1, "");
	/* A DOWN for an older gen than held does not remove a newer SA. */
	fix_ike(&ike, 3, 2, "");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	CU_ASSERT_EQUAL(sadb_ike_down(db, ike.spi_i, ike.spi_r, 1),
	    SADB_IGN_STALE);
	CU_ASSERT_EQUAL(sadb_ike_down(db, ike.spi_i, ike.spi_r, 2), SADB_OK);
	CU_ASSERT_EQUAL(sadb_ike_down(db, ike.spi_i, ike.spi_r, 0),
	    SADB_IGN_ABSENT);
	sadb_get_stats(db, &st);
	CU_ASSERT_EQUAL(st.n_ike, 1);
	CU_ASSERT_EQUAL(st.n_child, 1);
	fix_child(&ch, 3, 2, 1);
	CU_ASSERT_PTR_NULL(sadb_child_find_in(db, ch.spi_in, NULL));
	fix_child(&ch, 4, 1, 1);
	CU_ASSERT_EQUAL(sadb_child_down(db, &ch), SADB_OK);
	CU_ASSERT_EQUAL(sadb_child_down(db, &ch), SADB_IGN_ABSENT);
	sadb_get_stats(db, &st);
	CU_ASSERT_EQUAL(st.n_child, 0);
	sadb_free(db);
}

static void
test_orphans(void)
{
	struct sadb		*db = sadb_new(0);
	struct sadb_stats	 st;

	fix_child(&ch, 9, 1, 1);
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);	/* kept */
	fix_child(&ch, 9, 2, 1);
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	sadb_get_stats(db, &st);
	CU_ASSERT_EQUAL(st.orphans, 2);
	fix_ike(&ike, 9, 1, "g");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);	/* adopts */
	sadb_get_stats(db, &st);
	CU_ASSERT_EQUAL(st.orphans, 0);
	CU_ASSERT_EQUAL(sadb_ike_down(db, ike.spi_i, ike.spi_r, 0), SADB_OK);
	sadb_get_stats(db, &st);
	CU_ASSERT_EQUAL(st.n_child, 0);
	sadb_free(db);
}

static void
test_counters_forward(void)
{
	struct sadb		*db = sadb_new(0);
	const struct sa_child	*c;
	struct sync_ctr		 r;
	struct sync_lease	 l;
	static const struct {
		uint8_t		 dir;
		uint64_t	 value;
		uint32_t	 bitmap;
		int		 want;
		uint64_t	 out_end, in_top;
		uint32_t	 in_bitmap;
	} steps[] = {
		{ SYNC_CTR_OUT, 2000, 0,   SADB_OK,	  2000, 0,  0 },
		{ SYNC_CTR_OUT, 1500, 0,   SADB_IGN_NOOP, 2000, 0,  0 },
		{ SYNC_CTR_OUT, 2000, 0,   SADB_IGN_NOOP, 2000, 0,  0 },
		{ SYNC_CTR_IN,	50,   0x3, SADB_OK,	  2000, 50, 0x3 },
		{ SYNC_CTR_IN,	50,   0x5, SADB_OK,	  2000, 50, 0x7 },
		{ SYNC_CTR_IN,	50,   0x1, SADB_IGN_NOOP, 2000, 50, 0x7 },
		{ SYNC_CTR_IN,	40,   0xf, SADB_IGN_NOOP, 2000, 50, 0x7 },
		{ SYNC_CTR_IN,	60,   0x1, SADB_OK,	  2000, 60, 0x1 },
	};
	size_t			 i;

	fix_ike(&ike, 2, 1, "");
	sadb_ike_up(db, &ike);
	fix_child(&ch, 2, 1, 1);
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);	/* out_end 1000 */
	for (i = 0; i < nitems(steps); i++) {
		memset(&r, 0, sizeof(r));
		r.dir = steps[i].dir;
		r.spi = r.dir == SYNC_CTR_OUT ? ch.spi_out : ch.spi_in;
		r.dst = r.dir == SYNC_CTR_OUT ? ch.remote : ch.local;
		r.dst.port = 0;
		r.value = steps[i].value;
		r.bitmap = steps[i].bitmap;
		CU_ASSERT_EQUAL(sadb_ctr(db, &r), steps[i].want);
		c = sadb_child_find_in(db, ch.spi_in, NULL);
		CU_ASSERT_EQUAL(c->ctr.out_end, steps[i].out_end);
		CU_ASSERT_EQUAL(c->ctr.in_top, steps[i].in_top);
		CU_ASSERT_EQUAL(c->ctr.in_bitmap, steps[i].in_bitmap);
	}
	/* LEASE raises out_end, never lowers it. */
	memset(&l, 0, sizeof(l));
	l.spi_out = ch.spi_out;
	l.dst = ch.remote;
	l.end = 5000;
	CU_ASSERT_EQUAL(sadb_lease(db, &l), SADB_OK);
	l.end = 4000;
	CU_ASSERT_EQUAL(sadb_lease(db, &l), SADB_IGN_NOOP);
	/* A refreshed record carrying older counters keeps the newer. */
	ch.gen = 2;
	ch.ctr.out_end = 10;
	ch.ctr.in_top = 5;
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	c = sadb_child_find_in(db, ch.spi_in, NULL);
	CU_ASSERT_EQUAL(c->gen, 2);
	CU_ASSERT_EQUAL(c->ctr.out_end, 5000);
	CU_ASSERT_EQUAL(c->ctr.in_top, 60);
	/* Unknown SA: ignored, named. */
	r.spi = 0x99;
	CU_ASSERT_EQUAL(sadb_ctr(db, &r), SADB_IGN_ABSENT);
	CU_ASSERT_STRING_EQUAL(sadb_res_name(SADB_IGN_ABSENT), "IGN_ABSENT");
	sadb_free(db);
}

static void
test_ike_mid(void)
{
	struct sadb		*db = sadb_new(0);
	static struct sa_ike	 mid, got;
	static const struct {
		uint64_t	 gen;
		uint32_t	 snd, rcv;
		int		 want;
	} steps[] = {
		{ 0, 2, 3, SADB_IGN_STALE },	/* same IDs */
		{ 0, 3, 3, SADB_OK },
		{ 0, 2, 4, SADB_IGN_STALE },	/* send went back */
		{ 0, 3, 5, SADB_OK },
		{ 1, 9, 9, SADB_IGN_STALE },	/* gen not newer */
		{ 2, 4, 6, SADB_OK },
	};
	size_t			 i;

	fix_ike(&ike, 5, 1, "");
	sadb_ike_up(db, &ike);
	for (i = 0; i < nitems(steps); i++) {
		memset(&mid, 0, sizeof(mid));
		memcpy(mid.spi_i, ike.spi_i, SA_SPI_LEN);
		memcpy(mid.spi_r, ike.spi_r, SA_SPI_LEN);
		mid.gen = steps[i].gen;
		mid.msgid_send = steps[i].snd;
		mid.msgid_recv = steps[i].rcv;
		mid.resp_len = (uint16_t)(10 + i);
		memset(mid.resp, (int)i, mid.resp_len);
		CU_ASSERT_EQUAL(sadb_ike_mid(db, &mid), steps[i].want);
	}
	CU_ASSERT_EQUAL(sadb_ike_get(db, ike.spi_i, ike.spi_r, &got), 0);
	CU_ASSERT_EQUAL(got.msgid_send, 4);
	CU_ASSERT_EQUAL(got.msgid_recv, 6);
	CU_ASSERT_EQUAL(got.gen, 2);
	CU_ASSERT_EQUAL(got.resp_len, 15);
	CU_ASSERT_EQUAL(got.resp[14], 5);
	CU_ASSERT_EQUAL(got.sk_d.len, 48);	/* untouched */
	memcpy(mid.spi_i, "nosuchsa", 8);
	CU_ASSERT_EQUAL(sadb_ike_mid(db, &mid), SADB_IGN_ABSENT);
	sadb_free(db);
}

/* Fill db with n IKE SAs (two groups) and two children each, in an
 * order given by stride (coprime with n). */
static void
fill_db(struct sadb *db, uint32_t n, uint32_t stride)
{
	uint32_t	 i, id;

	for (i = 0; i < n; i++) {
		id = (i * stride) % n + 1;
		fix_ike(&ike, id, 1, id % 2 ? "odd" : "even");
		CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	}
	for (i = 0; i < 2 * n; i++) {
		id = ((i / 2) * stride) % n + 1;
		fix_child(&ch, id, i % 2 + 1, 1);
		CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	}
}

static void
test_digest(void)
{
	struct sadb		*a = sadb_new(0), *b = sadb_new(0);
	struct sadb_digest	 da, db_, de;
	struct sync_ctr		 r;
	char			 hex[2 * SADB_DIGEST_LEN + 1];
	uint64_t		 ch0;

	CU_ASSERT_EQUAL(sadb_digest(a, &de), 0);
	fill_db(a, 50, 1);
	fill_db(b, 50, 7);		/* other order, other buckets */
	CU_ASSERT_EQUAL(sadb_digest(a, &da), 0);
	CU_ASSERT_EQUAL(sadb_digest(b, &db_), 0);
	CU_ASSERT(memcmp(&da, &db_, sizeof(da)) == 0);
	CU_ASSERT(memcmp(da.set, de.set, SADB_DIGEST_LEN) != 0);
	CU_ASSERT_EQUAL(da.n_ike, 50);
	CU_ASSERT_EQUAL(da.n_child, 100);
	/* A counter moves: only the full digest changes. */
	fix_child(&ch, 10, 1, 1);
	memset(&r, 0, sizeof(r));
	r.dir = SYNC_CTR_IN;
	r.spi = ch.spi_in;
	r.dst = ch.local;
	r.value = 77;
	ch0 = sadb_set_changes(b);
	CU_ASSERT_EQUAL(sadb_ctr(b, &r), SADB_OK);
	/* ... and the set-change counter does not move (the cache holds). */
	CU_ASSERT_EQUAL(sadb_set_changes(b), ch0);
	CU_ASSERT_EQUAL(sadb_digest(b, &db_), 0);
	CU_ASSERT(memcmp(da.set, db_.set, SADB_DIGEST_LEN) == 0);
	CU_ASSERT(memcmp(da.full, db_.full, SADB_DIGEST_LEN) != 0);
	/* A key differs: the set digest changes. */
	fix_child(&ch, 11, 2, 2);
	ch.encr_out.data[0] ^= 1;
	CU_ASSERT_EQUAL(sadb_child_up(b, &ch), SADB_OK);
	CU_ASSERT(sadb_set_changes(b) > ch0);
	CU_ASSERT_EQUAL(sadb_digest(b, &db_), 0);
	CU_ASSERT(memcmp(da.set, db_.set, SADB_DIGEST_LEN) != 0);
	sadb_digest_hex(da.set, hex);
	CU_ASSERT_EQUAL(strlen(hex), 64);
	/* Delete everything: back to the empty digest. */
	ch0 = sadb_set_changes(b);
	sadb_clear(b);
	CU_ASSERT(sadb_set_changes(b) > ch0);
	CU_ASSERT_EQUAL(sadb_digest(b, &db_), 0);
	CU_ASSERT(memcmp(&de, &db_, sizeof(de)) == 0);
	sadb_free(a);
	sadb_free(b);
}

/*
 * The digest as sadb.h defines it, from scratch: every record (cursor)
 * encoded, hashed, summed.  What sadb keeps up to date must equal it.
 */
static void
ref_add(uint8_t acc[SADB_DIGEST_LEN], const uint8_t *p, long len)
{
	uint8_t		 h[SADB_DIGEST_LEN];
	unsigned int	 hl = 0, carry = 0, v;
	int		 i;

	CU_ASSERT_FATAL(len > 0);
	CU_ASSERT_FATAL(EVP_Digest(p, (size_t)len, h, &hl, EVP_sha256(),
	    NULL) == 1 && hl == SADB_DIGEST_LEN);
	for (i = SADB_DIGEST_LEN - 1; i >= 0; i--) {
		v = (unsigned int)acc[i] + h[i] + carry;
		acc[i] = (uint8_t)v;
		carry = v >> 8;
	}
}

static void
ref_digest(const struct sadb *db, struct sadb_digest *d)
{
	struct sadb_cursor	 cur;
	struct sadb_item	*it = calloc(1, sizeof(*it));
	uint8_t			*buf = malloc(SYNC_MAX_LEN);
	struct wr		 w;

	CU_ASSERT_FATAL(it != NULL && buf != NULL);
	memset(d, 0, sizeof(*d));
	sadb_cursor_init(db, &cur, NULL);
	while (sadb_cursor_next(db, &cur, it) != SADB_ITEM_END) {
		wr_init(&w, buf, SYNC_MAX_LEN);
		if (it->type == SADB_ITEM_IKE) {
			ref_add(d->set, buf,
			    syncmsg_encode_ike_up(&w, 0, 0, &it->u.ike));
			ref_add(d->full, buf, (long)w.len);
			d->n_ike++;
			continue;
		}
		ref_add(d->full, buf,
		    syncmsg_encode_child_up(&w, 0, 0, &it->u.child));
		memset(&it->u.child.ctr, 0, sizeof(it->u.child.ctr));
		wr_init(&w, buf, SYNC_MAX_LEN);
		ref_add(d->set, buf,
		    syncmsg_encode_child_up(&w, 0, 0, &it->u.child));
		d->n_child++;
	}
	free(it);
	free(buf);
}

static void
digest_is_ref(struct sadb *db)
{
	struct sadb_digest	 got, want;

	CU_ASSERT_EQUAL(sadb_digest(db, &got), 0);
	ref_digest(db, &want);
	CU_ASSERT(memcmp(got.set, want.set, SADB_DIGEST_LEN) == 0);
	CU_ASSERT(memcmp(got.full, want.full, SADB_DIGEST_LEN) == 0);
	CU_ASSERT_EQUAL(got.n_ike, want.n_ike);
	CU_ASSERT_EQUAL(got.n_child, want.n_child);
}

/*
 * The digest is kept up to date (sadb.c): after every kind of change,
 * digests taken in between or not, it equals one computed from scratch.
 */
static void
test_digest_upkeep(void)
{
	struct sadb		*db = sadb_new(0);
	struct sadb_digest	 empty, d;
	struct sync_lease	 l;
	struct sync_ctr		 r;
	struct sa_ike		 mid;
	uint32_t		 id;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL(sadb_digest(db, &empty), 0);
	fill_db(db, 20, 3);
	digest_is_ref(db);
	/* Twice in a row: nothing changed, the same. */
	CU_ASSERT_EQUAL(sadb_digest(db, &d), 0);
	digest_is_ref(db);
	/* An IKE SA replaced by a newer gen, another's message IDs. */
	fix_ike(&ike, 4, 2, "even");
	ike.resp[0] ^= 0xff;
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	digest_is_ref(db);
	memset(&mid, 0, sizeof(mid));
	fix_spis(5, mid.spi_i, mid.spi_r);
	mid.msgid_send = 9;
	mid.msgid_recv = 9;
	mid.resp_len = 3;
	CU_ASSERT_EQUAL(sadb_ike_mid(db, &mid), SADB_OK);
	/* Changed twice before the next digest. */
	fix_ike(&ike, 6, 2, "odd");	/* and moved to the other group */
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	fix_ike(&ike, 6, 3, "odd");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	digest_is_ref(db);
	/* Counters only: the set digest holds, the full one follows. */
	CU_ASSERT_EQUAL(sadb_digest(db, &d), 0);
	fix_child(&ch, 7, 1, 1);
	memset(&r, 0, sizeof(r));
	r.dir = SYNC_CTR_IN;
	r.spi = ch.spi_in;
	r.dst = ch.local;
	r.value = 500;
	CU_ASSERT_EQUAL(sadb_ctr(db, &r), SADB_OK);
	CU_ASSERT_EQUAL(sadb_ctr(db, &r), SADB_IGN_NOOP);
	memset(&l, 0, sizeof(l));
	l.spi_out = ch.spi_out;
	l.dst = ch.remote;
	l.end = 5000;
	CU_ASSERT_EQUAL(sadb_lease(db, &l), SADB_OK);
	digest_is_ref(db);
	{
		struct sadb_digest	 e;

		CU_ASSERT_EQUAL(sadb_digest(db, &e), 0);
		CU_ASSERT(memcmp(d.set, e.set, SADB_DIGEST_LEN) == 0);
		CU_ASSERT(memcmp(d.full, e.full, SADB_DIGEST_LEN) != 0);
	}
	/* The same gen with a counter ahead; a newer gen. */
	fix_child(&ch, 8, 2, 1);
	ch.ctr.out_end = 9000;
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	digest_is_ref(db);
	fix_child(&ch, 8, 2, 2);
	ch.encr_in.data[0] ^= 1;
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	digest_is_ref(db);
	/* Created and removed between two digests (off the dirty list). */
	fix_ike(&ike, 100, 1, "odd");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	fix_child(&ch, 100, 1, 1);
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	fix_child(&ch, 101, 1, 1);	/* an orphan */
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	CU_ASSERT_EQUAL(sadb_child_down(db, &ch), SADB_OK);
	CU_ASSERT_EQUAL(sadb_ike_down(db, ike.spi_i, ike.spi_r, 0), SADB_OK);
	digest_is_ref(db);
	/* Removed after being hashed: a child, then IKE SAs with theirs. */
	fix_child(&ch, 9, 1, 1);
	CU_ASSERT_EQUAL(sadb_child_down(db, &ch), SADB_OK);
	digest_is_ref(db);
	for (id = 1; id <= 20; id += 3) {
		fix_spis(id, ike.spi_i, ike.spi_r);
		CU_ASSERT_EQUAL(sadb_ike_down(db, ike.spi_i, ike.spi_r, 0),
		    SADB_OK);
	}
	digest_is_ref(db);
	/* Emptied: back to the digest of nothing. */
	sadb_clear(db);
	CU_ASSERT_EQUAL(sadb_digest(db, &d), 0);
	CU_ASSERT(memcmp(&d, &empty, sizeof(d)) == 0);
	fill_db(db, 5, 2);
	digest_is_ref(db);
	sadb_free(db);
}

static void
test_cursor_groups(void)
{
	struct sadb		*db = sadb_new(0);
	struct sadb_cursor	 cur;
	static struct sadb_item	 it;
	struct sadb_group_stat	 gs[4];
	size_t			 n_ike = 0, n_child = 0, ng, i;
	bool			 child_seen = false, order_ok = true;

	fill_db(db, 20, 3);
	fix_child(&ch, 500, 1, 1);		/* an orphan */
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	sadb_cursor_init(db, &cur, NULL);
	while (sadb_cursor_next(db, &cur, &it) != SADB_ITEM_END) {
		if (it.type == SADB_ITEM_IKE) {
			n_ike++;
			if (child_seen)
				order_ok = false;
		} else {
			n_child++;
			child_seen = true;
		}
	}
	CU_ASSERT(order_ok);			/* parents first */
	CU_ASSERT_EQUAL(n_ike, 20);
	CU_ASSERT_EQUAL(n_child, 41);
	n_ike = n_child = 0;
	sadb_cursor_init(db, &cur, "odd");
	while (sadb_cursor_next(db, &cur, &it) != SADB_ITEM_END) {
		if (it.type == SADB_ITEM_IKE) {
			n_ike++;
			CU_ASSERT_STRING_EQUAL(it.u.ike.group, "odd");
		} else
			n_child++;
	}
	CU_ASSERT_EQUAL(n_ike, 10);
	CU_ASSERT_EQUAL(n_child, 20);		/* no orphan */
	ng = sadb_group_stats(db, gs, nitems(gs));
	CU_ASSERT_EQUAL(ng, 2);
	for (i = 0; i < ng; i++) {
		CU_ASSERT_EQUAL(gs[i].n_ike, 10);
		CU_ASSERT_EQUAL(gs[i].n_child, 20);
	}
	/* Moving an IKE SA to another group moves its children's count. */
	fix_ike(&ike, 1, 2, "even");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	ng = sadb_group_stats(db, gs, nitems(gs));
	for (i = 0; i < ng; i++)
		if (strcmp(gs[i].group, "even") == 0) {
			CU_ASSERT_EQUAL(gs[i].n_ike, 11);
			CU_ASSERT_EQUAL(gs[i].n_child, 22);
		}
	sa_ike_wipe(&it.u.ike);
	sadb_free(db);
}

static void
test_growth(void)
{
	struct sadb		*db = sadb_new(16);
	struct sadb_stats	 st;
	uint32_t		 id;
	int			 missing = 0;

	for (id = 1; id <= 3000; id++) {
		fix_ike(&ike, id, 1, "");
		sadb_ike_up(db, &ike);
		fix_child(&ch, id, 1, 1);
		sadb_child_up(db, &ch);
	}
	for (id = 1; id <= 3000; id++) {
		fix_child(&ch, id, 1, 1);
		if (sadb_child_find_in(db, ch.spi_in, &ch.local) == NULL ||
		    sadb_child_find_out(db, ch.spi_out, &ch.remote) == NULL)
			missing++;
		fix_spis(id, ike.spi_i, ike.spi_r);
		if (!sadb_ike_has(db, ike.spi_i, ike.spi_r))
			missing++;
	}
	CU_ASSERT_EQUAL(missing, 0);
	for (id = 1; id <= 3000; id += 2) {
		fix_spis(id, ike.spi_i, ike.spi_r);
		CU_ASSERT_EQUAL(sadb_ike_down(db, ike.spi_i, ike.spi_r, 0),
		    SADB_OK);
	}
	sadb_get_stats(db, &st);
	CU_ASSERT_EQUAL(st.n_ike, 1500);
	CU_ASSERT_EQUAL(st.n_child, 1500);
	CU_ASSERT(st.bytes > 1500 * sizeof(struct sa_child));
	sadb_free(db);
}

/* --- sync_apply: the ops table ------------------------------------------- */

static void
test_apply_table(void)
{
	struct sadb		*db = sadb_new(0);
	struct sync_apply_stats	 st;
	static struct sync_msg	 m;
	static uint8_t		 buf[SYNC_MAX_LEN];
	struct wr		 w;

	memset(&st, 0, sizeof(st));
	/* Through the wire and back, as syncd receives it. */
	fix_ike(&ike, 1, 1, "g");
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT(syncmsg_encode_ike_up(&w, 1, 0, &ike) > 0);
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, w.len, &m), 0);
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SADB_OK);
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SADB_IGN_STALE);
	fix_child(&ch, 1, 1, 1);
	wr_init(&w, buf, sizeof(buf));
	CU_ASSERT(syncmsg_encode_child_up(&w, 2, 0, &ch) > 0);
	CU_ASSERT_EQUAL_FATAL(syncmsg_decode(buf, w.len, &m), 0);
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SADB_OK);
	CU_ASSERT_EQUAL(st.applied[SYNC_IKE_UP], 1);
	CU_ASSERT_EQUAL(st.ignored[SYNC_IKE_UP], 1);
	CU_ASSERT_EQUAL(st.applied[SYNC_CHILD_UP], 1);
	/* Minimum checks: a CHILD_UP with gen 0. */
	m.u.child.gen = 0;
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SYNC_APPLY_E_CHECK);
	CU_ASSERT_EQUAL(st.dropped[SYNC_DROP_CHECK], 1);
	/* Unknown types, and control messages, are named drops. */
	m.hdr.type = SYNC_TYPE_MAX;
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SYNC_APPLY_E_TYPE);
	m.hdr.type = 0;
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SYNC_APPLY_E_TYPE);
	m.hdr.type = 200;
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SYNC_APPLY_E_TYPE);
	CU_ASSERT_EQUAL(st.dropped[SYNC_DROP_TYPE], 3);
	m.hdr.type = SYNC_ACK;
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SYNC_APPLY_E_CONTROL);
	m.hdr.type = SYNC_BULK_END;
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SYNC_APPLY_E_CONTROL);
	CU_ASSERT_EQUAL(st.dropped[SYNC_DROP_CONTROL], 2);
	CU_ASSERT_STRING_EQUAL(sync_apply_type_name(SYNC_LEASE), "LEASE");
	CU_ASSERT_STRING_EQUAL(sync_apply_type_name(99), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(sync_apply_drop_name(SYNC_DROP_TYPE),
	    "unknown_type");
	CU_ASSERT_STRING_EQUAL(sync_apply_res_name(SYNC_APPLY_E_CHECK),
	    "E_CHECK");
	/* CTR batch: one SA unknown, one moves. */
	memset(&m, 0, sizeof(m));
	m.hdr.type = SYNC_CTR;
	m.u.ctr.n = 2;
	m.u.ctr.c[0].dir = SYNC_CTR_OUT;
	m.u.ctr.c[0].spi = 0x42;
	m.u.ctr.c[0].dst = ch.remote;
	m.u.ctr.c[1].dir = SYNC_CTR_OUT;
	m.u.ctr.c[1].spi = ch.spi_out;
	m.u.ctr.c[1].dst = ch.remote;
	m.u.ctr.c[1].value = 9999;
	CU_ASSERT_EQUAL(sync_apply(db, &m, &st), SADB_OK);
	CU_ASSERT_EQUAL(st.ctr_records, 1);
	CU_ASSERT_EQUAL(sadb_child_find_in(db, ch.spi_in, NULL)->ctr.out_end,
	    9999);
	/* IKE_DOWN through the table removes the child too. */
	memset(&m, 0, sizeof(m));
	m.hdr.type = SYNC_IKE_DOWN;
	memcpy(m.u.ike.spi_i, ike.spi_i, SA_SPI_LEN);
	memcpy(m.u.ike.spi_r, ike.spi_r, SA_SPI_LEN);
	CU_ASSERT_EQUAL(sync_apply(db, &m, NULL), SADB_OK);
	CU_ASSERT_PTR_NULL(sadb_child_find_in(db, ch.spi_in, NULL));
	syncmsg_wipe(&m);
	sadb_free(db);
}

/*
 * Partition merge: both sides' bulks carry the same record gen, but the
 * side that kept the SA active extended its lease.  The lease end (and
 * the replay top) must survive the crossing bulks, the record must not.
 */
static void
test_merge_counters_same_gen(void)
{
	struct sadb		*db = sadb_new(0);
	const struct sa_child	*c;
	struct sa_child		 other;

	fix_ike(&ike, 9, 1, "");
	CU_ASSERT_EQUAL(sadb_ike_up(db, &ike), SADB_OK);
	fix_child(&ch, 9, 1, 5);
	ch.ctr.out_end = 8194;
	ch.ctr.in_top = 100;
	CU_ASSERT_EQUAL(sadb_child_up(db, &ch), SADB_OK);
	/* The other side's copy: same gen, lease extended, other TS. */
	fix_child(&other, 9, 1, 5);
	other.ctr.out_end = 12292;
	other.ctr.in_top = 90;
	other.replay_window = 7;
	CU_ASSERT_EQUAL(sadb_child_up(db, &other), SADB_OK);
	c = sadb_child_find_in(db, ch.spi_in, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->ctr.out_end, 12292);	/* forward */
	CU_ASSERT_EQUAL(c->ctr.in_top, 100);	/* never back */
	CU_ASSERT_EQUAL(c->replay_window, ch.replay_window); /* record kept */
	/* Nothing newer at all: ignored as before. */
	CU_ASSERT_EQUAL(sadb_child_up(db, &other), SADB_IGN_STALE);
	other.gen = 4;
	other.ctr.out_end = 20000;
	CU_ASSERT_EQUAL(sadb_child_up(db, &other), SADB_OK);
	CU_ASSERT_EQUAL(c->ctr.out_end, 20000);
	sa_child_wipe(&other);
	sadb_free(db);
}

UNIT_SUITE(sadb, "sadb: replicated SA database",
    { "IKE gen ordering", test_ike_gen },
    { "child indexes", test_child_find },
    { "IKE_DOWN cascades", test_ike_down_cascade },
    { "orphans kept and adopted", test_orphans },
    { "counters forward only", test_counters_forward },
    { "crossing bulks keep the higher lease", test_merge_counters_same_gen },
    { "IKE_MID", test_ike_mid },
    { "digest order-independent", test_digest },
    { "digest kept up to date", test_digest_upkeep },
    { "cursor and groups", test_cursor_groups },
    { "growth", test_growth },
    { "sync_apply ops table", test_apply_table });
