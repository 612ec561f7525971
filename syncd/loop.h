/*
 * syncd/loop.h -- syncd's edge (loop.c): the daemon frame's hooks and the
 * state ctl.c reports.  Only loop.c, ctl.c and main.c include this.
 */
#ifndef SYNCD_LOOP_H
#define SYNCD_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <ev.h>

#include "tandem/log.h"
#include "tandem/syncmsg.h"
#include "aevent.h"
#include "cpg.h"
#include "nodestats.h"
#include "ringcheck.h"
#include "sync_apply.h"
#include "wal.h"

#define SYNCD_IKE_SOCK		"syncd-ike.sock"
#define SYNCD_IKE_CLIENTS	4

struct ctl_hdr;
struct ctl_reply;
struct daemon;
struct rd;
struct sadb;
struct tnd_cfg;
struct wr;

/* Drops and failures, by name (STYLE P8). */
enum syncd_drop {
	SD_CPG_DECODE = 0,	/* CPG message does not decode */
	SD_CPG_TYPE,		/* decodes, but not a type syncd takes */
	SD_APPLY_ERR,		/* sadb refused a record */
	SD_IKE_DECODE,		/* ikev2d sent something undecodable */
	SD_IKE_TYPE,		/* ikev2d sent a type it may not send */
	SD_IKE_DENIED,		/* connection refused by credentials */
	SD_IKE_FULL,		/* no free client slot */
	SD_CPG_SEND,		/* multicast failed (queue full / error) */
	SD_PENDING_FULL,	/* write-ahead table full */
	SD_MAX
};

struct ike_out {
	struct ike_out	*next;
	size_t		 len;
	uint8_t		 buf[];		/* wiped before free */
};

struct ike_client {
	ev_io		 rio, wio;
	struct syncd	*sd;
	int		 fd;		/* -1: free slot */
	uint32_t	 gen;		/* connection generation */
	pid_t		 pid;
	struct ike_out	*qhead, *qtail;	/* to ikev2d, under back-pressure */
	size_t		 qlen;
	uint64_t	 events, acked_seq;
	bool		 live;		/* SYNC_F_LIVE: applied records follow */
};

struct member {
	uint32_t	 nodeid;
	uint32_t	 pid;
	uint64_t	 last_ack_ms;	/* monotonic, when its last ack came */
};

enum resync_state {
	RS_NONE = 0,		/* live */
	RS_WAIT,		/* joined: live events queued until BULK_END */
};

/* corosync, as the status reports it. */
enum syncd_cs {
	SYNCD_CS_DOWN = 0,	/* not reachable: retried with back-off */
	SYNCD_CS_REFUSED,	/* reachable, ring plain: not joined */
	SYNCD_CS_UP,		/* ring checked, group joined */
};

struct live_q {
	struct live_q	*next;
	uint32_t	 nodeid;
	size_t		 len;
	uint8_t		 buf[];		/* wiped before free */
};

/* The cluster-wide node view (stats.c). */
struct syncd_stats {
	struct nodestats	 ns;
	ev_timer		 tmr;		/* NODESTATS_PERIOD_MS */
	uint64_t		 seq;		/* our STATS' hdr.seq */
	uint64_t		 ctr_last_ms;	/* last CTR batch applied/sent */
	uint64_t		 lag_since_ms;	/* commit point stuck since */
	uint64_t		 lag_committed;
	/* our `set` digest, cached by sadb_set_changes() (stats.c) */
	bool			 dg_valid;
	uint64_t		 dg_changes, dg_at_ms, dg_cost_ms;
	uint8_t			 dg[SYNC_DIGEST_LEN];
	uint64_t		 dg_computed, dg_skipped;
};

