/*
 * ikev2d/ike_core.h -- the IKEv2 protocol core: ikev2d less its event loop.
 *
 * The core holds the IKE and Child SA tables, runs the exchanges (RFC 7296
 * IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL), the IKE SA state
 * machine, retransmission and message IDs.  It does no I/O of its own:
 *
 *   datagrams in    ike_core_input()       the edge's UDP sockets
 *   datagrams out   ike_core_out_peek/pop  a queue the edge drains
 *   time            now_ms arguments       a monotonic clock, milliseconds
 *   timers          ike_core_next_deadline() / ike_core_tick()
 *   kernel          struct kernel_ops      XFRM (xfrm.c) or the recorder
 *   SA events       ike_core_env.event     syncd (sync_out.c), tests
 *   logging         ike_core_env.log       the edge formats and rate-limits
 *   randomness      ike_core_env.random    SPIs, nonces, IVs, jitter, cookies
 *
 * Nothing in the core blocks, sleeps, reads a clock or keeps a static.
 * Same inputs (with a deterministic random callback), same outputs -- which
 * is how test/unit/test_exch_*.c runs two cores back to back in memory.
 *
 * Edge contract, in one place:
 *
 *  Datagrams.  Feed every UDP payload received on the IKE ports with both
 *  endpoints (host-order ports).  On the NAT-T port the edge strips the
 *  4-byte non-ESP marker (RFC 3948 2.2) before ike_core_input() and drops
 *  NAT-keepalives (one 0xff byte); a datagram with a zero marker is ESP and
 *  never reaches the core.  Outgoing datagrams come without the marker:
 *  the edge prepends it when dgram->marker is set (the SA floated to the
 *  NAT-T port).  Send each datagram from dgram->local to dgram->remote.
 *
 *  Write-ahead (DESIGN guarantee 3).  Every event carries a sequence
 *  number (ike_event.seq, strictly increasing per core) and every queued
 *  datagram its barrier (dgram->ev_seq): the seq of the last event
 *  emitted about its own IKE SA (dgram->ike_uid) -- the SA's own events,
 *  its Child SAs', a rekey successor's -- when it was queued; 0 when
 *  none was (an IKE_SA_INIT response: nothing of a half-open SA is
 *  replicated).  Events of other SAs do not hold it.  An edge that
 *  replicates holds a datagram until syncd has acknowledged ev_seq
 *  (acknowledgements are cumulative) and may send later datagrams of
 *  other SAs meanwhile, keeping each SA's order (wa_queue.h); one that
 *  does not replicate sends at once.  The kernel ops may defer their
 *  netlink requests the same way (except alloc_spi, which must answer
 *  synchronously).
 *
 *  Timers.  After any call into the core, (re)arm one timer at
 *  ike_core_next_deadline(); when it fires call ike_core_tick(now).  Calling
 *  tick early or late is harmless: the core acts on what is due at now.
 *
 * Ownership.  The core borrows cfg (it must outlive the core, or be
 * replaced with ike_core_set_cfg()) and env (copied).  Records passed to
 * the event and log callbacks are borrowed for the duration of the call
 * and wiped by the core afterwards: copy what you keep.
 */
#ifndef IKEV2D_IKE_CORE_H
#define IKEV2D_IKE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/sa_rec.h"
#include "kernel_sa.h"

struct tnd_cfg;
struct ike_core;

/* ------------------------------------------------------------------ */
/* Kernel ops (P7: xfrm.c and kernel_rec.c implement it)               */

