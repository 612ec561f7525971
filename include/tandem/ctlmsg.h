/*
 * include/tandem/ctlmsg.h -- THE control-socket wire format
 * (haadm -> ikev2d / syncd / hamgrd; hamgrd -> ikev2d role commands).
 *
 * One message per SOCK_SEQPACKET datagram:
 *
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * |    version    |     type      |             flags             |
 * +---------------+---------------+-------------------------------+
 * |                 length (header + TLVs, bytes)                 |
 * +---------------------------------------------------------------+
 * |              request id (echoed in the reply)                 |
 * +---------------------------------------------------------------+
 * | TLV: tag (16) | length (16, value only) | value (no padding)  |
 *
 * All integers big-endian.  A reply has the request's type with
 * CTL_REPLY set; a failed request gets flags CTL_F_ERROR and a CTL_T_ERROR
 * string.  Unknown TLV tags are skipped (newer haadm, older daemon).
 *
 * Tables (CTL_SAS): CTL_T_TABLE names a table, CTL_T_COLUMNS lists its
 * column names and each CTL_T_ROW one row, cells separated by NUL bytes.
 * A reply larger than one datagram is sent as several with the same id,
 * every one but the last flagged CTL_F_MORE; a table's rows may continue
 * in the next datagram without repeating its name and columns.
 */
#ifndef TANDEM_CTLMSG_H
#define TANDEM_CTLMSG_H

#include <stddef.h>
#include <stdint.h>

#include "tandem/wire.h"

#define CTL_VERSION	1
#define CTL_HDR_LEN	12
#define CTL_MAX_LEN	65536	/* one datagram; larger answers are chunked */
#define CTL_REPLY	0x80

enum ctl_type {
	CTL_PING	= 1,	/* liveness; reply carries nothing */
	CTL_STATUS	= 2,	/* reply: CTL_T_KV pairs, in order */
	CTL_SAS		= 3,	/* reply: tables "ike" and "child" */
	CTL_REKEY	= 4,	/* CTL_T_KIND + CTL_T_UID; reply: CTL_T_KV */
	CTL_DELETE	= 5,	/* CTL_T_KIND + CTL_T_UID; reply: CTL_T_KV */
	/*
	 * Role commands (struct ctl_role_req; reply: CTL_T_KV).
	 * ACTIVATE / STANDBY go from hamgrd to ikev2d: take over, or give
	 * up, the SAs of one VIP group (GROUP required; FLAGS
	 * CTL_RF_UNCLEAN on an activation after a crash).  FAILOVER and
	 * MAINT go from haadm to hamgrd: hand a group (or every group) to
	 * a node (or the best other one); MAINT drains (CTL_RF_ON) or
	 * undrains this node.  RESYNC asks syncd for a bulk resync.
	 */
	CTL_ACTIVATE	= 6,
	CTL_STANDBY	= 7,
	CTL_FAILOVER	= 8,
	CTL_MAINT	= 9,
	CTL_RESYNC	= 10,
	CTL_TYPE_MAX		/* keep last */
};

#define CTL_F_ERROR	0x0001
#define CTL_F_MORE	0x0002	/* more datagrams of this reply follow */
#define CTL_ROW_MAX	32	/* cells per row */

enum ctl_tag {
	CTL_T_ERROR	= 1,	/* string: why a request failed */
	CTL_T_KV	= 2,	/* "key" NUL "value": one status line */
	CTL_T_TABLE	= 3,	/* string: the name of the table that follows */
	CTL_T_COLUMNS	= 4,	/* cells: column names */
	CTL_T_ROW	= 5,	/* cells: one row */
	CTL_T_KIND	= 6,	/* string: "ike" or "child" (CTL_REKEY/DELETE) */
	CTL_T_UID	= 7,	/* 32 bits: the SA's uid (as `haadm sas` shows) */
	CTL_T_GROUP	= 8,	/* string: a VIP group name (ha.groups) */
	CTL_T_NODE	= 9,	/* string: a node name (ha.node) */
	CTL_T_FLAGS	= 10,	/* 32 bits: CTL_RF_* */
};

/* CTL_T_FLAGS bits of the role commands. */
#define CTL_RF_UNCLEAN	0x0001	/* ACTIVATE: the old master did not hand over */
#define CTL_RF_ON	0x0002	/* MAINT: drain (absent: undrain) */
#define CTL_RF_ALL	0x0003
#define CTL_NAME_MAX	64	/* group / node names, NUL included */

/* A role command's arguments: "" when a name was not given. */
struct ctl_role_req {
	char		 group[CTL_NAME_MAX];
	char		 node[CTL_NAME_MAX];
	uint32_t	 flags;		/* CTL_RF_* */
};

/* Which SA a CTL_REKEY / CTL_DELETE request names. */
enum ctl_sa_kind {
	CTL_SA_IKE	= 1,
	CTL_SA_CHILD	= 2,
};

enum ctl_err {
	CTL_E_SHORT	= -1,	/* shorter than a header */
	CTL_E_VERSION	= -2,	/* unknown version */
	CTL_E_LENGTH	= -3,	/* length field disagrees with datagram */
	CTL_E_TLV	= -4,	/* TLV runs past the message */
	CTL_E_VALUE	= -5,	/* TLV value malformed for its tag */
};

