/*
 * syncd/ctl.c -- syncd's lines in `haadm status` (ctl_put_kv): the node,
 * the members and their acknowledgement state, the ring id, SA counts,
 * the digest of the database (compare nodes with it), what was applied
 * last, the write-ahead lag, bulk resync figures and every drop counter
 * by name, then one block of node.<id>.* lines per member (stats.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tandem/ctlmsg.h"
#include "tandem/daemon.h"
#include "tandem/util.h"
#include "loop.h"
#include "sadb.h"

static const char *const drop_names[] = {
	[SD_CPG_DECODE]		= "cpg_decode",
	[SD_CPG_TYPE]		= "cpg_type",
	[SD_APPLY_ERR]		= "apply_error",
	[SD_IKE_DECODE]		= "ike_decode",
	[SD_IKE_TYPE]		= "ike_type",
	[SD_IKE_DENIED]		= "ike_denied",
	[SD_IKE_FULL]		= "ike_full",
	[SD_CPG_SEND]		= "cpg_send",
	[SD_PENDING_FULL]	= "pending_full",
};
_Static_assert(nitems(drop_names) == SD_MAX, "a name per syncd drop");

const char *
syncd_drop_name(unsigned int d)
{
	return d < nitems(drop_names) ? drop_names[d] : "?";
}

static void
kv_u64(struct wr *w, const char *key, uint64_t v)
{
	char	 buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	ctl_put_kv(w, key, buf);
}

void
syncd_ctl_status(struct daemon *d, struct wr *w)
{
	struct syncd		*sd = d->priv;
	struct sadb_stats	 st;
	struct sadb_digest	 dg;
	char			 buf[256], hex[2 * SADB_DIGEST_LEN + 1];
	uint64_t		 now = syncd_now_ms(), lag_ms = 0;
	size_t			 i, off = 0;
	unsigned int		 k;

	if (sd == NULL)
		return;
	kv_u64(w, "node", sd->cpg.nodeid);
	ctl_put_kv(w, "corosync", sd->cs == SYNCD_CS_DOWN ? "down" : "up");
	ctl_put_kv(w, "replication", sd->cs == SYNCD_CS_UP ? "on" :
	    sd->cs == SYNCD_CS_REFUSED ? "REFUSED" : "waiting for corosync");
	ctl_put_kv(w, "corosync_why", sd->cs_why);
	ctl_put_kv(w, "cpg", sd->cpg_open ? "joined" : "down");
	buf[0] = '\0';
	for (i = 0; i < sd->nmem && off < sizeof(buf) - 1; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%u",
		    i ? "," : "", sd->mem[i].nodeid);
	ctl_put_kv(w, "members", buf);
	kv_u64(w, "nmembers", sd->nmem + (sd->cpg_open ? 1 : 0));
	snprintf(buf, sizeof(buf), "%u/%" PRIu64, sd->cpg.ring_node,
	    sd->cpg.ring_seq);
	ctl_put_kv(w, "ring_id", buf);
	ctl_put_kv(w, "ring_crypto", sd->cs == SYNCD_CS_DOWN ? "unknown" :
	    sd->ring.encrypted ? "on" : "OFF");
	sadb_get_stats(sd->db, &st);
	kv_u64(w, "ike_sas", st.n_ike);
	kv_u64(w, "child_sas", st.n_child);
	kv_u64(w, "orphans", st.orphans);
	if (sadb_digest(sd->db, &dg) == 0) {
		sadb_digest_hex(dg.set, hex);
		ctl_put_kv(w, "digest", hex);
		sadb_digest_hex(dg.full, hex);
		ctl_put_kv(w, "digest_full", hex);
	}
	kv_u64(w, "applied", sd->applied);
	kv_u64(w, "ignored", sd->ignored);
	snprintf(buf, sizeof(buf), "node %u seq %" PRIu64,
	    sd->last_applied_node, sd->last_applied_seq);
	ctl_put_kv(w, "last_applied", buf);
	kv_u64(w, "tx_seq", sd->wal.last_seq);
	kv_u64(w, "committed_seq", sd->committed);
	/* Write-ahead lag: events multicast but not yet held by all. */
	kv_u64(w, "commit_lag_events", sd->wal.last_seq - sd->committed);
	for (i = 0; i < sd->nmem; i++)
		if (sd->mem[i].last_ack_ms != 0 &&
		    now - sd->mem[i].last_ack_ms > lag_ms)
			lag_ms = now - sd->mem[i].last_ack_ms;
	kv_u64(w, "last_ack_age_ms", lag_ms);
	kv_u64(w, "pending", wal_inflight(&sd->wal));
	kv_u64(w, "cpg_queued", sync_cpg_queued(&sd->cpg));
	kv_u64(w, "cpg_sent", sd->cpg.sent);
	kv_u64(w, "cpg_delivered", sd->cpg.delivered);
	kv_u64(w, "cpg_try_again", sd->cpg.send_retries);
	kv_u64(w, "acks_sent", sd->acks_sent);
	kv_u64(w, "acks_received", sd->acks_rcvd);
	ctl_put_kv(w, "resync", sd->rs == RS_WAIT ? "waiting" :
	    sd->stale ? "stale" : "live");
	kv_u64(w, "bulks_sent", sd->bulks_sent);
	kv_u64(w, "bulks_received", sd->bulks_received);
	kv_u64(w, "bulk_ms", sd->bulk_ms);
	kv_u64(w, "resync_requests", sd->rs_asked);
	kv_u64(w, "resync_done", sd->rs_done);
	kv_u64(w, "resync_last_records", sd->rs_last_records);
	kv_u64(w, "resync_last_ms", sd->rs_last_ms);
	for (i = 0, k = 0; i < SYNCD_IKE_CLIENTS; i++)
		k += sd->cl[i].fd != -1;
	kv_u64(w, "ikev2d_clients", k);
	kv_u64(w, "live_pushed", sd->live_pushed);
	kv_u64(w, "live_overruns", sd->live_overruns);
	/* ESP counters and lease fences (aevent.h). */
	ctl_put_kv(w, "counters", sd->ae_open ? "on" : "off");
	kv_u64(w, "ctr_aevents", sd->ae.events + sd->ae.expires);
	kv_u64(w, "ctr_in_records", sd->ae.in_records);
	kv_u64(w, "ctr_batches_sent", sd->ae.ctr_sent);
	kv_u64(w, "ctr_out_sas", sd->ae.nout);
	kv_u64(w, "ctr_leases_asked", sd->ae.leases_asked);
	kv_u64(w, "ctr_leases_committed", sd->ae.leases_committed);
	kv_u64(w, "ctr_out_end_max", sadb_out_end_max(sd->db));
	kv_u64(w, "ctr_fences_programmed", sd->ae.fences_programmed);
	kv_u64(w, "ctr_fence_failures", sd->ae.fence_failures);
	kv_u64(w, "ctr_fence_soft_expires", sd->ae.fence_soft_expires);
	kv_u64(w, "ctr_fence_hard_expires", sd->ae.fence_hard_expires);
	kv_u64(w, "ctr_unfenced_first", sd->ae.unfenced_first);
	kv_u64(w, "ctr_unknown_sa", sd->ae.unknown_sa);
	for (k = 0; k < SD_MAX; k++) {
		snprintf(buf, sizeof(buf), "drop_%s", syncd_drop_name(k));
		kv_u64(w, buf, sd->drops[k]);
	}
	/* Every member's figures, ours included (stats.c). */
	syncd_stats_status(sd, w);
}
