/*
 * test/unit/test_role_fsm.c -- the role state machine of ha/role_fsm.h:
 * one table row per (state, event, condition) transition, a check that
 * the table covers every (state, event) pair, the RFC 5798 timer math,
 * the keepalived-style trackers of ha/track.h, and a two-node simulation
 * of the split-brain rules (DESIGN guarantee 4).
 */
#include <stdio.h>
#include <string.h>

#include "tandem/util.h"
#include "unit.h"
#include "../../ha/role_fsm.h"
#include "../../ha/track.h"

#define BECOME	(ACT_TIMER_STOP | ACT_IKE_ACTIVATE | ACT_VIP_ADD | ACT_GARP | \
		 ACT_ADVERT_START | ACT_NOTIFY)
#define LEAVE	(ACT_ADVERT_STOP | ACT_VIP_DEL | ACT_IKE_STANDBY | ACT_NOTIFY)
#define RESIGN	(ACT_TIMER_STOP | LEAVE | ACT_ADVERT_RESIGN)
#define MD	ACT_TIMER_MASTER_DOWN
#define SBN	(ACT_IKE_STANDBY | ACT_NOTIFY)
#define PS	ACT_TIMER_PREEMPT_STOP
#define TP	ACT_TIMER_PREEMPT

/* Conditions on top of the base input of base_in(). */
#define F_NOPREEMPT	0x001
#define F_DELAY		0x002	/* preempt_delay 500 cs */
#define F_FAULT		0x004
#define F_MAINT		0x008
#define F_ALONE		0x010	/* cluster link down */
#define F_PEER_BETTER	0x020
#define F_ARMED		0x040	/* preempt timer running */
#define F_OWNER		0x080	/* prio_eff 255 */
#define F_MPRIO_LOW	0x100	/* last master heard at 50 */
#define F_MPRIO_HIGH	0x200	/* last master heard at 150 */
#define F_MMEMBER	0x400	/* the master is a CPG member */
#define F_PULLED	0x800	/* a handover was asked for */

static void
base_in(struct role_in *in, unsigned int f)
{
	memset(in, 0, sizeof(*in));
	in->preempt = (f & F_NOPREEMPT) == 0;
	in->preempt_delay_cs = f & F_DELAY ? 500 : 0;
	in->adver_cs = 100;
	in->prio_eff = f & F_OWNER ? 255 : 100;
	in->fault = (f & F_FAULT) != 0;
	in->maint = (f & F_MAINT) != 0;
	in->cluster_up = (f & F_ALONE) == 0;
	in->peer_better = (f & F_PEER_BETTER) != 0;
	in->master_adver_cs = 100;
	in->master_prio = f & F_MPRIO_LOW ? 50 : f & F_MPRIO_HIGH ? 150 : 0;
	in->preempt_armed = (f & F_ARMED) != 0;
	in->master_member = (f & F_MMEMBER) != 0;
	in->pull_sent = (f & F_PULLED) != 0;
	in->adv_adver_cs = 100;
}

#define I	ROLE_INIT
#define B	ROLE_BACKUP
#define M	ROLE_MASTER
#define F	ROLE_FAULT

/*
 * One row per transition.  Priority 100, adverts every 100 cs:
 * Skew_Time = 156 * 100 / 256 = 60, Master_Down_Interval = 360.
 */
