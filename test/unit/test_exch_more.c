/*
 * test/unit/test_exch_more.c -- two ikev2d protocol cores back to back in
 * memory (STYLE P9), for what test_exch_psk.c does not cover: NAT-T on
 * both roles, start_action = trap and kernel acquires, simultaneous IKE SA
 * rekeys (RFC 7296 2.8.2) and dpd_action.  The pair helpers are a trimmed
 * copy of test_exch_psk.c's, with a config that takes extra options and an
 * optional NAT between the two sides.
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
#include "unit.h"

#define NAT_PUB		"\xc6\x33\x64\x01"	/* 198.51.100.1 */
#define NAT_PORT_OFF	40000
#define IKE_HDR_EXCH	18			/* exchange type offset */

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

struct side {
	struct ike_core		*core;
	struct tnd_cfg		*cfg;
	struct kernel_rec	 k;
	struct sa_addr		 addr;
	uint64_t		 rng;
	unsigned int		 ev[IKE_EV_MAX];
	/* datagrams sent after IKE_SA_INIT, with / without the marker */
	unsigned int		 tx_marker, tx_plain;
	uint16_t		 last_sport, last_dport;
};

struct pair {
	struct side	 a, b;
	uint64_t	 now;
	bool		 nat;		/* A sits behind a NAT */
};

static int
t_random(void *arg, void *buf, size_t len)
{
	struct side	*s = arg;
	uint8_t		*p = buf;
	size_t		 i;

	for (i = 0; i < len; i++) {
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		p[i] = (uint8_t)(s->rng >> 24);
	}
	return 0;
}

static void
t_event(void *arg, const struct ike_event *ev)
{
	struct side	*s = arg;

	if (ev->type < IKE_EV_MAX)
		s->ev[ev->type]++;
}

static void
t_log(void *arg, const struct ike_log_msg *m)
{
	if (getenv("EXCH_LOG") != NULL)
		fprintf(stderr, "[%p] %s\n", arg, m->msg);
}

static struct tnd_cfg *
conf_load(const char *me, const char *peer, const char *myid,
    const char *peerid, const char *lts, const char *rts,
    const struct side_opts *o)
{
	struct tnd_cfg	*cfg = NULL;
	char		 conf[4096], err[CFG_ERR_MAX];

	snprintf(conf, sizeof(conf), CONF_FMT, me, o->remote != NULL ?
	    o->remote : peer, myid, peerid, o->conn != NULL ? o->conn : "",
	    lts, rts, o->child != NULL ? o->child : "", me);
	if (cfg_load_string(conf, "test.conf", &cfg, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "%s\n", err);
		CU_FAIL_FATAL("config");
	}
	return cfg;
}

/* A's config with other options (reload). */
static struct tnd_cfg *
conf_a(const struct side_opts *o)
{
	return conf_load("192.0.2.1", "192.0.2.2", "a.example", "b.example",
	    "10.1.0.0/24", "10.2.0.0/24", o);
}

static void
side_init(struct side *s, const char *me, const char *peer,
    const char *myid, const char *peerid, const char *lts, const char *rts,
    const struct side_opts *o, uint64_t seed, uint32_t spi_base)
{
	struct ike_core_env	 env;

	memset(s, 0, sizeof(*s));
	s->cfg = conf_load(me, peer, myid, peerid, lts, rts, o);
	kernel_rec_init(&s->k, spi_base);
	s->rng = seed;
	s->addr.family = CFG_AF_INET;
	sscanf(me, "%hhu.%hhu.%hhu.%hhu", &s->addr.addr[0], &s->addr.addr[1],
	    &s->addr.addr[2], &s->addr.addr[3]);
	s->addr.port = 500;
	memset(&env, 0, sizeof(env));
	env.kernel = &kernel_rec_ops;
	env.kernel_arg = &s->k;
	env.event = t_event;
	env.log = t_log;
	env.random = t_random;
	env.arg = s;
	s->core = ike_core_new(s->cfg, &env, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->core);
}

static void
pair_init(struct pair *p, const struct side_opts *oa,
    const struct side_opts *ob)
{
	static const struct side_opts	 none;

	memset(p, 0, sizeof(*p));
	p->now = 1000000;
	side_init(&p->a, "192.0.2.1", "192.0.2.2", "a.example", "b.example",
	    "10.1.0.0/24", "10.2.0.0/24", oa != NULL ? oa : &none, 0x1234567,
	    0xa0000000);
	side_init(&p->b, "192.0.2.2", "192.0.2.1", "b.example", "a.example",
	    "10.2.0.0/24", "10.1.0.0/24", ob != NULL ? ob : &none, 0x7654321,
	    0xb0000000);
}

