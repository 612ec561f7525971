/*
 * ikev2d/exch_child.c -- CREATE_CHILD_SA (RFC 7296 1.3): a new Child SA,
 * a Child SA rekey (REKEY_SA, optional PFS with a KE payload), and the
 * IKE SA rekey (2.18: Child SAs move to the new IKE SA, the initiator of
 * the rekey deletes the old one).
 *
 * Simultaneous IKE SA rekeys (2.8.2): when the peer rekeys the IKE SA we
 * are rekeying, we answer (its new SA takes the Child SAs) and remember
 * the lowest nonce of its exchange.  When our own exchange completes, the
 * exchange holding the lowest of the four nonces made the redundant SA:
 * if that is ours we delete our new SA and leave the old one to the peer
 * (it initiated the survivor); otherwise the Child SAs move to our new SA
 * and we delete the old one, and the peer deletes its redundant SA.
 * Child SAs only move between IKE SAs: the kernel is not touched.
 *
 * Simultaneous Child rekeys (2.8.1): when the peer rekeys a Child SA we
 * are rekeying, we answer and remember the lowest nonce of its exchange.
 * When our own exchange completes, the exchange holding the lowest of the
 * four nonces made the redundant SA: if that is ours we delete our new
 * Child SA and leave the old one to the peer; otherwise we delete the old
 * one (the peer deletes the redundant one it made).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "child_sa.h"
#include "ike_sa.h"
#include "ts.h"

static const struct ike_pld_ref *
find(const struct ike_chain *c, uint8_t t)
{
	size_t	 from = 0;

	return ike_chain_find(c, t, &from);
}

static void
spi32(uint32_t v, uint8_t *p)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* a < b as nonces: bytewise, then the shorter first. */
static int
nonce_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	int	 r = memcmp(a, b, al < bl ? al : bl);

	if (r != 0)
		return r;
	return al < bl ? -1 : al > bl;
}

static void
nonce_min(const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
    uint8_t *out, size_t *ol)
{
	if (nonce_cmp(a, al, b, bl) <= 0) {
		memcpy(out, a, al);
		*ol = al;
	} else {
		memcpy(out, b, bl);
		*ol = bl;
	}
}

static int
child_request(struct ike_sa *sa, enum ike_req_kind kind,
    const struct cfg_child *cc, struct child_sa *old, uint64_t now)
{
	struct ike_cfg_prop	 props[IKE_CFG_MAX_PROPS];
	struct ike_pending	 p;
	struct ike_notify_pld	 n;
	struct ike_ke_pld	 kp;
	struct ike_enc		 e;
	struct wr		 w;
	uint8_t			 inner[IKE_INNER_MAX], spi[4], ospi[4];
	size_t			 np;
	int			 len, ret = -1;

	memset(&p, 0, sizeof(p));
	snprintf(p.child, sizeof(p.child), "%s", cc->name);
	p.reqid = old != NULL ? old->reqid : child_sa_reqid(sa, cc);
	p.old_uid = old != NULL ? old->uid : 0;
	if (old != NULL) {
		p.tsi = old->ts_local;
		p.tsr = old->ts_remote;
	} else if (ts_from_cfg(cc->local_ts, cc->nlocal_ts, &sa->local,
	    &p.tsi) < 0 || ts_from_cfg(cc->remote_ts, cc->nremote_ts,
	    &sa->remote, &p.tsr) < 0)
		return -1;
	np = core_props(cc->esp_proposals, cc->nesp_proposals, IKE_PROTO_ESP,
	    props, nitems(props));
	if (np == 0 || core_random(sa->core, p.ni, sizeof(p.ni)) != 0)
		return -1;
	if (props[0].nke > 0 && props[0].ke[0] != IKE_KE_NONE &&
	    (p.ke = ke_new((enum ike_ke)props[0].ke[0])) == NULL)
		return -1;
	if ((p.spi_in = child_sa_alloc_spi(sa, p.reqid)) == 0)
		goto done;
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	if (old != NULL) {
		memset(&n, 0, sizeof(n));
		n.type = IKE_N_REKEY_SA;
		n.proto = IKE_PROTO_ESP;
		n.spi_size = 4;
		spi32(old->spi_in, ospi);
		n.spi = ospi;
		ike_enc_notify(&e, &n);
	}
	spi32(p.spi_in, spi);
	ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
	if (ike_proposal_encode(e.w, props, np, spi, 4, 0) != 0)
		goto done;
	ike_enc_pld_end(&e);
	ike_enc_nonce(&e, p.ni, sizeof(p.ni));
	if (p.ke != NULL) {
		kp.group = props[0].ke[0];
		kp.data = ke_public(p.ke, &kp.len);
		ike_enc_ke(&e, &kp);
	}
	ike_enc_ts(&e, IKE_PLD_TSI, &p.tsi);
	ike_enc_ts(&e, IKE_PLD_TSR, &p.tsr);
	if ((len = ike_enc_finish(&e)) < 0)
		goto done;
	if (ike_sa_send_request(sa, kind, IKE_EXCH_CREATE_CHILD, inner,
	    (size_t)len, ike_enc_first(&e), now) != 0)
		goto done;
	sa->req.p = p;		/* the request owns p.ke now */
	p.ke = NULL;
	if (old != NULL)
		old->state = CHILD_S_REKEYING;
	ret = 0;
 done:
	if (ret != 0) {
		child_sa_release_spi(sa, p.spi_in);
		ke_free(p.ke);
	}
	return ret;
}