static const struct row {
	enum role	 from;
	enum role_ev	 ev;
	unsigned int	 f;
	uint8_t		 adv_prio;
	int		 cmp;		/* sender's address vs ours */
	enum role	 want;
	unsigned int	 act;
	uint32_t	 down_cs;	/* checked when MD is in act */
} rows[] = {
	/* INIT: RFC 5798 6.4.1 */
	{ I, ROLE_EV_START, 0, 0, 0,		B, SBN | MD, 360 },
	{ I, ROLE_EV_START, F_OWNER, 0, 0,	M, BECOME, 0 },
	{ I, ROLE_EV_START, F_FAULT, 0, 0,	F, SBN, 0 },
	{ I, ROLE_EV_START, F_MAINT, 0, 0,	B, SBN, 0 },
	{ I, ROLE_EV_START, F_MAINT | F_OWNER, 0, 0, B, SBN, 0 },
	{ I, ROLE_EV_START, F_FAULT | F_MAINT, 0, 0, F, SBN, 0 },
	{ I, ROLE_EV_STOP, 0, 0, 0,		I, 0, 0 },
	{ I, ROLE_EV_ADVERT, 0, 150, 0,		I, 0, 0 },
	{ I, ROLE_EV_MASTER_DOWN, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_PREEMPT_DELAY, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_TRACK, 0, 0, 0,		I, 0, 0 },
	{ I, ROLE_EV_MAINT_ON, 0, 0, 0,		I, 0, 0 },
	{ I, ROLE_EV_MAINT_OFF, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_PEER_BETTER_UP, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_PEER_BETTER_DOWN, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_CLUSTER_UP, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_CLUSTER_DOWN, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_HANDOVER_IN, 0, 0, 0,	I, 0, 0 },
	{ I, ROLE_EV_HANDOVER_OUT, 0, 0, 0,	I, 0, 0 },

	/* BACKUP: RFC 5798 6.4.2 */
	{ B, ROLE_EV_START, 0, 0, 0,		B, 0, 0 },
	{ B, ROLE_EV_ADVERT, 0, 150, 0,		B, MD, 360 },	/* better */
	{ B, ROLE_EV_ADVERT, 0, 100, -1,	B, MD, 360 },	/* equal */
	{ B, ROLE_EV_ADVERT, 0, 100, 1,		B, MD, 360 },
	{ B, ROLE_EV_ADVERT, 0, 50, 0,		B, 0, 0 },	/* preempt */
	{ B, ROLE_EV_ADVERT, F_NOPREEMPT, 50, 0, B, MD, 360 },
	{ B, ROLE_EV_ADVERT, F_DELAY, 50, 0,	B, MD | TP, 360 },
	{ B, ROLE_EV_ADVERT, F_DELAY | F_ARMED, 50, 0, B, MD, 360 },
	{ B, ROLE_EV_ADVERT, F_DELAY | F_ARMED, 150, 0,
						B, MD | PS, 360 },
	{ B, ROLE_EV_ADVERT, 0, 0, 0,		B, MD, 60 },	/* resign */
	{ B, ROLE_EV_ADVERT, F_DELAY | F_ARMED, 0, 0,
						B, MD | PS, 60 },
	{ B, ROLE_EV_ADVERT, F_MAINT, 0, 0,	B, 0, 0 },
	{ B, ROLE_EV_ADVERT, F_MAINT, 50, 0,	B, MD, 360 },	/* drained */
	{ B, ROLE_EV_ADVERT, F_ALONE, 150, 0,	B, MD, 360 }, /* split */
	{ B, ROLE_EV_ADVERT, F_ALONE | F_NOPREEMPT, 50, 0, B, MD, 360 },
	{ B, ROLE_EV_ADVERT, F_OWNER | F_NOPREEMPT, 50, 0, B, 0, 0 },
	{ B, ROLE_EV_MASTER_DOWN, 0, 0, 0,	M, BECOME, 0 },
	{ B, ROLE_EV_MASTER_DOWN, F_ALONE, 0, 0, M, BECOME, 0 },
	{ B, ROLE_EV_MASTER_DOWN, F_ARMED | F_DELAY, 0, 0, M, BECOME, 0 },
	{ B, ROLE_EV_MASTER_DOWN, F_PEER_BETTER, 0, 0, B, MD, 360 },
	{ B, ROLE_EV_MASTER_DOWN, F_PEER_BETTER | F_ALONE, 0, 0, M, BECOME, 0 },
	{ B, ROLE_EV_MASTER_DOWN, F_MAINT, 0, 0, B, 0, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_LOW, 0, 0,
						M, BECOME, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_MPRIO_LOW, 0, 0, B, 0, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_HIGH, 0, 0,
						B, 0, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_LOW | F_MAINT,
	    0, 0,				B, 0, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_LOW |
	    F_NOPREEMPT, 0, 0,			B, 0, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_LOW |
	    F_PEER_BETTER, 0, 0,		B, 0, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED, 0, 0, B, 0, 0 },
	/* preempt by handover: a master in the membership is asked first
	 * (and the timer rearmed), seized when it did not hand over */
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_LOW |
	    F_MMEMBER, 0, 0,			B, ACT_PULL | TP, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_LOW |
	    F_MMEMBER | F_PULLED, 0, 0,		M, BECOME, 0 },
	{ B, ROLE_EV_PREEMPT_DELAY, F_DELAY | F_ARMED | F_MPRIO_LOW |
	    F_MMEMBER | F_ALONE, 0, 0,		M, BECOME, 0 },
	{ B, ROLE_EV_HANDOVER_IN, F_DELAY | F_ARMED | F_MPRIO_LOW |
	    F_MMEMBER | F_PULLED, 0, 0,		M, BECOME, 0 },
	{ B, ROLE_EV_TRACK, F_FAULT, 0, 0,	F, ACT_TIMER_STOP | ACT_NOTIFY,
						0 },
	{ B, ROLE_EV_TRACK, 0, 0, 0,		B, 0, 0 },
	{ B, ROLE_EV_MAINT_ON, F_MAINT, 0, 0,	B, ACT_TIMER_STOP, 0 },
	{ B, ROLE_EV_MAINT_OFF, 0, 0, 0,	B, MD, 360 },
	{ B, ROLE_EV_PEER_BETTER_UP, F_PEER_BETTER, 0, 0, B, 0, 0 },
	{ B, ROLE_EV_PEER_BETTER_DOWN, 0, 0, 0,	B, 0, 0 },
	{ B, ROLE_EV_CLUSTER_UP, 0, 0, 0,	B, 0, 0 },
	{ B, ROLE_EV_CLUSTER_DOWN, F_ALONE, 0, 0, B, 0, 0 },
	/* planned handover: at once, even with a better peer present */
	{ B, ROLE_EV_HANDOVER_IN, F_PEER_BETTER, 0, 0, M, BECOME, 0 },
	{ B, ROLE_EV_HANDOVER_IN, F_ARMED, 0, 0, M, BECOME, 0 },
	{ B, ROLE_EV_HANDOVER_IN, F_MAINT, 0, 0, B, 0, 0 },
	{ B, ROLE_EV_HANDOVER_IN, F_FAULT, 0, 0, B, 0, 0 },
	{ B, ROLE_EV_HANDOVER_OUT, 0, 0, 0,	B, 0, 0 },
	{ B, ROLE_EV_STOP, 0, 0, 0,		I, ACT_TIMER_STOP | ACT_NOTIFY,
	    0 },

	/* MASTER: RFC 5798 6.4.3 */
	{ M, ROLE_EV_START, 0, 0, 0,		M, 0, 0 },
	{ M, ROLE_EV_ADVERT, 0, 150, 0,		B, LEAVE | MD, 360 },
	{ M, ROLE_EV_ADVERT, F_ALONE, 150, 0,	B, LEAVE | MD, 360 },
	{ M, ROLE_EV_ADVERT, 0, 100, 1,		B, LEAVE | MD, 360 },
	{ M, ROLE_EV_ADVERT, F_OWNER, 255, 1,	B, LEAVE | MD, 300 },
	{ M, ROLE_EV_ADVERT, 0, 100, -1,	M, ACT_ADVERT_SEND, 0 },
	{ M, ROLE_EV_ADVERT, 0, 100, 0,		M, 0, 0 },	/* own */
	{ M, ROLE_EV_ADVERT, 0, 50, 1,		M, ACT_ADVERT_SEND, 0 },
	{ M, ROLE_EV_ADVERT, 0, 0, 1,		M, ACT_ADVERT_SEND, 0 },
	{ M, ROLE_EV_MASTER_DOWN, 0, 0, 0,	M, 0, 0 },
	{ M, ROLE_EV_PREEMPT_DELAY, 0, 0, 0,	M, 0, 0 },
	{ M, ROLE_EV_TRACK, F_FAULT, 0, 0,	F, RESIGN, 0 },
	{ M, ROLE_EV_TRACK, 0, 0, 0,		M, ACT_ADVERT_SEND, 0 },
	{ M, ROLE_EV_MAINT_ON, F_MAINT, 0, 0,	B, RESIGN, 0 },
	{ M, ROLE_EV_MAINT_OFF, 0, 0, 0,	M, 0, 0 },
	{ M, ROLE_EV_PEER_BETTER_UP, F_PEER_BETTER, 0, 0, M, 0, 0 },
	{ M, ROLE_EV_PEER_BETTER_DOWN, 0, 0, 0,	M, 0, 0 },
	{ M, ROLE_EV_CLUSTER_UP, 0, 0, 0,	M, 0, 0 },
	{ M, ROLE_EV_CLUSTER_DOWN, F_ALONE, 0, 0, M, 0, 0 },
	/* no resign advert: the target takes over on the CPG message */
	{ M, ROLE_EV_HANDOVER_OUT, 0, 0, 0,	B,
	    ACT_TIMER_STOP | LEAVE | MD, 360 },
	{ M, ROLE_EV_HANDOVER_IN, 0, 0, 0,	M, 0, 0 },
	{ M, ROLE_EV_STOP, 0, 0, 0,		I, RESIGN, 0 },

	/* FAULT */
	{ F, ROLE_EV_START, F_FAULT, 0, 0,	F, 0, 0 },
	{ F, ROLE_EV_TRACK, 0, 0, 0,		B, ACT_NOTIFY | MD, 360 },
	{ F, ROLE_EV_TRACK, F_FAULT, 0, 0,	F, 0, 0 },
	{ F, ROLE_EV_TRACK, F_OWNER, 0, 0,	M, BECOME, 0 },
	{ F, ROLE_EV_TRACK, F_MAINT, 0, 0,	B, ACT_NOTIFY, 0 },
	{ F, ROLE_EV_ADVERT, F_FAULT, 150, 0,	F, 0, 0 },
	{ F, ROLE_EV_MASTER_DOWN, F_FAULT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_PREEMPT_DELAY, F_FAULT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_MAINT_ON, F_FAULT | F_MAINT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_MAINT_OFF, F_FAULT, 0, 0,	F, 0, 0 },
	{ F, ROLE_EV_PEER_BETTER_UP, F_FAULT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_PEER_BETTER_DOWN, F_FAULT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_CLUSTER_UP, F_FAULT, 0, 0,	F, 0, 0 },
	{ F, ROLE_EV_CLUSTER_DOWN, F_FAULT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_HANDOVER_IN, F_FAULT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_HANDOVER_OUT, F_FAULT, 0, 0, F, 0, 0 },
	{ F, ROLE_EV_STOP, F_FAULT, 0, 0,	I, ACT_NOTIFY, 0 },
};

