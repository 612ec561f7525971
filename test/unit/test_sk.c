/*
 * test/unit/test_sk.c -- SK / SKF payloads (ikev2d/ike_sk.c).
 *
 * The one published vector is RFC 7634 Appendix B (an INFORMATIONAL
 * message with an SK payload under ChaCha20-Poly1305): unprotect must
 * recover its Notify payload and protect, given the same IV, must rebuild
 * the message byte for byte.  The rest are round trips for every suite,
 * single-bit tampering at every byte, bad padding, bad framing, SKF AAD
 * and fragment reassembly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "tandem/secbuf.h"
#include "tandem/util.h"
#include "../../ikev2d/ike_sk.h"
#include "unit.h"

struct suite_case {
	const char	*name;
	enum ike_encr	 encr;
	unsigned int	 bits;
	enum ike_integ	 integ;
};

static const struct suite_case suites[] = {
	{ "AES-GCM-16-128", IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE },
	{ "AES-GCM-16-256", IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE },
	{ "ChaCha20-Poly1305", IKE_ENCR_CHACHA20_POLY1305, 0, IKE_INTEG_NONE },
	{ "AES-CBC-128/SHA2-256-128", IKE_ENCR_AES_CBC, 128,
	    IKE_INTEG_HMAC_SHA2_256_128 },
	{ "AES-CBC-256/SHA2-256-128", IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_256_128 },
	{ "AES-CBC-256/SHA2-384-192", IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_384_192 },
	{ "AES-CBC-256/SHA2-512-256", IKE_ENCR_AES_CBC, 256,
	    IKE_INTEG_HMAC_SHA2_512_256 },
	{ "AES-CBC-128/SHA1-96", IKE_ENCR_AES_CBC, 128,
	    IKE_INTEG_HMAC_SHA1_96 },
};

/* A suite with random keys for one direction. */
struct dir {
	struct crypto_suite	 s;
	struct ike_sk_keys	 k;
	struct secbuf		*e, *a;
};

static void
dir_init(struct dir *d, const struct suite_case *c)
{
	memset(d, 0, sizeof(*d));
	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&d->s, c->encr, c->bits,
	    c->integ, IKE_PRF_HMAC_SHA2_256, 0), 0);
	d->e = secbuf_new(d->s.ekey_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d->e);
	CU_ASSERT_FATAL(RAND_bytes(d->e->data, (int)d->e->len) == 1);
	if (d->s.akey_len > 0) {
		d->a = secbuf_new(d->s.akey_len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d->a);
		CU_ASSERT_FATAL(RAND_bytes(d->a->data, (int)d->a->len) == 1);
	}
	d->k.suite = &d->s;
	d->k.ekey = d->e;
	d->k.akey = d->a;
}

static void
dir_fini(struct dir *d)
{
	secbuf_free(d->e);
	secbuf_free(d->a);
}

