/*
 * include/tandem/syncmsg.h -- THE sync wire format (ikev2d <-> syncd <->
 * CPG <-> other nodes; haadm reads it too).  One implementation:
 * lib/syncmsg.c.  Pure: no I/O, no logging, no allocation, no statics
 * except const tables.
 *
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * |    version    |     type      |             flags             |
 * +---------------+---------------+-------------------------------+
 * |                    length (header + TLVs)                     |
 * +---------------------------------------------------------------+
 * |                 event sequence (64, per sender)               |
 * |                                                               |
 * +---------------------------------------------------------------+
 * | TLV: type (16)                | length (16, value only)       |
 * +-------------------------------+-------------------------------+
 * | value ... padded with zeros to a multiple of 4                |
 * +---------------------------------------------------------------+
 *
 * All integers big-endian.  The length includes the header and every
 * TLV's padding, so it is a multiple of 4.  Unknown TLVs -- and known
 * TLVs that a message type does not use -- are skipped and counted in
 * sync_msg.skipped; unknown message types are refused with SYNC_E_TYPE,
 * which the caller counts and drops.  A singleton TLV that appears twice
 * is refused (SYNC_E_DUP); a repeated TLV beyond its cap is refused
 * (SYNC_E_TOO_MANY).  Each TLV id has a fixed value length or range
 * (SYNC_E_TLV_LEN), and each message type a set of required TLVs
 * (SYNC_E_MISSING).
 *
 * SECRETS.  IKE_UP and CHILD_UP carry keys: the cluster link must be
 * encrypted (corosync knet crypto; syncd refuses to run otherwise).  A
 * buffer that held an encoded UP message is wiped by its owner after
 * use, and a decoded struct sync_msg with keys is wiped with
 * syncmsg_wipe().  Nothing here logs; never log these messages' bytes.
 *
 * Value layouts (offsets in bytes, "-" is a zero reserved byte):
 *   ADDR      family(4|6) - port(16) addr(4|16)                 8 | 20
 *   IKE_SA    role(8) - flags(16)                                4
 *   ID        type(8) data(0..255)                               1..256
 *   IKE_XFORM encr(16) encr_bits(16) prf(16) integ(16) ke(16) --  12
 *   MSGID     send(32) recv(32) peer_window(32)                  12
 *   IKE_TIMES established_ms rekey_ms reauth_ms dpd_ms (64 each) 32
 *   NAME      chars then NUL (the NUL is on the wire)            2..64
 *   CHILD_SA  proto(8) mode(8) flags(8) - replay_window(32)      8
 *   MARK      in(32) in_mask(32) out(32) out_mask(32)            16
 *   CHILD_XFORM encr(16) encr_bits(16) integ(16) --              8
 *   TS        family(4|6) proto(8) port_lo(16) port_hi(16) --
 *             start(4|16) end(4|16)                              16 | 40
 *   LIFETIME  soft/hard bytes, soft/hard packets, soft/hard s    48
 *   CHILD_TIMES installed_ms rekey_ms                            16
 *   CHILD_CTR out_end(64) in_top(64) in_bitmap(32) gen(32)       24
 *   CTR       dir(8) family(4|6) -- spi(32) value(64) bitmap(32)
 *             dst(4|16)                                          24 | 36
 *   ACK_ENTRY sender node(32) seq(64)                            12
 *   RING      node(32) seq(64)                                   12
 *   STATS_NODE node(32) flags(32) ike_sas(32) child_sas(32)       16
 *   STATS_REPL applied last_applied_seq tx_seq committed
 *             lag_events (64 each) lag_ms(32) ctr_age_ms(32)       48
 *   STATS_DIGEST at_seq(64) digest(32 bytes)                      40
 *   XSTAT     id(16) -- value(64)                                 12
 */
#ifndef TANDEM_SYNCMSG_H
#define TANDEM_SYNCMSG_H

#include <stddef.h>
#include <stdint.h>

#include "tandem/sa_rec.h"
#include "tandem/wire.h"

#define SYNC_VERSION	SA_REC_VERSION
#define SYNC_HDR_LEN	16	/* bytes on the wire; never sizeof(struct) */
#define SYNC_TLV_HDR_LEN 4

