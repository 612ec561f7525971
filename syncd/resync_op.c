/*
 * syncd/resync_op.c -- `haadm resync` (CTL_RESYNC): this node re-fetches
 * the whole SA database from the cluster, the way a joining syncd gets
 * its bulk (loop.c), with the request itself as the cut.
 *
 *   haadm --CTL_RESYNC--> syncd R --RESYNC_REQ{R}--> CPG (agreed order)
 *   delivery of RESYNC_REQ{R}, on every member:
 *     R       waits for the bulk (rs_wait): live events from here on are
 *             queued until BULK_END
 *     sender  the lowest node id among the other members sends its whole
 *             database: BULK_BEGIN, every record (SYNC_F_BULK), BULK_END
 *   BULK_END at R: R applies the queued live events; resync done.
 *
 * Why no gap: the sender streams its database inside the delivery of the
 * request, before it applies anything delivered after it, so the bulk is
 * the state at the cut; R queues exactly the events after the cut
 * (resync.h, THE CUT, with the request in place of the confchg).
 *
 * SAFETY -- nothing this node holds is dropped or rolled back.  Unlike a
 * joiner, R does not clear its database at BULK_BEGIN (sd->rs_merge):
 * every bulk record goes through sync_apply() like any event, and the
 * database's rules (sadb.h) keep a record only if its gen is newer and
 * move ESP counters only forward (out_end, in_top: max).  So an SA that
 * this node's ikev2d owns (a group active here) keeps its newest record
 * and counters whatever the sender holds: an older or staler copy from
 * the sender is ignored, and a record the sender lacks is kept.  The
 * price: a record only this node holds (a delete it missed) survives a
 * resync, and the digests then still differ -- `haadm resync` reports it.
 *
 * Refused (the reason goes back to haadm, which exits 2): corosync not
 * reachable or the ring refused (plain ring without the lab override),
 * this node alone in the group, or a bulk already awaited.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tandem/log.h"
#include "loop.h"

int
syncd_resync_ask(struct syncd *sd, char *why, size_t whylen)
{
	struct sync_msg	 m;

	if (sd->cs == SYNCD_CS_REFUSED) {
		snprintf(why, whylen, "replication refused: %s", sd->cs_why);
		return -1;
	}
	if (sd->cs != SYNCD_CS_UP || !sd->cpg_open || !sd->joined) {
		snprintf(why, whylen, "not in the cluster: %s", sd->cs_why);
		return -1;
	}
	if (sd->nmem == 0) {
		snprintf(why, whylen, "this node is alone in the cluster: "
		    "no other member to resync from");
		return -1;
	}
	if (sd->rs == RS_WAIT) {
		snprintf(why, whylen, "a bulk resync from node %u is already "
		    "awaited", sd->rs_from);
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.hdr.type = SYNC_RESYNC_REQ;
	m.hdr.seq = sd->rs_asked + 1;
	m.u.node = sd->cpg.nodeid;
	if (syncd_mcast_raw(sd, &m) == -1) {
		snprintf(why, whylen, "the request could not be multicast");
		return -1;
	}
	sd->rs_asked++;
	log_notice("sync: resync asked (haadm): re-fetching the database "
	    "from the cluster");
	return 0;
}

/* The lowest node id among the members other than `not`; 0: none. */
static uint32_t
lowest_other(const struct syncd *sd, uint32_t not)
{
	uint32_t	 best = 0;
	size_t		 i;

	if (sd->cpg.nodeid != not)
		best = sd->cpg.nodeid;
	for (i = 0; i < sd->nmem; i++)
		if (sd->mem[i].nodeid != not &&
		    (best == 0 || sd->mem[i].nodeid < best))
			best = sd->mem[i].nodeid;
	return best;
}

void
syncd_resync_deliver(struct syncd *sd, uint32_t from,
    const struct sync_msg *m)
{
	uint32_t	 sender;

	/* Only a node asks for itself. */
	if (m->u.node != from) {
		(void)syncd_drop(sd, SD_CPG_TYPE);
		return;
	}
	if ((sender = lowest_other(sd, from)) == 0)
		return;			/* it is alone now: nothing to do */
	if (from == sd->cpg.nodeid) {
		if (sd->rs == RS_WAIT)
			return;		/* a join's bulk is coming anyway */
		syncd_rs_wait(sd, sender);
		sd->rs_merge = true;
		log_info("sync: resync: bulk from node %u, merged by gen",
		    sender);
	} else if (sender == sd->cpg.nodeid) {
		/*
		 * Even a stale copy is sent: the receiver merges by gen and
		 * counters only move forward, so it cannot roll anything
		 * back; and the receiver waits for this bulk.
		 */
		log_info("sync node %u: asks for a resync: sending the bulk",
		    from);
		syncd_bulk_send(sd);
	}
}

void
syncd_resync_done(struct syncd *sd)
{
	sd->rs_done++;
	sd->rs_last_records = sd->bulk_records_in;
	sd->rs_last_ms = sd->bulk_ms;
	sd->rs_merge = false;
	log_notice("sync: resync done: %" PRIu64 " record(s) from node %u "
	    "in %" PRIu64 " ms", sd->rs_last_records, sd->rs_from,
	    sd->rs_last_ms);
	syncd_stats_send(sd);
}
