/*
 * ikev2d/child_sa.c -- Child SAs: install into / remove from the kernel
 * through struct kernel_ops, the table, lifetimes, records and events.
 * See child_sa.h for the kernel layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "child_sa.h"
#include "trap.h"
#include "ts.h"

#define IPPROTO_ESP_	50
#define PFX_MAX		8	/* prefixes per selector range */
#define POLICY_PRIO	200000

static const char *const state_names[] = {
	[CHILD_S_INSTALLED]	= "INSTALLED",
	[CHILD_S_REKEYING]	= "REKEYING",
	[CHILD_S_REKEYED]	= "REKEYED",
	[CHILD_S_DELETING]	= "DELETING",
};
_Static_assert(nitems(state_names) == CHILD_S_MAX, "name per state");

const char *
child_state_name(unsigned int s)
{
	return s < nitems(state_names) ? state_names[s] : "UNKNOWN";
}

static void
kaddr_of(const struct sa_addr *a, struct kaddr *k)
{
	memset(k, 0, sizeof(*k));
	k->family = a->family;
	memcpy(k->addr, a->addr, 16);
}

static const struct cfg_child *
child_cfg(const struct child_sa *ch)
{
	return core_child(ch->ike->conn, ch->name);
}

uint32_t
child_sa_alloc_spi(struct ike_sa *sa, uint32_t reqid)
{
	const struct kernel_ops	*k = sa->core->env.kernel;
	struct kaddr		 src, dst;
	uint32_t		 spi = 0;

	kaddr_of(&sa->remote, &src);
	kaddr_of(&sa->local, &dst);
	if (k == NULL || k->alloc_spi == NULL ||
	    k->alloc_spi(sa->core->env.kernel_arg, &src, &dst, IPPROTO_ESP_,
	    reqid, &spi) != 0 || spi == 0) {
		core_log(sa->core, sa, IKE_LOG_ERR, IKE_LK_KERNEL,
		    "SPI allocation failed");
		return 0;
	}
	return spi;
}

void
child_sa_release_spi(struct ike_sa *sa, uint32_t spi)
{
	const struct kernel_ops	*k = sa->core->env.kernel;
	struct kaddr		 dst;

	if (spi == 0 || k == NULL || k->del_sa == NULL)
		return;
	kaddr_of(&sa->local, &dst);
	k->del_sa(sa->core->env.kernel_arg, &dst, spi, IPPROTO_ESP_);
}

uint32_t
child_sa_reqid(struct ike_sa *sa, const struct cfg_child *cc)
{
	const struct ike_trap	*t;
	uint32_t		 reqid;

	if (cc != NULL && cc->reqid != 0)
		return cc->reqid;
	/* a trap's policies name the reqid the kernel will acquire for */
	if (cc != NULL && (t = trap_by_name(sa->core, sa->conn_name,
	    cc->name)) != NULL)
		return t->reqid;
	/* the same child config keeps its reqid (and its policies) */
	if (cc != NULL && (reqid = ike_tab_conn_reqid(sa, cc->name)) != 0)
		return reqid;
	return 0x10000 + ++sa->core->next_reqid;
}

static void
key_copy(const struct secbuf *b, uint8_t *dst, uint8_t *len)
{
	*len = 0;
	if (b == NULL || b->len > KERNEL_KEY_MAX)
		return;
	memcpy(dst, b->data, b->len);
	*len = (uint8_t)b->len;
}

/*
 * ESP in UDP (RFC 3948) when the IKE SA floated to the NAT-T port and a
 * NAT sits between us or the connection forces it (encap = yes).  Over
 * the NAT-T port without a NAT, ESP stays plain (RFC 7296 2.23).
 */
static bool
child_encap(const struct ike_sa *sa)
{
	if (!sa->natt)
		return false;
	return (sa->sa_flags & (SA_IKE_NAT_LOCAL | SA_IKE_NAT_REMOTE)) != 0 ||
	    (sa->conn != NULL && sa->conn->encap);
}

