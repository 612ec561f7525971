/*
 * ikev2d/auth.c -- AUTH payload data: signed octets, PSK, RFC 7427
 * signatures and SIGNATURE_HASH_ALGORITHMS (see auth.h).
 *
 * Signatures go through EVP_DigestSign / EVP_DigestVerify with the digest
 * named by the AlgorithmIdentifier; the identifier itself is matched
 * byte for byte against RFC 7427 Appendix A, so a peer cannot steer us to
 * an algorithm we did not list.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tandem/util.h"
#include "tandem/wire.h"
#include "auth.h"

/* RFC 7296 2.15: the pad string, without a terminating NUL. */
static const char psk_pad[] = "Key Pad for IKEv2";
#define PSK_PAD_LEN	(sizeof(psk_pad) - 1)

enum sig_kind {
	SIG_RSA,
	SIG_ECDSA,
};

/* RFC 7427 Appendix A: AlgorithmIdentifier DER. */
static const struct sig_alg {
	enum sig_kind	 kind;
	enum ike_hash	 hash;
	const char	*md;
	size_t		 der_len;
	uint8_t		 der[15];
} sig_algs[] = {
	/* A.1.2-A.1.4 sha{256,384,512}WithRSAEncryption, NULL parameters */
	{ SIG_RSA, IKE_HASH_SHA2_256, "SHA2-256", 15, { 0x30, 0x0d, 0x06,
	    0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05,
	    0x00 } },
	{ SIG_RSA, IKE_HASH_SHA2_384, "SHA2-384", 15, { 0x30, 0x0d, 0x06,
	    0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05,
	    0x00 } },
	{ SIG_RSA, IKE_HASH_SHA2_512, "SHA2-512", 15, { 0x30, 0x0d, 0x06,
	    0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05,
	    0x00 } },
	/* A.3.2-A.3.4 ecdsa-with-SHA{256,384,512}, parameters absent */
	{ SIG_ECDSA, IKE_HASH_SHA2_256, "SHA2-256", 12, { 0x30, 0x0a, 0x06,
	    0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 } },
	{ SIG_ECDSA, IKE_HASH_SHA2_384, "SHA2-384", 12, { 0x30, 0x0a, 0x06,
	    0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 } },
	{ SIG_ECDSA, IKE_HASH_SHA2_512, "SHA2-512", 12, { 0x30, 0x0a, 0x06,
	    0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 } },
};

/* --- signed octets ---------------------------------------------------- */

size_t
auth_octets_len(enum ike_prf id, size_t msglen, size_t nonce_len)
{
	return msglen + nonce_len + prf_len(id);
}

int
auth_octets(enum ike_prf id, const struct secbuf *sk_p, const uint8_t *msg,
    size_t msglen, const uint8_t *nonce, size_t nonce_len,
    const uint8_t *id_rest, size_t id_rest_len, uint8_t *out, size_t cap)
{
	size_t	 need = auth_octets_len(id, msglen, nonce_len);
	int	 r;

	if (prf_len(id) == 0)
		return CRYPTO_EUNSUPPORTED;
	if (sk_p == NULL || msg == NULL || nonce == NULL || id_rest == NULL ||
	    msglen == 0 || nonce_len == 0 || id_rest_len < 4)
		return CRYPTO_ELENGTH;	/* RestOfIDPayload: 4 octets min */
	if (need > cap || need > INT32_MAX)
		return CRYPTO_ESPACE;
	memcpy(out, msg, msglen);
	memcpy(out + msglen, nonce, nonce_len);
	/* MACedIDFor[IR] = prf(SK_p[ir], RestOf[IR]IDPayload) */
	r = prf(id, sk_p->data, sk_p->len, id_rest, id_rest_len,
	    out + msglen + nonce_len);
	if (r != (int)prf_len(id))
		return r < 0 ? r : CRYPTO_EINTERNAL;
	return (int)need;
}

/* --- PSK --------------------------------------------------------------- */

