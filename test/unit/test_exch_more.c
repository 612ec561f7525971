/*
 * test/unit/test_exch_more.c -- two ikev2d protocol cores back to back in
 * memory (STYLE P9), for what test_exch_psk.c does not cover: NAT-T on
 * both roles, start_action = trap and kernel acquires, simultaneous IKE SA
 * rekeys (RFC 7296 2.8.2) and dpd_action.  The pair harness is
 * exch_pair.c's, with a config that takes extra options and its optional
 * NAT between the two sides.
 *
 *    A 192.0.2.1 [10.1.0.0/24] --(NAT 198.51.100.1, ports +40000)-->
 *                                          B 192.0.2.2 [10.2.0.0/24]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/cfg.h"
#include "tandem/secbuf.h"
#include "../../ikev2d/child_sa.h"
#include "../../ikev2d/ike_const.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/ike_sa.h"
#include "../../ikev2d/kernel_rec.h"
#include "../../ikev2d/kernel_wa.h"
#include "exch_pair.h"
#include "unit.h"

#define CONF_FMT \
"ike = {\n" \
"  retransmit_timeout = \"1s\";\n" \
"  retransmit_tries = 3;\n" \
"  connections = { ab = {\n" \
"    vip_group = \"vg1\";\n" \
"    local_addrs = \"%s\"; remote_addrs = \"%s\";\n" \
"    local = { auth = \"psk\"; id = \"%s\"; };\n" \
"    remote = { auth = \"psk\"; id = \"%s\"; };\n" \
"    proposals = [ \"aes128gcm16-prfsha256-x25519\" ];\n" \
"    %s\n" \
"    children = { net = { local_ts = \"%s\"; remote_ts = \"%s\";\n" \
"      esp_proposals = [ \"aes128gcm16\" ]; %s }; };\n" \
"  }; };\n" \
"  secrets = { s1 = { type = \"ike\"; id = [ \"a.example\", " \
"\"b.example\" ];\n" \
"    secret = \"0x0102030405\"; }; };\n" \
"};\n" \
"ha = { groups = { vg1 = { vrid = 1; interface = \"eth0\";\n" \
"  vips = [ \"%s/24\" ]; }; }; };\n"

struct side_opts {
	const char	*remote;	/* remote_addrs; NULL: the peer */
	const char	*conn;		/* extra connection settings */
	const char	*child;		/* extra child settings */
};

/* Side A's (or B's) config text with options o (NULL: none). */
static void
conf_fmt(char *buf, size_t len, bool a, const struct side_opts *o)
{
	static const struct side_opts	 none;
	const char			*me = a ? PAIR_ADDR_A : PAIR_ADDR_B;
	const char			*peer = a ? PAIR_ADDR_B : PAIR_ADDR_A;

	if (o == NULL)
		o = &none;
	snprintf(buf, len, CONF_FMT, me, o->remote != NULL ? o->remote : peer,
	    a ? "a.example" : "b.example", a ? "b.example" : "a.example",
	    o->conn != NULL ? o->conn : "", a ? "10.1.0.0/24" : "10.2.0.0/24",
	    a ? "10.2.0.0/24" : "10.1.0.0/24", o->child != NULL ? o->child :
	    "", me);
}

/* A's config with other options (reload). */
static struct tnd_cfg *
conf_a(const struct side_opts *o)
{
	char	 conf[PAIR_CONF_MAX];

	conf_fmt(conf, sizeof(conf), true, o);
	return pair_conf(conf);
}

static void
pair_init(struct pair *p, const struct side_opts *oa,
    const struct side_opts *ob)
{
	char	 ca[PAIR_CONF_MAX], cb[PAIR_CONF_MAX];

	conf_fmt(ca, sizeof(ca), true, oa);
	conf_fmt(cb, sizeof(cb), false, ob);
	pair_start(p, ca, cb);
}

/* A's outbound SA == B's inbound SA (keys and outer addresses). */
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
	CU_ASSERT(memcmp(ao->enc_key, bi->enc_key, ao->enc_key_len) == 0);
	CU_ASSERT(memcmp(ai->enc_key, bo->enc_key, ai->enc_key_len) == 0);
	/* sync.aevent_replay_threshold (default 1024), both directions */
	CU_ASSERT_EQUAL(ao->replay_thresh, 1024);
	CU_ASSERT_EQUAL(ai->replay_thresh, 1024);
	CU_ASSERT_EQUAL(bo->replay_thresh, 1024);
	CU_ASSERT_EQUAL(bi->replay_thresh, 1024);
}

