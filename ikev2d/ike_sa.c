/*
 * ikev2d/ike_sa.c -- the IKE SA table, message IDs, sending (SK protect,
 * the outstanding request and the responder's cache), retransmission with
 * exponential back-off, lifetimes, SA records and events, the task queue.
 *
 * Message IDs (RFC 7296 2.3): we use a window of 1 both ways.  msgid_send
 * is the ID of our next request; a response is accepted only for the
 * outstanding request's ID.  msgid_recv is the next request ID we accept;
 * msgid_recv - 1 is answered from the cache (sa->resp) without being
 * processed again; anything else is dropped and counted (ike_core.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "child_sa.h"
#include "ike_names.h"
#include "ike_sa.h"
#include "ike_sk.h"

struct ike_sa *
ike_sa_new(struct ike_core *c, bool initiator, const struct sa_addr *local,
    const struct sa_addr *remote)
{
	struct ike_sa	*sa;
	uint8_t		*spi;

	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		return NULL;
	sa->core = c;
	sa->uid = ++c->next_uid;
	sa->initiator = initiator;
	sa->local = *local;
	sa->remote = *remote;
	sa->state = IKE_S_NEW;
	spi = initiator ? sa->spi_i : sa->spi_r;
	do {
		if (core_random(c, spi, IKE_SPI_LEN) != 0) {
			free(sa);
			return NULL;
		}
	} while (be64_get(spi) == 0);
	if (ike_sa_link(c, sa) != 0) {
		free(sa);
		return NULL;
	}
	return sa;
}

static void
pending_fini(struct ike_pending *p)
{
	ke_free(p->ke);
	p->ke = NULL;
	secure_wipe(p->ni, sizeof(p->ni));
}

void
ike_sa_req_done(struct ike_sa *sa)
{
	free(sa->req.buf);
	pending_fini(&sa->req.p);
	memset(&sa->req, 0, sizeof(sa->req));
}

void
ike_sa_free(struct ike_sa *sa)
{
	struct child_sa	*ch;

	if (sa == NULL)
		return;
	ike_sa_unlink(sa);
	/* a collision partner may point at us (2.8.2) */
	if (sa->peer_rekey_old != NULL &&
	    sa->peer_rekey_old->peer_rekey_new == sa)
		sa->peer_rekey_old->peer_rekey_new = NULL;
	if (sa->peer_rekey_new != NULL &&
	    sa->peer_rekey_new->peer_rekey_old == sa)
		sa->peer_rekey_new->peer_rekey_old = NULL;
	while ((ch = sa->children) != NULL)
		child_sa_free(ch);
	ike_sa_req_done(sa);
	pending_fini(&sa->auth_p);
	ike_keys_free(&sa->keys);
	ke_free(sa->ke);
	free(sa->init_req);
	free(sa->init_resp);
	free(sa->resp);
	secure_wipe(sa, sizeof(*sa));
	free(sa);
}

const uint8_t *
ike_sa_our_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

/*
 * Kept by ike_sa_event() (every state change goes through it) and
 * ike_sa_free(): a walk of every SA per IKE_SA_INIT request cost 13% of
 * the responder's CPU at 10,000 SAs (test/bench/responder.sh).
 */
size_t
ike_sa_half_open(const struct ike_core *c)
{
	return c->st.half_open;
}

