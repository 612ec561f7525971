/*
 * ikev2d/auth.h -- the AUTH payload's data (RFC 7296 2.15, RFC 7427).
 *
 * Signed octets (RFC 7296 2.15), for the initiator
 *     RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload)
 * and for the responder
 *     RealMessage2 | NonceIData | prf(SK_pr, RestOfRespIDPayload)
 * where RealMessage is the IKE_SA_INIT message the side sent (as sent,
 * header first), the nonce is the *peer's* Nonce payload data and
 * RestOf...IDPayload is the ID payload after its generic header (ID Type,
 * RESERVED, identification data).
 *
 * PSK (method 2):  AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"),
 *                             <signed octets>)
 * Digital signature (method 14, RFC 7427 3):
 *     AUTH data = ASN.1 length (1 octet) | AlgorithmIdentifier (DER)
 *                 | signature value
 * with RSASSA-PKCS1-v1_5 or ECDSA (DER Ecdsa-Sig-Value) over SHA2-256,
 * SHA2-384 or SHA2-512; the AlgorithmIdentifier blobs are RFC 7427
 * Appendix A's.  RSASSA-PSS and EdDSA are not offered yet.
 *
 * Pure functions of their arguments, no logging.  Return values: a length
 * or 0 on success, else a negative enum crypto_err; CRYPTO_EAUTH means
 * "authentication failed" (AUTHENTICATION_FAILED) and is returned for
 * every mismatch alike.
 */
#ifndef IKEV2D_AUTH_H
#define IKEV2D_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tandem/secbuf.h"
#include "crypto.h"
#include "ike_const.h"

/* --- signed octets ------------------------------------------------------ */

size_t	 auth_octets_len(enum ike_prf prf, size_t msglen, size_t nonce_len);

/*
 * Write the signed octets into out (cap >= auth_octets_len()).  sk_p is
 * SK_pi for the initiator's octets, SK_pr for the responder's.  Returns
 * the length.
 */
int	 auth_octets(enum ike_prf prf, const struct secbuf *sk_p,
	    const uint8_t *msg, size_t msglen, const uint8_t *nonce,
	    size_t nonce_len, const uint8_t *id_rest, size_t id_rest_len,
	    uint8_t *out, size_t cap);

/* --- shared key (method 2) ----------------------------------------------- */

/* out gets prf_len(prf) bytes.  An empty PSK is refused (CRYPTO_ELENGTH). */
int	 auth_psk(enum ike_prf prf, const struct secbuf *psk,
	    const uint8_t *octets, size_t len, uint8_t *out);
/* Recompute and compare in constant time: 0 or CRYPTO_EAUTH. */
int	 auth_psk_verify(enum ike_prf prf, const struct secbuf *psk,
	    const uint8_t *octets, size_t len, const uint8_t *auth,
	    size_t auth_len);

/* --- digital signature (method 14, RFC 7427) --------------------------- */

/* Upper bound of the AUTH data auth_sig_sign() writes with key. */
size_t	 auth_sig_max_len(EVP_PKEY *key);

/*
 * Sign octets with key (RSA: PKCS#1 v1.5; EC: ECDSA) and hash
 * (IKE_HASH_SHA2_256/384/512), writing the RFC 7427 AUTH data to out.
 * Returns its length, CRYPTO_EUNSUPPORTED for another key type or hash,
 * CRYPTO_ESPACE if cap is too small.  The key is borrowed.
 */
int	 auth_sig_sign(EVP_PKEY *key, enum ike_hash hash, const uint8_t *octets,
	    size_t len, uint8_t *out, size_t cap);

/*
 * Verify RFC 7427 AUTH data against octets with the public key of the
 * peer's certificate (borrowed; its chain is checked elsewhere).  The
 * AlgorithmIdentifier must be one of ours, match the key type, and use a
 * hash in allowed[0..nallowed) (allowed NULL: any of ours).  On success
 * *hash (if not NULL) says which hash the peer used.  Returns 0,
 * CRYPTO_ELENGTH (cannot parse), CRYPTO_EUNSUPPORTED (unknown algorithm or
 * hash not allowed) or CRYPTO_EAUTH.
 */
int	 auth_sig_verify(X509 *cert, const uint8_t *octets, size_t len,
	    const uint8_t *data, size_t dlen, const enum ike_hash *allowed,
	    size_t nallowed, enum ike_hash *hash);

/* --- SIGNATURE_HASH_ALGORITHMS (RFC 7427 4) ------------------------------- */

/* Notification data for our hashes: 2 octets each.  Returns the length. */
int	 auth_hash_encode(const enum ike_hash *ours, size_t n, uint8_t *out,
	    size_t cap);

/*
 * The first of our preferred hashes (in our order) that the peer's
 * notification data announces.  Returns it, 0 if none is shared, or
 * CRYPTO_ELENGTH if the data is not a whole number of 2-octet ids.
 * Unknown ids from the peer are ignored.
 */
int	 auth_hash_pick(const enum ike_hash *ours, size_t n,
	    const uint8_t *notify, size_t len);

#endif /* IKEV2D_AUTH_H */
