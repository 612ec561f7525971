/*
 * test/unit/test_exch_psk.c -- two ikev2d protocol cores back to back, in
 * memory (STYLE P9): no sockets, the recording kernel backend, a
 * deterministic random source, time passed by hand (the harness is in
 * exch_pair.c; this file keeps its PSK config and its options).
 *
 *    A 192.0.2.1 [10.1.0.0/24]  <---- IKE datagrams ---->  B 192.0.2.2
 *                                                         [10.2.0.0/24]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/cfg.h"
#include "../../ikev2d/child_sa.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/ike_sa.h"
#include "../../ikev2d/kernel_rec.h"
#include "exch_pair.h"
#include "unit.h"

#define CONF_FMT \
"ike = {\n" \
"  cookie_threshold = %d;\n" \
"  retransmit_timeout = \"1s\";\n" \
"  retransmit_tries = 3;\n" \
"  connections = { ab = {\n" \
"    vip_group = \"vg1\";\n" \
"    local_addrs = \"%s\"; remote_addrs = \"%s\";\n" \
"    local = { auth = \"psk\"; id = \"%s\"; };\n" \
"    remote = { auth = \"psk\"; id = \"%s\"; };\n" \
"    proposals = [ \"%s\" ];\n" \
"    dpd_delay = \"%s\";\n" \
"    children = { net = { local_ts = \"%s\"; remote_ts = \"%s\";\n" \
"      esp_proposals = [ \"%s\" ]; }; };\n" \
"  }; };\n" \
"  secrets = { s1 = { type = \"ike\"; id = [ \"a.example\", " \
"\"b.example\" ];\n" \
"    secret = \"%s\"; }; };\n" \
"};\n" \
"ha = { groups = { vg1 = { vrid = 1; interface = \"eth0\";\n" \
"  vips = [ \"%s/24\" ]; }; }; };\n"

struct side_opts {
	int		 cookie_threshold;
	const char	*ike_prop;
	const char	*esp_prop;
	const char	*secret;
	const char	*dpd;
};

static void
conf_fmt(char *buf, size_t len, const char *me, const char *peer,
    const char *myid, const char *peerid, const char *lts, const char *rts,
    const struct side_opts *o)
{
	snprintf(buf, len, CONF_FMT, o->cookie_threshold, me, peer, myid,
	    peerid, o->ike_prop, o->dpd, lts, rts, o->esp_prop, o->secret, me);
}

static const struct side_opts dflt = {
	100, "aes128gcm16-prfsha256-x25519", "aes128gcm16", "0x0102030405",
	"0s"
};

static void
pair_init2(struct pair *p, const struct side_opts *oa,
    const struct side_opts *ob)
{
	char	 ca[PAIR_CONF_MAX], cb[PAIR_CONF_MAX];

	conf_fmt(ca, sizeof(ca), PAIR_ADDR_A, PAIR_ADDR_B, "a.example",
	    "b.example", "10.1.0.0/24", "10.2.0.0/24", oa);
	conf_fmt(cb, sizeof(cb), PAIR_ADDR_B, PAIR_ADDR_A, "b.example",
	    "a.example", "10.2.0.0/24", "10.1.0.0/24", ob);
	pair_start(p, ca, cb);
}

static void
pair_init(struct pair *p)
{
	pair_init2(p, &dflt, &dflt);
}

/* A's outbound SA == B's inbound SA, and the other way round. */
static void
check_matching(struct pair *p)
{
	struct child_sa		*ca = first_child(&p->a), *cb;
	const struct kernel_sa	*ao, *bi, *ai, *bo;

	cb = first_child(&p->b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ca);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cb);
	CU_ASSERT_EQUAL(ca->spi_out, cb->spi_in);
	CU_ASSERT_EQUAL(ca->spi_in, cb->spi_out);
	ao = kernel_rec_sa(&p->a.k, ca->spi_out);
	bi = kernel_rec_sa(&p->b.k, cb->spi_in);
	ai = kernel_rec_sa(&p->a.k, ca->spi_in);
	bo = kernel_rec_sa(&p->b.k, cb->spi_out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ao);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bi);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ai);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bo);
	CU_ASSERT(ao->enc_key_len > 0);
	CU_ASSERT_EQUAL(ao->enc_key_len, bi->enc_key_len);
	CU_ASSERT(memcmp(ao->enc_key, bi->enc_key, ao->enc_key_len) == 0);
	CU_ASSERT(memcmp(ai->enc_key, bo->enc_key, ai->enc_key_len) == 0);
	CU_ASSERT(memcmp(ao->enc_key, ai->enc_key, ai->enc_key_len) != 0);
	CU_ASSERT(memcmp(&ao->dst, &bi->dst, sizeof(ao->dst)) == 0);
	CU_ASSERT(ao->tunnel && bi->tunnel);
	CU_ASSERT_EQUAL(bi->replay_window, 32);
	CU_ASSERT_EQUAL(ao->replay_window, 0);
}