bool
ike_sa_event(struct ike_sa *sa, enum ike_fsm_ev ev, uint64_t now)
{
	struct ike_fsm_out	 o;
	struct ike_core		*c = sa->core;
	struct child_sa		*ch;
	enum ike_state		 old = sa->state;

	o = ike_fsm_step(sa->state, ev);
	if (!o.ok) {
		core_log(c, sa, IKE_LOG_DEBUG, IKE_LK_STATE,
		    "event %s ignored in %s", ike_fsm_ev_name(ev),
		    ike_state_name(sa->state));
		return false;
	}
	sa->state = o.next;
	if (old != o.next)
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_STATE, "%s -> %s (%s)",
		    ike_state_name(old), ike_state_name(o.next),
		    ike_fsm_ev_name(ev));
	if (old == IKE_S_HALF_OPEN)
		c->st.half_open--;
	if (o.next == IKE_S_HALF_OPEN)
		c->st.half_open++;
	if (o.act & IKE_ACT_UP) {
		sa->established_ms = now;
		sa->half_open_ms = 0;
		free(sa->init_req);
		free(sa->init_resp);
		sa->init_req = sa->init_resp = NULL;
		ke_free(sa->ke);
		sa->ke = NULL;
		ike_sa_arm_lifetimes(sa, now);
		c->st.ike_up++;
		if (sa->up_deferred && sa->rekey_of == NULL)
			sa->up_pending = true;
		else
			ike_sa_emit(sa, sa->rekey_of != NULL ?
			    IKE_EV_IKE_REKEYED : IKE_EV_IKE_UP, sa->rekey_of);
		core_log(c, sa, IKE_LOG_NOTICE, sa->rekey_of != NULL ?
		    IKE_LK_IKE_REKEYED : IKE_LK_IKE_UP,
		    "%s with %s (%s, %s/%s/%s)", sa->rekey_of != NULL ?
		    "rekeyed" : "established", sa->peer_id,
		    sa->initiator ? "initiator" : "responder",
		    cfg_xform_name(CFG_XF_ENCR, sa->chosen.encr,
		    sa->chosen.encr_keylen),
		    cfg_xform_name(CFG_XF_PRF, sa->chosen.prf, 0),
		    cfg_xform_name(CFG_XF_KE, sa->chosen.ke, 0));
	}
	if (o.act & IKE_ACT_DOWN) {
		while ((ch = sa->children) != NULL)
			child_sa_delete(ch, false);
		c->st.ike_down++;
		ike_sa_emit(sa, IKE_EV_IKE_DOWN, NULL);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_IKE_DOWN,
		    "deleted (%s), peer %s", ike_fsm_ev_name(ev), sa->peer_id);
	}
	if (o.act & IKE_ACT_FREE)
		ike_sa_free(sa);
	return true;
}

void
ike_sa_hdr(const struct ike_sa *sa, struct ike_hdr *h, uint8_t exch,
    bool response, uint32_t msgid)
{
	memset(h, 0, sizeof(*h));
	h->ispi = be64_get(sa->spi_i);
	h->rspi = be64_get(sa->spi_r);
	h->version = IKE_VERSION;
	h->exch = exch;
	h->flags = (sa->initiator ? IKE_FLAG_INITIATOR : 0) |
	    (response ? IKE_FLAG_RESPONSE : 0);
	h->msgid = msgid;
}

static int
ike_sa_seal(struct ike_sa *sa, uint8_t exch, bool response, uint32_t msgid,
    const uint8_t *inner, size_t len, uint8_t first, uint8_t *out,
    size_t cap)
{
	struct ike_hdr		 h;
	struct wr		 w;
	struct ike_enc		 e;
	struct ike_sk_keys	 k;
	uint8_t			 iv[CRYPTO_IV_MAX];
	int			 off, n;

	ike_sa_hdr(sa, &h, exch, response, msgid);
	wr_init(&w, out, cap);
	ike_enc_init(&e, &w, &h);
	if ((off = ike_enc_seal(&e, IKE_PLD_SK)) < 0)
		return -1;
	k.suite = &sa->suite;
	k.ekey = sa->initiator ? sa->keys.sk_ei : sa->keys.sk_er;
	k.akey = sa->initiator ? sa->keys.sk_ai : sa->keys.sk_ar;
	if (core_random(sa->core, iv, sa->suite.iv_len) != 0)
		return -1;
	n = ike_sk_protect(out, cap, (size_t)off, NULL, first, inner, len, &k,
	    iv);
	return n < 0 ? -1 : n;
}

/* Retransmission timeout after `tries` retransmissions (RFC 7296 2.1). */
static uint64_t
retx_timeout(const struct ike_sa *sa, unsigned int tries)
{
	const struct cfg_ike	*ci = &sa->core->cfg->ike;
	double			 t = ci->retransmit_timeout_ms;
	unsigned int		 i;
	uint32_t		 jit;

	if (t <= 0)
		t = 4000;
	for (i = 0; i < tries; i++)
		t *= ci->retransmit_base > 1 ? ci->retransmit_base : 1.8;
	if (ci->retransmit_limit_ms != 0 && t > ci->retransmit_limit_ms)
		t = ci->retransmit_limit_ms;
	if (ci->retransmit_jitter_pct != 0 &&
	    core_random(sa->core, &jit, sizeof(jit)) == 0)
		t -= t * (jit % (ci->retransmit_jitter_pct + 1)) / 100.0;
	return (uint64_t)t;
}

