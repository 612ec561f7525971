/*
 * ikev2d/ike_sk.c -- SK / SKF payload protect and unprotect, fragment
 * reassembly (RFC 7296 3.14, RFC 5282 5, RFC 7634 3, RFC 7383).  See
 * ike_sk.h for the layout and the error contract.
 *
 * Order of checks in unprotect: framing (public lengths only), then the
 * ICV or AEAD tag in constant time, then -- and only then -- decryption
 * and the pad length.  A CBC padding error therefore needs a valid ICV and
 * is reported with the same code as a bad ICV.  Padding content is not
 * checked (RFC 7296 3.14: "the Padding ... MAY contain any value").
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "ike_sk.h"

#define IKE_HDR_LENGTH_OFF	24	/* Length field of the IKE header */

size_t
ike_sk_len(const struct crypto_suite *s, int skf, size_t inner_len)
{
	size_t	 ct = inner_len + 1, b = s->block_len;
	size_t	 hlen = skf ? IKE_SK_FRAG_HDR_LEN : IKE_GENERIC_HDR_LEN;

	if (!s->aead && b > 1 && ct % b != 0)
		ct += b - ct % b;
	return hlen + s->iv_len + ct + s->icv_len;
}

static int
keys_ok(const struct ike_sk_keys *k)
{
	const struct crypto_suite	*s = k->suite;

	if (s == NULL || k->ekey == NULL || k->ekey->len != s->ekey_len)
		return 0;
	if (!s->aead && (k->akey == NULL || k->akey->len != s->akey_len))
		return 0;
	return 1;
}

int
ike_sk_unprotect(const uint8_t *msg, size_t msglen, size_t sk_off,
    enum ike_pld type, const struct ike_sk_keys *k, uint8_t *out,
    size_t outcap, struct ike_sk_plain *res)
{
	const struct crypto_suite	*s = k->suite;
	struct crypto_iov		 iov;
	struct ike_skf			 frag = { 0, 0 };
	struct rd			 r;
	const uint8_t			*iv, *ct, *icv;
	size_t				 hlen, plen, ctlen, padlen;
	uint8_t				 next;
	int				 ret = CRYPTO_ELENGTH, rr;

	ctlen = 0;
	if (!keys_ok(k)) {
		ret = CRYPTO_EINTERNAL;
		goto done;
	}
	if (type != IKE_PLD_SK && type != IKE_PLD_SKF)
		goto done;
	hlen = type == IKE_PLD_SKF ? IKE_SK_FRAG_HDR_LEN : IKE_GENERIC_HDR_LEN;

	/* Framing: header Length = msglen, SK is the last payload. */
	if (msglen < IKE_HDR_LEN || msglen > UINT32_MAX ||
	    sk_off < IKE_HDR_LEN || sk_off > msglen ||
	    msglen - sk_off < hlen)
		goto done;
	rd_init(&r, msg + IKE_HDR_LENGTH_OFF, 4);
	if (rd_be32(&r) != msglen)
		goto done;
	rd_init(&r, msg + sk_off, hlen);
	next = rd_u8(&r);
	rd_skip(&r, 1);			/* C bit, RESERVED: not checked */
	plen = rd_be16(&r);
	if (type == IKE_PLD_SKF) {
		frag.num = rd_be16(&r);
		frag.total = rd_be16(&r);
		/* RFC 7383 2.5: numbers start at 1, num <= total */
		if (frag.num == 0 || frag.num > frag.total)
			goto done;
	}
	if (r.bad || plen != msglen - sk_off)
		goto done;
	/* At least the IV, the pad length byte and the ICV. */
	if (plen < hlen + s->iv_len + 1 + s->icv_len)
		goto done;
	ctlen = plen - hlen - s->iv_len - s->icv_len;
	if (!s->aead && ctlen % s->block_len != 0)
		goto done;
	if (ctlen > outcap || ctlen > INT_MAX) {
		ret = CRYPTO_ESPACE;
		ctlen = 0;
		goto done;
	}
	iv = msg + sk_off + hlen;
	ct = iv + s->iv_len;
	icv = ct + ctlen;

	if (s->aead) {
		/* AAD: IKE header through the end of the SK(F) header. */
		rr = crypto_aead_open(s, k->ekey->data, iv, msg, sk_off + hlen,
		    ct, ctlen, icv, out);
	} else {
		/* ICV over the header through the ciphertext, first. */
		iov.p = msg;
		iov.len = (size_t)(icv - msg);
		rr = crypto_integ_check(s, k->akey->data, &iov, 1, icv);
		if (rr == CRYPTO_OK)
			rr = crypto_cbc_decrypt(s, k->ekey->data, iv, ct, ctlen,
			    out);
	}
	if (rr != CRYPTO_OK) {
		ret = rr;
		goto done;
	}
	padlen = out[ctlen - 1];
	if (padlen + 1 > ctlen) {
		/* Authenticated but malformed: same answer as a bad ICV. */
		ret = CRYPTO_EAUTH;
		goto done;
	}
	res->p = out;
	res->len = ctlen - padlen - 1;
	res->first = next;
	res->frag = frag;
	ret = CRYPTO_OK;
 done:
	if (ret != CRYPTO_OK && ctlen > 0 && out != NULL)
		OPENSSL_cleanse(out, ctlen);
	return ret;
}

