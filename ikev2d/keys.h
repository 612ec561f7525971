/*
 * ikev2d/keys.h -- IKEv2 key derivation (RFC 7296 2.13-2.18), pure.
 *
 *   SKEYSEED = prf(Ni | Nr, g^ir)                                   (2.14)
 *   {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *            = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)                (2.14)
 *   KEYMAT   = prf+(SK_d, Ni | Nr)                  Child SA        (2.17)
 *   KEYMAT   = prf+(SK_d, g^ir (new) | Ni | Nr)     Child SA, PFS   (2.17)
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)  IKE SA rekey  (2.18)
 *
 * Lengths come from the negotiated struct crypto_suite: SK_e* include the
 * AEAD salt (RFC 5282 7.1, RFC 7634 2) and SK_a* are empty for AEAD; SK_d
 * and SK_p* are prf_len bytes.  AES-XCBC / AES-CMAC PRFs, whose SKEYSEED
 * key handling differs, are not supported.
 *
 * Ownership: every secbuf written into a struct ike_keys / child_keys is
 * owned by that struct and released, wiped, by ike_keys_free() /
 * child_keys_free().  On failure the output struct is left all NULL.
 * Nonces and SPIs are public and borrowed.  Return values: 0 or a
 * negative enum crypto_err (crypto.h).
 */
#ifndef IKEV2D_KEYS_H
#define IKEV2D_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "tandem/secbuf.h"
#include "crypto.h"

/* Ni and Nr as received (the Nonce payloads' data), borrowed. */
struct ike_nonces {
	const uint8_t	*ni;
	size_t		 ni_len;
	const uint8_t	*nr;
	size_t		 nr_len;
};

struct ike_keys {
	struct secbuf	*sk_d;
	struct secbuf	*sk_ai;		/* NULL for an AEAD suite */
	struct secbuf	*sk_ar;
	struct secbuf	*sk_ei;		/* cipher key | salt */
	struct secbuf	*sk_er;
	struct secbuf	*sk_pi;
	struct secbuf	*sk_pr;
};

/* ESP keys of one Child SA, in RFC 7296 2.17 order. */
struct child_keys {
	struct secbuf	*encr_i;	/* initiator -> responder, | salt */
	struct secbuf	*integ_i;	/* NULL for AEAD */
	struct secbuf	*encr_r;	/* responder -> initiator */
	struct secbuf	*integ_r;
};

/* SKEYSEED = prf(Ni | Nr, g^ir); *out is a new secbuf. */
int	 keys_skeyseed(enum ike_prf prf, const struct ike_nonces *n,
	    const struct secbuf *gir, struct secbuf **out);

/*
 * SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), with the PRF of the
 * IKE SA being rekeyed (old_prf), as strongSwan, libreswan and iked do.
 * Ni, Nr are the CREATE_CHILD_SA nonces.
 */
int	 keys_skeyseed_rekey(enum ike_prf old_prf, const struct secbuf *sk_d,
	    const struct secbuf *gir, const struct ike_nonces *n,
	    struct secbuf **out);

/* Total prf+ output the seven SK_* of suite s take. */
size_t	 keys_ike_len(const struct crypto_suite *s);

/*
 * The seven SK_* from SKEYSEED with s->prf.  spi_i and spi_r are the
 * 8-byte IKE SPIs of the new SA.
 */
int	 keys_ike_derive(const struct crypto_suite *s,
	    const struct secbuf *skeyseed, const struct ike_nonces *n,
	    const uint8_t spi_i[8], const uint8_t spi_r[8],
	    struct ike_keys *out);

/* keys_skeyseed() then keys_ike_derive(): the IKE_SA_INIT case. */
int	 keys_ike(const struct crypto_suite *s, const struct secbuf *gir,
	    const struct ike_nonces *n, const uint8_t spi_i[8],
	    const uint8_t spi_r[8], struct ike_keys *out);

/*
 * The rekeyed IKE SA's keys: keys_skeyseed_rekey() with old_prf and the
 * old SK_d, then keys_ike_derive() with the new suite s and new SPIs.
 */
int	 keys_ike_rekey(const struct crypto_suite *s, enum ike_prf old_prf,
	    const struct secbuf *old_sk_d, const struct secbuf *gir,
	    const struct ike_nonces *n, const uint8_t spi_i[8],
	    const uint8_t spi_r[8], struct ike_keys *out);

/* Wipe and free every key; the struct is zeroed.  NULL-safe. */
void	 ike_keys_free(struct ike_keys *k);

/* Total KEYMAT one Child SA with ESP suite esp takes. */
size_t	 keys_child_len(const struct crypto_suite *esp);

/*
 * Child SA KEYMAT with the IKE SA's prf and SK_d; gir is the PFS shared
 * secret of a CREATE_CHILD_SA with a KE payload, or NULL.  esp gives the
 * ESP encryption key (with salt) and integrity key lengths.
 */
int	 keys_child(enum ike_prf prf, const struct secbuf *sk_d,
	    const struct secbuf *gir, const struct ike_nonces *n,
	    const struct crypto_suite *esp, struct child_keys *out);

void	 child_keys_free(struct child_keys *k);

#endif /* IKEV2D_KEYS_H */
