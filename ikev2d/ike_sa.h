/*
 * ikev2d/ike_sa.h -- IKE SAs and the core's internals, shared by the files
 * of the core (ike_core.c, ike_sa.c, child_sa.c, exch_*.c).  Nothing
 * outside the core includes this header except the exchange tests, which
 * read SA state through it.
 *
 * Ownership: the core owns its IKE SAs (a list), each IKE SA owns its
 * Child SAs (a list), its keys (struct ike_keys, wiped on free), its key
 * exchange state, the saved IKE_SA_INIT messages (needed for AUTH), its
 * outstanding request and its cached response.  cfg pointers are borrowed
 * from the core's struct tnd_cfg.
 *
 * Timers are absolute deadlines (ms) embedded in the SA; 0 = not armed.
 */
#ifndef IKEV2D_IKE_SA_H
#define IKEV2D_IKE_SA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/cfg.h"
#include "tandem/sa_rec.h"
#include "crypto.h"
#include "keys.h"
#include "ike_core.h"
#include "ike_fsm.h"
#include "ike_msg.h"
#include "ike_proposal.h"

#define IKE_NONCE_LEN		32	/* ours; peers may send 16..256 */
#define IKE_MSG_MAX		8192	/* largest message we build */
#define IKE_INNER_MAX		4096	/* largest SK plaintext we build */
#define IKE_HALF_OPEN_MS	30000
#define IKE_TASKS_MAX		8

struct child_sa;
struct cert_set;
struct ike_trap;

/* What our outstanding request is for. */
enum ike_req_kind {
	IKE_REQ_NONE = 0,
	IKE_REQ_INIT,
	IKE_REQ_AUTH,
	IKE_REQ_CHILD_NEW,
	IKE_REQ_CHILD_REKEY,
	IKE_REQ_IKE_REKEY,
	IKE_REQ_DELETE_CHILD,
	IKE_REQ_DELETE_IKE,
	IKE_REQ_DPD,
};

/* Work queued while a request is outstanding (window size 1). */
enum ike_task_kind {
	IKE_TASK_CHILD_NEW = 1,	/* name: the child config */
	IKE_TASK_CHILD_REKEY,	/* uid: the Child SA */
	IKE_TASK_CHILD_DELETE,	/* uid; spi: its inbound SPI */
	IKE_TASK_IKE_REKEY,
	IKE_TASK_IKE_DELETE,
	IKE_TASK_DPD,
};

struct ike_task {
	enum ike_task_kind	 kind;
	uint32_t		 uid;
	uint32_t		 spi;
	char			 name[CFG_NAME_MAX];
};

/* The negotiation state of our outstanding CREATE_CHILD_SA request. */
struct ike_pending {
	struct ke	*ke;		/* PFS / IKE rekey key pair, owned */
	uint8_t		 ni[IKE_NONCE_LEN];
	uint32_t	 spi_in;	/* allocated inbound SPI (child) */
	uint32_t	 reqid;
	uint32_t	 old_uid;	/* child being rekeyed */
	uint8_t		 new_spi[IKE_SPI_LEN];	/* IKE rekey: our new SPI */
	char		 child[CFG_NAME_MAX];
	struct ike_ts_pld tsi, tsr;	/* what we offered */
};

struct ike_req {
	enum ike_req_kind kind;
	uint8_t		*buf;		/* exactly as sent, owned */
	size_t		 len;
	uint32_t	 msgid;
	uint8_t		 exch;
	unsigned int	 tries;		/* retransmissions so far */
	uint64_t	 next_ms;	/* next retransmit; 0: none */
	struct ike_pending p;
};

struct ike_sa {
	struct ike_sa	*next;
	struct ike_core	*core;
	/* ike_sa_tab.c: the list link back and the three index chains, with
	 * the keys the SA was filed under (SPIs change on a rekey) */
	struct ike_sa	**pprev;	/* NULL: not in the table */
	struct ike_sa	*h_spi, *h_init, *h_uid, *h_conn;
	uint64_t	 k_spi, k_init, k_conn;
	uint32_t	 uid;
	enum ike_state	 state;
	bool		 initiator;	/* original initiator (I flag) */
	uint8_t		 spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	struct sa_addr	 local, remote;
	bool		 natt;		/* floated to the NAT-T port */
	uint16_t	 sa_flags;	/* SA_IKE_* */
	const struct cfg_conn *conn;
	char		 conn_name[CFG_NAME_MAX];

