/*
 * ha/drill.h -- the pure parts of `haadm drill` (ha/haadm_drill.c does
 * the I/O): durations, the SA sets before and after a drill and their
 * comparison, the traffic-gap tracker, the verdict against the
 * operator's thresholds, and the report (human and JSON).
 *
 * Pure: no sockets, no clock, no globals.  Allocation only in the SA
 * sets (drill_sas_*: the caller owns the struct, drill_sas_free()
 * releases the arrays; NULL-safe).  Printing goes to the caller's FILE.
 */
#ifndef HA_DRILL_H
#define HA_DRILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DRILL_NAME_MAX		64
#define DRILL_SPI8_LEN		17	/* 16 hex digits + NUL (IKE SPI) */
#define DRILL_SPI4_LEN		9	/* 8 hex digits + NUL (ESP SPI) */
#define DRILL_REASONS_MAX	8
#define DRILL_REASON_LEN	192
#define DRILL_NO_LIMIT		(-1)

enum drill_kind {
	DRILL_PLANNED,		/* CTL_FAILOVER: clean handover */
	DRILL_CRASH,		/* the master's LAN interfaces go down */
	DRILL_LINK,		/* the cluster link goes down */
	DRILL_KIND_MAX
};

struct drill_ike {
	char	 spi_i[DRILL_SPI8_LEN], spi_r[DRILL_SPI8_LEN];	/* hex */
};

struct drill_child {
	char	 ike_spi_i[DRILL_SPI8_LEN], ike_spi_r[DRILL_SPI8_LEN];
	char	 spi_in[DRILL_SPI4_LEN], spi_out[DRILL_SPI4_LEN];
	uint64_t in_top;	/* inbound replay top (0: not known) */
};

/* One group's SAs at one moment.  Zero-initialise before the first add. */
struct drill_sas {
	struct drill_ike	*ike;
	size_t			 nike, cap_ike;
	struct drill_child	*child;
	size_t			 nchild, cap_child;
	bool			 sorted;
};

/*
 * Add one SA; SPIs are hex strings as ikev2d and syncd print them (case
 * is folded; anything but 16 resp. 8 hex digits is refused).  Returns 0,
 * or -1 (malformed SPI, out of memory): *s is unchanged then.
 */
int	 drill_sas_add_ike(struct drill_sas *, const char *spi_i,
	    const char *spi_r);
int	 drill_sas_add_child(struct drill_sas *, const char *ike_spi_i,
	    const char *ike_spi_r, const char *spi_in, const char *spi_out,
	    uint64_t in_top);
void	 drill_sas_free(struct drill_sas *);
/* Sort for lookups (done by the functions below when needed). */
void	 drill_sas_sort(struct drill_sas *);

/*
 * Before vs after, for one group:
 *   IKE SAs by (spi_i, spi_r): kept (in both), lost (only before), new
 *   (only after: a renegotiation, or an IKE rekey, which also changes
 *   the SPIs);
 *   Child SAs by (spi_in, spi_out): kept; rekeyed (only after, under an
 *   IKE SA that was kept); new (only after, under a new IKE SA); gone
 *   (only before).
 */
struct drill_cmp {
	size_t	 ike_before, ike_after, ike_kept, ike_lost, ike_new;
	size_t	 child_before, child_after, child_kept, child_rekeyed,
		 child_new, child_gone;
};

void	 drill_compare(struct drill_sas *before, struct drill_sas *after,
	    struct drill_cmp *out);
/*
 * Did traffic arrive between two samples?  True when a Child SA of cur
 * has a higher in_top than the same SA (spi_in, spi_out) in prev, or is
 * not in prev and has in_top > 0.
 */
bool	 drill_sas_advanced(struct drill_sas *prev, struct drill_sas *cur);

/*
 * The traffic gap: the inbound replay tops that this node's syncd holds
 * advance when a counter batch arrives, so "last advance before the
 * failure -> first advance after traffic resumed" bounds the outage from
 * above; it is coarse by the counter-sync interval.  Advances between
 * the failure and the resume point are not counted as "after": they may
 * be late batches of packets the old master received before the failure
 * (the caller sets the resume point at the takeover it saw plus one
 * counter-sync interval; for a drill without takeover, at the failure).
 * Times are ms on any one clock.
 */
struct drill_gap {
	int64_t	 fail_ms;
	int64_t	 resume_ms;		/* -1: not yet known */
	int64_t	 last_before_ms;	/* -1: none seen */
	int64_t	 first_after_ms;	/* -1: none seen */
};

#define DRILL_GAP_NO_BEFORE	(-1)	/* no traffic before the failure */
#define DRILL_GAP_NO_AFTER	(-2)	/* traffic did not resume */

void	 drill_gap_init(struct drill_gap *, int64_t fail_ms);
/* From t_ms on, an advance counts as traffic after the failure (the
 * first call wins). */
void	 drill_gap_resume(struct drill_gap *, int64_t t_ms);
/* A sample at t_ms; advanced: drill_sas_advanced() since the last one.
 * Samples before fail_ms must be given with t_ms < fail_ms. */