int
exch_child_start(struct ike_sa *sa, const char *child, uint64_t now)
{
	const struct cfg_child	*cc;

	if ((cc = core_child(sa->conn, child)) == NULL)
		return -1;
	return child_request(sa, IKE_REQ_CHILD_NEW, cc, NULL, now);
}

int
exch_child_rekey_start(struct ike_sa *sa, uint32_t uid, uint64_t now)
{
	struct child_sa		*ch;
	const struct cfg_child	*cc;

	if ((ch = child_sa_by_uid(sa->core, uid)) == NULL ||
	    (cc = core_child(sa->conn, ch->name)) == NULL)
		return -1;
	return child_request(sa, IKE_REQ_CHILD_REKEY, cc, ch, now);
}

int
exch_ike_rekey_start(struct ike_sa *sa, uint64_t now)
{
	struct ike_cfg_prop	 props[IKE_CFG_MAX_PROPS];
	struct ike_pending	 p;
	struct ike_ke_pld	 kp;
	struct ike_enc		 e;
	struct wr		 w;
	uint8_t			 inner[IKE_INNER_MAX];
	size_t			 np;
	int			 len;

	memset(&p, 0, sizeof(p));
	np = core_props(sa->conn->proposals, sa->conn->nproposals,
	    IKE_PROTO_IKE, props, nitems(props));
	if (np == 0 || core_random(sa->core, p.ni, sizeof(p.ni)) != 0 ||
	    core_random(sa->core, p.new_spi, sizeof(p.new_spi)) != 0)
		return -1;
	/* the group in use: the peer accepted it already */
	if ((p.ke = ke_new((enum ike_ke)sa->chosen.ke)) == NULL)
		return -1;
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
	ike_proposal_encode(e.w, props, np, p.new_spi, IKE_SPI_LEN, 0);
	ike_enc_pld_end(&e);
	ike_enc_nonce(&e, p.ni, sizeof(p.ni));
	kp.group = sa->chosen.ke;
	kp.data = ke_public(p.ke, &kp.len);
	ike_enc_ke(&e, &kp);
	if ((len = ike_enc_finish(&e)) < 0 ||
	    ike_sa_send_request(sa, IKE_REQ_IKE_REKEY, IKE_EXCH_CREATE_CHILD,
	    inner, (size_t)len, ike_enc_first(&e), now) != 0) {
		ke_free(p.ke);
		return -1;
	}
	sa->req.p = p;
	ike_sa_event(sa, IKE_FEV_REKEY_START, now);
	return 0;
}

/* Move the Child SAs of old to nsa (2.18). */
static void
move_children(struct ike_sa *old, struct ike_sa *nsa)
{
	struct child_sa	*ch;

	while ((ch = old->children) != NULL) {
		old->children = ch->next;
		ch->ike = nsa;
		ch->next = nsa->children;
		nsa->children = ch;
	}
}

