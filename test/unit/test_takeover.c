/*
 * test/unit/test_takeover.c -- a standby core takes a VIP group's SAs
 * over from replicated records, and gives them up (ike_takeover.c).
 *
 *   P 192.0.2.1 (peer, initiator)  <---- IKE ---->  A 192.0.2.2 (master)
 *                                                    | events = records,
 *                                                    v as syncd keeps them
 *                                                   B 192.0.2.2 (standby,
 *                                                     then the new master)
 *
 * A's SA events are kept as syncd would keep them (latest gen per SA,
 * wall-clock times) and imported into B; A then "dies" (its core is no
 * longer fed), and P talks to B instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/cfg.h"
#include "tandem/sa_rec.h"
#include "tandem/secbuf.h"
#include "tandem/syncmsg.h"
#include "../../ikev2d/child_sa.h"
#include "../../ikev2d/ike_const.h"
#include "../../ikev2d/ike_core.h"
#include "../../ikev2d/ike_sa.h"
#include "../../ikev2d/kernel_rec.h"
#include "exch_pair.h"
#include "unit.h"

#define WALL_OFF	1700000000000LL	/* records: wall = mono + this */
#define N_IKE		4
#define N_CHILD		8
#define OUT_END		50000		/* replicated lease end */
#define IN_TOP		1234
#define IN_BITMAP	0xfff0ffffu
/* a clean (make-before-break) activation starts one lease further on */
#define CLEAN_SKIP	131072

#define CONF_SIDE \
"ike = {\n" \
"  retransmit_timeout = \"1s\";\n" \
"  retransmit_tries = 3;\n" \
"  connections = {\n" \
"    ab = {\n" \
"      vip_group = \"vg1\";\n" \
"      local_addrs = \"%s\"; remote_addrs = \"%s\";\n" \
"      local = { auth = \"psk\"; id = \"%s\"; };\n" \
"      remote = { auth = \"psk\"; id = \"%s\"; };\n" \
"      proposals = [ \"aes128gcm16-prfsha256-x25519\" ];\n" \
"      dpd_delay = \"%s\";\n" \
"      children = {\n" \
"        net = { local_ts = \"%s\"; remote_ts = \"%s\";\n" \
"          esp_proposals = [ \"aes128gcm16\" ]; };\n" \
"        net2 = { local_ts = \"%s\"; remote_ts = \"%s\";\n" \
"          esp_proposals = [ \"aes256gcm16\" ]; };\n" \
"      };\n" \
"    };\n" \
"    cd = {\n" \
"      vip_group = \"vg2\";\n" \
"      local_addrs = \"192.0.2.3\"; remote_addrs = \"192.0.2.9\";\n" \
"      local = { auth = \"psk\"; id = \"%s\"; };\n" \
"      remote = { auth = \"psk\"; id = \"c.example\"; };\n" \
"      children = { n = { local_ts = \"10.9.0.0/24\";\n" \
"        remote_ts = \"10.8.0.0/24\"; }; };\n" \
"    };\n" \
"  };\n" \
"  secrets = { s1 = { type = \"ike\"; id = [ \"a.example\", " \
"\"b.example\" ];\n" \
"    secret = \"0x0102030405\"; }; };\n" \
"};\n" \
"ha = { takeover_rekey_spread = \"10s\";\n" \
"  groups = {\n" \
"    vg1 = { vrid = 1; interface = \"eth0\"; vips = [ \"%s/24\" ]; };\n" \
"    vg2 = { vrid = 2; interface = \"eth0\"; vips = [ \"192.0.2.3/24\" ]; };\n" \
"  };\n" \
"};\n"

/* What syncd would hold of A's SAs: the latest record of each. */
struct store {
	struct sa_ike	 ike[N_IKE];
	bool		 ike_used[N_IKE];
	struct sa_child	 child[N_CHILD];
	bool		 child_used[N_CHILD];
	uint64_t	 max_gen;		/* of every record kept */
	unsigned int	 events;
	uint64_t	 min_seq;		/* of events seen, 0: none */
};

struct tk {
	struct pair	 p;		/* a = P, b = A (the old master) */
	struct side	 nb;		/* B, the standby */
	struct store	*st;		/* A's records */
	struct store	*bst;		/* B's events after the takeover */
	uint8_t		 req[2048], resp[2048];	/* P's last DPD, A's answer */
	size_t		 req_len, resp_len;
	uint64_t	 imported_max;
};

static uint64_t
wall(uint64_t mono)
{
	return mono == 0 ? 0 : mono + (uint64_t)WALL_OFF;
}

static void
store_event(void *arg, const struct ike_event *ev)
{
	struct store	*s = arg;
	struct sa_ike	*r;
	struct sa_child	*c;
	size_t		 i, fr;

	s->events++;
	if (s->min_seq == 0 || ev->seq < s->min_seq)
		s->min_seq = ev->seq;
	switch (ev->type) {
	case IKE_EV_IKE_UP:
	case IKE_EV_IKE_REKEYED:
	case IKE_EV_IKE_MID:
	case IKE_EV_IKE_DOWN:
		for (i = 0, fr = N_IKE; i < N_IKE; i++) {
			if (!s->ike_used[i]) {
				fr = fr == N_IKE ? i : fr;
				continue;
			}
			if (memcmp(s->ike[i].spi_i, ev->ike->spi_i, 8) == 0 &&
			    memcmp(s->ike[i].spi_r, ev->ike->spi_r, 8) == 0)
				break;
		}
		if (ev->type == IKE_EV_IKE_DOWN) {
			if (i < N_IKE)
				s->ike_used[i] = false;
			return;
		}
		if (i == N_IKE)
			i = fr;
		CU_ASSERT_FATAL(i < N_IKE);
		if (s->ike_used[i] && ev->ike->gen <= s->ike[i].gen)
			return;
		r = &s->ike[i];
		*r = *ev->ike;
		r->established_ms = wall(r->established_ms);
		r->rekey_ms = wall(r->rekey_ms);
		s->ike_used[i] = true;
		if (r->gen > s->max_gen)
			s->max_gen = r->gen;
		return;
	case IKE_EV_CHILD_UP:
	case IKE_EV_CHILD_REKEYED:
	case IKE_EV_CHILD_DOWN:
		for (i = 0, fr = N_CHILD; i < N_CHILD; i++) {
			if (!s->child_used[i]) {
				fr = fr == N_CHILD ? i : fr;
				continue;
			}
			if (s->child[i].spi_in == ev->child->spi_in)
				break;
		}
		if (ev->type == IKE_EV_CHILD_DOWN) {
			if (i < N_CHILD)
				s->child_used[i] = false;
			return;
		}
		if (i == N_CHILD)
			i = fr;
		CU_ASSERT_FATAL(i < N_CHILD);
		c = &s->child[i];
		*c = *ev->child;
		c->installed_ms = wall(c->installed_ms);
		c->rekey_ms = wall(c->rekey_ms);
		s->child_used[i] = true;
		if (c->gen > s->max_gen)
			s->max_gen = c->gen;
		return;
	default:
		return;
	}
}