void
child_sa_ksa(const struct child_sa *ch, bool in, struct kernel_sa *k)
{
	const struct ike_sa	*sa = ch->ike;
	const struct cfg_child	*cc = child_cfg(ch);
	bool			 mine_i;

	memset(k, 0, sizeof(*k));
	kaddr_of(in ? &sa->remote : &sa->local, &k->src);
	kaddr_of(in ? &sa->local : &sa->remote, &k->dst);
	k->spi = in ? ch->spi_in : ch->spi_out;
	k->proto = IPPROTO_ESP_;
	k->tunnel = cc == NULL || cc->mode != CFG_MODE_TRANSPORT;
	k->reqid = ch->reqid;
	k->encr = ch->esp.encr;
	k->encr_bits = (uint16_t)((ch->suite.ekey_len - ch->suite.salt_len) *
	    8);
	k->integ = ch->esp.has_integ ? ch->esp.integ : IKE_INTEG_NONE;
	/* 2.17: the i keys protect initiator -> responder traffic */
	mine_i = ch->initiator != in;
	key_copy(mine_i ? ch->keys.encr_i : ch->keys.encr_r, k->enc_key,
	    &k->enc_key_len);
	key_copy(mine_i ? ch->keys.integ_i : ch->keys.integ_r, k->int_key,
	    &k->int_key_len);
	k->esn = ch->esp.has_esn && ch->esp.esn == IKE_ESN_YES;
	k->replay_window = in ? ch->replay_window : 0;
	/* syncd's counter replication (sync.aevent_replay_threshold): the
	 * kernel reports each SA every this many packets (kernel_sa.h). */
	k->replay_thresh = sa->core->cfg->sync.aevent_replay_threshold;
	/* A takeover resumes the counters (DESIGN guarantees 1, 2); a fresh
	 * SA has them all 0. */
	if (in) {
		k->seq = ch->ctr.in_top;
		k->replay_bitmap = ch->ctr.in_bitmap;
	} else {
		k->oseq = ch->oseq;
		if (!ch->imported && ch->oseq == 0)
			k->first_lease = sa->core->cfg->sync.lease_packets;
	}
	if (cc != NULL) {
		k->lft.soft_bytes = cc->rekey_bytes;
		k->lft.hard_bytes = cc->life_bytes;
		k->lft.soft_packets = cc->rekey_packets;
		k->lft.hard_packets = cc->life_packets;
		k->if_id = in ? cc->if_id_in : cc->if_id_out;
		k->mark = in ? cc->mark_in.value : cc->mark_out.value;
		k->mark_mask = in ? cc->mark_in.mask : cc->mark_out.mask;
	}
	if (ch->imported ? (ch->rec_flags & SA_CHILD_ENCAP) != 0 :
	    child_encap(sa)) {
		k->encap = true;
		k->encap_sport = in ? sa->remote.port : sa->local.port;
		k->encap_dport = in ? sa->local.port : sa->remote.port;
	}
}

int
child_policies_each(const struct cfg_child *cc, const struct ike_ts_pld *tsl,
    const struct ike_ts_pld *tsr, uint32_t reqid, const struct sa_addr *local,
    const struct sa_addr *remote,
    int (*fn)(void *arg, const struct kernel_policy *p), void *arg)
{
	struct ts_prefix	 lp[PFX_MAX], rp[PFX_MAX];
	struct kernel_policy	 p;
	size_t			 i, j, a, b;
	int			 nl, nr, d, rc = 0;

	for (i = 0; i < tsl->n; i++) {
		nl = ts_prefixes(&tsl->ts[i], lp, PFX_MAX);
		for (j = 0; j < tsr->n && nl > 0; j++) {
			nr = ts_prefixes(&tsr->ts[j], rp, PFX_MAX);
			if (tsl->ts[i].type != tsr->ts[j].type)
				continue;
			for (a = 0; a < (size_t)nl; a++)
			for (b = 0; b < (size_t)(nr > 0 ? nr : 0); b++)
			for (d = KDIR_IN; d <= KDIR_FWD; d++) {
				memset(&p, 0, sizeof(p));
				p.dir = (enum kdir)d;
				p.sel.src = d == KDIR_OUT ? lp[a].a : rp[b].a;
				p.sel.dst = d == KDIR_OUT ? rp[b].a : lp[a].a;
				p.sel.src_plen = d == KDIR_OUT ? lp[a].plen :
				    rp[b].plen;
				p.sel.dst_plen = d == KDIR_OUT ? rp[b].plen :
				    lp[a].plen;
				p.sel.proto = tsl->ts[i].proto;
				if (tsl->ts[i].sport == tsl->ts[i].eport) {
					if (d == KDIR_OUT)
						p.sel.sport = tsl->ts[i].sport;
					else
						p.sel.dport = tsl->ts[i].sport;
				}
				if (tsr->ts[j].sport == tsr->ts[j].eport) {
					if (d == KDIR_OUT)
						p.sel.dport = tsr->ts[j].sport;
					else
						p.sel.sport = tsr->ts[j].sport;
				}
				p.priority = POLICY_PRIO -
				    (p.sel.src_plen + p.sel.dst_plen) * 16;
				p.reqid = reqid;
				p.tunnel = cc == NULL ||
				    cc->mode != CFG_MODE_TRANSPORT;
				kaddr_of(d == KDIR_OUT ? local : remote,
				    &p.tmpl_src);
				kaddr_of(d == KDIR_OUT ? remote : local,
				    &p.tmpl_dst);
				p.proto = IPPROTO_ESP_;
				if (cc != NULL) {
					p.if_id = d == KDIR_OUT ?
					    cc->if_id_out : cc->if_id_in;
					p.mark = d == KDIR_OUT ?
					    cc->mark_out.value :
					    cc->mark_in.value;
					p.mark_mask = d == KDIR_OUT ?
					    cc->mark_out.mask :
					    cc->mark_in.mask;
				}
				if (fn(arg, &p) != 0)
					rc = -1;
			}
		}
	}
	return rc;
}

