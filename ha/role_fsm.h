/*
 * ha/role_fsm.h -- the role of this node for one VIP group: a pure state
 * machine (STYLE P3) and the VRRPv3 timer math (RFC 5798 6.1).
 *
 *                  +----------------- start / track ok ------------------+
 *                  |        (owner, prio 255, not in maintenance)        |
 *                  |                                                     v
 *   INIT --start--> BACKUP --master down (no better peer, not drained)-> MASTER
 *                  ^  ^  |  --preempt delay over (lower master heard)-->  |
 *                  |  |  |                                               |
 *                  |  |  +<--- better advert (prio, then address) -------+
 *                  |  |  +<--- maintenance on (resign: prio 0 advert) ---+
 *                  |  |
 *                  |  +------- track ok ------+
 *                  |                          |
 *   BACKUP --handover in (eligible)--> MASTER --handover out--> BACKUP
 *   (any but INIT) --- track fault ---------> FAULT
 *   (any) --- stop ---> INIT (a MASTER resigns first)
 *
 * DESIGN guarantee 4 (never two actives) is kept here:
 * - a BACKUP that hears a better (or equal, RFC 5798 6.4.2) master's
 *   adverts restarts its Master_Down_Timer whatever corosync says, so a
 *   node that lost the cluster link stays BACKUP while the master is heard;
 * - a MASTER that hears a better advert steps down at once; on equal
 *   priority the higher primary address wins (RFC 5798 6.4.3);
 * - when the master's adverts stop but corosync still shows a better
 *   eligible peer, a BACKUP waits another Master_Down_Interval: that
 *   peer's shorter skew makes it master first.
 * - a node in maintenance or FAULT never becomes MASTER.
 *
 * The step function is pure: no I/O, no clock, no globals.  The edge
 * (ha/loop.c) keeps a struct role_in per group, fills the event fields,
 * calls role_step(), copies the memory fields back from struct role_out
 * (role_in_update()), runs the actions in the order listed below and logs
 * one line per call: "group %s: %s -> %s (%s)" with role_name() and why.
 */
#ifndef TANDEM_HA_ROLE_FSM_H
#define TANDEM_HA_ROLE_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_INIT,
	ROLE_BACKUP,
	ROLE_MASTER,
	ROLE_FAULT,
	ROLE_MAX		/* keep last */
};

enum role_ev {
	ROLE_EV_START,		/* daemon up, config loaded, tracks known */
	ROLE_EV_STOP,		/* shutdown: a MASTER resigns */
	ROLE_EV_ADVERT,		/* verified VRRPv3 advert for our VRID:
				 * adv_prio, adv_adver_cs, adv_addr_cmp */
	ROLE_EV_MASTER_DOWN,	/* Master_Down_Timer expired */
	ROLE_EV_PREEMPT_DELAY,	/* preempt-delay timer expired */
	ROLE_EV_TRACK,		/* prio_eff or fault changed (track.h) */
	ROLE_EV_MAINT_ON,	/* maint is now true */
	ROLE_EV_MAINT_OFF,	/* maint is now false */
	ROLE_EV_PEER_BETTER_UP,	/* CPG: a member with better effective
				 * priority, eligible, is present */
	ROLE_EV_PEER_BETTER_DOWN, /* ... no longer */
	ROLE_EV_CLUSTER_UP,	/* CPG: we are in a membership with peers */
	ROLE_EV_CLUSTER_DOWN,	/* CPG: alone (cluster link lost) */
	ROLE_EV_HANDOVER_OUT,	/* planned failover: hand the group away
				 * (no resign advert: the target takes
				 * over on the CPG message, not on skew) */
	ROLE_EV_HANDOVER_IN,	/* planned failover names us: take over
				 * now, without waiting for timers */
	ROLE_EV_MAX		/* keep last */
};

/*
 * Actions, in the order the edge runs them.  "Stop" actions come before
 * "start" ones so a step never leaves two timers or adverts behind.
 */
