/*
 * syncd/sync_apply.c -- decoded sync messages into the SA database
 * through one ops table indexed by type (STYLE P7; contract in
 * sync_apply.h).  The decoder (lib/syncmsg.c) has already checked every
 * TLV's length and the required set; the checks here are the semantic
 * minimum the database relies on (non-zero gen and SPIs, counts in range).
 */
#include <string.h>

#include "sync_apply.h"
#include "tandem/util.h"

static const uint8_t	 zero_spi[SA_SPI_LEN];

static bool
ike_spis_ok(const struct sa_ike *k)
{
	return memcmp(k->spi_i, zero_spi, SA_SPI_LEN) != 0;
}

static bool
chk_ike_up(const struct sync_msg *m)
{
	return m->u.ike.gen != 0 && ike_spis_ok(&m->u.ike) &&
	    m->u.ike.resp_len <= SA_RESP_MAX;
}

static bool
chk_ike_spis(const struct sync_msg *m)
{
	return ike_spis_ok(&m->u.ike) && m->u.ike.resp_len <= SA_RESP_MAX;
}

static bool
chk_child_up(const struct sync_msg *m)
{
	const struct sa_child	*c = &m->u.child;

	return c->gen != 0 && c->spi_in != 0 && c->spi_out != 0 &&
	    memcmp(c->ike_spi_i, zero_spi, SA_SPI_LEN) != 0;
}

static bool
chk_child_down(const struct sync_msg *m)
{
	return m->u.child.spi_in != 0 && m->u.child.spi_out != 0;
}

static bool
chk_ctr(const struct sync_msg *m)
{
	return m->u.ctr.n >= 1 && m->u.ctr.n <= SYNC_CTR_MAX;
}

static bool
chk_lease(const struct sync_msg *m)
{
	return m->u.lease.spi_out != 0 && m->u.lease.end != 0;
}

static int
ap_ike_up(struct sadb *db, const struct sync_msg *m,
    struct sync_apply_stats *st)
{
	return sadb_ike_up(db, &m->u.ike);
}

static int
ap_ike_down(struct sadb *db, const struct sync_msg *m,
    struct sync_apply_stats *st)
{
	return sadb_ike_down(db, m->u.ike.spi_i, m->u.ike.spi_r, m->u.ike.gen);
}

static int
ap_ike_mid(struct sadb *db, const struct sync_msg *m,
    struct sync_apply_stats *st)
{
	return sadb_ike_mid(db, &m->u.ike);
}

static int
ap_child_up(struct sadb *db, const struct sync_msg *m,
    struct sync_apply_stats *st)
{
	return sadb_child_up(db, &m->u.child);
}

static int
ap_child_down(struct sadb *db, const struct sync_msg *m,
    struct sync_apply_stats *st)
{
	return sadb_child_down(db, &m->u.child);
}

/*
 * A batch applies record by record: one record for an SA we do not hold
 * (deleted meanwhile) does not stop the others.  The batch counts as
 * applied when any record moved a counter.
 */
static int
ap_ctr(struct sadb *db, const struct sync_msg *m, struct sync_apply_stats *st)
{
	uint16_t	 i;
	int		 r, ret = SADB_IGN_NOOP;

	for (i = 0; i < m->u.ctr.n; i++) {
		r = sadb_ctr(db, &m->u.ctr.c[i]);
		if (r < 0)
			return r;
		if (r == SADB_OK) {
			ret = SADB_OK;
			if (st != NULL)
				st->ctr_records++;
		}
	}
	return ret;
}

static int
ap_lease(struct sadb *db, const struct sync_msg *m,
    struct sync_apply_stats *st)
{
	return sadb_lease(db, &m->u.lease);
}

