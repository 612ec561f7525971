/*
 * ikev2d/ike_msg.h -- decoded IKEv2 messages and payloads (RFC 7296 3).
 *
 * The IKEv2 wire format is described once, here; ike_codec.c reads and
 * writes the IKE header and the payload chain, ike_pld*.c the payload
 * bodies.  Everything is pure: no allocation, no logging, no globals.
 *
 * Ownership: every `const uint8_t *` in a decoded struct points into the
 * buffer given to the decoder (borrowed; valid while that buffer is).
 * Encoders write into a caller-owned struct wr (include/tandem/wire.h).
 *
 * Nothing is allocated in proportion to peer input.  Lists are either fixed
 * arrays with the caps below (exceeding a cap is a precise error, never a
 * truncation), or are validated once and then walked with an iterator
 * (proposals and transforms: ike_pld_sa_decode() + ike_pld_sa_next()).
 *
 * Decode vs. verify (DESIGN P2).  The decoders check *syntax*: every length
 * against its buffer and its parent, counts against lengths, fixed sizes
 * (addresses, NAT hashes, nonces), numbering rules.  They do not check
 * *semantics* that depend on the exchange or on policy; ike_verify.c does:
 *  - which payloads an exchange must/may carry, and their order;
 *  - traffic selector ranges: start <= end for addresses and ports is NOT
 *    checked by ike_pld_ts_decode(), because RFC 4301 encodes OPAQUE ports
 *    as start 65535 / end 0 and an inverted range is legal syntax for
 *    "matches nothing"; use ike_ts_ordered() in verification;
 *  - KE data length versus the group, AUTH data versus the method;
 *  - whether an IKE proposal's SPI is 0 (IKE_SA_INIT) or 8 (rekey) bytes.
 *
 * Reserved fields are ignored on receipt and sent as zero (RFC 7296 3.2),
 * except that struct ike_pld_ref keeps the generic header's flags byte and
 * struct ike_hdr the header flags as received, so that ike_encode() of a
 * decoded message reproduces it byte for byte.
 *
 * Decisions:
 *  - the header's Length must equal the bytes received (3.1): a datagram
 *    cut short and one with trailing bytes are both IKE_E_LEN_MISMATCH,
 *    bytes after the last payload IKE_E_TRAILING;
 *  - major version > 2 is IKE_E_BAD_VERSION (answer INVALID_MAJOR_VERSION,
 *    2.5); < 2 is IKE_E_OLD_VERSION (IKEv1: drop); the minor is ignored;
 *  - an unknown payload with the critical bit fails the whole message
 *    (IKE_E_UNSUP_CRITICAL, the type in ike_chain.unsup_type for the
 *    notify data); without it, it is skipped and counted (3.2);
 *  - SK / SKF must reach the end of the message (3.14), else
 *    IKE_E_SK_NOT_LAST; inside a decrypted chain they are IKE_E_SK_NESTED;
 *  - SKF numbering (RFC 7383 2.5: 1 <= number <= total) is checked here;
 *    that fragments after the first carry Next Payload 0 is not (the
 *    reassembly takes the first fragment's);
 *  - a Notify's protocol is ignored when it has no SPI (3.10);
 *  - IPSEC_REPLAY_COUNTER_SYNC data is taken as a 4- or 8-octet delta.
 */
#ifndef IKEV2D_IKE_MSG_H
#define IKEV2D_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/wire.h"
#include "ike_const.h"

/*
 * Caps.  Each is far above what any IKEv2 implementation sends (strongSwan's
 * default IKE proposal carries ~25 transforms, a full IKE_AUTH ~12
 * payloads) and keeps every struct below a few kilobytes.
 */
#define IKE_MAX_PAYLOADS	64	/* per chain (outer, or decrypted) */
#define IKE_MAX_PROPOSALS	64	/* per SA payload */
#define IKE_MAX_XFORMS		64	/* per proposal */
#define IKE_MAX_ATTRS		16	/* per transform */
#define IKE_MAX_TS		16	/* selectors per TSi/TSr payload */
#define IKE_MAX_CP_ATTRS	32	/* attributes per CP payload */
#define IKE_MAX_HASH_ALGS	16	/* SIGNATURE_HASH_ALGORITHMS entries */
#define IKE_SPI_MAX		8	/* largest SPI (IKE); ESP/AH use 4 */