static void
store_free(struct store *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < N_IKE; i++)
		sa_ike_wipe(&s->ike[i]);
	for (i = 0; i < N_CHILD; i++)
		sa_child_wipe(&s->child[i]);
	free(s);
}

static void
conf_side(char *buf, size_t len, bool peer)
{
	if (peer)
		snprintf(buf, len, CONF_SIDE, PAIR_ADDR_A, PAIR_ADDR_B,
		    "a.example", "b.example", "0s", "10.1.0.0/24",
		    "10.2.0.0/24", "10.3.0.0/24", "10.4.0.0/24", "a.example",
		    PAIR_ADDR_A);
	else
		snprintf(buf, len, CONF_SIDE, PAIR_ADDR_B, PAIR_ADDR_A,
		    "b.example", "a.example", "30s", "10.2.0.0/24",
		    "10.1.0.0/24", "10.4.0.0/24", "10.3.0.0/24", "b.example",
		    PAIR_ADDR_B);
}

/* Deliver both ways between P and x until quiet. */
static void
run_px(struct tk *t, struct side *x)
{
	int	 i, n;

	for (i = 0; i < 100; i++) {
		n = pair_step(&t->p, &t->p.a, x, true);
		n += pair_step(&t->p, x, &t->p.a, true);
		if (n == 0)
			return;
	}
	CU_FAIL("exchanges did not settle");
}

static struct child_sa *
child_named(struct side *s, const char *name)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	for (sa = s->core->sas; sa != NULL; sa = sa->next)
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (strcmp(ch->name, name) == 0)
				return ch;
	return NULL;
}

/*
 * P and A establish the IKE SA with children net and net2, and one DPD
 * (captured); A's records get counters as syncd's lease and replay
 * records would have left them; B starts standby and imports them.
 */
static void
tk_setup(struct tk *t)
{
	struct ike_core_limits	 lim;
	const struct ike_dgram	*d;
	char			 cp[PAIR_CONF_MAX], ca[PAIR_CONF_MAX];
	size_t			 i;

	memset(t, 0, sizeof(*t));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->st = calloc(1, sizeof(*t->st)));
	CU_ASSERT_PTR_NOT_NULL_FATAL(t->bst = calloc(1, sizeof(*t->bst)));
	conf_side(cp, sizeof(cp), true);
	conf_side(ca, sizeof(ca), false);
	pair_start(&t->p, cp, ca);
	t->p.b.on_event = store_event;
	t->p.b.on_event_arg = t->st;
	CU_ASSERT_FATAL(ike_core_initiate(t->p.a.core, "ab", "net",
	    t->p.now) > 0);
	pair_run(&t->p);
	CU_ASSERT_FATAL(ike_core_initiate(t->p.a.core, "ab", "net2",
	    t->p.now) > 0);
	pair_run(&t->p);
	CU_ASSERT_EQUAL_FATAL(ike_core_stats(t->p.b.core)->child_sas, 2);
	/* a DPD from P: its bytes and A's answer are kept */
	CU_ASSERT_EQUAL_FATAL(ike_core_dpd(t->p.a.core,
	    first_sa(&t->p.a)->uid, t->p.now), 0);
	d = ike_core_out_peek(t->p.a.core);
	CU_ASSERT_FATAL(d != NULL && d->len <= sizeof(t->req));
	memcpy(t->req, d->buf, d->len);
	t->req_len = d->len;
	pair_step(&t->p, &t->p.a, &t->p.b, true);
	d = ike_core_out_peek(t->p.b.core);
	CU_ASSERT_FATAL(d != NULL && d->len <= sizeof(t->resp));
	memcpy(t->resp, d->buf, d->len);
	t->resp_len = d->len;
	pair_run(&t->p);
	/* what syncd's counter records would have made of them */
	for (i = 0; i < N_CHILD; i++)
		if (t->st->child_used[i]) {
			t->st->child[i].ctr.out_end = OUT_END + i;
			t->st->child[i].ctr.in_top = IN_TOP;
			t->st->child[i].ctr.in_bitmap = IN_BITMAP;
			t->st->child[i].ctr.gen = 3;
		}
	memset(&lim, 0, sizeof(lim));
	lim.start_standby = true;
	side_start(&t->nb, ca, PAIR_ADDR_B, 0x5555aaaa, 0xc0000000, &lim);
	t->nb.on_event = store_event;
	t->nb.on_event_arg = t->bst;
	t->imported_max = t->st->max_gen;
}

static void
tk_import(struct tk *t)
{
	size_t	 i;

	for (i = 0; i < N_IKE; i++)
		if (t->st->ike_used[i])
			CU_ASSERT_EQUAL(ike_core_import_ike(t->nb.core,
			    &t->st->ike[i], -WALL_OFF), 0);
	for (i = 0; i < N_CHILD; i++)
		if (t->st->child_used[i])
			CU_ASSERT_EQUAL(ike_core_import_child(t->nb.core,
			    &t->st->child[i], -WALL_OFF), 0);
}

static void
tk_fini(struct tk *t)
{
	side_fini(&t->nb);
	pair_fini(&t->p);
	store_free(t->st);
	store_free(t->bst);
}

/*
 * The takeover emitted one CHILD_UP per resumed Child SA, newer than the
 * replicas, whose lease ends one lease past the kernel's start: what
 * syncd replicates before a second takeover could reuse those numbers.
 */
static void
check_own_lease(struct tk *t)
{
	size_t	 i, j, n = 0;

	for (i = 0; i < N_CHILD; i++) {
		if (!t->st->child_used[i])
			continue;
		for (j = 0; j < N_CHILD; j++)
			if (t->bst->child_used[j] &&
			    t->bst->child[j].spi_in == t->st->child[i].spi_in)
				break;
		CU_ASSERT_FATAL(j < N_CHILD);
		n++;
		CU_ASSERT_EQUAL(t->bst->child[j].ctr.out_end,
		    t->st->child[i].ctr.out_end + CLEAN_SKIP + 131072);
		CU_ASSERT(t->bst->child[j].gen > t->imported_max);
	}
	CU_ASSERT_EQUAL(t->bst->events, n);
	CU_ASSERT(n >= 2);
}

