/*
 * ikev2d/exch_auth.c -- IKE_AUTH (RFC 7296 1.2, 2.15) with pre-shared
 * keys, both roles, and the first Child SA (traffic selectors narrowed per
 * 2.9, USE_TRANSPORT_MODE refused unless the child is configured for
 * transport mode (1.3.1: the SA is then tunnel mode), INITIAL_CONTACT
 * removing older IKE SAs with the same peer identity).
 *
 * A failed authentication is answered with AUTHENTICATION_FAILED, logged
 * with the peer's address and identity, and leaves nothing in the kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "auth.h"
#include "child_sa.h"
#include "ike_sa.h"
#include "ts.h"

#define OCTETS_MAX	(IKE_MSG_MAX + IKE_NONCE_MAX + CRYPTO_PRF_MAX)

/* Our ID payload: the configured id, or our IKE address. */
static void
our_id(const struct ike_sa *sa, struct ike_id *id)
{
	const struct cfg_id	*ci = &sa->conn->local.id;

	if (ci->type != CFG_ID_ANY && ci->len > 0 && !ci->wildcard) {
		id->type = (uint8_t)ci->type;
		id->data = ci->data;
		id->len = ci->len;
		return;
	}
	id->type = sa->local.family == CFG_AF_INET6 ? IKE_ID_IPV6_ADDR :
	    IKE_ID_IPV4_ADDR;
	id->data = sa->local.addr;
	id->len = sa->local.family == CFG_AF_INET6 ? 16 : 4;
}

static void
sa_id_of(const struct ike_id *id, struct sa_id *out)
{
	memset(out, 0, sizeof(*out));
	out->type = id->type;
	out->len = (uint16_t)(id->len < SA_ID_MAX ? id->len : SA_ID_MAX);
	memcpy(out->data, id->data, out->len);
}