static void
test_table(void)
{
	struct role_in	 in;
	struct role_out	 o;
	char		 got[256], want[256];
	size_t		 i;

	for (i = 0; i < nitems(rows); i++) {
		base_in(&in, rows[i].f);
		in.adv_prio = rows[i].adv_prio;
		in.adv_addr_cmp = rows[i].cmp;
		o = role_step(rows[i].from, rows[i].ev, &in);
		if (o.next != rows[i].want || o.act != rows[i].act ||
		    ((o.act & MD) && o.master_down_cs != rows[i].down_cs))
			fprintf(stderr, "\n  row %zu: %s + %s: got %s %s %u"
			    " (%s), want %s %s %u", i, role_name(rows[i].from),
			    role_ev_name(rows[i].ev), role_name(o.next),
			    role_act_str(o.act, got, sizeof(got)),
			    o.master_down_cs, o.why, role_name(rows[i].want),
			    role_act_str(rows[i].act, want, sizeof(want)),
			    rows[i].down_cs);
		CU_ASSERT_EQUAL(o.next, rows[i].want);
		CU_ASSERT_EQUAL(o.act, rows[i].act);
		if (o.act & MD)
			CU_ASSERT_EQUAL(o.master_down_cs, rows[i].down_cs);
		if (o.act & ACT_TIMER_PREEMPT) {
			/* a pull waits PULL_WAIT_CS, else the configured */
			CU_ASSERT_EQUAL(o.preempt_delay_cs, o.act & ACT_PULL ?
			    PULL_WAIT_CS : 500);
			CU_ASSERT(o.preempt_armed);
			CU_ASSERT_EQUAL(o.pull_sent, (o.act & ACT_PULL) != 0);
		}
		/* Guarantee 4 by construction: never MASTER while drained
		 * or faulty, and a stop or step-down never leaves the VIPs. */
		if (o.next == ROLE_MASTER)
			CU_ASSERT(!in.maint && !in.fault);
		if (rows[i].from == ROLE_MASTER && o.next != ROLE_MASTER)
			CU_ASSERT((o.act & LEAVE) == LEAVE);
		CU_ASSERT_PTR_NOT_NULL(o.why);
		CU_ASSERT_EQUAL(o.advert_prio, in.prio_eff);
	}
}

