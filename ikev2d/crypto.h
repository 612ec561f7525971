/*
 * ikev2d/crypto.h -- the IKEv2 crypto suite over OpenSSL 3 (EVP only).
 *
 * What is here:
 *   - struct crypto_suite: one negotiated ENCR/INTEG/PRF/KE combination
 *     with every size the key derivation and the SK payload need;
 *   - PRF (HMAC-SHA1 / SHA2-256/384/512) and prf+ (RFC 7296 2.13);
 *   - the ciphers of the SK payload: AES-GCM-16 (RFC 5282/4106 nonce),
 *     ChaCha20-Poly1305 (RFC 7634) and AES-CBC with a truncated HMAC ICV
 *     (RFC 3602, RFC 4868);
 *   - key exchange (crypto_ke.c): MODP 2048 (RFC 3526), ECP 256/384/521
 *     (RFC 5903), Curve25519 / Curve448 (RFC 8031, RFC 7748), with
 *     public-value validation for every group.
 *
 * Everything is a function of its arguments: no globals, no logging (the
 * core never logs), no state kept between calls except inside a struct ke.
 * Keys are passed as (pointer, length) at this level and stored by callers
 * in secbufs; every temporary copy of a key made here is wiped with
 * OPENSSL_cleanse before it is freed, on every path.
 *
 * Errors: functions return 0 (or a length) on success and a negative
 * enum crypto_err value on failure.  CRYPTO_EINTERNAL means OpenSSL
 * failed (out of memory, provider missing); the other codes describe the
 * input.
 */
#ifndef IKEV2D_CRYPTO_H
#define IKEV2D_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/secbuf.h"
#include "ike_const.h"

enum crypto_err {
	CRYPTO_OK		= 0,
	CRYPTO_EINTERNAL	= -1,	/* OpenSSL failed, or out of memory */
	CRYPTO_EUNSUPPORTED	= -2,	/* transform id / key length unknown */
	CRYPTO_ELENGTH		= -3,	/* an input has the wrong length */
	CRYPTO_EINVALID		= -4,	/* a peer's public value is invalid */
	CRYPTO_EAUTH		= -5,	/* ICV / tag / signature mismatch */
	CRYPTO_ESPACE		= -6,	/* the caller's buffer is too small */
};

const char	*crypto_err_name(int err);

/* Largest sizes, for buffers on the stack. */
#define CRYPTO_PRF_MAX		64	/* HMAC-SHA2-512 output */
#define CRYPTO_ICV_MAX		32	/* HMAC-SHA2-512-256; AEAD: 16 */
#define CRYPTO_IV_MAX		16	/* AES-CBC */
#define CRYPTO_EKEY_MAX		36	/* 32-byte key + 4-byte salt */
#define CRYPTO_AKEY_MAX		64	/* HMAC-SHA2-512-256 key */
#define CRYPTO_PRFPLUS_ITER_MAX	255	/* RFC 7296 2.13 */

/*
 * One negotiated combination of transforms, with every size derived from
 * them.  Plain data: copy it freely.  For an ESP (Child SA) suite `prf`
 * and `ke` are not used by keys_child() and may be left 0.
 */
struct crypto_suite {
	enum ike_encr	 encr;
	uint16_t	 encr_bits;	/* Key Length attribute, in bits */
	enum ike_integ	 integ;		/* IKE_INTEG_NONE for AEAD */
	enum ike_prf	 prf;
	enum ike_ke	 ke;		/* IKE_KE_NONE if not needed */
	bool		 aead;
	size_t		 ekey_len;	/* SK_e* bytes, salt included */
	size_t		 salt_len;	/* AEAD salt at the end of SK_e* */
	size_t		 akey_len;	/* SK_a* bytes; 0 for AEAD */
	size_t		 prf_len;	/* SK_d, SK_p* bytes = PRF output */
	size_t		 iv_len;	/* IV carried in the SK payload */
	size_t		 block_len;	/* padding unit of the cipher */
	size_t		 icv_len;	/* ICV / tag bytes at the end of SK */
	const char	*cipher_name;	/* OpenSSL names, fetched on use */
	const char	*integ_md;
	const char	*prf_md;
};

/*
 * Fill *s for the given transforms.  encr_bits is the Key Length attribute
 * (0 for ChaCha20-Poly1305, which has none).  integ must be
 * IKE_INTEG_NONE for an AEAD cipher and must not be for AES-CBC.  prf and
 * ke may be 0 (ESP suites).  Returns 0 or CRYPTO_EUNSUPPORTED.
 */
int	 crypto_suite_init(struct crypto_suite *s, enum ike_encr encr,
	    unsigned int encr_bits, enum ike_integ integ, enum ike_prf prf,
	    enum ike_ke ke);

/* A gather list: prf and MAC inputs are often several pieces. */
struct crypto_iov {
	const void	*p;
	size_t		 len;
};

/* --- PRF (RFC 7296 2.13) --------------------------------------------- */

/* PRF output length (= preferred key length), 0 if unsupported. */
size_t		 prf_len(enum ike_prf id);

/*
 * out = prf(key, iov[0] | iov[1] | ...); out must hold prf_len(id) bytes.
 * Returns the output length or a negative crypto_err.  key must not be
 * empty (HMAC keys in IKE never are: nonces, SK_* and PSKs).
 */