static void
id_text(const struct sa_id *id, char *buf, size_t len)
{
	size_t	 i, o;

	switch (id->type) {
	case IKE_ID_IPV4_ADDR:
		if (id->len == 4) {
			snprintf(buf, len, "%u.%u.%u.%u", id->data[0],
			    id->data[1], id->data[2], id->data[3]);
			return;
		}
		break;
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		for (i = o = 0; i < id->len && o + 1 < len; i++)
			buf[o++] = id->data[i] >= 0x20 && id->data[i] < 0x7f ?
			    (char)id->data[i] : '?';
		buf[o] = '\0';
		return;
	}
	o = (size_t)snprintf(buf, len, "id%u:", id->type);
	for (i = 0; i < id->len && o + 3 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", id->data[i]);
}

/* Does the peer's identity satisfy the connection's remote id? */
static bool
id_acceptable(const struct cfg_conn *cn, const struct sa_id *peer)
{
	const struct cfg_id	*ci = &cn->remote.id;

	if (ci->type == CFG_ID_ANY || ci->wildcard)
		return true;
	return (uint8_t)ci->type == peer->type && ci->len == peer->len &&
	    memcmp(ci->data, peer->data, ci->len) == 0;
}

/*
 * AUTH = prf(prf(PSK, "Key Pad for IKEv2"), msg | nonce | prf(SK_p,
 * IDbody)), 2.15.  out gets prf_len bytes; returns its length or -1.
 */
static int
psk_auth(const struct ike_sa *sa, const struct secbuf *psk, bool verify,
    const uint8_t *msg, size_t msglen, const uint8_t *nonce, size_t nlen,
    const struct secbuf *skp, const uint8_t *idb, size_t idlen,
    const uint8_t *auth, size_t alen, uint8_t *out)
{
	uint8_t		*oct;
	int		 n, ret = -1;

	if ((oct = malloc(OCTETS_MAX)) == NULL)
		return -1;
	n = auth_octets(sa->chosen.prf, skp, msg, msglen, nonce, nlen, idb,
	    idlen, oct, OCTETS_MAX);
	if (n < 0)
		goto done;
	if (verify)
		ret = auth_psk_verify(sa->chosen.prf, psk, oct, (size_t)n,
		    auth, alen) == 0 ? 0 : -1;
	else if (auth_psk(sa->chosen.prf, psk, oct, (size_t)n, out) >= 0)
		ret = (int)prf_len(sa->chosen.prf);
 done:
	secure_wipe(oct, OCTETS_MAX);
	free(oct);
	return ret;
}

static int
id_body(const struct ike_id *id, uint8_t *buf, size_t cap)
{
	struct wr	 w;

	wr_init(&w, buf, cap);
	if (ike_pld_id_encode(&w, id) != 0 || w.bad)
		return -1;
	return (int)w.len;
}

static void
enc_n(struct ike_enc *e, uint16_t type, uint8_t proto, const uint8_t *spi,
    uint8_t spi_size)
{
	struct ike_notify_pld	 n;

	memset(&n, 0, sizeof(n));
	n.type = type;
	n.proto = proto;
	n.spi = spi;
	n.spi_size = spi_size;
	ike_enc_notify(e, &n);
}

static void
spi32(uint32_t v, uint8_t *p)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int
exch_auth_start(struct ike_sa *sa, uint64_t now)
{
	struct ike_core		*c = sa->core;
	const struct cfg_child	*cc;
	const struct secbuf	*psk;
	struct ike_cfg_prop	 props[IKE_CFG_MAX_PROPS];
	struct ike_id		 id;
	struct ike_auth		 a;
	struct ike_enc		 e;
	struct wr		 w;
	struct sa_id		 rid;
	uint8_t			 inner[IKE_INNER_MAX], idb[300];
	uint8_t			 mac[CRYPTO_PRF_MAX], spi[4];
	struct ike_pending	*p = &sa->auth_p;
	size_t			 np;
	int			 idlen, n, len, ret = -1;

	our_id(sa, &id);
	sa_id_of(&id, &sa->local_id);
	memset(&rid, 0, sizeof(rid));
	rid.type = (uint8_t)sa->conn->remote.id.type;
	rid.len = (uint16_t)(sa->conn->remote.id.len < SA_ID_MAX ?
	    sa->conn->remote.id.len : SA_ID_MAX);
	if (rid.len)
		memcpy(rid.data, sa->conn->remote.id.data, rid.len);
	if ((psk = core_psk(c, sa->conn, &rid)) == NULL) {
		core_log(c, sa, IKE_LOG_ERR, IKE_LK_AUTH_FAILED,
		    "no pre-shared key for this connection");
		return -1;
	}
	if ((idlen = id_body(&id, idb, sizeof(idb))) < 0)
		return -1;
	n = psk_auth(sa, psk, false, sa->init_req, sa->init_req_len, sa->nr,
	    sa->nr_len, sa->keys.sk_pi, idb, (size_t)idlen, NULL, 0, mac);
	if (n < 0)
		return -1;
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	ike_enc_id(&e, IKE_PLD_IDI, &id);
	memset(&a, 0, sizeof(a));
	a.method = IKE_AUTH_PSK;
	a.data = mac;
	a.len = (size_t)n;
	ike_enc_auth(&e, &a);
	enc_n(&e, IKE_N_INITIAL_CONTACT, 0, NULL, 0);
	memset(p, 0, sizeof(*p));
	if ((cc = core_child(sa->conn, sa->first_child[0] ? sa->first_child :
	    NULL)) != NULL) {
		snprintf(p->child, sizeof(p->child), "%s", cc->name);
		p->reqid = child_sa_reqid(sa, cc);
		if ((p->spi_in = child_sa_alloc_spi(sa, p->reqid)) == 0)
			goto done;
		if (ts_from_cfg(cc->local_ts, cc->nlocal_ts, &sa->local,
		    &p->tsi) < 0 || ts_from_cfg(cc->remote_ts, cc->nremote_ts,
		    &sa->remote, &p->tsr) < 0)
			goto done;
		if (cc->mode == CFG_MODE_TRANSPORT)
			enc_n(&e, IKE_N_USE_TRANSPORT_MODE, 0, NULL, 0);
		np = core_props(cc->esp_proposals, cc->nesp_proposals,
		    IKE_PROTO_ESP, props, nitems(props));
		spi32(p->spi_in, spi);
		ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
		if (ike_proposal_encode(e.w, props, np, spi, 4,
		    IKE_SEL_NO_KE) != 0)
			goto done;
		ike_enc_pld_end(&e);
		ike_enc_ts(&e, IKE_PLD_TSI, &p->tsi);
		ike_enc_ts(&e, IKE_PLD_TSR, &p->tsr);
	}
	if ((len = ike_enc_finish(&e)) < 0)
		goto done;
	ret = ike_sa_send_request(sa, IKE_REQ_AUTH, IKE_EXCH_AUTH, inner,
	    (size_t)len, ike_enc_first(&e), now);
 done:
	secure_wipe(mac, sizeof(mac));
	secure_wipe(inner, sizeof(inner));
	if (ret != 0 && p->spi_in != 0) {
		child_sa_release_spi(sa, p->spi_in);
		p->spi_in = 0;
	}
	return ret;
}

/* Payload i of type t in the inner chain, decoded lazily by callers. */
static const struct ike_pld_ref *
find(const struct ike_chain *c, uint8_t t)
{
	size_t	 from = 0;

	return ike_chain_find(c, t, &from);
}

static void
auth_failed_log(struct ike_sa *sa, const char *why)
{
	sa->core->st.auth_failed++;
	core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_AUTH_FAILED,
	    "authentication of peer %s failed: %s",
	    sa->peer_id[0] ? sa->peer_id : "?", why);
}