int
auth_psk(enum ike_prf id, const struct secbuf *psk, const uint8_t *octets,
    size_t len, uint8_t *out)
{
	uint8_t	 key[CRYPTO_PRF_MAX];
	size_t	 klen = prf_len(id);
	int	 r, ret;

	if (klen == 0)
		return CRYPTO_EUNSUPPORTED;
	if (psk == NULL || psk->len == 0)
		return CRYPTO_ELENGTH;
	/* key = prf(Shared Secret, "Key Pad for IKEv2") -- a secret too */
	r = prf(id, psk->data, psk->len, psk_pad, PSK_PAD_LEN, key);
	if (r != (int)klen) {
		ret = r < 0 ? r : CRYPTO_EINTERNAL;
		goto done;
	}
	r = prf(id, key, klen, octets, len, out);
	ret = r == (int)klen ? CRYPTO_OK : (r < 0 ? r : CRYPTO_EINTERNAL);
 done:
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

int
auth_psk_verify(enum ike_prf id, const struct secbuf *psk,
    const uint8_t *octets, size_t len, const uint8_t *auth, size_t auth_len)
{
	uint8_t	 want[CRYPTO_PRF_MAX];
	int	 r;

	if ((r = auth_psk(id, psk, octets, len, want)) != CRYPTO_OK)
		goto done;
	/* The length is public (it is the PRF's); the bytes are compared
	 * in constant time. */
	if (auth_len != prf_len(id) ||
	    CRYPTO_memcmp(want, auth, auth_len) != 0)
		r = CRYPTO_EAUTH;
 done:
	OPENSSL_cleanse(want, sizeof(want));
	return r;
}

/* --- RFC 7427 signatures ----------------------------------------------- */

static int
key_kind(EVP_PKEY *key, enum sig_kind *kind)
{
	if (EVP_PKEY_is_a(key, "RSA"))
		*kind = SIG_RSA;
	else if (EVP_PKEY_is_a(key, "EC"))
		*kind = SIG_ECDSA;
	else
		return -1;
	return 0;
}

size_t
auth_sig_max_len(EVP_PKEY *key)
{
	int	 n = EVP_PKEY_get_size(key);

	return n > 0 ? 1 + sizeof(sig_algs[0].der) + (size_t)n : 0;
}

int
auth_sig_sign(EVP_PKEY *key, enum ike_hash hash, const uint8_t *octets,
    size_t len, uint8_t *out, size_t cap)
{
	const struct sig_alg	*a = NULL;
	EVP_MD_CTX		*ctx = NULL;
	enum sig_kind		 kind;
	size_t			 i, siglen, hlen;
	int			 ret = CRYPTO_EINTERNAL;

	if (key_kind(key, &kind) != 0)
		return CRYPTO_EUNSUPPORTED;
	for (i = 0; i < nitems(sig_algs); i++)
		if (sig_algs[i].kind == kind && sig_algs[i].hash == hash)
			a = &sig_algs[i];
	if (a == NULL)
		return CRYPTO_EUNSUPPORTED;
	hlen = 1 + a->der_len;
	if (cap < hlen)
		return CRYPTO_ESPACE;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto done;
	if (EVP_DigestSignInit_ex(ctx, NULL, a->md, NULL, NULL, key,
	    NULL) != 1)
		goto done;
	/* ask for the size first: ECDSA signatures vary in length */
	if (EVP_DigestSign(ctx, NULL, &siglen, octets, len) != 1)
		goto done;
	if (siglen > cap - hlen) {
		ret = CRYPTO_ESPACE;
		goto done;
	}
	siglen = cap - hlen;
	if (EVP_DigestSign(ctx, out + hlen, &siglen, octets, len) != 1)
		goto done;
	out[0] = (uint8_t)a->der_len;
	memcpy(out + 1, a->der, a->der_len);
	ret = (int)(hlen + siglen);
 done:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int
auth_sig_verify(X509 *cert, const uint8_t *octets, size_t len,
    const uint8_t *data, size_t dlen, const enum ike_hash *allowed,
    size_t nallowed, enum ike_hash *hash)
{
	const struct sig_alg	*a = NULL;
	EVP_PKEY		*key;
	EVP_MD_CTX		*ctx = NULL;
	enum sig_kind		 kind;
	struct rd		 r;
	const uint8_t		*der, *sig;
	size_t			 i, alen, slen;
	int			 ok, ret = CRYPTO_EINTERNAL;

	/* Length | AlgorithmIdentifier | signature value */
	rd_init(&r, data, dlen);
	alen = rd_u8(&r);
	der = rd_bytes(&r, alen);
	if (r.bad || der == NULL || r.left == 0)
		return CRYPTO_ELENGTH;
	sig = r.p;
	slen = r.left;
	for (i = 0; i < nitems(sig_algs); i++)
		if (sig_algs[i].der_len == alen &&
		    memcmp(sig_algs[i].der, der, alen) == 0)
			a = &sig_algs[i];
	if (a == NULL)
		return CRYPTO_EUNSUPPORTED;
	if (allowed != NULL) {
		for (i = 0; i < nallowed; i++)
			if (allowed[i] == a->hash)
				break;
		if (i == nallowed)
			return CRYPTO_EUNSUPPORTED;
	}
	if (cert == NULL || (key = X509_get0_pubkey(cert)) == NULL)
		return CRYPTO_EINTERNAL;
	if (key_kind(key, &kind) != 0 || kind != a->kind)
		return CRYPTO_EAUTH;	/* e.g. an RSA id with an EC cert */
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto done;
	if (EVP_DigestVerifyInit_ex(ctx, NULL, a->md, NULL, NULL, key,
	    NULL) != 1)
		goto done;
	/* 1 good, 0 bad signature, <0 malformed: both of those fail auth */
	ok = EVP_DigestVerify(ctx, sig, slen, octets, len);
	ret = ok == 1 ? CRYPTO_OK : CRYPTO_EAUTH;
	if (ret == CRYPTO_OK && hash != NULL)
		*hash = a->hash;
 done:
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* --- SIGNATURE_HASH_ALGORITHMS ------------------------------------------ */

int
auth_hash_encode(const enum ike_hash *ours, size_t n, uint8_t *out,
    size_t cap)
{
	struct wr	 w;
	size_t		 i;

	wr_init(&w, out, cap);
	for (i = 0; i < n; i++)
		wr_be16(&w, (uint16_t)ours[i]);
	if (w.bad || w.len > INT32_MAX)
		return CRYPTO_ESPACE;
	return (int)w.len;
}

int
auth_hash_pick(const enum ike_hash *ours, size_t n, const uint8_t *notify,
    size_t len)
{
	struct rd	 r;
	size_t		 i;

	if (len % 2 != 0)
		return CRYPTO_ELENGTH;
	for (i = 0; i < n; i++) {
		rd_init(&r, notify, len);
		while (r.left >= 2)
			if (rd_be16(&r) == (uint16_t)ours[i])
				return (int)ours[i];
	}
	return 0;
}