static void
test_establish(void)
{
	struct pair	 p;
	struct ike_sa	*a, *b;

	pair_init(&p);
	pair_establish(&p);
	a = first_sa(&p.a);
	b = first_sa(&p.b);
	/* both derived the same IKE keys */
	CU_ASSERT(secbuf_eq(a->keys.sk_d, b->keys.sk_d));
	CU_ASSERT(secbuf_eq(a->keys.sk_ei, b->keys.sk_ei));
	CU_ASSERT(secbuf_eq(a->keys.sk_pr, b->keys.sk_pr));
	CU_ASSERT(memcmp(a->spi_i, b->spi_i, 8) == 0);
	CU_ASSERT(memcmp(a->spi_r, b->spi_r, 8) == 0);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	CU_ASSERT_EQUAL(p.b.k.nsa, 2);
	CU_ASSERT_EQUAL(p.a.k.npol, 3);		/* in, out, fwd */
	CU_ASSERT_EQUAL(p.b.k.npol, 3);
	check_matching(&p);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_UP], 1);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_IKE_UP], 1);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_CHILD_UP], 1);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_CHILD_UP], 1);
	CU_ASSERT_EQUAL(a->msgid_send, 2);
	CU_ASSERT_EQUAL(b->msgid_recv, 2);
	pair_fini(&p);
}

static void
test_wrong_psk(void)
{
	struct pair		 p;
	struct side_opts	 ob = dflt;

	ob.secret = "0x0102030406";
	pair_init2(&p, &dflt, &ob);
	CU_ASSERT(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	pair_run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(nsas(&p.b), 0);
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	CU_ASSERT_EQUAL(p.b.k.nsa, 0);
	CU_ASSERT_EQUAL(p.a.k.npol, 0);
	CU_ASSERT_EQUAL(p.b.k.npol, 0);
	CU_ASSERT_EQUAL(p.a.k.n_add_sa + p.b.k.n_add_sa, 0);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->auth_failed, 1);
	CU_ASSERT_EQUAL(ike_core_stats(p.a.core)->auth_failed, 1);
	CU_ASSERT(p.a.auth_logs >= 1 && p.b.auth_logs >= 1);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_UP] + p.b.ev[IKE_EV_IKE_UP], 0);
	pair_fini(&p);
}

static void
test_invalid_ke(void)
{
	struct pair		 p;
	struct side_opts	 oa = dflt, ob = dflt;

	oa.ike_prop = "aes128gcm16-prfsha256-ecp256-x25519";
	ob.ike_prop = "aes128gcm16-prfsha256-x25519";
	pair_init2(&p, &oa, &ob);
	pair_establish(&p);
	CU_ASSERT_EQUAL(first_sa(&p.a)->chosen.ke, IKE_KE_CURVE25519);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->ike_sas, 1);
	check_matching(&p);
	pair_fini(&p);
}

static void
test_cookie(void)
{
	struct pair		 p;
	struct side_opts	 ob = dflt;

	ob.cookie_threshold = 0;	/* always ask */
	pair_init2(&p, &dflt, &ob);
	pair_establish(&p);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->drops[IKE_DROP_COOKIE], 1);
	CU_ASSERT(first_sa(&p.a)->cookie_len > 0);
	check_matching(&p);
	pair_fini(&p);
}