struct pol_ctx {
	struct ike_core	*c;
	unsigned int	 dirs;		/* 1 << enum kdir */
};

static int
pol_add(void *arg, const struct kernel_policy *p)
{
	struct pol_ctx	*x = arg;

	if ((x->dirs & (1u << p->dir)) == 0)
		return 0;
	return x->c->env.kernel->add_policy(x->c->env.kernel_arg, p);
}

static int
pol_del(void *arg, const struct kernel_policy *p)
{
	struct pol_ctx	*x = arg;

	if ((x->dirs & (1u << p->dir)) != 0)
		x->c->env.kernel->del_policy(x->c->env.kernel_arg, p);
	return 0;
}

int
child_sa_policies(struct child_sa *ch, bool add, unsigned int dirs)
{
	struct pol_ctx	 x = { ch->ike->core, dirs };

	return child_policies_each(child_cfg(ch), &ch->ts_local,
	    &ch->ts_remote, ch->reqid, &ch->ike->local, &ch->ike->remote,
	    add ? pol_add : pol_del, &x);
}

static int
policies(struct child_sa *ch, bool add)
{
	return child_sa_policies(ch, add, KDIRS_ALL);
}

static void
child_unlink(struct child_sa *ch)
{
	struct child_sa	**pp;

	for (pp = &ch->ike->children; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ch) {
			*pp = ch->next;
			ch->ike->core->st.child_sas--;
			ike_tab_child_unfile(ch->ike->core, ch);
			break;
		}
}

void
child_sa_link(struct ike_sa *ike, struct child_sa *ch)
{
	ch->ike = ike;
	ch->next = ike->children;
	ike->children = ch;
	ike->core->st.child_sas++;
	ike_tab_child_file(ike->core, ch);
}

void
child_sa_free(struct child_sa *ch)
{
	if (ch == NULL)
		return;
	ch->ike->core->idx_dirty = true;	/* ike_takeover.c's index */
	child_park_queue(ch, false);
	child_unlink(ch);
	child_keys_free(&ch->keys);
	secure_wipe(ch, sizeof(*ch));
	free(ch);
}

static uint32_t
jitter(struct ike_core *c, uint32_t max)
{
	uint32_t	 r = 0;

	if (max == 0 || core_random(c, &r, sizeof(r)) != 0)
		return 0;
	return r % (max + 1);
}