static struct ike_sa *
ike_rekeyed(struct ike_sa *old, bool initiator, const uint8_t *spi_i,
    const uint8_t *spi_r, const struct ike_chosen *ch,
    const struct secbuf *gir, const struct ike_nonces *n, uint64_t now)
{
	struct ike_sa	*nsa;

	if ((nsa = ike_sa_new(old->core, initiator, &old->local,
	    &old->remote)) == NULL)
		return NULL;
	memcpy(nsa->spi_i, spi_i, IKE_SPI_LEN);
	memcpy(nsa->spi_r, spi_r, IKE_SPI_LEN);
	nsa->conn = old->conn;
	memcpy(nsa->conn_name, old->conn_name, sizeof(nsa->conn_name));
	ike_sa_refile(nsa);
	nsa->natt = old->natt;
	nsa->sa_flags = old->sa_flags;
	nsa->local_id = old->local_id;
	nsa->remote_id = old->remote_id;
	memcpy(nsa->peer_id, old->peer_id, sizeof(nsa->peer_id));
	nsa->chosen = *ch;
	if (crypto_suite_init(&nsa->suite, ch->encr, ch->encr_keylen,
	    ch->has_integ ? ch->integ : IKE_INTEG_NONE, ch->prf, ch->ke) != 0 ||
	    keys_ike_rekey(&nsa->suite, old->chosen.prf, old->keys.sk_d, gir,
	    n, nsa->spi_i, nsa->spi_r, &nsa->keys) != 0) {
		ike_sa_free(nsa);
		return NULL;
	}
	move_children(old, nsa);
	nsa->rekey_of = old;
	ike_sa_event(nsa, IKE_FEV_AUTH_OK, now);
	nsa->rekey_of = NULL;
	ike_sa_event(old, IKE_FEV_REKEYED, now);
	return nsa;
}

static int
ike_rekey_request(struct ike_sa *sa, const struct ike_rx *rx,
    const struct ike_sa_pld *sap)
{
	struct ike_core			*c = sa->core;
	const struct ike_pld_ref	*pke, *pn;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	struct ike_chosen		 ch;
	struct ike_ke_pld		 kp, ours;
	struct ike_blob			 ni;
	struct ike_nonces		 nn;
	struct ike_enc			 e;
	struct wr			 w;
	struct ike_sa			*nsa;
	struct ke			*ke = NULL;
	struct secbuf			*gir = NULL;
	uint8_t				 inner[IKE_INNER_MAX], nr[IKE_NONCE_LEN];
	uint8_t				 spi_r[IKE_SPI_LEN], g[2];
	uint32_t			 msgid = rx->m->hdr.msgid;
	size_t				 np;
	int				 len, ret = -1;
	bool				 collision;

	pke = find(rx->in, IKE_PLD_KE);
	pn = find(rx->in, IKE_PLD_NONCE);
	np = core_props(sa->conn->proposals, sa->conn->nproposals,
	    IKE_PROTO_IKE, props, nitems(props));
	if (pke == NULL || pn == NULL ||
	    ike_pld_ke_decode(pke->body, pke->len, &kp) != 0 ||
	    ike_pld_nonce_decode(pn->body, pn->len, &ni) != 0)
		return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
		    IKE_N_INVALID_SYNTAX, NULL, 0);
	if (ike_proposal_select(props, np, sap, IKE_PROTO_IKE, 0, &ch) != 0 ||
	    ch.spi_size != IKE_SPI_LEN)
		return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
		    IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	if (kp.group != ch.ke) {
		g[0] = (uint8_t)(ch.ke >> 8);
		g[1] = (uint8_t)ch.ke;
		return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
		    IKE_N_INVALID_KE_PAYLOAD, g, 2);
	}
	/* REKEYING: ours is out too, a collision (2.8.2) */
	if (sa->state != IKE_S_ESTABLISHED && sa->state != IKE_S_REKEYING)
		return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
		    IKE_N_TEMPORARY_FAILURE, NULL, 0);
	collision = sa->state == IKE_S_REKEYING;
	if (core_random(c, nr, sizeof(nr)) != 0 ||
	    core_random(c, spi_r, sizeof(spi_r)) != 0 ||
	    (ke = ke_new(ch.ke)) == NULL ||
	    ke_shared(ke, kp.data, kp.len, &gir) != 0)
		goto done;
	nn.ni = ni.data;
	nn.ni_len = ni.len;
	nn.nr = nr;
	nn.nr_len = sizeof(nr);
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
	ike_proposal_encode_chosen(e.w, &ch, spi_r, IKE_SPI_LEN);
	ike_enc_pld_end(&e);
	ike_enc_nonce(&e, nr, sizeof(nr));
	ours.group = ch.ke;
	ours.data = ke_public(ke, &ours.len);
	ike_enc_ke(&e, &ours);
	if ((len = ike_enc_finish(&e)) < 0)
		goto done;
	if ((nsa = ike_rekeyed(sa, false, ch.spi, spi_r, &ch, gir, &nn,
	    rx->now)) == NULL)
		goto done;
	if (collision) {
		sa->peer_rekey_new = nsa;
		nsa->peer_rekey_old = sa;
		nonce_min(ni.data, ni.len, nr, sizeof(nr), sa->peer_rekey_nmin,
		    &sa->peer_rekey_nmin_len);
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_IKE_REKEYED,
		    "IKE rekey collision: the peer's rekey answered while "
		    "ours is out (RFC 7296 2.8.2)");
	}
	/* the response goes out under the old SA */
	ret = ike_sa_send_response(sa, IKE_EXCH_CREATE_CHILD, msgid, inner,
	    (size_t)len, ike_enc_first(&e));
 done:
	ke_free(ke);
	secbuf_free(gir);
	return ret;
}

