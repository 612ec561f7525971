/*
 * include/tandem/hamsg.h -- THE wire format hamgrd nodes exchange over
 * their corosync CPG group ("<sync.cpg_group>-ha").
 *
 *  0               1               2               3
 * +---------------+---------------+-------------------------------+
 * |    version    |     type      |       reserved (0)            |
 * +---------------+---------------+-------------------------------+
 * |                 length (header + body, bytes)                 |
 * +---------------------------------------------------------------+
 * |                 sequence (64, per sender, from 1)             |
 * +---------------------------------------------------------------+
 * | body, per type (below)                                        |
 *
 * A name is a length byte (1..63) and that many bytes of
 * [A-Za-z0-9_-] (tandem.conf's name rule); no NUL on the wire.
 *
 * HAMSG_STATE: the sender's node state, sent on every change and after
 * every configuration change of the CPG group (so a joiner learns it):
 *   name node | u8 flags (HAMSG_NF_*) | u8 ngroups (0..HAMSG_GROUPS_MAX)
 *   ngroups x { name group | u8 prio_eff | u8 role | u8 gflags }
 * HAMSG_HANDOVER: the master of group hands it to target (planned
 * failover; every member sees it in agreed order):
 *   name group | name target | name from
 * HAMSG_TRANS: node's role of group changed at at_unix_ms (its wall
 * clock), and the actions of the new role took act_us (activation, for
 * MASTER); sent after every transition, for the other members' status
 * and `haadm drill` (a node that does not know the type counts and drops
 * it):
 *   name node | name group | u8 from | u8 to | u64 at_unix_ms | u32 act_us
 * HAMSG_PULL: requester, a BACKUP of group, asks the group's master to
 * hand it over to requester (`haadm failover --group G --to SELF` on a
 * BACKUP, `haadm drill --back`); only the master acts on it, as on its
 * own `haadm failover --to requester`:
 *   name group | name requester
 *
 * All integers big-endian.  Bytes after the body of a known version-1
 * type are an error (not skipped): a newer minor format gets a new
 * version.  Unknown types are for the receiver to count and drop.
 *
 * Pure: no I/O, no allocation, no globals.  Errors are negative
 * HAMSG_E_* codes with names (a drop reason each).
 */
#ifndef TANDEM_HAMSG_H
#define TANDEM_HAMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/wire.h"

#define HAMSG_VERSION		1
#define HAMSG_HDR_LEN		16	/* on the wire; not sizeof */
#define HAMSG_NAME_MAX		64	/* NUL included */
#define HAMSG_GROUPS_MAX	32
/* Largest message: a STATE with every group and the longest names. */
#define HAMSG_MAX_LEN		(HAMSG_HDR_LEN + 1 + 63 + 2 + \
				 HAMSG_GROUPS_MAX * (1 + 63 + 3))

enum hamsg_type {
	HAMSG_STATE	= 1,
	HAMSG_HANDOVER	= 2,
	HAMSG_TRANS	= 3,
	HAMSG_PULL	= 4,
	HAMSG_TYPE_MAX		/* keep last */
};

/* Roles as on the wire: the values of ha/role_fsm.h's enum role. */
enum hamsg_role {
	HAMSG_ROLE_INIT		= 0,
	HAMSG_ROLE_BACKUP	= 1,
	HAMSG_ROLE_MASTER	= 2,
	HAMSG_ROLE_FAULT	= 3,
	HAMSG_ROLE_MAX		/* keep last */
};

#define HAMSG_NF_MAINT		0x01	/* node drained */
#define HAMSG_NF_ALL		0x01
#define HAMSG_GF_FAULT		0x01	/* group in fault (tracker) */
#define HAMSG_GF_ALL		0x01

enum hamsg_err {
	HAMSG_E_SHORT	= -1,	/* shorter than a header or a field */
	HAMSG_E_VERSION	= -2,
	HAMSG_E_LENGTH	= -3,	/* length field != datagram length */
	HAMSG_E_TYPE	= -4,	/* unknown type */
	HAMSG_E_NAME	= -5,	/* empty, too long, bad character */
	HAMSG_E_VALUE	= -6,	/* role, flags, count out of range */
	HAMSG_E_TRAIL	= -7,	/* bytes after the body */
	HAMSG_E_BUFSZ	= -8,	/* encode: caller's buffer short */
	HAMSG_E_MAX	= -9	/* keep last */
};
#define HAMSG_NERR	(-HAMSG_E_MAX)

struct hamsg_hdr {
	uint8_t		 version;
	uint8_t		 type;
	uint16_t	 rsvd;
	uint32_t	 length;
	uint64_t	 seq;
};

struct hamsg_group {
	char		 name[HAMSG_NAME_MAX];
	uint8_t		 prio;		/* effective, 1..255 */
	uint8_t		 role;		/* enum hamsg_role */
	uint8_t		 flags;		/* HAMSG_GF_* */
};

struct hamsg_state {
	char		 node[HAMSG_NAME_MAX];
	uint8_t		 flags;		/* HAMSG_NF_* */
	uint8_t		 ngroups;
	struct hamsg_group groups[HAMSG_GROUPS_MAX];
};

struct hamsg_handover {
	char		 group[HAMSG_NAME_MAX];
	char		 target[HAMSG_NAME_MAX];
	char		 from[HAMSG_NAME_MAX];
};

struct hamsg_trans {
	char		 node[HAMSG_NAME_MAX];
	char		 group[HAMSG_NAME_MAX];
	uint8_t		 from, to;	/* enum hamsg_role */
	uint64_t	 at_unix_ms;
	uint32_t	 act_us;
};

struct hamsg_pull {
	char		 group[HAMSG_NAME_MAX];
	char		 requester[HAMSG_NAME_MAX];
};

/* A decoded message: the header and the body of its type. */
struct hamsg {
	struct hamsg_hdr hdr;
	union {
		struct hamsg_state	state;
		struct hamsg_handover	handover;
		struct hamsg_trans	trans;
		struct hamsg_pull	pull;
	} u;
};

/*
 * Decode buf/len into *m (names copied and NUL-terminated).  Returns 0
 * or HAMSG_E_SHORT, _VERSION, _LENGTH, _TYPE, _NAME, _VALUE, _TRAIL.
 */
int		 hamsg_decode(const uint8_t *buf, size_t len,
		    struct hamsg *m);
/*
 * Encode into w (caller's buffer).  Names must satisfy the name rule.
 * Returns the bytes written, or HAMSG_E_NAME, _VALUE, _BUFSZ (w bad).
 */
int		 hamsg_encode_state(struct wr *w, uint64_t seq,
		    const struct hamsg_state *s);
int		 hamsg_encode_handover(struct wr *w, uint64_t seq,
		    const struct hamsg_handover *h);
int		 hamsg_encode_trans(struct wr *w, uint64_t seq,
		    const struct hamsg_trans *t);
int		 hamsg_encode_pull(struct wr *w, uint64_t seq,
		    const struct hamsg_pull *p);
/* True if s is a valid name (1..63 of [A-Za-z0-9_-]). */
bool		 hamsg_name_ok(const char *s);
const char	*hamsg_err_name(int err);
const char	*hamsg_type_name(unsigned int type);

#endif /* TANDEM_HAMSG_H */