/* --- caps ------------------------------------------------------------ */
#define SYNC_MAX_LEN	65536	/* one message, header included */
#define SYNC_CTR_MAX	256	/* counter records per SYNC_CTR batch */
#define SYNC_ACK_MAX	32	/* sender entries per SYNC_ACK (nodes) */
#define SYNC_TS_MAX	SA_TS_MAX	/* selectors per direction */
#define SYNC_XSTAT_MAX	32	/* XFRM error counters per SYNC_STATS */
#define SYNC_DIGEST_LEN	32	/* SHA-256 sum: syncd/sadb.h's digest */

enum sync_type {
	SYNC_IKE_UP	= 1,	/* IKE SA established or rekeyed: full record */
	SYNC_IKE_DOWN	= 2,	/* IKE SA deleted: SPIs */
	SYNC_IKE_MID	= 3,	/* message IDs advanced (+ cached response) */
	SYNC_CHILD_UP	= 4,	/* Child SA installed or rekeyed: full record */
	SYNC_CHILD_DOWN	= 5,	/* Child SA deleted: SPIs */
	SYNC_CTR	= 6,	/* batch of ESP lease ends / replay states */
	SYNC_LEASE	= 7,	/* outbound lease extension request */
	SYNC_ACK	= 8,	/* cumulative ack: write-ahead commit point */
	SYNC_BULK_BEGIN	= 9,	/* bulk resync starts at this cut */
	SYNC_BULK_END	= 10,	/* bulk resync done: records sent */
	SYNC_STATS	= 11,	/* a node's replication figures (not state) */
	SYNC_RESYNC_REQ	= 12,	/* node asks for a bulk (`haadm resync`) */
	SYNC_TYPE_MAX		/* keep last */
};

/* Header flags. */
#define SYNC_F_BULK	0x0001	/* record sent inside a bulk resync */
/*
 * On a BULK_BEGIN from ikev2d (the local socket only): after the bulk,
 * keep the connection as a live stream -- every record syncd applies
 * afterwards follows, as its current copy (IKE_UP / CHILD_UP with
 * SYNC_F_BULK) or as the delete itself.  A standby ikev2d keeps its
 * copies current with it, so that a takeover need not fetch.
 */
#define SYNC_F_LIVE	0x0002
#define SYNC_F_ALL	0x0003	/* other bits: SYNC_E_FLAGS */

/*
 * TLV ids, defined once.  (len) is the value length the decoder demands;
 * [n] marks a TLV that may repeat up to n times, the rest are singletons.
 */
