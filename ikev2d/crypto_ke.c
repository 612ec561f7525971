/*
 * ikev2d/crypto_ke.c -- IKEv2 key exchange over EVP_PKEY (see crypto.h).
 *
 * Groups: 14 (MODP 2048, RFC 3526; OpenSSL's named group "modp_2048"),
 * 19/20/21 (NIST P-256/384/521, RFC 5903), 31 (Curve25519) and 32
 * (Curve448) (RFC 8031, RFC 7748).
 *
 * Public-value validation (RFC 6989), done before any secret is touched:
 *   - every group: the exact length of its KE data (RFC 7296 3.4);
 *   - MODP: 1 < y < p-1.  RFC 3526 primes are safe primes, so this range
 *     check is all RFC 6989 2.2 asks (no subgroup exponentiation);
 *   - ECP: the point is decoded with the 0x04 prefix we add, so it cannot
 *     be the point at infinity, and OpenSSL's EC_POINT_oct2point refuses a
 *     point that is not on the curve (RFC 6989 2.3; test_crypto.c checks
 *     that it really does).  The NIST curves have cofactor 1, so a point on
 *     the curve is in the prime-order group;
 *   - X25519 / X448: any u-coordinate is accepted, but an all-zero shared
 *     secret (a small-order peer point) is refused, RFC 7748 6 / RFC 8031 2.
 * Because of that, OpenSSL's own (more expensive) peer validation in
 * EVP_PKEY_derive_set_peer is switched off: it would repeat these checks
 * with an extra scalar multiplication / modular exponentiation.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "tandem/util.h"
#include "crypto.h"

enum ke_kind {
	KE_MODP,
	KE_ECP,
	KE_ECX,
};

static const struct ke_desc {
	enum ike_ke	 group;
	enum ke_kind	 kind;
	const char	*alg;		/* EVP_PKEY key type */
	const char	*name;		/* group name, or NULL */
	int		 nid;		/* ECP: curve NID for ke_new_private */
	size_t		 pub_len;	/* KE payload data */
	size_t		 shared_len;	/* g^ir */
} ke_descs[] = {
	{ IKE_KE_MODP_2048, KE_MODP, "DH", "modp_2048", 0, 256, 256 },
	{ IKE_KE_ECP_256, KE_ECP, "EC", "P-256", NID_X9_62_prime256v1,
	    64, 32 },
	{ IKE_KE_ECP_384, KE_ECP, "EC", "P-384", NID_secp384r1, 96, 48 },
	{ IKE_KE_ECP_521, KE_ECP, "EC", "P-521", NID_secp521r1, 132, 66 },
	{ IKE_KE_CURVE25519, KE_ECX, "X25519", NULL, 0, 32, 32 },
	{ IKE_KE_CURVE448, KE_ECX, "X448", NULL, 0, 56, 56 },
};

struct ke {
	const struct ke_desc	*d;
	EVP_PKEY		*pkey;	/* our key pair; OpenSSL clears it */
	uint8_t			*pub;	/* d->pub_len bytes, not secret */
};

static const struct ke_desc *
ke_find(enum ike_ke group)
{
	size_t	 i;

	for (i = 0; i < nitems(ke_descs); i++)
		if (ke_descs[i].group == group)
			return &ke_descs[i];
	return NULL;
}

bool
ke_supported(enum ike_ke group)
{
	return ke_find(group) != NULL;
}

size_t
ke_public_len(enum ike_ke group)
{
	const struct ke_desc	*d = ke_find(group);

	return d != NULL ? d->pub_len : 0;
}

size_t
ke_shared_len(enum ike_ke group)
{
	const struct ke_desc	*d = ke_find(group);

	return d != NULL ? d->shared_len : 0;
}

enum ike_ke
ke_group(const struct ke *k)
{
	return k->d->group;
}

const uint8_t *
ke_public(const struct ke *k, size_t *lenp)
{
	*lenp = k->d->pub_len;
	return k->pub;
}

void
ke_free(struct ke *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k->pub);
	free(k);
}

/*
 * Cache our public value in IKE form.  OpenSSL's encoded public key is
 * the DH y padded to the prime length, 0x04 | x | y for EC, and the raw
 * u-coordinate for X25519/X448.
 */