/* An IKE header: SPIs, Next Payload next, INFORMATIONAL, message ID. */
static void
ike_hdr(uint8_t *b, uint8_t next, uint32_t msgid)
{
	size_t	 i;

	for (i = 0; i < 16; i++)
		b[i] = (uint8_t)(0xa0 + i);
	b[16] = next;
	b[17] = IKE_VERSION;
	b[18] = IKE_EXCH_INFORMATIONAL;
	b[19] = IKE_FLAG_INITIATOR;
	b[20] = (uint8_t)(msgid >> 24);
	b[21] = (uint8_t)(msgid >> 16);
	b[22] = (uint8_t)(msgid >> 8);
	b[23] = (uint8_t)msgid;
	memset(b + 24, 0, 4);	/* Length: set by ike_sk_protect() */
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* --- RFC 7634 Appendix B ------------------------------------------------- */

static void
test_rfc7634_ikev2(void)
{
	struct crypto_suite	 s;
	struct ike_sk_keys	 k;
	struct ike_sk_plain	 pl;
	struct secbuf		*key;
	uint8_t			 msg[128], kb[36], iv[8], inner[16];
	uint8_t			 out[64], again[128];
	long			 n, kl, il;
	int			 len;

	n = unit_unhex(
	    "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d7" "2e202500" "00000009" "00000045"
	    "29000029" "1011121314151617"
	    "610394701f8d017f7c12924889"
	    "6b71bfe25236efd7cdc67066906315b2", msg, sizeof(msg));
	CU_ASSERT_EQUAL_FATAL(n, 69);
	kl = unit_unhex("808182838485868788898a8b8c8d8e8f"
	    "909192939495969798999a9b9c9d9e9f" "a0a1a2a3", kb, sizeof(kb));
	CU_ASSERT_EQUAL_FATAL(kl, 36);
	CU_ASSERT_EQUAL_FATAL(unit_unhex("1011121314151617", iv, 8), 8);
	/* the inner Notify: SET_WINDOW_SIZE (16385) = 10 */
	il = unit_unhex("0000000c000040010000000a", inner, sizeof(inner));
	CU_ASSERT_EQUAL_FATAL(il, 12);

	CU_ASSERT_EQUAL_FATAL(crypto_suite_init(&s, IKE_ENCR_CHACHA20_POLY1305,
	    0, IKE_INTEG_NONE, IKE_PRF_HMAC_SHA2_256, 0), 0);
	key = secbuf_from(kb, 36);
	k.suite = &s;
	k.ekey = key;
	k.akey = NULL;

	CU_ASSERT_EQUAL(ike_sk_unprotect(msg, 69, IKE_HDR_LEN, IKE_PLD_SK, &k,
	    out, sizeof(out), &pl), 0);
	CU_ASSERT_EQUAL(pl.len, 12);
	CU_ASSERT_EQUAL(pl.first, IKE_PLD_NOTIFY);
	CU_ASSERT_EQUAL(pl.frag.num, 0);
	UNIT_ASSERT_BYTES(pl.p, inner, 12);

	/* and back: same IV, same bytes */
	memcpy(again, msg, IKE_HDR_LEN);
	memset(again + 24, 0, 4);
	len = ike_sk_protect(again, sizeof(again), IKE_HDR_LEN, NULL,
	    IKE_PLD_NOTIFY, inner, 12, &k, iv);
	CU_ASSERT_EQUAL(len, 69);
	UNIT_ASSERT_BYTES(again, msg, 69);
	CU_ASSERT_EQUAL(ike_sk_len(&s, 0, 12), 41);
	secbuf_free(key);
}

/* --- round trips ------------------------------------------------------- */

static void
test_roundtrip_all(void)
{
	static const size_t	 sizes[] = { 0, 1, 14, 15, 16, 17, 100, 1000,
	    4000 };
	struct dir		 d;
	struct ike_sk_plain	 pl;
	uint8_t			 inner[4000], msg[4200], out[4200], msg2[4200];
	size_t			 i, j;
	int			 len;

	CU_ASSERT_FATAL(RAND_bytes(inner, sizeof(inner)) == 1);
	for (i = 0; i < nitems(suites); i++) {
		dir_init(&d, &suites[i]);
		for (j = 0; j < nitems(sizes); j++) {
			ike_hdr(msg, IKE_PLD_SK, (uint32_t)j);
			len = ike_sk_protect(msg, sizeof(msg), IKE_HDR_LEN,
			    NULL, IKE_PLD_DELETE, inner, sizes[j], &d.k, NULL);
			CU_ASSERT_FATAL(len > 0);
			CU_ASSERT_EQUAL((size_t)len, IKE_HDR_LEN +
			    ike_sk_len(&d.s, 0, sizes[j]));
			if (!d.s.aead)
				CU_ASSERT_EQUAL((len - IKE_HDR_LEN - 4 -
				    (int)d.s.iv_len - (int)d.s.icv_len) % 16,
				    0);
			memset(&pl, 0, sizeof(pl));
			CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len,
			    IKE_HDR_LEN, IKE_PLD_SK, &d.k, out, sizeof(out),
			    &pl), 0);
			CU_ASSERT_EQUAL(pl.len, sizes[j]);
			CU_ASSERT_EQUAL(pl.first, IKE_PLD_DELETE);
			if (sizes[j] > 0)
				UNIT_ASSERT_BYTES(pl.p, inner, sizes[j]);
			/* a second protect picks a fresh random IV */
			ike_hdr(msg2, IKE_PLD_SK, (uint32_t)j);
			CU_ASSERT_EQUAL(ike_sk_protect(msg2, sizeof(msg2),
			    IKE_HDR_LEN, NULL, IKE_PLD_DELETE, inner, sizes[j],
			    &d.k, NULL), len);
			CU_ASSERT(memcmp(msg + IKE_HDR_LEN + 4,
			    msg2 + IKE_HDR_LEN + 4, d.s.iv_len) != 0);
		}
		dir_fini(&d);
	}
}