/*
 * Errors: 0 or one of these negative codes.  ike_err_name() names them;
 * ike_err_notify() gives the NOTIFY a responder may answer with.
 */
enum ike_err {
	IKE_OK			=   0,
	/* IKE header and payload chain (ike_codec.c) */
	IKE_E_SHORT_HDR		=  -1,	/* fewer than 28 bytes */
	IKE_E_LEN_MISMATCH	=  -2,	/* header length != bytes received */
	IKE_E_BAD_VERSION	=  -3,	/* major version > 2 (RFC 7296 2.5) */
	IKE_E_OLD_VERSION	=  -4,	/* major version < 2 (IKEv1): drop */
	IKE_E_PLD_SHORT		=  -5,	/* payload length < 4 */
	IKE_E_PLD_PAST_END	=  -6,	/* payload runs past the message */
	IKE_E_TRAILING		=  -7,	/* bytes after the last payload */
	IKE_E_CHAIN_TOO_LONG	=  -8,	/* more than IKE_MAX_PAYLOADS */
	IKE_E_UNSUP_CRITICAL	=  -9,	/* unknown payload, critical bit set */
	IKE_E_SK_NOT_LAST	= -10,	/* SK/SKF does not end the message */
	IKE_E_SK_NESTED		= -11,	/* SK/SKF inside an encrypted chain */
	IKE_E_BODY_SHORT	= -12,	/* body shorter than its fixed fields */
	/* SA payload: proposals, transforms, attributes */
	IKE_E_SA_EMPTY		= -13,	/* SA payload without a proposal */
	IKE_E_TOO_MANY_PROPOSALS = -14,
	IKE_E_PROP_LEN		= -15,	/* proposal length < 8 + SPI size */
	IKE_E_PROP_PAST_SA	= -16,	/* proposal runs past its SA payload */
	IKE_E_PROP_LAST		= -17,	/* "last" marker wrong (0 / 2) */
	IKE_E_PROP_NUM		= -18,	/* numbers not consecutive (3.3.1) */
	IKE_E_BAD_SPI_SIZE	= -19,	/* SPI size wrong for the protocol */
	IKE_E_NO_XFORMS		= -20,	/* proposal with 0 transforms */
	IKE_E_TOO_MANY_XFORMS	= -21,
	IKE_E_XFORM_LEN		= -22,	/* transform length < 8 */
	IKE_E_XFORM_PAST_PROP	= -23,	/* transform runs past its proposal */
	IKE_E_XFORM_LAST	= -24,	/* "last" marker wrong (0 / 3) */
	IKE_E_XFORM_COUNT	= -25,	/* "# of transforms" != transforms */
	IKE_E_ATTR_PAST_XFORM	= -26,	/* attribute runs past its transform */
	IKE_E_TOO_MANY_ATTRS	= -27,
	IKE_E_BAD_KEYLEN	= -28,	/* Key Length not TV, repeated or 0 */
	/* other payloads (ike_pld.c) */
	IKE_E_ID_LEN		= -29,	/* address ID of wrong size, or empty */
	IKE_E_NONCE_LEN		= -30,	/* nonce outside 16..256 (3.9) */
	IKE_E_AUTH_LEN		= -31,	/* empty, or bad RFC 7427 fields */
	IKE_E_CERTREQ_LEN	= -32,	/* CA hashes not a multiple of 20 */
	IKE_E_N_SPI		= -33,	/* notify SPI size not 0, 4 or 8 */
	IKE_E_N_DATA_LEN	= -34,	/* typed notify data, wrong size */
	IKE_E_N_TYPE		= -35,	/* typed decoder, other notify type */
	IKE_E_TOO_MANY_ALGS	= -36,	/* > IKE_MAX_HASH_ALGS hash ids */
	IKE_E_DEL_PROTO		= -37,	/* delete: protocol/SPI size mismatch */
	IKE_E_DEL_COUNT		= -38,	/* delete: count*size != length */
	IKE_E_TS_COUNT		= -39,	/* "# of TSs" 0 or != selectors */
	IKE_E_TOO_MANY_TS	= -40,
	IKE_E_TS_LEN		= -41,	/* selector length wrong for type */
	IKE_E_TS_PAST_END	= -42,	/* selector runs past its payload */
	IKE_E_SKF_NUM		= -43,	/* RFC 7383 2.5 numbering rules */
	IKE_E_CP_ATTR_LEN	= -44,	/* CP attribute runs past payload */
	IKE_E_TOO_MANY_CP_ATTRS	= -45,
	IKE_E_EAP_LEN		= -46,	/* EAP length != payload body */
	IKE_E_EAP_CODE		= -47,	/* EAP code not 1..4 */
	/* encoder */
	IKE_E_NOSPACE		= -48,	/* caller's buffer too small */
	IKE_E_ENC_STATE		= -49,	/* payload after SK, unbalanced calls */
	IKE_E_ENC_ARG		= -50,	/* value does not fit its wire field */
	/* proposal selection (ike_proposal.c) */
	IKE_E_NO_PROPOSAL	= -51,	/* nothing acceptable */
	IKE_E_REPLY_COUNT	= -52,	/* reply SA has != 1 proposal */
	IKE_E_REPLY_MISMATCH	= -53,	/* reply is not a subset of our offer */
	IKE_E_LAST		= -53	/* keep equal to the last code */
};