/* Every (state, event) pair has at least one row. */
static void
test_table_covers(void)
{
	bool	 seen[ROLE_MAX][ROLE_EV_MAX];
	size_t	 i;
	int	 s, e;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < nitems(rows); i++)
		seen[rows[i].from][rows[i].ev] = true;
	for (s = 0; s < ROLE_MAX; s++)
		for (e = 0; e < ROLE_EV_MAX; e++) {
			if (!seen[s][e])
				fprintf(stderr, "\n  no row for %s + %s",
				    role_name(s), role_ev_name(e));
			CU_ASSERT(seen[s][e]);
		}
}

static void
test_names(void)
{
	char	 buf[256];
	int	 i;

	for (i = 0; i < ROLE_MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(role_name(i), "UNKNOWN");
	for (i = 0; i < ROLE_EV_MAX; i++)
		CU_ASSERT_STRING_NOT_EQUAL(role_ev_name(i), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE_MAX), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(role_ev_name(ROLE_EV_MAX), "UNKNOWN");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE_MASTER), "MASTER");
	CU_ASSERT_STRING_EQUAL(role_act_str(ACT_VIP_ADD | ACT_NOTIFY, buf,
	    sizeof(buf)), "VIP_ADD|NOTIFY");
	CU_ASSERT_STRING_EQUAL(role_act_str(0, buf, sizeof(buf)), "");
	role_act_str(0x3fff, buf, 12);		/* cut, terminated */
	CU_ASSERT(strlen(buf) < 12);
	CU_ASSERT_STRING_EQUAL(track_state_name(TRACK_FAILED), "FAILED");
}