/* An unencrypted payload before SK is covered by the ICV / AAD too. */
static void
test_preceding_payload(void)
{
	struct dir		 d;
	struct ike_sk_plain	 pl;
	uint8_t			 msg[256], out[256];
	size_t			 i;
	int			 len;

	for (i = 0; i < nitems(suites); i++) {
		dir_init(&d, &suites[i]);
		ike_hdr(msg, IKE_PLD_VENDOR, 7);
		/* a Vendor ID payload: next = SK, length 8 */
		memcpy(msg + 28, "\x2e\x00\x00\x08" "abcd", 8);
		len = ike_sk_protect(msg, sizeof(msg), 36, NULL, IKE_PLD_NONE,
		    (const uint8_t *)"", 0, &d.k, NULL);
		CU_ASSERT_FATAL(len > 36);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, 36,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), 0);
		CU_ASSERT_EQUAL(pl.len, 0);
		msg[33] ^= 0x01;	/* "abcd" -> "abbd"-ish */
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, 36,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), CRYPTO_EAUTH);
		dir_fini(&d);
	}
}

/* --- tampering: every bit position class, every byte -------------------- */

static void
test_tamper_every_byte(void)
{
	struct dir		 d;
	struct ike_sk_plain	 pl;
	uint8_t			 inner[40], msg[256], out[256];
	size_t			 i, pos;
	int			 len, r, bad;

	memset(inner, 0x33, sizeof(inner));
	for (i = 0; i < nitems(suites); i++) {
		dir_init(&d, &suites[i]);
		ike_hdr(msg, IKE_PLD_SK, 1);
		len = ike_sk_protect(msg, sizeof(msg), IKE_HDR_LEN, NULL,
		    IKE_PLD_NOTIFY, inner, sizeof(inner), &d.k, NULL);
		CU_ASSERT_FATAL(len > 0);
		for (pos = 0, bad = 0; pos < (size_t)len; pos++) {
			msg[pos] ^= 0x04;
			r = ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
			    IKE_PLD_SK, &d.k, out, sizeof(out), &pl);
			msg[pos] ^= 0x04;
			/* length fields fail the framing, all else the ICV */
			if ((pos >= 24 && pos < 28) || pos == 30 || pos == 31) {
				if (r != CRYPTO_ELENGTH)
					bad++;
			} else if (r != CRYPTO_EAUTH)
				bad++;
		}
		if (bad != 0)
			fprintf(stderr, "%s: %d tampered bytes not refused\n",
			    suites[i].name, bad);
		CU_ASSERT_EQUAL(bad, 0);
		/* untouched, it still opens */
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), 0);
		/*
		 * The wrong key.  With CBC a wrong SK_e under the right SK_a
		 * is not detectable (encrypt-then-MAC); only AEAD sees it.
		 */
		if (d.s.aead) {
			d.e->data[0] ^= 1;
			CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len,
			    IKE_HDR_LEN, IKE_PLD_SK, &d.k, out, sizeof(out),
			    &pl), CRYPTO_EAUTH);
			d.e->data[0] ^= 1;
		} else {
			d.a->data[0] ^= 1;
			CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len,
			    IKE_HDR_LEN, IKE_PLD_SK, &d.k, out, sizeof(out),
			    &pl), CRYPTO_EAUTH);
			d.a->data[0] ^= 1;
		}
		dir_fini(&d);
	}
}

/* --- padding --------------------------------------------------------- */

/*
 * Build an SK payload by hand around plaintext pt (ptlen bytes, already
 * block aligned for CBC) so the pad length byte can be anything.
 */
