/*
 * ha/role_fsm.c -- the role state machine of one VIP group (see the
 * picture in role_fsm.h) and the RFC 5798 timer math.  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "role_fsm.h"

static const char *const role_names[] = {
	[ROLE_INIT]	= "INIT",
	[ROLE_BACKUP]	= "BACKUP",
	[ROLE_MASTER]	= "MASTER",
	[ROLE_FAULT]	= "FAULT",
};
_Static_assert(nitems(role_names) == ROLE_MAX, "a name per role");

static const char *const role_ev_names[] = {
	[ROLE_EV_START]			= "start",
	[ROLE_EV_STOP]			= "stop",
	[ROLE_EV_ADVERT]		= "advert",
	[ROLE_EV_MASTER_DOWN]		= "master-down timer",
	[ROLE_EV_PREEMPT_DELAY]		= "preempt-delay timer",
	[ROLE_EV_TRACK]			= "track",
	[ROLE_EV_MAINT_ON]		= "maintenance on",
	[ROLE_EV_MAINT_OFF]		= "maintenance off",
	[ROLE_EV_PEER_BETTER_UP]	= "better peer joined",
	[ROLE_EV_PEER_BETTER_DOWN]	= "better peer left",
	[ROLE_EV_CLUSTER_UP]		= "cluster link up",
	[ROLE_EV_CLUSTER_DOWN]		= "cluster link down",
	[ROLE_EV_HANDOVER_OUT]		= "handover out",
	[ROLE_EV_HANDOVER_IN]		= "handover in",
};
_Static_assert(nitems(role_ev_names) == ROLE_EV_MAX, "a name per event");

static const char *const act_names[] = {
	"TIMER_STOP", "ADVERT_RESIGN", "ADVERT_STOP", "VIP_DEL",
	"IKE_STANDBY", "IKE_ACTIVATE", "VIP_ADD", "GARP", "ADVERT_START",
	"ADVERT_SEND", "TIMER_MASTER_DOWN", "TIMER_PREEMPT",
	"TIMER_PREEMPT_STOP", "NOTIFY", "PULL",
};
_Static_assert(1u << (nitems(act_names) - 1) == ACT_PULL,
    "a name per action bit");

const char *
role_name(enum role r)
{
	return NAME_OF(role_names, r);
}

const char *
role_ev_name(enum role_ev ev)
{
	return NAME_OF(role_ev_names, ev);
}

const char *
role_act_str(unsigned int act, char *buf, size_t len)
{
	size_t	 i, used = 0;
	int	 n;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < nitems(act_names); i++) {
		if ((act & (1u << i)) == 0)
			continue;
		n = snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? "|" : "", act_names[i]);
		if (n < 0 || (size_t)n >= len - used)
			break;			/* cut, still terminated */
		used += (size_t)n;
	}
	return buf;
}

uint32_t
skew_time_cs(uint8_t prio, uint16_t adver_cs)
{
	return ((256u - prio) * (uint32_t)adver_cs) / 256u;
}

uint32_t
master_down_interval_cs(uint8_t prio, uint16_t adver_cs)
{
	return 3u * adver_cs + skew_time_cs(prio, adver_cs);
}

int
role_addr_cmp(const uint8_t *a, const uint8_t *b, size_t len)
{
	int	 c = memcmp(a, b, len);	/* network order: big-endian */

	return c < 0 ? -1 : c > 0;
}

/* --- helpers; each adds to *o and never removes ------------------------ */

static bool
eligible(const struct role_in *in)
{
	return !in->maint && !in->fault;
}

/* RFC 5798 6.1: Preempt_Mode is ignored by the address owner. */
static bool
preempts(const struct role_in *in)
{
	return in->preempt || in->prio_eff == 255;
}

/* The Master_Adver_Interval we believe in: the master's, else ours. */
static uint16_t
cur_adver_cs(const struct role_in *in)
{
	return in->master_adver_cs != 0 ? in->master_adver_cs : in->adver_cs;
}