static void
test_timers(void)
{
	static const struct {
		uint8_t		 prio;
		uint16_t	 adver_cs;
		uint32_t	 skew, down;
	} t[] = {
		{ 100,	100,	60,	360 },	/* 156 * 100 / 256 = 60.9 */
		{ 255,	100,	0,	300 },	/* owner: no skew */
		{ 254,	100,	0,	300 },	/* 200 / 256 */
		{ 1,	100,	99,	399 },
		{ 0,	100,	100,	400 },	/* formula at prio 0 */
		{ 100,	10,	6,	36 },	/* 10 cs adverts: 0.36 s */
		{ 200,	10,	2,	32 },
		{ 1,	1,	0,	3 },
		{ 100,	4095,	2495,	14780 },	/* 12-bit maximum */
		{ 1,	4095,	4079,	16364 },	/* largest of all */
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++) {
		CU_ASSERT_EQUAL(skew_time_cs(t[i].prio, t[i].adver_cs),
		    t[i].skew);
		CU_ASSERT_EQUAL(master_down_interval_cs(t[i].prio,
		    t[i].adver_cs), t[i].down);
	}
}

static void
test_addr_cmp(void)
{
	static const uint8_t	 a4[] = { 10, 0, 0, 2 };
	static const uint8_t	 b4[] = { 10, 0, 0, 10 };
	static const uint8_t	 a6[16] = { 0xfe, 0x80, [15] = 0x01 };
	static const uint8_t	 b6[16] = { 0xfe, 0x80, [14] = 0x01 };

	CU_ASSERT_EQUAL(role_addr_cmp(a4, b4, 4), -1);	/* numeric, not text */
	CU_ASSERT_EQUAL(role_addr_cmp(b4, a4, 4), 1);
	CU_ASSERT_EQUAL(role_addr_cmp(a4, a4, 4), 0);
	CU_ASSERT_EQUAL(role_addr_cmp(a6, b6, 16), -1);
}

/* --- trackers ------------------------------------------------------------ */

static void
test_track_rise_fall(void)
{
	static const struct {
		bool	 ok;
		bool	 changed;
		enum track_state st;
	} steps[] = {			/* rise 2, fall 3; starts OK */
		{ true,  false, TRACK_OK },
		{ false, false, TRACK_OK },
		{ false, false, TRACK_OK },
		{ true,  false, TRACK_OK },	/* streak broken */
		{ false, false, TRACK_OK },
		{ false, false, TRACK_OK },
		{ false, true,  TRACK_FAILED },	/* third in a row */
		{ false, false, TRACK_FAILED },
		{ true,  false, TRACK_FAILED },
		{ false, false, TRACK_FAILED },	/* streak broken */
		{ true,  false, TRACK_FAILED },
		{ true,  true,  TRACK_OK },	/* second in a row */
	};
	struct track	 t;
	size_t		 i;

	track_init(&t, -10, 2, 3);
	for (i = 0; i < nitems(steps); i++) {
		CU_ASSERT_EQUAL(track_result(&t, steps[i].ok),
		    steps[i].changed);
		CU_ASSERT_EQUAL(t.st, steps[i].st);
	}
	track_init(&t, 0, 0, 0);		/* interface: 1 and 1 */
	CU_ASSERT(track_result(&t, false));
	CU_ASSERT(track_result(&t, true));
}