const char	*ike_err_name(int err);
/* enum ike_notify to answer a message that failed with err, or 0: drop. */
int		 ike_err_notify(int err);

/* ------------------------------------------------------------------ */
/* The IKE header and the payload chain (ike_codec.c)                  */

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *            RFC 7296 3.1; generic payload header 3.2:
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 */
struct ike_hdr {
	uint64_t	 ispi;		/* the 8 SPI bytes read big-endian */
	uint64_t	 rspi;
	uint8_t		 next;		/* type of the first payload */
	uint8_t		 version;	/* major << 4 | minor */
	uint8_t		 exch;		/* enum ike_exch */
	uint8_t		 flags;		/* IKE_FLAG_*; as received */
	uint32_t	 msgid;
	uint32_t	 length;	/* whole message, bytes */
};

/* One payload of a chain. */
struct ike_pld_ref {
	uint8_t		 type;		/* enum ike_pld, or unknown */
	uint8_t		 flags;		/* C bit + reserved, as received */
	uint16_t	 len;		/* body length (payload length - 4) */
	size_t		 off;		/* generic header, offset in buf */
	const uint8_t	*body;		/* borrowed */
};

/*
 * A decoded payload chain.  Unknown payloads without the critical bit stay
 * in pld[] (so a re-encode reproduces the message) and are counted in
 * nunknown; ike_chain_find() never returns them.  For SK/SKF, pld[] holds
 * the SK payload itself as the last entry; sk_first is the type its Next
 * Payload field names (the first payload inside).
 */
struct ike_chain {
	struct ike_pld_ref pld[IKE_MAX_PAYLOADS];
	size_t		 n;
	size_t		 nunknown;	/* unknown non-critical, skipped */
	uint8_t		 unsup_type;	/* IKE_E_UNSUP_CRITICAL: the type */
	int		 sk;		/* index of SK/SKF in pld[], or -1 */
	uint8_t		 sk_first;
};

/* Where the SK or SKF payload is, for ike_sk.c (offsets into the message). */
struct ike_sk_loc {
	bool		 present;
	bool		 frag;		/* SKF (RFC 7383) */
	uint8_t		 first;		/* SK Next Payload: first inner */
	size_t		 hdr_off;	/* generic header */
	size_t		 body_off;	/* IV | ciphertext | ICV (after the
					   fragment header for SKF) */
	size_t		 body_len;
	uint16_t	 frag_num;	/* SKF only: 1..frag_total */
	uint16_t	 frag_total;
};

struct ike_msg {
	struct ike_hdr	 hdr;
	const uint8_t	*buf;		/* the message (borrowed) */
	size_t		 len;
	struct ike_chain ch;		/* unencrypted chain */
	struct ike_sk_loc sk;
};

/*
 * Decode an IKE message's header and unencrypted payload chain into *m.
 * Pure: reads buf only; *m points into buf.  Returns 0 or a negative
 * IKE_E_*; on IKE_E_UNSUP_CRITICAL m->ch.unsup_type names the payload.
 * On IKE_E_BAD_VERSION m->hdr is filled (to answer INVALID_MAJOR_VERSION).
 */