/* 2.9: pick the first child whose selectors narrow to something. */
static const struct cfg_child *
child_narrow(struct ike_sa *sa, const struct ike_ts_pld *tsi,
    const struct ike_ts_pld *tsr, struct ike_ts_pld *ni,
    struct ike_ts_pld *nr)
{
	const struct cfg_conn	*cn = sa->conn;
	struct ike_ts_pld	 ours_l, ours_r;
	size_t			 i;

	for (i = 0; i < cn->nchildren; i++) {
		const struct cfg_child *cc = &cn->children[i];

		if (ts_from_cfg(cc->local_ts, cc->nlocal_ts, &sa->local,
		    &ours_l) < 0 || ts_from_cfg(cc->remote_ts,
		    cc->nremote_ts, &sa->remote, &ours_r) < 0)
			continue;
		/* TSi is the initiator's side: our remote */
		if (ts_narrow(tsi, &ours_r, ni) > 0 &&
		    ts_narrow(tsr, &ours_l, nr) > 0)
			return cc;
	}
	return NULL;
}

/* Responder side of a Child SA negotiation, shared with CREATE_CHILD_SA. */
int
exch_child_choose(struct ike_sa *sa, const struct ike_chain *in,
    unsigned int flags, const struct cfg_child **ccp, struct ike_chosen *esp,
    struct ike_ts_pld *ni, struct ike_ts_pld *nr)
{
	const struct ike_pld_ref	*psa, *pti, *ptr;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	struct ike_sa_pld		 sap;
	struct ike_ts_pld		 tsi, tsr;
	const struct cfg_child		*cc;
	size_t				 np;

	psa = find(in, IKE_PLD_SA);
	pti = find(in, IKE_PLD_TSI);
	ptr = find(in, IKE_PLD_TSR);
	if (psa == NULL || pti == NULL || ptr == NULL ||
	    ike_pld_sa_decode(psa->body, psa->len, &sap) != 0 ||
	    ike_pld_ts_decode(pti->body, pti->len, &tsi) != 0 ||
	    ike_pld_ts_decode(ptr->body, ptr->len, &tsr) != 0)
		return IKE_N_INVALID_SYNTAX;
	if ((cc = child_narrow(sa, &tsi, &tsr, ni, nr)) == NULL) {
		core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
		    "traffic selectors of peer %s cannot be narrowed",
		    sa->peer_id);
		return IKE_N_TS_UNACCEPTABLE;
	}
	np = core_props(cc->esp_proposals, cc->nesp_proposals, IKE_PROTO_ESP,
	    props, nitems(props));
	if (ike_proposal_select(props, np, &sap, IKE_PROTO_ESP, flags,
	    esp) != 0) {
		core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
		    "child %s: no acceptable ESP proposal", cc->name);
		return IKE_N_NO_PROPOSAL_CHOSEN;
	}
	*ccp = cc;
	return 0;
}

