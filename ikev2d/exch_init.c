/*
 * ikev2d/exch_init.c -- IKE_SA_INIT (RFC 7296 1.2), both roles:
 * SA, KE, Ni/Nr, NAT_DETECTION_*, COOKIE (2.6) once the half-open count
 * reaches ike.cookie_threshold, INVALID_KE_PAYLOAD (1.2) retry with the
 * group the responder asks for, SIGNATURE_HASH_ALGORITHMS (RFC 7427) and
 * IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383) announced.
 *
 * The responder keeps no state for a request it answers with COOKIE,
 * INVALID_KE_PAYLOAD or NO_PROPOSAL_CHOSEN.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "auth.h"
#include "ike_sa.h"

#define INIT_RETRIES_MAX	4	/* cookie + KE rounds */

static const enum ike_hash our_hashes[] = {
	IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512
};

static void
spi_store(uint64_t v, uint8_t *p)
{
	int	 i;

	for (i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static size_t
alen(uint8_t family)
{
	return family == CFG_AF_INET6 ? 16 : 4;
}

/* SHA-1(SPIi | SPIr | IP | port), RFC 7296 2.23. */
static int
natd_hash(const uint8_t *spi_i, const uint8_t *spi_r, const struct sa_addr *a,
    uint8_t out[IKE_NATD_LEN])
{
	uint8_t		 buf[8 + 8 + 16 + 2];
	size_t		 n = 0;
	unsigned int	 olen = 0;

	memcpy(buf, spi_i, 8);
	memcpy(buf + 8, spi_r, 8);
	n = 16;
	memcpy(buf + n, a->addr, alen(a->family));
	n += alen(a->family);
	buf[n++] = (uint8_t)(a->port >> 8);
	buf[n++] = (uint8_t)a->port;
	if (EVP_Digest(buf, n, out, &olen, EVP_sha1(), NULL) != 1 ||
	    olen != IKE_NATD_LEN)
		return -1;
	return 0;
}

static void
enc_notify(struct ike_enc *e, uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_notify_pld	 n;

	memset(&n, 0, sizeof(n));
	n.type = type;
	n.data = data;
	n.len = len;
	ike_enc_notify(e, &n);
}

/*
 * NAT detection + fragmentation + hash algorithms, both directions.
 * fake: the connection forces UDP encapsulation (encap = yes): send a
 * source hash that cannot match, so the peer sees a NAT in front of us
 * and both sides float to the NAT-T port (RFC 7296 2.23; strongSwan does
 * the same).
 */
static void
enc_init_notifies(struct ike_sa *sa, struct ike_enc *e, const uint8_t *spi_i,
    const uint8_t *spi_r, const struct sa_addr *src, const struct sa_addr *dst,
    bool fake)
{
	uint8_t		 h[IKE_NATD_LEN], ha[16];
	int		 n;

	if (fake) {
		if (core_random(sa->core, h, sizeof(h)) == 0)
			enc_notify(e, IKE_N_NAT_DETECTION_SOURCE_IP, h,
			    sizeof(h));
	} else if (natd_hash(spi_i, spi_r, src, h) == 0)
		enc_notify(e, IKE_N_NAT_DETECTION_SOURCE_IP, h, sizeof(h));
	if (natd_hash(spi_i, spi_r, dst, h) == 0)
		enc_notify(e, IKE_N_NAT_DETECTION_DESTINATION_IP, h,
		    sizeof(h));
	enc_notify(e, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	n = auth_hash_encode(our_hashes, nitems(our_hashes), ha, sizeof(ha));
	if (n > 0)
		enc_notify(e, IKE_N_SIGNATURE_HASH_ALGORITHMS, ha, (size_t)n);
}

const struct ike_pld_ref *
exch_find_notify(const struct ike_chain *c, uint16_t type,
    struct ike_notify_pld *n)
{
	const struct ike_pld_ref	*p;
	size_t				 from = 0;

	while ((p = ike_chain_find(c, IKE_PLD_NOTIFY, &from)) != NULL) {
		if (ike_pld_notify_decode(p->body, p->len, n) == 0 &&
		    n->type == type)
			return p;
	}
	return NULL;
}

/* The first error notify of a chain, or 0. */
static uint16_t
error_notify(const struct ike_chain *c)
{
	const struct ike_pld_ref	*p;
	struct ike_notify_pld		 n;
	size_t				 from = 0;

	while ((p = ike_chain_find(c, IKE_PLD_NOTIFY, &from)) != NULL) {
		if (ike_pld_notify_decode(p->body, p->len, &n) == 0 &&
		    n.type <= IKE_N_ERROR_MAX)
			return n.type;
	}
	return 0;
}

/*
 * RFC 7296 2.23: compare the peer's NAT_DETECTION_* hashes with the
 * addresses the message really carried.  The hashes cover the SPIs of the
 * message's header: an IKE_SA_INIT request has a zero SPIr, so the
 * responder passes spi_r = zero.  A source hash that does not match means
 * the peer is behind a NAT, a destination hash that does not match that
 * we are.
 */
static void
natd_check(struct ike_sa *sa, const struct ike_chain *c, const uint8_t *spi_r)
{
	struct ike_notify_pld	 n;
	const uint8_t		*h;
	uint8_t			 want[IKE_NATD_LEN];
	bool			 seen_src = false, src_ok = false;
	bool			 dst_ok = false;
	const struct ike_pld_ref *p;
	size_t			 from = 0;

	while ((p = ike_chain_find(c, IKE_PLD_NOTIFY, &from)) != NULL) {
		if (ike_pld_notify_decode(p->body, p->len, &n) != 0 ||
		    ike_n_natd_decode(&n, &h) != 0)
			continue;
		if (n.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			seen_src = true;
			if (natd_hash(sa->spi_i, spi_r, &sa->remote,
			    want) == 0 && memcmp(h, want, sizeof(want)) == 0)
				src_ok = true;
		} else if (n.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			if (natd_hash(sa->spi_i, spi_r, &sa->local,
			    want) == 0 && memcmp(h, want, sizeof(want)) == 0)
				dst_ok = true;
		}
	}
	if (!seen_src) {
		core_log(sa->core, sa, IKE_LOG_INFO, IKE_LK_NATT,
		    "peer sends no NAT detection: no NAT-T");
		return;
	}
	if (!src_ok)
		sa->sa_flags |= SA_IKE_NAT_REMOTE;
	if (!dst_ok)
		sa->sa_flags |= SA_IKE_NAT_LOCAL;
	/* IKE_LK_NATT, not NEGOTIATION: that kind is rate-limited (one line
	 * a second), and this line, logged for every SA, would hide the
	 * failure warning of the IKE_AUTH that follows it. */
	core_log(sa->core, sa, IKE_LOG_INFO, IKE_LK_NATT,
	    "NAT detection: peer %s, us %s", src_ok ? "direct" :
	    "behind a NAT", dst_ok ? "direct" : "behind a NAT");
}

int
exch_init_start(struct ike_sa *sa, uint64_t now)
{
	struct ike_core		*c = sa->core;
	struct ike_cfg_prop	 props[IKE_CFG_MAX_PROPS];
	struct ike_hdr		 h;
	struct ike_enc		 e;
	struct ike_ke_pld	 kp;
	struct wr		 w;
	uint8_t			 msg[IKE_MSG_MAX], zero[8] = { 0 };
	size_t			 np;
	int			 len;

	np = core_props(sa->conn->proposals, sa->conn->nproposals,
	    IKE_PROTO_IKE, props, nitems(props));
	if (np == 0 || props[0].nke == 0)
		return -1;
	if (sa->ke_group == 0)
		sa->ke_group = props[0].ke[0];
	if (sa->ni_len == 0) {
		sa->ni_len = IKE_NONCE_LEN;
		if (core_random(c, sa->ni, sa->ni_len) != 0)
			return -1;
	}
	ke_free(sa->ke);
	if ((sa->ke = ke_new((enum ike_ke)sa->ke_group)) == NULL)
		return -1;
	ike_sa_hdr(sa, &h, IKE_EXCH_SA_INIT, false, 0);
	wr_init(&w, msg, sizeof(msg));
	ike_enc_init(&e, &w, &h);
	if (sa->cookie_len > 0)		/* 2.6: COOKIE comes first */
		enc_notify(&e, IKE_N_COOKIE, sa->cookie, sa->cookie_len);
	ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
	if (ike_proposal_encode(e.w, props, np, NULL, 0, 0) != 0)
		return -1;
	ike_enc_pld_end(&e);
	kp.group = sa->ke_group;
	kp.data = ke_public(sa->ke, &kp.len);
	ike_enc_ke(&e, &kp);
	ike_enc_nonce(&e, sa->ni, sa->ni_len);
	enc_init_notifies(sa, &e, sa->spi_i, zero, &sa->local, &sa->remote,
	    sa->conn->encap);
	if ((len = ike_enc_finish(&e)) < 0)
		return -1;
	free(sa->init_req);
	if ((sa->init_req = malloc((size_t)len)) == NULL)
		return -1;
	memcpy(sa->init_req, msg, (size_t)len);
	sa->init_req_len = (size_t)len;
	ike_sa_req_done(sa);
	if (ike_sa_send_plain_request(sa, msg, (size_t)len, now) != 0)
		return -1;
	sa->half_open_ms = now + c->lim.half_open_timeout_ms;
	ike_sa_event(sa, IKE_FEV_SEND_INIT, now);
	return 0;
}

/* An unencrypted IKE_SA_INIT response holding one notify; no state. */
static int
init_notify(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote, const struct ike_msg *m, uint16_t type,
    const uint8_t *data, size_t len)
{
	struct ike_hdr	 h;
	struct ike_enc	 e;
	struct wr	 w;
	uint8_t		 msg[512];
	int		 n;

	memset(&h, 0, sizeof(h));
	h.ispi = m->hdr.ispi;
	h.version = IKE_VERSION;
	h.exch = IKE_EXCH_SA_INIT;
	h.flags = IKE_FLAG_RESPONSE;
	wr_init(&w, msg, sizeof(msg));
	ike_enc_init(&e, &w, &h);
	enc_notify(&e, type, data, len);
	if ((n = ike_enc_finish(&e)) < 0)
		return -1;
	return core_queue(c, local, remote, false, msg, (size_t)n);
}

static bool
addr_in(const struct cfg_addr *a, size_t n, const struct sa_addr *x)
{
	size_t		 i, bits, full;
	unsigned int	 mask;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++) {
		if (a[i].family == CFG_AF_ANY)
			return true;
		if (a[i].family != x->family)
			continue;
		full = alen(x->family);
		bits = a[i].plen;
		if (bits / 8 > full)
			continue;
		if (memcmp(a[i].addr, x->addr, bits / 8) != 0)
			continue;
		if (bits % 8 == 0)
			return true;
		mask = (0xffu << (8 - bits % 8)) & 0xff;
		if ((a[i].addr[bits / 8] & mask) == (x->addr[bits / 8] & mask))
			return true;
	}
	return false;
}

/* The first connection whose addresses admit this peer. */
static const struct cfg_conn *
conn_match(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote)
{
	const struct cfg_conn	*cn;
	size_t			 i;

	for (i = 0; i < c->cfg->ike.nconns; i++) {
		cn = &c->cfg->ike.conns[i];
		if (addr_in(cn->remote_addrs, cn->nremote_addrs, remote) &&
		    addr_in(cn->local_addrs, cn->nlocal_addrs, local))
			return cn;
	}
	return NULL;
}

/* RFC 7296 2.6: cookie = prf(secret, Ni | IPi | SPIi). */
static int
cookie_make(struct ike_core *c, const struct ike_blob *ni,
    const struct sa_addr *remote, uint64_t ispi, uint8_t out[32])
{
	struct crypto_iov	 iov[3];
	uint8_t			 spi[8];

	spi_store(ispi, spi);
	iov[0].p = ni->data;
	iov[0].len = ni->len;
	iov[1].p = remote->addr;
	iov[1].len = alen(remote->family);
	iov[2].p = spi;
	iov[2].len = sizeof(spi);
	return prf_iov(IKE_PRF_HMAC_SHA2_256, c->cookie_secret,
	    sizeof(c->cookie_secret), iov, 3, out) == 32 ? 0 : -1;
}

/* The peer's address for a log line (an IKE_SA_INIT refused before any
 * SA exists has no other name). */
static const char *
peer_str(const struct sa_addr *a, char *buf, size_t len)
{
	if (inet_ntop(a->family == CFG_AF_INET6 ? AF_INET6 : AF_INET,
	    a->addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

int
exch_init_request(struct ike_core *c, const struct sa_addr *local,
    const struct sa_addr *remote, const struct ike_msg *m, uint64_t now)
{
	const struct cfg_conn		*cn;
	const struct ike_pld_ref	*psa, *pke, *pn;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	struct ike_sa_pld		 sap;
	struct ike_ke_pld		 kp, ours;
	struct ike_blob			 ni, ck;
	struct ike_notify_pld		 n;
	struct ike_chosen		 ch;
	struct ike_nonces		 nn;
	struct ike_sa			*sa = NULL;
	struct secbuf			*gir = NULL;
	struct ike_hdr			 h;
	struct ike_enc			 e;
	struct wr			 w;
	uint8_t				 msg[IKE_MSG_MAX], cookie[32], g[2];
	uint8_t				 zero[IKE_SPI_LEN] = { 0 };
	size_t				 np, from = 0;
	uint32_t			 thr;
	int				 len, ret = -1;
	char				 pa[64];

	psa = ike_chain_find(&m->ch, IKE_PLD_SA, &from);
	from = 0;
	pke = ike_chain_find(&m->ch, IKE_PLD_KE, &from);
	from = 0;
	pn = ike_chain_find(&m->ch, IKE_PLD_NONCE, &from);
	if (psa == NULL || pke == NULL || pn == NULL ||
	    ike_pld_sa_decode(psa->body, psa->len, &sap) != 0 ||
	    ike_pld_ke_decode(pke->body, pke->len, &kp) != 0 ||
	    ike_pld_nonce_decode(pn->body, pn->len, &ni) != 0) {
		core_drop(c, NULL, remote, IKE_DROP_SYNTAX,
		    "IKE_SA_INIT without a valid SA, KE or Nonce");
		return -1;
	}
	if ((cn = conn_match(c, local, remote)) == NULL) {
		core_log(c, NULL, IKE_LOG_NOTICE, IKE_LK_NEGOTIATION,
		    "IKE_SA_INIT from %s: no connection admits this peer",
		    peer_str(remote, pa, sizeof(pa)));
		return init_notify(c, local, remote, m,
		    IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	}
	if (core_conn_standby(c, cn)) {
		/* the group's master answers; not a word from a standby */
		core_drop(c, NULL, remote, IKE_DROP_STANDBY,
		    "IKE_SA_INIT for a VIP group on standby here");
		return -1 - (int)IKE_DROP_STANDBY;
	}
	/* 2.6: stateless cookie once the half-open count is high */
	thr = c->cfg->ike.cookie_threshold;
	if (ike_sa_half_open(c) >= thr) {
		if (cookie_make(c, &ni, remote, m->hdr.ispi, cookie) != 0)
			return -1;
		if (m->ch.n == 0 || m->ch.pld[0].type != IKE_PLD_NOTIFY ||
		    ike_pld_notify_decode(m->ch.pld[0].body, m->ch.pld[0].len,
		    &n) != 0 || n.type != IKE_N_COOKIE ||
		    ike_n_cookie_decode(&n, &ck) != 0 ||
		    ck.len != sizeof(cookie) ||
		    CRYPTO_memcmp(ck.data, cookie, sizeof(cookie)) != 0) {
			c->st.drops[IKE_DROP_COOKIE]++;
			return init_notify(c, local, remote, m, IKE_N_COOKIE,
			    cookie, sizeof(cookie));
		}
	}
	if (c->cfg->ike.init_limit_half_open != 0 &&
	    ike_sa_half_open(c) >= c->cfg->ike.init_limit_half_open) {
		core_drop(c, NULL, remote, IKE_DROP_HALF_OPEN, "limit");
		return -1;
	}
	np = core_props(cn->proposals, cn->nproposals, IKE_PROTO_IKE, props,
	    nitems(props));
	if (ike_proposal_select(props, np, &sap, IKE_PROTO_IKE, 0, &ch) != 0 ||
	    ch.spi_size != 0) {
		core_log(c, NULL, IKE_LOG_NOTICE, IKE_LK_NEGOTIATION,
		    "conn %s: IKE_SA_INIT from %s: no acceptable IKE proposal "
		    "(NO_PROPOSAL_CHOSEN)", cn->name,
		    peer_str(remote, pa, sizeof(pa)));
		return init_notify(c, local, remote, m,
		    IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	}
	if (kp.group != ch.ke) {
		/* 1.2: tell the initiator which group we want */
		g[0] = (uint8_t)(ch.ke >> 8);
		g[1] = (uint8_t)ch.ke;
		return init_notify(c, local, remote, m,
		    IKE_N_INVALID_KE_PAYLOAD, g, sizeof(g));
	}
	if ((sa = ike_sa_new(c, false, local, remote)) == NULL)
		return -1;
	spi_store(m->hdr.ispi, sa->spi_i);
	sa->conn = cn;
	snprintf(sa->conn_name, sizeof(sa->conn_name), "%s", cn->name);
	ike_sa_refile(sa);
	/* RFC 7296 2.23: an IKE_SA_INIT on the NAT-T port stays there */
	sa->natt = local->port == c->cfg->ike.port_nat_t &&
	    c->cfg->ike.port_nat_t != 0;
	if (sa->natt)
		sa->sa_flags |= SA_IKE_NATT_4500;
	sa->chosen = ch;
	sa->ke_group = ch.ke;
	if (crypto_suite_init(&sa->suite, ch.encr, ch.encr_keylen,
	    ch.has_integ ? ch.integ : IKE_INTEG_NONE, ch.prf, ch.ke) != 0)
		goto done;
	memcpy(sa->ni, ni.data, ni.len);
	sa->ni_len = ni.len;
	sa->nr_len = IKE_NONCE_LEN;
	if (core_random(c, sa->nr, sa->nr_len) != 0)
		goto done;
	if ((sa->ke = ke_new(ch.ke)) == NULL ||
	    ke_shared(sa->ke, kp.data, kp.len, &gir) != 0)
		goto done;
	nn.ni = sa->ni;
	nn.ni_len = sa->ni_len;
	nn.nr = sa->nr;
	nn.nr_len = sa->nr_len;
	if (keys_ike(&sa->suite, gir, &nn, sa->spi_i, sa->spi_r, &sa->keys) !=
	    0)
		goto done;
	/*
	 * The request's hashes were made with SPIr = 0.  The initiator
	 * floats to the NAT-T port for IKE_AUTH if either side found a NAT;
	 * ike_core_input() follows it there (endpoints_update()).
	 */
	natd_check(sa, &m->ch, zero);

	ike_sa_hdr(sa, &h, IKE_EXCH_SA_INIT, true, 0);
	wr_init(&w, msg, sizeof(msg));
	ike_enc_init(&e, &w, &h);
	ike_enc_pld_begin(&e, IKE_PLD_SA, 0);
	if (ike_proposal_encode_chosen(e.w, &ch, NULL, 0) != 0)
		goto done;
	ike_enc_pld_end(&e);
	ours.group = ch.ke;
	ours.data = ke_public(sa->ke, &ours.len);
	ike_enc_ke(&e, &ours);
	ike_enc_nonce(&e, sa->nr, sa->nr_len);
	enc_init_notifies(sa, &e, sa->spi_i, sa->spi_r, &sa->local,
	    &sa->remote, cn->encap);
	exch_auth_enc_certreq(c, cn, &e);	/* 1.2: [CERTREQ] */
	if ((len = ike_enc_finish(&e)) < 0)
		goto done;
	if ((sa->init_req = malloc(m->len)) == NULL ||
	    (sa->init_resp = malloc((size_t)len)) == NULL)
		goto done;
	memcpy(sa->init_req, m->buf, m->len);
	sa->init_req_len = m->len;
	memcpy(sa->init_resp, msg, (size_t)len);
	sa->init_resp_len = (size_t)len;
	sa->msgid_recv = 1;
	sa->half_open_ms = now + c->lim.half_open_timeout_ms;
	ike_sa_event(sa, IKE_FEV_INIT_DONE, now);
	if (core_queue_sa(sa, msg, (size_t)len) != 0)
		goto done;
	ret = 0;
 done:
	secbuf_free(gir);
	if (ret != 0 && sa != NULL)
		ike_sa_free(sa);
	return ret;
}

static bool
group_offered(const struct ike_cfg_prop *p, size_t n, uint16_t g)
{
	size_t	 i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < p[i].nke; j++)
			if (p[i].ke[j] == g)
				return true;
	return false;
}

int
exch_init_response(struct ike_sa *sa, const struct ike_msg *m, uint64_t now)
{
	struct ike_core			*c = sa->core;
	const struct ike_pld_ref	*psa, *pke, *pn;
	struct ike_cfg_prop		 props[IKE_CFG_MAX_PROPS];
	struct ike_sa_pld		 sap;
	struct ike_ke_pld		 kp;
	struct ike_blob			 nr, ck;
	struct ike_notify_pld		 n;
	struct ike_nonces		 nn;
	struct secbuf			*gir = NULL;
	uint16_t			 group, err;
	size_t				 np, from = 0;
	int				 ret = -1;

	np = core_props(sa->conn->proposals, sa->conn->nproposals,
	    IKE_PROTO_IKE, props, nitems(props));
	if (exch_find_notify(&m->ch, IKE_N_COOKIE, &n) != NULL) {
		if (ike_n_cookie_decode(&n, &ck) != 0 ||
		    ++sa->init_retries > INIT_RETRIES_MAX)
			goto fail;
		memcpy(sa->cookie, ck.data, ck.len);
		sa->cookie_len = ck.len;
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_NEGOTIATION,
		    "responder asks for a cookie: retrying");
		return exch_init_start(sa, now);
	}
	if (exch_find_notify(&m->ch, IKE_N_INVALID_KE_PAYLOAD, &n) != NULL) {
		if (ike_n_invalid_ke_decode(&n, &group) != 0 ||
		    !group_offered(props, np, group) ||
		    group == sa->ke_group ||
		    ++sa->init_retries > INIT_RETRIES_MAX)
			goto fail;
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_NEGOTIATION,
		    "responder wants KE group %u: retrying", group);
		sa->ke_group = group;
		return exch_init_start(sa, now);
	}
	if ((err = error_notify(&m->ch)) != 0) {
		core_log(c, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
		    "IKE_SA_INIT refused with notify %u", err);
		goto fail;
	}
	psa = ike_chain_find(&m->ch, IKE_PLD_SA, &from);
	from = 0;
	pke = ike_chain_find(&m->ch, IKE_PLD_KE, &from);
	from = 0;
	pn = ike_chain_find(&m->ch, IKE_PLD_NONCE, &from);
	if (psa == NULL || pke == NULL || pn == NULL || m->hdr.rspi == 0 ||
	    ike_pld_sa_decode(psa->body, psa->len, &sap) != 0 ||
	    ike_pld_ke_decode(pke->body, pke->len, &kp) != 0 ||
	    ike_pld_nonce_decode(pn->body, pn->len, &nr) != 0)
		goto fail;
	if (ike_proposal_check_reply(props, np, &sap, IKE_PROTO_IKE, 0,
	    &sa->chosen) != 0 || sa->chosen.ke != kp.group ||
	    kp.group != sa->ke_group) {
		core_log(c, sa, IKE_LOG_WARN, IKE_LK_NEGOTIATION,
		    "IKE_SA_INIT response does not match our offer");
		goto fail;
	}
	spi_store(m->hdr.rspi, sa->spi_r);
	if (crypto_suite_init(&sa->suite, sa->chosen.encr,
	    sa->chosen.encr_keylen, sa->chosen.has_integ ? sa->chosen.integ :
	    IKE_INTEG_NONE, sa->chosen.prf, sa->chosen.ke) != 0)
		goto fail;
	memcpy(sa->nr, nr.data, nr.len);
	sa->nr_len = nr.len;
	if (ke_shared(sa->ke, kp.data, kp.len, &gir) != 0)
		goto fail;
	nn.ni = sa->ni;
	nn.ni_len = sa->ni_len;
	nn.nr = sa->nr;
	nn.nr_len = sa->nr_len;
	if (keys_ike(&sa->suite, gir, &nn, sa->spi_i, sa->spi_r, &sa->keys) !=
	    0)
		goto fail;
	if ((sa->init_resp = malloc(m->len)) == NULL)
		goto fail;
	memcpy(sa->init_resp, m->buf, m->len);
	sa->init_resp_len = m->len;
	natd_check(sa, &m->ch, sa->spi_r);
	if (((sa->sa_flags & (SA_IKE_NAT_LOCAL | SA_IKE_NAT_REMOTE)) ||
	    sa->conn->encap) && c->cfg->ike.port_nat_t != 0 && !sa->natt) {
		/* RFC 7296 2.23: float to the NAT-T port from IKE_AUTH on */
		sa->local.port = c->cfg->ike.port_nat_t;
		sa->remote.port = c->cfg->ike.port_nat_t;
		sa->natt = true;
		sa->sa_flags |= SA_IKE_NATT_4500;
		core_log(c, sa, IKE_LOG_INFO, IKE_LK_NATT,
		    "floating to UDP %u (%s)", sa->local.port,
		    sa->conn->encap && !(sa->sa_flags & (SA_IKE_NAT_LOCAL |
		    SA_IKE_NAT_REMOTE)) ? "encap forced" : "NAT detected");
	}
	ike_sa_req_done(sa);
	sa->msgid_send = 1;
	ike_sa_event(sa, IKE_FEV_INIT_OK, now);
	if (exch_auth_start(sa, now) != 0)
		goto fail;
	ret = 0;
	secbuf_free(gir);
	return ret;
 fail:
	secbuf_free(gir);
	ike_sa_event(sa, IKE_FEV_AUTH_FAIL, now);
	return 0;
}
