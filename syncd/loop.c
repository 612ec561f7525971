/*
 * syncd/loop.c -- syncd's edge: everything between the replication cores
 * (sadb.h) and the operating system.
 *
 *   ikev2d --SEQPACKET syncd-ike.sock--> re-sequence --CPG agreed--> all
 *   CPG deliver --decode--> sadb apply (every node, ours too) --> ack
 *   CPG acks --> commit point --> "committed up to N" back to ikev2d
 *   CPG confchg --> members, commit, bulk resync (cut = the confchg)
 *
 * Write-ahead (DESIGN guarantee 3): wal.c, in its delivery-tracked
 * mode.  Each event from ikev2d (and our own CTR / LEASE) is multicast
 * under the next wal seq with a tag naming the ikev2d client and its
 * seq (syncd_tag()); other members' cumulative SYNC_ACKs, our own
 * deliveries and configuration changes move the commit point, and
 * syncd_commit_advance() answers ikev2d with SYNC_ACK {node 0, [ {our
 * node, ike_seq} ]} for every tag under it.  Acks we owe are batched by
 * wal (sync.ack_max_delay_ms) and flushed at the end of each dispatch
 * round.  Records go to the database through sync_apply()'s ops table.
 * The ikev2d socket itself is ike_sock.c.
 *
 * Bulk resync (item 5) -- the configuration change is the cut.  When a
 * confchg has joined members, the lowest node id among the members that
 * were there before sends BULK_BEGIN {ring, count}, every record with
 * SYNC_F_BULK (IKE SAs first), BULK_END.  Its database at that moment is
 * exactly the state at the cut (it has applied everything delivered
 * before the confchg and nothing after).  A node that itself joined
 * clears its database at BULK_BEGIN and queues the live events delivered
 * after the confchg until BULK_END, then applies them in order: snapshot
 * + everything after the cut, no gap, no double apply (and a duplicate
 * would be ignored by gen anyway).  Partition merges (no node joined by
 * itself) normally mean one side lost corosync: a syncd that lost its
 * corosync connection marks its copy stale; a stale node never sends a
 * bulk, and on the next merge it waits for the bulk of the lowest node
 * that joined it (the side that kept running).  Two sides that both
 * kept running (a true partition) exchange snapshots and merge by gen:
 * XXX(issue 5) a delete made on one side during a partition can then be
 * undone by the other side's older copy.
 *
 * ikev2d SA reload: a client that sends SYNC_BULK_BEGIN gets every record
 * (SYNC_F_BULK) and a BULK_END with the count.  ikev2d does not ask yet
 * (it has no core call to adopt records): the syncd side is here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "tandem/cfg.h"
#include "tandem/daemon.h"
#include "tandem/log.h"
#include "tandem/syncmsg.h"
#include "tandem/util.h"
#include "loop.h"
#include "sadb.h"
#include "sync_apply.h"
#include "wal.h"

#define WAL_CAP		(1u << 18)	/* events in flight */
#define RING_WARN_S	3600.0
#define CPG_RETRY_S	0.001
#define CS_RETRY_MIN_S	1.0	/* corosync back-off: 1, 2, 4, 8, 10, 10 s */
#define CS_RETRY_MAX_S	10.0

static void	cs_connect(struct syncd *sd);
static void	cs_retry(struct syncd *sd);
static void	bulk_send(struct syncd *sd);

uint64_t
syncd_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool
syncd_drop(struct syncd *sd, enum syncd_drop what)
{
	sd->drops[what]++;
	return log_rate_ok(&sd->rl[what]);
}

static bool
is_event(unsigned int type)
{
	switch (type) {
	case SYNC_IKE_UP:
	case SYNC_IKE_DOWN:
	case SYNC_IKE_MID:
	case SYNC_CHILD_UP:
	case SYNC_CHILD_DOWN:
	case SYNC_CTR:
	case SYNC_LEASE:
		return true;
	default:
		return false;
	}
}

/* ------------------------------------------------------------------ */
/* Apply into the database                                             */

/* One event in delivery order, through sync_apply()'s ops table. */
static int
apply(struct syncd *sd, const struct sync_msg *m)
{
	int	 rc;

	rc = sync_apply(sd->db, m, &sd->ast);
	if (rc == SADB_OK) {
		sd->applied++;
		syncd_live_push(sd, m);
	} else if (rc > 0)
		sd->ignored++;
	else if (syncd_drop(sd, SD_APPLY_ERR))
		log_err("sync: %s seq %" PRIu64 " not applied: %s",
		    sync_apply_type_name(m->hdr.type), m->hdr.seq,
		    sync_apply_res_name(rc));
	return rc;
}

/*
 * The wal tag of an event from ikev2d: client slot + 1 (4 bits), the
 * low 12 bits of the connection generation, ikev2d's seq (48 bits:
 * ikev2d counts from 1 per process).  0: our own event (CTR, LEASE).
 */
#define TAG_SEQ_MASK	0xffffffffffffULL

uint64_t
syncd_tag(size_t slot, uint32_t gen, uint64_t ike_seq)
{
	return (uint64_t)(slot + 1) << 60 | (uint64_t)(gen & 0xfff) << 48 |
	    (ike_seq & TAG_SEQ_MASK);
}