/*
 * Every op returns 0 or a negative errno.  The records are borrowed for
 * the call; struct kernel_sa holds keys and the core wipes it afterwards,
 * so an implementation that defers the request copies it (and wipes the
 * copy once sent).  An SA is named by (dst, spi, proto) as in XFRM.
 *
 *  alloc_spi   reserve an inbound SPI for (src -> dst, proto, reqid) and
 *              return it in *spi (host order); synchronous.  The core
 *              later add_sa()s it (XFRM: UPDSA of the larval state) or
 *              del_sa()s it when the negotiation fails.
 *  add_sa      install an SA (inbound: spi from alloc_spi; outbound: the
 *              peer's SPI).
 *  del_sa      remove an SA; -ENOENT is not an error for the core.
 *  add_policy  install a policy (in/out/fwd); del_policy removes the
 *              policy with the same selector and direction.
 *  batch_begin optional (NULL: none): until batch_end, add_sa, del_sa,
 *  batch_end   add_policy and del_policy may be queued and answer 0 at
 *              once; batch_end sends what is queued, calls sa_failed
 *              (if not NULL) with the SPI of each add_sa that failed,
 *              and returns how many requests failed (each logged by the
 *              backend), or a negative errno.  A takeover installs a
 *              whole group so.
 */
struct kernel_ops {
	int	(*alloc_spi)(void *arg, const struct kaddr *src,
		    const struct kaddr *dst, uint8_t proto, uint32_t reqid,
		    uint32_t *spi);
	int	(*add_sa)(void *arg, const struct kernel_sa *sa);
	int	(*del_sa)(void *arg, const struct kaddr *dst, uint32_t spi,
		    uint8_t proto);
	int	(*add_policy)(void *arg, const struct kernel_policy *p);
	int	(*del_policy)(void *arg, const struct kernel_policy *p);
	/* Replace the counters (replay state) of an SA in the kernel:
	 * sa's addresses, SPI, proto, mark, esn and replay_window name it
	 * and shape them; oseq, seq and replay_bitmap are the values. */
	int	(*set_counters)(void *arg, const struct kernel_sa *sa);
	int	(*batch_begin)(void *arg);
	int	(*batch_end)(void *arg,
		    void (*sa_failed)(void *cb_arg, uint32_t spi),
		    void *cb_arg);
};

/* ------------------------------------------------------------------ */
/* SA events (syncd) and log messages                                   */

enum ike_ev_type {
	IKE_EV_IKE_UP		= 1,	/* established (IKE_AUTH done) */
	IKE_EV_IKE_REKEYED	= 2,	/* ike = the new SA, old_spi_* the old */
	IKE_EV_IKE_DOWN		= 3,	/* deleted, expired, failed after UP */
	IKE_EV_IKE_MID		= 4,	/* message IDs / cached response moved */
	IKE_EV_CHILD_UP		= 5,	/* installed in the kernel */
	IKE_EV_CHILD_REKEYED	= 6,	/* child = new, old_spi_in the old */
	IKE_EV_CHILD_DOWN	= 7,	/* removed from the kernel */
	IKE_EV_MAX		/* keep last */
};

const char	*ike_ev_type_name(unsigned int);

/*
 * One SA event.  ike is always set: the IKE SA record (sa_rec.h) with keys,
 * message IDs and the cached response, complete enough to resume after a
 * takeover (for IKE_DOWN only the SPIs matter).  child is set for the
 * CHILD_* events, with keys for UP/REKEYED.  Both are borrowed and wiped
 * after the callback returns.
 */
struct ike_event {
	enum ike_ev_type	 type;
	uint64_t		 seq;		/* 1, 2, ... per core */
	uint32_t		 ike_uid;	/* ike_core local handle */
	uint32_t		 child_uid;	/* CHILD_*: its handle, else 0 */
	const struct sa_ike	*ike;
	const struct sa_child	*child;
	uint8_t			 old_spi_i[SA_SPI_LEN];	/* IKE_REKEYED */
	uint8_t			 old_spi_r[SA_SPI_LEN];
	uint32_t		 old_spi_in;		/* CHILD_REKEYED */
	uint32_t		 old_spi_out;
};