int
exch_child_request(struct ike_sa *sa, const struct ike_rx *rx)
{
	struct ike_core			*c = sa->core;
	const struct ike_pld_ref	*psa, *pn, *pke;
	const struct cfg_child		*cc = NULL;
	struct ike_sa_pld		 sap;
	struct ike_sa_iter		 it;
	struct ike_prop			 first;
	struct ike_notify_pld		 n;
	struct ike_chosen		 esp;
	struct ike_ts_pld		 ni, nr;
	struct ike_blob			 nonce;
	struct ike_ke_pld		 kp, ours;
	struct ike_nonces		 nn;
	struct ike_enc			 e;
	struct wr			 w;
	struct child_sa			*old = NULL, *ch = NULL;
	struct ke			*ke = NULL;
	struct secbuf			*gir = NULL;
	uint8_t				 inner[IKE_INNER_MAX], r[IKE_NONCE_LEN];
	uint8_t				 spi[4], g[2], proto;
	uint32_t			 msgid = rx->m->hdr.msgid, ospi;
	uint32_t			 spi_in = 0, reqid;
	int				 len, err = 0;

	psa = find(rx->in, IKE_PLD_SA);
	pn = find(rx->in, IKE_PLD_NONCE);
	if (psa == NULL || pn == NULL ||
	    ike_pld_sa_decode(psa->body, psa->len, &sap) != 0 ||
	    ike_pld_nonce_decode(pn->body, pn->len, &nonce) != 0)
		return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
		    IKE_N_INVALID_SYNTAX, NULL, 0);
	ike_pld_sa_iter(&sap, &it);
	if (ike_pld_sa_next(&it, &first) && first.proto == IKE_PROTO_IKE)
		return ike_rekey_request(sa, rx, &sap);
	if (sa->state != IKE_S_ESTABLISHED && sa->state != IKE_S_REKEYING)
		return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
		    IKE_N_TEMPORARY_FAILURE, NULL, 0);
	if (exch_find_notify(rx->in, IKE_N_REKEY_SA, &n) != NULL) {
		if (ike_n_rekey_sa_decode(&n, &proto, &ospi) != 0 ||
		    (old = child_sa_by_spi_out(sa, ospi)) == NULL ||
		    old->state == CHILD_S_DELETING)
			return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD,
			    msgid, IKE_N_CHILD_SA_NOT_FOUND, NULL, 0);
	}
	if ((err = exch_child_choose(sa, rx->in, 0, &cc, &esp, &ni, &nr)) != 0)
		return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
		    (uint16_t)err, NULL, 0);
	if (core_random(c, r, sizeof(r)) != 0)
		return -1;
	if (esp.has_ke && esp.ke != IKE_KE_NONE) {
		if ((pke = find(rx->in, IKE_PLD_KE)) == NULL ||
		    ike_pld_ke_decode(pke->body, pke->len, &kp) != 0 ||
		    kp.group != esp.ke) {
			g[0] = (uint8_t)(esp.ke >> 8);
			g[1] = (uint8_t)esp.ke;
			return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD,
			    msgid, IKE_N_INVALID_KE_PAYLOAD, g, 2);
		}
		if ((ke = ke_new(esp.ke)) == NULL ||
		    ke_shared(ke, kp.data, kp.len, &gir) != 0) {
			err = IKE_N_INVALID_SYNTAX;
			goto fail;
		}
	}
	nn.ni = nonce.data;
	nn.ni_len = nonce.len;
	nn.nr = r;
	nn.nr_len = sizeof(r);
	reqid = old != NULL ? old->reqid : child_sa_reqid(sa, cc);
	if ((spi_in = child_sa_alloc_spi(sa, reqid)) == 0 ||
	    (ch = child_sa_install(sa, cc->name, false, &esp, spi_in,
	    ike_chosen_spi32(&esp), reqid, &nr, &ni, &nn, gir, rx->now)) ==
	    NULL) {
		err = IKE_N_TEMPORARY_FAILURE;
		goto fail;
	}
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	spi32(spi_in, spi);
	ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
	ike_proposal_encode_chosen(e.w, &esp, spi, 4);
	ike_enc_pld_end(&e);
	ike_enc_nonce(&e, r, sizeof(r));
	if (ke != NULL) {
		ours.group = esp.ke;
		ours.data = ke_public(ke, &ours.len);
		ike_enc_ke(&e, &ours);
	}
	ike_enc_ts(&e, IKE_PLD_TSI, &ni);
	ike_enc_ts(&e, IKE_PLD_TSR, &nr);
	len = ike_enc_finish(&e);
	if (old != NULL) {
		if (old->state == CHILD_S_REKEYING) {
			/* 2.8.1 collision: remember the peer's exchange */
			old->peer_new_uid = ch->uid;
			nonce_min(nonce.data, nonce.len, r, sizeof(r),
			    old->peer_nmin, &old->peer_nmin_len);
		} else
			old->state = CHILD_S_REKEYED;
		child_sa_emit(ch, IKE_EV_CHILD_REKEYED, old);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_REKEYED,
		    "child %s rekeyed by peer: %08x_i -> %08x_i", ch->name,
		    old->spi_in, ch->spi_in);
	} else {
		child_sa_emit(ch, IKE_EV_CHILD_UP, NULL);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_UP,
		    "child %s installed, SPIs %08x_i %08x_o", ch->name,
		    ch->spi_in, ch->spi_out);
	}
	ke_free(ke);
	secbuf_free(gir);
	if (len < 0)
		return -1;
	return ike_sa_send_response(sa, IKE_EXCH_CREATE_CHILD, msgid, inner,
	    (size_t)len, ike_enc_first(&e));
 fail:
	ke_free(ke);
	secbuf_free(gir);
	return exch_send_notify(sa, IKE_EXCH_CREATE_CHILD, msgid,
	    (uint16_t)err, NULL, 0);
}

