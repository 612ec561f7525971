/*
 * lib/syncmsg_stats.c -- what SYNC_STATS and SYNC_RESYNC_REQ carry
 * (syncmsg.h): a node's replication figures, multicast by syncd about
 * every second for the cluster-wide `haadm status`, and a node's request
 * for a bulk resync.  Neither is replicated state.  The header, TLV walk
 * and tables are in syncmsg.c.  Pure.
 */
#include <string.h>

#include "syncmsg_int.h"
#include "tandem/util.h"

_Static_assert(SYNC_XS_MAX - 1 <= SYNC_XSTAT_MAX, "every counter fits");

static const char *const xstat_names[] = {
	[0]				= NULL,
	[SYNC_XS_IN_ERROR]		= "XfrmInError",
	[SYNC_XS_IN_BUFFER_ERROR]	= "XfrmInBufferError",
	[SYNC_XS_IN_HDR_ERROR]		= "XfrmInHdrError",
	[SYNC_XS_IN_NO_STATES]		= "XfrmInNoStates",
	[SYNC_XS_IN_STATE_PROTO_ERROR]	= "XfrmInStateProtoError",
	[SYNC_XS_IN_STATE_MODE_ERROR]	= "XfrmInStateModeError",
	[SYNC_XS_IN_STATE_SEQ_ERROR]	= "XfrmInStateSeqError",
	[SYNC_XS_IN_STATE_EXPIRED]	= "XfrmInStateExpired",
	[SYNC_XS_IN_STATE_MISMATCH]	= "XfrmInStateMismatch",
	[SYNC_XS_IN_STATE_INVALID]	= "XfrmInStateInvalid",
	[SYNC_XS_IN_TMPL_MISMATCH]	= "XfrmInTmplMismatch",
	[SYNC_XS_IN_NO_POLS]		= "XfrmInNoPols",
	[SYNC_XS_IN_POL_BLOCK]		= "XfrmInPolBlock",
	[SYNC_XS_IN_POL_ERROR]		= "XfrmInPolError",
	[SYNC_XS_OUT_ERROR]		= "XfrmOutError",
	[SYNC_XS_OUT_BUNDLE_GEN_ERROR]	= "XfrmOutBundleGenError",
	[SYNC_XS_OUT_BUNDLE_CHECK_ERROR] = "XfrmOutBundleCheckError",
	[SYNC_XS_OUT_NO_STATES]		= "XfrmOutNoStates",
	[SYNC_XS_OUT_STATE_PROTO_ERROR]	= "XfrmOutStateProtoError",
	[SYNC_XS_OUT_STATE_MODE_ERROR]	= "XfrmOutStateModeError",
	[SYNC_XS_OUT_STATE_SEQ_ERROR]	= "XfrmOutStateSeqError",
	[SYNC_XS_OUT_STATE_EXPIRED]	= "XfrmOutStateExpired",
	[SYNC_XS_OUT_POL_BLOCK]		= "XfrmOutPolBlock",
	[SYNC_XS_OUT_POL_DEAD]		= "XfrmOutPolDead",
	[SYNC_XS_OUT_POL_ERROR]		= "XfrmOutPolError",
	[SYNC_XS_FWD_HDR_ERROR]		= "XfrmFwdHdrError",
	[SYNC_XS_OUT_STATE_INVALID]	= "XfrmOutStateInvalid",
	[SYNC_XS_ACQUIRE_ERROR]		= "XfrmAcquireError",
};
_Static_assert(nitems(xstat_names) == SYNC_XS_MAX, "a name per counter");

const char *
syncmsg_xstat_name(unsigned int id)
{
	if (id >= nitems(xstat_names))
		return NULL;
	return xstat_names[id];
}

unsigned int
syncmsg_xstat_id(const char *name)
{
	unsigned int	 i;

	for (i = 1; i < nitems(xstat_names); i++)
		if (strcmp(xstat_names[i], name) == 0)
			return i;
	return 0;
}