enum sync_tlv {
	SYNC_T_GEN		= 1,	/* record generation, u64 (8) */
	SYNC_T_IKE_SPI_I	= 2,	/* (8) */
	SYNC_T_IKE_SPI_R	= 3,	/* (8) */
	SYNC_T_IKE_SA		= 4,	/* role, flags (4) */
	SYNC_T_LOCAL_ADDR	= 5,	/* ADDR (8|20) */
	SYNC_T_REMOTE_ADDR	= 6,	/* ADDR (8|20); the dst of a LEASE */
	SYNC_T_LOCAL_ID		= 7,	/* ID (1..256) */
	SYNC_T_REMOTE_ID	= 8,	/* ID (1..256) */
	SYNC_T_IKE_XFORM	= 9,	/* (12) */
	SYNC_T_SK_D		= 10,	/* keys: (1..68) each */
	SYNC_T_SK_AI		= 11,
	SYNC_T_SK_AR		= 12,
	SYNC_T_SK_EI		= 13,
	SYNC_T_SK_ER		= 14,
	SYNC_T_SK_PI		= 15,
	SYNC_T_SK_PR		= 16,
	SYNC_T_MSGID		= 17,	/* (12) */
	SYNC_T_RESP		= 18,	/* cached response (0..8192) */
	SYNC_T_IKE_TIMES	= 19,	/* (32) */
	SYNC_T_CONN		= 20,	/* NAME (2..64) */
	SYNC_T_GROUP		= 21,	/* NAME (2..64); absent = "" */
	SYNC_T_SPI_IN		= 22,	/* ESP/AH SPI (4) */
	SYNC_T_SPI_OUT		= 23,	/* (4) */
	SYNC_T_CHILD_SA		= 24,	/* (8) */
	SYNC_T_REQID		= 25,	/* (4) */
	SYNC_T_IF_ID		= 26,	/* (4) */
	SYNC_T_MARK		= 27,	/* (16) */
	SYNC_T_CHILD_XFORM	= 28,	/* (8) */
	SYNC_T_ENCR_IN		= 29,	/* keys: (1..68) each */
	SYNC_T_ENCR_OUT		= 30,
	SYNC_T_INTEG_IN		= 31,
	SYNC_T_INTEG_OUT	= 32,
	SYNC_T_TS_LOCAL		= 33,	/* TS (16|40) [SYNC_TS_MAX] */
	SYNC_T_TS_REMOTE	= 34,	/* TS (16|40) [SYNC_TS_MAX] */
	SYNC_T_LIFETIME		= 35,	/* (48) */
	SYNC_T_CHILD_TIMES	= 36,	/* (16) */
	SYNC_T_CHILD_CTR	= 37,	/* (24) */
	SYNC_T_CTR		= 38,	/* CTR (24|36) [SYNC_CTR_MAX] */
	SYNC_T_LEASE_END	= 39,	/* u64 (8) */
	SYNC_T_ACK_NODE		= 40,	/* acking node id, u32 (4) */
	SYNC_T_ACK_ENTRY	= 41,	/* (12) [SYNC_ACK_MAX] */
	SYNC_T_RING		= 42,	/* ring id: the bulk cut (12) */
	SYNC_T_COUNT		= 43,	/* records in the bulk, u32 (4) */
	SYNC_T_STATS_NODE	= 44,	/* STATS_NODE (16) */
	SYNC_T_STATS_REPL	= 45,	/* STATS_REPL (48) */
	SYNC_T_STATS_DIGEST	= 46,	/* STATS_DIGEST (40) */
	SYNC_T_XSTAT		= 47,	/* XSTAT (12) [SYNC_XSTAT_MAX] */
	SYNC_T_NODE		= 48,	/* a node id, u32 (4) */
	SYNC_T_MAX			/* keep last; must stay <= 64 */
};

/*
 * Required TLVs per type (the decoder's minimum; the encoders always
 * write them):
 *   IKE_UP      GEN SPI_I SPI_R IKE_SA LOCAL_ADDR REMOTE_ADDR LOCAL_ID
 *               REMOTE_ID IKE_XFORM SK_D SK_EI SK_ER SK_PI SK_PR MSGID
 *               IKE_TIMES CONN          (optional: SK_AI SK_AR RESP GROUP)
 *               SK_AI/SK_AR, SK_EI/SK_ER, SK_PI/SK_PR: equal lengths
 *   IKE_DOWN    SPI_I SPI_R             (optional: GEN)
 *   IKE_MID     SPI_I SPI_R MSGID       (optional: GEN RESP)
 *   CHILD_UP    GEN SPI_I SPI_R SPI_IN SPI_OUT CHILD_SA LOCAL_ADDR
 *               REMOTE_ADDR REQID CHILD_XFORM TS_LOCAL TS_REMOTE
 *               LIFETIME CHILD_TIMES CHILD_CTR, and a key pair: ENCR_IN
 *               + ENCR_OUT, INTEG_IN + INTEG_OUT, or both (AH has no
 *               ENCR, AEAD no INTEG)     (optional: IF_ID MARK)
 *   CHILD_DOWN  SPI_I SPI_R SPI_IN SPI_OUT   (optional: GEN)
 *   CTR         CTR (1..SYNC_CTR_MAX)
 *   LEASE       SPI_OUT REMOTE_ADDR LEASE_END
 *   ACK         ACK_NODE ACK_ENTRY (1..SYNC_ACK_MAX)
 *   BULK_BEGIN  RING COUNT (records that will follow)
 *   BULK_END    RING COUNT (records sent)
 *   STATS       STATS_NODE STATS_REPL  (optional: STATS_DIGEST, XSTAT)
 *   RESYNC_REQ  NODE (the node that wants the bulk)
 *
 * STATS and RESYNC_REQ are not replicated state: syncd never puts them in
 * the SA database or the write-ahead log (their hdr.seq is a per-sender
 * counter of their own, not a wal seq).
 */

