/*
 * ikev2d/ike_proposal.c -- proposal selection and our SA offers (RFC 7296
 * 2.7, 3.3).  The rules and the preference order are in ike_proposal.h.
 * Pure: no allocation, no logging.
 */
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "ike_msg.h"
#include "ike_proposal.h"

#define XF_BIT(t)	(1u << (t))
#define XF_UNKNOWN	XF_BIT(0)	/* a type outside 1..5 */
#define XF_ENCR		XF_BIT(IKE_XF_ENCR)
#define XF_PRF		XF_BIT(IKE_XF_PRF)
#define XF_INTEG	XF_BIT(IKE_XF_INTEG)
#define XF_KE		XF_BIT(IKE_XF_KE)
#define XF_ESN		XF_BIT(IKE_XF_ESN)

/* Counts from the config, clamped to their arrays. */
#define CAP_ALGS(n)	((size_t)(n) < IKE_CFG_MAX_ALGS ? (size_t)(n) : \
			    (size_t)IKE_CFG_MAX_ALGS)
#define CAP_ESN(n)	((size_t)(n) < 2 ? (size_t)(n) : (size_t)2)

bool
ike_encr_is_aead(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES_CCM_8:
	case IKE_ENCR_AES_CCM_12:
	case IKE_ENCR_AES_CCM_16:
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
	case IKE_ENCR_CHACHA20_POLY1305:
		return true;
	default:
		return false;
	}
}

int
ike_encr_needs_keylen(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC:		/* RFC 7296 3.3.5 */
	case IKE_ENCR_AES_CTR:		/* RFC 5930 */
	case IKE_ENCR_AES_CCM_8:	/* RFC 5282, RFC 4309 */
	case IKE_ENCR_AES_CCM_12:
	case IKE_ENCR_AES_CCM_16:
	case IKE_ENCR_AES_GCM_8:	/* RFC 5282, RFC 4106 */
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		return 1;
	case IKE_ENCR_CHACHA20_POLY1305:	/* RFC 7634 2: MUST NOT */
	case IKE_ENCR_3DES:
	case IKE_ENCR_NULL:
		return 0;
	default:
		return -1;
	}
}

/* The transform types a protocol's proposal may carry (RFC 7296 3.3.3). */
static unsigned int
allowed_types(uint8_t proto)
{
	switch (proto) {
	case IKE_PROTO_IKE:
		return XF_ENCR | XF_PRF | XF_INTEG | XF_KE;
	case IKE_PROTO_ESP:
		return XF_ENCR | XF_INTEG | XF_KE | XF_ESN;
	case IKE_PROTO_AH:
		return XF_INTEG | XF_KE | XF_ESN;
	default:
		return 0;
	}
}

static bool
spi_size_ok(uint8_t proto, uint8_t size)
{
	switch (proto) {
	case IKE_PROTO_IKE:
		return size == 0 || size == IKE_SPI_LEN;
	case IKE_PROTO_ESP:
	case IKE_PROTO_AH:
		return size == 4;
	default:
		return false;
	}
}

static unsigned int
types_of(const struct ike_prop *p)
{
	unsigned int	 m = 0;
	size_t		 i;

	for (i = 0; i < p->nxf; i++)
		m |= p->xf[i].type >= IKE_XF_ENCR && p->xf[i].type <= IKE_XF_ESN
		    ? XF_BIT(p->xf[i].type) : XF_UNKNOWN;
	return m;
}

/*
 * A transform we can judge: no attribute we do not understand, and Key
 * Length only on ENCR (RFC 7296 3.3.5, 3.3.6).
 */
static bool
xf_clean(const struct ike_xform *x)
{
	return x->nunknown == 0 && (x->type == IKE_XF_ENCR || x->keylen == 0);
}

static bool
encr_ok(const struct ike_xform *x, const struct ike_cfg_encr *e)
{
	int	 rule;

	if (x->type != IKE_XF_ENCR || x->id != e->id || !xf_clean(x))
		return false;
	rule = ike_encr_needs_keylen(x->id);
	if ((rule == 1 && x->keylen == 0) || (rule == 0 && x->keylen != 0))
		return false;
	return x->keylen == e->keylen;
}

static bool
encr_offered(const struct ike_prop *p, const struct ike_cfg_encr *e)
{
	size_t	 i;

	for (i = 0; i < p->nxf; i++)
		if (encr_ok(&p->xf[i], e))
			return true;
	return false;
}

static bool
offered(const struct ike_prop *p, uint8_t type, uint16_t id)
{
	size_t	 i;

	for (i = 0; i < p->nxf; i++)
		if (p->xf[i].type == type && p->xf[i].id == id &&
		    xf_clean(&p->xf[i]))
			return true;
	return false;
}