static size_t
hand_sk(struct dir *d, uint8_t *msg, const uint8_t *pt, size_t ptlen)
{
	struct crypto_iov	 iov;
	uint8_t			*iv, *ct;
	size_t			 len;

	ike_hdr(msg, IKE_PLD_SK, 3);
	len = IKE_HDR_LEN + 4 + d->s.iv_len + ptlen + d->s.icv_len;
	put32(msg + 24, (uint32_t)len);
	msg[28] = IKE_PLD_NOTIFY;
	msg[29] = 0;
	msg[30] = (uint8_t)((len - IKE_HDR_LEN) >> 8);
	msg[31] = (uint8_t)(len - IKE_HDR_LEN);
	iv = msg + 32;
	ct = iv + d->s.iv_len;
	memset(iv, 0x77, d->s.iv_len);
	if (d->s.aead) {
		CU_ASSERT_FATAL(crypto_aead_seal(&d->s, d->e->data, iv, msg, 32,
		    pt, ptlen, ct, ct + ptlen) == 0);
	} else {
		CU_ASSERT_FATAL(crypto_cbc_encrypt(&d->s, d->e->data, iv, pt,
		    ptlen, ct) == 0);
		iov.p = msg;
		iov.len = (size_t)(ct + ptlen - msg);
		CU_ASSERT_FATAL(crypto_integ(&d->s, d->a->data, &iov, 1,
		    ct + ptlen) == 0);
	}
	return len;
}

static void
test_padding(void)
{
	struct dir		 d;
	struct ike_sk_plain	 pl;
	uint8_t			 pt[32], msg[256], out[256];
	size_t			 i, len;

	for (i = 0; i < nitems(suites); i++) {
		dir_init(&d, &suites[i]);
		/* pad length 15 with non-zero padding: valid */
		memset(pt, 0xee, sizeof(pt));
		pt[0] = 0xab;
		pt[15] = 14;
		len = hand_sk(&d, msg, pt, 16);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), 0);
		CU_ASSERT_EQUAL(pl.len, 1);
		CU_ASSERT_EQUAL(out[0], 0xab);
		/* pad length 15 in 16 bytes: nothing left but valid */
		pt[15] = 15;
		len = hand_sk(&d, msg, pt, 16);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), 0);
		CU_ASSERT_EQUAL(pl.len, 0);
		/* pad length 16 (and 255) in 16 bytes: refused like an ICV */
		pt[15] = 16;
		len = hand_sk(&d, msg, pt, 16);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), CRYPTO_EAUTH);
		CU_ASSERT(out[0] == 0 && out[15] == 0);	/* wiped */
		pt[15] = 255;
		len = hand_sk(&d, msg, pt, 16);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), CRYPTO_EAUTH);
		if (d.s.aead) {
			/* AEAD: a lone pad length byte of 5 */
			pt[0] = 5;
			len = hand_sk(&d, msg, pt, 1);
			CU_ASSERT_EQUAL(ike_sk_unprotect(msg, len, IKE_HDR_LEN,
			    IKE_PLD_SK, &d.k, out, sizeof(out), &pl),
			    CRYPTO_EAUTH);
		}
		dir_fini(&d);
	}
}

/* --- framing ----------------------------------------------------------- */

static void
test_truncated(void)
{
	struct dir		 d;
	struct ike_sk_plain	 pl;
	uint8_t			 inner[20], msg[256], out[256];
	size_t			 i, cut, min;
	int			 len;

	memset(inner, 0x11, sizeof(inner));
	for (i = 0; i < nitems(suites); i++) {
		dir_init(&d, &suites[i]);
		ike_hdr(msg, IKE_PLD_SK, 9);
		len = ike_sk_protect(msg, sizeof(msg), IKE_HDR_LEN, NULL,
		    IKE_PLD_NOTIFY, inner, sizeof(inner), &d.k, NULL);
		CU_ASSERT_FATAL(len > 0);
		/* cut the message, keeping both length fields consistent */
		min = IKE_HDR_LEN + 4 + d.s.iv_len + 1 + d.s.icv_len;
		for (cut = 1; cut < (size_t)len - IKE_HDR_LEN; cut++) {
			size_t	 l = (size_t)len - cut;
			int	 r;

			put32(msg + 24, (uint32_t)l);
			msg[30] = (uint8_t)((l - IKE_HDR_LEN) >> 8);
			msg[31] = (uint8_t)(l - IKE_HDR_LEN);
			r = ike_sk_unprotect(msg, l, IKE_HDR_LEN, IKE_PLD_SK,
			    &d.k, out, sizeof(out), &pl);
			if (l < min) {
				CU_ASSERT_EQUAL(r, CRYPTO_ELENGTH);
			} else {
				CU_ASSERT(r == CRYPTO_ELENGTH ||
				    r == CRYPTO_EAUTH);
			}
		}
		/* restore, then: length fields that disagree */
		put32(msg + 24, (uint32_t)len);
		msg[30] = (uint8_t)((len - IKE_HDR_LEN) >> 8);
		msg[31] = (uint8_t)(len - IKE_HDR_LEN);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), 0);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len - 1,
		    IKE_HDR_LEN, IKE_PLD_SK, &d.k, out, sizeof(out), &pl),
		    CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len,
		    (size_t)len - 3, IKE_PLD_SK, &d.k, out, sizeof(out), &pl),
		    CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, 4,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, 10, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl), CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_NOTIFY, &d.k, out, sizeof(out), &pl),
		    CRYPTO_ELENGTH);
		/* the caller's buffer */
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, 8, &pl), CRYPTO_ESPACE);
		/* protect: no room */
		ike_hdr(msg, IKE_PLD_SK, 9);
		CU_ASSERT_EQUAL(ike_sk_protect(msg, 40, IKE_HDR_LEN, NULL,
		    IKE_PLD_NOTIFY, inner, sizeof(inner), &d.k, NULL),
		    CRYPTO_ESPACE);
		dir_fini(&d);
	}
}