/* The commit point may have moved (wal.h): answer ikev2d under it. */
void
syncd_commit_advance(struct syncd *sd)
{
	uint64_t	 c = wal_commit_point(&sd->wal), seq, tag;
	uint64_t	 best[SYNCD_IKE_CLIENTS];
	bool		 any[SYNCD_IKE_CLIENTS];
	size_t		 i, slot;

	if (c <= sd->committed)
		return;
	sd->committed = c;
	if (sd->ae_open)
		aevent_commit(&sd->ae, sd->db, c);
	memset(any, 0, sizeof(any));
	while (wal_pop_committed(&sd->wal, &seq, &tag) == 1) {
		if (tag == 0)
			continue;
		slot = (size_t)(tag >> 60) - 1;
		if (slot < SYNCD_IKE_CLIENTS && sd->cl[slot].fd != -1 &&
		    (sd->cl[slot].gen & 0xfff) == ((tag >> 48) & 0xfff)) {
			best[slot] = tag & TAG_SEQ_MASK;
			any[slot] = true;
		}
	}
	for (i = 0; i < SYNCD_IKE_CLIENTS; i++)
		if (any[i])
			syncd_client_ack(sd, &sd->cl[i], best[i]);
}

/* ------------------------------------------------------------------ */
/* To the ring                                                          */

static void
cpg_kick(struct syncd *sd)
{
	if (sync_cpg_queued(&sd->cpg) > 0 &&
	    !ev_is_active(&sd->cpg_retry)) {
		ev_timer_set(&sd->cpg_retry, CPG_RETRY_S, CPG_RETRY_S);
		ev_timer_start(sd->d->loop, &sd->cpg_retry);
	}
}

/* Multicast m (re-encoded: the header's seq is ours).  0 or -1. */
static int
mcast_msg(struct syncd *sd, struct sync_msg *m)
{
	struct wr	 w;
	long		 n;
	int		 rc;

	if (!sd->cpg_open) {
		(void)syncd_drop(sd, SD_CPG_SEND);
		return -1;
	}
	wr_init(&w, sd->buf, sizeof(sd->buf));
	if ((n = syncmsg_encode(&w, m)) < 0) {
		(void)syncd_drop(sd, SD_CPG_SEND);
		return -1;
	}
	/* Packed with the others of this loop turn (cpg.h); on_prepare()
	 * sends the pack before the loop blocks. */
	rc = sync_cpg_pack(&sd->cpg, sd->buf, (size_t)n);
	OPENSSL_cleanse(sd->buf, (size_t)n);
	if (rc == -1) {
		if (syncd_drop(sd, SD_CPG_SEND))
			log_err("sync: %s not multicast (%zu queued)",
			    syncmsg_type_name(m->hdr.type),
			    sync_cpg_queued(&sd->cpg));
		return -1;
	}
	cpg_kick(sd);
	return 0;
}

int
syncd_mcast_raw(struct syncd *sd, struct sync_msg *m)
{
	return mcast_msg(sd, m);
}

/* Send the acknowledgement wal.c has batched (wal_ack_build()). */
static void
ack_send(struct syncd *sd)
{
	struct sync_msg	 m;

	ev_timer_stop(sd->d->loop, &sd->ack_tmr);
	memset(&m, 0, sizeof(m));
	m.hdr.type = SYNC_ACK;
	if (wal_ack_build(&sd->wal, &m.u.ack) == 0)
		return;
	if (mcast_msg(sd, &m) == 0)
		sd->acks_sent++;
}

static void
on_ack_tmr(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct syncd	*sd = container_of(w, struct syncd, ack_tmr);

	ack_send(sd);
}

/*
 * An event from another member is held (wal_held() done): acknowledge
 * it.  Batching: every delivery of one dispatch round shares one ack,
 * sent when the round ends (on_cpg_io), so an idle link adds no delay
 * and a busy one batches naturally; wal's ack_n events force one
 * sooner, and the timer at wal_ack_deadline() bounds the wait by
 * sync.ack_max_delay should a round not end.
 */
static void
ack_later(struct syncd *sd)
{
	uint64_t	 now = syncd_now_ms(), dl;

	if (wal_ack_due(&sd->wal, now)) {
		ack_send(sd);
		return;
	}
	if (!ev_is_active(&sd->ack_tmr) &&
	    (dl = wal_ack_deadline(&sd->wal)) != UINT64_MAX) {
		ev_timer_set(&sd->ack_tmr, dl > now ? (dl - now) / 1000.0 :
		    0.0, 0.0);
		ev_timer_start(sd->d->loop, &sd->ack_tmr);
	}
}

/* A dispatch round ended: acknowledge what it delivered. */
static void
ack_round_end(struct syncd *sd)
{
	if (wal_ack_deadline(&sd->wal) != UINT64_MAX)
		ack_send(sd);
}

/* ------------------------------------------------------------------ */
/* CPG callbacks                                                        */

static struct member *
member_find(struct syncd *sd, uint32_t nodeid)
{
	size_t	 i;

	for (i = 0; i < sd->nmem; i++)
		if (sd->mem[i].nodeid == nodeid)
			return &sd->mem[i];
	return NULL;
}

static void
live_q_clear(struct syncd *sd)
{
	struct live_q	*q;

	while ((q = sd->lq_head) != NULL) {
		sd->lq_head = q->next;
		OPENSSL_cleanse(q->buf, q->len);
		free(q);
	}
	sd->lq_tail = NULL;
	sd->lq_len = 0;
}

static void	deliver(struct syncd *sd, uint32_t nodeid,
		    const uint8_t *buf, size_t len, bool queued);