/* Our first algorithm of list[0..n) that p offers, or -1. */
static int
first_offered(const struct ike_prop *p, uint8_t type, const uint16_t *list,
    size_t n, bool none_ok)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (list[i] == 0 && !none_ok)
			continue;
		if (offered(p, type, list[i]))
			return (int)i;
	}
	return -1;
}

static bool
lists(const uint16_t *list, size_t n, uint16_t v)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

/* ESP/AH without a KE transform: fine when we do not insist on PFS. */
static bool
no_pfs_ok(const struct ike_cfg_prop *c)
{
	return c->nke == 0 || lists(c->ke, c->nke, IKE_KE_NONE);
}

static const uint16_t	 esn_default[] = { IKE_ESN_NO };

static const uint16_t *
esn_list(const struct ike_cfg_prop *c, size_t *n)
{
	if (c->nesn == 0) {
		*n = nitems(esn_default);
		return esn_default;
	}
	*n = CAP_ESN(c->nesn);
	return c->esn;
}

/* ENCR and, with it, INTEG (RFC 5282 8 for AEAD). */
static bool
pick_encr_integ(const struct ike_cfg_prop *c, const struct ike_prop *p,
    unsigned int have, struct ike_chosen *out)
{
	const struct ike_cfg_encr	*e;
	size_t				 i, ninteg = CAP_ALGS(c->ninteg);
	int				 j;

	for (i = 0; i < CAP_ALGS(c->nencr); i++) {
		e = &c->encr[i];
		if (!encr_offered(p, e))
			continue;
		if (ike_encr_is_aead(e->id)) {
			/* INTEG absent, or NONE and then echoed. */
			if (have & XF_INTEG) {
				if (!offered(p, IKE_XF_INTEG, IKE_INTEG_NONE))
					continue;
				out->has_integ = true;
				out->integ = IKE_INTEG_NONE;
			}
		} else {
			if (!(have & XF_INTEG))
				continue;
			if ((j = first_offered(p, IKE_XF_INTEG, c->integ,
			    ninteg, false)) < 0)
				continue;
			out->has_integ = true;
			out->integ = c->integ[j];
		}
		out->has_encr = true;
		out->encr = e->id;
		out->encr_keylen = e->keylen;
		return true;
	}
	return false;
}

/* Does the peer's proposal p satisfy our c?  Fills the suite on success. */
static bool
match(const struct ike_cfg_prop *c, const struct ike_prop *p,
    unsigned int flags, struct ike_chosen *out)
{
	const uint16_t	*esn;
	unsigned int	 have = types_of(p);
	size_t		 nesn;
	int		 j;

	memset(out, 0, sizeof(*out));
	/* RFC 7296 3.3.6: an unknown or misplaced type rejects it all. */
	if (have & ~allowed_types(p->proto))
		return false;
	if (flags & IKE_SEL_NO_KE)
		have &= ~XF_KE;
	if (p->proto == IKE_PROTO_AH) {
		if ((j = first_offered(p, IKE_XF_INTEG, c->integ,
		    CAP_ALGS(c->ninteg), false)) < 0)
			return false;
		out->has_integ = true;
		out->integ = c->integ[j];
	} else if (!(have & XF_ENCR) || !pick_encr_integ(c, p, have, out))
		return false;
	if (p->proto == IKE_PROTO_IKE) {
		if ((j = first_offered(p, IKE_XF_PRF, c->prf,
		    CAP_ALGS(c->nprf), true)) < 0)
			return false;
		out->has_prf = true;
		out->prf = c->prf[j];
	}
	if (have & XF_KE) {
		/* IKE always needs a real group; a Child SA may take NONE. */
		j = first_offered(p, IKE_XF_KE, c->ke, CAP_ALGS(c->nke),
		    p->proto != IKE_PROTO_IKE);
		out->has_ke = true;
		if (j >= 0)
			out->ke = c->ke[j];
		else if (p->proto != IKE_PROTO_IKE && no_pfs_ok(c) &&
		    offered(p, IKE_XF_KE, IKE_KE_NONE))
			out->ke = IKE_KE_NONE;
		else
			return false;
	} else if (p->proto == IKE_PROTO_IKE ||
	    (!(flags & IKE_SEL_NO_KE) && !no_pfs_ok(c)))
		return false;
	if (p->proto != IKE_PROTO_IKE) {
		esn = esn_list(c, &nesn);
		if (have & XF_ESN) {
			if ((j = first_offered(p, IKE_XF_ESN, esn, nesn,
			    true)) < 0)
				return false;
			out->has_esn = true;
			out->esn = esn[j];
		} else if (!lists(esn, nesn, IKE_ESN_NO))
			return false;
	}
	return true;
}

