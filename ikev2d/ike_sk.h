/*
 * ikev2d/ike_sk.h -- the Encrypted (SK) and Encrypted Fragment (SKF)
 * payloads: protect, unprotect and fragment reassembly.  Pure: raw message
 * bytes in, caller buffers out; no dependency on the wire codec.
 *
 * SK payload (RFC 7296 3.14), SKF (RFC 7383 2.5):
 *
 *   generic header  next payload | C | RESERVED | payload length   4
 *   [SKF only]      Fragment Number | Total Fragments              4
 *   IV                                                    suite->iv_len
 *   encrypted       inner payloads | padding | pad length
 *   ICV / tag                                            suite->icv_len
 *
 * AES-CBC: the ICV is the truncated HMAC (SK_a*) of the message from the
 * first byte of the IKE header to the last byte of the ciphertext.  AEAD
 * (RFC 5282 5.1, RFC 7634 3): the AAD is the message from the IKE header
 * through the end of the SK generic header -- for SKF including Fragment
 * Number and Total Fragments -- and the tag is the ICV.  The SK (SKF)
 * payload must be the last payload of the message (RFC 7296 3.14).
 *
 * Errors (enum crypto_err): CRYPTO_ELENGTH when the public framing is
 * wrong (lengths that do not add up, IV/ICV do not fit, CBC data not a
 * whole number of blocks: answer INVALID_SYNTAX); CRYPTO_EAUTH for a bad
 * ICV *or* bad padding -- deliberately one code, and the ICV is checked
 * before anything is decrypted, so padding is never an oracle;
 * CRYPTO_ESPACE when the caller's buffer is too small; CRYPTO_EINTERNAL.
 */
#ifndef IKEV2D_IKE_SK_H
#define IKEV2D_IKE_SK_H

#include <stddef.h>
#include <stdint.h>

#include "tandem/secbuf.h"
#include "crypto.h"
#include "ike_const.h"

/* SKF generic header + Fragment Number + Total Fragments (RFC 7383 2.5) */
#define IKE_SK_FRAG_HDR_LEN	8

/* The keys of one direction: SK_ei/SK_ai or SK_er/SK_ar.  Borrowed. */
struct ike_sk_keys {
	const struct crypto_suite	*suite;
	const struct secbuf		*ekey;	/* suite->ekey_len bytes */
	const struct secbuf		*akey;	/* NULL for an AEAD suite */
};

/* SKF fields (RFC 7383 2.5); both 1-based, num <= total. */
struct ike_skf {
	uint16_t	 num;
	uint16_t	 total;
};

/* The result of ike_sk_unprotect(). */
struct ike_sk_plain {
	const uint8_t	*p;		/* inner payloads, inside out */
	size_t		 len;
	uint8_t		 first;		/* SK/SKF Next Payload field */
	struct ike_skf	 frag;		/* { 0, 0 } for SK */
};

/* Bytes the SK/SKF payload takes for inner_len bytes of inner payloads. */
size_t	 ike_sk_len(const struct crypto_suite *s, int skf, size_t inner_len);

/*
 * Verify and decrypt the SK (type IKE_PLD_SK) or SKF (IKE_PLD_SKF)
 * payload whose generic header is at msg + sk_off.  msg is the whole IKE
 * message (header first, msglen bytes; the header's Length field must say
 * msglen).  The plaintext goes to out (outcap bytes: the ciphertext length
 * is always enough, msglen is); *res points into out.  Nothing is written
 * to *res unless 0 is returned, and out is wiped on failure.
 */
int	 ike_sk_unprotect(const uint8_t *msg, size_t msglen, size_t sk_off,
	    enum ike_pld type, const struct ike_sk_keys *k, uint8_t *out,
	    size_t outcap, struct ike_sk_plain *res);

