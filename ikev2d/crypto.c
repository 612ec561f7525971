/*
 * ikev2d/crypto.c -- transform tables, PRF, prf+ and the SK ciphers
 * (see crypto.h).  Key exchange lives in crypto_ke.c.
 *
 * OpenSSL 3 EVP only: EVP_MAC for HMAC, EVP_CIPHER for AES and ChaCha20.
 * Algorithms are fetched by name on each call and freed at once; nothing
 * is cached between calls, so there is no module state to share or race
 * on.  (A fetch costs well under a microsecond once OpenSSL's method store
 * is warm: small against one IKE message.)
 */
#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "tandem/util.h"
#include "crypto.h"

const char *
crypto_err_name(int err)
{
	switch (err) {
	case CRYPTO_OK:
		return "ok";
	case CRYPTO_EINTERNAL:
		return "internal crypto failure";
	case CRYPTO_EUNSUPPORTED:
		return "unsupported transform";
	case CRYPTO_ELENGTH:
		return "wrong length";
	case CRYPTO_EINVALID:
		return "invalid public value";
	case CRYPTO_EAUTH:
		return "integrity check failed";
	case CRYPTO_ESPACE:
		return "buffer too small";
	}
	return "unknown crypto error";
}

/* --- transform tables -------------------------------------------------- */

static const struct prf_desc {
	enum ike_prf	 id;
	const char	*md;
	size_t		 len;
} prf_descs[] = {
	{ IKE_PRF_HMAC_SHA1,	 "SHA1",	20 },
	{ IKE_PRF_HMAC_SHA2_256, "SHA2-256",	32 },
	{ IKE_PRF_HMAC_SHA2_384, "SHA2-384",	48 },
	{ IKE_PRF_HMAC_SHA2_512, "SHA2-512",	64 },
};

/* RFC 4868 2.1 / RFC 2404: key = hash output, ICV = first half (SHA1: 96). */
static const struct integ_desc {
	enum ike_integ	 id;
	const char	*md;
	size_t		 key_len;
	size_t		 icv_len;
} integ_descs[] = {
	{ IKE_INTEG_HMAC_SHA1_96,	"SHA1",		20, 12 },
	{ IKE_INTEG_HMAC_SHA2_256_128,	"SHA2-256",	32, 16 },
	{ IKE_INTEG_HMAC_SHA2_384_192,	"SHA2-384",	48, 24 },
	{ IKE_INTEG_HMAC_SHA2_512_256,	"SHA2-512",	64, 32 },
};

static const struct encr_desc {
	enum ike_encr	 id;
	unsigned int	 bits;		/* Key Length attribute; 0 = none */
	const char	*cipher;
	size_t		 key_len;	/* cipher key, salt not included */
	size_t		 salt_len;
	size_t		 iv_len;
	size_t		 block_len;
	size_t		 icv_len;
	bool		 aead;
} encr_descs[] = {
	/* RFC 3602: 16-byte random IV, 16-byte blocks. */
	{ IKE_ENCR_AES_CBC, 128, "AES-128-CBC", 16, 0, 16, 16, 0, false },
	{ IKE_ENCR_AES_CBC, 192, "AES-192-CBC", 24, 0, 16, 16, 0, false },
	{ IKE_ENCR_AES_CBC, 256, "AES-256-CBC", 32, 0, 16, 16, 0, false },
	/* RFC 4106 / RFC 5282: 4-byte salt, 8-byte explicit IV, 16-byte ICV. */
	{ IKE_ENCR_AES_GCM_16, 128, "AES-128-GCM", 16, 4, 8, 1, 16, true },
	{ IKE_ENCR_AES_GCM_16, 192, "AES-192-GCM", 24, 4, 8, 1, 16, true },
	{ IKE_ENCR_AES_GCM_16, 256, "AES-256-GCM", 32, 4, 8, 1, 16, true },
	/* RFC 7634 2: 32-byte key + 4-byte salt, 8-byte IV, no Key Length. */
	{ IKE_ENCR_CHACHA20_POLY1305, 0, "ChaCha20-Poly1305", 32, 4, 8, 1, 16,
	    true },
};

static const struct prf_desc *
prf_find(enum ike_prf id)
{
	size_t	 i;

	for (i = 0; i < nitems(prf_descs); i++)
		if (prf_descs[i].id == id)
			return &prf_descs[i];
	return NULL;
}

size_t
prf_len(enum ike_prf id)
{
	const struct prf_desc	*d = prf_find(id);

	return d != NULL ? d->len : 0;
}