static void
chosen_from(struct ike_chosen *out, const struct ike_prop *p, size_t cfg)
{
	out->num = p->num;
	out->proto = p->proto;
	out->spi_size = p->spi_size;
	memcpy(out->spi, p->spi, sizeof(out->spi));
	out->cfg = cfg;
}

int
ike_proposal_select(const struct ike_cfg_prop *ours, size_t n,
    const struct ike_sa_pld *peer, uint8_t proto, unsigned int flags,
    struct ike_chosen *out)
{
	struct ike_sa_iter	 it;
	struct ike_prop		 p;
	size_t			 i;

	memset(out, 0, sizeof(*out));
	if (peer->nprop == 0)
		return IKE_E_NO_PROPOSAL;
	/* 3.3.1: the proposals of a request are numbered from one. */
	if (peer->first_num != 1)
		return IKE_E_PROP_NUM;
	for (i = 0; i < n; i++) {
		if (ours[i].proto != proto)
			continue;
		ike_pld_sa_iter(peer, &it);
		while (ike_pld_sa_next(&it, &p)) {
			if (p.proto != proto || !spi_size_ok(p.proto,
			    p.spi_size))
				continue;
			if (!match(&ours[i], &p, flags, out))
				continue;
			chosen_from(out, &p, i);
			return 0;
		}
	}
	memset(out, 0, sizeof(*out));
	return IKE_E_NO_PROPOSAL;
}

static void
xf_add(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	struct ike_xform	*x = &p->xf[p->nxf++];

	memset(x, 0, sizeof(*x));
	x->type = type;
	x->id = id;
	x->keylen = keylen;
}

int
ike_proposal_encode_chosen(struct wr *w, const struct ike_chosen *c,
    const uint8_t *spi, uint8_t spi_size)
{
	struct ike_prop	 p;

	if (!spi_size_ok(c->proto, spi_size) || (spi_size > 0 && spi == NULL))
		return IKE_E_ENC_ARG;
	memset(&p, 0, sizeof(p));
	p.num = c->num;
	p.proto = c->proto;
	p.spi_size = spi_size;
	if (spi_size > 0)
		memcpy(p.spi, spi, spi_size);
	if (c->has_encr)
		xf_add(&p, IKE_XF_ENCR, c->encr, c->encr_keylen);
	if (c->has_prf)
		xf_add(&p, IKE_XF_PRF, c->prf, 0);
	if (c->has_integ)
		xf_add(&p, IKE_XF_INTEG, c->integ, 0);
	if (c->has_ke)
		xf_add(&p, IKE_XF_KE, c->ke, 0);
	if (c->has_esn)
		xf_add(&p, IKE_XF_ESN, c->esn, 0);
	return ike_pld_sa_encode(w, &p, 1);
}

int
ike_proposal_prop(const struct ike_cfg_prop *c, uint8_t num,
    const uint8_t *spi, uint8_t spi_size, unsigned int flags,
    struct ike_prop *out)
{
	const uint16_t	*esn;
	size_t		 i, nesn;

	if (!spi_size_ok(c->proto, spi_size) || (spi_size > 0 && spi == NULL))
		return IKE_E_ENC_ARG;
	if (c->nencr > IKE_CFG_MAX_ALGS || c->nprf > IKE_CFG_MAX_ALGS ||
	    c->ninteg > IKE_CFG_MAX_ALGS || c->nke > IKE_CFG_MAX_ALGS ||
	    c->nesn > nitems(c->esn))
		return IKE_E_ENC_ARG;
	memset(out, 0, sizeof(*out));
	out->num = num;
	out->proto = c->proto;
	out->spi_size = spi_size;
	if (spi_size > 0)
		memcpy(out->spi, spi, spi_size);
	if (c->proto != IKE_PROTO_AH)
		for (i = 0; i < c->nencr; i++)
			xf_add(out, IKE_XF_ENCR, c->encr[i].id,
			    c->encr[i].keylen);
	if (c->proto == IKE_PROTO_IKE)
		for (i = 0; i < c->nprf; i++)
			xf_add(out, IKE_XF_PRF, c->prf[i], 0);
	for (i = 0; i < c->ninteg; i++)
		xf_add(out, IKE_XF_INTEG, c->integ[i], 0);
	if (!(flags & IKE_SEL_NO_KE))
		for (i = 0; i < c->nke; i++)
			xf_add(out, IKE_XF_KE, c->ke[i], 0);
	if (c->proto != IKE_PROTO_IKE) {
		esn = esn_list(c, &nesn);
		for (i = 0; i < nesn; i++)
			xf_add(out, IKE_XF_ESN, esn[i], 0);
	}
	return out->nxf > 0 ? 0 : IKE_E_ENC_ARG;
}