static int
ike_sa_store_req(struct ike_sa *sa, enum ike_req_kind kind, uint8_t exch,
    const uint8_t *msg, size_t len, uint32_t msgid, uint64_t now)
{
	uint8_t		*b;

	if ((b = malloc(len)) == NULL)
		return -1;
	memcpy(b, msg, len);
	free(sa->req.buf);
	sa->req.buf = b;
	sa->req.len = len;
	sa->req.kind = kind;
	sa->req.exch = exch;
	sa->req.msgid = msgid;
	sa->req.tries = 0;
	sa->req.next_ms = now + retx_timeout(sa, 0);
	return 0;
}

int
ike_sa_send_plain_request(struct ike_sa *sa, const uint8_t *msg, size_t len,
    uint64_t now)
{
	if (ike_sa_store_req(sa, IKE_REQ_INIT, IKE_EXCH_SA_INIT, msg, len, 0,
	    now) != 0)
		return -1;
	return core_queue_sa(sa, msg, len);
}

int
ike_sa_send_request(struct ike_sa *sa, enum ike_req_kind kind, uint8_t exch,
    const uint8_t *inner, size_t len, uint8_t first, uint64_t now)
{
	uint8_t		 msg[IKE_MSG_MAX];
	int		 n;
	uint32_t	 id = sa->msgid_send;

	if ((n = ike_sa_seal(sa, exch, false, id, inner, len, first, msg,
	    sizeof(msg))) < 0)
		return -1;
	if (ike_sa_store_req(sa, kind, exch, msg, (size_t)n, id, now) != 0)
		return -1;
	sa->msgid_send++;
	if (ike_state_up(sa->state))
		ike_sa_emit(sa, IKE_EV_IKE_MID, NULL);
	return core_queue_sa(sa, msg, (size_t)n);
}

int
ike_sa_seal_response(struct ike_sa *sa, uint8_t exch, uint32_t msgid,
    const uint8_t *inner, size_t len, uint8_t first)
{
	uint8_t		 msg[IKE_MSG_MAX];
	uint8_t		*b;
	int		 n;

	if ((n = ike_sa_seal(sa, exch, true, msgid, inner, len, first, msg,
	    sizeof(msg))) < 0)
		return -1;
	if ((b = malloc((size_t)n)) == NULL)
		return -1;
	memcpy(b, msg, (size_t)n);
	free(sa->resp);
	sa->resp = b;
	sa->resp_len = (size_t)n;
	sa->resp_valid = true;
	return 0;
}

int
ike_sa_send_response(struct ike_sa *sa, uint8_t exch, uint32_t msgid,
    const uint8_t *inner, size_t len, uint8_t first)
{
	if (ike_sa_seal_response(sa, exch, msgid, inner, len, first) != 0)
		return -1;
	if (ike_state_up(sa->state))
		ike_sa_emit(sa, IKE_EV_IKE_MID, NULL);
	return core_queue_sa(sa, sa->resp, sa->resp_len);
}

void
ike_sa_emit_up_pending(struct ike_sa *sa)
{
	sa->up_deferred = false;
	if (!sa->up_pending)
		return;
	sa->up_pending = false;
	ike_sa_emit(sa, IKE_EV_IKE_UP, NULL);
}

void
ike_sa_retransmit_tick(struct ike_sa *sa, uint64_t now)
{
	const struct cfg_ike	*ci = &sa->core->cfg->ike;

	if (sa->req.kind == IKE_REQ_NONE || sa->req.next_ms == 0 ||
	    now < sa->req.next_ms)
		return;
	if (sa->req.tries >= ci->retransmit_tries) {
		core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_TIMEOUT,
		    "%s request %u unanswered after %u retransmits, peer %s",
		    ike_exch_name(sa->req.exch), sa->req.msgid,
		    sa->req.tries, sa->peer_id[0] ? sa->peer_id : "?");
		if (core_peer_dead(sa, now) == 0) {
			/* dpd_action = none: keep trying at the longest
			 * interval, same message ID (2.3) */
			sa->req.next_ms = now + retx_timeout(sa,
			    sa->req.tries);
			sa->core->st.retransmits++;
			core_queue_sa(sa, sa->req.buf, sa->req.len);
		}
		return;
	}
	sa->req.tries++;
	sa->req.next_ms = now + retx_timeout(sa, sa->req.tries);
	sa->core->st.retransmits++;
	core_log(sa->core, sa, IKE_LOG_INFO, IKE_LK_RETRANSMIT,
	    "retransmit %u of %s request %u", sa->req.tries,
	    ike_exch_name(sa->req.exch), sa->req.msgid);
	core_queue_sa(sa, sa->req.buf, sa->req.len);
}