/*
 * Append an SK payload -- or an SKF payload when skf is not NULL -- to the
 * message in buf, whose first off bytes already hold the IKE header and
 * any unencrypted payloads before it.  The caller has set the Next
 * Payload field that points at this payload (IKE_PLD_SK / IKE_PLD_SKF);
 * first is the type of the first inner payload (RFC 7383 2.5: 0 in
 * non-first fragments).  inner (inner_len bytes) is encrypted with a
 * random IV (RAND_bytes), or with iv (suite->iv_len bytes) if not NULL --
 * for known-answer tests only.  The IKE header's Length field and the
 * payload length are set.  AES-CBC pads to the block size with zero bytes;
 * AEAD suites add no padding (pad length 0).  Returns the new message
 * length, or a negative crypto_err (CRYPTO_ESPACE: cap too small, or the
 * payload would exceed 65535 bytes).
 */
int	 ike_sk_protect(uint8_t *buf, size_t cap, size_t off,
	    const struct ike_skf *skf, uint8_t first, const uint8_t *inner,
	    size_t inner_len, const struct ike_sk_keys *k, const uint8_t *iv);

/* --- RFC 7383 reassembly ------------------------------------------------- */

#define IKE_FRAG_MAX		64	/* fragments of one message */
#define IKE_FRAG_BYTES_MAX	65535	/* default cap, reassembled bytes */

/*
 * Reassembly of one fragmented message (one message ID, one direction).
 * Bounded: at most IKE_FRAG_MAX fragments and max_bytes bytes of
 * decrypted inner payloads.  Fragments are the *decrypted* SKF contents
 * (ike_sk_unprotect() results), so every fragment here was authenticated.
 * Fragments are held in memory the struct owns; ike_frag_fini() wipes and
 * frees them.
 */
struct ike_frag {
	uint16_t	 total;		/* 0 until the first fragment */
	uint16_t	 held;		/* distinct fragments held */
	uint8_t		 first;		/* Next Payload of fragment 1 */
	size_t		 bytes;		/* sum of held fragment lengths */
	size_t		 max_bytes;
	uint8_t		*part[IKE_FRAG_MAX];
	size_t		 part_len[IKE_FRAG_MAX];
};

enum ike_frag_res {
	IKE_FRAG_MORE		= 0,	/* held; waiting for others */
	IKE_FRAG_DONE		= 1,	/* all fragments held: take it */
	IKE_FRAG_DUP		= 2,	/* already held; ignored */
	IKE_FRAG_EINVAL		= -20,	/* num/total out of range */
	IKE_FRAG_ESTALE		= -21,	/* total below the current one */
	IKE_FRAG_ECAP		= -22,	/* would exceed max_bytes */
	IKE_FRAG_ENOMEM		= -23,
};

const char	*ike_frag_res_name(int res);

/* max_bytes 0 means IKE_FRAG_BYTES_MAX. */
void	 ike_frag_init(struct ike_frag *f, size_t max_bytes);
/* Wipe and free every fragment; f is empty (and reusable) after. */
void	 ike_frag_fini(struct ike_frag *f);

/*
 * Add one decrypted fragment (pl from ike_sk_unprotect() of an SKF).
 * Any order.  A duplicate number is ignored (IKE_FRAG_DUP).  A larger
 * Total Fragments than before means the sender re-fragmented the message
 * (RFC 7383 2.6.1, e.g. after a PMTU change): what was held is dropped and
 * reassembly restarts with this fragment.  A smaller one is refused
 * (IKE_FRAG_ESTALE), as is anything over the caps (IKE_FRAG_ECAP, and the
 * held fragments are kept).
 */
int	 ike_frag_add(struct ike_frag *f, const struct ike_sk_plain *pl);

/* Reassembled length once ike_frag_add() said IKE_FRAG_DONE, else 0. */
size_t	 ike_frag_len(const struct ike_frag *f);

/*
 * Copy the concatenated inner payloads to out (cap bytes) and the first
 * payload type to *first, then empty f.  Returns the length, or
 * IKE_FRAG_EINVAL if not complete, CRYPTO_ESPACE if cap is too small (f
 * unchanged).
 */
int	 ike_frag_take(struct ike_frag *f, uint8_t *out, size_t cap,
	    uint8_t *first);

#endif /* IKEV2D_IKE_SK_H */