	struct ike_chosen chosen;
	struct crypto_suite suite;
	struct ike_keys	 keys;
	struct ke	*ke;		/* IKE_SA_INIT key pair, owned */
	uint16_t	 ke_group;	/* the group we send / were asked */
	uint8_t		 ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t		 ni_len, nr_len;
	uint8_t		*init_req, *init_resp;	/* RealMessage1/2, owned */
	size_t		 init_req_len, init_resp_len;
	uint8_t		 cookie[IKE_COOKIE_MAX];
	size_t		 cookie_len;
	unsigned int	 init_retries;	/* cookie / INVALID_KE rounds */
	struct sa_id	 local_id, remote_id;
	char		 peer_id[128];	/* printable, for logs */
	char		 first_child[CFG_NAME_MAX];	/* initiator */
	struct ike_pending auth_p;	/* initiator: first Child SA */

	/* Message IDs (RFC 7296 2.3), window size 1 both ways. */
	uint32_t	 msgid_send;	/* next request ID we send */
	uint32_t	 msgid_recv;	/* next request ID we accept */
	struct ike_req	 req;		/* outstanding request */
	uint8_t		*resp;		/* cached response, owned */
	size_t		 resp_len;
	bool		 resp_valid;	/* resp answers msgid_recv - 1 */
	/* Write-ahead barrier of this SA's datagrams: the seq of the last
	 * event emitted about it (its own, its Child SAs', its rekey
	 * successor's); 0 while nothing of it is replicated (half-open). */
	uint64_t	 ev_last;
	/* IKE_AUTH responder (exch_auth.c): IKE_UP is emitted once the
	 * response is cached, so that it carries it (no IKE_MID after). */
	bool		 up_deferred, up_pending;

	/* Deadlines, absolute ms; 0 = off. */
	uint64_t	 half_open_ms;
	uint64_t	 rekey_ms, expire_ms;
	uint64_t	 dpd_ms;
	uint64_t	 last_rx_ms;
	uint64_t	 established_ms;

	/* Collisions (2.8.1): the peer's rekey of us, while we rekey. */
	struct ike_sa	*peer_rekey_new;	/* the SA the peer made */
	struct ike_sa	*peer_rekey_old;	/* ...its SA whose new we are */
	uint8_t		 peer_rekey_nmin[IKE_NONCE_MAX];
	size_t		 peer_rekey_nmin_len;
	bool		 delete_after_peer;	/* we lost: peer deletes */

	struct ike_sa	*rekey_of;	/* set while born by a rekey */
	struct child_sa	*children;
	struct ike_task	 tasks[IKE_TASKS_MAX];
	size_t		 ntasks;

	/* Imported from a replicated record (ike_takeover.c); standby:
	 * its group is STANDBY here, the SA is passive (no timers, no
	 * input, no commands) until the group is activated. */
	bool		 imported, standby;
	uint64_t	 gen;		/* of the record imported */
};

/* A VIP group's state here (ike_takeover.c); one per cfg->ha.groups. */
struct ike_group_rt {
	char			 name[CFG_NAME_MAX];
	enum ike_group_state	 state;
	uint64_t		 changed_ms;
	struct ike_takeover_stats last;
};

/*
 * The IKE SA table's indexes (ike_sa_tab.c): chained hash tables by our
 * SPI (every datagram), by the peer's SPIi (responder SAs: IKE_SA_INIT
 * retransmissions), by uid (commands, events), by connection name (an
 * initiation's IKE SA, a Child SA's reqid) and the Child SAs by reqid
 * (who holds a reqid's policies).  A walk of the list for each of these
 * cost the responder a third of its CPU at 10,000 SAs, and an initiator
 * of 5,000 connections more (test/bench/bench_ike_repl.sh).  Grown by
 * doubling when the IKE SAs reach the size.
 */