static void
test_retransmit(void)
{
	struct pair		 p;
	const struct ike_dgram	*d;
	uint8_t			 first[2048];
	size_t			 len;
	uint64_t		 dl;

	pair_init(&p);
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	d = ike_core_out_peek(p.a.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	len = d->len;
	memcpy(first, d->buf, len);
	pair_step(&p, &p.a, &p.b, true);		/* IKE_SA_INIT request */
	CU_ASSERT_EQUAL(pair_step(&p, &p.b, &p.a, false), 1);	/* lost */
	dl = ike_core_next_deadline(p.a.core);
	CU_ASSERT_EQUAL(dl, p.now + 1000);
	ike_core_tick(p.a.core, p.now + 999);
	CU_ASSERT_EQUAL(ike_core_out_count(p.a.core), 0);
	p.now = dl;
	ike_core_tick(p.a.core, p.now);
	d = ike_core_out_peek(p.a.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->len, len);
	CU_ASSERT(memcmp(d->buf, first, len) == 0);	/* byte-identical */
	/* back-off: the next one is later by the base (1.8) */
	CU_ASSERT_EQUAL(ike_core_next_deadline(p.a.core), p.now + 1800);
	pair_run(&p);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->resp_cache_hits, 1);
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->ike_sas, 1);

	/* an encrypted exchange: the response is lost, the duplicate
	 * request is answered from the cache without reprocessing */
	CU_ASSERT_EQUAL(ike_core_dpd(p.a.core, first_sa(&p.a)->uid, p.now),
	    0);
	d = ike_core_out_peek(p.a.core);
	len = d->len;
	memcpy(first, d->buf, len);
	pair_step(&p, &p.a, &p.b, true);
	pair_step(&p, &p.b, &p.a, false);
	CU_ASSERT_EQUAL(first_sa(&p.b)->msgid_recv, 3);
	p.now = ike_core_next_deadline(p.a.core);
	ike_core_tick(p.a.core, p.now);
	d = ike_core_out_peek(p.a.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT(d->len == len && memcmp(d->buf, first, len) == 0);
	pair_step(&p, &p.a, &p.b, true);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->resp_cache_hits, 2);
	CU_ASSERT_EQUAL(first_sa(&p.b)->msgid_recv, 3);	/* not again */
	pair_run(&p);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.kind, IKE_REQ_NONE);
	CU_ASSERT_EQUAL(first_sa(&p.a)->msgid_send, 3);
	pair_fini(&p);
}

static void
test_give_up(void)
{
	struct pair	 p;
	int		 i;

	pair_init(&p);
	pair_establish(&p);
	CU_ASSERT_EQUAL(ike_core_dpd(p.a.core, first_sa(&p.a)->uid, p.now),
	    0);
	/* the peer is dead: nothing comes back */
	for (i = 0; i < 10 && nsas(&p.a) > 0; i++) {
		while (pair_step(&p, &p.a, &p.b, false))
			;
		p.now = ike_core_next_deadline(p.a.core);
		ike_core_tick(p.a.core, p.now);
	}
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(ike_core_stats(p.a.core)->retransmits, 3);
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	CU_ASSERT_EQUAL(p.a.k.npol, 0);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_DOWN], 1);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_CHILD_DOWN], 1);
	CU_ASSERT_EQUAL(ike_core_next_deadline(p.a.core), UINT64_MAX);
	pair_fini(&p);
}

static void
test_msgid_window(void)
{
	struct pair		 p;
	const struct ike_dgram	*d;
	uint8_t			 old[2048];
	size_t			 len;
	const struct ike_core_stats *st;

	pair_init(&p);
	pair_establish(&p);
	st = ike_core_stats(p.b.core);
	/* capture request 2, then run two exchanges past it */
	ike_core_dpd(p.a.core, first_sa(&p.a)->uid, p.now);
	d = ike_core_out_peek(p.a.core);
	len = d->len;
	memcpy(old, d->buf, len);
	pair_run(&p);
	ike_core_dpd(p.a.core, first_sa(&p.a)->uid, p.now);
	pair_run(&p);
	CU_ASSERT_EQUAL(first_sa(&p.b)->msgid_recv, 4);
	/* an old request (2 < 4 - 1): dropped, not answered */
	ike_core_input(p.b.core, &p.b.addr, &p.a.addr, old, len, p.now);
	CU_ASSERT_EQUAL(st->drops[IKE_DROP_MSGID_OLD], 1);
	CU_ASSERT_EQUAL(ike_core_out_count(p.b.core), 0);
	/* a request from the future (beyond the window of 1) */
	first_sa(&p.a)->msgid_send += 5;
	ike_core_dpd(p.a.core, first_sa(&p.a)->uid, p.now);
	pair_step(&p, &p.a, &p.b, true);
	CU_ASSERT_EQUAL(st->drops[IKE_DROP_MSGID_FUTURE], 1);
	CU_ASSERT_EQUAL(ike_core_out_count(p.b.core), 0);
	CU_ASSERT_EQUAL(first_sa(&p.b)->msgid_recv, 4);
	/* a response to nothing outstanding */
	first_sa(&p.a)->msgid_send -= 5;
	ike_sa_req_done(first_sa(&p.a));
	ike_core_input(p.a.core, &p.a.addr, &p.b.addr,
	    first_sa(&p.b)->resp, first_sa(&p.b)->resp_len, p.now);
	CU_ASSERT_EQUAL(ike_core_stats(p.a.core)->
	    drops[IKE_DROP_RESP_UNEXPECTED], 1);
	pair_fini(&p);
}