int	 ike_decode(const uint8_t *buf, size_t len, struct ike_msg *m);
/* The header alone (demultiplexing by SPI before a full decode). */
int	 ike_hdr_decode(const uint8_t *buf, size_t len, struct ike_hdr *h);
/*
 * A bare payload chain whose first payload is `first`: the decrypted body
 * of SK (first = ike_sk_loc.first).  SK/SKF inside give IKE_E_SK_NESTED.
 * Offsets in c->pld[] are relative to buf.
 */
int	 ike_decode_inner(const uint8_t *buf, size_t len, uint8_t first,
	    struct ike_chain *c);

/* The first known payload of this type at index >= *from, or NULL. */
const struct ike_pld_ref *ike_chain_find(const struct ike_chain *c,
	    uint8_t type, size_t *from);
size_t	 ike_chain_count(const struct ike_chain *c, uint8_t type);

/*
 * Encoder.  Builds a message (or a bare chain, for the SK plaintext) into
 * the caller's struct wr, chaining Next Payload fields and fixing up the
 * payload and message lengths.  Errors are sticky in e->err: call the
 * ike_enc_* functions, then ike_enc_finish() once.
 *
 *	ike_enc_init(&e, &w, &hdr);
 *	ike_enc_sa(&e, props, nprops);
 *	ike_enc_ke(&e, &ke);
 *	ike_enc_nonce(&e, ni, sizeof(ni));
 *	if ((len = ike_enc_finish(&e)) < 0) ...
 *
 * For a protected message, build the inner chain with ike_enc_init_chain()
 * into a plaintext buffer (ike_enc_first() is the SK Next Payload), then
 * either hand it to ike_sk_protect() at the offset ike_enc_seal() returns,
 * or reserve the SK body with ike_enc_sk(), finish (so the lengths the AAD
 * covers are final) and fill IV | ciphertext | ICV in place at body_off.
 */
struct ike_enc {
	struct wr	*w;
	size_t		 hdr;		/* IKE header offset, SIZE_MAX: bare */
	size_t		 np_at;		/* where the next type goes */
	size_t		 cur;		/* open payload, or SIZE_MAX */
	uint8_t		 first;		/* type of the first payload */
	unsigned int	 npld;		/* payloads begun so far */
	bool		 sealed;	/* SK/SKF added: nothing may follow */
	int		 err;		/* first error (IKE_E_*), sticky */
	size_t		 start;		/* where this message began */
};

/* Start a message: writes h (its next and length fields are computed). */
void	 ike_enc_init(struct ike_enc *e, struct wr *w, const struct ike_hdr *h);
/* Start a bare chain; ike_enc_first() is the type for SK's Next Payload. */
void	 ike_enc_init_chain(struct ike_enc *e, struct wr *w);
uint8_t	 ike_enc_first(const struct ike_enc *e);
/* Returns the length of the message / chain, or a negative IKE_E_*. */
int	 ike_enc_finish(struct ike_enc *e);

/* Open / close a payload by hand; the body goes to e->w in between. */
void	 ike_enc_pld_begin(struct ike_enc *e, uint8_t type, uint8_t flags);
void	 ike_enc_pld_end(struct ike_enc *e);
void	 ike_enc_raw(struct ike_enc *e, uint8_t type, uint8_t flags,
	    const uint8_t *body, size_t len);
/*
 * Append an SK (or SKF) payload with a body of body_len bytes, zeroed, at
 * *body_off in e->w->p; nothing may follow it.  For SKF the 4-byte fragment
 * header is written before body_off; first is 0 in fragments > 1.
 */
void	 ike_enc_sk(struct ike_enc *e, uint8_t first, size_t body_len,
	    size_t *body_off);
void	 ike_enc_skf(struct ike_enc *e, uint8_t first, uint16_t num,
	    uint16_t total, size_t body_len, size_t *body_off);

/*
 * For ike_sk_protect() (ike_sk.h), which appends SK/SKF itself at an
 * offset and sets the lengths: name `type` (IKE_PLD_SK or IKE_PLD_SKF) in
 * the pending Next Payload field, seal the chain, and return the offset
 * where the SK payload goes, or a negative IKE_E_*.  Do not call
 * ike_enc_finish() afterwards: ike_sk_protect() sets the message length.
 */
int	 ike_enc_seal(struct ike_enc *e, uint8_t type);