int
child_sa_kernel_add(struct child_sa *ch, int owns)
{
	struct ike_sa		*ike = ch->ike;
	struct ike_core		*c = ike->core;
	const struct kernel_ops	*k = c->env.kernel;
	struct kernel_sa	 ksa;
	struct kaddr		 dst;
	int			 ret = -1;

	child_sa_ksa(ch, true, &ksa);
	if (k->add_sa(c->env.kernel_arg, &ksa) != 0)
		goto done;
	child_sa_ksa(ch, false, &ksa);
	if (k->add_sa(c->env.kernel_arg, &ksa) != 0)
		goto done;
	ch->owns_policies = owns >= 0 ? owns != 0 :
	    ike_tab_reqid_other(c, ch->reqid, ch, false) == NULL;
	if (ch->owns_policies && policies(ch, true) != 0) {
		policies(ch, false);
		ch->owns_policies = false;
		kaddr_of(&ike->remote, &dst);
		k->del_sa(c->env.kernel_arg, &dst, ch->spi_out, IPPROTO_ESP_);
		goto done;
	}
	ret = 0;
 done:
	secure_wipe(&ksa, sizeof(ksa));
	return ret;
}

struct child_sa *
child_sa_install(struct ike_sa *ike, const char *name, bool initiator,
    const struct ike_chosen *esp, uint32_t spi_in, uint32_t spi_out,
    uint32_t reqid, const struct ike_ts_pld *tsl, const struct ike_ts_pld *tsr,
    const struct ike_nonces *n, const struct secbuf *gir, uint64_t now)
{
	struct ike_core		*c = ike->core;
	const struct cfg_child	*cc;
	struct child_sa		*ch = NULL;
	int			 ret = -1;

	if ((ch = calloc(1, sizeof(*ch))) == NULL)
		goto done;
	ch->ike = ike;
	ch->uid = ++c->next_uid;
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	ch->initiator = initiator;
	ch->esp = *esp;
	ch->spi_in = spi_in;
	ch->spi_out = spi_out;
	ch->reqid = reqid;
	ch->ts_local = *tsl;
	ch->ts_remote = *tsr;
	ch->installed_ms = now;
	cc = core_child(ike->conn, name);
	ch->replay_window = cc != NULL ? cc->replay_window : 32;
	if (crypto_suite_init(&ch->suite, esp->encr, esp->encr_keylen,
	    esp->has_integ ? esp->integ : IKE_INTEG_NONE, 0, 0) != 0)
		goto done;
	if (keys_child(ike->chosen.prf, ike->keys.sk_d, gir, n, &ch->suite,
	    &ch->keys) != 0)
		goto done;
	if (child_sa_kernel_add(ch, -1) != 0)
		goto done;
	child_sa_link(ike, ch);
	c->idx_dirty = true;
	if (cc != NULL && cc->rekey_time_s != 0) {
		ch->rekey_ms = now + ((uint64_t)cc->rekey_time_s -
		    jitter(c, cc->rand_time_s < cc->rekey_time_s ?
		    cc->rand_time_s : 0)) * 1000;
	}
	if (cc != NULL && cc->life_time_s != 0)
		ch->expire_ms = now + (uint64_t)cc->life_time_s * 1000;
	c->st.child_up++;
	ret = 0;
 done:
	if (ret == 0 && child_encap(ike))
		core_log(c, ike, IKE_LOG_INFO, IKE_LK_NATT,
		    "child %s: ESP in UDP %u <-> %u (%s)", name, ike->local.port,
		    ike->remote.port, ike->sa_flags & (SA_IKE_NAT_LOCAL |
		    SA_IKE_NAT_REMOTE) ? "NAT detected" : "encap forced");
	if (ret != 0) {
		core_log(c, ike, IKE_LOG_ERR, IKE_LK_KERNEL,
		    "child %s: installing SPIs %08x/%08x failed", name, spi_in,
		    spi_out);
		if (spi_in != 0)
			child_sa_release_spi(ike, spi_in);
		if (ch != NULL) {
			child_keys_free(&ch->keys);
			secure_wipe(ch, sizeof(*ch));
			free(ch);
		}
		return NULL;
	}
	return ch;
}

void
child_sa_kernel_del(struct child_sa *ch, bool with_policies)
{
	struct ike_sa		*sa = ch->ike;
	struct ike_core		*c = sa->core;
	const struct kernel_ops	*k = c->env.kernel;
	struct kaddr		 dst;

	kaddr_of(&sa->local, &dst);
	k->del_sa(c->env.kernel_arg, &dst, ch->spi_in, IPPROTO_ESP_);
	kaddr_of(&sa->remote, &dst);
	k->del_sa(c->env.kernel_arg, &dst, ch->spi_out, IPPROTO_ESP_);
	if (with_policies)
		policies(ch, false);
}