struct syncd {
	struct daemon		*d;
	struct sadb		*db;
	struct sync_cpg		 cpg;
	bool			 cpg_open;
	ev_io			 cpg_io;
	ev_timer		 cpg_retry;	/* flush under back-pressure */
	ev_timer		 cpg_reopen;	/* corosync retry (back-off) */
	ev_prepare		 prep;		/* sends the turn's CPG pack */
	enum syncd_cs		 cs;
	char			 cs_why[320];	/* for the status */
	double			 cs_backoff;	/* s; 0: next try at 1 s */
	bool			 cs_logged;	/* the failure was logged */
	ev_timer		 ack_tmr;	/* batched acks: wal's deadline */
	ev_timer		 ring_warn;	/* hourly: unencrypted ring */
	struct ringcheck	 ring;
	/* ESP counters (aevent.c) */
	struct aevent		 ae;
	bool			 ae_open;
	ev_io			 ae_io;
	ev_timer		 ae_tmr;
	/* ikev2d socket */
	int			 ike_lfd;
	ev_io			 ike_lio;
	gid_t			 ike_gid;
	uint32_t		 client_gen;
	struct ike_client	 cl[SYNCD_IKE_CLIENTS];
	uint64_t		 live_pushed, live_overruns;	/* live_push.c */
	struct sa_ike		 live_ike;	/* scratch (big, wiped) */
	uint8_t			 lbuf[SYNC_MAX_LEN];
	/* membership and write-ahead */
	struct member		 mem[SYNC_CPG_MEMBERS_MAX];
	size_t			 nmem;		/* others, not us */
	bool			 joined;	/* our own join seen */
	struct wal		 wal;		/* write-ahead commit tracking */
	uint64_t		 committed;	/* commit point acted upon */
	/* resync */
	enum resync_state	 rs;
	bool			 stale;		/* lost corosync: not to push */
	uint32_t		 rs_from;	/* the node sending the bulk */
	struct live_q		*lq_head, *lq_tail;
	size_t			 lq_len;
	uint64_t		 bulks_sent, bulks_received, bulk_records_in;
	uint64_t		 bulk_ms;	/* last bulk: BEGIN .. END */
	uint64_t		 bulk_t0;
	/* `haadm resync` (resync_op.c): the bulk merges, never clears */
	bool			 rs_merge;
	uint64_t		 rs_asked, rs_done;	/* requests, completed */
	uint64_t		 rs_last_records, rs_last_ms;
	/* counters */
	struct sync_apply_stats	 ast;		/* by type and drop reason */
	uint64_t		 applied, ignored, acks_sent, acks_rcvd;
	uint64_t		 last_applied_seq;
	uint32_t		 last_applied_node;
	struct syncd_stats	 st;		/* stats.c */
	uint64_t		 drops[SD_MAX];
	struct log_rate		 rl[SD_MAX];
	uint8_t			 buf[SYNC_MAX_LEN];
	uint8_t			 ibuf[SYNC_MAX_LEN];	/* from an ikev2d */
	struct sync_msg		 m;		/* decode scratch (big) */
};

int	syncd_loop_start(struct daemon *d);
void	syncd_loop_stop(struct daemon *d);
int	syncd_loop_reload(struct daemon *d, struct tnd_cfg *next);

/* loop.c, for ike_sock.c */
bool	 syncd_drop(struct syncd *, enum syncd_drop);
uint64_t syncd_tag(size_t slot, uint32_t gen, uint64_t ike_seq);
uint64_t syncd_mcast_event(struct syncd *, struct sync_msg *, uint64_t tag);
uint32_t syncd_bulk_stream(struct syncd *, struct ike_client *);
void	 syncd_commit_advance(struct syncd *);
void	 syncd_cpg_drain(struct syncd *);

/* Multicast a message that is not an event (no wal seq): 0 or -1. */
int	 syncd_mcast_raw(struct syncd *, struct sync_msg *);

/* loop.c, for resync_op.c */
void	 syncd_rs_wait(struct syncd *, uint32_t from);
void	 syncd_bulk_send(struct syncd *);

/* resync_op.c: `haadm resync` */
int	 syncd_resync_ask(struct syncd *, char *why, size_t whylen);
void	 syncd_resync_deliver(struct syncd *, uint32_t from,
	    const struct sync_msg *);
void	 syncd_resync_done(struct syncd *);

/* stats.c: the cluster-wide node view */
void	 syncd_stats_start(struct syncd *);
void	 syncd_stats_stop(struct syncd *);
void	 syncd_stats_send(struct syncd *);
void	 syncd_stats_members(struct syncd *, const uint32_t *ids, size_t n,
	    const uint32_t *joined, size_t nj);
void	 syncd_stats_deliver(struct syncd *, uint32_t from,
	    const struct sync_msg *);
void	 syncd_stats_status(struct syncd *, struct wr *);

/* ike_sock.c: the ikev2d socket */
int	 syncd_ike_listen(struct syncd *);
int	 syncd_client_send(struct ike_client *, const uint8_t *, size_t);
void	 syncd_client_ack(struct syncd *, struct ike_client *,
	    uint64_t ike_seq);
void	 syncd_client_close(struct ike_client *, const char *why);

/*
 * live_push.c: the live record stream to standby ikev2ds (SYNC_F_LIVE).
 * push: after an event applied; barrier: a BULK_END from ikev2d is
 * answered in order, so ikev2d knows everything before it arrived;
 * reset: the database was cleared, every live client must resubscribe.
 */
void	 syncd_live_push(struct syncd *, const struct sync_msg *);
void	 syncd_live_barrier(struct syncd *, struct ike_client *);
void	 syncd_live_reset(struct syncd *, const char *why);

/* ctl.c */
void	syncd_ctl_status(struct daemon *d, struct wr *w);
/* ctl_sas.c: CTL_SAS (the replicated SAs); -1 for other types. */
int	syncd_ctl_request(struct daemon *d, const struct ctl_hdr *h,
	    struct rd *tlvs, struct ctl_reply *r);
const char *syncd_drop_name(unsigned int);
uint64_t syncd_now_ms(void);

#endif /* SYNCD_LOOP_H */