static void
arm_down(struct role_out *o, const struct role_in *in, uint16_t adver_cs)
{
	o->act |= ACT_TIMER_MASTER_DOWN;
	o->master_down_cs = master_down_interval_cs(in->prio_eff, adver_cs);
}

static void
disarm_preempt(struct role_out *o)
{
	if (o->preempt_armed)
		o->act |= ACT_TIMER_PREEMPT_STOP;
	o->preempt_armed = false;
	o->pull_sent = false;
}

static void
become_master(struct role_out *o, const char *why)
{
	o->next = ROLE_MASTER;
	o->act |= ACT_TIMER_STOP | ACT_IKE_ACTIVATE | ACT_VIP_ADD | ACT_GARP |
	    ACT_ADVERT_START | ACT_NOTIFY;
	o->act &= ~ACT_TIMER_PREEMPT_STOP;	/* TIMER_STOP covers it */
	o->preempt_armed = false;
	o->pull_sent = false;
	o->why = why;
}

/* MASTER -> next: stop sending, drop the VIPs, hand IKE back. */
static void
leave_master(struct role_out *o, enum role next, bool resign,
    const char *why)
{
	o->next = next;
	o->act |= ACT_ADVERT_STOP | ACT_VIP_DEL | ACT_IKE_STANDBY | ACT_NOTIFY;
	if (resign)
		o->act |= ACT_ADVERT_RESIGN;	/* RFC 5798 6.4.3 shutdown */
	o->why = why;
}

/*
 * Leaving INIT (start) or FAULT (trackers healthy again): RFC 5798 6.4.1.
 * The owner becomes MASTER at once, everyone else waits as BACKUP for one
 * Master_Down_Interval.  cur is INIT or FAULT.
 */
static void
enter(struct role_out *o, enum role cur, const struct role_in *in,
    const char *why)
{
	unsigned int	 standby = cur == ROLE_INIT ? ACT_IKE_STANDBY : 0;

	o->master_adver_cs = 0;
	o->master_prio = 0;
	o->preempt_armed = false;
	o->pull_sent = false;
	if (in->fault) {
		o->next = ROLE_FAULT;
		if (cur == ROLE_INIT) {
			o->act |= ACT_IKE_STANDBY | ACT_NOTIFY;
			o->why = "start: track fault";
		} else
			o->why = "still fault";
		return;
	}
	if (in->maint) {
		o->next = ROLE_BACKUP;
		o->act |= standby | ACT_NOTIFY;
		o->why = "maintenance: never master";
		return;
	}
	if (in->prio_eff == 255) {
		become_master(o, "address owner");
		return;
	}
	o->next = ROLE_BACKUP;
	o->act |= standby | ACT_NOTIFY;
	arm_down(o, in, in->adver_cs);
	o->why = why;
}

/* --- per state --------------------------------------------------------- */