static void
bulk_done(struct syncd *sd)
{
	struct live_q	*q;

	sd->rs = RS_NONE;
	sd->bulks_received++;
	sd->bulk_ms = syncd_now_ms() - sd->bulk_t0;
	if (sd->rs_merge)
		syncd_resync_done(sd);
	log_notice("sync node %u: bulk resync in %" PRIu64 " ms: %" PRIu64
	    " record(s), then %zu live event(s) queued since the cut",
	    sd->rs_from, sd->bulk_ms, sd->bulk_records_in, sd->lq_len);
	while ((q = sd->lq_head) != NULL) {
		sd->lq_head = q->next;
		deliver(sd, q->nodeid, q->buf, q->len, true);
		OPENSSL_cleanse(q->buf, q->len);
		free(q);
	}
	sd->lq_tail = NULL;
	sd->lq_len = 0;
}

static void
deliver(struct syncd *sd, uint32_t nodeid, const uint8_t *buf, size_t len,
    bool queued)
{
	struct sync_msg	*m = &sd->m;
	struct member	*mb;
	struct live_q	*q;
	bool		 own = nodeid == sd->cpg.nodeid;
	int		 rc;

	if ((rc = syncmsg_decode(buf, len, m)) != 0) {
		if (syncd_drop(sd, SD_CPG_DECODE))
			log_warn("sync node %u: message dropped: %s", nodeid,
			    syncmsg_err_name(rc));
		return;
	}
	/* Joined and waiting for the bulk: live events wait behind it. */
	if (sd->rs == RS_WAIT && !queued && is_event(m->hdr.type) &&
	    !(m->hdr.flags & SYNC_F_BULK)) {
		if ((q = malloc(sizeof(*q) + len)) != NULL) {
			q->next = NULL;
			q->nodeid = nodeid;
			q->len = len;
			memcpy(q->buf, buf, len);
			if (sd->lq_tail != NULL)
				sd->lq_tail->next = q;
			else
				sd->lq_head = q;
			sd->lq_tail = q;
			sd->lq_len++;
		}
		goto done;
	}
	switch (m->hdr.type) {
	case SYNC_ACK:
		if (own)
			break;
		sd->acks_rcvd++;
		if ((mb = member_find(sd, nodeid)) != NULL)
			mb->last_ack_ms = syncd_now_ms();
		/* Only its sender may speak for a node. */
		if (m->u.ack.node != nodeid) {
			(void)syncd_drop(sd, SD_CPG_TYPE);
			break;
		}
		if (wal_ack(&sd->wal, &m->u.ack) == 1)
			syncd_commit_advance(sd);
		break;
	case SYNC_BULK_BEGIN:
		if (own || sd->rs != RS_WAIT || nodeid != sd->rs_from)
			break;
		/* `haadm resync` merges by gen (resync_op.c): no clear,
		 * nothing a live ikev2d holds goes */
		if (!sd->rs_merge) {
			sadb_clear(sd->db);
			syncd_live_reset(sd, "database cleared for a bulk "
			    "resync");
		}
		sd->bulk_records_in = 0;
		log_info("sync node %u: bulk resync begins (%u record(s), "
		    "ring %u/%" PRIu64 ")", nodeid, m->u.bulk.count,
		    m->u.bulk.ring_node, m->u.bulk.ring_seq);
		break;
	case SYNC_BULK_END:
		if (own || sd->rs != RS_WAIT || nodeid != sd->rs_from)
			break;
		bulk_done(sd);
		sd->stale = false;
		break;
	case SYNC_STATS:
		syncd_stats_deliver(sd, nodeid, m);
		break;
	case SYNC_RESYNC_REQ:
		syncd_resync_deliver(sd, nodeid, m);
		break;
	default:
		if (!is_event(m->hdr.type)) {
			(void)syncd_drop(sd, SD_CPG_TYPE);
			break;
		}
		if (m->hdr.flags & SYNC_F_BULK) {
			/* Everyone else already holds these: by gen, a no-op. */
			if (!own)
				(void)apply(sd, m);
			sd->bulk_records_in++;
			break;
		}
		(void)apply(sd, m);
		if (m->hdr.type == SYNC_CTR)
			sd->st.ctr_last_ms = syncd_now_ms();
		if (m->hdr.type == SYNC_CHILD_DOWN && sd->ae_open)
			aevent_child_down(&sd->ae, &m->u.child);
		sd->last_applied_seq = m->hdr.seq;
		sd->last_applied_node = nodeid;
		if (own) {
			/* No aevent_child_up() here: done at multicast.  An
			 * SA it did not find cannot be in the kernel now
			 * either: ikev2d installs it once this event
			 * commits, and that needs this delivery. */
			if (wal_delivered(&sd->wal, m->hdr.seq) == 1)
				syncd_commit_advance(sd);
		} else if (member_find(sd, nodeid) != NULL) {
			wal_held(&sd->wal, nodeid, m->hdr.seq,
			    syncd_now_ms());
			ack_later(sd);
		}
		break;
	}
 done:
	syncmsg_wipe(m);
}

/* One CPG message: a pack of sync messages, each as long as its header
 * says (cpg.h); a length that does not fit drops the rest. */
static void
on_cpg_deliver(void *arg, uint32_t nodeid, uint32_t pid, const uint8_t *buf,
    size_t len)
{
	struct syncd	*sd = arg;
	long		 l;

	while (len > 0) {
		if ((l = syncmsg_frame_len(buf, len)) == -1) {
			if (syncd_drop(sd, SD_CPG_DECODE))
				log_warn("sync node %u: %zu byte(s) of a "
				    "pack dropped: bad length", nodeid, len);
			return;
		}
		deliver(sd, nodeid, buf, (size_t)l, false);
		buf += l;
		len -= (size_t)l;
	}
}