int
ike_proposal_encode(struct wr *w, const struct ike_cfg_prop *ours, size_t n,
    const uint8_t *spi, uint8_t spi_size, unsigned int flags)
{
	struct ike_prop	 p;
	size_t		 i, off;
	int		 rc;

	if (n == 0 || n > IKE_CFG_MAX_PROPS)
		return IKE_E_ENC_ARG;
	for (i = 0; i < n; i++) {
		if ((rc = ike_proposal_prop(&ours[i], (uint8_t)(i + 1), spi,
		    spi_size, flags, &p)) != 0)
			return rc;
		off = w->len;
		if ((rc = ike_pld_sa_encode(w, &p, 1)) != 0)
			return rc;
		/* Written as a lone proposal: mark that more follow. */
		if (i + 1 < n)
			w->p[off] = IKE_LAST_PROPOSAL_MORE;
	}
	return 0;
}

/* Is reply transform x one we put in our offer o? */
static bool
in_offer(const struct ike_prop *o, const struct ike_xform *x)
{
	size_t	 i;

	if (!xf_clean(x))
		return false;
	for (i = 0; i < o->nxf; i++)
		if (o->xf[i].type == x->type && o->xf[i].id == x->id &&
		    o->xf[i].keylen == x->keylen)
			return true;
	return false;
}

int
ike_proposal_check_reply(const struct ike_cfg_prop *ours, size_t n,
    const struct ike_sa_pld *reply, uint8_t proto, unsigned int flags,
    struct ike_chosen *out)
{
	const struct ike_cfg_prop	*c;
	const struct ike_xform		*x;
	struct ike_sa_iter		 it;
	struct ike_prop			 p, o;
	unsigned int			 seen = 0, want;
	size_t				 i;

	memset(out, 0, sizeof(*out));
	if (reply->nprop != 1)
		return IKE_E_REPLY_COUNT;
	ike_pld_sa_iter(reply, &it);
	if (!ike_pld_sa_next(&it, &p))
		return IKE_E_REPLY_COUNT;
	if (p.proto != proto || p.num < 1 || p.num > n ||
	    !spi_size_ok(p.proto, p.spi_size))
		return IKE_E_REPLY_MISMATCH;
	c = &ours[p.num - 1];
	if (c->proto != proto ||
	    ike_proposal_prop(c, p.num, p.spi, p.spi_size, flags, &o) != 0)
		return IKE_E_REPLY_MISMATCH;
	for (i = 0; i < p.nxf; i++) {
		x = &p.xf[i];
		/* IKE_AUTH: tolerate an echoed KE NONE (RFC 7296 1.2). */
		if ((flags & IKE_SEL_NO_KE) && x->type == IKE_XF_KE &&
		    x->id == IKE_KE_NONE && xf_clean(x))
			continue;
		if (x->type < IKE_XF_ENCR || x->type > IKE_XF_ESN ||
		    (seen & XF_BIT(x->type)) || !in_offer(&o, x))
			return IKE_E_REPLY_MISMATCH;
		seen |= XF_BIT(x->type);
		switch (x->type) {
		case IKE_XF_ENCR:
			out->has_encr = true;
			out->encr = x->id;
			out->encr_keylen = x->keylen;
			break;
		case IKE_XF_PRF:
			out->has_prf = true;
			out->prf = x->id;
			break;
		case IKE_XF_INTEG:
			out->has_integ = true;
			out->integ = x->id;
			break;
		case IKE_XF_KE:
			out->has_ke = true;
			out->ke = x->id;
			break;
		case IKE_XF_ESN:
			out->has_esn = true;
			out->esn = x->id;
			break;
		}
	}
	/* 3.3.6: exactly one transform of each type we offered. */
	want = types_of(&o);
	if (seen != want)
		return IKE_E_REPLY_MISMATCH;
	/* The same suite rules as a responder applies. */
	if ((out->has_encr && ike_encr_is_aead(out->encr)) ?
	    (out->has_integ && out->integ != IKE_INTEG_NONE) :
	    (!out->has_integ || out->integ == IKE_INTEG_NONE))
		return IKE_E_REPLY_MISMATCH;
	if (proto == IKE_PROTO_IKE && (!out->has_ke || out->ke == IKE_KE_NONE))
		return IKE_E_REPLY_MISMATCH;
	chosen_from(out, &p, p.num - 1);
	return 0;
}

uint32_t
ike_chosen_spi32(const struct ike_chosen *c)
{
	if (c->spi_size != 4)
		return 0;
	return (uint32_t)c->spi[0] << 24 | (uint32_t)c->spi[1] << 16 |
	    (uint32_t)c->spi[2] << 8 | (uint32_t)c->spi[3];
}