void
child_sa_delete(struct child_sa *ch, bool quiet)
{
	struct ike_sa		*sa = ch->ike;
	struct ike_core		*c = sa->core;
	struct child_sa		*heir;

	child_sa_kernel_del(ch, false);
	if (ch->owns_policies) {
		if ((heir = ike_tab_reqid_other(c, ch->reqid, ch,
		    false)) != NULL)
			heir->owns_policies = true;	/* rekeyed: keep */
		else if (trap_restore(c, ch) != 0)
			policies(ch, false);
	}
	c->st.child_down++;
	if (!quiet) {
		child_sa_emit(ch, IKE_EV_CHILD_DOWN, NULL);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_DOWN,
		    "child %s deleted, SPIs %08x_i %08x_o", ch->name,
		    ch->spi_in, ch->spi_out);
	}
	child_sa_free(ch);
}

struct child_sa *
child_sa_by_uid(struct ike_core *c, uint32_t uid)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (ch->uid == uid)
				return ch;
	return NULL;
}

struct child_sa *
child_sa_by_spi_in(struct ike_sa *sa, uint32_t spi)
{
	struct child_sa	*ch;

	for (ch = sa->children; ch != NULL; ch = ch->next)
		if (ch->spi_in == spi)
			return ch;
	return NULL;
}

struct child_sa *
child_sa_by_spi_out(struct ike_sa *sa, uint32_t spi)
{
	struct child_sa	*ch;

	for (ch = sa->children; ch != NULL; ch = ch->next)
		if (ch->spi_out == spi)
			return ch;
	return NULL;
}

struct child_sa *
child_sa_core_by_spi(struct ike_core *c, uint32_t spi)
{
	struct ike_sa	*sa;
	struct child_sa	*ch;

	for (sa = c->sas; sa != NULL; sa = sa->next)
		for (ch = sa->children; ch != NULL; ch = ch->next)
			if (ch->spi_in == spi || ch->spi_out == spi)
				return ch;
	return NULL;
}

static void
key_rec(const struct secbuf *b, struct sa_key *k)
{
	k->len = 0;
	if (b == NULL || b->len > sizeof(k->data))
		return;
	memcpy(k->data, b->data, b->len);
	k->len = (uint8_t)b->len;
}

void
child_sa_rec(const struct child_sa *ch, struct sa_child *r, bool with_keys)
{
	const struct ike_sa	*sa = ch->ike;
	const struct cfg_child	*cc = child_cfg(ch);
	size_t			 i;

	memset(r, 0, sizeof(*r));
	r->gen = sa->core->ev_seq + 1;
	memcpy(r->ike_spi_i, sa->spi_i, SA_SPI_LEN);
	memcpy(r->ike_spi_r, sa->spi_r, SA_SPI_LEN);
	r->spi_in = ch->spi_in;
	r->spi_out = ch->spi_out;
	r->proto = IPPROTO_ESP_;
	r->mode = cc != NULL && cc->mode == CFG_MODE_TRANSPORT ?
	    SA_MODE_TRANSPORT : SA_MODE_TUNNEL;
	r->flags = (ch->esp.has_esn && ch->esp.esn == IKE_ESN_YES ?
	    SA_CHILD_ESN : 0) | (child_encap(sa) ? SA_CHILD_ENCAP : 0);
	r->replay_window = ch->replay_window;
	r->local = sa->local;
	r->remote = sa->remote;
	r->reqid = ch->reqid;
	if (cc != NULL) {
		r->if_id = cc->if_id_in;
		r->mark_in = cc->mark_in.value;
		r->mark_in_mask = cc->mark_in.mask;
		r->mark_out = cc->mark_out.value;
		r->mark_out_mask = cc->mark_out.mask;
		r->lft.soft_bytes = cc->rekey_bytes;
		r->lft.hard_bytes = cc->life_bytes;
		r->lft.soft_packets = cc->rekey_packets;
		r->lft.hard_packets = cc->life_packets;
		r->lft.soft_s = cc->rekey_time_s;
		r->lft.hard_s = cc->life_time_s;
	}
	/* Zero for an SA negotiated here (syncd gives it its first lease);
	 * a resumed one carries the lease its takeover took (ike_takeover.c). */
	r->ctr = ch->ctr;
	/* A new outbound SA: the first lease it is fenced at once committed
	 * (kernel_sa.first_lease, kernel_wa.c); syncd keeps the larger of
	 * this and its own lease_packets, so the cluster never holds less
	 * than the kernel may send. */
	if (!ch->imported && ch->oseq == 0 && r->ctr.out_end == 0 &&
	    ch->spi_out != 0)
		r->ctr.out_end = sa->core->cfg->sync.lease_packets;
	r->encr = ch->esp.encr;
	r->encr_bits = (uint16_t)((ch->suite.ekey_len - ch->suite.salt_len) *
	    8);
	r->integ = ch->esp.has_integ ? ch->esp.integ : 0;
	if (with_keys) {
		bool	 mine_i = ch->initiator;

		key_rec(mine_i ? ch->keys.encr_r : ch->keys.encr_i,
		    &r->encr_in);
		key_rec(mine_i ? ch->keys.encr_i : ch->keys.encr_r,
		    &r->encr_out);
		key_rec(mine_i ? ch->keys.integ_r : ch->keys.integ_i,
		    &r->integ_in);
		key_rec(mine_i ? ch->keys.integ_i : ch->keys.integ_r,
		    &r->integ_out);
	}
	for (i = 0; i < ch->ts_local.n && i < SA_TS_MAX; i++)
		ts_to_rec(&ch->ts_local.ts[i], &r->ts_local[i]);
	r->n_ts_local = (uint8_t)i;
	for (i = 0; i < ch->ts_remote.n && i < SA_TS_MAX; i++)
		ts_to_rec(&ch->ts_remote.ts[i], &r->ts_remote[i]);
	r->n_ts_remote = (uint8_t)i;
	r->installed_ms = ch->installed_ms;
	r->rekey_ms = ch->rekey_ms;
}