/* Joined, or merged while stale: wait for from's bulk, queue the live. */
static void
rs_wait(struct syncd *sd, uint32_t from)
{
	sd->rs = RS_WAIT;
	sd->rs_from = from;
	sd->rs_merge = false;
	sd->bulk_t0 = syncd_now_ms();
	live_q_clear(sd);
}

void
syncd_rs_wait(struct syncd *sd, uint32_t from)
{
	rs_wait(sd, from);
}

static bool
in_list(const struct sync_cpg_member *l, size_t n, uint32_t nodeid)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (l[i].nodeid == nodeid)
			return true;
	return false;
}

/*
 * Back in the group after losing corosync (wal.h, LOSING COROSYNC): the
 * events pending at the loss are resolved without a commit, and each
 * ikev2d is made to send its unacknowledged events again (it keeps them
 * until acknowledged and re-sends on reconnect; apply is idempotent by
 * gen), so that they commit in this configuration.
 */
static void
rejoined(struct syncd *sd)
{
	size_t	 n, i, k = 0;

	n = wal_rejoin(&sd->wal);
	for (i = 0; i < SYNCD_IKE_CLIENTS; i++)
		if (sd->cl[i].fd != -1) {
			syncd_client_close(&sd->cl[i], "corosync rejoined: "
			    "send unacknowledged events again");
			k++;
		}
	log_notice("sync: rejoined the group: %zu event(s) pending since "
	    "corosync was lost were not committed; %zu ikev2d client(s) "
	    "asked to send theirs again", n, k);
}

static void
on_cpg_confchg(void *arg, const struct sync_cpg_view *v)
{
	struct syncd	*sd = arg;
	struct member	 keep[SYNC_CPG_MEMBERS_MAX];
	struct member	*old;
	uint32_t	 ids[SYNC_CPG_MEMBERS_MAX], jids[SYNC_CPG_MEMBERS_MAX];
	size_t		 i, n = 0, k;
	uint32_t	 sender = 0, from_joined = 0;
	bool		 me_joined;

	for (i = 0; i < v->nleft; i++)
		log_notice("sync node %u: left (pid %u)", v->left[i].nodeid,
		    v->left[i].pid);
	for (i = 0; i < v->njoined; i++)
		if (v->joined[i].nodeid != sd->cpg.nodeid)
			log_notice("sync node %u: joined (pid %u)",
			    v->joined[i].nodeid, v->joined[i].pid);
	me_joined = in_list(v->joined, v->njoined, sd->cpg.nodeid);
	/* The new member table: others only. */
	for (i = 0; i < v->nmembers; i++) {
		if (v->members[i].nodeid == sd->cpg.nodeid)
			continue;
		old = member_find(sd, v->members[i].nodeid);
		if (old != NULL && old->pid == v->members[i].pid &&
		    !in_list(v->joined, v->njoined, v->members[i].nodeid)) {
			keep[n++] = *old;
			continue;
		}
		memset(&keep[n], 0, sizeof(keep[n]));
		keep[n].nodeid = v->members[i].nodeid;
		keep[n].pid = v->members[i].pid;
		n++;
	}
	memcpy(sd->mem, keep, n * sizeof(keep[0]));
	sd->nmem = n;
	if (me_joined && wal_is_lost(&sd->wal))
		rejoined(sd);
	/*
	 * Commit tracking (wal.c): first without the joined, so that a node
	 * that left and came back in one change (a restarted syncd counts
	 * from 1 again) starts afresh; then with them, whose floor is what
	 * was delivered to us before the change (it is in their bulk).
	 */
	for (i = 0, k = 0; i < v->nmembers && k < nitems(ids); i++)
		if (!in_list(v->joined, v->njoined, v->members[i].nodeid))
			ids[k++] = v->members[i].nodeid;
	(void)wal_confchg(&sd->wal, ids, k);
	for (i = 0, k = 0; i < v->nmembers && k < nitems(ids); i++)
		ids[k++] = v->members[i].nodeid;
	(void)wal_confchg(&sd->wal, ids, k);
	/* Leases in flight may be lost: ask again (before anything below
	 * can move the commit point). */
	if (sd->ae_open)
		aevent_confchg(&sd->ae);
	/* The bulk sender: the lowest node id that was here before. */
	for (i = 0; i < v->nmembers; i++) {
		if (in_list(v->joined, v->njoined, v->members[i].nodeid))
			continue;
		if (sender == 0 || v->members[i].nodeid < sender)
			sender = v->members[i].nodeid;
	}
	/* Others that joined us (a syncd start, or a partition merge). */
	for (i = 0; i < v->njoined; i++)
		if (v->joined[i].nodeid != sd->cpg.nodeid &&
		    (from_joined == 0 || v->joined[i].nodeid < from_joined))
			from_joined = v->joined[i].nodeid;
	if (me_joined) {
		sd->joined = true;
		if (sender != 0) {
			rs_wait(sd, sender);
			log_info("sync: joined %zu member(s); bulk resync "
			    "from node %u", n, sender);
		} else {
			log_info("sync: joined %zu member(s); no one to "
			    "resync from%s", n, sd->stale ? " (this node's "
			    "copy is stale: it waits for one)" : "");
		}
	} else if (from_joined != 0 && sd->stale) {
		/* A merge after we lost corosync: their copy wins. */
		rs_wait(sd, from_joined);
		log_info("sync: merged with node %u; this node's copy is "
		    "stale: bulk resync from it", from_joined);
	} else if (from_joined != 0 && sender == sd->cpg.nodeid &&
	    !sd->stale) {
		bulk_send(sd);
	}
	if (sd->rs == RS_WAIT && !in_list(v->members, v->nmembers,
	    sd->rs_from)) {
		log_err("sync node %u: left during the bulk resync: this "
		    "node's copy may be incomplete until the next change",
		    sd->rs_from);
		bulk_done(sd);
	}
	syncd_commit_advance(sd);
	for (i = 0, k = 0; i < v->nmembers && k < nitems(ids); i++)
		ids[k++] = v->members[i].nodeid;
	for (i = 0, n = 0; i < v->njoined && n < nitems(jids); i++)
		jids[n++] = v->joined[i].nodeid;
	syncd_stats_members(sd, ids, k, jids, n);
}

