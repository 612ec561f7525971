/*
 * syncd/live_push.c -- the live record stream to a standby ikev2d
 * (SYNC_F_LIVE in syncmsg.h).
 *
 * A standby ikev2d asks once for the whole database (the bulk stream,
 * syncd_bulk_stream()) with SYNC_F_LIVE; from then on every event this
 * syncd applies is pushed to it as the record's current copy, read back
 * from the database after the apply: counters already merged forward,
 * an IKE_MID already folded into its IKE SA.  Deletes go as they came.
 * The standby's copies are then as current as this node's database, and
 * a takeover only has to drain the socket up to a barrier (BULK_END
 * echoed, below) instead of fetching and importing every record while
 * the tunnels are down.
 *
 * Nothing is ever dropped silently: a client whose queue is full is
 * disconnected (it resubscribes and gets a fresh bulk), and so is every
 * live client when the database is cleared for a resync (the deletes
 * that a clear implies are never pushed one by one).
 */
#include <inttypes.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tandem/log.h"
#include "tandem/syncmsg.h"
#include "tandem/wire.h"
#include "loop.h"
#include "sadb.h"

/* One encoded message to every live client; a failed queue closes it. */
static void
push_all(struct syncd *sd, const uint8_t *buf, size_t len)
{
	struct ike_client	*c;
	size_t			 i;

	for (i = 0; i < SYNCD_IKE_CLIENTS; i++) {
		c = &sd->cl[i];
		if (c->fd == -1 || !c->live)
			continue;
		if (syncd_client_send(c, buf, len) == 0) {
			sd->live_pushed++;
			continue;
		}
		sd->live_overruns++;
		syncd_client_close(c, "live SA stream overrun (ikev2d "
		    "resubscribes)");
	}
}

static bool
any_live(const struct syncd *sd)
{
	size_t	 i;

	for (i = 0; i < SYNCD_IKE_CLIENTS; i++)
		if (sd->cl[i].fd != -1 && sd->cl[i].live)
			return true;
	return false;
}

static void
push_ike(struct syncd *sd, const uint8_t *spi_i, const uint8_t *spi_r,
    struct sa_ike *scratch)
{
	struct wr	 w;
	long		 n;

	if (sadb_ike_get(sd->db, spi_i, spi_r, scratch) != 0)
		return;
	wr_init(&w, sd->lbuf, sizeof(sd->lbuf));
	if ((n = syncmsg_encode_ike_up(&w, 0, SYNC_F_BULK, scratch)) > 0)
		push_all(sd, sd->lbuf, (size_t)n);
	sa_ike_wipe(scratch);
	OPENSSL_cleanse(sd->lbuf, sizeof(sd->lbuf));
}

static void
push_child(struct syncd *sd, const struct sa_child *c)
{
	struct wr	 w;
	long		 n;

	if (c == NULL)
		return;
	wr_init(&w, sd->lbuf, sizeof(sd->lbuf));
	if ((n = syncmsg_encode_child_up(&w, 0, SYNC_F_BULK, c)) > 0)
		push_all(sd, sd->lbuf, (size_t)n);
	OPENSSL_cleanse(sd->lbuf, sizeof(sd->lbuf));
}

void
syncd_live_push(struct syncd *sd, const struct sync_msg *m)
{
	const struct sync_ctr	*r;
	struct wr		 w;
	long			 n;
	size_t			 i;

	if (!any_live(sd))
		return;
	switch (m->hdr.type) {
	case SYNC_IKE_UP:
	case SYNC_IKE_MID:
		push_ike(sd, m->u.ike.spi_i, m->u.ike.spi_r, &sd->live_ike);
		break;
	case SYNC_CHILD_UP:
		push_child(sd, sadb_child_find_in(sd->db, m->u.child.spi_in,
		    &m->u.child.local));
		break;
	case SYNC_CTR:
		for (i = 0; i < m->u.ctr.n; i++) {
			r = &m->u.ctr.c[i];
			push_child(sd, r->dir == SYNC_CTR_OUT ?
			    sadb_child_find_out(sd->db, r->spi, &r->dst) :
			    sadb_child_find_in(sd->db, r->spi, &r->dst));
		}
		break;
	case SYNC_LEASE:
		push_child(sd, sadb_child_find_out(sd->db, m->u.lease.spi_out,
		    &m->u.lease.dst));
		break;
	case SYNC_IKE_DOWN:
	case SYNC_CHILD_DOWN:
		wr_init(&w, sd->lbuf, sizeof(sd->lbuf));
		if ((n = syncmsg_encode(&w, m)) > 0)
			push_all(sd, sd->lbuf, (size_t)n);
		break;
	default:
		break;
	}
}

void
syncd_live_barrier(struct syncd *sd, struct ike_client *c)
{
	struct sync_bulk	 b;
	struct wr		 w;
	long			 n;

	memset(&b, 0, sizeof(b));
	b.count = (uint32_t)(sd->live_pushed & 0xffffffffu);
	wr_init(&w, sd->lbuf, sizeof(sd->lbuf));
	if ((n = syncmsg_encode_bulk(&w, SYNC_BULK_END, 0, 0, &b)) > 0 &&
	    syncd_client_send(c, sd->lbuf, (size_t)n) != 0)
		syncd_client_close(c, "live SA stream overrun at a barrier");
}

void
syncd_live_reset(struct syncd *sd, const char *why)
{
	size_t	 i;

	for (i = 0; i < SYNCD_IKE_CLIENTS; i++)
		if (sd->cl[i].fd != -1 && sd->cl[i].live)
			syncd_client_close(&sd->cl[i], why);
}