/* A's record of each Child SA is in B's kernel as the takeover wants it. */
static void
check_installed(struct tk *t)
{
	const struct kernel_sa	*ko, *ki, *ao, *ai;
	const struct sa_child	*r;
	size_t			 i, j, n = 0;

	for (i = 0; i < N_CHILD; i++) {
		if (!t->st->child_used[i])
			continue;
		r = &t->st->child[i];
		n++;
		ko = kernel_rec_sa(&t->nb.k, r->spi_out);
		ki = kernel_rec_sa(&t->nb.k, r->spi_in);
		ao = kernel_rec_sa(&t->p.b.k, r->spi_out);
		ai = kernel_rec_sa(&t->p.b.k, r->spi_in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ko);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ki);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ao);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ai);
		/* guarantee 1: past the lease end, and past A's oseq */
		CU_ASSERT_EQUAL(ko->oseq, r->ctr.out_end + CLEAN_SKIP);
		CU_ASSERT(ko->oseq > ao->oseq);
		CU_ASSERT_EQUAL(ko->replay_window, 0);
		/* guarantee 2: the replicated replay state */
		CU_ASSERT_EQUAL(ki->seq, IN_TOP);
		CU_ASSERT_EQUAL(ki->replay_bitmap, IN_BITMAP);
		CU_ASSERT_EQUAL(ki->replay_window, ai->replay_window);
		CU_ASSERT_EQUAL(ki->replay_window, 32);
		CU_ASSERT_EQUAL(ki->oseq, 0);
		/* the same SAs as A's: keys, algorithm, addresses, reqid */
		CU_ASSERT_EQUAL(ko->enc_key_len, ao->enc_key_len);
		CU_ASSERT(memcmp(ko->enc_key, ao->enc_key, ao->enc_key_len) ==
		    0);
		CU_ASSERT(memcmp(ki->enc_key, ai->enc_key, ai->enc_key_len) ==
		    0);
		CU_ASSERT_EQUAL(ko->encr, ao->encr);
		CU_ASSERT_EQUAL(ko->encr_bits, ao->encr_bits);
		CU_ASSERT_EQUAL(ki->reqid, ai->reqid);
		CU_ASSERT(memcmp(&ko->dst, &ao->dst, sizeof(ko->dst)) == 0);
		CU_ASSERT(memcmp(&ki->src, &ai->src, sizeof(ki->src)) == 0);
		CU_ASSERT_EQUAL(ko->tunnel, ao->tunnel);
		CU_ASSERT_EQUAL(ko->esn, ao->esn);
		CU_ASSERT_EQUAL(ko->encap, ao->encap);
	}
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(t->nb.k.nsa, 4);
	/* the policies a fresh install makes: in/out/fwd per child */
	CU_ASSERT_EQUAL(t->nb.k.npol, 6);
	CU_ASSERT_EQUAL(t->nb.k.npol, t->p.b.k.npol);
	for (i = 0; i < t->nb.k.npol; i++) {
		for (j = 0; j < t->p.b.k.npol; j++)
			if (memcmp(&t->nb.k.pol[i], &t->p.b.k.pol[j],
			    sizeof(t->nb.k.pol[i])) == 0)
				break;
		CU_ASSERT(j < t->p.b.k.npol);	/* one of A's, exactly */
	}
}

static void
test_import_passive(void)
{
	struct tk		 t;
	struct ike_group_status	 gs;

	tk_setup(&t);
	CU_ASSERT_EQUAL(ike_core_group_state(t.nb.core, "vg1"),
	    IKE_GROUP_STANDBY);
	CU_ASSERT_EQUAL(ike_core_group_state(t.nb.core, "nope"), -1);
	tk_import(&t);
	/* imported, but nothing in the kernel, nothing sent or emitted */
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->imported, 3);
	CU_ASSERT_EQUAL(t.nb.k.n_add_sa + t.nb.k.n_add_pol, 0);
	CU_ASSERT_EQUAL(t.nb.k.n_alloc, 0);
	CU_ASSERT_EQUAL(ike_core_out_count(t.nb.core), 0);
	CU_ASSERT_EQUAL(t.bst->events, 0);
	CU_ASSERT_EQUAL(ike_core_next_deadline(t.nb.core), UINT64_MAX);
	CU_ASSERT_EQUAL(ike_core_event_seq(t.nb.core), t.imported_max);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_status(t.nb.core, 0, &gs), 0);
	CU_ASSERT_STRING_EQUAL(gs.name, "vg1");
	CU_ASSERT_EQUAL(gs.state, IKE_GROUP_STANDBY);
	CU_ASSERT_EQUAL(gs.ike_sas, 1);
	CU_ASSERT_EQUAL(gs.child_sas, 2);
	CU_ASSERT_EQUAL(ike_core_group_status(t.nb.core, 2, &gs), -1);
	/* a standby answers nothing: not the retransmission either */
	CU_ASSERT(ike_core_input(t.nb.core, &t.nb.addr, &t.p.a.addr, t.req,
	    t.req_len, t.p.now) < 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->drops[IKE_DROP_STANDBY],
	    1);
	CU_ASSERT_EQUAL(ike_core_out_count(t.nb.core), 0);
	/* nor initiates, nor takes commands for the group's SAs */
	CU_ASSERT_EQUAL(ike_core_initiate(t.nb.core, "ab", NULL, t.p.now), -1);
	CU_ASSERT_EQUAL(ike_core_dpd(t.nb.core, first_sa(&t.nb)->uid,
	    t.p.now), -1);
	CU_ASSERT_EQUAL(ike_core_rekey_child(t.nb.core,
	    first_child(&t.nb)->uid, t.p.now), -1);
	CU_ASSERT_EQUAL(ike_core_start_all(t.nb.core, t.p.now), 0);
	CU_ASSERT_EQUAL(ike_core_out_count(t.nb.core), 0);
	/* the same records again: not newer, ignored */
	CU_ASSERT_EQUAL(ike_core_import_ike(t.nb.core, &t.st->ike[0],
	    -WALL_OFF), 1);
	tk_fini(&t);
}