struct ike_sa_tab {
	struct ike_sa	**spi, **init, **uid, **conn;
	struct child_sa	**reqid;
	size_t		 cap, n;
	uint64_t	 seed;		/* keys the peer's SPI hash */
};

struct ike_core {
	const struct tnd_cfg	*cfg;
	struct ike_core_env	 env;
	struct ike_core_limits	 lim;
	struct ike_sa		*sas;
	struct ike_sa_tab	 tab;		/* indexes of sas */
	uint32_t		 next_uid;
	uint32_t		 next_reqid;
	uint64_t		 ev_seq;
	uint8_t			 cookie_secret[32];
	struct ike_core_stats	 st;
	struct ike_dgram	*outq;	/* FIFO: [out_head, out_n) */
	size_t			 out_head, out_n, out_cap;
	uint8_t			 plain[IKE_MSG_MAX];	/* SK scratch */
	struct cert_set		*certs;	/* pubkey credentials, owned */
	struct ike_trap		*traps;	/* start_action = trap (trap.c) */
	size_t			 ntraps;
	struct ike_group_rt	*groups;	/* VIP groups, owned */
	size_t			 ngroups;
	/* ike_import.c: the SAs by SPIs, rebuilt when dirty (an SA was
	 * made or freed since); owned, freed by core_groups_free() */
	struct takeover_idx	*idx;
	bool			 idx_dirty;
	/* ike_park.c: parked copies per reqid, failed parks of a batch */
	struct park_map		*park;
	size_t			 park_pending;	/* copies with park_want */
	struct child_sa		*park_q, **park_qtail;	/* them, FIFO */
	uint64_t		 live_tick;	/* counter moves, for order */
};

/* --- ike_sa_tab.c: the table and its indexes --------------------------- */

/* Put sa on c's list and in its indexes (counted in st.ike_sas); 0 or
 * -1 (no memory for the first index: sa is not linked). */
int		 ike_sa_link(struct ike_core *, struct ike_sa *);
/* Take sa off the list and the indexes (and the counts); no-op if it
 * is not linked. */
void		 ike_sa_unlink(struct ike_sa *);
/* File sa under its SPIs and connection name again, after they were
 * set. */
void		 ike_sa_refile(struct ike_sa *);
/* The first Child SA with reqid other than but (NULL: none); standby
 * ones too if standby. */
struct child_sa	*ike_tab_reqid_other(struct ike_core *, uint32_t reqid,
		    const struct child_sa *but, bool standby);
/* child_sa.c's link / unlink: ch on (off) its reqid's chain. */
void		 ike_tab_child_file(struct ike_core *, struct child_sa *);
void		 ike_tab_child_unfile(struct ike_core *, struct child_sa *);
/* By our SPI (spi_i if we initiated, spi_r otherwise). */
struct ike_sa	*ike_sa_find(struct ike_core *, const struct ike_hdr *h);
/* The responder SA for an IKE_SA_INIT from remote with SPIi ispi. */
struct ike_sa	*ike_sa_find_init(struct ike_core *, uint64_t ispi,
		    const struct sa_addr *remote);
struct ike_sa	*ike_sa_by_uid(struct ike_core *, uint32_t uid);
/* The IKE SA of conn that is up (for new Child SAs), or NULL. */
struct ike_sa	*ike_sa_by_conn(struct ike_core *, const char *conn);
/* The reqid a Child SA of child config cc (on sa's connection) shares
 * with the others of that config, or 0 if there are none. */
uint32_t	 ike_tab_conn_reqid(struct ike_sa *, const char *child);
void		 ike_sa_tab_free(struct ike_core *);

/* --- ike_sa.c: SAs, messages, retransmission --------------------------- */

struct ike_sa	*ike_sa_new(struct ike_core *, bool initiator,
		    const struct sa_addr *local, const struct sa_addr *remote);
/* Unlink, wipe and free (children are freed without kernel ops). */
void		 ike_sa_free(struct ike_sa *);
size_t		 ike_sa_half_open(const struct ike_core *);
const uint8_t	*ike_sa_our_spi(const struct ike_sa *);

/* Run an FSM event: state change, log line, actions.  Returns false if
 * the event was not valid (nothing changed).  After IKE_ACT_FREE the SA
 * is gone: callers must not touch it. */