enum ike_log_level {
	IKE_LOG_ERR	= 3,	/* syslog values */
	IKE_LOG_WARN	= 4,
	IKE_LOG_NOTICE	= 5,
	IKE_LOG_INFO	= 6,
	IKE_LOG_DEBUG	= 7,
};

/*
 * Why a message was logged; the edge counts and rate-limits by kind
 * (STYLE P8: every drop named).
 */
enum ike_log_kind {
	IKE_LK_STATE = 0,	/* IKE SA state transition */
	IKE_LK_IKE_UP,		/* established */
	IKE_LK_IKE_REKEYED,
	IKE_LK_IKE_DOWN,
	IKE_LK_CHILD_UP,
	IKE_LK_CHILD_REKEYED,
	IKE_LK_CHILD_DOWN,
	IKE_LK_AUTH_FAILED,	/* peer failed our check, or we theirs */
	IKE_LK_NEGOTIATION,	/* no proposal, TS unacceptable, ... */
	IKE_LK_RETRANSMIT,
	IKE_LK_TIMEOUT,		/* gave up retransmitting; half-open expired */
	IKE_LK_DPD,
	IKE_LK_DROP,		/* a datagram was dropped: see drop */
	IKE_LK_KERNEL,		/* a kernel op failed */
	IKE_LK_NATT,		/* float to NAT-T, endpoints (authenticated) */
	IKE_LK_TRAP,		/* trap policies, kernel acquires */
	IKE_LK_ACTION,		/* dpd_action / start_action carried out */
	IKE_LK_MAX		/* keep last */
};

/* Drop reasons: ike_core_stats().drops[] is indexed by these. */
enum ike_drop {
	IKE_DROP_DECODE = 0,	/* header or chain does not decode */
	IKE_DROP_NO_SA,		/* no IKE SA for the SPIs */
	IKE_DROP_MSGID_OLD,	/* request older than the cached one */
	IKE_DROP_MSGID_FUTURE,	/* request beyond the window (2.3) */
	IKE_DROP_RESP_UNEXPECTED, /* response to nothing outstanding */
	IKE_DROP_SK,		/* SK/SKF does not verify */
	IKE_DROP_SYNTAX,	/* inner chain or a payload malformed */
	IKE_DROP_EXCH,		/* exchange not valid in this state */
	IKE_DROP_COOKIE,	/* missing or wrong COOKIE */
	IKE_DROP_HALF_OPEN,	/* half-open limit reached */
	IKE_DROP_STANDBY,	/* for a VIP group this node holds on standby */
	IKE_DROP_MAX		/* keep last */
};

const char	*ike_drop_name(unsigned int);
const char	*ike_log_kind_name(unsigned int);

/* Why an import was refused: ike_core_import_*() return -1 - reason. */
enum ike_import_err {
	IKE_IMP_MALFORMED = 0,	/* a field out of range, SPI 0, bad TS ... */
	IKE_IMP_NO_CONN,	/* names no connection / child we have */
	IKE_IMP_GROUP,		/* connection of another group, or the
				 * record's group is ACTIVE here */
	IKE_IMP_XFORM,		/* transform we do not implement */
	IKE_IMP_KEYS,		/* key lengths do not fit the transforms */
	IKE_IMP_NO_IKE,		/* Child SA of an IKE SA not imported */
	IKE_IMP_LIVE,		/* that SA is live here: never replaced */
	IKE_IMP_NOMEM,
	IKE_IMP_MAX		/* keep last */
};

const char	*ike_import_err_name(unsigned int);

/*
 * One log message.  msg is formatted text with the subject first ("ike
 * <spi_i>_i <spi_r>_r: ...") and never holds a secret; the other fields
 * repeat the facts for structured sinks.  peer_id is printable text or
 * "" when not known yet.
 */
