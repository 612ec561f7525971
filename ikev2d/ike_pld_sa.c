/*
 * ikev2d/ike_pld_sa.c -- the SA payload: proposals, transforms, attributes
 * (RFC 7296 3.3).
 *
 *  Proposal substructure (3.3.1)         Transform substructure (3.3.2)
 * +------+-----+--------+               +------+-----+--------+
 * | Last | Res | Length |               | Last | Res | Length |
 * +------+-----+--------+-----+         +------+-----+--------+
 * | Num  |Proto|SPIsize |#Xfms|         | Type | Res |   ID   |
 * +------+-----+--------+-----+         +------+-----+--------+
 * | SPI (0, 4 or 8) ...       |         | Attributes ...       |
 * | Transforms ...            |         +----------------------+
 * +---------------------------+
 *  Attribute (3.3.5): AF|Type (16) | Length or TV value (16) | value
 *
 * ike_pld_sa_decode() validates the whole payload once; ike_pld_sa_next()
 * then re-walks it into one struct ike_prop at a time, so no memory grows
 * with the number of proposals the peer sends.
 */
#include <string.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "ike_msg.h"

/* SPI sizes per protocol (RFC 7296 3.3.1). */
static int
spi_size_ok(uint8_t proto, uint8_t size)
{
	switch (proto) {
	case IKE_PROTO_IKE:
		/* 0 in IKE_SA_INIT, 8 when rekeying in CREATE_CHILD_SA */
		return size == 0 || size == IKE_SPI_LEN;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		return size == 4;
	default:
		/* unknown protocol: kept for selection to skip */
		return size <= IKE_SPI_MAX;
	}
}

/* One transform from the proposal body pr into *x. */
static int
xform_decode(struct rd *pr, struct ike_xform *x, uint8_t *last)
{
	struct rd	 tr, ar;
	const uint8_t	*tb;
	uint16_t	 tlen, at, av;
	size_t		 nattr = 0;
	bool		 keylen = false;

	if (pr->left < IKE_XFORM_HDR_LEN)
		return pr->left == 0 ? IKE_E_XFORM_COUNT :
		    IKE_E_XFORM_PAST_PROP;
	*last = rd_u8(pr);
	(void)rd_u8(pr);
	tlen = rd_be16(pr);
	if (tlen < IKE_XFORM_HDR_LEN)
		return IKE_E_XFORM_LEN;
	if ((size_t)tlen - 4 > pr->left)
		return IKE_E_XFORM_PAST_PROP;
	tb = rd_bytes(pr, (size_t)tlen - 4);
	rd_init(&tr, tb, (size_t)tlen - 4);
	x->type = rd_u8(&tr);
	(void)rd_u8(&tr);
	x->id = rd_be16(&tr);
	x->keylen = 0;
	x->nunknown = 0;
	x->attrs_len = (uint16_t)tr.left;
	x->attrs = tr.left > 0 ? tr.p : NULL;
	rd_init(&ar, tr.p, tr.left);
	while (ar.left > 0) {
		if (nattr++ >= IKE_MAX_ATTRS)
			return IKE_E_TOO_MANY_ATTRS;
		if (ar.left < IKE_ATTR_HDR_LEN)
			return IKE_E_ATTR_PAST_XFORM;
		at = rd_be16(&ar);
		av = rd_be16(&ar);
		if ((at & ~IKE_ATTR_AF) == IKE_ATTR_KEY_LENGTH) {
			/* 3.3.5: Key Length is TV, once, and non-zero. */
			if (!(at & IKE_ATTR_AF) || keylen || av == 0)
				return IKE_E_BAD_KEYLEN;
			keylen = true;
			x->keylen = av;
			continue;
		}
		if (!(at & IKE_ATTR_AF)) {
			if (av > ar.left)
				return IKE_E_ATTR_PAST_XFORM;
			rd_skip(&ar, av);
		}
		x->nunknown++;
	}
	return 0;
}

/* One proposal from the SA body r into *p; *last is its "last" byte. */
static int
prop_decode(struct rd *r, struct ike_prop *p, uint8_t *last)
{
	struct rd	 pr;
	const uint8_t	*pb;
	uint16_t	 plen;
	uint8_t		 ntrans, xlast;
	size_t		 i;
	int		 rc;

	if (r->left < IKE_PROP_HDR_LEN)
		return IKE_E_PROP_PAST_SA;
	*last = rd_u8(r);
	(void)rd_u8(r);
	plen = rd_be16(r);
	if (plen < IKE_PROP_HDR_LEN)
		return IKE_E_PROP_LEN;
	if ((size_t)plen - 4 > r->left)
		return IKE_E_PROP_PAST_SA;
	pb = rd_bytes(r, (size_t)plen - 4);
	rd_init(&pr, pb, (size_t)plen - 4);
	p->num = rd_u8(&pr);
	p->proto = rd_u8(&pr);
	p->spi_size = rd_u8(&pr);
	ntrans = rd_u8(&pr);
	if (!spi_size_ok(p->proto, p->spi_size))
		return IKE_E_BAD_SPI_SIZE;
	if (pr.left < p->spi_size)
		return IKE_E_PROP_LEN;
	memset(p->spi, 0, sizeof(p->spi));
	rd_copy(&pr, p->spi, p->spi_size);
	if (ntrans == 0)
		return IKE_E_NO_XFORMS;
	if (ntrans > IKE_MAX_XFORMS)
		return IKE_E_TOO_MANY_XFORMS;
	for (i = 0; i < ntrans; i++) {
		if ((rc = xform_decode(&pr, &p->xf[i], &xlast)) != 0)
			return rc;
		if (xlast != (i + 1 < ntrans ? IKE_LAST_XFORM_MORE :
		    IKE_LAST_NONE))
			return IKE_E_XFORM_LAST;
	}
	if (pr.left != 0)
		return IKE_E_XFORM_COUNT;
	p->nxf = ntrans;
	return 0;
}