/* Re-encode a decoded message (header, chain, SK body verbatim). */
int	 ike_encode(struct wr *w, const struct ike_msg *m);

/* ------------------------------------------------------------------ */
/* Payload bodies (ike_pld.c, ike_pld_sa.c)                             */

/*
 * SA payload (RFC 7296 3.3).  ike_pld_sa_decode() validates the whole
 * payload once -- every proposal, transform and attribute length against
 * its parent, counts, "last" markers, numbering, SPI sizes -- and then
 * ike_pld_sa_next() walks it without failing.  Unknown protocols keep
 * their SPI if it fits IKE_SPI_MAX; unknown transform types and attributes
 * are kept (proposal selection rejects them, RFC 7296 3.3.6).
 */
struct ike_xform {
	uint8_t		 type;		/* enum ike_xform_type */
	uint16_t	 id;
	uint16_t	 keylen;	/* Key Length, bits; 0: absent */
	uint8_t		 nunknown;	/* attributes other than Key Length */
	/*
	 * Decoded: all attribute bytes as received (borrowed), so a re-encode
	 * is exact.  To encode, leave attrs NULL: keylen is written as a TV
	 * attribute when non-zero.
	 */
	const uint8_t	*attrs;
	uint16_t	 attrs_len;
};

struct ike_prop {
	uint8_t		 num;		/* proposal number */
	uint8_t		 proto;		/* enum ike_proto */
	uint8_t		 spi_size;
	uint8_t		 spi[IKE_SPI_MAX];
	uint8_t		 nxf;
	struct ike_xform xf[IKE_MAX_XFORMS];
};

struct ike_sa_pld {
	const uint8_t	*body;		/* validated SA body (borrowed) */
	size_t		 len;
	size_t		 nprop;
	uint8_t		 first_num;	/* number of the first proposal */
};

struct ike_sa_iter {
	struct rd	 r;
};

int	 ike_pld_sa_decode(const uint8_t *body, size_t len,
	    struct ike_sa_pld *sa);
void	 ike_pld_sa_iter(const struct ike_sa_pld *sa, struct ike_sa_iter *it);
bool	 ike_pld_sa_next(struct ike_sa_iter *it, struct ike_prop *p);
/* Proposals are written as given (numbers included). */
int	 ike_pld_sa_encode(struct wr *w, const struct ike_prop *p, size_t n);

/* KE (3.4) */
struct ike_ke_pld {
	uint16_t	 group;		/* enum ike_ke */
	const uint8_t	*data;
	size_t		 len;
};

/* IDi / IDr (3.5).  The body (type | reserved | data) is what AUTH signs. */
struct ike_id {
	uint8_t		 type;		/* enum ike_id_type */
	const uint8_t	*data;
	size_t		 len;
};

/* CERT (3.6) and CERTREQ (3.7) */
struct ike_cert {
	uint8_t		 enc;		/* enum ike_cert_enc */
	const uint8_t	*data;
	size_t		 len;
};

/* AUTH (3.8); for IKE_AUTH_DIGITAL_SIG the RFC 7427 3 fields are split. */
struct ike_auth {
	uint8_t		 method;	/* enum ike_auth_method */
	const uint8_t	*data;		/* all authentication data */
	size_t		 len;
	const uint8_t	*algid;		/* RFC 7427 AlgorithmIdentifier */
	size_t		 algid_len;
	const uint8_t	*sig;		/* RFC 7427: the signature */
	size_t		 sig_len;
};

/* Nonce (3.9), Vendor ID (3.12), and any opaque body. */
struct ike_blob {
	const uint8_t	*data;
	size_t		 len;
};

/* Notify (3.10); protocol is meaningful only when spi_size != 0. */
struct ike_notify_pld {
	uint8_t		 proto;		/* enum ike_proto */
	uint8_t		 spi_size;	/* 0, 4 or 8 */
	uint16_t	 type;		/* enum ike_notify */
	const uint8_t	*spi;
	const uint8_t	*data;
	size_t		 len;
};

/* Delete (3.11): nspi SPIs of spi_size bytes each, at spis. */
struct ike_delete {
	uint8_t		 proto;
	uint8_t		 spi_size;	/* IKE: 0, ESP/AH: 4 */
	uint16_t	 nspi;
	const uint8_t	*spis;
};