static void
test_track_weights(void)
{
	struct track		 t[4];
	struct track_sum	 s;

	track_init(&t[0], 20, 1, 1);		/* +20 while OK */
	track_init(&t[1], -30, 1, 1);		/* -30 while failing */
	track_init(&t[2], 0, 1, 1);		/* FAULT while failing */
	track_init(&t[3], -5, 1, 1);
	s = track_sum(t, 4);
	CU_ASSERT(!s.fault);
	CU_ASSERT_EQUAL(s.delta, 20);
	track_result(&t[0], false);
	track_result(&t[1], false);
	s = track_sum(t, 4);
	CU_ASSERT_EQUAL(s.delta, -30);
	track_result(&t[3], false);
	s = track_sum(t, 4);
	CU_ASSERT_EQUAL(s.delta, -35);
	CU_ASSERT(!s.fault);
	track_result(&t[2], false);
	s = track_sum(t, 4);
	CU_ASSERT(s.fault);
	track_result(&t[2], true);
	CU_ASSERT(!track_sum(t, 4).fault);
	CU_ASSERT_EQUAL(track_sum(t, 0).delta, 0);
}

static void
test_track_prio(void)
{
	static const struct {
		uint8_t	 base;
		int32_t	 delta;
		uint8_t	 want;
	} t[] = {
		{ 100,	0,	100 },
		{ 100,	20,	120 },
		{ 100,	-30,	70 },
		{ 100,	-99,	1 },
		{ 100,	-100,	1 },	/* never 0: that is "resign" */
		{ 100,	-253,	1 },
		{ 250,	10,	254 },	/* never 255: that is the owner */
		{ 254,	253,	254 },
		{ 255,	0,	255 },	/* the owner, untouched */
		{ 255,	-10,	245 },
		{ 255,	10,	254 },
		{ 1,	-1,	1 },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++)
		CU_ASSERT_EQUAL(track_prio(t[i].base, t[i].delta), t[i].want);
}

/* --- two nodes on one LAN and one cluster link --------------------------- */

#define NNODE	2
#define NEVER	(-1L)

struct node {
	enum role	 r;
	struct role_in	 in;
	uint8_t		 addr;		/* primary address, last byte */
	long		 t_down, t_preempt, t_adv;
	int		 nmaster;	/* transitions into MASTER */
};

struct sim {
	struct node	 n[NNODE];
	long		 now;		/* centiseconds */
	bool		 lan;		/* upstream LAN carries adverts */
	int		 both;		/* cs with two MASTERs */
};

static void	sim_ev(struct sim *, int, enum role_ev);

/* Deliver an advert from node i to every other node. */
static void
sim_advert(struct sim *s, int from, uint8_t prio)
{
	int	 j;

	if (!s->lan)
		return;
	for (j = 0; j < NNODE; j++) {
		if (j == from)
			continue;
		s->n[j].in.adv_prio = prio;
		s->n[j].in.adv_adver_cs = s->n[from].in.adver_cs;
		s->n[j].in.adv_addr_cmp = s->n[from].addr > s->n[j].addr ? 1 :
		    s->n[from].addr < s->n[j].addr ? -1 : 0;
		sim_ev(s, j, ROLE_EV_ADVERT);
	}
}

static void
sim_ev(struct sim *s, int i, enum role_ev ev)
{
	struct node	*n = &s->n[i];
	struct role_out	 o;

	o = role_step(n->r, ev, &n->in);
	role_in_update(&n->in, &o);
	if (o.next == ROLE_MASTER && n->r != ROLE_MASTER)
		n->nmaster++;
	n->r = o.next;
	if (o.act & ACT_TIMER_STOP)
		n->t_down = n->t_preempt = NEVER;
	if (o.act & ACT_TIMER_PREEMPT_STOP)
		n->t_preempt = NEVER;
	if (o.act & ACT_ADVERT_STOP)
		n->t_adv = NEVER;
	if (o.act & ACT_TIMER_MASTER_DOWN)
		n->t_down = s->now + (long)o.master_down_cs;
	if (o.act & ACT_TIMER_PREEMPT)
		n->t_preempt = s->now + (long)o.preempt_delay_cs;
	if (o.act & ACT_ADVERT_RESIGN)
		sim_advert(s, i, 0);
	if (o.act & (ACT_ADVERT_START | ACT_ADVERT_SEND)) {
		n->t_adv = s->now + n->in.adver_cs;
		sim_advert(s, i, o.advert_prio);
	}
}

