/*
 * lib/syncmsg_int.h -- between the two halves of the sync format:
 * syncmsg.c (header, TLV walk, tables) and syncmsg_sa.c / syncmsg_stats.c
 * (what each message type's TLVs hold).  Not installed; nothing else includes it.
 *
 *   *_tlv    store one TLV value (id, length already checked against
 *            the spec table) into m; 0 or a SYNC_E_* code.
 *   *_check  cross-field checks once every TLV is in; 0 or SYNC_E_*.
 *   *_body   write the TLVs of one message type from its record; 0, or
 *            -1 when the record would not decode (the caller wipes).
 */
#ifndef TANDEM_SYNCMSG_INT_H
#define TANDEM_SYNCMSG_INT_H

#include "tandem/syncmsg.h"

int	 syncmsg_ike_tlv(struct sync_msg *, unsigned int, struct rd *,
	    uint16_t);
int	 syncmsg_child_tlv(struct sync_msg *, unsigned int, struct rd *,
	    uint16_t);
int	 syncmsg_misc_tlv(struct sync_msg *, unsigned int, struct rd *,
	    uint16_t);
int	 syncmsg_stats_tlv(struct sync_msg *, unsigned int, struct rd *,
	    uint16_t);
int	 syncmsg_ike_check(const struct sync_msg *);
int	 syncmsg_stats_check(const struct sync_msg *);
int	 syncmsg_child_check(const struct sync_msg *);

int	 syncmsg_ike_up_body(struct wr *, const void *);
int	 syncmsg_ike_down_body(struct wr *, const void *);
int	 syncmsg_ike_mid_body(struct wr *, const void *);
int	 syncmsg_child_up_body(struct wr *, const void *);
int	 syncmsg_child_down_body(struct wr *, const void *);
int	 syncmsg_ctr_body(struct wr *, const void *);
int	 syncmsg_lease_body(struct wr *, const void *);
int	 syncmsg_ack_body(struct wr *, const void *);
int	 syncmsg_bulk_body(struct wr *, const void *);
int	 syncmsg_stats_body(struct wr *, const void *);
int	 syncmsg_resync_req_body(struct wr *, const void *);

#endif