void	 drill_gap_note(struct drill_gap *, int64_t t_ms, bool advanced);
/* The gap in ms, or DRILL_GAP_NO_BEFORE / DRILL_GAP_NO_AFTER. */
int64_t	 drill_gap_ms(const struct drill_gap *);

/* Thresholds; DRILL_NO_LIMIT where the operator set none. */
struct drill_limits {
	int64_t	 max_outage_ms;
	int64_t	 max_renegotiations;
	int64_t	 max_rekeys;
};

/*
 * The kernel's replay and integrity error counters on every node, before
 * and after the drill (syncd's STATS carry each node's /proc/net/
 * xfrm_stat: `haadm status`'s node table).  Any that rose on any node
 * fails the drill: a resumed SA whose counters went backwards shows up
 * exactly there (replay drops at the peer, sequence errors here).
 */
enum drill_xerr {
	DRILL_XE_IN_SEQ = 0,	/* XfrmInStateSeqError: replay */
	DRILL_XE_IN_PROTO,	/* XfrmInStateProtoError: integrity */
	DRILL_XE_OUT_SEQ,	/* XfrmOutStateSeqError: sequence reuse */
	DRILL_XE_MAX		/* keep last */
};
#define DRILL_XNODES_MAX	8

struct drill_xnode {
	uint32_t	 id;		/* corosync node id */
	char		 name[DRILL_NAME_MAX];	/* "" unknown */
	bool		 self;
	bool		 have_before, have_after;
	uint64_t	 before[DRILL_XE_MAX], after[DRILL_XE_MAX];
};

struct drill_xerrs {
	struct drill_xnode n[DRILL_XNODES_MAX];
	size_t		 nn;
};

/* The kernel's name of a counter ("XfrmInStateSeqError"). */
const char *drill_xerr_name(unsigned int);
/*
 * One node's counters at one moment (after: false = before the
 * failure).  A node is added on first sight (at most DRILL_XNODES_MAX;
 * -1 past that).  Returns 0.
 */
int	 drill_xerr_note(struct drill_xerrs *, uint32_t id, const char *name,
	    bool self, bool after, const uint64_t v[DRILL_XE_MAX]);

struct drill_report {
	enum drill_kind	 kind;
	char		 group[DRILL_NAME_MAX];
	char		 node[DRILL_NAME_MAX];		/* this node */
	char		 old_master[DRILL_NAME_MAX];
	char		 new_master[DRILL_NAME_MAX];	/* "" = none */
	char		 masters_after[2 * DRILL_NAME_MAX]; /* "a" / "a,b" */
	size_t		 nmasters_after;
	char		 what[160];	/* the failure, e.g. "up0, in0 down" */
	int64_t		 fail_unix_ms;
	int64_t		 down_ms;	/* links held down (crash, link) */
	int64_t		 takeover_ms;	/* -1: no takeover seen */
	/* The new master's own account (HAMSG_TRANS, its clock): decided
	 * after decided_ms (detection), active activation_us later. */
	bool		 have_decided;
	int64_t		 decided_ms;
	int64_t		 activation_us;
	int64_t		 gap_ms;	/* < 0: DRILL_GAP_NO_* */
	int64_t		 ctr_sync_ms;	/* the counter-sync interval */
	int64_t		 settle_ms;
	bool		 role_changed;	/* the master changed at some point */
	struct drill_cmp cmp;
	/* --back: the group pulled back here after the drill */
	bool		 back;
	int64_t		 back_ms;	/* request -> MASTER here; -1: not */
	char		 back_why[320];	/* why not, when back_ms < 0 */
	struct drill_xerrs xerr;	/* every node, before / after */
	/* drill_evaluate() */
	bool		 pass;
	char		 reasons[DRILL_REASONS_MAX][DRILL_REASON_LEN];
	size_t		 nreasons;
	struct drill_limits lim;
};

/*
 * The verdict: pass unless one of these (each adds a reason):
 *   planned, crash: no other node became MASTER;
 *   link: the master changed;
 *   not exactly one master after the drill;
 *   IKE SAs lost; renegotiations > max; rekeys > max;
 *   max_outage set and the gap unknown or larger;
 *   back set and the return trip did not bring the group here;
 *   a replay or integrity error counter rose on any node (xerr).
 */
void	 drill_evaluate(struct drill_report *, const struct drill_limits *);
void	 drill_print(FILE *, const struct drill_report *);
/* One JSON object (schema in ha/haadm.8 and the comment in drill.c). */
void	 drill_json(FILE *, const struct drill_report *);

/*
 * A duration: a decimal number with "ms" or "s" ("500ms", "2s", "1.5s");
 * a bare number is seconds.  Returns 0 with *ms set (0..86400000), or -1.
 */
int	 drill_parse_duration(const char *s, int64_t *ms);
const char *drill_kind_name(enum drill_kind);

#endif /* HA_DRILL_H */
