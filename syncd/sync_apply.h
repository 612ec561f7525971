/*
 * syncd/sync_apply.h -- a decoded sync message (syncmsg.h) applied to the
 * SA database (sadb.h): one ops table indexed by message type (STYLE P7)
 * with per-type minimum checks done in one place.  Pure.
 *
 * Only the record types touch the database: IKE_UP, IKE_DOWN, IKE_MID,
 * CHILD_UP, CHILD_DOWN, CTR, LEASE.  ACK and BULK_BEGIN / BULK_END are
 * control messages for wal.h and resync.h: sync_apply() refuses them with
 * SYNC_APPLY_E_CONTROL, which is a caller bug, not a peer's.  Whether a
 * message may be applied now (or must be buffered during a bulk resync)
 * is resync.h's decision, not this file's.
 *
 * Returns 0 (applied), a positive SADB_IGN_* (ignored, harmless: a
 * duplicate, a delete of what is gone), or a negative code: SADB_E_* or
 * SYNC_APPLY_E_*.  Every non-zero result is counted in struct
 * sync_apply_stats under its name (STYLE P8).
 */
#ifndef SYNCD_SYNC_APPLY_H
#define SYNCD_SYNC_APPLY_H

#include <stdint.h>

#include "sadb.h"
#include "tandem/syncmsg.h"

enum sync_apply_err {
	SYNC_APPLY_E_TYPE	= -20,	/* unknown message type: dropped */
	SYNC_APPLY_E_CONTROL	= -21,	/* ACK / BULK_*: not for the sadb */
	SYNC_APPLY_E_CHECK	= -22,	/* failed the type's minimum checks */
};

/* Drop reasons, one counter each. */
enum sync_apply_drop {
	SYNC_DROP_TYPE = 0,	/* unknown type */
	SYNC_DROP_CONTROL,	/* control message handed to apply */
	SYNC_DROP_CHECK,	/* minimum checks */
	SYNC_DROP_NOMEM,
	SYNC_DROP_INVAL,	/* sadb refused the record */
	SYNC_DROP_MAX		/* keep last */
};

struct sync_apply_stats {
	uint64_t	 applied[SYNC_TYPE_MAX];
	uint64_t	 ignored[SYNC_TYPE_MAX];	/* SADB_IGN_* */
	uint64_t	 dropped[SYNC_DROP_MAX];
	uint64_t	 ctr_records;	/* counter records applied (CTR) */
};

/* st may be NULL. */
int		 sync_apply(struct sadb *, const struct sync_msg *,
		    struct sync_apply_stats *st);
/* The handler table's name of a type ("UNKNOWN" if none). */
const char	*sync_apply_type_name(unsigned int type);
const char	*sync_apply_drop_name(unsigned int drop);
/* Names SYNC_APPLY_E_* and, through sadb_res_name(), everything else. */
const char	*sync_apply_res_name(int res);

#endif /* SYNCD_SYNC_APPLY_H */
