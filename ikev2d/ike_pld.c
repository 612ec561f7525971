/*
 * ikev2d/ike_pld.c -- payload bodies other than SA (RFC 7296 3.4-3.16,
 * RFC 7383 2.5) and the typed data of the Notify payloads Tandem acts on.
 *
 * Each decoder takes a payload body (after the 4-byte generic header),
 * reads its fixed fields through struct rd, then judges lengths once.
 * Syntax only: see ike_msg.h for what is left to verification.
 */
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "ike_msg.h"

static int
wr_status(const struct wr *w)
{
	return w->bad ? IKE_E_NOSPACE : 0;
}

/* ------------------------------------------------------------------ */
/* KE (3.4): DH Group Num (16) | RESERVED (16) | Key Exchange Data      */

int
ike_pld_ke_decode(const uint8_t *b, size_t len, struct ike_ke_pld *ke)
{
	struct rd	 r;

	rd_init(&r, b, len);
	ke->group = rd_be16(&r);
	(void)rd_be16(&r);
	if (r.bad)
		return IKE_E_BODY_SHORT;
	ke->data = r.p;
	ke->len = r.left;
	return 0;
}

int
ike_pld_ke_encode(struct wr *w, const struct ike_ke_pld *ke)
{
	wr_be16(w, ke->group);
	wr_be16(w, 0);
	wr_bytes(w, ke->data, ke->len);
	return wr_status(w);
}

/* ------------------------------------------------------------------ */
/* IDi/IDr (3.5): ID Type (8) | RESERVED (24) | Identification Data     */

int
ike_pld_id_decode(const uint8_t *b, size_t len, struct ike_id *id)
{
	struct rd	 r;

	rd_init(&r, b, len);
	id->type = rd_u8(&r);
	rd_skip(&r, 3);
	if (r.bad)
		return IKE_E_BODY_SHORT;
	id->data = r.p;
	id->len = r.left;
	switch (id->type) {
	case IKE_ID_IPV4_ADDR:
		return id->len == 4 ? 0 : IKE_E_ID_LEN;
	case IKE_ID_IPV6_ADDR:
		return id->len == 16 ? 0 : IKE_E_ID_LEN;
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
	case IKE_ID_DER_ASN1_DN:
	case IKE_ID_DER_ASN1_GN:
	case IKE_ID_KEY_ID:
		return id->len > 0 ? 0 : IKE_E_ID_LEN;
	default:
		return 0;	/* other types: opaque, policy decides */
	}
}

int
ike_pld_id_encode(struct wr *w, const struct ike_id *id)
{
	wr_u8(w, id->type);
	wr_u8(w, 0);
	wr_be16(w, 0);
	wr_bytes(w, id->data, id->len);
	return wr_status(w);
}

/* ------------------------------------------------------------------ */
/* CERT (3.6), CERTREQ (3.7): Encoding (8) | Data                       */

int
ike_pld_cert_decode(const uint8_t *b, size_t len, struct ike_cert *c)
{
	struct rd	 r;

	rd_init(&r, b, len);
	c->enc = rd_u8(&r);
	if (r.bad)
		return IKE_E_BODY_SHORT;
	c->data = r.p;
	c->len = r.left;
	return 0;
}

int
ike_pld_certreq_decode(const uint8_t *b, size_t len, struct ike_cert *c)
{
	int	 rc;

	if ((rc = ike_pld_cert_decode(b, len, c)) != 0)
		return rc;
	/* 3.7: X.509 CAs are named by 20-byte SHA-1 hashes of their keys. */
	if (c->enc == IKE_CERT_X509_SIG && c->len % 20 != 0)
		return IKE_E_CERTREQ_LEN;
	return 0;
}

int
ike_pld_cert_encode(struct wr *w, const struct ike_cert *c)
{
	wr_u8(w, c->enc);
	wr_bytes(w, c->data, c->len);
	return wr_status(w);
}

/* ------------------------------------------------------------------ */
/* AUTH (3.8): Auth Method (8) | RESERVED (24) | Authentication Data    */

