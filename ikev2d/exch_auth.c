/*
 * ikev2d/exch_auth.c -- IKE_AUTH (RFC 7296 1.2, 2.15) with pre-shared
 * keys or certificates (auth = pubkey: CERT, CERTREQ, RFC 7427 digital
 * signature AUTH; RSA_SIG and ECDSA_* accepted from peers), both roles, each
 * direction independently (local.auth says how we prove ourselves,
 * remote.auth how the peer must), and the first Child SA (traffic selectors narrowed per
 * 2.9, USE_TRANSPORT_MODE refused unless the child is configured for
 * transport mode (1.3.1: the SA is then tunnel mode), INITIAL_CONTACT
 * removing older IKE SAs with the same peer identity).
 *
 * A failed authentication is answered with AUTHENTICATION_FAILED, logged
 * with the peer's address and identity, and leaves nothing in the kernel.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "auth.h"
#include "auth_cert.h"
#include "child_sa.h"
#include "ike_sa.h"
#include "ts.h"

#define OCTETS_MAX	(IKE_MSG_MAX + IKE_NONCE_MAX + CRYPTO_PRF_MAX)
#define AUTH_DATA_MAX	1100	/* RFC 7427 data for RSA-8192 fits */
#define ID_DATA_MAX	512	/* our ID payload body (a DER DN) */

/* What we accept in and announce for RFC 7427 (same as exch_init.c). */
static const enum ike_hash our_hashes[] = {
	IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512
};

/* The credentials of sa's connection (pubkey), or NULL. */
static const struct cert_cred *
cred_of(const struct ike_sa *sa)
{
	return cert_set_find(sa->core->certs, sa->conn_name);
}

/*
 * Our ID payload: the configured id (a DN encoded to DER), for pubkey
 * without an id our certificate's subject, else our IKE address.  buf
 * holds the DER DN.  0 or -1.
 */