int
exch_auth_request(struct ike_sa *sa, const struct ike_rx *rx)
{
	struct ike_core			*c = sa->core;
	const struct ike_pld_ref	*pid, *pau;
	const struct cfg_child		*cc = NULL;
	const struct secbuf		*psk;
	struct ike_id			 pidv, id;
	struct ike_auth			 pa, a;
	struct ike_chosen		 esp;
	struct ike_ts_pld		 ni, nr;
	struct ike_notify_pld		 nt;
	struct ike_nonces		 nn;
	struct ike_enc			 e;
	struct wr			 w;
	struct ike_sa			*o, *onx;
	struct child_sa			*ch = NULL;
	uint8_t				 inner[IKE_INNER_MAX], idb[300];
	uint8_t				 mac[CRYPTO_PRF_MAX], spi[4];
	uint32_t			 spi_in = 0, reqid;
	uint32_t			 msgid = rx->m->hdr.msgid;
	uint64_t			 now = rx->now;
	int				 idlen, n, len, cerr = 0;
	bool				 transport = false;

	pid = find(rx->in, IKE_PLD_IDI);
	pau = find(rx->in, IKE_PLD_AUTH);
	if (pid == NULL || pau == NULL ||
	    ike_pld_id_decode(pid->body, pid->len, &pidv) != 0 ||
	    ike_pld_auth_decode(pau->body, pau->len, &pa) != 0) {
		exch_send_notify(sa, IKE_EXCH_AUTH, msgid,
		    IKE_N_INVALID_SYNTAX, NULL, 0);
		ike_sa_event(sa, IKE_FEV_AUTH_FAIL, now);
		return 0;
	}
	sa_id_of(&pidv, &sa->remote_id);
	id_text(&sa->remote_id, sa->peer_id, sizeof(sa->peer_id));
	if (!id_acceptable(sa->conn, &sa->remote_id) ||
	    pa.method != IKE_AUTH_PSK ||
	    (psk = core_psk(c, sa->conn, &sa->remote_id)) == NULL ||
	    psk_auth(sa, psk, true, sa->init_req, sa->init_req_len, sa->nr,
	    sa->nr_len, sa->keys.sk_pi, pid->body, pid->len, pa.data, pa.len,
	    NULL) != 0) {
		auth_failed_log(sa, pa.method != IKE_AUTH_PSK ?
		    "not a PSK AUTH" : "identity or AUTH mismatch");
		exch_send_notify(sa, IKE_EXCH_AUTH, msgid,
		    IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_event(sa, IKE_FEV_AUTH_FAIL, now);
		return 0;
	}
	/* our AUTH: RealMessage2 | Ni | prf(SK_pr, IDr) */
	our_id(sa, &id);
	sa_id_of(&id, &sa->local_id);
	if ((idlen = id_body(&id, idb, sizeof(idb))) < 0 ||
	    (n = psk_auth(sa, psk, false, sa->init_resp, sa->init_resp_len,
	    sa->ni, sa->ni_len, sa->keys.sk_pr, idb, (size_t)idlen, NULL, 0,
	    mac)) < 0) {
		ike_sa_event(sa, IKE_FEV_AUTH_FAIL, now);
		return 0;
	}
	nn.ni = sa->ni;
	nn.ni_len = sa->ni_len;
	nn.nr = sa->nr;
	nn.nr_len = sa->nr_len;
	/* INITIAL_CONTACT: older SAs with this identity are stale (2.4) */
	if (exch_find_notify(rx->in, IKE_N_INITIAL_CONTACT, &nt) != NULL &&
	    sa->conn->unique != CFG_UNIQUE_NEVER) {
		for (o = c->sas; o != NULL; o = onx) {
			onx = o->next;
			if (o != sa && ike_state_up(o->state) &&
			    strcmp(o->conn_name, sa->conn_name) == 0 &&
			    o->remote_id.type == sa->remote_id.type &&
			    o->remote_id.len == sa->remote_id.len &&
			    memcmp(o->remote_id.data, sa->remote_id.data,
			    o->remote_id.len) == 0) {
				core_log(c, o, IKE_LOG_NOTICE, IKE_LK_IKE_DOWN,
				    "replaced: INITIAL_CONTACT from %s",
				    sa->peer_id);
				ike_sa_event(o, IKE_FEV_PEER_DELETE, now);
				onx = c->sas;	/* the list changed */
			}
		}
	}
	ike_sa_event(sa, IKE_FEV_AUTH_OK, now);

	if (find(rx->in, IKE_PLD_SA) != NULL) {
		cerr = exch_child_choose(sa, rx->in, IKE_SEL_NO_KE, &cc, &esp,
		    &ni, &nr);
		if (cerr == 0 && exch_find_notify(rx->in,
		    IKE_N_USE_TRANSPORT_MODE, &nt) != NULL)
			transport = cc->mode == CFG_MODE_TRANSPORT;
		if (cerr == 0) {
			reqid = child_sa_reqid(sa, cc);
			if ((spi_in = child_sa_alloc_spi(sa, reqid)) == 0 ||
			    (ch = child_sa_install(sa, cc->name, false, &esp,
			    spi_in, ike_chosen_spi32(&esp), reqid, &nr, &ni,
			    &nn, NULL, now)) == NULL)
				cerr = IKE_N_TEMPORARY_FAILURE;
		}
	}
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	ike_enc_id(&e, IKE_PLD_IDR, &id);
	memset(&a, 0, sizeof(a));
	a.method = IKE_AUTH_PSK;
	a.data = mac;
	a.len = (size_t)n;
	ike_enc_auth(&e, &a);
	if (ch != NULL) {
		if (transport)
			enc_n(&e, IKE_N_USE_TRANSPORT_MODE, 0, NULL, 0);
		spi32(spi_in, spi);
		ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
		ike_proposal_encode_chosen(e.w, &esp, spi, 4);
		ike_enc_pld_end(&e);
		ike_enc_ts(&e, IKE_PLD_TSI, &ni);
		ike_enc_ts(&e, IKE_PLD_TSR, &nr);
	} else if (cerr != 0)
		enc_n(&e, (uint16_t)cerr, 0, NULL, 0);
	len = ike_enc_finish(&e);
	secure_wipe(mac, sizeof(mac));
	if (ch != NULL) {
		child_sa_emit(ch, IKE_EV_CHILD_UP, NULL);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_UP,
		    "child %s installed, SPIs %08x_i %08x_o, peer %s",
		    ch->name, ch->spi_in, ch->spi_out, sa->peer_id);
	}
	if (len < 0)
		return -1;
	ike_sa_send_response(sa, IKE_EXCH_AUTH, msgid, inner, (size_t)len,
	    ike_enc_first(&e));
	secure_wipe(inner, sizeof(inner));
	return 0;
}