static void
test_activate_resume(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;
	const struct ike_dgram		*d;
	struct child_sa			*ch;
	struct ike_sa			*b;
	uint32_t			 old_in, recv0;
	uint64_t			 now;

	tk_setup(&t);
	tk_import(&t);
	/* A is gone: P now talks to B */
	now = t.p.now += 2000;
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, now, &st), 0);
	CU_ASSERT_EQUAL(st.ike_sas, 1);
	CU_ASSERT_EQUAL(st.child_sas, 2);
	CU_ASSERT_EQUAL(st.kernel_sas, 4);
	CU_ASSERT_EQUAL(st.failures, 0);
	CU_ASSERT_EQUAL(st.rekeys, 0);
	CU_ASSERT_EQUAL(st.ctr_guessed, 0);
	CU_ASSERT_EQUAL(ike_core_group_state(t.nb.core, "vg1"),
	    IKE_GROUP_ACTIVE);
	CU_ASSERT_EQUAL(ike_core_group_activate(t.nb.core, "vg1", false, now,
	    &st), 1);
	CU_ASSERT_EQUAL(ike_core_group_activate(t.nb.core, "nope", false, now,
	    &st), -1);
	check_installed(&t);
	/* one batch for the whole group, closed */
	CU_ASSERT_EQUAL(t.nb.k.n_batches, 1);
	CU_ASSERT(!t.nb.k.in_batch);
	CU_ASSERT_EQUAL(st.kernel_errors, 0);
	/* nothing sent; one CHILD_UP per Child SA: its own lease, newer */
	CU_ASSERT_EQUAL(ike_core_out_count(t.nb.core), 0);
	check_own_lease(&t);
	/* timers re-armed: DPD a dpd_delay from now, nothing overdue */
	CU_ASSERT_EQUAL(ike_core_next_deadline(t.nb.core), now + 30000);

	/* P retransmits its last request: A's answer, byte for byte */
	b = first_sa(&t.nb);
	recv0 = b->msgid_recv;
	CU_ASSERT_EQUAL(ike_core_input(t.nb.core, &t.nb.addr, &t.p.a.addr,
	    t.req, t.req_len, now), 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->resp_cache_hits, 1);
	d = ike_core_out_peek(t.nb.core);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->len, t.resp_len);
	UNIT_ASSERT_BYTES(d->buf, t.resp, t.resp_len);
	ike_core_out_pop(t.nb.core);
	CU_ASSERT_EQUAL(b->msgid_recv, recv0);

	/* a DPD from P: answered with the ID P expects */
	CU_ASSERT_EQUAL(ike_core_dpd(t.p.a.core, first_sa(&t.p.a)->uid, now),
	    0);
	run_px(&t, &t.nb);
	CU_ASSERT_EQUAL(first_sa(&t.p.a)->req.kind, IKE_REQ_NONE);
	CU_ASSERT_EQUAL(b->msgid_recv, recv0 + 1);
	CU_ASSERT_EQUAL(ike_core_stats(t.p.a.core)->drops[IKE_DROP_SK], 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.p.a.core)->
	    drops[IKE_DROP_RESP_UNEXPECTED], 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->drops[IKE_DROP_MSGID_OLD] +
	    ike_core_stats(t.nb.core)->drops[IKE_DROP_MSGID_FUTURE], 0);
	/* gen continuity: B's events are newer than every replica */
	CU_ASSERT(t.bst->events >= 1);
	CU_ASSERT(t.bst->min_seq > t.imported_max);
	CU_ASSERT(t.bst->max_gen > t.imported_max);

	/* a Child rekey from P ... */
	ch = child_named(&t.nb, "net");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
	old_in = ch->spi_in;
	CU_ASSERT_EQUAL(ike_core_rekey_child(t.p.a.core,
	    child_named(&t.p.a, "net")->uid, now), 0);
	run_px(&t, &t.nb);
	ch = child_named(&t.nb, "net");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
	CU_ASSERT(ch->spi_in != old_in);
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&t.nb.k, old_in));
	CU_ASSERT_EQUAL(ch->spi_out, child_named(&t.p.a, "net")->spi_in);
	CU_ASSERT_EQUAL(t.nb.ev[IKE_EV_CHILD_REKEYED], 1);
	/* a fresh SA starts at 0 */
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, ch->spi_out)->oseq, 0);
	CU_ASSERT_EQUAL(t.nb.k.npol, 6);		/* policies stayed */
	/* ... and one from B */
	ch = child_named(&t.nb, "net2");
	old_in = ch->spi_in;
	CU_ASSERT_EQUAL(ike_core_rekey_child(t.nb.core, ch->uid, now), 0);
	run_px(&t, &t.nb);
	ch = child_named(&t.nb, "net2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
	CU_ASSERT(ch->spi_in != old_in);
	CU_ASSERT_EQUAL(ch->spi_in, child_named(&t.p.a, "net2")->spi_out);
	CU_ASSERT_EQUAL(t.nb.ev[IKE_EV_CHILD_REKEYED], 2);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 4);
	CU_ASSERT_EQUAL(t.p.a.ev[IKE_EV_IKE_DOWN], 0);
	CU_ASSERT_EQUAL(t.p.a.ev[IKE_EV_IKE_UP], 1);	/* no renegotiation */
	CU_ASSERT_EQUAL(ike_core_stats(t.p.a.core)->ike_sas, 1);
	/* the resumed IKE SA rekeys itself too (its SK_d, PRF, KE group) */
	CU_ASSERT_EQUAL(ike_core_rekey_ike(t.nb.core, first_sa(&t.nb)->uid,
	    now), 0);
	run_px(&t, &t.nb);
	CU_ASSERT_EQUAL(t.nb.ev[IKE_EV_IKE_REKEYED], 1);
	CU_ASSERT_EQUAL(t.p.a.ev[IKE_EV_IKE_REKEYED], 1);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->ike_sas, 1);
	CU_ASSERT_EQUAL(ike_core_stats(t.p.a.core)->ike_sas, 1);
	CU_ASSERT(secbuf_eq(first_sa(&t.nb)->keys.sk_d,
	    first_sa(&t.p.a)->keys.sk_d));
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->child_sas, 2);
	tk_fini(&t);
}

static void
test_standby_removes(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;
	unsigned int			 del_sa, del_pol, add_sa, add_pol;
	unsigned int			 ev;

	tk_setup(&t);
	tk_import(&t);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 4);
	del_sa = t.nb.k.n_del_sa;
	del_pol = t.nb.k.n_del_pol;
	add_sa = t.nb.k.n_add_sa;
	add_pol = t.nb.k.n_add_pol;
	ev = t.bst->events;
	CU_ASSERT_EQUAL(ike_core_group_standby(t.nb.core, "vg1", t.p.now), 1);
	CU_ASSERT_EQUAL(t.nb.k.n_batches, 2);
	CU_ASSERT(!t.nb.k.in_batch);
	/* exactly what the activation installed, and nothing more */
	CU_ASSERT_EQUAL(t.nb.k.nsa, 0);
	CU_ASSERT_EQUAL(t.nb.k.npol, 0);
	CU_ASSERT_EQUAL(t.nb.k.n_del_sa - del_sa, add_sa);
	CU_ASSERT_EQUAL(t.nb.k.n_del_pol - del_pol, add_pol);
	CU_ASSERT_EQUAL(t.bst->events, ev);		/* no DOWN event */
	CU_ASSERT_EQUAL(ike_core_out_count(t.nb.core), 0);	/* no Delete */
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->ike_sas, 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->child_sas, 0);
	CU_ASSERT_EQUAL(ike_core_group_state(t.nb.core, "vg1"),
	    IKE_GROUP_STANDBY);
	CU_ASSERT_EQUAL(ike_core_group_standby(t.nb.core, "nope", t.p.now),
	    -1);
	CU_ASSERT_EQUAL(ike_core_initiate(t.nb.core, "ab", NULL, t.p.now), -1);
	/* and it can take them over again from the same records */
	tk_import(&t);
	CU_ASSERT_EQUAL(ike_core_group_activate(t.nb.core, "vg1", false,
	    t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.child_sas, 2);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 4);
	tk_fini(&t);
}