/* Decoder results (0 = ok).  syncmsg_err_name() names each. */
enum sync_err {
	SYNC_E_SHORT	= -1,	/* shorter than a sync header */
	SYNC_E_VERSION	= -2,	/* unknown version */
	SYNC_E_LENGTH	= -3,	/* length < header, > buffer, > MAX, not %4 */
	SYNC_E_FLAGS	= -4,	/* unknown header flag bits */
	SYNC_E_TYPE	= -5,	/* unknown message type: count and drop */
	SYNC_E_TLV	= -6,	/* TLV header or value (+pad) runs past end */
	SYNC_E_TLV_LEN	= -7,	/* TLV length not valid for its id */
	SYNC_E_DUP	= -8,	/* singleton TLV repeated */
	SYNC_E_TOO_MANY	= -9,	/* repeated TLV over its cap */
	SYNC_E_MISSING	= -10,	/* required TLV absent */
	SYNC_E_VALUE	= -11,	/* value out of range (family, role, ...) */
	SYNC_E_STRING	= -12,	/* name without NUL, or NUL inside */
};

struct sync_hdr {
	uint8_t		 version;
	uint8_t		 type;		/* enum sync_type */
	uint16_t	 flags;		/* SYNC_F_* */
	uint32_t	 length;	/* header + TLVs */
	uint64_t	 seq;		/* event sequence, per sender */
};

enum sync_ctr_dir {
	SYNC_CTR_OUT	= 1,	/* value: acknowledged lease end */
	SYNC_CTR_IN	= 2,	/* value: replay top, with bitmap */
	SYNC_CTR_DIR_MAX	/* keep last */
};

/* One counter record of a SYNC_CTR batch: (dst, spi, proto ESP) names
 * the kernel SA. */
struct sync_ctr {
	uint8_t		 dir;		/* enum sync_ctr_dir */
	uint32_t	 spi;		/* host order */
	struct sa_addr	 dst;		/* port unused (0) */
	uint64_t	 value;		/* lease end (OUT) or replay top (IN) */
	uint32_t	 bitmap;	/* IN: low 32 bits of the window */
};

struct sync_ctr_batch {
	uint16_t	 n;		/* 1..SYNC_CTR_MAX */
	struct sync_ctr	 c[SYNC_CTR_MAX];
};

struct sync_lease {
	uint32_t	 spi_out;
	struct sa_addr	 dst;
	uint64_t	 end;		/* the new end asked for */
};

struct sync_ack_entry {
	uint32_t	 node;		/* sender node id */
	uint64_t	 seq;		/* highest event seq held from it */
};

struct sync_ack {
	uint32_t	 node;		/* the acking node */
	uint16_t	 n;		/* 1..SYNC_ACK_MAX */
	struct sync_ack_entry e[SYNC_ACK_MAX];
};

/* SYNC_STATS flags. */
#define SYNC_SF_RING_CRYPTO	0x0001	/* corosync ring encrypted */
#define SYNC_SF_SYNCED		0x0002	/* database current (not resyncing) */
#define SYNC_SF_RESYNCING	0x0004	/* waiting for / taking a bulk */
#define SYNC_SF_ALL		0x0007	/* other bits: SYNC_E_VALUE */

/*
 * XFRM error counters of a node's network namespace (/proc/net/xfrm_stat,
 * by the kernel's names: syncmsg_xstat_name()).  Never renumber: ids are
 * on the wire; an id a receiver does not know is skipped.
 */