int
ike_pld_auth_decode(const uint8_t *b, size_t len, struct ike_auth *a)
{
	struct rd	 r;

	memset(a, 0, sizeof(*a));
	rd_init(&r, b, len);
	a->method = rd_u8(&r);
	rd_skip(&r, 3);
	if (r.bad)
		return IKE_E_BODY_SHORT;
	a->data = r.p;
	a->len = r.left;
	if (a->len == 0)
		return IKE_E_AUTH_LEN;
	if (a->method == IKE_AUTH_DIGITAL_SIG) {
		/*
		 * RFC 7427 3: ASN.1 Length (8) | AlgorithmIdentifier |
		 * Signature; both parts non-empty.
		 */
		a->algid_len = rd_u8(&r);
		if (a->algid_len == 0 || a->algid_len >= r.left)
			return IKE_E_AUTH_LEN;
		a->algid = rd_bytes(&r, a->algid_len);
		a->sig = r.p;
		a->sig_len = r.left;
	}
	return 0;
}

int
ike_pld_auth_encode(struct wr *w, const struct ike_auth *a)
{
	wr_u8(w, a->method);
	wr_u8(w, 0);
	wr_be16(w, 0);
	if (a->data == NULL && a->method == IKE_AUTH_DIGITAL_SIG) {
		if (a->algid_len == 0 || a->algid_len > UINT8_MAX ||
		    a->sig_len == 0)
			return IKE_E_ENC_ARG;
		wr_u8(w, (uint8_t)a->algid_len);
		wr_bytes(w, a->algid, a->algid_len);
		wr_bytes(w, a->sig, a->sig_len);
	} else
		wr_bytes(w, a->data, a->len);
	return wr_status(w);
}

/* ------------------------------------------------------------------ */
/* Nonce (3.9), Vendor ID (3.12): opaque data                           */

int
ike_pld_nonce_decode(const uint8_t *b, size_t len, struct ike_blob *n)
{
	n->data = b;
	n->len = len;
	/* 3.9: at least 16 and at most 256 octets. */
	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
		return IKE_E_NONCE_LEN;
	return 0;
}

int
ike_pld_vendor_decode(const uint8_t *b, size_t len, struct ike_blob *v)
{
	v->data = b;
	v->len = len;
	return 0;
}

int
ike_pld_blob_encode(struct wr *w, const struct ike_blob *n)
{
	wr_bytes(w, n->data, n->len);
	return wr_status(w);
}

/* ------------------------------------------------------------------ */
/* Notify (3.10): Protocol (8) | SPI Size (8) | Type (16) | SPI | Data  */

static bool
n_spi_size_ok(uint8_t size)
{
	/* none, a Child SA (ESP/AH), or an IKE SA's SPI */
	return size == 0 || size == 4 || size == IKE_SPI_LEN;
}

int
ike_pld_notify_decode(const uint8_t *b, size_t len, struct ike_notify_pld *n)
{
	struct rd	 r;

	rd_init(&r, b, len);
	n->proto = rd_u8(&r);
	n->spi_size = rd_u8(&r);
	n->type = rd_be16(&r);
	if (r.bad)
		return IKE_E_BODY_SHORT;
	if (!n_spi_size_ok(n->spi_size))
		return IKE_E_N_SPI;
	n->spi = n->spi_size > 0 ? rd_bytes(&r, n->spi_size) : NULL;
	if (r.bad)
		return IKE_E_BODY_SHORT;
	n->data = r.p;
	n->len = r.left;
	return 0;
}

int
ike_pld_notify_encode(struct wr *w, const struct ike_notify_pld *n)
{
	if (!n_spi_size_ok(n->spi_size) ||
	    (n->spi_size > 0 && n->spi == NULL))
		return IKE_E_ENC_ARG;
	/* 3.10: protocol is 0 when there is no SPI. */
	wr_u8(w, n->spi_size > 0 ? n->proto : 0);
	wr_u8(w, n->spi_size);
	wr_be16(w, n->type);
	wr_bytes(w, n->spi, n->spi_size);
	wr_bytes(w, n->data, n->len);
	return wr_status(w);
}