static uint64_t
min_dl(uint64_t a, uint64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

uint64_t
ike_sa_deadline(const struct ike_sa *sa)
{
	const struct child_sa	*ch;
	uint64_t		 d = 0;

	if (sa->standby)
		return 0;	/* passive until its group is activated */
	d = min_dl(d, sa->req.kind != IKE_REQ_NONE ? sa->req.next_ms : 0);
	d = min_dl(d, sa->half_open_ms);
	if (sa->state == IKE_S_ESTABLISHED) {
		d = min_dl(d, sa->rekey_ms);
		d = min_dl(d, sa->dpd_ms);
	}
	if (ike_state_up(sa->state))
		d = min_dl(d, sa->expire_ms);
	for (ch = sa->children; ch != NULL; ch = ch->next)
		d = min_dl(d, child_sa_deadline(ch));
	return d;
}

static uint32_t
jitter_s(struct ike_sa *sa, uint32_t max_s)
{
	uint32_t	 r = 0;

	if (max_s == 0 || core_random(sa->core, &r, sizeof(r)) != 0)
		return 0;
	return r % (max_s + 1);
}

void
ike_sa_arm_lifetimes(struct ike_sa *sa, uint64_t now)
{
	const struct cfg_conn	*cn = sa->conn;
	uint32_t		 rk;

	sa->rekey_ms = sa->expire_ms = sa->dpd_ms = 0;
	sa->last_rx_ms = now;
	if (cn == NULL)
		return;
	if (cn->rekey_time_s != 0) {
		rk = cn->rekey_time_s - jitter_s(sa, cn->rand_time_s <
		    cn->rekey_time_s ? cn->rand_time_s : 0);
		sa->rekey_ms = now + (uint64_t)rk * 1000;
		sa->expire_ms = now + ((uint64_t)cn->rekey_time_s +
		    cn->over_time_s) * 1000;
	}
	if (cn->dpd_delay_s != 0)
		sa->dpd_ms = now + (uint64_t)cn->dpd_delay_s * 1000;
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
ike_sa_rec(const struct ike_sa *sa, struct sa_ike *r, bool with_keys)
{
	const struct ike_core	*c = sa->core;

	memset(r, 0, sizeof(*r));
	r->gen = sa->core->ev_seq + 1;
	memcpy(r->spi_i, sa->spi_i, SA_SPI_LEN);
	memcpy(r->spi_r, sa->spi_r, SA_SPI_LEN);
	r->role = sa->initiator ? SA_ROLE_INITIATOR : SA_ROLE_RESPONDER;
	r->flags = sa->sa_flags;
	r->local = sa->local;
	r->remote = sa->remote;
	r->local_id = sa->local_id;
	r->remote_id = sa->remote_id;
	r->encr = sa->chosen.encr;
	r->encr_bits = sa->chosen.encr_keylen;
	r->prf = sa->chosen.prf;
	r->integ = sa->chosen.has_integ ? sa->chosen.integ : 0;
	r->ke = sa->chosen.ke;
	if (with_keys) {
		key_rec(sa->keys.sk_d, &r->sk_d);
		key_rec(sa->keys.sk_ai, &r->sk_ai);
		key_rec(sa->keys.sk_ar, &r->sk_ar);
		key_rec(sa->keys.sk_ei, &r->sk_ei);
		key_rec(sa->keys.sk_er, &r->sk_er);
		key_rec(sa->keys.sk_pi, &r->sk_pi);
		key_rec(sa->keys.sk_pr, &r->sk_pr);
	}
	r->msgid_send = sa->msgid_send;
	r->msgid_recv = sa->msgid_recv;
	r->peer_window = 1;
	if (sa->resp_valid && sa->resp_len <= SA_RESP_MAX) {
		r->resp_len = (uint16_t)sa->resp_len;
		memcpy(r->resp, sa->resp, sa->resp_len);
	}
	/*
	 * sa_rec.h wants wall-clock times; the core only knows the edge's
	 * monotonic clock.  We record monotonic ms and the edge (sync_out.c)
	 * converts: it knows both clocks.
	 */
	r->established_ms = sa->established_ms;
	r->rekey_ms = sa->rekey_ms;
	r->dpd_ms = sa->conn != NULL ? (uint64_t)sa->conn->dpd_delay_s * 1000 :
	    0;
	snprintf(r->conn, sizeof(r->conn), "%s", sa->conn_name);
	if (sa->conn != NULL)
		snprintf(r->group, sizeof(r->group), "%s",
		    sa->conn->vip_group);
	(void)c;
}

void
ike_sa_emit(struct ike_sa *sa, enum ike_ev_type type,
    struct ike_sa *old)
{
	struct ike_event	 ev;
	struct sa_ike		*r;

	if (sa->core->env.event == NULL) {
		sa->core->ev_seq++;
		goto barrier;
	}
	if ((r = malloc(sizeof(*r))) == NULL)
		return;
	ike_sa_rec(sa, r, type != IKE_EV_IKE_DOWN);
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ike_uid = sa->uid;
	ev.ike = r;
	if (old != NULL) {
		memcpy(ev.old_spi_i, old->spi_i, SA_SPI_LEN);
		memcpy(ev.old_spi_r, old->spi_r, SA_SPI_LEN);
	}
	core_event(sa->core, &ev);
	sa_ike_wipe(r);
	free(r);
 barrier:
	/* What either SA sends next follows this event (a rekey's response
	 * goes out on the old SA). */
	sa->ev_last = sa->core->ev_seq;
	if (old != NULL)
		old->ev_last = sa->core->ev_seq;
}

int
ike_sa_task_add(struct ike_sa *sa, const struct ike_task *t)
{
	size_t	 i;

	for (i = 0; i < sa->ntasks; i++)
		if (sa->tasks[i].kind == t->kind && sa->tasks[i].uid == t->uid &&
		    strcmp(sa->tasks[i].name, t->name) == 0)
			return 0;	/* already queued */
	if (sa->ntasks >= nitems(sa->tasks))
		return -1;
	sa->tasks[sa->ntasks++] = *t;
	return 0;
}

void
ike_sa_task_run(struct ike_sa *sa, uint64_t now)
{
	struct ike_task	 t;
	struct child_sa	*ch;
	int		 rc = 0;

	while (sa->ntasks > 0 && sa->req.kind == IKE_REQ_NONE &&
	    (sa->state == IKE_S_ESTABLISHED || sa->state == IKE_S_REKEYED)) {
		t = sa->tasks[0];
		memmove(&sa->tasks[0], &sa->tasks[1],
		    (sa->ntasks - 1) * sizeof(sa->tasks[0]));
		sa->ntasks--;
		switch (t.kind) {
		case IKE_TASK_CHILD_NEW:
			rc = exch_child_start(sa, t.name, now);
			break;
		case IKE_TASK_CHILD_REKEY:
			ch = child_sa_by_uid(sa->core, t.uid);
			if (ch != NULL && ch->ike == sa &&
			    ch->state == CHILD_S_INSTALLED)
				rc = exch_child_rekey_start(sa, t.uid, now);
			break;
		case IKE_TASK_CHILD_DELETE:
			rc = exch_info_delete_child(sa, t.spi, now);
			break;
		case IKE_TASK_IKE_REKEY:
			if (sa->state == IKE_S_ESTABLISHED)
				rc = exch_ike_rekey_start(sa, now);
			break;
		case IKE_TASK_IKE_DELETE:
			/* frees nothing yet: the SA waits for the answer */
			exch_info_delete_ike(sa, now);
			return;
		case IKE_TASK_DPD:
			rc = exch_info_dpd(sa, now);
			break;
		}
		if (rc != 0)
			core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
			    "task %d could not start", (int)t.kind);
	}
}