static void
pair_fini(struct pair *p)
{
	ike_core_free(p->a.core);
	ike_core_free(p->b.core);
	cfg_free(p->a.cfg);
	cfg_free(p->b.cfg);
	kernel_rec_fini(&p->a.k);
	kernel_rec_fini(&p->b.k);
}

/*
 * Deliver (or drop) one datagram from -> to; returns 1 if there was one.
 * With p->nat, A's datagrams leave from NAT_PUB with their source port
 * moved up by NAT_PORT_OFF, and B's answers to that mapping come back to
 * A's real address and port: the NAT changes addresses *and* ports.
 */
static int
step(struct pair *p, struct side *from, struct side *to, bool deliver)
{
	const struct ike_dgram	*d;
	struct sa_addr		 src, dst;

	if ((d = ike_core_out_peek(from->core)) == NULL)
		return 0;
	src = d->local;
	dst = d->remote;
	if (d->len > IKE_HDR_EXCH && d->buf[IKE_HDR_EXCH] !=
	    IKE_EXCH_SA_INIT) {
		if (d->marker)
			from->tx_marker++;
		else
			from->tx_plain++;
	}
	from->last_sport = src.port;
	from->last_dport = dst.port;
	if (p->nat && from == &p->a) {
		memcpy(src.addr, NAT_PUB, 4);
		src.port = (uint16_t)(src.port + NAT_PORT_OFF);
	} else if (p->nat && from == &p->b) {
		CU_ASSERT(memcmp(dst.addr, NAT_PUB, 4) == 0);
		memcpy(dst.addr, p->a.addr.addr, 4);
		CU_ASSERT(dst.port > NAT_PORT_OFF);
		dst.port = (uint16_t)(dst.port - NAT_PORT_OFF);
	} else
		CU_ASSERT(dst.addr[3] == to->addr.addr[3]);
	if (deliver)
		ike_core_input(to->core, &dst, &src, d->buf, d->len, p->now);
	ike_core_out_pop(from->core);
	return 1;
}

/* Deliver everything both ways until quiet. */
static void
run(struct pair *p)
{
	int	 i, n;

	for (i = 0; i < 100; i++) {
		n = step(p, &p->a, &p->b, true);
		n += step(p, &p->b, &p->a, true);
		if (n == 0)
			return;
	}
	CU_FAIL("exchanges did not settle");
}

static struct ike_sa *
first_sa(struct side *s)
{
	return s->core->sas;
}

static size_t
nsas(struct side *s)
{
	return ike_core_stats(s->core)->ike_sas;
}

static struct child_sa *
first_child(struct side *s)
{
	return s->core->sas != NULL ? s->core->sas->children : NULL;
}

static void
establish(struct pair *p)
{
	CU_ASSERT_FATAL(ike_core_initiate(p->a.core, "ab", NULL, p->now) > 0);
	run(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_sa(&p->a));
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_sa(&p->b));
	CU_ASSERT_EQUAL_FATAL(first_sa(&p->a)->state, IKE_S_ESTABLISHED);
	CU_ASSERT_EQUAL_FATAL(first_sa(&p->b)->state, IKE_S_ESTABLISHED);
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
	establish(&p);
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
	run(&p);
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
	establish(&p);
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
	establish(&p);
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
	run(&p);
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
	run(&p);
	CU_ASSERT_PTR_NULL(first_child(&p.a));
	CU_ASSERT_EQUAL(p.a.k.nsa, 0);
	check_policies(&p.a, reqid, &p.a.addr, &p.b.addr);
	CU_ASSERT_EQUAL(p.b.k.npol, 0);

	/* next packet: a CREATE_CHILD_SA over the IKE SA that is up */
	CU_ASSERT_EQUAL(ike_core_kernel_acquire(p.a.core, reqid, p.now), 0);
	run(&p);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(first_child(&p.a));
	CU_ASSERT_EQUAL(first_child(&p.a)->reqid, reqid);
	CU_ASSERT_EQUAL(p.a.k.nsa, 2);
	check_matching(&p);

	/* the IKE SA goes: its Child SA with it, the trap stays */
	ike_core_delete_ike(p.a.core, first_sa(&p.a)->uid, p.now);
	run(&p);
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
	establish(&p);
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
	run(&p);
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
	run(&p);
	check_matching(&p);
	ike_core_rekey_child(p.a.core, first_child(&p.a)->uid, p.now);
	run(&p);
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
		while (step(p, &p->a, &p->b, false))
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
	establish(&p);
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
	establish(&p);
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
	run(&p);
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
	establish(&p);
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
	run(&p);
	CU_ASSERT_EQUAL(first_sa(&p.a)->req.kind, IKE_REQ_NONE);
	CU_ASSERT_EQUAL(nsas(&p.a), 1);
	check_matching(&p);
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
    { "dpd_action = none", test_dpd_none });