/* ------------------------------------------------------------------ */
/* 1. NAT-T                                                              */

/* Both SAs of a side's first Child SA: ESP in UDP with these ports. */
static void
check_encap(struct side *s, uint16_t lport, uint16_t rport)
{
	struct child_sa		*ch = first_child(s);
	const struct kernel_sa	*in, *out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
	in = kernel_rec_sa(&s->k, ch->spi_in);
	out = kernel_rec_sa(&s->k, ch->spi_out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT(in->encap && out->encap);
	CU_ASSERT_EQUAL(in->encap_sport, rport);	/* from the peer */
	CU_ASSERT_EQUAL(in->encap_dport, lport);
	CU_ASSERT_EQUAL(out->encap_sport, lport);
	CU_ASSERT_EQUAL(out->encap_dport, rport);
}

/*
 * The initiator forces encapsulation (encap = yes): its NAT_DETECTION_
 * SOURCE_IP hash does not match, the responder sees "peer behind a NAT",
 * the initiator floats to 4500 for IKE_AUTH and the responder follows:
 * answers from 4500 to 4500 with the marker, Child SAs in UDP 4500.
 */
static void
test_natt_forced(void)
{
	struct pair		 p;
	struct side_opts	 oa = { NULL, "encap = true;", NULL };
	struct ike_sa		*a, *b;

	pair_init(&p, &oa, NULL);
	pair_establish(&p);
	a = first_sa(&p.a);
	b = first_sa(&p.b);
	CU_ASSERT(a->natt && b->natt);
	CU_ASSERT(b->sa_flags & SA_IKE_NAT_REMOTE);
	CU_ASSERT(!(b->sa_flags & SA_IKE_NAT_LOCAL));
	CU_ASSERT(!(a->sa_flags & (SA_IKE_NAT_LOCAL | SA_IKE_NAT_REMOTE)));
	CU_ASSERT(a->sa_flags & SA_IKE_NATT_4500);
	CU_ASSERT(b->sa_flags & SA_IKE_NATT_4500);
	CU_ASSERT_EQUAL(a->local.port, 4500);
	CU_ASSERT_EQUAL(a->remote.port, 4500);
	CU_ASSERT_EQUAL(b->local.port, 4500);
	CU_ASSERT_EQUAL(b->remote.port, 4500);
	/* IKE_AUTH and its answer went over 4500 with the marker */
	CU_ASSERT(p.a.tx_marker >= 1 && p.b.tx_marker >= 1);
	CU_ASSERT_EQUAL(p.a.tx_plain + p.b.tx_plain, 0);
	CU_ASSERT_EQUAL(p.b.last_sport, 4500);
	CU_ASSERT_EQUAL(p.b.last_dport, 4500);
	check_matching(&p);
	check_encap(&p.a, 4500, 4500);
	check_encap(&p.b, 4500, 4500);
	CU_ASSERT(first_child(&p.b)->ike == b);
	/* later exchanges stay there: a DPD both ways */
	ike_core_dpd(p.b.core, b->uid, p.now);
	pair_run(&p);
	CU_ASSERT_EQUAL(p.a.tx_plain + p.b.tx_plain, 0);
	CU_ASSERT_EQUAL(p.b.last_sport, 4500);
	CU_ASSERT_EQUAL(b->req.kind, IKE_REQ_NONE);
	pair_fini(&p);
}

/*
 * A real NAT in front of A rewrites its address and ports.  B detects it
 * from the hashes, A from B's destination hash; A floats, B takes the
 * NAT's mapping of A's 4500 as the endpoint and encapsulates to it.
 */
static void
test_natt_nat(void)
{
	struct pair		 p;
	struct side_opts	 ob = { "%any", NULL, NULL };
	struct ike_sa		*a, *b;
	const struct kernel_sa	*bo;

	pair_init(&p, NULL, &ob);
	p.nat = true;
	pair_establish(&p);
	a = first_sa(&p.a);
	b = first_sa(&p.b);
	CU_ASSERT(a->sa_flags & SA_IKE_NAT_LOCAL);
	CU_ASSERT(!(a->sa_flags & SA_IKE_NAT_REMOTE));
	CU_ASSERT(b->sa_flags & SA_IKE_NAT_REMOTE);
	CU_ASSERT(!(b->sa_flags & SA_IKE_NAT_LOCAL));
	CU_ASSERT(a->natt && b->natt);
	CU_ASSERT_EQUAL(b->remote.port, 4500 + NAT_PORT_OFF);
	CU_ASSERT(memcmp(b->remote.addr, NAT_PUB, 4) == 0);
	CU_ASSERT_EQUAL(b->local.port, 4500);
	CU_ASSERT_EQUAL(p.a.tx_plain + p.b.tx_plain, 0);
	check_matching(&p);
	check_encap(&p.a, 4500, 4500);
	check_encap(&p.b, 4500, 4500 + NAT_PORT_OFF);
	bo = kernel_rec_sa(&p.b.k, first_child(&p.b)->spi_out);
	CU_ASSERT(memcmp(bo->dst.addr, NAT_PUB, 4) == 0);
	pair_fini(&p);
}

/* No NAT, no encap: IKE stays on 500, ESP is not encapsulated. */
static void
test_natt_none(void)
{
	struct pair		 p;
	const struct kernel_sa	*bi;

	pair_init(&p, NULL, NULL);
	pair_establish(&p);
	CU_ASSERT(!first_sa(&p.a)->natt && !first_sa(&p.b)->natt);
	CU_ASSERT_EQUAL(first_sa(&p.b)->sa_flags & (SA_IKE_NAT_LOCAL |
	    SA_IKE_NAT_REMOTE | SA_IKE_NATT_4500), 0);
	CU_ASSERT_EQUAL(p.a.tx_marker + p.b.tx_marker, 0);
	bi = kernel_rec_sa(&p.b.k, first_child(&p.b)->spi_in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bi);
	CU_ASSERT(!bi->encap);
	pair_fini(&p);
}

/* ------------------------------------------------------------------ */
/* 2. start_action = trap                                                */

/* Every policy of s has reqid and, outbound, the tunnel A -> B. */
static void
check_policies(struct side *s, uint32_t reqid, const struct sa_addr *local,
    const struct sa_addr *remote)
{
	size_t	 i;

	CU_ASSERT_EQUAL(s->k.npol, 3);
	for (i = 0; i < s->k.npol; i++) {
		CU_ASSERT_EQUAL(s->k.pol[i].reqid, reqid);
		CU_ASSERT(s->k.pol[i].tunnel);
		if (s->k.pol[i].dir != KDIR_OUT)
			continue;
		CU_ASSERT(memcmp(s->k.pol[i].tmpl_src.addr, local->addr,
		    4) == 0);
		CU_ASSERT(memcmp(s->k.pol[i].tmpl_dst.addr, remote->addr,
		    4) == 0);
		CU_ASSERT_EQUAL(s->k.pol[i].sel.dst_plen, 24);
		CU_ASSERT_EQUAL(s->k.pol[i].sel.dst.addr[1], 2);   /* 10.2 */
	}
}

static void
test_trap(void)
{
	struct pair		 p;
	struct side_opts	 oa = { NULL, NULL, "start_action = \"trap\";" };
	static const struct side_opts none;
	const struct ike_dgram	*d;
	const struct kernel_sa	*ko;
	struct tnd_cfg		*old;
	struct child_sa		*ch;
	uint32_t		 reqid;

	pair_init(&p, &oa, NULL);
	/* started: trap policies only, nothing sent, no SA */
	CU_ASSERT_EQUAL(ike_core_start_all(p.a.core, p.now), 0);
	CU_ASSERT_EQUAL(ike_core_out_count(p.a.core), 0);
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	CU_ASSERT_EQUAL_FATAL(p.a.k.npol, 3);
	reqid = p.a.k.pol[0].reqid;
	CU_ASSERT(reqid != 0);
	check_policies(&p.a, reqid, &p.a.addr, &p.b.addr);
	CU_ASSERT_EQUAL(ike_core_install_traps(p.a.core), 0);	/* have it */
	CU_ASSERT_EQUAL(p.a.k.npol, 3);
	CU_ASSERT_EQUAL(ike_core_kernel_acquire(p.a.core, reqid + 99, p.now),
	    -1);

	/* a packet: the kernel acquires, A initiates -- once */
	CU_ASSERT_EQUAL(ike_core_kernel_acquire(p.a.core, reqid, p.now), 0);
	CU_ASSERT_EQUAL(ike_core_kernel_acquire(p.a.core, reqid, p.now), 0);
	CU_ASSERT_EQUAL_FATAL(ike_core_out_count(p.a.core), 1);
	d = ike_core_out_peek(p.a.core);
	CU_ASSERT_EQUAL(d->buf[IKE_HDR_EXCH], IKE_EXCH_SA_INIT);
	pair_run(&p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_sa(&p.a));
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	ch = first_child(&p.a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
	CU_ASSERT_EQUAL(ch->reqid, reqid);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	check_matching(&p);
	/* the policies now lead to the real SAs: same reqid, SA endpoints */
	ko = kernel_rec_sa(&p.a.k, ch->spi_out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ko);
	CU_ASSERT_EQUAL(ko->reqid, reqid);
	check_policies(&p.a, reqid, &first_sa(&p.a)->local,
	    &first_sa(&p.a)->remote);
	/* acquires while up: nothing */
	CU_ASSERT_EQUAL(ike_core_kernel_acquire(p.a.core, reqid, p.now), 0);
	CU_ASSERT_EQUAL(ike_core_out_count(p.a.core), 0);

	/* the Child SA goes: the trap stays */
	ike_core_delete_child(p.a.core, ch->uid, p.now);
	pair_run(&p);
	CU_ASSERT_PTR_NULL(first_child(&p.a));
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	check_policies(&p.a, reqid, &p.a.addr, &p.b.addr);
	CU_ASSERT_EQUAL(p.b.k.npol, 0);

	/* next packet: a CREATE_CHILD_SA over the IKE SA that is up */
	CU_ASSERT_EQUAL(ike_core_kernel_acquire(p.a.core, reqid, p.now), 0);
	pair_run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.a));
	CU_ASSERT_EQUAL(first_child(&p.a)->reqid, reqid);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	check_matching(&p);

	/* the IKE SA goes: its Child SA with it, the trap stays */
	ike_core_delete_ike(p.a.core, first_sa(&p.a)->uid, p.now);
	pair_run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	check_policies(&p.a, reqid, &p.a.addr, &p.b.addr);

	/* reload without the trap: policies gone, acquires unknown */
	old = p.a.cfg;
	p.a.cfg = conf_a(&none);
	ike_core_set_cfg(p.a.core, p.a.cfg);
	cfg_free(old);
	CU_ASSERT_EQUAL(p.a.k.npol, 0);
	CU_ASSERT_EQUAL(ike_core_kernel_acquire(p.a.core, reqid, p.now), -1);
	/* and back: a reload that adds it installs it */
	old = p.a.cfg;
	p.a.cfg = conf_a(&oa);
	ike_core_set_cfg(p.a.core, p.a.cfg);
	cfg_free(old);
	CU_ASSERT_EQUAL(p.a.k.npol, 3);
	pair_fini(&p);
}