struct ike_log_msg {
	enum ike_log_level	 level;
	enum ike_log_kind	 kind;
	int			 drop;		/* IKE_LK_DROP: enum ike_drop */
	const char		*conn;		/* "" when none matched yet */
	const struct sa_addr	*peer;		/* may be NULL */
	const char		*peer_id;
	uint32_t		 ike_uid;	/* 0 when no SA */
	const char		*msg;
};

/* ------------------------------------------------------------------ */
/* Creation                                                             */

struct ike_core_env {
	const struct kernel_ops	*kernel;
	void			*kernel_arg;
	/* May be NULL (events are then not reported). */
	void	(*event)(void *arg, const struct ike_event *ev);
	/* May be NULL. */
	void	(*log)(void *arg, const struct ike_log_msg *m);
	/*
	 * Fill buf with len random bytes; 0 or -1.  Used for SPIs, nonces,
	 * SK IVs, jitter and the cookie secret.  Ephemeral KE private keys
	 * come from OpenSSL's RNG (ke_new()), never from this callback.
	 * NULL: OpenSSL's RAND_bytes.
	 */
	int	(*random)(void *arg, void *buf, size_t len);
	void	*arg;		/* for event, log and random */
};

/* Tunables not in tandem.conf (tests shorten them); 0 = the default. */
struct ike_core_limits {
	uint32_t	 half_open_timeout_ms;	/* 30000 */
	uint32_t	 max_ike_sas;		/* 0: no limit */
	/* Every VIP group starts STANDBY (ikev2d --standby) rather than
	 * ACTIVE; see "VIP groups" below. */
	bool		 start_standby;
};

/*
 * A new core for cfg (borrowed: keep it alive) and env (copied).  The core
 * answers as responder for every connection of cfg->ike.conns and
 * initiates on request.  NULL on allocation failure.
 */
struct ike_core	*ike_core_new(const struct tnd_cfg *cfg,
		    const struct ike_core_env *env,
		    const struct ike_core_limits *lim);
/*
 * Free the core and every SA in it, wiping keys.  No kernel op is called
 * and no event emitted (a daemon that stops leaves the kernel state to its
 * standby); use ike_core_delete_all() first for a clean shutdown.
 */
void		 ike_core_free(struct ike_core *);
/* Replace the configuration (reload).  Existing SAs keep their conn name
 * and are matched again by name on their next rekey.  Trap policies are
 * reconciled with the new configuration (ike_core_install_traps()). */
void		 ike_core_set_cfg(struct ike_core *, const struct tnd_cfg *cfg);

/* ------------------------------------------------------------------ */
/* Input                                                                */

/*
 * One received IKE datagram (non-ESP marker stripped), local = where it
 * arrived, remote = who sent it (host-order ports).  buf is borrowed for
 * the call.  Returns 0 when it was processed (including when the answer is
 * an error notify) or a negative enum ike_drop value (-1 - drop) when it
 * was dropped and counted; the edge needs nothing more than the count.
 */
int	 ike_core_input(struct ike_core *, const struct sa_addr *local,
	    const struct sa_addr *remote, const uint8_t *buf, size_t len,
	    uint64_t now_ms);

/*
 * The kernel says an SA (dst, spi, proto) reached its soft (rekey the
 * Child SA) or hard (delete it) byte/packet/time limit (XFRM_MSG_EXPIRE);
 * bytes and packets are the SA's counts the EXPIRE carries.  A soft
 * expire below the child's own rekey_bytes / rekey_packets is not ours:
 * syncd fences outbound SAs at their sequence lease with packet limits
 * (syncd/aevent.h) and its soft limit asks syncd, not us, for more.
 * Returns 0, 1 when such a soft expire was ignored, or -1 if no Child
 * SA has that SPI.
 */
int	 ike_core_kernel_expire(struct ike_core *, uint8_t proto, uint32_t spi,
	    bool hard, uint64_t bytes, uint64_t packets, uint64_t now_ms);