/* NAT_DETECTION_*_IP (2.23): SHA-1(SPIi | SPIr | IP | port). */
int
ike_n_natd_decode(const struct ike_notify_pld *n, const uint8_t **hash)
{
	if (n->type != IKE_N_NAT_DETECTION_SOURCE_IP &&
	    n->type != IKE_N_NAT_DETECTION_DESTINATION_IP)
		return IKE_E_N_TYPE;
	if (n->len != IKE_NATD_LEN)
		return IKE_E_N_DATA_LEN;
	*hash = n->data;
	return 0;
}

/* COOKIE (2.6): 1 to 64 octets. */
int
ike_n_cookie_decode(const struct ike_notify_pld *n, struct ike_blob *c)
{
	if (n->type != IKE_N_COOKIE)
		return IKE_E_N_TYPE;
	if (n->len < 1 || n->len > IKE_COOKIE_MAX)
		return IKE_E_N_DATA_LEN;
	c->data = n->data;
	c->len = n->len;
	return 0;
}

/* INVALID_KE_PAYLOAD (1.3, 3.10.1): the two-octet accepted group. */
int
ike_n_invalid_ke_decode(const struct ike_notify_pld *n, uint16_t *group)
{
	if (n->type != IKE_N_INVALID_KE_PAYLOAD)
		return IKE_E_N_TYPE;
	if (n->len != 2)
		return IKE_E_N_DATA_LEN;
	*group = (uint16_t)(n->data[0] << 8 | n->data[1]);
	return 0;
}

/* REKEY_SA (1.3.3): the Child SA is named by protocol and SPI. */
int
ike_n_rekey_sa_decode(const struct ike_notify_pld *n, uint8_t *proto,
    uint32_t *spi)
{
	if (n->type != IKE_N_REKEY_SA)
		return IKE_E_N_TYPE;
	if (n->spi_size != 4 ||
	    (n->proto != IKE_PROTO_ESP && n->proto != IKE_PROTO_AH))
		return IKE_E_N_SPI;
	if (n->len != 0)
		return IKE_E_N_DATA_LEN;
	*proto = n->proto;
	*spi = (uint32_t)n->spi[0] << 24 | (uint32_t)n->spi[1] << 16 |
	    (uint32_t)n->spi[2] << 8 | (uint32_t)n->spi[3];
	return 0;
}

/* SIGNATURE_HASH_ALGORITHMS (RFC 7427 4): a list of 16-bit ids. */
int
ike_n_hash_algs_decode(const struct ike_notify_pld *n,
    struct ike_n_hash_algs *h)
{
	struct rd	 r;

	if (n->type != IKE_N_SIGNATURE_HASH_ALGORITHMS)
		return IKE_E_N_TYPE;
	if (n->len == 0 || n->len % 2 != 0)
		return IKE_E_N_DATA_LEN;
	if (n->len / 2 > IKE_MAX_HASH_ALGS)
		return IKE_E_TOO_MANY_ALGS;
	rd_init(&r, n->data, n->len);
	for (h->n = 0; r.left > 0; h->n++)
		h->alg[h->n] = rd_be16(&r);
	return 0;
}

int
ike_n_hash_algs_encode(struct wr *w, const struct ike_n_hash_algs *h)
{
	size_t	 i;

	if (h->n == 0 || h->n > IKE_MAX_HASH_ALGS)
		return IKE_E_ENC_ARG;
	for (i = 0; i < h->n; i++)
		wr_be16(w, h->alg[i]);
	return wr_status(w);
}

/*
 * IKEV2_MESSAGE_ID_SYNC (RFC 6311 4.2): Nonce Data (32) |
 * EXPECTED_SEND_REQ_MESSAGE_ID (32) | EXPECTED_RECV_REQ_MESSAGE_ID (32).
 */
int
ike_n_mid_sync_decode(const struct ike_notify_pld *n, struct ike_n_mid_sync *s)
{
	struct rd	 r;

	if (n->type != IKE_N_IKEV2_MESSAGE_ID_SYNC)
		return IKE_E_N_TYPE;
	if (n->len != IKE_MID_SYNC_LEN)
		return IKE_E_N_DATA_LEN;
	rd_init(&r, n->data, n->len);
	s->nonce = rd_be32(&r);
	s->send_req = rd_be32(&r);
	s->recv_req = rd_be32(&r);
	return 0;
}