bool		 ike_sa_event(struct ike_sa *, enum ike_fsm_ev, uint64_t now);

/* Header for a message of sa; response sets R, I follows sa->initiator. */
void		 ike_sa_hdr(const struct ike_sa *, struct ike_hdr *h,
		    uint8_t exch, bool response, uint32_t msgid);

/*
 * Protect the inner chain (inner, first) into an SK message and send it:
 * a request becomes sa->req (kind, retransmitted on the deadline, msgid
 * sa->msgid_send++), a response the cached one (for msgid).  Returns 0 or
 * -1 (nothing sent).
 */
int		 ike_sa_send_request(struct ike_sa *, enum ike_req_kind,
		    uint8_t exch, const uint8_t *inner, size_t len,
		    uint8_t first, uint64_t now);
int		 ike_sa_send_response(struct ike_sa *, uint8_t exch,
		    uint32_t msgid, const uint8_t *inner, size_t len,
		    uint8_t first);
/* Unencrypted (IKE_SA_INIT) request / response of sa. */
int		 ike_sa_send_plain_request(struct ike_sa *, const uint8_t *msg,
		    size_t len, uint64_t now);
void		 ike_sa_req_done(struct ike_sa *);
void		 ike_sa_retransmit_tick(struct ike_sa *, uint64_t now);
uint64_t	 ike_sa_deadline(const struct ike_sa *);
/* Record for the event sink / walk; keys included only if with_keys. */
void		 ike_sa_rec(const struct ike_sa *, struct sa_ike *r,
		    bool with_keys);
/* Seal a response and cache it (sa->resp); nothing emitted or queued. */
int		 ike_sa_seal_response(struct ike_sa *, uint8_t exch,
		    uint32_t msgid, const uint8_t *inner, size_t len,
		    uint8_t first);
/* Emit the IKE_UP deferred by sa->up_deferred (if any); clears both. */
void		 ike_sa_emit_up_pending(struct ike_sa *);
/* Also raises sa's and old's ev_last to the event's seq. */
void		 ike_sa_emit(struct ike_sa *, enum ike_ev_type,
		    struct ike_sa *old);
/* Queue a task; run the next one when no request is outstanding. */
int		 ike_sa_task_add(struct ike_sa *, const struct ike_task *);
void		 ike_sa_task_run(struct ike_sa *, uint64_t now);
void		 ike_sa_arm_lifetimes(struct ike_sa *, uint64_t now);

/* --- ike_core.c: output, logging, randomness ---------------------------- */

/* A datagram of no SA (IKE_SA_INIT error replies): no barrier. */
int		 core_queue(struct ike_core *, const struct sa_addr *local,
		    const struct sa_addr *remote, bool marker,
		    const uint8_t *buf, size_t len);
/* A datagram of sa, behind sa->ev_last (ike_core.h, "Write-ahead"). */
int		 core_queue_sa(struct ike_sa *, const uint8_t *buf,
		    size_t len);
