/*
 * ikev2d/ike_codec.c -- the IKE header and the payload chain (RFC 7296 3.1,
 * 3.2), both directions.  Payload bodies are ike_pld*.c's job.
 *
 * Pure: reads and writes caller buffers through struct rd / struct wr.
 */
#include <stdint.h>
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "ike_msg.h"

#define NONE_OFF	SIZE_MAX

/* Payload types this codec understands (RFC 7296 3.2, RFC 7383). */
static bool
pld_known(uint8_t type)
{
	switch ((enum ike_pld)type) {
	case IKE_PLD_SA:
	case IKE_PLD_KE:
	case IKE_PLD_IDI:
	case IKE_PLD_IDR:
	case IKE_PLD_CERT:
	case IKE_PLD_CERTREQ:
	case IKE_PLD_AUTH:
	case IKE_PLD_NONCE:
	case IKE_PLD_NOTIFY:
	case IKE_PLD_DELETE:
	case IKE_PLD_VENDOR:
	case IKE_PLD_TSI:
	case IKE_PLD_TSR:
	case IKE_PLD_SK:
	case IKE_PLD_CP:
	case IKE_PLD_EAP:
	case IKE_PLD_SKF:
		return true;
	case IKE_PLD_NONE:
		break;
	}
	return false;
}