#define ACT_TIMER_STOP		0x0001	/* cancel master-down + preempt */
#define ACT_ADVERT_RESIGN	0x0002	/* send one advert with priority 0 */
#define ACT_ADVERT_STOP		0x0004	/* stop the advert timer */
#define ACT_VIP_DEL		0x0008
#define ACT_IKE_STANDBY		0x0010	/* tell ikev2d: group is not ours */
#define ACT_IKE_ACTIVATE	0x0020	/* tell ikev2d: group is ours */
#define ACT_VIP_ADD		0x0040
#define ACT_GARP		0x0080	/* GARP / unsolicited NA, garp_count */
#define ACT_ADVERT_START	0x0100	/* send now, then every adver_cs */
#define ACT_ADVERT_SEND		0x0200	/* one advert now, reset advert timer */
#define ACT_TIMER_MASTER_DOWN	0x0400	/* (re)start: out.master_down_cs */
#define ACT_TIMER_PREEMPT	0x0800	/* start: out.preempt_delay_cs */
#define ACT_TIMER_PREEMPT_STOP	0x1000	/* cancel the preempt timer only */
#define ACT_NOTIFY		0x2000	/* notify scripts for out.next (INIT:
					 * stopping, notify_stop) */
/* A preempting backup waits this long for the handover it asked for. */
#define PULL_WAIT_CS		300

#define ACT_PULL		0x4000	/* ask the master (CPG) to hand over
					 * here; out.preempt_delay_cs: how
					 * long to wait before seizing */

/*
 * Everything the step looks at.  Three kinds of field: configuration
 * (from struct cfg_group), conditions (kept by the edge from track.h and
 * CPG) and memory (copied back from the last struct role_out).
 */
struct role_in {
	/* configuration */
	bool		 preempt;
	uint32_t	 preempt_delay_cs;	/* 0 = preempt at once */
	uint16_t	 adver_cs;		/* our Advertisement_Interval */
	/* conditions */
	uint8_t		 prio_eff;	/* track_prio(): 1..254, 255 = owner */
	bool		 fault;		/* a weight-0 tracker is failing */
	bool		 maint;		/* drained: never MASTER */
	bool		 cluster_up;	/* CPG membership has peers */
	bool		 peer_better;	/* a better eligible peer is a member */
	bool		 master_member;	/* the group's master is a member: it
					 * can hand over when asked (PULL) */
	/* memory (role_in_update) */
	uint16_t	 master_adver_cs; /* learnt from the master; 0 = none */
	uint8_t		 master_prio;	/* last priority heard; 0 = none */
	bool		 preempt_armed;	/* preempt-delay timer running */
	bool		 pull_sent;	/* preempting: asked for a handover */
	/* event data, ROLE_EV_ADVERT only */
	uint8_t		 adv_prio;
	uint16_t	 adv_adver_cs;	/* the advert's Max Adver Int */
	int		 adv_addr_cmp;	/* sender's primary address vs ours:
					 * <0 lower, 0 same, >0 higher
					 * (role_addr_cmp) */
};

struct role_out {
	enum role	 next;
	unsigned int	 act;		/* ACT_* */
	const char	*why;		/* static string for the log line */
	uint32_t	 master_down_cs; /* with ACT_TIMER_MASTER_DOWN */
	uint32_t	 preempt_delay_cs; /* with ACT_TIMER_PREEMPT */
	uint8_t		 advert_prio;	/* priority to put in our adverts */
	/* memory to copy into struct role_in */
	uint16_t	 master_adver_cs;
	uint8_t		 master_prio;
	bool		 preempt_armed;
	bool		 pull_sent;
};

/* Pure: same input, same output. */
struct role_out	 role_step(enum role cur, enum role_ev ev,
		    const struct role_in *in);
/* Copy the memory fields of o into in. */
void		 role_in_update(struct role_in *in, const struct role_out *o);

const char	*role_name(enum role);
const char	*role_ev_name(enum role_ev);
/* "IKE_ACTIVATE|VIP_ADD|..." into buf (always NUL-terminated). */
const char	*role_act_str(unsigned int act, char *buf, size_t len);

/*
 * RFC 5798 6.1, in centiseconds, integer division as the RFC writes it:
 *   Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
 *   Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time
 * prio is our own priority; adver_cs the master's interval (1..4095).
 */
uint32_t	 skew_time_cs(uint8_t prio, uint16_t adver_cs);
uint32_t	 master_down_interval_cs(uint8_t prio, uint16_t adver_cs);

/*
 * Compare two primary addresses of one family (len 4 or 16, network
 * order) as unsigned integers, for the tie-break of RFC 5798 6.4.3.
 */
int		 role_addr_cmp(const uint8_t *a, const uint8_t *b, size_t len);

#endif /* TANDEM_HA_ROLE_FSM_H */