int
syncmsg_stats_tlv(struct sync_msg *m, unsigned int id, struct rd *v,
    uint16_t len)
{
	struct sync_stats	*s = &m->u.stats;
	uint16_t		 xid;
	uint64_t		 xv;

	switch (id) {
	case SYNC_T_STATS_NODE:
		s->node = rd_be32(v);
		s->flags = rd_be32(v);
		s->ike_sas = rd_be32(v);
		s->child_sas = rd_be32(v);
		if ((s->flags & ~SYNC_SF_ALL) != 0)
			return SYNC_E_VALUE;
		return 0;
	case SYNC_T_STATS_REPL:
		s->applied = rd_be64(v);
		s->last_applied_seq = rd_be64(v);
		s->tx_seq = rd_be64(v);
		s->committed = rd_be64(v);
		s->lag_events = rd_be64(v);
		s->lag_ms = rd_be32(v);
		s->ctr_age_ms = rd_be32(v);
		return 0;
	case SYNC_T_STATS_DIGEST:
		s->has_digest = true;
		s->digest_at = rd_be64(v);
		rd_copy(v, s->digest, sizeof(s->digest));
		return 0;
	case SYNC_T_XSTAT:		/* count capped by the spec */
		xid = rd_be16(v);
		(void)rd_be16(v);
		xv = rd_be64(v);
		if (syncmsg_xstat_name(xid) == NULL) {
			m->skipped++;	/* a newer sender's counter */
			return 0;
		}
		s->x[s->nx].id = xid;
		s->x[s->nx].value = xv;
		s->nx++;
		return 0;
	case SYNC_T_NODE:
		m->u.node = rd_be32(v);
		return 0;
	}
	return 0;
}

/* No XFRM counter twice (the sender is checked by the receiver). */
int
syncmsg_stats_check(const struct sync_msg *m)
{
	const struct sync_stats	*s = &m->u.stats;
	size_t			 i, j;

	for (i = 0; i < s->nx; i++)
		for (j = i + 1; j < s->nx; j++)
			if (s->x[i].id == s->x[j].id)
				return SYNC_E_DUP;
	return 0;
}

static size_t
begin(struct wr *w, uint16_t id, uint16_t len)
{
	size_t	 off = w->len;

	wr_be16(w, id);
	wr_be16(w, len);	/* every value here is a multiple of 4 */
	return off;
}

int
syncmsg_stats_body(struct wr *w, const void *rec)
{
	const struct sync_stats	*s = rec;
	size_t			 i, j;

	if ((s->flags & ~SYNC_SF_ALL) != 0 || s->nx > SYNC_XSTAT_MAX)
		return -1;
	for (i = 0; i < s->nx; i++) {
		if (syncmsg_xstat_name(s->x[i].id) == NULL)
			return -1;
		for (j = i + 1; j < s->nx; j++)
			if (s->x[i].id == s->x[j].id)
				return -1;
	}
	(void)begin(w, SYNC_T_STATS_NODE, 16);
	wr_be32(w, s->node);
	wr_be32(w, s->flags);
	wr_be32(w, s->ike_sas);
	wr_be32(w, s->child_sas);
	(void)begin(w, SYNC_T_STATS_REPL, 48);
	wr_be64(w, s->applied);
	wr_be64(w, s->last_applied_seq);
	wr_be64(w, s->tx_seq);
	wr_be64(w, s->committed);
	wr_be64(w, s->lag_events);
	wr_be32(w, s->lag_ms);
	wr_be32(w, s->ctr_age_ms);
	if (s->has_digest) {
		(void)begin(w, SYNC_T_STATS_DIGEST, 8 + SYNC_DIGEST_LEN);
		wr_be64(w, s->digest_at);
		wr_bytes(w, s->digest, sizeof(s->digest));
	}
	for (i = 0; i < s->nx; i++) {
		(void)begin(w, SYNC_T_XSTAT, 12);
		wr_be16(w, s->x[i].id);
		wr_be16(w, 0);
		wr_be64(w, s->x[i].value);
	}
	return 0;
}

int
syncmsg_resync_req_body(struct wr *w, const void *rec)
{
	const uint32_t	*node = rec;

	(void)begin(w, SYNC_T_NODE, 4);
	wr_be32(w, *node);
	return 0;
}