/*
 * The kernel asks for an SA for a trap policy with this reqid
 * (XFRM_MSG_ACQUIRE): initiate its connection and Child (a trap's reqid,
 * or a child's configured one).  Repeated acquires while the child is on
 * its way are answered with 0 and nothing sent.  0 or -1 (no such reqid).
 */
int	 ike_core_kernel_acquire(struct ike_core *, uint32_t reqid,
	    uint64_t now_ms);

/* ------------------------------------------------------------------ */
/* Commands (control socket, start_action, tests)                      */

/*
 * Initiate connection conn with its child `child` (NULL: its first child),
 * reusing an established IKE SA of that connection if there is one (then
 * only a CREATE_CHILD_SA is sent).  Returns the IKE SA's uid (> 0), or -1:
 * unknown connection / child, no remote address, or out of memory.
 */
int64_t	 ike_core_initiate(struct ike_core *, const char *conn,
	    const char *child, uint64_t now_ms);
/*
 * Start the children with start_action = start (one IKE SA per
 * connection); returns how many.  Also installs the trap policies of
 * those with start_action = trap (ike_core_install_traps()).
 */
int	 ike_core_start_all(struct ike_core *, uint64_t now_ms);
/*
 * Install the trap policies (in/out/fwd, the child's selectors, a reqid
 * of its own, no SA) of every start_action = trap child that has none
 * yet; the kernel's acquire for that reqid initiates the child
 * (ike_core_kernel_acquire()).  Returns how many were installed.
 * ike_core_set_cfg() reconciles: traps of children gone or no longer
 * trap are removed, new ones installed.
 */
int	 ike_core_install_traps(struct ike_core *);

/* Delete an IKE SA (INFORMATIONAL with D, then its Child SAs go). */
int	 ike_core_delete_ike(struct ike_core *, uint32_t ike_uid,
	    uint64_t now_ms);
/* Delete one Child SA (INFORMATIONAL with D(ESP, spi_in)). */
int	 ike_core_delete_child(struct ike_core *, uint32_t child_uid,
	    uint64_t now_ms);
/* Rekey now (as if the soft lifetime had expired). */
int	 ike_core_rekey_ike(struct ike_core *, uint32_t ike_uid,
	    uint64_t now_ms);
int	 ike_core_rekey_child(struct ike_core *, uint32_t child_uid,
	    uint64_t now_ms);
/* Send a liveness check (empty INFORMATIONAL) now. */
int	 ike_core_dpd(struct ike_core *, uint32_t ike_uid, uint64_t now_ms);
/* Delete every established IKE SA (shutdown).  Returns how many. */
int	 ike_core_delete_all(struct ike_core *, uint64_t now_ms);

/* ------------------------------------------------------------------ */
/* Timers                                                               */

/* The earliest absolute time (ms) something is due, UINT64_MAX if none. */
uint64_t ike_core_next_deadline(const struct ike_core *);
/* Run everything due at now_ms: retransmits, give-ups, half-open expiry,
 * DPD, rekeys (soft) and deletes (hard). */
void	 ike_core_tick(struct ike_core *, uint64_t now_ms);

/* ------------------------------------------------------------------ */
/* Output queue                                                         */

struct ike_dgram {
	struct sa_addr	 local, remote;	/* send from local to remote */
	bool		 marker;	/* prepend the 4-byte non-ESP marker */
	uint32_t	 ike_uid;	/* the IKE SA it belongs to; 0: none */
	uint64_t	 ev_seq;	/* write-ahead barrier (see above) */
	size_t		 len;
	uint8_t		*buf;		/* owned by the queue */
};

/* The oldest queued datagram (borrowed until pop), or NULL. */
const struct ike_dgram *ike_core_out_peek(const struct ike_core *);
void	 ike_core_out_pop(struct ike_core *);
size_t	 ike_core_out_count(const struct ike_core *);

/* ------------------------------------------------------------------ */
/* Operator view                                                        */