static int
ike_rekey_response(struct ike_sa *sa, const struct ike_rx *rx,
    struct ike_pending *p)
{
	const struct ike_pld_ref	*psa, *pke, *pn;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	struct ike_sa_pld		 sap;
	struct ike_chosen		 ch;
	struct ike_ke_pld		 kp;
	struct ike_blob			 nr;
	struct ike_nonces		 nn;
	struct secbuf			*gir = NULL;
	struct ike_sa			*nsa, *peer;
	struct ike_core			*c = sa->core;
	uint8_t				 mine[IKE_NONCE_MAX];
	size_t				 np, minelen;
	uint64_t			 dl;

	psa = find(rx->in, IKE_PLD_SA);
	pke = find(rx->in, IKE_PLD_KE);
	pn = find(rx->in, IKE_PLD_NONCE);
	np = core_props(sa->conn->proposals, sa->conn->nproposals,
	    IKE_PROTO_IKE, props, nitems(props));
	if (psa == NULL || pke == NULL || pn == NULL ||
	    ike_pld_sa_decode(psa->body, psa->len, &sap) != 0 ||
	    ike_pld_ke_decode(pke->body, pke->len, &kp) != 0 ||
	    ike_pld_nonce_decode(pn->body, pn->len, &nr) != 0 ||
	    ike_proposal_check_reply(props, np, &sap, IKE_PROTO_IKE, 0,
	    &ch) != 0 || ch.spi_size != IKE_SPI_LEN || kp.group != ch.ke ||
	    p->ke == NULL || ke_group(p->ke) != ch.ke ||
	    ke_shared(p->ke, kp.data, kp.len, &gir) != 0) {
		core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
		    "IKE rekey refused or malformed");
		ike_sa_event(sa, IKE_FEV_REKEY_FAIL, rx->now);
		return 0;
	}
	nn.ni = p->ni;
	nn.ni_len = sizeof(p->ni);
	nn.nr = nr.data;
	nn.nr_len = nr.len;
	nsa = ike_rekeyed(sa, true, p->new_spi, ch.spi, &ch, gir, &nn,
	    rx->now);
	secbuf_free(gir);
	if (nsa == NULL) {
		ike_sa_event(sa, IKE_FEV_REKEY_FAIL, rx->now);
		return 0;
	}
	if ((peer = sa->peer_rekey_new) != NULL) {
		/* 2.8.2: the lowest of the four nonces marks the loser */
		nonce_min(p->ni, sizeof(p->ni), nr.data, nr.len, mine,
		    &minelen);
		if (nonce_cmp(mine, minelen, sa->peer_rekey_nmin,
		    sa->peer_rekey_nmin_len) < 0) {
			core_log(c, nsa, IKE_LOG_NOTICE, IKE_LK_IKE_REKEYED,
			    "IKE rekey collision lost: deleting this "
			    "redundant SA; the peer deletes the old one");
			sa->delete_after_peer = true;
			/* if the peer never does, we do (sa_tick) */
			dl = rx->now + c->lim.half_open_timeout_ms;
			if (sa->expire_ms == 0 || sa->expire_ms > dl)
				sa->expire_ms = dl;
			return exch_info_delete_ike(nsa, rx->now);
		}
		move_children(peer, nsa);
		ike_sa_emit(nsa, IKE_EV_IKE_REKEYED, peer);
		core_log(c, nsa, IKE_LOG_NOTICE, IKE_LK_IKE_REKEYED,
		    "IKE rekey collision won: Child SAs moved here, deleting "
		    "the old SA; the peer deletes its redundant one");
	}
	/* 2.18: the initiator of the rekey deletes the old IKE SA */
	return exch_info_delete_ike(sa, rx->now);
}