int		 prf_iov(enum ike_prf id, const void *key, size_t keylen,
		    const struct crypto_iov *iov, size_t niov, uint8_t *out);
int		 prf(enum ike_prf id, const void *key, size_t keylen,
		    const void *data, size_t datalen, uint8_t *out);

/*
 * prf+(key, seed) truncated to len bytes (RFC 7296 2.13): T1 = prf(K, S |
 * 0x01), Tn = prf(K, Tn-1 | S | n).  At most 255 iterations: a len above
 * 255 * prf_len(id) fails with CRYPTO_ELENGTH.  Returns a new secbuf the
 * caller owns, or NULL (then *err, if not NULL, says why).
 */
struct secbuf	*prf_plus(enum ike_prf id, const struct secbuf *key,
		    const struct secbuf *seed, size_t len, int *err);

/* --- ciphers for the SK payload ------------------------------------------ */

/*
 * AEAD (AES-GCM-16, ChaCha20-Poly1305).  key is SK_e* as derived: the
 * cipher key followed by the 4-byte salt (s->ekey_len bytes).  The nonce
 * is salt | iv (RFC 4106 4, RFC 5282 5, RFC 7634 2).  in and out may be
 * the same buffer.  seal writes s->icv_len tag bytes; open checks the tag
 * in constant time and returns CRYPTO_EAUTH (out wiped) on mismatch.
 */
int	 crypto_aead_seal(const struct crypto_suite *s, const uint8_t *key,
	    const uint8_t *iv, const uint8_t *aad, size_t aadlen,
	    const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag);
int	 crypto_aead_open(const struct crypto_suite *s, const uint8_t *key,
	    const uint8_t *iv, const uint8_t *aad, size_t aadlen,
	    const uint8_t *in, size_t len, const uint8_t *tag, uint8_t *out);

/*
 * AES-CBC without padding (IKE pads itself): len must be a multiple of
 * s->block_len.  key is s->ekey_len bytes, iv s->iv_len bytes.
 */
int	 crypto_cbc_encrypt(const struct crypto_suite *s, const uint8_t *key,
	    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out);
int	 crypto_cbc_decrypt(const struct crypto_suite *s, const uint8_t *key,
	    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out);

/*
 * The truncated HMAC ICV of the INTEG transform (RFC 4868 2.3):
 * icv = first s->icv_len bytes of HMAC(key, iov...).  key is
 * s->akey_len bytes.  integ_check compares with CRYPTO_memcmp and returns
 * 0 or CRYPTO_EAUTH.
 */
int	 crypto_integ(const struct crypto_suite *s, const uint8_t *key,
	    const struct crypto_iov *iov, size_t niov, uint8_t *icv);
int	 crypto_integ_check(const struct crypto_suite *s, const uint8_t *key,
	    const struct crypto_iov *iov, size_t niov, const uint8_t *icv);

/* --- key exchange (crypto_ke.c) ------------------------------------------ */

struct ke;	/* a key pair of one group; opaque, wiped by ke_free() */

bool		 ke_supported(enum ike_ke group);
/* Bytes of the KE payload's key exchange data, 0 if unsupported. */
size_t		 ke_public_len(enum ike_ke group);
/* Bytes of the shared secret g^ir, 0 if unsupported. */
size_t		 ke_shared_len(enum ike_ke group);

/* A fresh key pair (OpenSSL's RNG).  NULL if unsupported or on failure. */
struct ke	*ke_new(enum ike_ke group);
/*
 * A key pair from a fixed private key, for known-answer tests: ECP groups
 * take the big-endian scalar (field length bytes, RFC 5903 8), Curve25519
 * and Curve448 the raw RFC 7748 scalar.  MODP is not supported here.
 */
struct ke	*ke_new_private(enum ike_ke group, const uint8_t *priv,
		    size_t len);
enum ike_ke	 ke_group(const struct ke *);
/*
 * The key exchange data of our KE payload, borrowed: valid until
 * ke_free().  MODP: y, left-padded to the prime length (RFC 7296 3.4);
 * ECP: x | y without the 0x04 prefix (RFC 5903 7); ECX: the u-coordinate.
 */
const uint8_t	*ke_public(const struct ke *, size_t *lenp);
/*
 * g^ir from the peer's key exchange data.  The value is validated first:
 * exact length for every group; MODP: 1 < y < p-1; ECP: the point is on
 * the curve (and so not at infinity); ECX: the result is not all zero
 * (small-order points, RFC 7748 6).  Returns 0 and a new secbuf in *out
 * (caller owns it), CRYPTO_ELENGTH or CRYPTO_EINVALID for a bad peer value
 * (answer INVALID_SYNTAX / fail the exchange), or CRYPTO_EINTERNAL.
 * The shared secret is left-padded to ke_shared_len() (RFC 7296 2.14,
 * RFC 5903 7: the x coordinate).
 */
int		 ke_shared(struct ke *, const uint8_t *peer, size_t len,
		    struct secbuf **out);
/* Wipe and free (the private key is freed by OpenSSL, which clears it). */
void		 ke_free(struct ke *);

#endif /* IKEV2D_CRYPTO_H */