static const struct sync_handler {
	const char	*name;
	bool		(*check)(const struct sync_msg *);
	int		(*apply)(struct sadb *, const struct sync_msg *,
			    struct sync_apply_stats *);
} handlers[] = {
	[0]			= { NULL,	  NULL,		  NULL },
	[SYNC_IKE_UP]		= { "IKE_UP",	  chk_ike_up,	  ap_ike_up },
	[SYNC_IKE_DOWN]		= { "IKE_DOWN",	  chk_ike_spis,	  ap_ike_down },
	[SYNC_IKE_MID]		= { "IKE_MID",	  chk_ike_spis,	  ap_ike_mid },
	[SYNC_CHILD_UP]		= { "CHILD_UP",	  chk_child_up,	  ap_child_up },
	[SYNC_CHILD_DOWN]	= { "CHILD_DOWN", chk_child_down, ap_child_down },
	[SYNC_CTR]		= { "CTR",	  chk_ctr,	  ap_ctr },
	[SYNC_LEASE]		= { "LEASE",	  chk_lease,	  ap_lease },
	/* Control messages: wal.h and resync.h, never the database. */
	[SYNC_ACK]		= { "ACK",	  NULL,		  NULL },
	[SYNC_BULK_BEGIN]	= { "BULK_BEGIN", NULL,		  NULL },
	[SYNC_BULK_END]		= { "BULK_END",	  NULL,		  NULL },
	/* Not replicated state (syncd's stats.c): never the database. */
	[SYNC_STATS]		= { "STATS",	  NULL,		  NULL },
	[SYNC_RESYNC_REQ]	= { "RESYNC_REQ", NULL,		  NULL },
};
_Static_assert(nitems(handlers) == SYNC_TYPE_MAX, "handler per sync type");

static int
drop(struct sync_apply_stats *st, enum sync_apply_drop why, int ret)
{
	if (st != NULL)
		st->dropped[why]++;
	return ret;
}

int
sync_apply(struct sadb *db, const struct sync_msg *m,
    struct sync_apply_stats *st)
{
	const struct sync_handler	*h;
	unsigned int			 t = m->hdr.type;
	int				 r;

	if (t >= nitems(handlers) || handlers[t].name == NULL)
		return drop(st, SYNC_DROP_TYPE, SYNC_APPLY_E_TYPE);
	h = &handlers[t];
	if (h->apply == NULL)
		return drop(st, SYNC_DROP_CONTROL, SYNC_APPLY_E_CONTROL);
	if (!h->check(m))
		return drop(st, SYNC_DROP_CHECK, SYNC_APPLY_E_CHECK);
	r = h->apply(db, m, st);
	if (r == SADB_E_NOMEM)
		return drop(st, SYNC_DROP_NOMEM, r);
	if (r < 0)
		return drop(st, SYNC_DROP_INVAL, r);
	if (st != NULL) {
		if (r == SADB_OK)
			st->applied[t]++;
		else
			st->ignored[t]++;
	}
	return r;
}

const char *
sync_apply_type_name(unsigned int type)
{
	return type < nitems(handlers) && handlers[type].name != NULL ?
	    handlers[type].name : "UNKNOWN";
}

static const char *const drop_names[] = {
	[SYNC_DROP_TYPE]	= "unknown_type",
	[SYNC_DROP_CONTROL]	= "control_message",
	[SYNC_DROP_CHECK]	= "minimum_check",
	[SYNC_DROP_NOMEM]	= "no_memory",
	[SYNC_DROP_INVAL]	= "record_refused",
};
_Static_assert(nitems(drop_names) == SYNC_DROP_MAX, "name per drop");

const char *
sync_apply_drop_name(unsigned int drop_)
{
	return NAME_OF(drop_names, drop_);
}

const char *
sync_apply_res_name(int res)
{
	switch (res) {
	case SYNC_APPLY_E_TYPE:
		return "E_TYPE";
	case SYNC_APPLY_E_CONTROL:
		return "E_CONTROL";
	case SYNC_APPLY_E_CHECK:
		return "E_CHECK";
	default:
		return sadb_res_name(res);
	}
}