static void
test_dpd(void)
{
	struct pair		 p;
	struct side_opts	 o = dflt;

	o.dpd = "30s";
	pair_init2(&p, &o, &o);
	pair_establish(&p);
	/* idle for dpd_delay: A checks liveness on its own */
	CU_ASSERT(ike_core_next_deadline(p.a.core) <= p.now + 30000);
	p.now += 30000;
	ike_core_tick(p.a.core, p.now);
	ike_core_tick(p.b.core, p.now);
	CU_ASSERT(ike_core_out_count(p.a.core) >= 1);
	pair_run(&p);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.kind, IKE_REQ_NONE);
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL(first_sa(&p.b)->state, IKE_S_ESTABLISHED);
	CU_ASSERT(first_sa(&p.a)->msgid_send >= 3);
	pair_fini(&p);
}

static void
test_delete_ike(void)
{
	struct pair	 p;

	pair_init(&p);
	pair_establish(&p);
	CU_ASSERT_EQUAL(ike_core_delete_ike(p.a.core, first_sa(&p.a)->uid,
	    p.now), 0);
	pair_run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(nsas(&p.b), 0);
	CU_ASSERT_EQUAL(p.a.k.nsa + p.b.k.nsa, 0);
	CU_ASSERT_EQUAL(p.a.k.npol + p.b.k.npol, 0);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_DOWN], 1);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_IKE_DOWN], 1);
	pair_fini(&p);
}

static void
test_delete_child(void)
{
	struct pair	 p;

	pair_init(&p);
	pair_establish(&p);
	CU_ASSERT_EQUAL(ike_core_delete_child(p.a.core,
	    first_child(&p.a)->uid, p.now), 0);
	pair_run(&p);
	CU_ASSERT_PTR_NULL(first_child(&p.a));
	CU_ASSERT_PTR_NULL(first_child(&p.b));
	CU_ASSERT_EQUAL(p.a.k.nsa + p.b.k.nsa, 0);
	CU_ASSERT_EQUAL(p.a.k.npol + p.b.k.npol, 0);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	CU_ASSERT_EQUAL(nsas(&p.b), 1);
	pair_fini(&p);
}

static void
test_delete_collision(void)
{
	struct pair	 p;

	pair_init(&p);
	pair_establish(&p);
	ike_core_delete_ike(p.a.core, first_sa(&p.a)->uid, p.now);
	ike_core_delete_ike(p.b.core, first_sa(&p.b)->uid, p.now);
	pair_run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(nsas(&p.b), 0);
	CU_ASSERT_EQUAL(p.a.k.nsa + p.b.k.nsa, 0);
	CU_ASSERT_EQUAL(ike_core_stats(p.a.core)->retransmits, 0);
	CU_ASSERT_EQUAL(ike_core_next_deadline(p.a.core), UINT64_MAX);
	pair_fini(&p);
}

static void
test_child_delete_collision(void)
{
	struct pair	 p;

	pair_init(&p);
	pair_establish(&p);
	ike_core_delete_child(p.a.core, first_child(&p.a)->uid, p.now);
	ike_core_delete_child(p.b.core, first_child(&p.b)->uid, p.now);
	pair_run(&p);
	CU_ASSERT_PTR_NULL(first_child(&p.a));
	CU_ASSERT_PTR_NULL(first_child(&p.b));
	CU_ASSERT_EQUAL(p.a.k.nsa + p.b.k.nsa, 0);
	CU_ASSERT_EQUAL(p.a.k.npol + p.b.k.npol, 0);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.kind, IKE_REQ_NONE);
	CU_ASSERT_EQUAL(first_sa(&p.b)->req.kind, IKE_REQ_NONE);
	pair_fini(&p);
}