/* --- SKF --------------------------------------------------------------- */

static void
test_skf_aad(void)
{
	struct dir		 d;
	struct ike_sk_plain	 pl;
	struct ike_skf		 skf = { 2, 3 };
	struct crypto_iov	 iov;
	uint8_t			 inner[50], msg[256], out[256];
	size_t			 i, ctlen;
	int			 len;

	memset(inner, 0x5c, sizeof(inner));
	for (i = 0; i < nitems(suites); i++) {
		dir_init(&d, &suites[i]);
		ike_hdr(msg, IKE_PLD_SKF, 4);
		len = ike_sk_protect(msg, sizeof(msg), IKE_HDR_LEN, &skf, 0,
		    inner, sizeof(inner), &d.k, NULL);
		CU_ASSERT_FATAL(len > 0);
		CU_ASSERT_EQUAL((size_t)len, IKE_HDR_LEN +
		    ike_sk_len(&d.s, 1, sizeof(inner)));
		CU_ASSERT(msg[32] == 0 && msg[33] == 2 && msg[34] == 0 &&
		    msg[35] == 3);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SKF, &d.k, out, sizeof(out), &pl), 0);
		CU_ASSERT_EQUAL(pl.frag.num, 2);
		CU_ASSERT_EQUAL(pl.frag.total, 3);
		CU_ASSERT_EQUAL(pl.len, sizeof(inner));

		/* independently: the AAD / ICV input ends after Total */
		ctlen = (size_t)len - IKE_HDR_LEN - 8 - d.s.iv_len -
		    d.s.icv_len;
		if (d.s.aead) {
			CU_ASSERT_EQUAL(crypto_aead_open(&d.s, d.e->data,
			    msg + 36, msg, 36, msg + 36 + d.s.iv_len, ctlen,
			    msg + 36 + d.s.iv_len + ctlen, out), 0);
			CU_ASSERT_EQUAL(crypto_aead_open(&d.s, d.e->data,
			    msg + 36, msg, 32, msg + 36 + d.s.iv_len, ctlen,
			    msg + 36 + d.s.iv_len + ctlen, out), CRYPTO_EAUTH);
		} else {
			iov.p = msg;
			iov.len = 36 + d.s.iv_len + ctlen;
			CU_ASSERT_EQUAL(crypto_integ_check(&d.s, d.a->data,
			    &iov, 1, msg + iov.len), 0);
		}

		/* the fragment fields are authenticated */
		msg[33] = 1;
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SKF, &d.k, out, sizeof(out), &pl), CRYPTO_EAUTH);
		msg[33] = 2;
		msg[35] = 4;
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SKF, &d.k, out, sizeof(out), &pl), CRYPTO_EAUTH);
		/* ... and checked before anything else */
		msg[35] = 1;	/* num 2 > total 1 */
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SKF, &d.k, out, sizeof(out), &pl), CRYPTO_ELENGTH);
		msg[33] = 0;	/* num 0 */
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SKF, &d.k, out, sizeof(out), &pl), CRYPTO_ELENGTH);
		/* parsed as SK it does not open (CBC: not whole blocks) */
		msg[33] = 2;
		msg[35] = 3;
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SK, &d.k, out, sizeof(out), &pl),
		    d.s.aead ? CRYPTO_EAUTH : CRYPTO_ELENGTH);
		CU_ASSERT_EQUAL(ike_sk_unprotect(msg, (size_t)len, IKE_HDR_LEN,
		    IKE_PLD_SKF, &d.k, out, sizeof(out), &pl), 0);
		skf.num = 4;
		CU_ASSERT_EQUAL(ike_sk_protect(msg, sizeof(msg), IKE_HDR_LEN,
		    &skf, 0, inner, 1, &d.k, NULL), CRYPTO_ELENGTH);
		skf.num = 2;
		dir_fini(&d);
	}
}

