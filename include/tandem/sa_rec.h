/*
 * include/tandem/sa_rec.h -- the replicated SA records: everything a
 * standby needs to resume an IKE SA or a Child SA after a takeover
 * (DESIGN, "The guarantees a takeover must keep").
 *
 * Plain data: no pointers.  Keys are held in fixed arrays with explicit
 * lengths (struct sa_key) rather than owned secbufs, so that a record can
 * be copied, embedded in struct sync_msg and decoded into caller-owned
 * storage without allocation -- and so that one secure_wipe() of the
 * record removes every secret.  The rule that follows: a record that held
 * keys is released with sa_ike_wipe() / sa_child_wipe() (OPENSSL_cleanse
 * of the whole record) on every path, including copies on the stack.
 *
 * Versioned: SA_REC_VERSION names this layout; the sync wire format
 * carries it as SYNC_VERSION (syncmsg.h), and any change to the records
 * that changes the TLVs bumps both.  Each record also has a `gen`
 * counter, raised by its owner on every change, so that apply is
 * idempotent and ordered (a replica ignores a gen older than it holds).
 *
 * Units: *_ms fields are absolute wall-clock (CLOCK_REALTIME) milliseconds,
 * because monotonic clocks do not agree across nodes; dpd_ms is an
 * interval.  Integers are host order; SPIs of IKE are byte strings as on
 * the IKE wire, SPIs of ESP/AH are host-order uint32_t.
 *
 * Addresses use AF_INET / AF_INET6 (as struct kaddr does); the wire
 * encodes them as 4 / 6 so it does not depend on the platform's values.
 */
#ifndef TANDEM_SA_REC_H
#define TANDEM_SA_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_REC_VERSION	1

#define SA_SPI_LEN	8	/* IKE SPI (RFC 7296 3.1) */
#define SA_KEY_MAX	68	/* AES-256 + salt; HMAC-SHA2-512 = 64 */
#define SA_ID_MAX	255	/* identity data bytes */
#define SA_NAME_MAX	64	/* bytes incl. NUL: names up to 63 chars */
#define SA_RESP_MAX	8192	/* cached last IKE response, bytes */
#define SA_TS_MAX	8	/* traffic selectors per direction */

/*
 * The cached response is capped rather than fragmented: an IKE response
 * longer than SA_RESP_MAX (a large CERT in IKE_AUTH) is not replicated
 * (resp_len 0).  After a takeover a retransmitted request whose response
 * is not cached is answered by RFC 6311 message ID sync where the peer
 * supports it, and otherwise the IKE SA is kept and the request dropped
 * (the peer retries, then deletes and renegotiates: the cost is bounded
 * to that one SA).  Responses of the exchanges that matter after a
 * takeover (INFORMATIONAL, CREATE_CHILD_SA) are far below the cap.
 */

enum sa_role {
	SA_ROLE_NONE		= 0,
	SA_ROLE_INITIATOR	= 1,	/* we sent IKE_SA_INIT */
	SA_ROLE_RESPONDER	= 2,
	SA_ROLE_MAX		/* keep last */
};

enum sa_mode {
	SA_MODE_NONE		= 0,
	SA_MODE_TUNNEL		= 1,
	SA_MODE_TRANSPORT	= 2,
	SA_MODE_MAX		/* keep last */
};

/* IKE SA flags (sa_ike.flags). */
#define SA_IKE_NAT_LOCAL	0x0001	/* we are behind a NAT */
#define SA_IKE_NAT_REMOTE	0x0002	/* the peer is behind a NAT */
#define SA_IKE_NATT_4500	0x0004	/* floated to UDP 4500 */
#define SA_IKE_MSGID_SYNC	0x0008	/* peer: RFC 6311 message ID sync */
#define SA_IKE_REPLAY_SYNC	0x0010	/* peer: RFC 6311 replay counter sync */
#define SA_IKE_FLAGS_ALL	0x001f

/* Child SA flags (sa_child.flags). */
#define SA_CHILD_ESN		0x01	/* extended sequence numbers */
#define SA_CHILD_ENCAP		0x02	/* ESP in UDP (RFC 3948) */
#define SA_CHILD_FLAGS_ALL	0x03

struct sa_addr {
	uint8_t		 family;	/* AF_INET, AF_INET6; 0 = unset */
	uint8_t		 addr[16];	/* network order; v4 in the first 4 */
	uint16_t	 port;		/* host order; 0 where unused */
};

struct sa_id {
	uint8_t		 type;		/* enum ike_id_type, 1..255 */
	uint16_t	 len;		/* 0..SA_ID_MAX */
	uint8_t		 data[SA_ID_MAX];
};