int
ike_sk_protect(uint8_t *buf, size_t cap, size_t off, const struct ike_skf *skf,
    uint8_t first, const uint8_t *inner, size_t inner_len,
    const struct ike_sk_keys *k, const uint8_t *iv)
{
	const struct crypto_suite	*s = k->suite;
	struct crypto_iov		 iov;
	struct wr			 w;
	uint8_t				*ivp, *ct;
	size_t				 hlen, plen, ctlen, padlen, total;
	int				 ret = CRYPTO_EINTERNAL;

	ctlen = 0;
	ct = NULL;
	if (!keys_ok(k))
		goto done;
	if (off < IKE_HDR_LEN || off > cap) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	if (skf != NULL && (skf->num == 0 || skf->num > skf->total)) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	hlen = skf != NULL ? IKE_SK_FRAG_HDR_LEN : IKE_GENERIC_HDR_LEN;
	if (inner_len > UINT16_MAX) {
		ret = CRYPTO_ESPACE;
		goto done;
	}
	plen = ike_sk_len(s, skf != NULL, inner_len);
	if (plen > UINT16_MAX || plen > cap - off || off + plen > INT_MAX) {
		ret = CRYPTO_ESPACE;
		goto done;
	}
	total = off + plen;
	ctlen = plen - hlen - s->iv_len - s->icv_len;
	padlen = ctlen - inner_len - 1;

	/* Generic header (and SKF numbers), then the IKE header's Length. */
	wr_init(&w, buf, cap);
	w.len = off;
	wr_u8(&w, first);
	wr_u8(&w, 0);			/* not critical, RESERVED */
	wr_be16(&w, (uint16_t)plen);
	if (skf != NULL) {
		wr_be16(&w, skf->num);
		wr_be16(&w, skf->total);
	}
	ivp = wr_reserve(&w, s->iv_len);
	ct = wr_reserve(&w, ctlen);
	if (wr_reserve(&w, s->icv_len) == NULL || w.bad || ivp == NULL ||
	    ct == NULL) {
		ct = NULL;
		goto done;
	}
	w.len = IKE_HDR_LENGTH_OFF;
	wr_be32(&w, (uint32_t)total);

	/* RFC 7296 3.14: CBC IVs must be unpredictable; AEAD IVs unique. */
	if (iv != NULL)
		memcpy(ivp, iv, s->iv_len);
	else if (RAND_bytes(ivp, (int)s->iv_len) != 1)
		goto done;

	/* Plaintext in place: inner | zero padding | pad length. */
	if (inner_len > 0)
		memmove(ct, inner, inner_len);
	memset(ct + inner_len, 0, padlen);
	ct[ctlen - 1] = (uint8_t)padlen;

	if (s->aead) {
		ret = crypto_aead_seal(s, k->ekey->data, ivp, buf, off + hlen,
		    ct, ctlen, ct, ct + ctlen);
	} else {
		ret = crypto_cbc_encrypt(s, k->ekey->data, ivp, ct, ctlen, ct);
		if (ret == CRYPTO_OK) {
			iov.p = buf;
			iov.len = (size_t)(ct + ctlen - buf);
			ret = crypto_integ(s, k->akey->data, &iov, 1,
			    ct + ctlen);
		}
	}
	if (ret != CRYPTO_OK)
		goto done;
	ret = (int)total;
 done:
	/* Never leave plaintext behind in the caller's buffer. */
	if (ret < 0 && ct != NULL)
		OPENSSL_cleanse(ct, ctlen);
	return ret;
}