static void
on_cpg_ring(void *arg, uint32_t node, uint64_t seq)
{
	log_debug("sync: totem ring %u/%" PRIu64, node, seq);
}

/* ------------------------------------------------------------------ */
/* Bulk resync: sender                                                  */

/*
 * The reload stream to an ikev2d goes in packs of up to SYNC_MAX_LEN
 * bytes (syncmsg_frame_len() splits them): one datagram per record cost
 * ikev2d's takeover 1.3 s for 1,000 SAs in the UML lab, where every
 * system call is slow.  The pack holds keys: wiped after each send.
 */
struct client_pack {
	struct ike_client	*c;
	uint8_t			*buf;		/* SYNC_MAX_LEN, or NULL */
	size_t			 len;
};

static int
client_pack_flush(struct client_pack *p)
{
	int	 rc = 0;

	if (p->len > 0)
		rc = syncd_client_send(p->c, p->buf, p->len);
	OPENSSL_cleanse(p->buf, p->len);
	p->len = 0;
	return rc;
}

static int
client_pack_add(struct client_pack *p, const uint8_t *msg, size_t n)
{
	if (p->buf == NULL)		/* no memory for a pack: one by one */
		return syncd_client_send(p->c, msg, n);
	if (p->len + n > SYNC_MAX_LEN && client_pack_flush(p) == -1)
		return -1;
	memcpy(p->buf + p->len, msg, n);
	p->len += n;
	return 0;
}

/* One record or marker to the ring (p->c == NULL) or to the client. */
static int
stream_send(struct syncd *sd, struct client_pack *p, const uint8_t *msg,
    size_t n)
{
	return p->c != NULL ? client_pack_add(p, msg, n) :
	    sync_cpg_send(&sd->cpg, msg, n);
}

/* Stream every record to the ring (cpg) or to one ikev2d client (c). */
uint32_t
syncd_bulk_stream(struct syncd *sd, struct ike_client *c)
{
	struct sadb_cursor	 cur;
	struct sadb_item	*it;
	struct sadb_stats	 st;
	struct sync_bulk	 b;
	struct client_pack	 p;
	struct wr		 w;
	uint32_t		 count = 0;
	long			 n;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return 0;
	memset(&p, 0, sizeof(p));
	p.c = c;
	if (c != NULL)
		p.buf = malloc(SYNC_MAX_LEN);
	sadb_get_stats(sd->db, &st);
	memset(&b, 0, sizeof(b));
	b.ring_node = sd->cpg.ring_node;
	b.ring_seq = sd->cpg.ring_seq;
	b.count = (uint32_t)(st.n_ike + st.n_child);
	wr_init(&w, sd->buf, sizeof(sd->buf));
	if ((n = syncmsg_encode_bulk(&w, SYNC_BULK_BEGIN, 0, 0, &b)) > 0)
		(void)stream_send(sd, &p, sd->buf, (size_t)n);
	sadb_cursor_init(sd->db, &cur, NULL);
	while (sadb_cursor_next(sd->db, &cur, it) != SADB_ITEM_END) {
		wr_init(&w, sd->buf, sizeof(sd->buf));
		n = it->type == SADB_ITEM_IKE ?
		    syncmsg_encode_ike_up(&w, 0, SYNC_F_BULK, &it->u.ike) :
		    syncmsg_encode_child_up(&w, 0, SYNC_F_BULK,
		    &it->u.child);
		if (it->type == SADB_ITEM_IKE)
			sa_ike_wipe(&it->u.ike);
		else
			sa_child_wipe(&it->u.child);
		if (n < 0)
			continue;
		if (stream_send(sd, &p, sd->buf, (size_t)n) == 0)
			count++;
		OPENSSL_cleanse(sd->buf, (size_t)n);
	}
	OPENSSL_cleanse(it, sizeof(*it));
	free(it);
	b.count = count;
	wr_init(&w, sd->buf, sizeof(sd->buf));
	if ((n = syncmsg_encode_bulk(&w, SYNC_BULK_END, 0, 0, &b)) > 0)
		(void)stream_send(sd, &p, sd->buf, (size_t)n);
	if (c != NULL) {
		(void)client_pack_flush(&p);
		free(p.buf);
	} else
		cpg_kick(sd);
	return count;
}

static void
bulk_send(struct syncd *sd)
{
	uint64_t	 t0 = syncd_now_ms();
	uint32_t	 n;

	n = syncd_bulk_stream(sd, NULL);
	sd->bulks_sent++;
	log_notice("sync: bulk resync sent: %u record(s) queued in %" PRIu64
	    " ms", n, syncd_now_ms() - t0);
}

void
syncd_bulk_send(struct syncd *sd)
{
	bulk_send(sd);
}

/* ------------------------------------------------------------------ */
/* CPG I/O                                                              */