static int
ke_export(struct ke *k)
{
	unsigned char	*enc = NULL;
	size_t		 n, skip = 0;
	int		 ret = -1;

	n = EVP_PKEY_get1_encoded_public_key(k->pkey, &enc);
	if (n == 0 || enc == NULL)
		goto done;
	if (k->d->kind == KE_ECP) {
		if (n != k->d->pub_len + 1 || enc[0] != 0x04)
			goto done;
		skip = 1;
	} else if (n != k->d->pub_len)
		goto done;
	if ((k->pub = malloc(k->d->pub_len)) == NULL)
		goto done;
	memcpy(k->pub, enc + skip, k->d->pub_len);
	ret = 0;
 done:
	OPENSSL_free(enc);
	return ret;
}

struct ke *
ke_new(enum ike_ke group)
{
	const struct ke_desc	*d;
	EVP_PKEY_CTX		*ctx = NULL;
	struct ke		*k = NULL;
	int			 ok = 0;

	if ((d = ke_find(group)) == NULL)
		return NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->d = d;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, d->alg, NULL)) == NULL)
		goto done;
	if (EVP_PKEY_keygen_init(ctx) <= 0)
		goto done;
	if (d->name != NULL && EVP_PKEY_CTX_set_group_name(ctx, d->name) <= 0)
		goto done;
	if (EVP_PKEY_keygen(ctx, &k->pkey) <= 0)
		goto done;
	if (ke_export(k) != 0)
		goto done;
	ok = 1;
 done:
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		ke_free(k);
		k = NULL;
	}
	return k;
}

/*
 * ECP public key 0x04 | x | y for the scalar priv (OpenSSL 3.0's
 * EVP_PKEY_fromdata does not derive it from the private key).
 */
static int
ecp_pub_from_priv(const struct ke_desc *d, const BIGNUM *priv, uint8_t *out,
    size_t cap)
{
	EC_GROUP	*g = NULL;
	EC_POINT	*pt = NULL;
	int		 ret = -1;

	if ((g = EC_GROUP_new_by_curve_name(d->nid)) == NULL)
		goto done;
	if ((pt = EC_POINT_new(g)) == NULL)
		goto done;
	if (!EC_POINT_mul(g, pt, priv, NULL, NULL, NULL))
		goto done;
	if (EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, out, cap,
	    NULL) != d->pub_len + 1)
		goto done;
	ret = 0;
 done:
	EC_POINT_free(pt);
	EC_GROUP_free(g);
	return ret;
}

static EVP_PKEY *
ecp_from_private(const struct ke_desc *d, const uint8_t *priv, size_t len)
{
	OSSL_PARAM_BLD	*bld = NULL;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	EVP_PKEY	*pkey = NULL;
	BIGNUM		*bn = NULL;
	uint8_t		 pub[1 + 132];

	if (len != d->shared_len)	/* the field length */
		return NULL;
	if ((bn = BN_secure_new()) == NULL || BN_bin2bn(priv, (int)len,
	    bn) == NULL)
		goto done;
	if (ecp_pub_from_priv(d, bn, pub, sizeof(pub)) != 0)
		goto done;
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		goto done;
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    d->name, 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, d->pub_len + 1))
		goto done;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto done;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, d->alg, NULL)) == NULL)
		goto done;
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0)
		pkey = NULL;
 done:
	EVP_PKEY_CTX_free(ctx);
	/* The scalar came from a secure BIGNUM, so OSSL_PARAM_BLD put it in
	 * the "secure" block, which OSSL_PARAM_free() clears. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(bn);
	return pkey;
}

struct ke *
ke_new_private(enum ike_ke group, const uint8_t *priv, size_t len)
{
	const struct ke_desc	*d;
	struct ke		*k = NULL;
	int			 ok = 0;

	if ((d = ke_find(group)) == NULL || d->kind == KE_MODP)
		return NULL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->d = d;
	if (d->kind == KE_ECX)
		k->pkey = EVP_PKEY_new_raw_private_key_ex(NULL, d->alg, NULL,
		    priv, len);
	else
		k->pkey = ecp_from_private(d, priv, len);
	if (k->pkey == NULL)
		goto done;
	if (ke_export(k) != 0)
		goto done;
	ok = 1;
 done:
	if (!ok) {
		ke_free(k);
		k = NULL;
	}
	return k;
}

/* RFC 6989 2.2 for a safe prime: 1 < y < p-1. */
static int
modp_check(const struct ke *k, const uint8_t *y, size_t len)
{
	BIGNUM	*p = NULL, *v = NULL;
	int	 ret = CRYPTO_EINTERNAL;

	if (!EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_FFC_P, &p))
		goto done;
	if ((v = BN_bin2bn(y, (int)len, NULL)) == NULL)
		goto done;
	if (!BN_sub_word(p, 1))
		goto done;
	if (BN_is_zero(v) || BN_is_one(v) || BN_cmp(v, p) >= 0)
		ret = CRYPTO_EINVALID;
	else
		ret = CRYPTO_OK;
 done:
	BN_free(v);
	BN_free(p);
	return ret;
}