int
exch_child_response(struct ike_sa *sa, const struct ike_rx *rx)
{
	struct ike_core			*c = sa->core;
	const struct ike_pld_ref	*psa, *pn, *pke, *pti, *ptr;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	const struct cfg_child		*cc;
	struct ike_pending		 p = sa->req.p;
	enum ike_req_kind		 kind = sa->req.kind;
	struct ike_sa_pld		 sap;
	struct ike_chosen		 esp;
	struct ike_ts_pld		 tsi, tsr;
	struct ike_blob			 nr;
	struct ike_ke_pld		 kp;
	struct ike_nonces		 nn;
	struct ike_task			 t;
	struct child_sa			*old, *ch;
	struct secbuf			*gir = NULL;
	uint8_t				 mine[IKE_NONCE_MAX];
	size_t				 np, minelen;
	int				 ret = 0;

	sa->req.p.ke = NULL;	/* p owns it now */
	ike_sa_req_done(sa);
	if (kind == IKE_REQ_IKE_REKEY) {
		ret = ike_rekey_response(sa, rx, &p);
		ke_free(p.ke);
		return ret;
	}
	old = p.old_uid != 0 ? child_sa_by_uid(c, p.old_uid) : NULL;
	cc = core_child(sa->conn, p.child);
	psa = find(rx->in, IKE_PLD_SA);
	pn = find(rx->in, IKE_PLD_NONCE);
	pti = find(rx->in, IKE_PLD_TSI);
	ptr = find(rx->in, IKE_PLD_TSR);
	np = cc != NULL ? core_props(cc->esp_proposals, cc->nesp_proposals,
	    IKE_PROTO_ESP, props, nitems(props)) : 0;
	if (cc == NULL || psa == NULL || pn == NULL || pti == NULL ||
	    ptr == NULL || ike_pld_sa_decode(psa->body, psa->len, &sap) != 0 ||
	    ike_pld_nonce_decode(pn->body, pn->len, &nr) != 0 ||
	    ike_pld_ts_decode(pti->body, pti->len, &tsi) != 0 ||
	    ike_pld_ts_decode(ptr->body, ptr->len, &tsr) != 0 ||
	    ike_proposal_check_reply(props, np, &sap, IKE_PROTO_ESP, 0,
	    &esp) != 0 || !ts_subset(&tsi, &p.tsi) || !ts_subset(&tsr, &p.tsr))
		goto fail;
	if (esp.has_ke && esp.ke != IKE_KE_NONE) {
		if ((pke = find(rx->in, IKE_PLD_KE)) == NULL ||
		    ike_pld_ke_decode(pke->body, pke->len, &kp) != 0 ||
		    p.ke == NULL || kp.group != esp.ke ||
		    ke_group(p.ke) != esp.ke ||
		    ke_shared(p.ke, kp.data, kp.len, &gir) != 0)
			goto fail;
	}
	nn.ni = p.ni;
	nn.ni_len = sizeof(p.ni);
	nn.nr = nr.data;
	nn.nr_len = nr.len;
	ch = child_sa_install(sa, p.child, true, &esp, p.spi_in,
	    ike_chosen_spi32(&esp), p.reqid, &tsi, &tsr, &nn, gir, rx->now);
	secbuf_free(gir);
	gir = NULL;
	p.spi_in = 0;		/* installed, or released by install */
	if (ch == NULL)
		goto fail;
	memset(&t, 0, sizeof(t));
	t.kind = IKE_TASK_CHILD_DELETE;
	if (old == NULL) {
		child_sa_emit(ch, IKE_EV_CHILD_UP, NULL);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_UP,
		    "child %s installed, SPIs %08x_i %08x_o", ch->name,
		    ch->spi_in, ch->spi_out);
	} else {
		child_sa_emit(ch, IKE_EV_CHILD_REKEYED, old);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_REKEYED,
		    "child %s rekeyed: %08x_i -> %08x_i", ch->name,
		    old->spi_in, ch->spi_in);
		nonce_min(p.ni, sizeof(p.ni), nr.data, nr.len, mine, &minelen);
		if (old->peer_new_uid != 0 && nonce_cmp(mine, minelen,
		    old->peer_nmin, old->peer_nmin_len) < 0) {
			/* 2.8.1: ours holds the lowest nonce: redundant */
			core_log(c, sa, IKE_LOG_INFO, IKE_LK_CHILD_REKEYED,
			    "child %s: rekey collision lost, deleting %08x_i",
			    ch->name, ch->spi_in);
			t.uid = ch->uid;
			t.spi = ch->spi_in;
			old->state = CHILD_S_REKEYED;
		} else {
			t.uid = old->uid;
			t.spi = old->spi_in;
			old->state = CHILD_S_REKEYED;
		}
		ike_sa_task_add(sa, &t);
	}
	ke_free(p.ke);
	return 0;
 fail:
	secbuf_free(gir);
	core_log(c, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
	    "CREATE_CHILD_SA for child %s failed", p.child);
	child_sa_release_spi(sa, p.spi_in);
	if (old != NULL && old->state == CHILD_S_REKEYING)
		old->state = CHILD_S_INSTALLED;
	ke_free(p.ke);
	return 0;
}