static void
cpg_down(struct syncd *sd, const char *why)
{
	ev_io_stop(sd->d->loop, &sd->cpg_io);
	ev_timer_stop(sd->d->loop, &sd->cpg_retry);
	sync_cpg_close(&sd->cpg);
	sd->cpg_open = false;
	sd->nmem = 0;
	/* Not a configuration change: what the others hold is unknown, so
	 * nothing commits (held responses stay held) until we rejoin. */
	wal_lost(&sd->wal);
	if (sd->ae_open)
		aevent_confchg(&sd->ae);
	sd->joined = false;
	syncd_stats_members(sd, NULL, 0, NULL, 0);
	live_q_clear(sd);
	sd->rs = RS_NONE;
	/* What we hold may have moved on without us: never push it. */
	sd->stale = true;
	sd->cs = SYNCD_CS_DOWN;
	snprintf(sd->cs_why, sizeof(sd->cs_why), "lost: %s", why);
	sd->cs_logged = true;
	sd->cs_backoff = 0.0;
	log_err("sync: corosync lost (%s): retrying from %.0f s, backing "
	    "off to %.0f s", why, CS_RETRY_MIN_S, CS_RETRY_MAX_S);
	cs_retry(sd);
}

/* Before the loop blocks: multicast what this turn packed. */
static void
on_prepare(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct syncd	*sd = container_of(w, struct syncd, prep);

	if (!sd->cpg_open || sd->cpg.pack_len == 0)
		return;
	if (sync_cpg_pack_flush(&sd->cpg) == -1 &&
	    syncd_drop(sd, SD_CPG_SEND))
		log_err("sync: a pack of events not multicast");
	cpg_kick(sd);
}

/*
 * Everything corosync has delivered to us, applied now.  Also before
 * ikev2d is given the SAs (a fetch, a live stream's barrier): corosync
 * delivers in one total order to every local process, so what hamgrd
 * saw before it asked ikev2d to take over (a HANDOVER behind the old
 * master's final counters) is already queued here, maybe not yet read.
 */
void
syncd_cpg_drain(struct syncd *sd)
{
	if (!sd->cpg_open)
		return;
	if (sync_cpg_dispatch(&sd->cpg) == -1) {
		cpg_down(sd, "dispatch failed");
		return;
	}
	ack_round_end(sd);
}

static void
on_cpg_io(struct ev_loop *loop, ev_io *w, int revents)
{
	syncd_cpg_drain(container_of(w, struct syncd, cpg_io));
}

static void
on_cpg_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct syncd	*sd = container_of(w, struct syncd, cpg_retry);

	if (sync_cpg_flush(&sd->cpg) != 1)
		ev_timer_stop(loop, w);
}

static void
on_cpg_reopen(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct syncd	*sd = container_of(w, struct syncd, cpg_reopen);

	cs_connect(sd);
}

/* Try corosync again later: 1 s, doubling, at most 10 s. */
static void
cs_retry(struct syncd *sd)
{
	if (sd->cs_backoff < CS_RETRY_MIN_S)
		sd->cs_backoff = CS_RETRY_MIN_S;
	else if ((sd->cs_backoff *= 2) > CS_RETRY_MAX_S)
		sd->cs_backoff = CS_RETRY_MAX_S;
	ev_timer_stop(sd->d->loop, &sd->cpg_reopen);
	ev_timer_set(&sd->cpg_reopen, sd->cs_backoff, 0.0);
	ev_timer_start(sd->d->loop, &sd->cpg_reopen);
}

/*
 * corosync not reachable, or reachable but refused: say so once per
 * change of state or reason (the retries go on quietly), keep the reason
 * for the status, and try again later.
 */
static void
cs_fail(struct syncd *sd, enum syncd_cs st, const char *why)
{
	bool	 same = sd->cs_logged && sd->cs == st &&
		    strcmp(sd->cs_why, why) == 0;

	sd->cs = st;
	snprintf(sd->cs_why, sizeof(sd->cs_why), "%s", why);
	if (!same && st == SYNCD_CS_DOWN)
		log_err("sync: corosync not reachable (%s): not replicating; "
		    "retrying every %.0f-%.0f s", why, CS_RETRY_MIN_S,
		    CS_RETRY_MAX_S);
	else if (!same)
		log_err("sync: refusing to replicate keys: %s; not joining "
		    "the cluster (checked again, backing off to every "
		    "%.0f s)", why, CS_RETRY_MAX_S);
	else
		log_debug("sync: corosync still %s: %s",
		    st == SYNCD_CS_DOWN ? "not reachable" : "refused", why);
	sd->cs_logged = true;
	cs_retry(sd);
}

static int	ring_check(struct syncd *sd, char *why, size_t whylen);

/*
 * Connect to corosync: check the ring's crypto through cmap first, then
 * join the CPG group.  Never fatal: syncd waits for corosync.
 */
static void
cs_connect(struct syncd *sd)
{
	const struct sync_cpg_ops	 ops = {
		.deliver = on_cpg_deliver,
		.confchg = on_cpg_confchg,
		.ring = on_cpg_ring,
		.arg = sd,
	};
	char				 why[256];
	int				 rc;

	if ((rc = ring_check(sd, why, sizeof(why))) != 0) {
		cs_fail(sd, rc == -1 ? SYNCD_CS_DOWN : SYNCD_CS_REFUSED, why);
		return;
	}
	if (sync_cpg_open(&sd->cpg, sd->d->cfg->sync.cpg_group, &ops, why,
	    sizeof(why)) == -1) {
		cs_fail(sd, SYNCD_CS_DOWN, why);
		return;
	}
	sd->cs = SYNCD_CS_UP;
	sd->wal.self = sd->cpg.nodeid;
	sd->cs_backoff = 0.0;
	snprintf(sd->cs_why, sizeof(sd->cs_why), "joined cpg group %s",
	    sd->d->cfg->sync.cpg_group);
	if (sd->cs_logged)
		log_notice("sync: corosync reachable again");
	sd->cs_logged = false;
	sd->cpg_open = true;
	ev_io_init(&sd->cpg_io, on_cpg_io, sync_cpg_fd(&sd->cpg), EV_READ);
	ev_io_start(sd->d->loop, &sd->cpg_io);
	log_info("sync: node %u joined cpg group %s", sd->cpg.nodeid,
	    sd->d->cfg->sync.cpg_group);
}