int
ike_err_notify(int err)
{
	switch ((enum ike_err)err) {
	case IKE_OK:
		return 0;
	/*
	 * Too broken to trust the header, or not IKEv2 at all: drop without
	 * an answer (RFC 7296 2.21: no reply that could be used to reflect
	 * or amplify).
	 */
	case IKE_E_SHORT_HDR:
	case IKE_E_LEN_MISMATCH:
	case IKE_E_OLD_VERSION:
		return 0;
	case IKE_E_BAD_VERSION:
		return IKE_N_INVALID_MAJOR_VERSION;	/* RFC 7296 2.5 */
	case IKE_E_UNSUP_CRITICAL:
		return IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD;	/* 3.2 */
	case IKE_E_NO_PROPOSAL:
	case IKE_E_REPLY_COUNT:
	case IKE_E_REPLY_MISMATCH:
		return IKE_N_NO_PROPOSAL_CHOSEN;
	/* Our own encoder's failures are not the peer's fault. */
	case IKE_E_NOSPACE:
	case IKE_E_ENC_STATE:
	case IKE_E_ENC_ARG:
		return 0;
	case IKE_E_PLD_SHORT:
	case IKE_E_PLD_PAST_END:
	case IKE_E_TRAILING:
	case IKE_E_CHAIN_TOO_LONG:
	case IKE_E_SK_NOT_LAST:
	case IKE_E_SK_NESTED:
	case IKE_E_BODY_SHORT:
	case IKE_E_SA_EMPTY:
	case IKE_E_TOO_MANY_PROPOSALS:
	case IKE_E_PROP_LEN:
	case IKE_E_PROP_PAST_SA:
	case IKE_E_PROP_LAST:
	case IKE_E_PROP_NUM:
	case IKE_E_BAD_SPI_SIZE:
	case IKE_E_NO_XFORMS:
	case IKE_E_TOO_MANY_XFORMS:
	case IKE_E_XFORM_LEN:
	case IKE_E_XFORM_PAST_PROP:
	case IKE_E_XFORM_LAST:
	case IKE_E_XFORM_COUNT:
	case IKE_E_ATTR_PAST_XFORM:
	case IKE_E_TOO_MANY_ATTRS:
	case IKE_E_BAD_KEYLEN:
	case IKE_E_ID_LEN:
	case IKE_E_NONCE_LEN:
	case IKE_E_AUTH_LEN:
	case IKE_E_CERTREQ_LEN:
	case IKE_E_N_SPI:
	case IKE_E_N_DATA_LEN:
	case IKE_E_N_TYPE:
	case IKE_E_TOO_MANY_ALGS:
	case IKE_E_DEL_PROTO:
	case IKE_E_DEL_COUNT:
	case IKE_E_TS_COUNT:
	case IKE_E_TOO_MANY_TS:
	case IKE_E_TS_LEN:
	case IKE_E_TS_PAST_END:
	case IKE_E_SKF_NUM:
	case IKE_E_CP_ATTR_LEN:
	case IKE_E_TOO_MANY_CP_ATTRS:
	case IKE_E_EAP_LEN:
	case IKE_E_EAP_CODE:
		return IKE_N_INVALID_SYNTAX;	/* RFC 7296 3.10.1 */
	}
	return IKE_N_INVALID_SYNTAX;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                             */

int
ike_hdr_decode(const uint8_t *buf, size_t len, struct ike_hdr *h)
{
	struct rd	 r;

	memset(h, 0, sizeof(*h));
	if (buf == NULL || len < IKE_HDR_LEN)
		return IKE_E_SHORT_HDR;
	rd_init(&r, buf, len);
	h->ispi = rd_be64(&r);
	h->rspi = rd_be64(&r);
	h->next = rd_u8(&r);
	h->version = rd_u8(&r);
	h->exch = rd_u8(&r);
	h->flags = rd_u8(&r);
	h->msgid = rd_be32(&r);
	h->length = rd_be32(&r);
	if (r.bad)
		return IKE_E_SHORT_HDR;
	/* RFC 7296 2.5: a higher major version gets INVALID_MAJOR_VERSION. */
	if ((h->version >> 4) > (IKE_VERSION >> 4))
		return IKE_E_BAD_VERSION;
	if ((h->version >> 4) < (IKE_VERSION >> 4))
		return IKE_E_OLD_VERSION;
	/*
	 * 3.1: Length is that of the whole message.  Neither a datagram cut
	 * short nor trailing bytes are accepted: both mean the bytes we would
	 * authenticate are not the bytes the peer sent.
	 */
	if (h->length != len)
		return IKE_E_LEN_MISMATCH;
	return 0;
}

/*
 * Walk a payload chain starting at buf[off] whose first payload has type
 * `next`.  Every payload advances by at least 4 bytes, so the walk ends;
 * IKE_MAX_PAYLOADS bounds it further.
 */
static int
chain_decode(const uint8_t *buf, size_t len, size_t off, uint8_t next,
    bool inner, struct ike_chain *c)
{
	struct ike_pld_ref	*p;
	struct rd		 r;
	uint8_t			 nnext, flags;
	uint16_t		 plen;

	c->n = 0;
	c->nunknown = 0;
	c->unsup_type = 0;
	c->sk = -1;
	c->sk_first = 0;
	while (next != IKE_PLD_NONE) {
		if (c->n >= nitems(c->pld))
			return IKE_E_CHAIN_TOO_LONG;
		if (off > len || len - off < IKE_GENERIC_HDR_LEN)
			return IKE_E_PLD_PAST_END;
		rd_init(&r, buf + off, len - off);
		nnext = rd_u8(&r);
		flags = rd_u8(&r);
		plen = rd_be16(&r);
		if (plen < IKE_GENERIC_HDR_LEN)
			return IKE_E_PLD_SHORT;
		if (plen > len - off)
			return IKE_E_PLD_PAST_END;
		/*
		 * RFC 7296 3.2: the critical bit matters only for a payload
		 * we do not understand; reserved bits are ignored.
		 */
		if (!pld_known(next)) {
			if (flags & IKE_PLD_CRITICAL) {
				c->unsup_type = next;
				return IKE_E_UNSUP_CRITICAL;
			}
			c->nunknown++;
		}
		p = &c->pld[c->n++];
		p->type = next;
		p->flags = flags;
		p->len = (uint16_t)(plen - IKE_GENERIC_HDR_LEN);
		p->off = off;
		p->body = buf + off + IKE_GENERIC_HDR_LEN;
		off += plen;
		if (next == IKE_PLD_SK || next == IKE_PLD_SKF) {
			if (inner)
				return IKE_E_SK_NESTED;
			/*
			 * 3.14: SK is the last payload; its Next Payload names
			 * the first payload inside, so "last" means that it
			 * reaches the end of the message.
			 */
			if (off != len)
				return IKE_E_SK_NOT_LAST;
			c->sk = (int)(c->n - 1);
			c->sk_first = nnext;
			return 0;
		}
		next = nnext;
	}
	if (off != len)
		return IKE_E_TRAILING;
	return 0;
}

int
ike_decode(const uint8_t *buf, size_t len, struct ike_msg *m)
{
	const struct ike_pld_ref	*sk;
	struct ike_skf_pld			 f;
	int				 rc;

	memset(&m->sk, 0, sizeof(m->sk));
	m->buf = buf;
	m->len = len;
	m->ch.n = 0;
	m->ch.nunknown = 0;
	m->ch.unsup_type = 0;
	m->ch.sk = -1;
	m->ch.sk_first = 0;
	if ((rc = ike_hdr_decode(buf, len, &m->hdr)) != 0)
		return rc;
	if ((rc = chain_decode(buf, len, IKE_HDR_LEN, m->hdr.next, false,
	    &m->ch)) != 0)
		return rc;
	if (m->ch.sk < 0)
		return 0;
	sk = &m->ch.pld[m->ch.sk];
	m->sk.present = true;
	m->sk.first = m->ch.sk_first;
	m->sk.hdr_off = sk->off;
	m->sk.body_off = sk->off + IKE_GENERIC_HDR_LEN;
	m->sk.body_len = sk->len;
	if (sk->type == IKE_PLD_SKF) {
		if ((rc = ike_pld_skf_decode(sk->body, sk->len, &f)) != 0)
			return rc;
		m->sk.frag = true;
		m->sk.frag_num = f.num;
		m->sk.frag_total = f.total;
		m->sk.body_off += IKE_SKF_HDR_LEN;
		m->sk.body_len -= IKE_SKF_HDR_LEN;
	}
	return 0;
}

int
ike_decode_inner(const uint8_t *buf, size_t len, uint8_t first,
    struct ike_chain *c)
{
	if (buf == NULL && len != 0)
		return IKE_E_PLD_PAST_END;
	return chain_decode(buf, len, 0, first, true, c);
}

const struct ike_pld_ref *
ike_chain_find(const struct ike_chain *c, uint8_t type, size_t *from)
{
	size_t	 i = from != NULL ? *from : 0;

	if (!pld_known(type))
		return NULL;
	for (; i < c->n; i++) {
		if (c->pld[i].type == type) {
			if (from != NULL)
				*from = i + 1;
			return &c->pld[i];
		}
	}
	if (from != NULL)
		*from = c->n;
	return NULL;
}

size_t
ike_chain_count(const struct ike_chain *c, uint8_t type)
{
	size_t	 i, n = 0;

	if (!pld_known(type))
		return 0;
	for (i = 0; i < c->n; i++)
		if (c->pld[i].type == type)
			n++;
	return n;
}

/* ------------------------------------------------------------------ */
/* Encoding                                                             */

static void
enc_fail(struct ike_enc *e, int err)
{
	if (e->err == 0)
		e->err = err;
}

static void
enc_reset(struct ike_enc *e, struct wr *w)
{
	e->w = w;
	e->start = w->len;
	e->hdr = NONE_OFF;
	e->np_at = NONE_OFF;
	e->cur = NONE_OFF;
	e->first = IKE_PLD_NONE;
	e->npld = 0;
	e->sealed = false;
	e->err = w->bad ? IKE_E_NOSPACE : 0;
}

void
ike_enc_init(struct ike_enc *e, struct wr *w, const struct ike_hdr *h)
{
	enc_reset(e, w);
	e->hdr = w->len;
	wr_be64(w, h->ispi);
	wr_be64(w, h->rspi);
	wr_u8(w, IKE_PLD_NONE);		/* set by the first payload */
	wr_u8(w, h->version);
	wr_u8(w, h->exch);
	wr_u8(w, h->flags);
	wr_be32(w, h->msgid);
	wr_be32(w, 0);			/* set by ike_enc_finish() */
	if (w->bad) {
		enc_fail(e, IKE_E_NOSPACE);
		return;
	}
	e->np_at = e->hdr + 16;
}

void
ike_enc_init_chain(struct ike_enc *e, struct wr *w)
{
	enc_reset(e, w);
}

uint8_t
ike_enc_first(const struct ike_enc *e)
{
	return e->first;
}

int
ike_enc_finish(struct ike_enc *e)
{
	size_t	 total;

	if (e->err != 0)
		return e->err;
	if (e->cur != NONE_OFF)
		return e->err = IKE_E_ENC_STATE;
	if (e->w->bad)
		return e->err = IKE_E_NOSPACE;
	total = e->w->len - e->start;
	if (total > INT32_MAX)
		return e->err = IKE_E_ENC_ARG;
	if (e->hdr != NONE_OFF)
		wr_put_be32_at(e->w, e->hdr + 24, (uint32_t)total);
	return (int)total;
}

void
ike_enc_pld_begin(struct ike_enc *e, uint8_t type, uint8_t flags)
{
	struct wr	*w = e->w;

	if (e->err != 0)
		return;
	if (e->cur != NONE_OFF || e->sealed || type == IKE_PLD_NONE) {
		enc_fail(e, IKE_E_ENC_STATE);
		return;
	}
	/* Chain: the previous Next Payload field (or the header's) names us. */
	if (e->np_at != NONE_OFF)
		w->p[e->np_at] = type;
	if (e->npld++ == 0)
		e->first = type;
	e->cur = w->len;
	wr_u8(w, IKE_PLD_NONE);		/* set by the next payload */
	wr_u8(w, flags);
	wr_be16(w, 0);			/* set by ike_enc_pld_end() */
	if (w->bad) {
		enc_fail(e, IKE_E_NOSPACE);
		return;
	}
	e->np_at = e->cur;
}

void
ike_enc_pld_end(struct ike_enc *e)
{
	size_t	 plen;

	if (e->err != 0)
		return;
	if (e->cur == NONE_OFF) {
		enc_fail(e, IKE_E_ENC_STATE);
		return;
	}
	if (e->w->bad) {
		enc_fail(e, IKE_E_NOSPACE);
		return;
	}
	plen = e->w->len - e->cur;
	if (plen > UINT16_MAX) {
		enc_fail(e, IKE_E_ENC_ARG);
		return;
	}
	wr_put_be16_at(e->w, e->cur + 2, (uint16_t)plen);
	e->cur = NONE_OFF;
}

void
ike_enc_raw(struct ike_enc *e, uint8_t type, uint8_t flags,
    const uint8_t *body, size_t len)
{
	ike_enc_pld_begin(e, type, flags);
	if (e->err == 0)
		wr_bytes(e->w, body, len);
	ike_enc_pld_end(e);
}

/* SK and SKF: reserve a zeroed body, then seal the chain. */
static void
enc_sk(struct ike_enc *e, uint8_t type, uint8_t flags, uint8_t first,
    const uint16_t *frag, size_t body_len, size_t *body_off)
{
	uint8_t	*b;
	size_t	 hdr;

	ike_enc_pld_begin(e, type, flags);
	if (e->err != 0)
		return;
	hdr = e->cur;
	e->w->p[hdr] = first;
	if (frag != NULL) {
		wr_be16(e->w, frag[0]);
		wr_be16(e->w, frag[1]);
	}
	if ((b = wr_reserve(e->w, body_len)) == NULL) {
		enc_fail(e, IKE_E_NOSPACE);
		return;
	}
	if (body_len > 0)
		memset(b, 0, body_len);
	if (body_off != NULL)
		*body_off = (size_t)(b - e->w->p);
	ike_enc_pld_end(e);
	e->np_at = NONE_OFF;		/* SK's Next Payload stays `first` */
	e->sealed = true;
}

void
ike_enc_sk(struct ike_enc *e, uint8_t first, size_t body_len,
    size_t *body_off)
{
	enc_sk(e, IKE_PLD_SK, 0, first, NULL, body_len, body_off);
}

void
ike_enc_skf(struct ike_enc *e, uint8_t first, uint16_t num, uint16_t total,
    size_t body_len, size_t *body_off)
{
	uint16_t	 frag[2] = { num, total };

	/* RFC 7383 2.5: numbers start at 1 and never exceed the total. */
	if (num < 1 || total < 1 || num > total) {
		enc_fail(e, IKE_E_ENC_ARG);
		return;
	}
	enc_sk(e, IKE_PLD_SKF, 0, first, frag, body_len, body_off);
}

int
ike_enc_seal(struct ike_enc *e, uint8_t type)
{
	if (e->err != 0)
		return e->err;
	if (e->cur != NONE_OFF || e->sealed ||
	    (type != IKE_PLD_SK && type != IKE_PLD_SKF)) {
		enc_fail(e, IKE_E_ENC_STATE);
		return e->err;
	}
	if (e->np_at != NONE_OFF)
		e->w->p[e->np_at] = type;
	if (e->npld++ == 0)
		e->first = type;
	e->np_at = NONE_OFF;
	e->sealed = true;
	if (e->w->len > INT32_MAX) {
		enc_fail(e, IKE_E_ENC_ARG);
		return e->err;
	}
	return (int)e->w->len;
}

int
ike_encode(struct wr *w, const struct ike_msg *m)
{
	const struct ike_pld_ref	*p;
	struct ike_enc			 e;
	uint16_t			 frag[2];
	size_t				 i, off;
	int				 rc;

	ike_enc_init(&e, w, &m->hdr);
	for (i = 0; i < m->ch.n; i++) {
		p = &m->ch.pld[i];
		if ((int)i != m->ch.sk) {
			ike_enc_raw(&e, p->type, p->flags, p->body, p->len);
			continue;
		}
		if (m->sk.frag) {
			frag[0] = m->sk.frag_num;
			frag[1] = m->sk.frag_total;
			enc_sk(&e, p->type, p->flags, m->sk.first, frag,
			    m->sk.body_len, &off);
		} else
			enc_sk(&e, p->type, p->flags, m->sk.first, NULL,
			    m->sk.body_len, &off);
		if (e.err == 0 && m->sk.body_len > 0)
			memcpy(w->p + off, m->buf + m->sk.body_off,
			    m->sk.body_len);
	}
	rc = ike_enc_finish(&e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* One payload with its generic header                                  */

static void
enc_done(struct ike_enc *e, int rc)
{
	if (rc != 0)
		enc_fail(e, rc);
	ike_enc_pld_end(e);
}

void
ike_enc_sa(struct ike_enc *e, const struct ike_prop *p, size_t n)
{
	ike_enc_pld_begin(e, IKE_PLD_SA, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_sa_encode(e->w, p, n));
}

void
ike_enc_ke(struct ike_enc *e, const struct ike_ke_pld *ke)
{
	ike_enc_pld_begin(e, IKE_PLD_KE, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_ke_encode(e->w, ke));
}

void
ike_enc_id(struct ike_enc *e, uint8_t type, const struct ike_id *id)
{
	if (type != IKE_PLD_IDI && type != IKE_PLD_IDR) {
		enc_fail(e, IKE_E_ENC_ARG);
		return;
	}
	ike_enc_pld_begin(e, type, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_id_encode(e->w, id));
}

void
ike_enc_cert(struct ike_enc *e, const struct ike_cert *c)
{
	ike_enc_pld_begin(e, IKE_PLD_CERT, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_cert_encode(e->w, c));
}

void
ike_enc_certreq(struct ike_enc *e, const struct ike_cert *c)
{
	ike_enc_pld_begin(e, IKE_PLD_CERTREQ, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_cert_encode(e->w, c));
}

void
ike_enc_auth(struct ike_enc *e, const struct ike_auth *a)
{
	ike_enc_pld_begin(e, IKE_PLD_AUTH, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_auth_encode(e->w, a));
}

void
ike_enc_nonce(struct ike_enc *e, const uint8_t *n, size_t len)
{
	ike_enc_raw(e, IKE_PLD_NONCE, 0, n, len);
}

void
ike_enc_notify(struct ike_enc *e, const struct ike_notify_pld *n)
{
	ike_enc_pld_begin(e, IKE_PLD_NOTIFY, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_notify_encode(e->w, n));
}

void
ike_enc_delete(struct ike_enc *e, const struct ike_delete *d)
{
	ike_enc_pld_begin(e, IKE_PLD_DELETE, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_delete_encode(e->w, d));
}

void
ike_enc_vendor(struct ike_enc *e, const uint8_t *v, size_t len)
{
	ike_enc_raw(e, IKE_PLD_VENDOR, 0, v, len);
}

void
ike_enc_ts(struct ike_enc *e, uint8_t type, const struct ike_ts_pld *t)
{
	if (type != IKE_PLD_TSI && type != IKE_PLD_TSR) {
		enc_fail(e, IKE_E_ENC_ARG);
		return;
	}
	ike_enc_pld_begin(e, type, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_ts_encode(e->w, t));
}

void
ike_enc_cp(struct ike_enc *e, const struct ike_cp *cp)
{
	ike_enc_pld_begin(e, IKE_PLD_CP, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_cp_encode(e->w, cp));
}

void
ike_enc_eap(struct ike_enc *e, const struct ike_eap *eap)
{
	ike_enc_pld_begin(e, IKE_PLD_EAP, 0);
	if (e->err == 0)
		enc_done(e, ike_pld_eap_encode(e->w, eap));
}