static void
test_import_refused(void)
{
	struct tk		 t;
	struct sa_ike		*r;
	struct sa_child		 c;
	const struct ike_core_stats *cs;

	tk_setup(&t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r = malloc(sizeof(*r)));
	cs = ike_core_stats(t.nb.core);
#define IKE_REFUSED(mutate, err) do {					\
	*r = t.st->ike[0];						\
	mutate;								\
	CU_ASSERT_EQUAL(ike_core_import_ike(t.nb.core, r, -WALL_OFF),	\
	    -1 - (err));						\
} while (0)
	IKE_REFUSED(r->gen = 0, IKE_IMP_MALFORMED);
	IKE_REFUSED(memset(r->spi_r, 0, 8), IKE_IMP_MALFORMED);
	IKE_REFUSED(r->role = 7, IKE_IMP_MALFORMED);
	IKE_REFUSED(r->resp_len = SA_RESP_MAX + 1, IKE_IMP_MALFORMED);
	IKE_REFUSED(memset(r->conn, 'x', sizeof(r->conn)), IKE_IMP_MALFORMED);
	IKE_REFUSED(r->local.family = 99, IKE_IMP_MALFORMED);
	IKE_REFUSED(snprintf(r->conn, sizeof(r->conn), "zz"),
	    IKE_IMP_NO_CONN);
	/* a foreign record: another group's connection */
	IKE_REFUSED(snprintf(r->conn, sizeof(r->conn), "cd"), IKE_IMP_GROUP);
	IKE_REFUSED(snprintf(r->group, sizeof(r->group), "vg2"),
	    IKE_IMP_GROUP);
	IKE_REFUSED(r->encr = 999, IKE_IMP_XFORM);
	IKE_REFUSED(r->prf = 0, IKE_IMP_XFORM);
	IKE_REFUSED(r->sk_ei.len--, IKE_IMP_KEYS);
	IKE_REFUSED(r->sk_d.len = SA_KEY_MAX, IKE_IMP_KEYS);
	IKE_REFUSED(r->sk_ai.len = 32, IKE_IMP_KEYS);	/* AEAD: none */
	CU_ASSERT_EQUAL(cs->import_refused[IKE_IMP_MALFORMED], 6);
	CU_ASSERT_EQUAL(cs->import_refused[IKE_IMP_KEYS], 3);
	CU_ASSERT_EQUAL(cs->imported, 0);
	CU_ASSERT_EQUAL(cs->ike_sas, 0);

	/* a Child SA before its IKE SA */
	c = t.st->child[0];
	CU_ASSERT_EQUAL(ike_core_import_child(t.nb.core, &c, -WALL_OFF),
	    -1 - IKE_IMP_NO_IKE);
	CU_ASSERT_EQUAL(ike_core_import_ike(t.nb.core, &t.st->ike[0],
	    -WALL_OFF), 0);
#define CHILD_REFUSED(mutate, err) do {					\
	c = t.st->child[0];						\
	mutate;								\
	CU_ASSERT_EQUAL(ike_core_import_child(t.nb.core, &c,		\
	    -WALL_OFF), -1 - (err));					\
} while (0)
	CHILD_REFUSED(c.spi_in = 0, IKE_IMP_MALFORMED);
	CHILD_REFUSED(c.n_ts_local = 0, IKE_IMP_MALFORMED);
	CHILD_REFUSED(c.n_ts_remote = SA_TS_MAX + 1, IKE_IMP_MALFORMED);
	CHILD_REFUSED(c.replay_window = 100000, IKE_IMP_MALFORMED);
	CHILD_REFUSED((c.ts_local[0].port_lo = 9, c.ts_local[0].port_hi = 8),
	    IKE_IMP_MALFORMED);
	CHILD_REFUSED(c.proto = 51, IKE_IMP_XFORM);
	CHILD_REFUSED(c.integ = 12, IKE_IMP_XFORM);	/* GCM + HMAC */
	CHILD_REFUSED(c.encr_out.len = 0, IKE_IMP_KEYS);
	CHILD_REFUSED(c.integ_in.len = 32, IKE_IMP_KEYS);
	CHILD_REFUSED(c.ike_spi_r[0] ^= 1, IKE_IMP_NO_IKE);
	CHILD_REFUSED((memset(c.ts_local[0].start, 0x7f, 4),
	    memset(c.ts_local[0].end, 0x7f, 4)), IKE_IMP_NO_CONN);		/* matches no child's selectors */
	CHILD_REFUSED(c.mode = SA_MODE_TRANSPORT, IKE_IMP_NO_CONN);
	CU_ASSERT_EQUAL(cs->child_sas, 0);
	/* the right one goes in, an older copy of it is ignored */
	c = t.st->child[0];
	CU_ASSERT_EQUAL(ike_core_import_child(t.nb.core, &c, -WALL_OFF), 0);
	c.gen--;
	CU_ASSERT_EQUAL(ike_core_import_child(t.nb.core, &c, -WALL_OFF), 1);
	c.gen += 2;
	c.ctr.out_end = 777;
	CU_ASSERT_EQUAL(ike_core_import_child(t.nb.core, &c, -WALL_OFF), 0);
	CU_ASSERT_EQUAL(cs->child_sas, 1);
	CU_ASSERT_EQUAL(first_child(&t.nb)->ctr.out_end, 777);
	/* once the group is active, the records are not the truth */
	CU_ASSERT_EQUAL(ike_core_group_activate(t.nb.core, "vg1", false,
	    t.p.now, NULL), 0);
	*r = t.st->ike[0];
	r->gen += 100;
	CU_ASSERT_EQUAL(ike_core_import_ike(t.nb.core, r, -WALL_OFF),
	    -1 - IKE_IMP_GROUP);
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, c.spi_out)->oseq,
	    777 + CLEAN_SKIP);
	sa_ike_wipe(r);
	free(r);
	sa_child_wipe(&c);
	tk_fini(&t);
#undef IKE_REFUSED
#undef CHILD_REFUSED
}

static void
test_unclean_rekeys(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;
	struct child_sa			*c1, *c2;
	uint64_t			 now, end;

	tk_setup(&t);
	tk_import(&t);
	now = t.p.now;
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    true, now, &st), 0);
	CU_ASSERT_EQUAL(st.rekeys, 2);
	CU_ASSERT_EQUAL(ike_core_out_count(t.nb.core), 0);	/* not yet */
	c1 = child_named(&t.nb, "net");
	c2 = child_named(&t.nb, "net2");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c2);
	/* unclean: no overlap with a live old master, no extra skip */
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, c1->spi_out)->oseq,
	    c1->ctr.out_end - 131072);
	/* one per Child SA, within the 10 s window, apart */
	CU_ASSERT(c1->rekey_ms > now && c1->rekey_ms <= now + 10000);
	CU_ASSERT(c2->rekey_ms > now && c2->rekey_ms <= now + 10000);
	CU_ASSERT(c1->rekey_ms != c2->rekey_ms);
	CU_ASSERT(ike_core_next_deadline(t.nb.core) > now);
	/* run the clock through the window: both rekeyed, IKE SA kept */
	for (end = now + 10000; now <= end; now += 500) {
		ike_core_tick(t.nb.core, now);
		t.p.now = now;
		run_px(&t, &t.nb);
	}
	CU_ASSERT_EQUAL(t.nb.ev[IKE_EV_CHILD_REKEYED], 2);
	CU_ASSERT_EQUAL(t.p.a.ev[IKE_EV_CHILD_REKEYED], 2);
	CU_ASSERT_EQUAL(t.nb.ev[IKE_EV_IKE_REKEYED] + t.nb.ev[IKE_EV_IKE_DOWN],
	    0);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 4);
	CU_ASSERT_EQUAL(ike_core_stats(t.p.a.core)->ike_sas, 1);
	tk_fini(&t);
}

