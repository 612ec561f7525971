/*
 * ha/track.h -- tracked interfaces and scripts, keepalived's semantics,
 * as pure counters.  The edge runs the scripts and watches the links; it
 * feeds each result here and hands the sum to the role machine
 * (role_in.prio_eff, role_in.fault, then ROLE_EV_TRACK).
 *
 * A tracker is OK or FAILED.  A script changes state after `rise`
 * consecutive successes (FAILED -> OK) or `fall` consecutive failures
 * (OK -> FAILED); an interface is a tracker with rise = fall = 1.
 * A tracker starts OK, as keepalived's does without init_fail.
 *
 * Its weight (keepalived track_script / track_interface):
 *   weight > 0	added to the priority while OK;
 *   weight < 0	subtracted (|weight|) while FAILED;
 *   weight = 0	FAULT while FAILED.
 * The effective priority is clamped to 1..254; 255 is kept only by the
 * address owner, and only while no weight applies.
 *
 * Pure: no I/O, no clock, no globals; the caller owns every struct.
 */
#ifndef TANDEM_HA_TRACK_H
#define TANDEM_HA_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum track_state {
	TRACK_OK,
	TRACK_FAILED,
	TRACK_STATE_MAX		/* keep last */
};

struct track {
	int32_t		 weight;	/* -253..253 */
	uint32_t	 rise, fall;	/* >= 1 (0 is taken as 1) */
	enum track_state st;
	uint32_t	 run;		/* consecutive results against st */
};

struct track_sum {
	bool		 fault;		/* a weight-0 tracker is FAILED */
	int32_t		 delta;		/* sum of the weights that apply */
};

/* Interfaces: track_init(t, weight, 1, 1). */
void		 track_init(struct track *, int32_t weight, uint32_t rise,
		    uint32_t fall);
/* Feed one result; returns true if the state changed. */
bool		 track_result(struct track *, bool ok);
struct track_sum track_sum(const struct track *, size_t n);
/* base 1..255 (255 = owner) with the delta of track_sum(). */
uint8_t		 track_prio(uint8_t base, int32_t delta);
const char	*track_state_name(enum track_state);

#endif /* TANDEM_HA_TRACK_H */