int
crypto_suite_init(struct crypto_suite *s, enum ike_encr encr,
    unsigned int encr_bits, enum ike_integ integ, enum ike_prf prf_id,
    enum ike_ke ke)
{
	const struct encr_desc	*e = NULL;
	const struct integ_desc	*a = NULL;
	const struct prf_desc	*p = NULL;
	size_t			 i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nitems(encr_descs); i++)
		if (encr_descs[i].id == encr && encr_descs[i].bits == encr_bits)
			e = &encr_descs[i];
	if (e == NULL)
		return CRYPTO_EUNSUPPORTED;
	if (e->aead) {
		/* RFC 5282 8: an AEAD suite has no INTEG transform. */
		if (integ != IKE_INTEG_NONE)
			return CRYPTO_EUNSUPPORTED;
	} else {
		for (i = 0; i < nitems(integ_descs); i++)
			if (integ_descs[i].id == integ)
				a = &integ_descs[i];
		if (a == NULL)
			return CRYPTO_EUNSUPPORTED;
	}
	if (prf_id != 0 && (p = prf_find(prf_id)) == NULL)
		return CRYPTO_EUNSUPPORTED;
	if (ke != IKE_KE_NONE && !ke_supported(ke))
		return CRYPTO_EUNSUPPORTED;

	s->encr = encr;
	s->encr_bits = (uint16_t)encr_bits;
	s->integ = a != NULL ? integ : IKE_INTEG_NONE;
	s->prf = p != NULL ? prf_id : 0;
	s->ke = ke;
	s->aead = e->aead;
	s->ekey_len = e->key_len + e->salt_len;
	s->salt_len = e->salt_len;
	s->akey_len = a != NULL ? a->key_len : 0;
	s->prf_len = p != NULL ? p->len : 0;
	s->iv_len = e->iv_len;
	s->block_len = e->block_len;
	s->icv_len = a != NULL ? a->icv_len : e->icv_len;
	s->cipher_name = e->cipher;
	s->integ_md = a != NULL ? a->md : NULL;
	s->prf_md = p != NULL ? p->md : NULL;
	return CRYPTO_OK;
}

/* --- HMAC ---------------------------------------------------------------- */

/*
 * A keyed HMAC context for digest md.  The key is copied into OpenSSL's
 * context, which wipes it in EVP_MAC_CTX_free().
 */
static EVP_MAC_CTX *
hmac_new(const char *md, const void *key, size_t keylen)
{
	EVP_MAC		*mac;
	EVP_MAC_CTX	*ctx = NULL;
	OSSL_PARAM	 params[2];

	if (key == NULL || keylen == 0)
		return NULL;
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);	/* the context holds its own reference */
	if (ctx == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(ctx, key, keylen, params)) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* Feed iov into ctx and finish into out (cap bytes); returns the length. */
static int
hmac_run(EVP_MAC_CTX *ctx, const struct crypto_iov *iov, size_t niov,
    uint8_t *out, size_t cap)
{
	size_t	 i, outl = 0;

	for (i = 0; i < niov; i++)
		if (iov[i].len > 0 && !EVP_MAC_update(ctx, iov[i].p,
		    iov[i].len))
			return CRYPTO_EINTERNAL;
	if (!EVP_MAC_final(ctx, out, &outl, cap) || outl > INT_MAX)
		return CRYPTO_EINTERNAL;
	return (int)outl;
}

static int
hmac_iov(const char *md, const void *key, size_t keylen,
    const struct crypto_iov *iov, size_t niov, uint8_t *out, size_t cap)
{
	EVP_MAC_CTX	*ctx;
	int		 ret;

	if ((ctx = hmac_new(md, key, keylen)) == NULL)
		return CRYPTO_EINTERNAL;
	ret = hmac_run(ctx, iov, niov, out, cap);
	EVP_MAC_CTX_free(ctx);
	return ret;
}

/* --- PRF and prf+ -------------------------------------------------------- */

int
prf_iov(enum ike_prf id, const void *key, size_t keylen,
    const struct crypto_iov *iov, size_t niov, uint8_t *out)
{
	const struct prf_desc	*d;

	if ((d = prf_find(id)) == NULL)
		return CRYPTO_EUNSUPPORTED;
	if (key == NULL || keylen == 0)
		return CRYPTO_ELENGTH;
	return hmac_iov(d->md, key, keylen, iov, niov, out, d->len);
}

int
prf(enum ike_prf id, const void *key, size_t keylen, const void *data,
    size_t datalen, uint8_t *out)
{
	struct crypto_iov	 iov = { data, datalen };

	return prf_iov(id, key, keylen, &iov, 1, out);
}