static void
test_no_lease_guessed(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;
	size_t				 i;

	tk_setup(&t);
	for (i = 0; i < N_CHILD; i++)
		t.st->child[i].ctr.out_end = 0;
	tk_import(&t);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.ctr_guessed, 2);
	/* one lease ahead (sync.lease_packets, 131072 by default) */
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, first_child(&t.nb)->spi_out)->
	    oseq, 131072);
	tk_fini(&t);
}

static void
test_install_failure(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;

	tk_setup(&t);
	tk_import(&t);
	t.nb.k.fail_add_sa = true;
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.failures, 2);
	CU_ASSERT_EQUAL(st.child_sas, 0);
	CU_ASSERT_EQUAL(st.ike_sas, 1);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->child_sas, 0);
	CU_ASSERT_EQUAL(t.nb.k.npol, 0);
	/* the peer is told, so neither side keeps half a Child SA */
	t.nb.k.fail_add_sa = false;
	run_px(&t, &t.nb);
	CU_ASSERT_PTR_NULL(first_child(&t.p.a));
	CU_ASSERT_EQUAL(ike_core_stats(t.p.a.core)->ike_sas, 1);
	tk_fini(&t);
}

/* One record as syncd's live stream carries it (sa_live.h). */
static int
live(struct tk *t, unsigned int type, const void *rec)
{
	static struct sync_msg	 m;
	int			 rc;

	memset(&m, 0, sizeof(m));
	m.hdr.type = (uint8_t)type;
	m.hdr.flags = SYNC_F_BULK;
	if (type == SYNC_IKE_UP || type == SYNC_IKE_DOWN)
		m.u.ike = *(const struct sa_ike *)rec;
	else
		m.u.child = *(const struct sa_child *)rec;
	rc = ike_core_live_apply(t->nb.core, &m, -WALL_OFF);
	sa_ike_wipe(&m.u.ike);
	return rc;
}

static void
test_live_stream(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;
	struct ike_group_status		 gs;
	struct sa_child			 c;
	struct sa_ike			 ike;
	size_t				 i, k = N_CHILD;

	tk_setup(&t);
	/* the bulk: IKE SAs first, then their Child SAs */
	for (i = 0; i < N_IKE; i++)
		if (t.st->ike_used[i])
			CU_ASSERT_EQUAL(live(&t, SYNC_IKE_UP, &t.st->ike[i]),
			    IKE_LIVE_APPLIED);
	for (i = 0; i < N_CHILD; i++)
		if (t.st->child_used[i]) {
			CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP,
			    &t.st->child[i]), IKE_LIVE_APPLIED);
			k = i;
		}
	CU_ASSERT_FATAL(k < N_CHILD);
	/* the same again: not newer */
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &t.st->child[k]),
	    IKE_LIVE_IGNORED);
	/* a lease extension: the same gen, counters forward only */
	c = t.st->child[k];
	c.ctr.out_end += 4096;
	c.ctr.in_top = IN_TOP - 100;		/* older: kept */
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c), IKE_LIVE_IGNORED);
	/* a Child SA of an IKE SA never seen: not ours, nothing logged */
	c = t.st->child[k];
	c.ike_spi_i[0] ^= 0xff;
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c), IKE_LIVE_NOT_OURS);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->import_refused[
	    IKE_IMP_NO_IKE], 0);
	/* a delete of one Child SA, then an older delete of the IKE SA */
	for (i = 0; i < N_CHILD; i++)
		if (t.st->child_used[i] && i != k)
			break;
	CU_ASSERT_FATAL(i < N_CHILD);
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_DOWN, &t.st->child[i]),
	    IKE_LIVE_APPLIED);
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_DOWN, &t.st->child[i]),
	    IKE_LIVE_NOT_OURS);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_status(t.nb.core, 0, &gs), 0);
	CU_ASSERT_EQUAL(gs.ike_sas, 1);
	CU_ASSERT_EQUAL(gs.child_sas, 1);
	ike = t.st->ike[0];
	ike.gen = 1;				/* older than the copy */
	CU_ASSERT_EQUAL(live(&t, SYNC_IKE_DOWN, &ike), IKE_LIVE_IGNORED);
	/* the activation resumes at the lease end the stream moved */
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.child_sas, 1);
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, t.st->child[k].spi_out)->oseq,
	    t.st->child[k].ctr.out_end + 4096 + CLEAN_SKIP);
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, t.st->child[k].spi_in)->seq,
	    IN_TOP);
	/* active now: the stream's echoes of our own SAs are not ours */
	CU_ASSERT_EQUAL(live(&t, SYNC_IKE_UP, &t.st->ike[0]),
	    IKE_LIVE_NOT_OURS);
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &t.st->child[k]),
	    IKE_LIVE_NOT_OURS);
	CU_ASSERT_EQUAL(live(&t, SYNC_IKE_DOWN, &t.st->ike[0]),
	    IKE_LIVE_NOT_OURS);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->ike_sas, 1);
	tk_fini(&t);
}

/* --- parked standby copies (ike_park.c) --------------------------------- */

static unsigned int
pol_dir_count(const struct kernel_rec *k, enum kdir d)
{
	size_t		 i;
	unsigned int	 n = 0;

	for (i = 0; i < k->npol; i++)
		n += k->pol[i].dir == d;
	return n;
}

/* The bulk of the live stream: IKE SAs, then Child SAs; the index of
 * the last Child SA record.  Nothing parked yet (live_bulk() parks). */
static size_t
live_records(struct tk *t)
{
	size_t	 i, k = N_CHILD;

	for (i = 0; i < N_IKE; i++)
		if (t->st->ike_used[i])
			CU_ASSERT_EQUAL(live(t, SYNC_IKE_UP, &t->st->ike[i]),
			    IKE_LIVE_APPLIED);
	for (i = 0; i < N_CHILD; i++)
		if (t->st->child_used[i]) {
			CU_ASSERT_EQUAL(live(t, SYNC_CHILD_UP,
			    &t->st->child[i]), IKE_LIVE_APPLIED);
			k = i;
		}
	CU_ASSERT_FATAL(k < N_CHILD);
	return k;
}