/* TSi / TSr (3.13) */
struct ike_ts {
	uint8_t		 type;		/* enum ike_ts_type */
	uint8_t		 proto;		/* IP protocol, 0: any */
	uint16_t	 sport;		/* start port */
	uint16_t	 eport;		/* end port */
	uint8_t		 start[16];	/* 4 bytes used for IPv4 */
	uint8_t		 end[16];
	const uint8_t	*raw;		/* unknown types: after the 4-byte */
	uint16_t	 raw_len;	/* type/proto/length header */
};

struct ike_ts_pld {
	uint8_t		 n;
	struct ike_ts	 ts[IKE_MAX_TS];
};

/* SKF fragment header (RFC 7383 2.5) */
struct ike_skf_pld {
	uint16_t	 num;
	uint16_t	 total;
	const uint8_t	*data;		/* IV | ciphertext | ICV */
	size_t		 len;
};

/* CP (3.15) */
struct ike_cp_attr {
	uint16_t	 type;		/* enum ike_cfg_attr, R bit cleared */
	uint16_t	 len;
	const uint8_t	*val;
};

struct ike_cp {
	uint8_t		 type;		/* enum ike_cp_type */
	uint8_t		 nattr;
	struct ike_cp_attr attr[IKE_MAX_CP_ATTRS];
};

/* EAP (3.16): the EAP message; type only for Request / Response. */
struct ike_eap {
	uint8_t		 code;		/* enum ike_eap_code */
	uint8_t		 ident;
	uint8_t		 type;		/* EAP method, Request/Response only */
	const uint8_t	*data;		/* after the type (or after length) */
	size_t		 len;
};

/*
 * Decoders: (body, body length) -> struct, 0 or IKE_E_*.  Encoders write
 * the body only (ike_enc_* add the generic header): 0, IKE_E_NOSPACE, or
 * IKE_E_ENC_ARG when a value does not fit its field.
 */
int	 ike_pld_ke_decode(const uint8_t *b, size_t len, struct ike_ke_pld *ke);
int	 ike_pld_ke_encode(struct wr *w, const struct ike_ke_pld *ke);
int	 ike_pld_id_decode(const uint8_t *b, size_t len, struct ike_id *id);
int	 ike_pld_id_encode(struct wr *w, const struct ike_id *id);
int	 ike_pld_cert_decode(const uint8_t *b, size_t len, struct ike_cert *c);
int	 ike_pld_cert_encode(struct wr *w, const struct ike_cert *c);
/* CERTREQ: for X509_SIG, data is a list of 20-byte CA key hashes. */
int	 ike_pld_certreq_decode(const uint8_t *b, size_t len,
	    struct ike_cert *c);
int	 ike_pld_auth_decode(const uint8_t *b, size_t len, struct ike_auth *a);
/* For DIGITAL_SIG with data NULL, algid and sig are written (RFC 7427). */
int	 ike_pld_auth_encode(struct wr *w, const struct ike_auth *a);
int	 ike_pld_nonce_decode(const uint8_t *b, size_t len, struct ike_blob *n);
int	 ike_pld_blob_encode(struct wr *w, const struct ike_blob *n);
int	 ike_pld_vendor_decode(const uint8_t *b, size_t len,
	    struct ike_blob *v);
int	 ike_pld_notify_decode(const uint8_t *b, size_t len,
	    struct ike_notify_pld *n);
int	 ike_pld_notify_encode(struct wr *w, const struct ike_notify_pld *n);
int	 ike_pld_delete_decode(const uint8_t *b, size_t len,
	    struct ike_delete *d);
int	 ike_pld_delete_encode(struct wr *w, const struct ike_delete *d);
uint32_t ike_delete_spi32(const struct ike_delete *d, size_t i);
int	 ike_pld_ts_decode(const uint8_t *b, size_t len, struct ike_ts_pld *t);
int	 ike_pld_ts_encode(struct wr *w, const struct ike_ts_pld *t);
/* Verification helper: start <= end for addresses and ports. */
bool	 ike_ts_ordered(const struct ike_ts *ts);
int	 ike_pld_skf_decode(const uint8_t *b, size_t len,
	    struct ike_skf_pld *f);