enum sync_xstat {
	SYNC_XS_IN_ERROR = 1,		/* XfrmInError */
	SYNC_XS_IN_BUFFER_ERROR,	/* XfrmInBufferError */
	SYNC_XS_IN_HDR_ERROR,		/* XfrmInHdrError */
	SYNC_XS_IN_NO_STATES,		/* XfrmInNoStates */
	SYNC_XS_IN_STATE_PROTO_ERROR,	/* XfrmInStateProtoError: integrity */
	SYNC_XS_IN_STATE_MODE_ERROR,	/* XfrmInStateModeError */
	SYNC_XS_IN_STATE_SEQ_ERROR,	/* XfrmInStateSeqError: replay */
	SYNC_XS_IN_STATE_EXPIRED,	/* XfrmInStateExpired */
	SYNC_XS_IN_STATE_MISMATCH,	/* XfrmInStateMismatch */
	SYNC_XS_IN_STATE_INVALID,	/* XfrmInStateInvalid */
	SYNC_XS_IN_TMPL_MISMATCH,	/* XfrmInTmplMismatch */
	SYNC_XS_IN_NO_POLS,		/* XfrmInNoPols */
	SYNC_XS_IN_POL_BLOCK,		/* XfrmInPolBlock */
	SYNC_XS_IN_POL_ERROR,		/* XfrmInPolError */
	SYNC_XS_OUT_ERROR,		/* XfrmOutError */
	SYNC_XS_OUT_BUNDLE_GEN_ERROR,	/* XfrmOutBundleGenError */
	SYNC_XS_OUT_BUNDLE_CHECK_ERROR,	/* XfrmOutBundleCheckError */
	SYNC_XS_OUT_NO_STATES,		/* XfrmOutNoStates */
	SYNC_XS_OUT_STATE_PROTO_ERROR,	/* XfrmOutStateProtoError */
	SYNC_XS_OUT_STATE_MODE_ERROR,	/* XfrmOutStateModeError */
	SYNC_XS_OUT_STATE_SEQ_ERROR,	/* XfrmOutStateSeqError: seq wrap */
	SYNC_XS_OUT_STATE_EXPIRED,	/* XfrmOutStateExpired */
	SYNC_XS_OUT_POL_BLOCK,		/* XfrmOutPolBlock */
	SYNC_XS_OUT_POL_DEAD,		/* XfrmOutPolDead */
	SYNC_XS_OUT_POL_ERROR,		/* XfrmOutPolError */
	SYNC_XS_FWD_HDR_ERROR,		/* XfrmFwdHdrError */
	SYNC_XS_OUT_STATE_INVALID,	/* XfrmOutStateInvalid */
	SYNC_XS_ACQUIRE_ERROR,		/* XfrmAcquireError */
	SYNC_XS_MAX			/* keep last; <= SYNC_XSTAT_MAX + 1 */
};

struct sync_xstat_ent {
	uint16_t	 id;		/* enum sync_xstat */
	uint64_t	 value;
};

/*
 * One node's replication figures, multicast about every second
 * (SYNC_STATS).  digest_at: the hdr.seq of the sender's previous STATS,
 * at whose delivery (a point of the agreed order every member shares)
 * the sender's `set` digest was `digest`; receivers compare it with
 * their own digest at that same delivery (syncd(8), NODES).
 */
struct sync_stats {
	uint32_t	 node;
	uint32_t	 flags;		/* SYNC_SF_* */
	uint32_t	 ike_sas, child_sas;
	uint64_t	 applied, last_applied_seq, tx_seq, committed;
	uint64_t	 lag_events;
	uint32_t	 lag_ms;	/* age of the oldest unacknowledged */
	uint32_t	 ctr_age_ms;	/* last CTR batch; UINT32_MAX: none */
	bool		 has_digest;	/* STATS_DIGEST present */
	uint64_t	 digest_at;
	uint8_t		 digest[SYNC_DIGEST_LEN];
	uint16_t	 nx;		/* 0..SYNC_XSTAT_MAX */
	struct sync_xstat_ent x[SYNC_XSTAT_MAX];
};

struct sync_bulk {
	uint32_t	 ring_node;	/* corosync ring id: the cut */
	uint64_t	 ring_seq;
	uint32_t	 count;		/* records that follow / were sent */
};

/*
 * A decoded message.  Which member of u is filled depends on hdr.type:
 *   IKE_UP, IKE_DOWN, IKE_MID   u.ike (DOWN/MID: only their TLVs' fields;
 *                                the rest is zero)
 *   CHILD_UP, CHILD_DOWN        u.child (DOWN: SPIs and gen only)
 *   CTR u.ctr   LEASE u.lease   ACK u.ack   BULK_* u.bulk
 *   STATS u.stats   RESYNC_REQ u.node
 * Ownership: the caller's storage; nothing points into the buffer.  UP
 * messages leave keys in u: the caller wipes with syncmsg_wipe().
 * Decoding zeroes that member first, not the rest of u (a CHILD_UP need
 * not clear the 12 KB of a CTR batch): read only the member of hdr.type.
 */
struct sync_msg {
	struct sync_hdr	 hdr;
	unsigned int	 skipped;	/* unknown / unused TLVs skipped */
	union {
		struct sa_ike		 ike;
		struct sa_child		 child;
		struct sync_ctr_batch	 ctr;
		struct sync_lease	 lease;
		struct sync_ack		 ack;
		struct sync_bulk	 bulk;
		struct sync_stats	 stats;
		uint32_t		 node;
	} u;
};