static void
test_child_rekey(void)
{
	struct pair		 p;
	struct side_opts	 o = dflt;
	uint32_t		 old_in, old_out;

	o.esp_prop = "aes128gcm16-x25519";	/* with PFS */
	pair_init2(&p, &o, &o);
	pair_establish(&p);
	old_in = first_child(&p.a)->spi_in;
	old_out = first_child(&p.a)->spi_out;
	CU_ASSERT_EQUAL(ike_core_rekey_child(p.a.core,
	    first_child(&p.a)->uid, p.now), 0);
	pair_run(&p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.a));
	CU_ASSERT_PTR_NULL(first_child(&p.a)->next);
	CU_ASSERT_PTR_NULL(first_child(&p.b)->next);
	CU_ASSERT(first_child(&p.a)->spi_in != old_in);
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&p.a.k, old_in));
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&p.b.k, old_out));
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	CU_ASSERT_EQUAL(p.b.k.nsa, 2);
	CU_ASSERT_EQUAL(p.a.k.npol, 3);		/* policies stayed */
	CU_ASSERT_EQUAL(p.b.k.npol, 3);
	CU_ASSERT_EQUAL(p.a.k.n_add_pol, 3);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_CHILD_REKEYED], 1);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_CHILD_REKEYED], 1);
	check_matching(&p);
	pair_fini(&p);
}

static void
test_child_rekey_collision(void)
{
	struct pair	 p;

	pair_init(&p);
	pair_establish(&p);
	ike_core_rekey_child(p.a.core, first_child(&p.a)->uid, p.now);
	ike_core_rekey_child(p.b.core, first_child(&p.b)->uid, p.now);
	pair_run(&p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.a));
	CU_ASSERT_PTR_NULL(first_child(&p.a)->next);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.b));
	CU_ASSERT_PTR_NULL(first_child(&p.b)->next);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	CU_ASSERT_EQUAL(p.b.k.nsa, 2);
	CU_ASSERT_EQUAL(p.a.k.npol, 3);
	CU_ASSERT_EQUAL(p.b.k.npol, 3);
	check_matching(&p);
	pair_fini(&p);
}

static void
test_ike_rekey(void)
{
	struct pair	 p;
	uint8_t		 old_i[8];
	uint32_t	 spi_in;

	pair_init(&p);
	pair_establish(&p);
	memcpy(old_i, first_sa(&p.a)->spi_i, 8);
	spi_in = first_child(&p.a)->spi_in;
	CU_ASSERT_EQUAL(ike_core_rekey_ike(p.a.core, first_sa(&p.a)->uid,
	    p.now), 0);
	pair_run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	CU_ASSERT_EQUAL(nsas(&p.b), 1);
	CU_ASSERT(memcmp(first_sa(&p.a)->spi_i, old_i, 8) != 0);
	CU_ASSERT(memcmp(first_sa(&p.a)->spi_i, first_sa(&p.b)->spi_i, 8) ==
	    0);
	CU_ASSERT(secbuf_eq(first_sa(&p.a)->keys.sk_d,
	    first_sa(&p.b)->keys.sk_d));
	/* the Child SA moved, untouched */
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.a));
	CU_ASSERT_EQUAL(first_child(&p.a)->spi_in, spi_in);
	CU_ASSERT_PTR_EQUAL(first_child(&p.a)->ike, first_sa(&p.a));
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_REKEYED], 1);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_IKE_REKEYED], 1);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_CHILD_DOWN], 0);
	/* the new SA works: a child rekey over it */
	ike_core_rekey_child(p.b.core, first_child(&p.b)->uid, p.now);
	pair_run(&p);
	check_matching(&p);
	pair_fini(&p);
}

static void
test_half_open_expiry(void)
{
	struct pair	 p;

	pair_init(&p);
	ike_core_initiate(p.a.core, "ab", NULL, p.now);
	pair_step(&p, &p.a, &p.b, true);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->half_open, 1);
	p.now += 30000;
	ike_core_tick(p.b.core, p.now);
	CU_ASSERT_EQUAL(nsas(&p.b), 0);
	CU_ASSERT_EQUAL(ike_core_stats(p.b.core)->half_open, 0);
	pair_fini(&p);
}

UNIT_SUITE(exch, "exch",
    { "PSK establishment, matching SAs", test_establish },
    { "wrong PSK: AUTHENTICATION_FAILED, nothing installed", test_wrong_psk },
    { "INVALID_KE_PAYLOAD retry", test_invalid_ke },
    { "COOKIE", test_cookie },
    { "retransmission and the response cache", test_retransmit },
    { "retransmission give-up", test_give_up },
    { "message-ID window", test_msgid_window },
    { "DPD", test_dpd },
    { "delete IKE SA", test_delete_ike },
    { "delete Child SA", test_delete_child },
    { "simultaneous IKE delete", test_delete_collision },
    { "simultaneous Child delete", test_child_delete_collision },
    { "Child rekey with PFS", test_child_rekey },
    { "simultaneous Child rekey", test_child_rekey_collision },
    { "IKE rekey", test_ike_rekey },
    { "half-open expiry", test_half_open_expiry });
