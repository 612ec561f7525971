/*
 * ikev2d/ike_proposal.h -- proposal selection (RFC 7296 2.7, 3.3).
 *
 * Pure functions over configured proposals (struct ike_cfg_prop, filled by
 * the config loader) and decoded SA payloads (ike_msg.h):
 *
 *  responder  ike_proposal_select()      peer's SA payload -> ike_chosen
 *             ike_proposal_encode_chosen() the one-proposal reply SA body
 *  initiator  ike_proposal_encode()       our SA body, proposals 1..n
 *             ike_proposal_check_reply()  the reply must be exactly one
 *                                         proposal, a subset of our offer
 *
 * Preference.  RFC 7296 2.7 lets the responder pick any acceptable
 * proposal.  Tandem prefers ITS OWN order, as strongSwan does by default:
 * our proposals are tried in configured order, each against the peer's
 * proposals in the peer's order, and within a proposal each transform type
 * takes our most preferred algorithm the peer offered.  Why: the operator,
 * not the remote side, decides which suite a tunnel runs when several are
 * acceptable; the result does not change with the peer's ordering (two
 * nodes of a cluster, or a re-negotiation after takeover, pick the same
 * suite); and a peer cannot steer us to the weakest suite we tolerate.
 *
 * Rules applied (RFC 7296 3.3.2-3.3.6, RFC 5282 8, RFC 7634 2):
 *  - a proposal with a transform type we do not know, or a type that does
 *    not belong to its protocol (PRF in ESP, ESN in IKE, ENCR in AH), is
 *    rejected as a whole; a transform with an attribute we do not know is
 *    rejected alone;
 *  - AES (CBC, CTR, GCM, CCM) requires the Key Length attribute and it must
 *    equal the configured one; ChaCha20-Poly1305, 3DES and NULL must not
 *    carry it;
 *  - with an AEAD cipher, INTEG must be absent or NONE (then NONE is echoed);
 *    a non-AEAD cipher needs an INTEG other than NONE;
 *  - IKE needs ENCR, PRF, KE (and INTEG unless AEAD); ESP needs ENCR; AH
 *    needs INTEG.  For ESP/AH, a missing KE is acceptable when we allow no
 *    PFS (no KE configured, or IKE_KE_NONE listed); a missing ESN when we
 *    accept IKE_ESN_NO;
 *  - SPIs: ESP/AH 4 bytes (captured), IKE 0 or 8 (captured; which one an
 *    exchange needs is the caller's check).
 */
#ifndef IKEV2D_IKE_PROPOSAL_H
#define IKEV2D_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/wire.h"
#include "ike_const.h"
#include "ike_msg.h"

#define IKE_CFG_MAX_ALGS	8	/* algorithms per type per proposal */
#define IKE_CFG_MAX_PROPS	16	/* proposals per SA we offer */

struct ike_cfg_encr {
	uint16_t	 id;		/* enum ike_encr */
	uint16_t	 keylen;	/* bits: 128/192/256 for AES; 0 for
					   ChaCha20-Poly1305, 3DES, NULL */
};

/* One configured proposal, most preferred algorithm first in each list. */
struct ike_cfg_prop {
	uint8_t		 proto;		/* enum ike_proto */
	uint8_t		 nencr;
	uint8_t		 nprf;		/* IKE only */
	uint8_t		 ninteg;	/* empty for AEAD-only proposals */
	uint8_t		 nke;		/* IKE: required; ESP/AH: PFS groups,
					   empty or IKE_KE_NONE = no PFS ok */
	uint8_t		 nesn;		/* ESP/AH; empty means { IKE_ESN_NO } */
	struct ike_cfg_encr encr[IKE_CFG_MAX_ALGS];
	uint16_t	 prf[IKE_CFG_MAX_ALGS];
	uint16_t	 integ[IKE_CFG_MAX_ALGS];
	uint16_t	 ke[IKE_CFG_MAX_ALGS];
	uint16_t	 esn[2];
};

/* The negotiated suite: at most one transform of each type. */
struct ike_chosen {
	uint8_t		 num;		/* proposal number: the peer's, or
					   ours in a checked reply */
	uint8_t		 proto;
	uint8_t		 spi_size;
	uint8_t		 spi[IKE_SPI_MAX];	/* the peer's SPI */
	size_t		 cfg;		/* index of our proposal that matched */
	bool		 has_encr, has_prf, has_integ, has_ke, has_esn;
	uint16_t	 encr, encr_keylen, prf, integ, ke, esn;
};

/* Flags */
#define IKE_SEL_NO_KE	0x1	/* IKE_AUTH's Child SA: no KE negotiated
				   (RFC 7296 1.2); peer KE transforms are
				   ignored, none is offered or echoed */

/*
 * Responder: choose from the peer's (decoded) SA payload the proposals of
 * protocol `proto`.  A request's proposals must be numbered from 1
 * (IKE_E_PROP_NUM otherwise).  Returns 0 and *out, or IKE_E_NO_PROPOSAL
 * (answer NO_PROPOSAL_CHOSEN).
 */
int	 ike_proposal_select(const struct ike_cfg_prop *ours, size_t n,
	    const struct ike_sa_pld *peer, uint8_t proto, unsigned int flags,
	    struct ike_chosen *out);

/* The reply's SA body: one proposal, the peer's number, our SPI. */
int	 ike_proposal_encode_chosen(struct wr *w, const struct ike_chosen *c,
	    const uint8_t *spi, uint8_t spi_size);

/* Our proposal i (0-based) as the wire struct, numbered num. */
int	 ike_proposal_prop(const struct ike_cfg_prop *c, uint8_t num,
	    const uint8_t *spi, uint8_t spi_size, unsigned int flags,
	    struct ike_prop *out);

/*
 * Initiator: our SA body with proposals numbered 1..n, each with the same
 * SPI (0 bytes for IKE_SA_INIT, 8 for an IKE rekey, 4 for ESP/AH).
 */
int	 ike_proposal_encode(struct wr *w, const struct ike_cfg_prop *ours,
	    size_t n, const uint8_t *spi, uint8_t spi_size, unsigned int flags);

/*
 * Initiator: the responder's SA must hold exactly one proposal
 * (IKE_E_REPLY_COUNT), numbered as one of ours, of our protocol, with
 * exactly one transform of each type we offered in it, each one we
 * offered (IKE_E_REPLY_MISMATCH).  Fills *out (num is our number).
 */
int	 ike_proposal_check_reply(const struct ike_cfg_prop *ours, size_t n,
	    const struct ike_sa_pld *reply, uint8_t proto, unsigned int flags,
	    struct ike_chosen *out);

/* The chosen SPI as a 32-bit value (ESP/AH), 0 otherwise. */
uint32_t ike_chosen_spi32(const struct ike_chosen *c);

/* Algorithm facts the rules above use. */
bool	 ike_encr_is_aead(uint16_t encr);
/* 1: Key Length attribute required, 0: forbidden, -1: not known. */
int	 ike_encr_needs_keylen(uint16_t encr);

#endif /* IKEV2D_IKE_PROPOSAL_H */