/* The peer's public value as an EVP_PKEY of our group, or an error. */
static int
ke_peer(const struct ke *k, const uint8_t *peer, size_t len, EVP_PKEY **out)
{
	EVP_PKEY	*pk = NULL;
	uint8_t		 enc[1 + 132];
	int		 r;

	*out = NULL;
	switch (k->d->kind) {
	case KE_MODP:
		if ((r = modp_check(k, peer, len)) != CRYPTO_OK)
			return r;
		/* FALLTHROUGH */
	case KE_ECP:
		if ((pk = EVP_PKEY_new()) == NULL)
			return CRYPTO_EINTERNAL;
		if (!EVP_PKEY_copy_parameters(pk, k->pkey)) {
			EVP_PKEY_free(pk);
			return CRYPTO_EINTERNAL;
		}
		if (k->d->kind == KE_ECP) {
			/* RFC 5903 7: x | y; OpenSSL wants SEC1 0x04 | x | y */
			enc[0] = 0x04;
			memcpy(enc + 1, peer, len);
			r = EVP_PKEY_set1_encoded_public_key(pk, enc, len + 1);
		} else
			r = EVP_PKEY_set1_encoded_public_key(pk, peer, len);
		if (r != 1) {
			/* not on the curve / out of range */
			EVP_PKEY_free(pk);
			return CRYPTO_EINVALID;
		}
		break;
	case KE_ECX:
		pk = EVP_PKEY_new_raw_public_key_ex(NULL, k->d->alg, NULL, peer,
		    len);
		if (pk == NULL)
			return CRYPTO_EINTERNAL;
		break;
	}
	*out = pk;
	return CRYPTO_OK;
}

int
ke_shared(struct ke *k, const uint8_t *peer, size_t len, struct secbuf **out)
{
	EVP_PKEY_CTX	*ctx = NULL;
	EVP_PKEY	*pk = NULL;
	struct secbuf	*s = NULL;
	size_t		 n, want = k->d->shared_len, i;
	uint8_t		 acc;
	int		 ret = CRYPTO_EINTERNAL;

	*out = NULL;
	if (peer == NULL || len != k->d->pub_len) {
		ret = CRYPTO_ELENGTH;
		goto done;
	}
	if ((ret = ke_peer(k, peer, len, &pk)) != CRYPTO_OK)
		goto done;
	ret = CRYPTO_EINTERNAL;
	if ((s = secbuf_new(want)) == NULL)
		goto done;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL)) == NULL)
		goto done;
	if (EVP_PKEY_derive_init(ctx) <= 0)
		goto done;
	/* Validated above (see the head of this file). */
	if (EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) <= 0)
		goto done;
	n = want;
	if (EVP_PKEY_derive(ctx, s->data, &n) <= 0) {
		/*
		 * OpenSSL's X25519/X448 refuse an all-zero result themselves;
		 * the input was well-formed, so the peer's point is at fault.
		 */
		if (k->d->kind == KE_ECX)
			ret = CRYPTO_EINVALID;
		goto done;
	}
	if (n > want)
		goto done;
	if (n < want) {
		/* RFC 7296 2.14: left-pad to the length of the modulus. */
		memmove(s->data + (want - n), s->data, n);
		memset(s->data, 0, want - n);
	}
	if (k->d->kind == KE_ECX) {
		/* RFC 7748 6: refuse the all-zero output, in constant time. */
		for (acc = 0, i = 0; i < want; i++)
			acc |= s->data[i];
		if (acc == 0) {
			ret = CRYPTO_EINVALID;
			goto done;
		}
	}
	*out = s;
	s = NULL;
	ret = CRYPTO_OK;
 done:
	secbuf_free(s);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ret;
}