void
child_sa_emit(struct child_sa *ch, enum ike_ev_type type,
    const struct child_sa *old)
{
	struct ike_core		*c = ch->ike->core;
	struct ike_event	 ev;
	struct sa_ike		*ri;
	struct sa_child		 rc;

	if (c->env.event == NULL) {
		c->ev_seq++;
		goto barrier;
	}
	if ((ri = malloc(sizeof(*ri))) == NULL)
		return;
	ike_sa_rec(ch->ike, ri, false);
	child_sa_rec(ch, &rc, type != IKE_EV_CHILD_DOWN);
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ike_uid = ch->ike->uid;
	ev.child_uid = ch->uid;
	ev.ike = ri;
	ev.child = &rc;
	if (old != NULL) {
		ev.old_spi_in = old->spi_in;
		ev.old_spi_out = old->spi_out;
	}
	core_event(c, &ev);
	sa_child_wipe(&rc);
	sa_ike_wipe(ri);
	free(ri);
 barrier:
	/* The parent's next datagram follows this event (ike_sa.h). */
	ch->ike->ev_last = c->ev_seq;
	if (old != NULL && old->ike != NULL)
		old->ike->ev_last = c->ev_seq;
}

uint64_t
child_sa_deadline(const struct child_sa *ch)
{
	uint64_t	 a = ch->state == CHILD_S_INSTALLED ? ch->rekey_ms : 0;
	uint64_t	 b = ch->expire_ms;

	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

void
child_sa_tick(struct child_sa *ch, uint64_t now)
{
	struct ike_sa	*sa = ch->ike;
	struct ike_task	 t;

	memset(&t, 0, sizeof(t));
	if (ch->expire_ms != 0 && now >= ch->expire_ms) {
		core_log(sa->core, sa, IKE_LOG_NOTICE, IKE_LK_TIMEOUT,
		    "child %s: hard lifetime reached", ch->name);
		t.kind = IKE_TASK_CHILD_DELETE;
		t.uid = ch->uid;
		t.spi = ch->spi_in;
		ike_sa_task_add(sa, &t);
		child_sa_delete(ch, false);
		return;
	}
	if (ch->state == CHILD_S_INSTALLED && ch->rekey_ms != 0 &&
	    now >= ch->rekey_ms) {
		ch->rekey_ms = 0;
		t.kind = IKE_TASK_CHILD_REKEY;
		t.uid = ch->uid;
		ike_sa_task_add(sa, &t);
	}
}