static void
sim_init(struct sim *s, uint8_t p0, uint8_t p1, bool preempt,
    uint32_t delay_cs)
{
	int	 i;

	memset(s, 0, sizeof(*s));
	s->lan = true;
	for (i = 0; i < NNODE; i++) {
		s->n[i].r = ROLE_INIT;
		s->n[i].in.preempt = preempt;
		s->n[i].in.preempt_delay_cs = delay_cs;
		s->n[i].in.adver_cs = 10;
		s->n[i].in.prio_eff = i == 0 ? p0 : p1;
		s->n[i].in.cluster_up = true;
		s->n[i].addr = (uint8_t)(10 + i);
		s->n[i].t_down = s->n[i].t_preempt = s->n[i].t_adv = NEVER;
	}
}

static void
sim_run(struct sim *s, long cs)
{
	long	 end = s->now + cs;
	int	 i, nm;

	for (; s->now < end; s->now++) {
		for (i = 0; i < NNODE; i++) {
			if (s->n[i].t_down == s->now) {
				s->n[i].t_down = NEVER;
				sim_ev(s, i, ROLE_EV_MASTER_DOWN);
			}
			if (s->n[i].t_preempt == s->now) {
				s->n[i].t_preempt = NEVER;
				sim_ev(s, i, ROLE_EV_PREEMPT_DELAY);
			}
			if (s->n[i].t_adv == s->now &&
			    s->n[i].r == ROLE_MASTER) {
				s->n[i].t_adv = s->now + s->n[i].in.adver_cs;
				sim_advert(s, i, s->n[i].in.prio_eff);
			}
		}
		for (nm = 0, i = 0; i < NNODE; i++)
			nm += s->n[i].r == ROLE_MASTER;
		if (nm > 1)
			s->both++;
	}
}

static int
sim_masters(const struct sim *s)
{
	int	 i, nm = 0;

	for (i = 0; i < NNODE; i++)
		nm += s->n[i].r == ROLE_MASTER;
	return nm;
}

/* Cluster link cut, LAN fine: exactly one MASTER, never two. */
static void
test_sim_cluster_cut(void)
{
	struct sim	 s;
	int		 i;

	sim_init(&s, 200, 100, true, 0);
	sim_ev(&s, 0, ROLE_EV_START);
	sim_ev(&s, 1, ROLE_EV_START);
	sim_run(&s, 100);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_MASTER);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_BACKUP);
	for (i = 0; i < NNODE; i++) {
		s.n[i].in.cluster_up = false;
		sim_ev(&s, i, ROLE_EV_CLUSTER_DOWN);
	}
	sim_run(&s, 2000);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_MASTER);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_BACKUP);
	CU_ASSERT_EQUAL(s.both, 0);
}

/*
 * Both links cut: two MASTERs (nothing can tell them apart); when the
 * LAN heals the lower one steps down on the first advert it hears.
 */
static void
test_sim_heal(void)
{
	struct sim	 s;

	sim_init(&s, 100, 100, true, 0);	/* equal: address decides */
	sim_ev(&s, 0, ROLE_EV_START);
	sim_ev(&s, 1, ROLE_EV_START);
	sim_run(&s, 100);
	/* Both timers ran out in the same tick: the first to advertise
	 * wins, since a BACKUP accepts an equal priority (RFC 5798 6.4.2). */
	CU_ASSERT_EQUAL(sim_masters(&s), 1);
	s.lan = false;
	sim_run(&s, 100);
	CU_ASSERT_EQUAL(sim_masters(&s), 2);
	s.lan = true;
	s.both = 0;
	sim_run(&s, 100);
	/* Two masters of equal priority: the higher address wins. */
	CU_ASSERT_EQUAL(sim_masters(&s), 1);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);
	CU_ASSERT(s.both <= 10);		/* within one advert interval */
}