/* ------------------------------------------------------------------ */
/* 3. Simultaneous IKE SA rekey (RFC 7296 2.8.2)                          */

static void
test_ike_rekey_collision(void)
{
	struct pair	 p;
	uint8_t		 old_i[8], old_r[8];
	uint32_t	 spi_in, spi_out, uid;
	unsigned int	 del_a, del_b;

	pair_init(&p, NULL, NULL);
	pair_establish(&p);
	memcpy(old_i, first_sa(&p.a)->spi_i, 8);
	memcpy(old_r, first_sa(&p.a)->spi_r, 8);
	spi_in = first_child(&p.a)->spi_in;
	spi_out = first_child(&p.a)->spi_out;
	uid = first_child(&p.a)->uid;
	del_a = p.a.k.n_del_sa;
	del_b = p.b.k.n_del_sa;
	CU_ASSERT_EQUAL(ike_core_rekey_ike(p.a.core, first_sa(&p.a)->uid,
	    p.now), 0);
	CU_ASSERT_EQUAL(ike_core_rekey_ike(p.b.core, first_sa(&p.b)->uid,
	    p.now), 0);
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_REKEYING);
	CU_ASSERT_EQUAL(first_sa(&p.b)->state, IKE_S_REKEYING);
	pair_run(&p);
	/* exactly one IKE SA each side, the same one, new SPIs */
	CU_ASSERT_EQUAL_FATAL(nsas(&p.a), 1);
	CU_ASSERT_EQUAL_FATAL(nsas(&p.b), 1);
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL(first_sa(&p.b)->state, IKE_S_ESTABLISHED);
	CU_ASSERT(memcmp(first_sa(&p.a)->spi_i, old_i, 8) != 0 ||
	    memcmp(first_sa(&p.a)->spi_r, old_r, 8) != 0);
	CU_ASSERT(memcmp(first_sa(&p.a)->spi_i, first_sa(&p.b)->spi_i, 8) ==
	    0);
	CU_ASSERT(memcmp(first_sa(&p.a)->spi_r, first_sa(&p.b)->spi_r, 8) ==
	    0);
	CU_ASSERT(secbuf_eq(first_sa(&p.a)->keys.sk_d,
	    first_sa(&p.b)->keys.sk_d));
	/* the Child SA moved to the survivor, untouched in the kernel */
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.a));
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.b));
	CU_ASSERT_PTR_EQUAL(first_child(&p.a)->ike, first_sa(&p.a));
	CU_ASSERT_PTR_EQUAL(first_child(&p.b)->ike, first_sa(&p.b));
	CU_ASSERT_EQUAL(first_child(&p.a)->uid, uid);
	CU_ASSERT_EQUAL(first_child(&p.a)->spi_in, spi_in);
	CU_ASSERT_EQUAL(first_child(&p.a)->spi_out, spi_out);
	CU_ASSERT_EQUAL(p.a.k.n_del_sa, del_a);
	CU_ASSERT_EQUAL(p.b.k.n_del_sa, del_b);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	CU_ASSERT_EQUAL(p.b.k.nsa, 2);
	CU_ASSERT_EQUAL(p.a.k.npol, 3);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_CHILD_DOWN] + p.b.ev[IKE_EV_CHILD_DOWN],
	    0);
	/* one redundant SA went down on each side, and the old one */
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_DOWN], 2);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_IKE_DOWN], 2);
	CU_ASSERT_EQUAL(ike_core_stats(p.a.core)->retransmits +
	    ike_core_stats(p.b.core)->retransmits, 0);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.kind, IKE_REQ_NONE);
	CU_ASSERT_EQUAL(first_sa(&p.b)->req.kind, IKE_REQ_NONE);
	/* nothing left to time out */
	p.now += 60000;
	ike_core_tick(p.a.core, p.now);
	ike_core_tick(p.b.core, p.now);
	CU_ASSERT_EQUAL(ike_core_out_count(p.a.core) +
	    ike_core_out_count(p.b.core), 0);
	/* the survivor works: a Child rekey over it, from each side */
	ike_core_rekey_child(p.b.core, first_child(&p.b)->uid, p.now);
	pair_run(&p);
	check_matching(&p);
	ike_core_rekey_child(p.a.core, first_child(&p.a)->uid, p.now);
	pair_run(&p);
	check_matching(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	CU_ASSERT_EQUAL(nsas(&p.b), 1);
	pair_fini(&p);
}