static int
our_id(const struct ike_sa *sa, struct ike_id *id, uint8_t *buf, size_t cap)
{
	const struct cfg_id	*ci = &sa->conn->local.id;
	const struct cert_cred	*cr = NULL;
	int			 n;

	if (sa->conn->local.method == CFG_AUTH_PUBKEY)
		cr = cred_of(sa);
	if (ci->type == CFG_ID_DN || (ci->type == CFG_ID_ANY && cr != NULL &&
	    cr->cert != NULL)) {
		n = cert_our_dn(cr != NULL ? cr->cert : NULL,
		    ci->type == CFG_ID_DN ? ci->text : NULL, buf, cap);
		if (n < 0)
			return -1;
		id->type = IKE_ID_DER_ASN1_DN;
		id->data = buf;
		id->len = (size_t)n;
		return 0;
	}
	if (ci->type != CFG_ID_ANY && ci->len > 0 && !ci->wildcard) {
		id->type = (uint8_t)ci->type;
		id->data = ci->data;
		id->len = ci->len;
		return 0;
	}
	id->type = sa->local.family == CFG_AF_INET6 ? IKE_ID_IPV6_ADDR :
	    IKE_ID_IPV4_ADDR;
	id->data = sa->local.addr;
	id->len = sa->local.family == CFG_AF_INET6 ? 16 : 4;
	return 0;
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
	case IKE_ID_IPV6_ADDR:
		if (id->len == 16 && inet_ntop(AF_INET6, id->data, buf,
		    (socklen_t)len) != NULL)
			return;
		break;
	case IKE_ID_DER_ASN1_DN:
		cert_dn_text(id->data, id->len, buf, len);
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

/* The signed octets of one side (2.15); malloc'd, wipe_free() them. */
static uint8_t *
octets_of(const struct ike_sa *sa, bool ours, size_t *len, const uint8_t *idb,
    size_t idlen)
{
	bool		 init = ours == sa->initiator;	/* initiator's octets */
	uint8_t		*oct;
	int		 n;

	if ((oct = malloc(OCTETS_MAX)) == NULL)
		return NULL;
	n = auth_octets(sa->chosen.prf, init ? sa->keys.sk_pi : sa->keys.sk_pr,
	    init ? sa->init_req : sa->init_resp, init ? sa->init_req_len :
	    sa->init_resp_len, init ? sa->nr : sa->ni, init ? sa->nr_len :
	    sa->ni_len, idb, idlen, oct, OCTETS_MAX);
	if (n < 0) {
		secure_wipe(oct, OCTETS_MAX);
		free(oct);
		return NULL;
	}
	*len = (size_t)n;
	return oct;
}

static void
wipe_free(uint8_t *oct)
{
	if (oct == NULL)
		return;
	secure_wipe(oct, OCTETS_MAX);
	free(oct);
}

/* What the peer's IKE_SA_INIT message told us. */
struct peer_init {
	bool		 certreq;	/* it sent a CERTREQ */
	int		 hash;		/* RFC 7427 hash we share, or 0 */
};

static void
peer_init_info(const struct ike_sa *sa, struct peer_init *pi)
{
	const uint8_t		*buf = sa->initiator ? sa->init_resp :
				    sa->init_req;
	size_t			 len = sa->initiator ? sa->init_resp_len :
				    sa->init_req_len, from = 0;
	struct ike_notify_pld	 n;
	struct ike_msg		 m;
	int			 h;

	memset(pi, 0, sizeof(*pi));
	if (buf == NULL || ike_decode(buf, len, &m) != 0)
		return;
	pi->certreq = ike_chain_find(&m.ch, IKE_PLD_CERTREQ, &from) != NULL;
	if (exch_find_notify(&m.ch, IKE_N_SIGNATURE_HASH_ALGORITHMS, &n) !=
	    NULL && (h = auth_hash_pick(our_hashes, nitems(our_hashes), n.data,
	    n.len)) > 0)
		pi->hash = h;
}

/*
 * Our AUTH payload for our ID body idb (the peer's id, known or
 * configured, selects the PSK).  buf (AUTH_DATA_MAX) holds the data.
 * 0 or -1 with the reason logged.
 */
static int
auth_make(struct ike_sa *sa, const struct sa_id *peer, int hash,
    const uint8_t *idb, size_t idlen, struct ike_auth *a, uint8_t *buf)
{
	const struct cert_cred	*cr;
	const struct secbuf	*psk;
	uint8_t			*oct;
	size_t			 olen;
	int			 n;

	memset(a, 0, sizeof(*a));
	if (sa->conn->local.method != CFG_AUTH_PUBKEY) {
		if ((psk = core_psk(sa->core, sa->conn, peer)) == NULL) {
			core_log(sa->core, sa, IKE_LOG_ERR, IKE_LK_AUTH_FAILED,
			    "no pre-shared key for this connection");
			return -1;
		}
		n = psk_auth(sa, psk, false, sa->initiator ? sa->init_req :
		    sa->init_resp, sa->initiator ? sa->init_req_len :
		    sa->init_resp_len, sa->initiator ? sa->nr : sa->ni,
		    sa->initiator ? sa->nr_len : sa->ni_len, sa->initiator ?
		    sa->keys.sk_pi : sa->keys.sk_pr, idb, idlen, NULL, 0, buf);
		if (n < 0)
			return -1;
		a->method = IKE_AUTH_PSK;
		a->data = buf;
		a->len = (size_t)n;
		return 0;
	}
	if ((cr = cred_of(sa)) == NULL || cr->key == NULL) {
		core_log(sa->core, sa, IKE_LOG_ERR, IKE_LK_AUTH_FAILED,
		    "no certificate and private key loaded for this "
		    "connection");
		return -1;
	}
	if (hash == 0) {
		/* RFC 7427 4: the peer did not announce; it is still ours */
		core_log(sa->core, sa, IKE_LOG_INFO, IKE_LK_NEGOTIATION,
		    "peer announced no shared signature hash: using SHA2-256");
		hash = IKE_HASH_SHA2_256;
	}
	if ((oct = octets_of(sa, true, &olen, idb, idlen)) == NULL)
		return -1;
	n = auth_sig_sign(cr->key, (enum ike_hash)hash, oct, olen, buf,
	    AUTH_DATA_MAX);
	wipe_free(oct);
	if (n < 0) {
		core_log(sa->core, sa, IKE_LOG_ERR, IKE_LK_AUTH_FAILED,
		    "cannot sign our AUTH (error %d)", n);
		return -1;
	}
	a->method = IKE_AUTH_DIGITAL_SIG;
	a->data = buf;
	a->len = (size_t)n;
	return 0;
}

/* CERT payloads: our end entity, then its intermediates (3.6). */
static void
enc_certs(struct ike_enc *e, const struct cert_cred *cr)
{
	struct ike_cert	 ct;
	uint8_t		*der;
	int		 i, n;

	for (i = -1; i < sk_X509_num(cr->chain); i++) {
		der = NULL;
		n = i2d_X509(i < 0 ? cr->cert : sk_X509_value(cr->chain, i),
		    &der);
		if (n > 0) {
			ct.enc = IKE_CERT_X509_SIG;
			ct.data = der;
			ct.len = (size_t)n;
			ike_enc_cert(e, &ct);
		}
		OPENSSL_free(der);
	}
}

/* Do we send CERT: local pubkey and send_cert says so. */
static const struct cert_cred *
cert_to_send(const struct ike_sa *sa, bool asked)
{
	const struct cert_cred	*cr;

	if (sa->conn->local.method != CFG_AUTH_PUBKEY ||
	    (cr = cred_of(sa)) == NULL || cr->cert == NULL)
		return NULL;
	switch (sa->conn->send_cert) {
	case CFG_SEND_CERT_ALWAYS:
		return cr;
	case CFG_SEND_CERT_IFASKED:
		return asked ? cr : NULL;
	default:
		return NULL;
	}
}

void
exch_auth_enc_certreq(struct ike_core *c, const struct cfg_conn *cn,
    struct ike_enc *e)
{
	const struct cert_cred	*cr;
	struct ike_cert		 ct;

	if (cn->remote.method != CFG_AUTH_PUBKEY || !cn->send_certreq ||
	    (cr = cert_set_find(c->certs, cn->name)) == NULL || cr->nca == 0)
		return;
	ct.enc = IKE_CERT_X509_SIG;
	ct.data = cr->ca_hashes;
	ct.len = cr->nca * CERT_HASH_LEN;
	ike_enc_certreq(e, &ct);
}

static void
certs_err(void *arg, const char *msg)
{
	core_log(arg, NULL, IKE_LOG_ERR, IKE_LK_AUTH_FAILED, "%s", msg);
}

void
exch_auth_certs_load(struct ike_core *c)
{
	struct cert_set	*s;

	if ((s = cert_set_load(c->cfg, certs_err, c)) == NULL) {
		core_log(c, NULL, IKE_LOG_ERR, IKE_LK_AUTH_FAILED,
		    "out of memory loading certificates: keeping the old ones");
		return;
	}
	cert_set_free(c->certs);
	c->certs = s;
}

void
exch_auth_certs_free(struct ike_core *c)
{
	cert_set_free(c->certs);
	c->certs = NULL;
}

/*
 * Check the peer's identity and AUTH against remote.auth.  rx->in holds
 * its CERT payloads; pid the ID payload.  0, or -1 with why filled.
 */
static int
auth_check(struct ike_sa *sa, const struct ike_rx *rx,
    const struct ike_pld_ref *pid, const struct ike_id *pidv,
    const struct ike_auth *pa, char *why, size_t whylen)
{
	const struct cfg_conn		*cn = sa->conn;
	const struct cert_cred		*cr;
	const struct ike_pld_ref	*pc;
	const struct secbuf		*psk;
	STACK_OF(X509)			*untrusted = NULL;
	struct ike_cert			 ct;
	const uint8_t			*p;
	X509				*leaf = NULL, *x;
	uint8_t				*oct = NULL;
	size_t				 olen, from = 0;
	int				 i, rc, ret = -1;

	if (cn->remote.method != CFG_AUTH_PUBKEY) {
		if (!id_acceptable(cn, &sa->remote_id))
			snprintf(why, whylen, "identity is not the configured "
			    "one");
		else if (pa->method != IKE_AUTH_PSK)
			snprintf(why, whylen, "AUTH method %u, not PSK",
			    pa->method);
		else if ((psk = core_psk(sa->core, cn, &sa->remote_id)) ==
		    NULL)
			snprintf(why, whylen, "no pre-shared key for it");
		else if (psk_auth(sa, psk, true, sa->initiator ?
		    sa->init_resp : sa->init_req, sa->initiator ?
		    sa->init_resp_len : sa->init_req_len, sa->initiator ?
		    sa->ni : sa->nr, sa->initiator ? sa->ni_len : sa->nr_len,
		    sa->initiator ? sa->keys.sk_pr : sa->keys.sk_pi, pid->body,
		    pid->len, pa->data, pa->len, NULL) != 0)
			snprintf(why, whylen, "PSK AUTH mismatch");
		else
			return 0;
		return -1;
	}
	if (!cert_id_match(&cn->remote.id, pidv)) {
		snprintf(why, whylen, "identity is not the configured one");
		return -1;
	}
	if (pa->method != IKE_AUTH_DIGITAL_SIG &&
	    pa->method != IKE_AUTH_RSA_SIG &&
	    pa->method != IKE_AUTH_ECDSA_256 &&
	    pa->method != IKE_AUTH_ECDSA_384 &&
	    pa->method != IKE_AUTH_ECDSA_521) {
		snprintf(why, whylen, "AUTH method %u, not a signature",
		    pa->method);
		return -1;
	}
	cr = cred_of(sa);
	while ((pc = ike_chain_find(rx->in, IKE_PLD_CERT, &from)) != NULL) {
		if (ike_pld_cert_decode(pc->body, pc->len, &ct) != 0 ||
		    ct.enc != IKE_CERT_X509_SIG)
			continue;
		p = ct.data;
		if ((x = d2i_X509(NULL, &p, (long)ct.len)) == NULL ||
		    p != ct.data + ct.len) {
			X509_free(x);
			snprintf(why, whylen, "CERT payload does not decode");
			goto done;
		}
		if (leaf == NULL) {
			leaf = x;
			continue;
		}
		if ((untrusted == NULL &&
		    (untrusted = sk_X509_new_null()) == NULL) ||
		    sk_X509_push(untrusted, x) <= 0) {
			X509_free(x);
			snprintf(why, whylen, "out of memory");
			goto done;
		}
	}
	/* no CERT: a pinned certificate bound to the identity will do */
	for (i = 0; leaf == NULL && cr != NULL && i < sk_X509_num(cr->pinned);
	    i++)
		if (cert_id_bound(sk_X509_value(cr->pinned, i), pidv, why,
		    whylen) == 0 && X509_up_ref(sk_X509_value(cr->pinned,
		    i)) == 1)
			leaf = sk_X509_value(cr->pinned, i);
	if (leaf == NULL) {
		snprintf(why, whylen, "peer sent no certificate");
		goto done;
	}
	if (cert_verify(cr, leaf, untrusted, why, whylen) != 0 ||
	    cert_id_bound(leaf, pidv, why, whylen) != 0)
		goto done;
	if ((oct = octets_of(sa, false, &olen, pid->body, pid->len)) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto done;
	}
	if (pa->method == IKE_AUTH_DIGITAL_SIG)
		rc = auth_sig_verify(leaf, oct, olen, pa->data, pa->len,
		    our_hashes, nitems(our_hashes), NULL);
	else
		rc = cert_verify_classic(leaf, pa->method, oct, olen, pa->data,
		    pa->len);
	if (rc == CRYPTO_EUNSUPPORTED)
		snprintf(why, whylen, "signature algorithm not accepted");
	else if (rc != 0)
		snprintf(why, whylen, "signature does not verify with the "
		    "certificate's key");
	else
		ret = 0;
 done:
	wipe_free(oct);
	X509_free(leaf);
	sk_X509_pop_free(untrusted, X509_free);
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
	const struct cfg_child	*cc;
	const struct cert_cred	*cr;
	struct ike_cfg_prop	 props[IKE_CFG_MAX_PROPS];
	struct ike_id		 id;
	struct ike_auth		 a;
	struct ike_enc		 e;
	struct wr		 w;
	struct sa_id		 rid;
	struct peer_init	 pi;
	uint8_t			 inner[IKE_INNER_MAX], idb[ID_DATA_MAX];
	uint8_t			 iddata[ID_DATA_MAX], abuf[AUTH_DATA_MAX];
	uint8_t			 spi[4];
	struct ike_pending	*p = &sa->auth_p;
	size_t			 np;
	int			 idlen, len, ret = -1;

	if (our_id(sa, &id, iddata, sizeof(iddata)) != 0) {
		core_log(sa->core, sa, IKE_LOG_ERR, IKE_LK_AUTH_FAILED,
		    "cannot encode our identity");
		return -1;
	}
	sa_id_of(&id, &sa->local_id);
	memset(&rid, 0, sizeof(rid));
	rid.type = (uint8_t)sa->conn->remote.id.type;
	rid.len = (uint16_t)(sa->conn->remote.id.len < SA_ID_MAX ?
	    sa->conn->remote.id.len : SA_ID_MAX);
	if (rid.len)
		memcpy(rid.data, sa->conn->remote.id.data, rid.len);
	peer_init_info(sa, &pi);
	if ((idlen = id_body(&id, idb, sizeof(idb))) < 0)
		return -1;
	if (auth_make(sa, &rid, pi.hash, idb, (size_t)idlen, &a, abuf) != 0)
		return -1;
	wr_init(&w, inner, sizeof(inner));
	ike_enc_init_chain(&e, &w);
	ike_enc_id(&e, IKE_PLD_IDI, &id);
	/* 1.2: IDi, [CERT,] [CERTREQ,] [IDr,] AUTH */
	if ((cr = cert_to_send(sa, pi.certreq)) != NULL)
		enc_certs(&e, cr);
	exch_auth_enc_certreq(sa->core, sa->conn, &e);
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
	secure_wipe(abuf, sizeof(abuf));
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
	char	 addr[INET6_ADDRSTRLEN];

	if (inet_ntop(sa->remote.family == CFG_AF_INET6 ? AF_INET6 : AF_INET,
	    sa->remote.addr, addr, sizeof(addr)) == NULL)
		snprintf(addr, sizeof(addr), "?");
	sa->core->st.auth_failed++;
	core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_AUTH_FAILED,
	    "authentication of peer %s id %s failed: %s", addr,
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
		    "traffic selectors of peer %s cannot be narrowed "
		    "(TS_UNACCEPTABLE)", sa->peer_id);
		return IKE_N_TS_UNACCEPTABLE;
	}
	np = core_props(cc->esp_proposals, cc->nesp_proposals, IKE_PROTO_ESP,
	    props, nitems(props));
	if (ike_proposal_select(props, np, &sap, IKE_PROTO_ESP, flags,
	    esp) != 0) {
		core_log(sa->core, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
		    "child %s: no acceptable ESP proposal from peer %s "
		    "(NO_PROPOSAL_CHOSEN)", cc->name, sa->peer_id);
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
	const struct cert_cred		*cr;
	struct peer_init		 pi;
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
	uint8_t				 inner[IKE_INNER_MAX];
	uint8_t				 idb[ID_DATA_MAX], iddata[ID_DATA_MAX];
	uint8_t				 abuf[AUTH_DATA_MAX], spi[4];
	char				 why[CERT_WHY_MAX];
	uint32_t			 spi_in = 0, reqid;
	uint32_t			 msgid = rx->m->hdr.msgid;
	uint64_t			 now = rx->now;
	int				 idlen, len, cerr = 0;
	bool				 sealed;
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
	if (auth_check(sa, rx, pid, &pidv, &pa, why, sizeof(why)) != 0) {
		auth_failed_log(sa, why);
		exch_send_notify(sa, IKE_EXCH_AUTH, msgid,
		    IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_event(sa, IKE_FEV_AUTH_FAIL, now);
		return 0;
	}
	/* our AUTH: RealMessage2 | Ni | prf(SK_pr, IDr) */
	peer_init_info(sa, &pi);
	if (our_id(sa, &id, iddata, sizeof(iddata)) != 0 ||
	    (idlen = id_body(&id, idb, sizeof(idb))) < 0 ||
	    auth_make(sa, &sa->remote_id, pi.hash, idb, (size_t)idlen, &a,
	    abuf) != 0) {
		/* 2.21.2: our own failure is also AUTHENTICATION_FAILED */
		exch_send_notify(sa, IKE_EXCH_AUTH, msgid,
		    IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		ike_sa_event(sa, IKE_FEV_AUTH_FAIL, now);
		return 0;
	}
	sa_id_of(&id, &sa->local_id);
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
	/* IKE_UP waits for the response, to carry it (below) */
	sa->up_deferred = true;
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
	/* 1.2: IDr, [CERT,] AUTH */
	if ((cr = cert_to_send(sa, pi.certreq ||
	    find(rx->in, IKE_PLD_CERTREQ) != NULL)) != NULL)
		enc_certs(&e, cr);
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
	secure_wipe(abuf, sizeof(abuf));
	/*
	 * One IKE_UP that carries the cached response (message IDs and the
	 * response a standby answers a retransmission with), then the
	 * CHILD_UP, then the response, behind both: two events per SA, not
	 * IKE_UP + CHILD_UP + IKE_MID.
	 */
	sealed = len >= 0 && ike_sa_seal_response(sa, IKE_EXCH_AUTH, msgid,
	    inner, (size_t)len, ike_enc_first(&e)) == 0;
	secure_wipe(inner, sizeof(inner));
	ike_sa_emit_up_pending(sa);
	if (ch != NULL) {
		child_sa_emit(ch, IKE_EV_CHILD_UP, NULL);
		core_log(c, sa, IKE_LOG_NOTICE, IKE_LK_CHILD_UP,
		    "child %s installed, SPIs %08x_i %08x_o, peer %s",
		    ch->name, ch->spi_in, ch->spi_out, sa->peer_id);
	}
	if (len < 0)
		return -1;
	if (sealed)
		(void)core_queue_sa(sa, sa->resp, sa->resp_len);
	return 0;
}

int
exch_auth_response(struct ike_sa *sa, const struct ike_rx *rx)
{
	struct ike_core			*c = sa->core;
	const struct ike_pld_ref	*pid, *pau, *psa, *pti, *ptr;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	char				 why[CERT_WHY_MAX];
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
	if (auth_check(sa, rx, pid, &pidv, &pa, why, sizeof(why)) != 0) {
		auth_failed_log(sa, why);
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