struct ctl_hdr {
	uint8_t		 version;
	uint8_t		 type;
	uint16_t	 flags;
	uint32_t	 length;
	uint32_t	 id;
};

struct ctl_tlv {
	uint16_t	 tag;
	uint16_t	 len;
	const uint8_t	*val;	/* borrowed from the message buffer */
};

/* Start a message in w (caller's buffer); finish with ctl_finish(). */
void		 ctl_begin(struct wr *w, uint8_t type, uint16_t flags,
		    uint32_t id);
void		 ctl_put(struct wr *w, uint16_t tag, const void *v, size_t n);
/* A status line; key and value must not contain NUL. */
void		 ctl_put_kv(struct wr *w, const char *key, const char *val);
/* The same with a decimal value. */
void		 ctl_put_kv_u64(struct wr *w, const char *key, uint64_t v);
/* A row of n cells (no cell may contain NUL; n <= CTL_ROW_MAX). */
void		 ctl_put_row(struct wr *w, uint16_t tag,
		    const char *const *cells, size_t n);
/* Fix the length field.  Returns the message length, or -1 if it did not
 * fit in the buffer or exceeds CTL_MAX_LEN. */
long		 ctl_finish(struct wr *w);

/*
 * Decode the header of the datagram buf/len and point tlvs at its TLVs.
 * Pure.  Returns 0 or a CTL_E_* code.
 */
int		 ctl_decode(const uint8_t *buf, size_t len, struct ctl_hdr *h,
		    struct rd *tlvs);
/* Next TLV: 1 and *t filled, 0 at the end, CTL_E_TLV when malformed. */
int		 ctl_next(struct rd *tlvs, struct ctl_tlv *t);
/* Split a CTL_T_KV value into NUL-terminated key and value in the caller's
 * buffers.  Returns 0 or CTL_E_VALUE (no separator, embedded NUL, too
 * long). */
int		 ctl_kv(const struct ctl_tlv *t, char *key, size_t keycap,
		    char *val, size_t valcap);
/*
 * Split a CTL_T_COLUMNS / CTL_T_ROW value into cells: copies it into buf
 * (cap bytes, NUL-terminated cells) and points cells[] into it.  Returns
 * the number of cells (1..max) or CTL_E_VALUE.
 */
int		 ctl_row(const struct ctl_tlv *t, char *buf, size_t cap,
		    const char **cells, size_t max);
const char	*ctl_type_name(unsigned int type);
/*
 * The target of a CTL_REKEY / CTL_DELETE request: exactly one CTL_T_KIND
 * ("ike" or "child") and one CTL_T_UID (4 bytes).  Pure.  Returns 0 with
 * *kind and *uid set, or CTL_E_VALUE (missing, repeated or malformed) or
 * CTL_E_TLV.
 */
int		 ctl_sa_target(struct rd *tlvs, enum ctl_sa_kind *kind,
		    uint32_t *uid);
/* Append the target TLVs of a CTL_REKEY / CTL_DELETE request to w. */
void		 ctl_put_sa_target(struct wr *w, enum ctl_sa_kind kind,
		    uint32_t uid);
/*
 * The arguments of a role command: at most one each of CTL_T_GROUP,
 * CTL_T_NODE (1..63 printable bytes, no NUL) and CTL_T_FLAGS (4 bytes,
 * only CTL_RF_ALL bits).  Pure.  Returns 0 with *r filled (absent names
 * ""), or CTL_E_VALUE / CTL_E_TLV.  Which arguments a command requires
 * is the receiver's business.
 */
int		 ctl_role_args(struct rd *tlvs, struct ctl_role_req *r);
/* Append r's TLVs (names only when not "", flags only when not 0). */
void		 ctl_put_role_args(struct wr *w, const struct ctl_role_req *r);

/*
 * A reply being written: status lines and tables go out in as many
 * datagrams as they need, CTL_F_MORE on all but the last.  Pure: the
 * caller's send function does the I/O (a socket in lib/ctl_io.c, a
 * recorder in the unit test).  buf (cap <= CTL_MAX_LEN) is the caller's.
 */
struct ctl_reply {
	struct wr	 w;
	uint8_t		*buf;
	size_t		 cap;
	uint8_t		 type;		/* the request's type */
	uint32_t	 id;
	bool		 failed;	/* a send failed or a TLV cannot fit */
	unsigned int	 sent;		/* datagrams sent so far */
	int		(*send)(void *arg, const uint8_t *msg, size_t len);
	void		*arg;
};

void	ctl_reply_init(struct ctl_reply *r, uint8_t *buf, size_t cap,
	    uint8_t type, uint32_t id,
	    int (*send)(void *, const uint8_t *, size_t), void *arg);
void	ctl_reply_kv(struct ctl_reply *r, const char *key, const char *val);
void	ctl_reply_table(struct ctl_reply *r, const char *name,
	    const char *const *cols, size_t n);
void	ctl_reply_row(struct ctl_reply *r, const char *const *cells, size_t n);
/* Replace whatever was written by an error reply. */
void	ctl_reply_error(struct ctl_reply *r, const char *why);
/* Send the last datagram.  Returns 0, or -1 if anything failed. */
int	ctl_reply_end(struct ctl_reply *r);
const char	*ctl_err_name(int err);

#endif