/* ------------------------------------------------------------------ */
/* 4. dpd_action                                                          */

/*
 * A asks B for a liveness check and B is gone: A's datagrams are lost
 * until A gave up on the request (or, with none, for `rounds` timeouts).
 * Returns the uid of the IKE SA the check ran on.
 */
static uint32_t
peer_dies(struct pair *p, int rounds)
{
	uint32_t	 uid = first_sa(&p->a)->uid;
	int		 i;

	CU_ASSERT_EQUAL(ike_core_dpd(p->a.core, uid, p->now), 0);
	for (i = 0; i < rounds && ike_sa_by_uid(p->a.core, uid) != NULL;
	    i++) {
		while (pair_step(p, &p->a, &p->b, false))
			;
		p->now = ike_core_next_deadline(p->a.core);
		ike_core_tick(p->a.core, p->now);
	}
	return uid;
}

static void
test_dpd_clear(void)
{
	struct pair		 p;
	struct side_opts	 oa = { NULL, "dpd_action = \"clear\";", NULL };
	uint32_t		 uid;

	pair_init(&p, &oa, NULL);
	pair_establish(&p);
	uid = peer_dies(&p, 10);
	CU_ASSERT_PTR_NULL(ike_sa_by_uid(p.a.core, uid));
	CU_ASSERT_EQUAL(nsas(&p.a), 0);
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	CU_ASSERT_EQUAL(p.a.k.npol, 0);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_DOWN], 1);
	CU_ASSERT_EQUAL(ike_core_out_count(p.a.core), 0);	/* no restart */
	CU_ASSERT_EQUAL(ike_core_next_deadline(p.a.core), UINT64_MAX);
	pair_fini(&p);
}