/* --- reassembly ---------------------------------------------------------- */

const char *
ike_frag_res_name(int res)
{
	switch (res) {
	case IKE_FRAG_MORE:
		return "more";
	case IKE_FRAG_DONE:
		return "done";
	case IKE_FRAG_DUP:
		return "duplicate";
	case IKE_FRAG_EINVAL:
		return "invalid fragment number";
	case IKE_FRAG_ESTALE:
		return "stale total";
	case IKE_FRAG_ECAP:
		return "over reassembly cap";
	case IKE_FRAG_ENOMEM:
		return "out of memory";
	}
	return "unknown";
}

void
ike_frag_init(struct ike_frag *f, size_t max_bytes)
{
	memset(f, 0, sizeof(*f));
	f->max_bytes = max_bytes != 0 ? max_bytes : IKE_FRAG_BYTES_MAX;
}

void
ike_frag_fini(struct ike_frag *f)
{
	size_t	 i, max = f->max_bytes;

	for (i = 0; i < IKE_FRAG_MAX; i++) {
		if (f->part[i] != NULL) {
			OPENSSL_cleanse(f->part[i], f->part_len[i]);
			free(f->part[i]);
		}
	}
	ike_frag_init(f, max);
}

int
ike_frag_add(struct ike_frag *f, const struct ike_sk_plain *pl)
{
	size_t	 i;
	uint8_t	*copy;

	if (pl->frag.num == 0 || pl->frag.num > pl->frag.total ||
	    pl->frag.total > IKE_FRAG_MAX)
		return IKE_FRAG_EINVAL;
	if (f->total != 0 && pl->frag.total < f->total)
		return IKE_FRAG_ESTALE;
	if (f->total != 0 && pl->frag.total > f->total)
		ike_frag_fini(f);	/* RFC 7383 2.6.1: re-fragmented */
	i = pl->frag.num - 1;
	if (f->part[i] != NULL)
		return IKE_FRAG_DUP;
	if (pl->len > f->max_bytes - f->bytes)
		return IKE_FRAG_ECAP;
	/* malloc(0) may return NULL: an empty fragment takes one byte. */
	if ((copy = malloc(pl->len > 0 ? pl->len : 1)) == NULL)
		return IKE_FRAG_ENOMEM;
	if (pl->len > 0)
		memcpy(copy, pl->p, pl->len);
	f->total = pl->frag.total;
	f->part[i] = copy;
	f->part_len[i] = pl->len;
	f->bytes += pl->len;
	f->held++;
	if (pl->frag.num == 1)
		f->first = pl->first;	/* non-first fragments carry 0 */
	return f->held == f->total ? IKE_FRAG_DONE : IKE_FRAG_MORE;
}

size_t
ike_frag_len(const struct ike_frag *f)
{
	return f->total != 0 && f->held == f->total ? f->bytes : 0;
}

int
ike_frag_take(struct ike_frag *f, uint8_t *out, size_t cap, uint8_t *first)
{
	size_t	 i, off = 0;

	if (f->total == 0 || f->held != f->total)
		return IKE_FRAG_EINVAL;
	if (f->bytes > cap || f->bytes > INT_MAX)
		return CRYPTO_ESPACE;
	for (i = 0; i < f->total; i++) {
		if (f->part_len[i] > 0)
			memcpy(out + off, f->part[i], f->part_len[i]);
		off += f->part_len[i];
	}
	*first = f->first;
	ike_frag_fini(f);
	return (int)off;
}