/*
 * Decode one message from buf/len into *m.  Pure.  Only the first
 * hdr.length bytes are read; len may be larger.
 * Returns 0, or a negative SYNC_E_* code.  On every error u and skipped
 * are wiped to zero, so no partially decoded key survives; m->hdr keeps
 * the header when it decoded (for a drop counter's type name and seq),
 * and is zero when the error is SYNC_E_SHORT.
 */
/*
 * Packs: several messages back to back in one datagram (a CPG pack, the
 * SA reload stream to ikev2d).  The length of the first message of buf:
 * its header's length field when that is at least a header, at most
 * SYNC_MAX_LEN and within len; else -1 (the rest of the pack cannot be
 * framed and is dropped).  Pure; the message itself is not checked.
 */
long		 syncmsg_frame_len(const uint8_t *buf, size_t len);
int		 syncmsg_decode(const uint8_t *buf, size_t len,
		    struct sync_msg *m);
/* Just the header (P1): 0, SHORT, VERSION, LENGTH. */
int		 syncmsg_hdr_decode(const uint8_t *buf, size_t len,
		    struct sync_hdr *h);
/* Wipe a decoded message: its header and the member of u its hdr.type
 * fills (all of u for a type outside the table); OPENSSL_cleanse. */
void		 syncmsg_wipe(struct sync_msg *m);

/*
 * Encoders append one message at w->len in the caller's buffer.  They
 * check their input as the decoder would (lengths, ranges, names) and
 * return the message's length in bytes, or -1 (input invalid, buffer
 * full, or over SYNC_MAX_LEN).  On -1 the bytes written are wiped and
 * w->len is restored, so a failed IKE_UP leaves no key in the buffer;
 * w->bad is set.  On success the caller wipes the buffer after sending
 * an UP message.
 */
long	 syncmsg_encode_ike_up(struct wr *w, uint64_t seq, uint16_t flags,
	    const struct sa_ike *ike);
long	 syncmsg_encode_ike_down(struct wr *w, uint64_t seq, uint16_t flags,
	    const struct sa_ike *ike);		/* spi_i, spi_r, gen */
long	 syncmsg_encode_ike_mid(struct wr *w, uint64_t seq, uint16_t flags,
	    const struct sa_ike *ike);		/* SPIs, gen, msgid_*, resp */
long	 syncmsg_encode_child_up(struct wr *w, uint64_t seq, uint16_t flags,
	    const struct sa_child *c);
long	 syncmsg_encode_child_down(struct wr *w, uint64_t seq,
	    uint16_t flags, const struct sa_child *c);	/* SPIs, gen */
long	 syncmsg_encode_ctr(struct wr *w, uint64_t seq, uint16_t flags,
	    const struct sync_ctr_batch *b);
long	 syncmsg_encode_lease(struct wr *w, uint64_t seq, uint16_t flags,
	    const struct sync_lease *l);
long	 syncmsg_encode_ack(struct wr *w, uint64_t seq, uint16_t flags,
	    const struct sync_ack *a);
long	 syncmsg_encode_bulk(struct wr *w, uint8_t type, uint64_t seq,
	    uint16_t flags, const struct sync_bulk *b);	/* BEGIN or END */
long	 syncmsg_encode_stats(struct wr *w, uint64_t seq,
	    const struct sync_stats *s);
long	 syncmsg_encode_resync_req(struct wr *w, uint64_t seq, uint32_t node);
/* Any decoded message, by m->hdr.type (re-encoding, tests, fuzzing). */
long	 syncmsg_encode(struct wr *w, const struct sync_msg *m);

const char	*syncmsg_type_name(unsigned int type);
const char	*syncmsg_tlv_name(unsigned int tlv);
const char	*syncmsg_err_name(int err);
const char	*syncmsg_ctr_dir_name(unsigned int dir);
/* The kernel's name of an XFRM counter ("XfrmInStateSeqError"), or NULL;
 * syncmsg_xstat_id() the reverse (0: not known). */
const char	*syncmsg_xstat_name(unsigned int id);
unsigned int	 syncmsg_xstat_id(const char *name);

#endif /* TANDEM_SYNCMSG_H */