struct ike_core_stats {
	uint64_t	 rx, tx;		/* datagrams */
	uint64_t	 retransmits;
	uint64_t	 resp_cache_hits;	/* requests answered from cache */
	uint64_t	 ike_up, ike_down, child_up, child_down;
	uint64_t	 auth_failed;
	uint32_t	 ike_sas, half_open, child_sas;
	uint64_t	 drops[IKE_DROP_MAX];
	uint64_t	 imported;		/* records taken (ike + child) */
	uint64_t	 live_forgotten;	/* standby copies deleted live */
	uint64_t	 parked;		/* standby copies in the kernel */
	uint64_t	 park_failed;		/* could not be parked */
	uint64_t	 import_refused[IKE_IMP_MAX];
};

const struct ike_core_stats *ike_core_stats(const struct ike_core *);

/*
 * Walk the SAs: ike() once per IKE SA with its record (keys zeroed: the
 * operator view never sees them) and state name; child() for each of its
 * Child SAs right after.  Records are borrowed for the call.  Either
 * callback may be NULL.
 */
struct ike_walk {
	void	(*ike)(void *arg, uint32_t uid, const char *state,
		    const struct sa_ike *rec);
	void	(*child)(void *arg, uint32_t uid, uint32_t ike_uid,
		    const char *state, const struct sa_child *rec);
	void	*arg;
};

void	 ike_core_walk(struct ike_core *, const struct ike_walk *w);
/* The sequence of the last event emitted (raised by imports, below). */
uint64_t ike_core_event_seq(const struct ike_core *);

/* ------------------------------------------------------------------ */
/* VIP groups: take over replicated SAs, give them up (ike_takeover.c)  */

/*
 * Each group of cfg->ha.groups is ACTIVE or STANDBY; a connection
 * belongs to the group its vip_group names.  While a group is STANDBY
 * the core answers and initiates nothing for its connections
 * (IKE_DROP_STANDBY), installs no trap policy for them and holds none of
 * their SAs in the kernel: the SAs imported from replicated records wait
 * passively (no timers, no datagrams) until ike_core_group_activate().
 */
enum ike_group_state {
	IKE_GROUP_ACTIVE = 0,
	IKE_GROUP_STANDBY,
	IKE_GROUP_MAX		/* keep last */
};

const char	*ike_group_state_name(unsigned int);

/*
 * Rebuild an IKE SA / a Child SA from a replicated record (sa_rec.h) of
 * a STANDBY group.  The record is borrowed (the caller wipes it).  A
 * record for an SA already imported replaces it only if its gen is newer
 * (else 1: ignored).  Nothing is sent, no event emitted, no kernel op
 * called.  The core's event sequence is raised to at least r->gen, so
 * that what this node emits once active is newer than every replica.
 *
 * mono_off_ms converts the records' wall-clock times to the core's
 * clock: core_ms = wall_ms + mono_off_ms (the edge passes MONOTONIC -
 * REALTIME, sampled once per takeover).
 *
 * Returns 0 (imported), 1 (ignored: not newer) or -1 - enum
 * ike_import_err (refused: counted in stats.import_refused and logged).
 * A Child SA's IKE SA must have been imported first.
 */
int	 ike_core_import_ike(struct ike_core *, const struct sa_ike *r,
	    int64_t mono_off_ms);
int	 ike_core_import_child(struct ike_core *, const struct sa_child *r,
	    int64_t mono_off_ms);

/*
 * One message of syncd's live stream (SYNC_F_LIVE, syncmsg.h) into the
 * standby copies: IKE_UP / CHILD_UP import or refresh a copy as above
 * (a same-gen Child record still moves its counters forward), IKE_DOWN /
 * CHILD_DOWN forget a standby copy (with its Child SAs).  Records of
 * groups active here, unknown connections and Child SAs without a
 * standby IKE SA are quietly not ours: the stream carries the whole
 * database, our own active SAs' events included.
 */