/*
 * The first sequence lease of a Child SA rides in its CHILD_UP (DESIGN
 * guarantee 1): a member holds the SA only with its record, so every
 * member that could resume it holds out_end >= lease_packets from the
 * start, and this node's syncd fences the kernel there as soon as it
 * sees the SA (aevent_child_up(), or its first async event).  Only for
 * an SA new to the database (negotiated here, its numbers start at 0):
 * one already held (a takeover, a re-sent event) keeps the end members
 * hold, raised by LEASEs only.
 */
static void
first_lease(struct syncd *sd, struct sa_child *c)
{
	uint64_t	 end = sd->d->cfg->sync.lease_packets;

	if (c->spi_out == 0 ||
	    sadb_child_find_out(sd->db, c->spi_out, &c->remote) != NULL)
		return;
	if (c->ctr.out_end < end)
		c->ctr.out_end = end;
}

/*
 * Multicast an event under the next wal seq (tag: whom to answer when it
 * commits).  The seq is taken only once the message is with corosync
 * (or our FIFO), so a failed send leaves no hole.  Our seq, or 0.
 */
uint64_t
syncd_mcast_event(struct syncd *sd, struct sync_msg *m, uint64_t tag)
{
	uint64_t	 seq;

	if (wal_inflight(&sd->wal) >= sd->wal.cap) {
		if (syncd_drop(sd, SD_PENDING_FULL))
			log_err("sync: write-ahead table full (%zu events in "
			    "flight): %s not multicast", sd->wal.cap,
			    syncmsg_type_name(m->hdr.type));
		return 0;
	}
	m->hdr.seq = sd->wal.last_seq + 1;
	m->hdr.flags = 0;
	if (tag != 0 && m->hdr.type == SYNC_CHILD_UP)
		first_lease(sd, &m->u.child);
	if (mcast_msg(sd, m) == -1)
		return 0;	/* never acknowledged: ikev2d's grace */
	seq = wal_assign(&sd->wal, tag);
	/* Should the SA be in the kernel already, follow and fence it at
	 * its first lease now (aevent.h). */
	if (tag != 0 && m->hdr.type == SYNC_CHILD_UP && sd->ae_open)
		aevent_child_up(&sd->ae, sd->db, &m->u.child);
	return seq;
}

/* ------------------------------------------------------------------ */
/* ESP counters (item 4): aevent.c decides, this multicasts            */

/* An own event that is not from ikev2d: our seq, or 0. */
static uint64_t
mcast_own(struct syncd *sd, struct sync_msg *m)
{
	return syncd_mcast_event(sd, m, 0);
}

static uint64_t
ae_lease(void *arg, const struct sync_lease *l)
{
	struct syncd	*sd = arg;
	struct sync_msg	 m;

	memset(&m, 0, sizeof(m));
	m.hdr.type = SYNC_LEASE;
	m.u.lease = *l;
	return mcast_own(sd, &m);
}

static int
ae_ctr(void *arg, const struct sync_ctr_batch *b)
{
	struct syncd	*sd = arg;

	memset(&sd->m, 0, sizeof(sd->m));
	sd->m.hdr.type = SYNC_CTR;
	sd->m.u.ctr = *b;
	return mcast_own(sd, &sd->m) == 0 ? -1 : 0;
}

static void
ae_arm(struct syncd *sd)
{
	uint64_t	 dl = aevent_deadline(&sd->ae), now = syncd_now_ms();

	ev_timer_stop(sd->d->loop, &sd->ae_tmr);
	if (dl == UINT64_MAX)
		return;
	ev_timer_set(&sd->ae_tmr, dl > now ? (dl - now) / 1000.0 : 0.0, 0.0);
	ev_timer_start(sd->d->loop, &sd->ae_tmr);
}

static void
on_ae_io(struct ev_loop *loop, ev_io *w, int revents)
{
	struct syncd	*sd = container_of(w, struct syncd, ae_io);

	if (aevent_read(&sd->ae, sd->db, syncd_now_ms()) == -1) {
		log_err("sync: xfrm event socket failed: ESP counters no "
		    "longer replicated");
		ev_io_stop(loop, w);
		return;
	}
	ae_arm(sd);
}

static void
on_ae_tmr(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct syncd	*sd = container_of(w, struct syncd, ae_tmr);

	aevent_flush(&sd->ae, syncd_now_ms(), false);
	ae_arm(sd);
}

static void
ae_start(struct syncd *sd)
{
	const struct aevent_ops	 ops = {
		.lease = ae_lease,
		.ctr = ae_ctr,
		.arg = sd,
	};
	const struct cfg_sync	*c = &sd->d->cfg->sync;

	ev_timer_init(&sd->ae_tmr, on_ae_tmr, 0.0, 0.0);
	if (aevent_open(&sd->ae, &ops, c->lease_packets, c->replay_batch,
	    c->aevent_timer_ms) == -1) {
		log_warn("sync: xfrm event socket: %m: ESP counters not "
		    "replicated");
		return;
	}
	sd->ae_open = true;
	ev_io_init(&sd->ae_io, on_ae_io, aevent_fd(&sd->ae), EV_READ);
	ev_io_start(sd->d->loop, &sd->ae_io);
}