struct sa_key {
	uint8_t		 len;		/* 0 = absent (e.g. SK_a* with AEAD) */
	uint8_t		 data[SA_KEY_MAX];	/* secret */
};

/* A traffic selector range (RFC 7296 3.13.1). */
struct sa_ts {
	uint8_t		 family;	/* AF_INET, AF_INET6 */
	uint8_t		 proto;		/* IP protocol, 0 = any */
	uint16_t	 port_lo, port_hi;	/* host order; 0..65535 = any */
	uint8_t		 start[16], end[16];	/* start <= end */
};

struct sa_lifetime {
	uint64_t	 soft_bytes, hard_bytes;	/* 0 = unlimited */
	uint64_t	 soft_packets, hard_packets;
	uint64_t	 soft_s, hard_s;		/* s after install */
};

struct sa_ike {
	uint64_t	 gen;		/* raised on every change */
	uint8_t		 spi_i[SA_SPI_LEN], spi_r[SA_SPI_LEN];
	uint8_t		 role;		/* enum sa_role */
	uint16_t	 flags;		/* SA_IKE_* */
	struct sa_addr	 local, remote;	/* IKE endpoints with ports */
	struct sa_id	 local_id, remote_id;
	uint16_t	 encr, encr_bits;	/* enum ike_encr; key bits */
	uint16_t	 prf, integ, ke;	/* ike_prf, ike_integ, ike_ke */
	struct sa_key	 sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
	uint32_t	 msgid_send;	/* next request ID we send */
	uint32_t	 msgid_recv;	/* next request ID we expect */
	uint32_t	 peer_window;	/* peer's SET_WINDOW_SIZE, >= 1 */
	uint16_t	 resp_len;	/* cached response to msgid_recv - 1 */
	uint8_t		 resp[SA_RESP_MAX];
	uint64_t	 established_ms, rekey_ms, reauth_ms;	/* 0 = none */
	uint64_t	 dpd_ms;	/* interval; 0 = off */
	char		 conn[SA_NAME_MAX];	/* NUL-terminated */
	char		 group[SA_NAME_MAX];	/* VIP group, "" = none */
};

/* The replicated ESP counters of one Child SA (replay.h). */
struct sa_ctr {
	uint64_t	 out_end;	/* acknowledged outbound lease end */
	uint64_t	 in_top;	/* inbound replay top */
	uint32_t	 in_bitmap;	/* low 32 bits of the window */
	uint32_t	 gen;		/* counter generation */
};

struct sa_child {
	uint64_t	 gen;
	uint8_t		 ike_spi_i[SA_SPI_LEN], ike_spi_r[SA_SPI_LEN];
	uint32_t	 spi_in, spi_out;	/* host order */
	uint8_t		 proto;		/* IPPROTO_ESP (50) or _AH (51) */
	uint8_t		 mode;		/* enum sa_mode */
	uint8_t		 flags;		/* SA_CHILD_* */
	uint32_t	 replay_window;	/* packets, 0..REPLAY_WINDOW_MAX */
	struct sa_addr	 local, remote;	/* outer; ports for ENCAP */
	uint32_t	 reqid, if_id;
	uint32_t	 mark_in, mark_in_mask, mark_out, mark_out_mask;
	uint16_t	 encr, encr_bits, integ;	/* IKEv2 ids */
	struct sa_key	 encr_in, encr_out, integ_in, integ_out;
	uint8_t		 n_ts_local, n_ts_remote;	/* 1..SA_TS_MAX */
	struct sa_ts	 ts_local[SA_TS_MAX], ts_remote[SA_TS_MAX];
	struct sa_lifetime lft;
	uint64_t	 installed_ms, rekey_ms;
	struct sa_ctr	 ctr;
};

/* Wipe a whole record (OPENSSL_cleanse); NULL is a no-op. */
void		 sa_ike_wipe(struct sa_ike *);
void		 sa_child_wipe(struct sa_child *);
/*
 * Predicates shared by the encoder and the decoder (syncmsg.c): a family
 * of AF_INET/AF_INET6; a selector with start <= end and port_lo <=
 * port_hi; a name NUL-terminated within SA_NAME_MAX bytes (and not empty
 * unless allow_empty).
 */
bool		 sa_addr_ok(const struct sa_addr *);
bool		 sa_ts_ok(const struct sa_ts *);
bool		 sa_name_ok(const char *name, bool allow_empty);
/* Address bytes a family uses: 4, 16, or 0 for an unknown family. */
size_t		 sa_addr_len(uint8_t family);

const char	*sa_role_name(unsigned int role);
const char	*sa_mode_name(unsigned int mode);

#endif /* TANDEM_SA_REC_H */