struct secbuf *
prf_plus(enum ike_prf id, const struct secbuf *key, const struct secbuf *seed,
    size_t len, int *err)
{
	const struct prf_desc	*d;
	EVP_MAC_CTX		*base = NULL, *ctx = NULL;
	struct secbuf		*out = NULL;
	struct crypto_iov	 iov[3];
	uint8_t			 t[CRYPTO_PRF_MAX], n;
	size_t			 off, take, tlen = 0;
	unsigned int		 i;
	int			 ret = CRYPTO_EINTERNAL, r;

	if ((d = prf_find(id)) == NULL) {
		ret = CRYPTO_EUNSUPPORTED;
		goto done;
	}
	if (key == NULL || key->len == 0 ||
	    len > (size_t)CRYPTO_PRFPLUS_ITER_MAX * d->len) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	if ((out = secbuf_new(len)) == NULL)
		goto done;
	/* Key the HMAC once; each iteration runs on a copy of it. */
	if ((base = hmac_new(d->md, key->data, key->len)) == NULL)
		goto done;
	for (i = 1, off = 0; off < len; i++) {
		n = (uint8_t)i;
		iov[0].p = t;			/* T(i-1), empty for T1 */
		iov[0].len = tlen;
		iov[1].p = seed != NULL ? seed->data : NULL;
		iov[1].len = seed != NULL ? seed->len : 0;
		iov[2].p = &n;
		iov[2].len = 1;
		if ((ctx = EVP_MAC_CTX_dup(base)) == NULL)
			goto done;
		r = hmac_run(ctx, iov, nitems(iov), t, sizeof(t));
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
		if (r != (int)d->len)
			goto done;
		tlen = d->len;
		take = len - off < tlen ? len - off : tlen;
		memcpy(out->data + off, t, take);
		off += take;
	}
	ret = CRYPTO_OK;
 done:
	OPENSSL_cleanse(t, sizeof(t));
	EVP_MAC_CTX_free(base);
	if (ret != CRYPTO_OK) {
		secbuf_free(out);
		out = NULL;
	}
	if (err != NULL)
		*err = ret;
	return out;
}

/* --- AEAD -------------------------------------------------------------- */

/* nonce = salt | iv: RFC 4106 4 (GCM), RFC 7634 2 (ChaCha20-Poly1305). */
static void
aead_nonce(const struct crypto_suite *s, const uint8_t *key,
    const uint8_t *iv, uint8_t *nonce)
{
	memcpy(nonce, key + s->ekey_len - s->salt_len, s->salt_len);
	memcpy(nonce + s->salt_len, iv, s->iv_len);
}

static EVP_CIPHER_CTX *
aead_ctx(const struct crypto_suite *s, const uint8_t *key, const uint8_t *iv,
    int enc)
{
	EVP_CIPHER	*c;
	EVP_CIPHER_CTX	*ctx = NULL;
	uint8_t		 nonce[12];
	int		 ok = 0;

	/* Both ciphers default to the 12-byte nonce we build. */
	if (!s->aead || s->salt_len + s->iv_len != sizeof(nonce))
		return NULL;
	if ((c = EVP_CIPHER_fetch(NULL, s->cipher_name, NULL)) == NULL)
		return NULL;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		goto done;
	aead_nonce(s, key, iv, nonce);
	if (!EVP_CipherInit_ex2(ctx, c, key, nonce, enc, NULL))
		goto done;
	ok = 1;
 done:
	OPENSSL_cleanse(nonce, sizeof(nonce));
	EVP_CIPHER_free(c);
	if (!ok) {
		EVP_CIPHER_CTX_free(ctx);	/* clears the key schedule */
		ctx = NULL;
	}
	return ctx;
}