/* ------------------------------------------------------------------ */
/* Ring check (item 6)                                                  */

static void
on_ring_warn(struct ev_loop *loop, ev_timer *w, int revents)
{
	log_warn("sync: WARNING: replicating keys over an UNENCRYPTED "
	    "corosync ring (sync.allow_unencrypted_ring = true): lab use "
	    "only");
}

/*
 * Ask cmap whether the ring is encrypted and authenticated.  0: go on
 * (encrypted, or plain with the lab override: warned now and hourly);
 * -1: corosync not reachable; 1: plain and no override (refused).  The
 * reason is in why either way.
 */
static int
ring_check(struct syncd *sd, char *why, size_t whylen)
{
	if (ringcheck_query(&sd->ring, why, whylen) == -1)
		return -1;
	if (sd->ring.encrypted) {
		log_info("sync: corosync ring crypto: cipher %s, hash %s",
		    sd->ring.cipher, sd->ring.hash);
		return 0;
	}
	if (!sd->d->cfg->sync.allow_unencrypted_ring) {
		snprintf(why, whylen, "corosync's ring is not encrypted and "
		    "authenticated (totem.crypto_cipher '%s', "
		    "totem.crypto_hash '%s'); configure knet crypto, or set "
		    "sync.allow_unencrypted_ring = true for a lab",
		    sd->ring.cipher[0] ? sd->ring.cipher : "absent",
		    sd->ring.hash[0] ? sd->ring.hash : "absent");
		return 1;
	}
	if (!ev_is_active(&sd->ring_warn)) {
		on_ring_warn(sd->d->loop, &sd->ring_warn, 0);
		ev_timer_set(&sd->ring_warn, RING_WARN_S, RING_WARN_S);
		ev_timer_start(sd->d->loop, &sd->ring_warn);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The daemon frame's hooks                                             */

static void
syncd_free(struct syncd *sd)
{
	size_t	 i;

	if (sd == NULL)
		return;
	for (i = 0; i < SYNCD_IKE_CLIENTS; i++)
		syncd_client_close(&sd->cl[i], "syncd stops");
	if (sd->ike_lfd != -1) {
		ev_io_stop(sd->d->loop, &sd->ike_lio);
		close(sd->ike_lfd);
	}
	if (sd->cpg_open) {
		ev_io_stop(sd->d->loop, &sd->cpg_io);
		sync_cpg_close(&sd->cpg);
	}
	ev_timer_stop(sd->d->loop, &sd->cpg_retry);
	ev_timer_stop(sd->d->loop, &sd->cpg_reopen);
	ev_timer_stop(sd->d->loop, &sd->ack_tmr);
	ev_timer_stop(sd->d->loop, &sd->ring_warn);
	syncd_stats_stop(sd);
	ev_prepare_stop(sd->d->loop, &sd->prep);
	live_q_clear(sd);
	if (sd->ae_open) {
		ev_io_stop(sd->d->loop, &sd->ae_io);
		ev_timer_stop(sd->d->loop, &sd->ae_tmr);
		aevent_close(&sd->ae);
	}
	sadb_free(sd->db);
	wal_fini(&sd->wal);
	OPENSSL_cleanse(sd, sizeof(*sd));
	free(sd);
}

int
syncd_loop_start(struct daemon *d)
{
	struct syncd	*sd;
	size_t		 i;

	if ((sd = calloc(1, sizeof(*sd))) == NULL) {
		log_err("syncd: out of memory");
		return -1;
	}
	sd->d = d;
	sd->ike_lfd = -1;
	for (i = 0; i < SYNCD_IKE_CLIENTS; i++) {
		sd->cl[i].fd = -1;
		sd->cl[i].sd = sd;
	}
	ev_timer_init(&sd->cpg_retry, on_cpg_retry, 0.0, 0.0);
	ev_timer_init(&sd->cpg_reopen, on_cpg_reopen, 0.0, 0.0);
	ev_timer_init(&sd->ack_tmr, on_ack_tmr, 0.0, 0.0);
	ev_timer_init(&sd->ring_warn, on_ring_warn, 0.0, 0.0);
	ev_prepare_init(&sd->prep, on_prepare);
	ev_prepare_start(d->loop, &sd->prep);
	/* Our node id is known once corosync answers (cs_connect). */
	if (wal_init(&sd->wal, 0, WAL_CAP, d->cfg->sync.ack_max_delay_ms == 0 ?
	    1 : WAL_ACK_N_DEFAULT, d->cfg->sync.ack_max_delay_ms) == -1) {
		log_err("syncd: out of memory");
		goto fail;
	}
	wal_track_delivery(&sd->wal);
	if ((sd->db = sadb_new(0)) == NULL) {
		log_err("syncd: out of memory");
		goto fail;
	}
	if (syncd_ike_listen(sd) == -1)
		goto fail;
	d->priv = sd;
	ae_start(sd);
	syncd_stats_start(sd);
	/* Without corosync (yet) syncd runs and retries: cs_connect(). */
	cs_connect(sd);
	return 0;
 fail:
	syncd_free(sd);
	return -1;
}

void
syncd_loop_stop(struct daemon *d)
{
	syncd_free(d->priv);
	d->priv = NULL;
}

int
syncd_loop_reload(struct daemon *d, struct tnd_cfg *next)
{
	if (strcmp(next->sync.cpg_group, d->cfg->sync.cpg_group) != 0)
		log_warn("reload: sync.cpg_group changed: restart syncd to "
		    "join %s", next->sync.cpg_group);
	return 0;
}
