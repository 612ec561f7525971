/*
 * ikev2d/ctl.h -- ikev2d's own control requests (the frame in
 * lib/ctl_io.c answers PING and STATUS): CTL_SAS lists the SAs;
 * CTL_REKEY and CTL_DELETE start a rekey or delete of one SA by uid;
 * CTL_ACTIVATE and CTL_STANDBY (from hamgrd) take over or give up the
 * SAs of one VIP group.
 *
 * CTL_ACTIVATE {GROUP, FLAGS: CTL_RF_UNCLEAN after a crash}: when the
 * live SA stream is ready (sa_live.h), the standby copies are already
 * current: the stream is drained to a barrier and nothing is fetched.
 * Otherwise the group's imported SAs from an earlier attempt are
 * dropped, every record of the group is fetched from this node's syncd
 * (sa_reload.h: a new connection) and imported.  Then the core's event
 * sequence jump is handed to sync_out, and the group is activated
 * (ike_core_group_activate()).
 * Reply lines: group, state (active), mode (clean | unclean | "already
 * active"), ike_sas, child_sas, kernel_sas, failures, rekeys, records
 * (imported, or held live), refused, source (live | fetch), fetch_ms
 * (the barrier's time when live), install_ms, install_cpu_ms (ikev2d's
 * own CPU time in the install; the rest is waiting for the CPU),
 * parked, presets.  Errors: no GROUP; no such
 * group; "no syncd: cannot take over group G (...)" when syncd does not
 * answer (the group stays standby: never active with no SAs); the stream
 * broke (the group stays standby, partial imports dropped).
 *
 * failures counts Child SAs whose install failed and batched kernel
 * requests that failed.
 *
 * CTL_STANDBY {GROUP}: ike_core_group_standby().  Reply lines: group,
 * state (standby), ike_sas_dropped.
 *
 * Replies are synchronous: the fetch blocks the loop for at most
 * SA_RELOAD_TIMEOUT_MS (a takeover is the one thing to do then).
 */
#ifndef IKEV2D_CTL_H
#define IKEV2D_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "tandem/ctlmsg.h"
#include "ike_core.h"

struct ike_core;
struct sa_live;

/* The last takeover, for the status lines. */
struct ikev2d_takeover_last {
	char		 group[CTL_NAME_MAX];	/* "" = none yet */
	uint64_t	 fetch_ms, install_ms;
	uint32_t	 records, refused;
};

struct ikev2d_ctl {
	struct ike_core	*core;		/* NULL: not running */
	const char	*rundir;
	/* the core's event sequence jumped (sync_out_seq_skip()) */
	void		(*seq_jump)(void *arg, uint64_t seq);
	void		*arg;
	struct ikev2d_takeover_last *last;
	struct sa_live	*live;		/* NULL or the standby's live copy */
	int		 rt_priority;	/* ha.takeover_rt_priority */
};

/* What one takeover did (ikev2d_takeover()). */
struct ikev2d_takeover {
	struct ike_takeover_stats st;
	uint32_t	 records, refused;	/* imported / refused */
	uint64_t	 fetch_ms, install_ms;
	uint64_t	 install_cpu_ms;	/* ikev2d's own CPU in it */
	bool		 no_syncd;		/* syncd did not answer */
	bool		 live;		/* from the live copy: fetch_ms is
					 * the barrier's time */
};

/*
 * Take group over: drop the group's stale imports, fetch this node's
 * syncd's records, import those of the group, activate.  allow_empty:
 * when syncd does not answer, activate with no replicated SAs (a daemon
 * starting outside a cluster) instead of failing.  0 done, 1 already
 * active, -1 with why (the group stays standby).  Also the daemon's
 * start without --standby: it reloads the SAs syncd holds.
 */
int	ikev2d_takeover(const struct ikev2d_ctl *x, const char *group,
	    bool unclean, bool allow_empty, struct ikev2d_takeover *out,
	    char *why, size_t whylen);

/* The daemon_desc.request hook's body.  0, or -1 for an unknown type. */
int	ikev2d_ctl_request(const struct ikev2d_ctl *x, const struct ctl_hdr *h,
	    struct rd *tlvs, struct ctl_reply *r);

#endif