static void
step_backup(struct role_out *o, enum role_ev ev, const struct role_in *in)
{
	switch (ev) {
	case ROLE_EV_ADVERT:
		o->master_adver_cs = in->adv_adver_cs;
		o->master_prio = in->adv_prio;
		if (in->adv_prio == 0) {
			/* RFC 5798 6.4.2: Master_Down_Timer = Skew_Time */
			disarm_preempt(o);
			if (!eligible(in)) {
				o->why = "master resigned, drained";
				break;
			}
			o->act |= ACT_TIMER_MASTER_DOWN;
			o->master_down_cs = skew_time_cs(in->prio_eff,
			    in->adv_adver_cs);
			o->why = "master resigned";
			break;
		}
		if (!preempts(in) || in->adv_prio >= in->prio_eff ||
		    !eligible(in)) {
			/* Guarantee 4: a master we defer to is heard. */
			arm_down(o, in, in->adv_adver_cs);
			disarm_preempt(o);
			o->why = "master heard";
			break;
		}
		if (in->preempt_delay_cs == 0) {
			/* RFC 5798 6.4.2: discard; the timer runs out. */
			o->why = "lower master: preempt";
			break;
		}
		/* Follow the lower master until the delay is over. */
		arm_down(o, in, in->adv_adver_cs);
		if (!o->preempt_armed) {
			o->act |= ACT_TIMER_PREEMPT;
			o->preempt_delay_cs = in->preempt_delay_cs;
			o->preempt_armed = true;
		}
		o->why = "lower master: preempt delay";
		break;
	case ROLE_EV_MASTER_DOWN:
		if (!eligible(in)) {
			o->why = "master down, drained";
			break;
		}
		if (in->cluster_up && in->peer_better) {
			/* Its shorter skew makes it master first. */
			arm_down(o, in, cur_adver_cs(in));
			o->why = "master down, better peer in membership";
			break;
		}
		become_master(o, "master down");
		break;
	case ROLE_EV_PREEMPT_DELAY:
		if (o->preempt_armed && eligible(in) && preempts(in) &&
		    in->master_prio != 0 && in->prio_eff > in->master_prio &&
		    !(in->cluster_up && in->peer_better)) {
			/*
			 * A master we can reach over the cluster hands the
			 * group over make-before-break when asked (a clean
			 * activation here: no rekeys, no outage).  Seize it
			 * by adverts only when it cannot, or did not within
			 * PULL_WAIT_CS.
			 */
			if (in->cluster_up && in->master_member &&
			    !in->pull_sent) {
				o->act |= ACT_PULL | ACT_TIMER_PREEMPT;
				o->preempt_delay_cs = PULL_WAIT_CS;
				o->pull_sent = true;
				o->why = "preempt delay over: asking the master "
				    "to hand over";
				break;
			}
			become_master(o, in->pull_sent ? "preempt: no "
			    "handover, taking over" : "preempt delay over");
			break;
		}
		o->preempt_armed = false;
		o->pull_sent = false;
		o->why = "preempt no longer due";
		break;
	case ROLE_EV_TRACK:
		if (in->fault) {
			o->next = ROLE_FAULT;
			o->act |= ACT_TIMER_STOP | ACT_NOTIFY;
			o->preempt_armed = false;
			o->why = "track fault";
			break;
		}
		o->why = "priority changed";
		break;
	case ROLE_EV_MAINT_ON:
		o->act |= ACT_TIMER_STOP;
		o->preempt_armed = false;
		o->why = "maintenance on";
		break;
	case ROLE_EV_MAINT_OFF:
		arm_down(o, in, cur_adver_cs(in));
		o->why = "maintenance off";
		break;
	case ROLE_EV_STOP:
		o->next = ROLE_INIT;
		o->act |= ACT_TIMER_STOP | ACT_NOTIFY;	/* notify_stop */
		o->preempt_armed = false;
		o->why = "stop";
		break;
	case ROLE_EV_START:
		o->why = "already started";
		break;
	case ROLE_EV_HANDOVER_IN:
		if (!eligible(in)) {
			o->why = "handover refused: not eligible";
			break;
		}
		/* Planned: the master has stopped; no timer to wait for,
		 * and a better peer in the membership is the one leaving. */
		become_master(o, "handover");
		break;
	case ROLE_EV_HANDOVER_OUT:
		o->why = "handover out: not master";
		break;
	default:
		o->why = role_ev_name(ev);	/* membership: adverts decide */
		break;
	}
}