int
exch_auth_response(struct ike_sa *sa, const struct ike_rx *rx)
{
	struct ike_core			*c = sa->core;
	const struct ike_pld_ref	*pid, *pau, *psa, *pti, *ptr;
	const struct secbuf		*psk;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	const struct cfg_child		*cc;
	struct ike_pending		 p = sa->auth_p;
	struct ike_id			 pidv;
	struct ike_auth			 pa;
	struct ike_sa_pld		 sap;
	struct ike_ts_pld		 tsi, tsr;
	struct ike_chosen		 esp;
	struct ike_notify_pld		 nt;
	struct ike_nonces		 nn;
	struct child_sa			*ch;
	uint64_t			 now = rx->now;
	size_t				 np;

	memset(&sa->auth_p, 0, sizeof(sa->auth_p));
	ike_sa_req_done(sa);
	if (exch_find_notify(rx->in, IKE_N_AUTHENTICATION_FAILED, &nt) !=
	    NULL) {
		c->st.auth_failed++;
		core_log(c, sa, IKE_LOG_WARN, IKE_LK_AUTH_FAILED,
		    "peer %s refused our authentication "
		    "(AUTHENTICATION_FAILED)", sa->peer_id[0] ? sa->peer_id :
		    "?");
		goto fail;
	}
	pid = find(rx->in, IKE_PLD_IDR);
	pau = find(rx->in, IKE_PLD_AUTH);
	if (pid == NULL || pau == NULL ||
	    ike_pld_id_decode(pid->body, pid->len, &pidv) != 0 ||
	    ike_pld_auth_decode(pau->body, pau->len, &pa) != 0) {
		auth_failed_log(sa, "no IDr / AUTH");
		goto fail;
	}
	sa_id_of(&pidv, &sa->remote_id);
	id_text(&sa->remote_id, sa->peer_id, sizeof(sa->peer_id));
	if (!id_acceptable(sa->conn, &sa->remote_id) ||
	    pa.method != IKE_AUTH_PSK ||
	    (psk = core_psk(c, sa->conn, &sa->remote_id)) == NULL ||
	    psk_auth(sa, psk, true, sa->init_resp, sa->init_resp_len, sa->ni,
	    sa->ni_len, sa->keys.sk_pr, pid->body, pid->len, pa.data, pa.len,
	    NULL) != 0) {
		auth_failed_log(sa, "identity or AUTH mismatch");
		goto fail;
	}
	nn.ni = sa->ni;
	nn.ni_len = sa->ni_len;
	nn.nr = sa->nr;
	nn.nr_len = sa->nr_len;
	ike_sa_event(sa, IKE_FEV_AUTH_OK, now);
	if (p.spi_in == 0)
		return 0;
	cc = core_child(sa->conn, p.child);
	psa = find(rx->in, IKE_PLD_SA);
	pti = find(rx->in, IKE_PLD_TSI);
	ptr = find(rx->in, IKE_PLD_TSR);
	np = cc != NULL ? core_props(cc->esp_proposals, cc->nesp_proposals,
	    IKE_PROTO_ESP, props, nitems(props)) : 0;
	if (cc == NULL || psa == NULL || pti == NULL || ptr == NULL ||
	    ike_pld_sa_decode(psa->body, psa->len, &sap) != 0 ||
	    ike_pld_ts_decode(pti->body, pti->len, &tsi) != 0 ||
	    ike_pld_ts_decode(ptr->body, ptr->len, &tsr) != 0 ||
	    ike_proposal_check_reply(props, np, &sap, IKE_PROTO_ESP,
	    IKE_SEL_NO_KE, &esp) != 0 || !ts_subset(&tsi, &p.tsi) ||
	    !ts_subset(&tsr, &p.tsr)) {
		core_log(c, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
		    "first child %s not created by peer %s", p.child,
		    sa->peer_id);
		child_sa_release_spi(sa, p.spi_in);
		return 0;
	}
	ch = child_sa_install(sa, p.child, true, &esp, p.spi_in,
	    ike_chosen_spi32(&esp), p.reqid, &tsi, &tsr, &nn, NULL, now);
	if (ch != NULL) {
		child_sa_emit(ch, IKE_EV_CHILD_UP, NULL);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_UP,
		    "child %s installed, SPIs %08x_i %08x_o, peer %s",
		    ch->name, ch->spi_in, ch->spi_out, sa->peer_id);
	}
	return 0;
 fail:
	child_sa_release_spi(sa, p.spi_in);
	ike_sa_event(sa, IKE_FEV_AUTH_FAIL, now);
	return 0;
}