static void
test_dpd_restart(void)
{
	struct pair		 p;
	struct side_opts	 oa = { NULL, "dpd_action = \"restart\";",
	    NULL };
	const struct ike_dgram	*d;
	uint32_t		 uid;

	pair_init(&p, &oa, NULL);
	pair_establish(&p);
	uid = peer_dies(&p, 10);
	CU_ASSERT_PTR_NULL(ike_sa_by_uid(p.a.core, uid));
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_DOWN], 1);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_CHILD_DOWN], 1);
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	/* closed, and a new IKE SA is on its way */
	CU_ASSERT_EQUAL_FATAL(nsas(&p.a), 1);
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_INIT_SENT);
	CU_ASSERT_STRING_EQUAL(first_sa(&p.a)->first_child, "net");
	d = ike_core_out_peek(p.a.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->buf[IKE_HDR_EXCH], IKE_EXCH_SA_INIT);
	/* the peer is back: the tunnel is up again */
	pair_run(&p);
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT_PTR_NOT_NULL(first_child(&p.a));
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_UP], 2);
	check_matching(&p);
	pair_fini(&p);
}

static void
test_dpd_none(void)
{
	struct pair		 p;
	struct side_opts	 oa = { NULL, "dpd_action = \"none\";", NULL };
	uint32_t		 uid, id;

	pair_init(&p, &oa, NULL);
	pair_establish(&p);
	id = first_sa(&p.a)->msgid_send;
	uid = peer_dies(&p, 8);		/* well past the 3 retransmits */
	CU_ASSERT_PTR_NOT_NULL_FATAL(ike_sa_by_uid(p.a.core, uid));
	CU_ASSERT_EQUAL(first_sa(&p.a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT(ike_core_stats(p.a.core)->retransmits > 3);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	CU_ASSERT_EQUAL(p.a.ev[IKE_EV_IKE_DOWN], 0);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.kind, IKE_REQ_DPD);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.msgid, id);	/* the same */
	/* the peer is back: the next retransmission is answered */
	p.now = ike_core_next_deadline(p.a.core);
	ike_core_tick(p.a.core, p.now);
	pair_run(&p);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.kind, IKE_REQ_NONE);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	check_matching(&p);
	pair_fini(&p);
}