int
ike_n_mid_sync_encode(struct wr *w, const struct ike_n_mid_sync *s)
{
	wr_be32(w, s->nonce);
	wr_be32(w, s->send_req);
	wr_be32(w, s->recv_req);
	return wr_status(w);
}

/*
 * IPSEC_REPLAY_COUNTER_SYNC (RFC 6311): the Incoming IPsec SA delta value,
 * by which the peer is asked to advance the replay counters of its
 * outgoing Child SAs.  Accepted as 4 octets (32-bit sequence numbers) or
 * 8 octets (ESN); `wide` remembers which so a re-encode is exact.
 */
int
ike_n_replay_sync_decode(const struct ike_notify_pld *n,
    struct ike_n_replay_sync *s)
{
	struct rd	 r;

	if (n->type != IKE_N_IPSEC_REPLAY_COUNTER_SYNC)
		return IKE_E_N_TYPE;
	rd_init(&r, n->data, n->len);
	if (n->len == 4) {
		s->wide = false;
		s->delta = rd_be32(&r);
	} else if (n->len == 8) {
		s->wide = true;
		s->delta = rd_be64(&r);
	} else
		return IKE_E_N_DATA_LEN;
	return 0;
}

int
ike_n_replay_sync_encode(struct wr *w, const struct ike_n_replay_sync *s)
{
	if (s->wide)
		wr_be64(w, s->delta);
	else if (s->delta > UINT32_MAX)
		return IKE_E_ENC_ARG;
	else
		wr_be32(w, (uint32_t)s->delta);
	return wr_status(w);
}

/* ------------------------------------------------------------------ */
/* Delete (3.11): Protocol (8) | SPI Size (8) | # of SPIs (16) | SPIs   */

int
ike_pld_delete_decode(const uint8_t *b, size_t len, struct ike_delete *d)
{
	struct rd	 r;

	rd_init(&r, b, len);
	d->proto = rd_u8(&r);
	d->spi_size = rd_u8(&r);
	d->nspi = rd_be16(&r);
	if (r.bad)
		return IKE_E_BODY_SHORT;
	d->spis = r.left > 0 ? r.p : NULL;
	switch (d->proto) {
	case IKE_PROTO_IKE:
		/* The IKE SA is the one the message travels on. */
		if (d->spi_size != 0)
			return IKE_E_DEL_PROTO;
		if (d->nspi != 0 || r.left != 0)
			return IKE_E_DEL_COUNT;
		return 0;
	case IKE_PROTO_ESP:
	case IKE_PROTO_AH:
		if (d->spi_size != 4)
			return IKE_E_DEL_PROTO;
		/* The count must match the length exactly. */
		if ((size_t)d->nspi * 4 != r.left)
			return IKE_E_DEL_COUNT;
		return 0;
	default:
		return IKE_E_DEL_PROTO;
	}
}

int
ike_pld_delete_encode(struct wr *w, const struct ike_delete *d)
{
	size_t	 n = (size_t)d->nspi * d->spi_size;

	if (n > 0 && d->spis == NULL)
		return IKE_E_ENC_ARG;
	wr_u8(w, d->proto);
	wr_u8(w, d->spi_size);
	wr_be16(w, d->nspi);
	wr_bytes(w, d->spis, n);
	return wr_status(w);
}