/* live_records(), then the edge's background job parks the copies. */
static size_t
live_bulk(struct tk *t)
{
	size_t	 k = live_records(t);

	/* queued, not parked yet: the edge's background job parks them */
	CU_ASSERT_EQUAL(t->nb.k.nsa, 0);
	if (park_enabled(t->nb.core)) {
		CU_ASSERT_EQUAL(ike_core_park_step(t->nb.core, 0), 2);
		CU_ASSERT_EQUAL(ike_core_park_step(t->nb.core, 1), 1);
		CU_ASSERT_EQUAL(ike_core_park_step(t->nb.core, 5), 0);
	} else
		CU_ASSERT_EQUAL(ike_core_park_step(t->nb.core, 5), 0);
	return k;
}

/*
 * Parked: both SAs of each copy in the kernel with the replicated replay
 * state and an oseq a lease past the end, the inbound and forward
 * policies, no outbound policy.  The takeover adds no SA and presets no
 * counter, only the policies -- and the kernel ends exactly as a full
 * install would have left it (check_installed), even with a forward
 * policy lost on the standby.
 */
static void
test_parked_activate(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;
	const struct kernel_sa		*ko, *ki;
	unsigned int			 adds, n = 0;
	size_t				 i;

	tk_setup(&t);
	(void)live_bulk(&t);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 2);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 4);
	CU_ASSERT_EQUAL(pol_dir_count(&t.nb.k, KDIR_OUT), 0);
	CU_ASSERT_EQUAL(pol_dir_count(&t.nb.k, KDIR_IN), 2);
	CU_ASSERT_EQUAL(pol_dir_count(&t.nb.k, KDIR_FWD), 2);
	for (i = 0; i < N_CHILD; i++) {
		if (!t.st->child_used[i])
			continue;
		ko = kernel_rec_sa(&t.nb.k, t.st->child[i].spi_out);
		ki = kernel_rec_sa(&t.nb.k, t.st->child[i].spi_in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ko);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ki);
		CU_ASSERT_EQUAL(ko->oseq, t.st->child[i].ctr.out_end +
		    CLEAN_SKIP);
		CU_ASSERT_EQUAL(ki->seq, IN_TOP);
		CU_ASSERT_EQUAL(ki->replay_bitmap, IN_BITMAP);
		n++;
	}
	CU_ASSERT_EQUAL(n, 2);
	adds = t.nb.k.n_add_sa;
	/* a slip in the standby's bookkeeping (a forward policy gone) must
	 * not cost the traffic: the takeover adds all three again */
	for (i = 0; i < t.nb.k.npol; )
		if (t.nb.k.pol[i].dir == KDIR_FWD)
			t.nb.k.pol[i] = t.nb.k.pol[--t.nb.k.npol];
		else
			i++;
	CU_ASSERT_EQUAL(pol_dir_count(&t.nb.k, KDIR_FWD), 0);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.child_sas, 2);
	CU_ASSERT_EQUAL(st.parked, 2);
	CU_ASSERT_EQUAL(st.presets, 0);
	CU_ASSERT_EQUAL(st.failures, 0);
	CU_ASSERT_EQUAL(t.nb.k.n_add_sa, adds);
	CU_ASSERT_EQUAL(t.nb.k.n_set_ctr, 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 0);
	check_installed(&t);
	check_own_lease(&t);
	/* and it is a live SA like any other: standby removes it all */
	CU_ASSERT_EQUAL(ike_core_group_standby(t.nb.core, "vg1", t.p.now), 1);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 0);
	CU_ASSERT_EQUAL(t.nb.k.npol, 0);
	tk_fini(&t);
}

/*
 * Counters that moved after parking are preset at the takeover, and
 * only those; the copy that moved goes first (its outbound policy is
 * the first one added).  Unclean: the preset oseq (a lease past the
 * end) is kept, it is past the end already.
 */
static void
test_parked_moved(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;
	struct sa_child			 c;
	size_t				 i, k, first = N_CHILD;

	tk_setup(&t);
	k = live_bulk(&t);
	for (i = 0; i < N_CHILD; i++)
		if (t.st->child_used[i] && first == N_CHILD)
			first = i;
	CU_ASSERT_FATAL(first != k);
	/* the first copy's inbound counter moves: it is busiest now */
	c = t.st->child[first];
	c.ctr.in_top = IN_TOP + 77;
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c), IKE_LIVE_IGNORED);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    true, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.parked, 2);
	CU_ASSERT_EQUAL(st.presets, 1);
	CU_ASSERT_EQUAL(t.nb.k.n_set_ctr, 1);
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, c.spi_in)->seq, IN_TOP + 77);
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, t.st->child[k].spi_in)->seq,
	    IN_TOP);
	/* unclean wants the end; the lease past it that was preset stays */
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, c.spi_out)->oseq,
	    c.ctr.out_end + CLEAN_SKIP);
	/* busiest first: the first outbound policy added is its own */
	for (i = 0; i < t.nb.k.npol && t.nb.k.pol[i].dir != KDIR_OUT; i++)
		;
	CU_ASSERT_FATAL(i < t.nb.k.npol);
	CU_ASSERT_EQUAL(t.nb.k.pol[i].reqid, c.reqid);
	CU_ASSERT_EQUAL(pol_dir_count(&t.nb.k, KDIR_OUT), 2);
	tk_fini(&t);
}

/*
 * A copy deleted live leaves the kernel with its policies; a newer
 * record of the same SA at the same addresses changes nothing there;
 * one whose peer moved (NAT-T port) is parked again at the new one;
 * dropping the standby copies (a new bulk) empties the kernel.
 */
static void
test_parked_lifecycle(void)
{
	struct tk	 t;
	struct sa_ike	 ike;
	struct sa_child	 c;
	unsigned int	 adds;
	size_t		 i, k;

	tk_setup(&t);
	k = live_bulk(&t);
	for (i = 0; i < N_CHILD; i++)
		if (t.st->child_used[i] && i != k)
			break;
	CU_ASSERT_FATAL(i < N_CHILD);
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_DOWN, &t.st->child[i]),
	    IKE_LIVE_APPLIED);
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&t.nb.k, t.st->child[i].spi_in));
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&t.nb.k, t.st->child[i].spi_out));
	CU_ASSERT_EQUAL(t.nb.k.nsa, 2);
	CU_ASSERT_EQUAL(t.nb.k.npol, 2);	/* k's in and fwd */
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 1);
	/* newer, same addresses: adopted as it is */
	adds = t.nb.k.n_add_sa;
	c = t.st->child[k];
	c.gen = t.imported_max + 10;
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c), IKE_LIVE_APPLIED);
	CU_ASSERT_EQUAL(t.nb.k.n_add_sa, adds);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 1);
	/* the peer's port moved and ESP goes in UDP: parked again */
	ike = t.st->ike[0];
	ike.gen = t.imported_max + 11;
	ike.remote.port = 4500;
	ike.local.port = 4500;
	CU_ASSERT_EQUAL(live(&t, SYNC_IKE_UP, &ike), IKE_LIVE_APPLIED);
	c.gen = t.imported_max + 12;
	c.flags |= SA_CHILD_ENCAP;
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c), IKE_LIVE_APPLIED);
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 10), 0);
	/* twice: the IKE SA's new port, then the Child SA's encapsulation */
	CU_ASSERT_EQUAL(t.nb.k.n_add_sa, adds + 4);
	CU_ASSERT_FATAL(kernel_rec_sa(&t.nb.k, c.spi_out) != NULL);
	CU_ASSERT(kernel_rec_sa(&t.nb.k, c.spi_out)->encap);
	CU_ASSERT_EQUAL(kernel_rec_sa(&t.nb.k, c.spi_out)->encap_dport, 4500);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 2);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 1);
	/* a new bulk drops the copies: nothing of them stays */
	CU_ASSERT_EQUAL(ike_core_group_standby(t.nb.core, "vg1", t.p.now), 1);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 0);
	CU_ASSERT_EQUAL(t.nb.k.npol, 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 0);
	sa_ike_wipe(&ike);
	tk_fini(&t);
}