/*
 * Write-ahead barriers (ike_core.h): each datagram waits for the last
 * event of its own IKE SA, none for a half-open SA's, and not for the
 * events of other SAs emitted since.
 */
static void
test_barriers(void)
{
	static const struct side_opts	 ob = {
		.conn = "unique = \"never\";"
	};
	struct pair		 p;
	struct side		 a2;
	const struct ike_dgram	*g;
	struct ike_sa		*sb1;
	char			 ca[PAIR_CONF_MAX];
	uint64_t		 seq, s1;
	uint32_t		 uid2;
	bool			 found;

	pair_init(&p, NULL, &ob);
	pair_establish(&p);
	sb1 = first_sa(&p.b);
	seq = ike_core_event_seq(p.b.core);
	CU_ASSERT(seq >= 2);			/* IKE_UP, CHILD_UP */
	CU_ASSERT_EQUAL(sb1->ev_last, seq);
	/* a second IKE SA from another initiator (A's twin): B's
	 * IKE_SA_INIT response follows no event */
	conf_fmt(ca, sizeof(ca), true, NULL);
	side_start(&a2, ca, PAIR_ADDR_A, 0x2468ace, 0xd0000000, NULL);
	CU_ASSERT_FATAL(ike_core_initiate(a2.core, "ab", NULL, p.now) > 0);
	CU_ASSERT_EQUAL_FATAL(pair_step(&p, &a2, &p.b, true), 1);
	g = ike_core_out_peek(p.b.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->ev_seq, 0);
	CU_ASSERT_NOT_EQUAL(g->ike_uid, 0);
	CU_ASSERT_NOT_EQUAL(g->ike_uid, sb1->uid);
	uid2 = g->ike_uid;
	CU_ASSERT_EQUAL_FATAL(pair_step(&p, &p.b, &a2, true), 1);
	/* A2's IKE_AUTH request: its SA is not up, nothing replicated */
	g = ike_core_out_peek(a2.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->ev_seq, 0);
	CU_ASSERT_EQUAL_FATAL(pair_step(&p, &a2, &p.b, true), 1);
	/* B's IKE_AUTH response: behind its own SA's events */
	g = ike_core_out_peek(p.b.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(g->ike_uid, uid2);
	CU_ASSERT_EQUAL(g->ev_seq, ike_core_event_seq(p.b.core));
	CU_ASSERT(g->ev_seq > seq);
	CU_ASSERT_EQUAL_FATAL(pair_step(&p, &p.b, &a2, true), 1);
	CU_ASSERT_EQUAL(nsas(&p.b), 2);
	CU_ASSERT_EQUAL(nsas(&a2), 1);
	/* B's DPD on the first SA, lost; then the second SA moves on */
	CU_ASSERT_EQUAL_FATAL(ike_core_dpd(p.b.core, sb1->uid, p.now), 0);
	s1 = sb1->ev_last;
	CU_ASSERT_EQUAL(pair_step(&p, &p.b, &p.a, false), 1);
	CU_ASSERT_FATAL(ike_core_rekey_child(p.b.core,
	    ike_sa_by_uid(p.b.core, uid2)->children->uid, p.now) == 0);
	CU_ASSERT(ike_core_event_seq(p.b.core) > s1);
	CU_ASSERT_EQUAL(pair_step(&p, &p.b, &p.a, false), 1);
	/* the DPD's retransmission waits for the first SA's events only */
	p.now = sb1->req.next_ms;
	ike_core_tick(p.b.core, p.now);
	found = false;
	while ((g = ike_core_out_peek(p.b.core)) != NULL) {
		if (g->ike_uid == sb1->uid) {
			found = true;
			CU_ASSERT_EQUAL(g->ev_seq, s1);
			CU_ASSERT(g->ev_seq < ike_core_event_seq(p.b.core));
		} else {	/* the second SA's rekey, retransmitted */
			CU_ASSERT_EQUAL(g->ike_uid, uid2);
			CU_ASSERT_EQUAL(g->ev_seq, ike_core_event_seq(
			    p.b.core));
		}
		ike_core_out_pop(p.b.core);
	}
	CU_ASSERT(found);
	side_fini(&a2);
	pair_fini(&p);
}

/* B's kernel behind the barrier (kernel_wa.h), as loop.c wires it. */
static uint64_t	 wa_upto;

static uint64_t
wa_upto_cb(void *arg)
{
	return wa_upto;
}

/* pair_run(), settling B's kernel requests after each of its calls, as
 * loop.c's out_drain() does. */
static void
run_settled(struct pair *p, struct kernel_wa *kw)
{
	int	 i, n;

	for (i = 0; i < 100; i++) {
		n = pair_step(p, &p->a, &p->b, true);
		kernel_wa_settle(kw, ike_core_event_seq(p->b.core));
		n += pair_step(p, &p->b, &p->a, true);
		if (n == 0)
			break;
	}
}

static void
test_kernel_behind_barrier(void)
{
	struct pair		 p;
	struct kernel_wa	 kw;
	struct child_sa		*cb;
	uint64_t		 up, seq;
	uint32_t		 old_in;

	pair_init(&p, NULL, NULL);
	kernel_wa_init(&kw, &kernel_rec_ops, &p.b.k, wa_upto_cb, NULL);
	p.b.core->env.kernel = kernel_wa_ops_for(&kw);
	p.b.core->env.kernel_arg = &kw;
	wa_upto = 0;			/* syncd there, nothing committed */
	CU_ASSERT_FATAL(ike_core_initiate(p.a.core, "ab", NULL, p.now) > 0);
	run_settled(&p, &kw);
	CU_ASSERT_EQUAL_FATAL(first_sa(&p.b)->state, IKE_S_ESTABLISHED);
	/* B's IKE_AUTH: IKE_UP (with the response), CHILD_UP; no IKE_MID */
	CU_ASSERT_EQUAL(ike_core_event_seq(p.b.core), 2);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_IKE_MID], 0);
	CU_ASSERT(first_sa(&p.b)->resp_valid);
	/* responder: the Child SA is up in the core, not in the kernel */
	cb = first_child(&p.b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cb);
	CU_ASSERT_EQUAL(p.b.k.nsa, 0);
	CU_ASSERT_EQUAL(p.b.k.npol, 0);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);	/* A installs at once */
	CU_ASSERT_EQUAL(kw.n, 5);	/* 2 SAs, in/out/fwd policies */
	/* IKE_UP alone committed: still nothing (they follow CHILD_UP) */
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_IKE_UP], 1);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, 1), 0);
	CU_ASSERT_EQUAL(kernel_wa_release(&kw, ike_core_event_seq(
	    p.b.core)), 5);
	check_matching(&p);
	CU_ASSERT_EQUAL(p.b.k.npol, 3);
	/* B's outbound SA went in at its first lease (sync.lease_packets,
	 * default 131072; soft a quarter below), A's (direct) unfenced */
	CU_ASSERT_EQUAL(kernel_rec_sa(&p.b.k, cb->spi_out)->lft.hard_packets,
	    131072);
	CU_ASSERT_EQUAL(kernel_rec_sa(&p.b.k, cb->spi_out)->lft.soft_packets,
	    98304);
	CU_ASSERT_EQUAL(kernel_rec_sa(&p.b.k, cb->spi_in)->lft.hard_packets, 0);
	CU_ASSERT_EQUAL(kernel_rec_sa(&p.a.k,
	    first_child(&p.a)->spi_out)->lft.hard_packets, 0);
	/* initiator of a Child SA rekey: the new SAs wait for their
	 * CHILD_REKEYED, the old ones' removal for their CHILD_DOWN */
	up = ike_core_event_seq(p.b.core);
	wa_upto = up;
	old_in = cb->spi_in;
	CU_ASSERT_EQUAL_FATAL(ike_core_rekey_child(p.b.core, cb->uid, p.now),
	    0);
	kernel_wa_settle(&kw, ike_core_event_seq(p.b.core));
	run_settled(&p, &kw);
	seq = ike_core_event_seq(p.b.core);
	CU_ASSERT(seq > up);
	CU_ASSERT_EQUAL(p.b.ev[IKE_EV_CHILD_REKEYED] +
	    p.a.ev[IKE_EV_CHILD_REKEYED], 2);
	CU_ASSERT_EQUAL(p.b.k.nsa, 2);		/* the old pair only */
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&p.b.k, old_in));
	CU_ASSERT(kw.n > 0);
	wa_upto = seq;
	CU_ASSERT(kernel_wa_release(&kw, seq) > 0);
	CU_ASSERT_EQUAL(kw.n, 0);
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&p.b.k, old_in));
	CU_ASSERT_EQUAL(p.b.k.nsa, 2);		/* the new pair */
	check_matching(&p);
	kernel_wa_fini(&kw);
	pair_fini(&p);
}

UNIT_SUITE(exch_more, "exch: NAT-T, traps, IKE rekey collision, dpd_action",
    { "NAT-T forced by the initiator (encap = yes)", test_natt_forced },
    { "NAT-T through a NAT rewriting address and ports", test_natt_nat },
    { "no NAT: no float, no encapsulation", test_natt_none },
    { "start_action = trap: acquire, restore, reload", test_trap },
    { "simultaneous IKE SA rekey", test_ike_rekey_collision },
    { "dpd_action = clear", test_dpd_clear },
    { "dpd_action = restart", test_dpd_restart },
    { "dpd_action = none", test_dpd_none },
    { "write-ahead barriers per IKE SA", test_barriers },
    { "kernel installs behind the barrier", test_kernel_behind_barrier });