/* Master dies: the backup takes over after Master_Down_Interval. */
static void
test_sim_failover(void)
{
	struct sim	 s;

	sim_init(&s, 200, 100, true, 0);
	sim_ev(&s, 0, ROLE_EV_START);
	sim_ev(&s, 1, ROLE_EV_START);
	sim_run(&s, 100);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_MASTER);
	while (s.n[0].t_adv - s.now != 9)	/* it advertised at now - 1 */
		sim_run(&s, 1);
	s.n[0].r = ROLE_INIT;			/* SIGKILL: silence */
	s.n[0].t_adv = s.n[0].t_down = NEVER;
	sim_run(&s, 34);			/* timer due at now - 1 + 36 */
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_BACKUP);
	sim_run(&s, 2);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);
}

/* Clean resign (maintenance): the backup takes over after Skew_Time. */
static void
test_sim_drain(void)
{
	struct sim	 s;

	sim_init(&s, 200, 100, true, 0);
	sim_ev(&s, 0, ROLE_EV_START);
	sim_ev(&s, 1, ROLE_EV_START);
	sim_run(&s, 100);
	s.n[0].in.maint = true;
	sim_ev(&s, 0, ROLE_EV_MAINT_ON);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_BACKUP);
	sim_run(&s, 7);				/* skew at 100: 6 cs */
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);
	sim_run(&s, 1000);			/* drained: stays BACKUP */
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_BACKUP);
	CU_ASSERT_EQUAL(s.n[0].nmaster, 1);
	s.n[0].in.maint = false;
	sim_ev(&s, 0, ROLE_EV_MAINT_OFF);
	sim_run(&s, 100);			/* preempt, no delay */
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_MASTER);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_BACKUP);
	CU_ASSERT_EQUAL(sim_masters(&s), 1);
}

/* A better node returns: nopreempt leaves it BACKUP; preempt with a
 * delay takes over only once the delay is over. */
static void
test_sim_return(void)
{
	struct sim	 s;

	sim_init(&s, 200, 100, false, 0);	/* nopreempt */
	sim_ev(&s, 1, ROLE_EV_START);
	sim_run(&s, 100);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);
	sim_ev(&s, 0, ROLE_EV_START);
	sim_run(&s, 1000);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_BACKUP);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);

	sim_init(&s, 200, 100, true, 300);	/* preempt after 3 s */
	sim_ev(&s, 1, ROLE_EV_START);
	sim_run(&s, 100);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);
	sim_ev(&s, 0, ROLE_EV_START);
	sim_run(&s, 290);		/* delay 300 from the 1st advert */
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_BACKUP);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);
	sim_run(&s, 30);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_MASTER);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_BACKUP);
	CU_ASSERT(s.both <= 1);
}

/* Tracking lowers the master under the backup: preempt moves it. */
static void
test_sim_track(void)
{
	struct sim	 s;

	sim_init(&s, 200, 150, true, 0);
	sim_ev(&s, 0, ROLE_EV_START);
	sim_ev(&s, 1, ROLE_EV_START);
	sim_run(&s, 100);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_MASTER);
	s.n[0].in.prio_eff = track_prio(200, -60);	/* 140 < 150 */
	sim_ev(&s, 0, ROLE_EV_TRACK);
	sim_run(&s, 100);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_MASTER);
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_BACKUP);
	s.n[1].in.fault = true;				/* weight 0 */
	sim_ev(&s, 1, ROLE_EV_TRACK);
	CU_ASSERT_EQUAL(s.n[1].r, ROLE_FAULT);
	sim_run(&s, 10);				/* resigned: skew */
	CU_ASSERT_EQUAL(s.n[0].r, ROLE_MASTER);
	CU_ASSERT_EQUAL(sim_masters(&s), 1);
}

UNIT_SUITE(role_fsm, "role state machine",
    { "transition table", test_table },
    { "table covers every state x event", test_table_covers },
    { "names", test_names },
    { "RFC 5798 timers", test_timers },
    { "address tie-break", test_addr_cmp },
    { "track rise/fall", test_track_rise_fall },
    { "track weights", test_track_weights },
    { "track priority clamp", test_track_prio },
    { "sim: cluster link cut, one master", test_sim_cluster_cut },
    { "sim: partition heals", test_sim_heal },
    { "sim: master dies", test_sim_failover },
    { "sim: maintenance drain", test_sim_drain },
    { "sim: return with nopreempt / preempt_delay", test_sim_return },
    { "sim: tracking moves the master", test_sim_track });