void		 core_log(struct ike_core *, const struct ike_sa *,
		    enum ike_log_level, enum ike_log_kind, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
void		 core_drop(struct ike_core *, const struct ike_sa *,
		    const struct sa_addr *peer, enum ike_drop, const char *why);
int		 core_random(struct ike_core *, void *buf, size_t len);
void		 core_event(struct ike_core *, struct ike_event *ev);
/*
 * The peer stopped answering sa (retransmits exhausted): carry out
 * dpd_action (RFC 7296 2.4).  clear: close the SA and its Child SAs;
 * restart: close, then initiate the connection's children with
 * dpd_action = restart again; none: keep the SAs (sa is left as it is).
 * Returns 0 when sa was kept, 1 when it is gone (do not touch it).
 */
int		 core_peer_dead(struct ike_sa *, uint64_t now);
/* The connection by name in the current config, or NULL. */
const struct cfg_conn *core_conn(struct ike_core *, const char *name);
const struct cfg_child *core_child(const struct cfg_conn *, const char *name);
/* IKE / ESP proposals of conn / child in proposal-selection form. */
size_t		 core_props(const struct cfg_proposal *p, size_t n,
		    uint8_t proto, struct ike_cfg_prop *out, size_t cap);
/* The PSK between our id and the peer's (borrowed), or NULL. */
const struct secbuf *core_psk(struct ike_core *, const struct cfg_conn *,
		    const struct sa_id *peer);

/* Start conn's children with start_action = start that have no Child SA
 * yet; only the connections of group (NULL: of every ACTIVE group). */
int		 core_start_conns(struct ike_core *, const char *group,
		    uint64_t now);

/* --- ike_takeover.c: VIP groups ------------------------------------------ */

/* (Re)build c->groups from c->cfg, keeping the state of groups that stay;
 * a new group starts as lim.start_standby says.  0 or -1 (no memory). */
int		 core_groups_sync(struct ike_core *);
/* The groups and the import index. */
void		 core_groups_free(struct ike_core *);
struct ike_group_rt *core_group_find(const struct ike_core *,
		    const char *name);
/* ike_import.c: free the SPI index of imports (rebuilt on demand). */
void		 core_import_free(struct ike_core *);
/* Is cn's group STANDBY here?  (NULL cn: no.) */
bool		 core_conn_standby(const struct ike_core *,
		    const struct cfg_conn *cn);

/* --- exchanges (exch_*.c) ----------------------------------------------- */

/* A decoded, authenticated message handed to a handler. */
struct ike_rx {
	const struct ike_msg	*m;		/* outer */
	const struct ike_chain	*in;		/* inner (SK) or outer */
	const uint8_t		*ibuf;		/* what in's offsets refer to */
	uint64_t		 now;
};

/* exch_init.c */
int	 exch_init_start(struct ike_sa *, uint64_t now);
int	 exch_init_request(struct ike_core *, const struct sa_addr *local,
	    const struct sa_addr *remote, const struct ike_msg *m, uint64_t now);
int	 exch_init_response(struct ike_sa *, const struct ike_msg *m,
	    uint64_t now);
/* exch_auth.c */
int	 exch_auth_start(struct ike_sa *, uint64_t now);
int	 exch_auth_request(struct ike_sa *, const struct ike_rx *);
int	 exch_auth_response(struct ike_sa *, const struct ike_rx *);
/* (Re)load c->certs from c->cfg (auth_cert.c); free them. */
void	 exch_auth_certs_load(struct ike_core *);
void	 exch_auth_certs_free(struct ike_core *);
/* A CERTREQ naming cn's trust anchors, if it has any (pubkey). */
void	 exch_auth_enc_certreq(struct ike_core *, const struct cfg_conn *cn,
	    struct ike_enc *e);
/* exch_child.c */
int	 exch_child_start(struct ike_sa *, const char *child, uint64_t now);
int	 exch_child_rekey_start(struct ike_sa *, uint32_t child_uid,
	    uint64_t now);
int	 exch_ike_rekey_start(struct ike_sa *, uint64_t now);
int	 exch_child_request(struct ike_sa *, const struct ike_rx *);
int	 exch_child_response(struct ike_sa *, const struct ike_rx *);
/* exch_info.c */
int	 exch_info_delete_ike(struct ike_sa *, uint64_t now);
int	 exch_info_delete_child(struct ike_sa *, uint32_t spi_in,
	    uint64_t now);
int	 exch_info_dpd(struct ike_sa *, uint64_t now);
int	 exch_info_request(struct ike_sa *, const struct ike_rx *);
int	 exch_info_response(struct ike_sa *, const struct ike_rx *);
/* Responder: child config, ESP proposal and narrowed TS; 0 or notify. */
int	 exch_child_choose(struct ike_sa *, const struct ike_chain *in,
	    unsigned int flags, const struct cfg_child **ccp,
	    struct ike_chosen *esp, struct ike_ts_pld *ni,
	    struct ike_ts_pld *nr);
/* A notify of type t in chain c, or NULL. */
const struct ike_pld_ref *exch_find_notify(const struct ike_chain *c,
	    uint16_t type, struct ike_notify_pld *n);
/* An encrypted response holding one notify (errors). */
int	 exch_send_notify(struct ike_sa *, uint8_t exch, uint32_t msgid,
	    uint16_t type, const uint8_t *data, size_t len);

#endif /* IKEV2D_IKE_SA_H */