int	 ike_pld_cp_decode(const uint8_t *b, size_t len, struct ike_cp *cp);
int	 ike_pld_cp_encode(struct wr *w, const struct ike_cp *cp);
int	 ike_pld_eap_decode(const uint8_t *b, size_t len, struct ike_eap *e);
int	 ike_pld_eap_encode(struct wr *w, const struct ike_eap *e);

/* Typed Notify data (ike_pld.c).  Each checks n->type first. */
struct ike_n_mid_sync {			/* IKEV2_MESSAGE_ID_SYNC, 6311 4.2 */
	uint32_t	 nonce;
	uint32_t	 send_req;	/* EXPECTED_SEND_REQ_MESSAGE_ID */
	uint32_t	 recv_req;	/* EXPECTED_RECV_REQ_MESSAGE_ID */
};

struct ike_n_replay_sync {		/* IPSEC_REPLAY_COUNTER_SYNC, 6311 */
	uint64_t	 delta;		/* Incoming IPsec SA delta value */
	bool		 wide;		/* sent as 8 octets (else 4) */
};

struct ike_n_hash_algs {		/* SIGNATURE_HASH_ALGORITHMS, 7427 4 */
	uint8_t		 n;
	uint16_t	 alg[IKE_MAX_HASH_ALGS];	/* enum ike_hash */
};

/* NAT_DETECTION_SOURCE_IP / _DESTINATION_IP: *hash = 20 bytes of data. */
int	 ike_n_natd_decode(const struct ike_notify_pld *n,
	    const uint8_t **hash);
/* COOKIE: 1..64 bytes (RFC 7296 2.6). */
int	 ike_n_cookie_decode(const struct ike_notify_pld *n,
	    struct ike_blob *c);
/* INVALID_KE_PAYLOAD: the group the responder wants (RFC 7296 1.3). */
int	 ike_n_invalid_ke_decode(const struct ike_notify_pld *n,
	    uint16_t *group);
/* REKEY_SA: protocol ESP/AH and the 4-byte SPI of the Child SA. */
int	 ike_n_rekey_sa_decode(const struct ike_notify_pld *n, uint8_t *proto,
	    uint32_t *spi);
int	 ike_n_hash_algs_decode(const struct ike_notify_pld *n,
	    struct ike_n_hash_algs *h);
int	 ike_n_mid_sync_decode(const struct ike_notify_pld *n,
	    struct ike_n_mid_sync *s);
int	 ike_n_replay_sync_decode(const struct ike_notify_pld *n,
	    struct ike_n_replay_sync *s);
/* Encoders for the typed data: write the Notify *data* only. */
int	 ike_n_hash_algs_encode(struct wr *w, const struct ike_n_hash_algs *h);
int	 ike_n_mid_sync_encode(struct wr *w, const struct ike_n_mid_sync *s);
int	 ike_n_replay_sync_encode(struct wr *w,
	    const struct ike_n_replay_sync *s);

/* Message-level helpers: one payload with generic header (ike_codec.c). */
void	 ike_enc_sa(struct ike_enc *e, const struct ike_prop *p, size_t n);
void	 ike_enc_ke(struct ike_enc *e, const struct ike_ke_pld *ke);
/* type is IKE_PLD_IDI or IKE_PLD_IDR */
void	 ike_enc_id(struct ike_enc *e, uint8_t type, const struct ike_id *id);
void	 ike_enc_cert(struct ike_enc *e, const struct ike_cert *c);
void	 ike_enc_certreq(struct ike_enc *e, const struct ike_cert *c);
void	 ike_enc_auth(struct ike_enc *e, const struct ike_auth *a);
void	 ike_enc_nonce(struct ike_enc *e, const uint8_t *n, size_t len);
void	 ike_enc_notify(struct ike_enc *e, const struct ike_notify_pld *n);
void	 ike_enc_delete(struct ike_enc *e, const struct ike_delete *d);
void	 ike_enc_vendor(struct ike_enc *e, const uint8_t *v, size_t len);
/* type is IKE_PLD_TSI or IKE_PLD_TSR */
void	 ike_enc_ts(struct ike_enc *e, uint8_t type,
	    const struct ike_ts_pld *t);
void	 ike_enc_cp(struct ike_enc *e, const struct ike_cp *cp);
void	 ike_enc_eap(struct ike_enc *e, const struct ike_eap *eap);

#endif /* IKEV2D_IKE_MSG_H */