int
crypto_aead_seal(const struct crypto_suite *s, const uint8_t *key,
    const uint8_t *iv, const uint8_t *aad, size_t aadlen, const uint8_t *in,
    size_t len, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX	*ctx;
	OSSL_PARAM	 params[2];
	int		 outl, ret = CRYPTO_EINTERNAL;

	if (len > INT_MAX || aadlen > INT_MAX)
		return CRYPTO_ELENGTH;
	if ((ctx = aead_ctx(s, key, iv, 1)) == NULL)
		return CRYPTO_EINTERNAL;
	if (aadlen > 0 && !EVP_EncryptUpdate(ctx, NULL, &outl, aad,
	    (int)aadlen))
		goto done;
	if (len > 0 && (!EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) ||
	    (size_t)outl != len))
		goto done;
	if (!EVP_EncryptFinal_ex(ctx, out + len, &outl) || outl != 0)
		goto done;
	params[0] = OSSL_PARAM_construct_octet_string(
	    OSSL_CIPHER_PARAM_AEAD_TAG, tag, s->icv_len);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_CIPHER_CTX_get_params(ctx, params))
		goto done;
	ret = CRYPTO_OK;
 done:
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int
crypto_aead_open(const struct crypto_suite *s, const uint8_t *key,
    const uint8_t *iv, const uint8_t *aad, size_t aadlen, const uint8_t *in,
    size_t len, const uint8_t *tag, uint8_t *out)
{
	EVP_CIPHER_CTX	*ctx;
	OSSL_PARAM	 params[2];
	int		 outl, ret = CRYPTO_EINTERNAL;

	if (len > INT_MAX || aadlen > INT_MAX)
		return CRYPTO_ELENGTH;
	if ((ctx = aead_ctx(s, key, iv, 0)) == NULL)
		return CRYPTO_EINTERNAL;
	/* The provider compares the tag with CRYPTO_memcmp in Final. */
	params[0] = OSSL_PARAM_construct_octet_string(
	    OSSL_CIPHER_PARAM_AEAD_TAG, (void *)tag, s->icv_len);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_CIPHER_CTX_set_params(ctx, params))
		goto done;
	if (aadlen > 0 && !EVP_DecryptUpdate(ctx, NULL, &outl, aad,
	    (int)aadlen))
		goto done;
	if (len > 0 && (!EVP_DecryptUpdate(ctx, out, &outl, in, (int)len) ||
	    (size_t)outl != len))
		goto done;
	if (EVP_DecryptFinal_ex(ctx, out + len, &outl) <= 0) {
		ret = CRYPTO_EAUTH;
		goto done;
	}
	ret = CRYPTO_OK;
 done:
	/* Never hand back plaintext that did not authenticate. */
	if (ret != CRYPTO_OK && len > 0)
		OPENSSL_cleanse(out, len);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/* --- AES-CBC ------------------------------------------------------------ */

static int
cbc_run(const struct crypto_suite *s, const uint8_t *key, const uint8_t *iv,
    const uint8_t *in, size_t len, uint8_t *out, int enc)
{
	EVP_CIPHER	*c;
	EVP_CIPHER_CTX	*ctx = NULL;
	int		 outl, ret = CRYPTO_EINTERNAL;

	if (s->aead || s->block_len == 0)
		return CRYPTO_EUNSUPPORTED;
	if (len % s->block_len != 0 || len > INT_MAX)
		return CRYPTO_ELENGTH;
	if ((c = EVP_CIPHER_fetch(NULL, s->cipher_name, NULL)) == NULL)
		return CRYPTO_EINTERNAL;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		goto done;
	if (!EVP_CipherInit_ex2(ctx, c, key, iv, enc, NULL))
		goto done;
	/* IKE pads the plaintext itself (RFC 7296 3.14). */
	if (!EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto done;
	if (len > 0 && (!EVP_CipherUpdate(ctx, out, &outl, in, (int)len) ||
	    (size_t)outl != len))
		goto done;
	if (!EVP_CipherFinal_ex(ctx, out + len, &outl) || outl != 0)
		goto done;
	ret = CRYPTO_OK;
 done:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ret;
}

int
crypto_cbc_encrypt(const struct crypto_suite *s, const uint8_t *key,
    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
	return cbc_run(s, key, iv, in, len, out, 1);
}

int
crypto_cbc_decrypt(const struct crypto_suite *s, const uint8_t *key,
    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
	return cbc_run(s, key, iv, in, len, out, 0);
}

/* --- INTEG --------------------------------------------------------------- */

int
crypto_integ(const struct crypto_suite *s, const uint8_t *key,
    const struct crypto_iov *iov, size_t niov, uint8_t *icv)
{
	uint8_t	 full[CRYPTO_PRF_MAX];
	int	 r;

	if (s->aead || s->integ_md == NULL)
		return CRYPTO_EUNSUPPORTED;
	r = hmac_iov(s->integ_md, key, s->akey_len, iov, niov, full,
	    sizeof(full));
	if (r < 0 || (size_t)r < s->icv_len) {
		OPENSSL_cleanse(full, sizeof(full));
		return r < 0 ? r : CRYPTO_EINTERNAL;
	}
	/* RFC 4868 2.3: keep the leftmost bits. */
	memcpy(icv, full, s->icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return CRYPTO_OK;
}

int
crypto_integ_check(const struct crypto_suite *s, const uint8_t *key,
    const struct crypto_iov *iov, size_t niov, const uint8_t *icv)
{
	uint8_t	 want[CRYPTO_ICV_MAX];
	int	 r;

	if (s->icv_len > sizeof(want))
		return CRYPTO_EUNSUPPORTED;
	if ((r = crypto_integ(s, key, iov, niov, want)) != CRYPTO_OK)
		return r;
	r = CRYPTO_memcmp(want, icv, s->icv_len) == 0 ? CRYPTO_OK :
	    CRYPTO_EAUTH;
	OPENSSL_cleanse(want, sizeof(want));
	return r;
}