int
ike_pld_sa_decode(const uint8_t *body, size_t len, struct ike_sa_pld *sa)
{
	struct ike_prop	 p;
	struct rd	 r;
	uint8_t		 last;
	int		 rc, prev = -1;

	memset(sa, 0, sizeof(*sa));
	if (body == NULL || len == 0)
		return IKE_E_SA_EMPTY;
	rd_init(&r, body, len);
	while (r.left > 0) {
		if (sa->nprop >= IKE_MAX_PROPOSALS)
			return IKE_E_TOO_MANY_PROPOSALS;
		if ((rc = prop_decode(&r, &p, &last)) != 0)
			return rc;
		if (last != (r.left > 0 ? IKE_LAST_PROPOSAL_MORE :
		    IKE_LAST_NONE))
			return IKE_E_PROP_LAST;
		/*
		 * 3.3.1: each proposal is numbered one more than the one
		 * before.  The first is 1 in a request; a response carries
		 * the number it accepted, so the first is not checked here.
		 */
		if (prev >= 0 && p.num != prev + 1)
			return IKE_E_PROP_NUM;
		if (prev < 0)
			sa->first_num = p.num;
		prev = p.num;
		sa->nprop++;
	}
	sa->body = body;
	sa->len = len;
	return 0;
}

void
ike_pld_sa_iter(const struct ike_sa_pld *sa, struct ike_sa_iter *it)
{
	rd_init(&it->r, sa->body, sa->body != NULL ? sa->len : 0);
}

bool
ike_pld_sa_next(struct ike_sa_iter *it, struct ike_prop *p)
{
	uint8_t	 last;

	if (it->r.bad || it->r.left == 0)
		return false;
	/* Validated by ike_pld_sa_decode(): cannot fail, but stay safe. */
	if (prop_decode(&it->r, p, &last) != 0) {
		it->r.bad = true;
		return false;
	}
	return true;
}

static int
xform_encode(struct wr *w, const struct ike_xform *x, bool more)
{
	size_t	 off = w->len, tlen;

	wr_u8(w, more ? IKE_LAST_XFORM_MORE : IKE_LAST_NONE);
	wr_u8(w, 0);
	wr_be16(w, 0);
	wr_u8(w, x->type);
	wr_u8(w, 0);
	wr_be16(w, x->id);
	if (x->attrs != NULL)
		wr_bytes(w, x->attrs, x->attrs_len);
	else if (x->keylen != 0) {
		wr_be16(w, IKE_ATTR_AF | IKE_ATTR_KEY_LENGTH);
		wr_be16(w, x->keylen);
	}
	if (w->bad)
		return IKE_E_NOSPACE;
	if ((tlen = w->len - off) > UINT16_MAX)
		return IKE_E_ENC_ARG;
	wr_put_be16_at(w, off + 2, (uint16_t)tlen);
	return 0;
}

int
ike_pld_sa_encode(struct wr *w, const struct ike_prop *p, size_t n)
{
	size_t	 i, j, off, plen;
	int	 rc;

	if (n == 0 || n > IKE_MAX_PROPOSALS)
		return IKE_E_ENC_ARG;
	for (i = 0; i < n; i++, p++) {
		if (p->spi_size > IKE_SPI_MAX || p->nxf == 0 ||
		    p->nxf > IKE_MAX_XFORMS)
			return IKE_E_ENC_ARG;
		off = w->len;
		wr_u8(w, i + 1 < n ? IKE_LAST_PROPOSAL_MORE : IKE_LAST_NONE);
		wr_u8(w, 0);
		wr_be16(w, 0);
		wr_u8(w, p->num);
		wr_u8(w, p->proto);
		wr_u8(w, p->spi_size);
		wr_u8(w, p->nxf);
		wr_bytes(w, p->spi, p->spi_size);
		for (j = 0; j < p->nxf; j++)
			if ((rc = xform_encode(w, &p->xf[j],
			    j + 1 < p->nxf)) != 0)
				return rc;
		if (w->bad)
			return IKE_E_NOSPACE;
		if ((plen = w->len - off) > UINT16_MAX)
			return IKE_E_ENC_ARG;
		wr_put_be16_at(w, off + 2, (uint16_t)plen);
	}
	return w->bad ? IKE_E_NOSPACE : 0;
}