static void
step_master(struct role_out *o, enum role_ev ev, const struct role_in *in)
{
	switch (ev) {
	case ROLE_EV_ADVERT:
		if (in->adv_prio == 0) {
			/* RFC 5798 6.4.3: another master resigned. */
			o->act |= ACT_ADVERT_SEND;
			o->why = "other master resigned";
			break;
		}
		if (in->adv_prio > in->prio_eff ||
		    (in->adv_prio == in->prio_eff && in->adv_addr_cmp > 0)) {
			/* Guarantee 4: step down at once. */
			o->master_adver_cs = in->adv_adver_cs;
			o->master_prio = in->adv_prio;
			leave_master(o, ROLE_BACKUP, false,
			    in->adv_prio > in->prio_eff ? "better advert" :
			    "equal priority, higher address");
			arm_down(o, in, in->adv_adver_cs);
			break;
		}
		if (in->adv_prio == in->prio_eff && in->adv_addr_cmp == 0) {
			o->why = "own advert";
			break;
		}
		/* Assert at once rather than a full interval later. */
		o->act |= ACT_ADVERT_SEND;
		o->why = "lower advert";
		break;
	case ROLE_EV_TRACK:
		if (in->fault) {
			o->act |= ACT_TIMER_STOP;
			leave_master(o, ROLE_FAULT, true, "track fault");
			break;
		}
		o->act |= ACT_ADVERT_SEND;	/* announce the new priority */
		o->why = "priority changed";
		break;
	case ROLE_EV_MAINT_ON:
		o->act |= ACT_TIMER_STOP;
		leave_master(o, ROLE_BACKUP, true, "maintenance: drain");
		break;
	case ROLE_EV_STOP:
		o->act |= ACT_TIMER_STOP;
		leave_master(o, ROLE_INIT, true, "stop");
		break;
	case ROLE_EV_MASTER_DOWN:
	case ROLE_EV_PREEMPT_DELAY:
		o->why = "stale timer";
		break;
	case ROLE_EV_CLUSTER_DOWN:
		o->why = "cluster link down: adverts decide";
		break;
	case ROLE_EV_HANDOVER_OUT:
		/*
		 * No priority-0 advert: it would start the backups'
		 * Skew_Time race; the target takes over on the CPG message.
		 * Our own Master_Down_Timer brings the group back should
		 * the target never take it.
		 */
		o->act |= ACT_TIMER_STOP;
		leave_master(o, ROLE_BACKUP, false, "handover");
		arm_down(o, in, in->adver_cs);
		break;
	case ROLE_EV_HANDOVER_IN:
		o->why = "handover in: already master";
		break;
	case ROLE_EV_START:
		o->why = "already started";
		break;
	default:
		o->why = role_ev_name(ev);
		break;
	}
}

struct role_out
role_step(enum role cur, enum role_ev ev, const struct role_in *in)
{
	struct role_out	 o;

	memset(&o, 0, sizeof(o));
	o.next = cur;
	o.advert_prio = in->prio_eff;
	o.master_adver_cs = in->master_adver_cs;
	o.master_prio = in->master_prio;
	o.preempt_armed = in->preempt_armed;
	o.pull_sent = in->pull_sent;
	o.why = role_ev_name(ev);

	switch (cur) {
	case ROLE_INIT:
		if (ev == ROLE_EV_START)
			enter(&o, cur, in, "start");
		else
			o.why = "not started";
		break;
	case ROLE_BACKUP:
		step_backup(&o, ev, in);
		break;
	case ROLE_MASTER:
		step_master(&o, ev, in);
		break;
	case ROLE_FAULT:
		if (ev == ROLE_EV_TRACK)
			enter(&o, cur, in, "track ok");
		else if (ev == ROLE_EV_STOP) {
			o.next = ROLE_INIT;
			o.act |= ACT_NOTIFY;	/* notify_stop */
			o.why = "stop";
		} else
			o.why = "in fault";
		break;
	default:
		o.why = "bad state";
		break;
	}
	/* a pull is part of a running preempt, or forgotten */
	if (!o.preempt_armed)
		o.pull_sent = false;
	return o;
}

void
role_in_update(struct role_in *in, const struct role_out *o)
{
	in->master_adver_cs = o->master_adver_cs;
	in->master_prio = o->master_prio;
	in->preempt_armed = o->preempt_armed;
	in->pull_sent = o->pull_sent;
}