uint32_t
ike_delete_spi32(const struct ike_delete *d, size_t i)
{
	const uint8_t	*p;

	if (d->spi_size != 4 || i >= d->nspi || d->spis == NULL)
		return 0;
	p = d->spis + 4 * i;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* ------------------------------------------------------------------ */
/*
 * TSi/TSr (3.13): # of TSs (8) | RESERVED (24) | selectors, each
 * TS Type (8) | IP Proto (8) | Selector Length (16) | Start Port (16) |
 * End Port (16) | Starting Address | Ending Address.
 */

static size_t
ts_addr_len(uint8_t type)
{
	switch (type) {
	case IKE_TS_IPV4_ADDR_RANGE:
		return 4;
	case IKE_TS_IPV6_ADDR_RANGE:
		return 16;
	default:
		return 0;
	}
}

int
ike_pld_ts_decode(const uint8_t *b, size_t len, struct ike_ts_pld *t)
{
	struct ike_ts	*ts;
	struct rd	 r, sr;
	const uint8_t	*sb;
	uint16_t	 slen;
	uint8_t		 n, i;
	size_t		 alen;

	rd_init(&r, b, len);
	n = rd_u8(&r);
	rd_skip(&r, 3);
	t->n = 0;
	if (r.bad)
		return IKE_E_BODY_SHORT;
	if (n == 0)
		return IKE_E_TS_COUNT;
	if (n > IKE_MAX_TS)
		return IKE_E_TOO_MANY_TS;
	for (i = 0; i < n; i++) {
		if (r.left < 4)
			return r.left == 0 ? IKE_E_TS_COUNT : IKE_E_TS_PAST_END;
		ts = &t->ts[i];
		memset(ts, 0, sizeof(*ts));
		ts->type = rd_u8(&r);
		ts->proto = rd_u8(&r);
		slen = rd_be16(&r);
		if (slen < 4)
			return IKE_E_TS_LEN;
		if ((size_t)slen - 4 > r.left)
			return IKE_E_TS_PAST_END;
		sb = rd_bytes(&r, (size_t)slen - 4);
		rd_init(&sr, sb, (size_t)slen - 4);
		if ((alen = ts_addr_len(ts->type)) == 0) {
			/* Unknown type: kept raw for the policy to judge. */
			ts->raw = sr.left > 0 ? sr.p : NULL;
			ts->raw_len = (uint16_t)sr.left;
			continue;
		}
		if (slen != IKE_TS_HDR_LEN + 2 * alen)
			return IKE_E_TS_LEN;
		ts->sport = rd_be16(&sr);
		ts->eport = rd_be16(&sr);
		rd_copy(&sr, ts->start, alen);
		rd_copy(&sr, ts->end, alen);
	}
	if (r.left != 0)
		return IKE_E_TS_COUNT;
	t->n = n;
	return 0;
}

int
ike_pld_ts_encode(struct wr *w, const struct ike_ts_pld *t)
{
	const struct ike_ts	*ts;
	size_t			 i, alen;

	if (t->n == 0 || t->n > IKE_MAX_TS)
		return IKE_E_ENC_ARG;
	wr_u8(w, t->n);
	wr_u8(w, 0);
	wr_be16(w, 0);
	for (i = 0; i < t->n; i++) {
		ts = &t->ts[i];
		wr_u8(w, ts->type);
		wr_u8(w, ts->proto);
		if ((alen = ts_addr_len(ts->type)) == 0) {
			if (ts->raw_len > UINT16_MAX - 4 ||
			    (ts->raw_len > 0 && ts->raw == NULL))
				return IKE_E_ENC_ARG;
			wr_be16(w, (uint16_t)(4 + ts->raw_len));
			wr_bytes(w, ts->raw, ts->raw_len);
			continue;
		}
		wr_be16(w, (uint16_t)(IKE_TS_HDR_LEN + 2 * alen));
		wr_be16(w, ts->sport);
		wr_be16(w, ts->eport);
		wr_bytes(w, ts->start, alen);
		wr_bytes(w, ts->end, alen);
	}
	return wr_status(w);
}

bool
ike_ts_ordered(const struct ike_ts *ts)
{
	size_t	 alen = ts_addr_len(ts->type);

	if (alen == 0)
		return false;	/* cannot judge a type we do not know */
	return ts->sport <= ts->eport &&
	    memcmp(ts->start, ts->end, alen) <= 0;
}

/* ------------------------------------------------------------------ */
/* SKF (RFC 7383 2.5): Fragment Number (16) | Total Fragments (16)      */

int
ike_pld_skf_decode(const uint8_t *b, size_t len, struct ike_skf_pld *f)
{
	struct rd	 r;

	rd_init(&r, b, len);
	f->num = rd_be16(&r);
	f->total = rd_be16(&r);
	if (r.bad)
		return IKE_E_BODY_SHORT;
	f->data = r.p;
	f->len = r.left;
	/* Numbering starts at 1; a fragment's number is at most the total. */
	if (f->num < 1 || f->total < 1 || f->num > f->total)
		return IKE_E_SKF_NUM;
	return 0;
}

/* ------------------------------------------------------------------ */
/*
 * CP (3.15): CFG Type (8) | RESERVED (24) | attributes, each
 * R (1) | Attribute Type (15) | Length (16) | Value.
 */

int
ike_pld_cp_decode(const uint8_t *b, size_t len, struct ike_cp *cp)
{
	struct ike_cp_attr	*a;
	struct rd		 r;

	rd_init(&r, b, len);
	cp->type = rd_u8(&r);
	rd_skip(&r, 3);
	cp->nattr = 0;
	if (r.bad)
		return IKE_E_BODY_SHORT;
	while (r.left > 0) {
		if (cp->nattr >= IKE_MAX_CP_ATTRS)
			return IKE_E_TOO_MANY_CP_ATTRS;
		if (r.left < 4)
			return IKE_E_CP_ATTR_LEN;
		a = &cp->attr[cp->nattr];
		a->type = rd_be16(&r) & 0x7fff;	/* R bit: reserved */
		a->len = rd_be16(&r);
		if (a->len > r.left)
			return IKE_E_CP_ATTR_LEN;
		a->val = a->len > 0 ? rd_bytes(&r, a->len) : NULL;
		cp->nattr++;
	}
	return 0;
}

int
ike_pld_cp_encode(struct wr *w, const struct ike_cp *cp)
{
	const struct ike_cp_attr	*a;
	size_t				 i;

	if (cp->nattr > IKE_MAX_CP_ATTRS)
		return IKE_E_ENC_ARG;
	wr_u8(w, cp->type);
	wr_u8(w, 0);
	wr_be16(w, 0);
	for (i = 0; i < cp->nattr; i++) {
		a = &cp->attr[i];
		if (a->type > 0x7fff || (a->len > 0 && a->val == NULL))
			return IKE_E_ENC_ARG;
		wr_be16(w, a->type);
		wr_be16(w, a->len);
		wr_bytes(w, a->val, a->len);
	}
	return wr_status(w);
}

/* ------------------------------------------------------------------ */
/*
 * EAP (3.16, RFC 3748 4): Code (8) | Identifier (8) | Length (16) |
 * Type (8, Request/Response only) | Type-Data.  Length is the whole EAP
 * message and must equal the payload body.
 */

int
ike_pld_eap_decode(const uint8_t *b, size_t len, struct ike_eap *e)
{
	struct rd	 r;
	uint16_t	 elen;

	rd_init(&r, b, len);
	e->code = rd_u8(&r);
	e->ident = rd_u8(&r);
	elen = rd_be16(&r);
	e->type = 0;
	if (r.bad)
		return IKE_E_BODY_SHORT;
	if (elen != len)
		return IKE_E_EAP_LEN;
	switch (e->code) {
	case IKE_EAP_REQUEST:
	case IKE_EAP_RESPONSE:
		e->type = rd_u8(&r);
		if (r.bad)
			return IKE_E_EAP_LEN;
		break;
	case IKE_EAP_SUCCESS:
	case IKE_EAP_FAILURE:
		/* RFC 3748 4.2: no data. */
		if (r.left != 0)
			return IKE_E_EAP_LEN;
		break;
	default:
		return IKE_E_EAP_CODE;
	}
	e->data = r.left > 0 ? r.p : NULL;
	e->len = r.left;
	return 0;
}

int
ike_pld_eap_encode(struct wr *w, const struct ike_eap *e)
{
	size_t	 elen;
	bool	 typed;

	switch (e->code) {
	case IKE_EAP_REQUEST:
	case IKE_EAP_RESPONSE:
		typed = true;
		break;
	case IKE_EAP_SUCCESS:
	case IKE_EAP_FAILURE:
		if (e->len != 0)
			return IKE_E_ENC_ARG;
		typed = false;
		break;
	default:
		return IKE_E_ENC_ARG;
	}
	elen = 4 + (typed ? 1 : 0) + e->len;
	if (elen > UINT16_MAX - IKE_GENERIC_HDR_LEN)
		return IKE_E_ENC_ARG;
	wr_u8(w, e->code);
	wr_u8(w, e->ident);
	wr_be16(w, (uint16_t)elen);
	if (typed)
		wr_u8(w, e->type);
	wr_bytes(w, e->data, e->len);
	return wr_status(w);
}