/*
 * Rekeys on the master: the successor (same reqid, new SPIs) is parked,
 * the predecessor's delete unparks it; the reqid's inbound and forward
 * policies stay while a parked copy of it is left, whatever the order.
 */
static void
test_parked_rekeys(void)
{
	struct tk	 t;
	struct sa_child	 c1, c2, c3;
	size_t		 k;

	tk_setup(&t);
	k = live_bulk(&t);
	c1 = t.st->child[k];
	CU_ASSERT_EQUAL(t.nb.k.npol, 4);
	/* #2: up (queued), #1 down before #2 is parked, then parked */
	c2 = c1;
	c2.spi_in ^= 0x1000;
	c2.spi_out ^= 0x1000;
	c2.gen = t.imported_max + 5;
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c2), IKE_LIVE_APPLIED);
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_DOWN, &c1), IKE_LIVE_APPLIED);
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 10), 0);
	CU_ASSERT_EQUAL(t.nb.k.npol, 4);
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&t.nb.k, c2.spi_in));
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&t.nb.k, c1.spi_in));
	/* #3: up and parked, then #2 down */
	c3 = c1;
	c3.spi_in ^= 0x2000;
	c3.spi_out ^= 0x2000;
	c3.gen = t.imported_max + 6;
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c3), IKE_LIVE_APPLIED);
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 10), 0);
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_DOWN, &c2), IKE_LIVE_APPLIED);
	CU_ASSERT_EQUAL(t.nb.k.npol, 4);
	CU_ASSERT_EQUAL(pol_dir_count(&t.nb.k, KDIR_FWD), 2);
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&t.nb.k, c3.spi_in));
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 2);
	tk_fini(&t);
}

/*
 * The parking queue: first in, first parked, a batch of max at a time;
 * a copy that goes before its turn leaves the queue (ike_park.c keeps a
 * FIFO instead of walking every SA per batch).
 */
static void
test_park_queue_fifo(void)
{
	struct tk	 t;
	struct sa_child	 c[4];
	size_t		 k, i;

	tk_setup(&t);
	k = live_bulk(&t);
	for (i = 1; i < 4; i++) {
		c[i] = t.st->child[k];
		c[i].spi_in ^= (uint32_t)i << 12;
		c[i].spi_out ^= (uint32_t)i << 12;
		c[i].gen = t.imported_max + 5 + i;
		CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_UP, &c[i]),
		    IKE_LIVE_APPLIED);
	}
	CU_ASSERT_EQUAL(live(&t, SYNC_CHILD_DOWN, &c[2]), IKE_LIVE_APPLIED);
	/* #1 first, #3 still queued, #2 never */
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 1), 1);
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&t.nb.k, c[1].spi_in));
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&t.nb.k, c[3].spi_in));
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 10), 0);
	CU_ASSERT_PTR_NOT_NULL(kernel_rec_sa(&t.nb.k, c[3].spi_in));
	CU_ASSERT_PTR_NULL(kernel_rec_sa(&t.nb.k, c[2].spi_in));
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 10), 0);
	tk_fini(&t);
}

/* Queued but not parked yet when the takeover comes: added in full, and
 * the queue forgets them. */
static void
test_parked_not_yet(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;

	tk_setup(&t);
	(void)live_records(&t);
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 0), 2);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.parked, 0);
	CU_ASSERT_EQUAL(st.child_sas, 2);
	CU_ASSERT_EQUAL(ike_core_park_step(t.nb.core, 0), 0);
	check_installed(&t);
	tk_fini(&t);
}

/* ha.standby_preinstall = false: the copies stay out of the kernel and
 * the takeover adds everything, as before. */
static void
test_parked_off(void)
{
	struct tk			 t;
	struct ike_takeover_stats	 st;

	tk_setup(&t);
	((struct tnd_cfg *)t.nb.core->cfg)->ha.standby_preinstall = false;
	(void)live_bulk(&t);
	CU_ASSERT_EQUAL(t.nb.k.nsa, 0);
	CU_ASSERT_EQUAL(t.nb.k.npol, 0);
	CU_ASSERT_EQUAL(ike_core_stats(t.nb.core)->parked, 0);
	CU_ASSERT_EQUAL_FATAL(ike_core_group_activate(t.nb.core, "vg1",
	    false, t.p.now, &st), 0);
	CU_ASSERT_EQUAL(st.parked, 0);
	CU_ASSERT_EQUAL(st.child_sas, 2);
	check_installed(&t);
	tk_fini(&t);
}

UNIT_SUITE(takeover, "takeover",
    { "import: passive, silent, nothing in the kernel", test_import_passive },
    { "activate: kernel state, cached response, DPD, rekeys, gen",
	test_activate_resume },
    { "standby removes exactly what activate installed",
	test_standby_removes },
    { "malformed and foreign records refused", test_import_refused },
    { "unclean: one rekey per Child SA within the spread",
	test_unclean_rekeys },
    { "no replicated lease: one lease ahead", test_no_lease_guessed },
    { "kernel install failure: Child SA deleted", test_install_failure },
    { "live stream: refresh, counters forward, deletes, then not ours",
	test_live_stream },
    { "parked: SAs and in/fwd policies; takeover adds out policies only",
	test_parked_activate },
    { "parked: moved counters preset, busiest first", test_parked_moved },
    { "parked: deletes, same-SA refresh, moved peer, dropped copies",
	test_parked_lifecycle },
    { "parked: rekeys keep the reqid's in/fwd policies", test_parked_rekeys },
    { "parked: the queue is first in, first parked", test_park_queue_fifo },
    { "parked: queued only at the takeover: full install",
	test_parked_not_yet },
    { "standby_preinstall off: nothing parked", test_parked_off });