enum ike_live_res {
	IKE_LIVE_APPLIED = 0,
	IKE_LIVE_IGNORED,	/* not newer */
	IKE_LIVE_NOT_OURS,	/* active group, unknown, no standby parent */
	IKE_LIVE_REFUSED,	/* counted and logged as an import refusal */
};

struct sync_msg;
/*
 * Standby copies applied live are queued to be parked in the kernel
 * (ike_park.c, ha.standby_preinstall); the edge parks them in the
 * background, at most max per call (one kernel batch), and calls again
 * while the returned count of queued copies is not 0.
 */
size_t	 ike_core_park_step(struct ike_core *, size_t max);
int	 ike_core_live_apply(struct ike_core *, const struct sync_msg *m,
	    int64_t mono_off_ms);

struct ike_takeover_stats {
	uint32_t	 ike_sas;	/* resumed */
	uint32_t	 child_sas;	/* resumed (both SAs in the kernel) */
	uint32_t	 kernel_sas;	/* kernel SAs installed */
	uint32_t	 failures;	/* Child SAs whose install failed */
	uint32_t	 rekeys;	/* Child rekeys scheduled (unclean) */
	uint32_t	 ctr_guessed;	/* no replicated lease: oseq guessed */
	uint32_t	 kernel_errors;	/* batched requests that failed */
	uint32_t	 parked;	/* Child SAs resumed from parked */
	uint32_t	 presets;	/* their counter presets (NEWAE) */
};

/*
 * Make group ACTIVE and resume its imported SAs: every Child SA goes
 * into the kernel (outbound at the end of the last replicated sequence
 * lease, inbound with the replicated replay state; policies as a fresh
 * install has them), every IKE SA resumes with its replicated message
 * IDs and cached response, its timers re-armed from the replicated
 * deadlines (those already past are spread over the next few seconds).
 * Nothing is sent that would make a peer renegotiate.  unclean (the old
 * master did not hand over): every Child SA of the group is also rekeyed,
 * spread uniformly over cfg->ha.takeover_rekey_spread_ms (0: none).  Then
 * trap policies are installed and start_action = start children without
 * an SA initiated, as at a daemon start.  Kernel SAs a predecessor left
 * under the same SPIs are removed first (stale counters); a Child SA
 * whose install fails is removed again and deleted with its peer
 * (failures).  The kernel requests go in one batch where the kernel ops
 * can (batch_begin / batch_end).
 *
 * Returns 0 (out filled; out may be NULL), 1 if the group was already
 * ACTIVE (nothing done), -1 if there is no such group.
 */
int	 ike_core_group_activate(struct ike_core *, const char *group,
	    bool unclean, uint64_t now_ms, struct ike_takeover_stats *out);
/*
 * Make group STANDBY: remove its Child SAs and policies (trap policies
 * too) from the kernel and drop its SAs from the core without a DOWN
 * event or a Delete (the other nodes hold them; the new master resumes
 * them).  Returns how many IKE SAs were dropped, or -1 if there is no
 * such group.  A group already STANDBY drops its imported SAs (an
 * activation that failed half-way is undone the same way).
 */
int	 ike_core_group_standby(struct ike_core *, const char *group,
	    uint64_t now_ms);

struct ike_group_status {
	const char		*name;		/* borrowed from the config */
	enum ike_group_state	 state;
	uint32_t		 ike_sas, child_sas;	/* held now */
	uint64_t		 changed_ms;	/* last state change, 0 never */
	struct ike_takeover_stats last;	/* the last activation */
};

/* Status of the i-th group of cfg->ha.groups; -1 past the last. */
int	 ike_core_group_status(const struct ike_core *, size_t i,
	    struct ike_group_status *out);
/* The state of a group by name, or -1 if there is no such group. */
int	 ike_core_group_state(const struct ike_core *, const char *group);

#endif /* IKEV2D_IKE_CORE_H */