/* --- reassembly -------------------------------------------------------- */

static struct ike_sk_plain
frag(const uint8_t *p, size_t len, uint16_t num, uint16_t total, uint8_t first)
{
	struct ike_sk_plain	 pl;

	pl.p = p;
	pl.len = len;
	pl.first = first;
	pl.frag.num = num;
	pl.frag.total = total;
	return pl;
}

static void
test_reassembly(void)
{
	static const uint8_t	 data[] = "0123456789abcdefghijklmnopqrstuv";
	struct ike_frag		 f;
	struct ike_sk_plain	 p1, p2, p3, p4;
	uint8_t			 out[64], first = 0;
	int			 n;

	/* in order */
	ike_frag_init(&f, 0);
	p1 = frag(data, 10, 1, 3, IKE_PLD_IDI);
	p2 = frag(data + 10, 10, 2, 3, 0);
	p3 = frag(data + 20, 12, 3, 3, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p1), IKE_FRAG_MORE);
	CU_ASSERT_EQUAL(ike_frag_len(&f), 0);
	CU_ASSERT_EQUAL(ike_frag_take(&f, out, sizeof(out), &first),
	    IKE_FRAG_EINVAL);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p2), IKE_FRAG_MORE);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p3), IKE_FRAG_DONE);
	CU_ASSERT_EQUAL(ike_frag_len(&f), 32);
	CU_ASSERT_EQUAL(ike_frag_take(&f, out, 31, &first), CRYPTO_ESPACE);
	n = ike_frag_take(&f, out, sizeof(out), &first);
	CU_ASSERT_EQUAL(n, 32);
	CU_ASSERT_EQUAL(first, IKE_PLD_IDI);
	UNIT_ASSERT_BYTES(out, data, 32);
	CU_ASSERT_EQUAL(f.total, 0);		/* emptied */

	/* out of order, with duplicates; first payload from fragment 1 */
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p3), IKE_FRAG_MORE);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p3), IKE_FRAG_DUP);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p1), IKE_FRAG_MORE);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p1), IKE_FRAG_DUP);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p2), IKE_FRAG_DONE);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p2), IKE_FRAG_DUP);
	memset(out, 0, sizeof(out));
	CU_ASSERT_EQUAL(ike_frag_take(&f, out, sizeof(out), &first), 32);
	CU_ASSERT_EQUAL(first, IKE_PLD_IDI);
	UNIT_ASSERT_BYTES(out, data, 32);

	/* inconsistent totals: smaller refused, larger restarts */
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p2), IKE_FRAG_MORE);	/* of 3 */
	p4 = frag(data, 5, 1, 2, IKE_PLD_IDI);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p4), IKE_FRAG_ESTALE);
	CU_ASSERT_EQUAL(f.held, 1);
	p4 = frag(data, 8, 1, 4, IKE_PLD_IDI);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p4), IKE_FRAG_MORE);
	CU_ASSERT_EQUAL(f.total, 4);
	CU_ASSERT_EQUAL(f.held, 1);		/* the old 2/3 was dropped */
	CU_ASSERT_EQUAL(f.bytes, 8);
	ike_frag_fini(&f);

	/* out of range numbers */
	p4 = frag(data, 1, 0, 3, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p4), IKE_FRAG_EINVAL);
	p4 = frag(data, 1, 4, 3, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p4), IKE_FRAG_EINVAL);
	p4 = frag(data, 1, 1, IKE_FRAG_MAX + 1, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p4), IKE_FRAG_EINVAL);
	p4 = frag(data, 1, IKE_FRAG_MAX, IKE_FRAG_MAX, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p4), IKE_FRAG_MORE);
	ike_frag_fini(&f);
	CU_ASSERT_STRING_EQUAL(ike_frag_res_name(IKE_FRAG_ESTALE),
	    "stale total");
}

static void
test_reassembly_caps(void)
{
	struct ike_frag		 f;
	struct ike_sk_plain	 p;
	uint8_t			 chunk[100], *big, first;
	uint16_t		 i;
	int			 n;

	memset(chunk, 0x42, sizeof(chunk));
	/* byte cap: 250 bytes, fragments of 100 */
	ike_frag_init(&f, 250);
	p = frag(chunk, 100, 1, 3, IKE_PLD_AUTH);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p), IKE_FRAG_MORE);
	p = frag(chunk, 100, 2, 3, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p), IKE_FRAG_MORE);
	p = frag(chunk, 100, 3, 3, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p), IKE_FRAG_ECAP);
	CU_ASSERT_EQUAL(f.held, 2);
	p = frag(chunk, 50, 3, 3, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p), IKE_FRAG_DONE);
	ike_frag_fini(&f);

	/* the fragment count cap, all 64 in reverse order */
	ike_frag_init(&f, 0);
	for (i = IKE_FRAG_MAX; i >= 1; i--) {
		p = frag(chunk, 100, i, IKE_FRAG_MAX, i == 1 ? 41 : 0);
		CU_ASSERT_EQUAL(ike_frag_add(&f, &p), i == 1 ? IKE_FRAG_DONE :
		    IKE_FRAG_MORE);
	}
	big = malloc(IKE_FRAG_MAX * 100);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	n = ike_frag_take(&f, big, IKE_FRAG_MAX * 100, &first);
	CU_ASSERT_EQUAL(n, IKE_FRAG_MAX * 100);
	CU_ASSERT_EQUAL(first, 41);
	free(big);
	/* empty fragments are fine */
	p = frag(chunk, 0, 1, 1, 0);
	CU_ASSERT_EQUAL(ike_frag_add(&f, &p), IKE_FRAG_DONE);
	CU_ASSERT_EQUAL(ike_frag_take(&f, chunk, 1, &first), 0);
	ike_frag_fini(&f);
}

/* SKF protect -> unprotect -> reassemble, end to end, out of order. */
static void
test_skf_end_to_end(void)
{
	struct dir		 d;
	struct ike_frag		 f;
	struct ike_sk_plain	 pl;
	struct ike_skf		 skf;
	uint8_t			 inner[700], msg[3][512], out[512], all[800];
	uint8_t			 first;
	int			 len[3], r = 0;
	size_t			 i, order[3] = { 2, 0, 1 };

	CU_ASSERT_FATAL(RAND_bytes(inner, sizeof(inner)) == 1);
	dir_init(&d, &suites[1]);
	for (i = 0; i < 3; i++) {
		skf.num = (uint16_t)(i + 1);
		skf.total = 3;
		ike_hdr(msg[i], IKE_PLD_SKF, 2);
		len[i] = ike_sk_protect(msg[i], sizeof(msg[i]), IKE_HDR_LEN,
		    &skf, i == 0 ? IKE_PLD_IDI : 0, inner + i * 250,
		    i < 2 ? 250 : 200, &d.k, NULL);
		CU_ASSERT_FATAL(len[i] > 0);
	}
	ike_frag_init(&f, 0);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(ike_sk_unprotect(msg[order[i]],
		    (size_t)len[order[i]], IKE_HDR_LEN, IKE_PLD_SKF, &d.k, out,
		    sizeof(out), &pl), 0);
		r = ike_frag_add(&f, &pl);
	}
	CU_ASSERT_EQUAL(r, IKE_FRAG_DONE);
	CU_ASSERT_EQUAL(ike_frag_take(&f, all, sizeof(all), &first), 700);
	CU_ASSERT_EQUAL(first, IKE_PLD_IDI);
	UNIT_ASSERT_BYTES(all, inner, 700);
	ike_frag_fini(&f);
	dir_fini(&d);
}

UNIT_SUITE(sk, "sk",
    { "RFC 7634 B IKEv2 example", test_rfc7634_ikev2 },
    { "round trip every suite", test_roundtrip_all },
    { "payload before SK", test_preceding_payload },
    { "tamper every byte", test_tamper_every_byte },
    { "padding", test_padding },
    { "truncated / framing", test_truncated },
    { "SKF AAD", test_skf_aad },
    { "reassembly order/dup/totals", test_reassembly },
    { "reassembly caps", test_reassembly_caps },
    { "SKF end to end", test_skf_end_to_end });
