/*
 * ha/track.c -- rise/fall counting and priority weights (track.h).  Pure.
 */
#include "tandem/util.h"
#include "track.h"

static const char *const track_state_names[] = {
	[TRACK_OK]	= "OK",
	[TRACK_FAILED]	= "FAILED",
};
_Static_assert(nitems(track_state_names) == TRACK_STATE_MAX,
    "a name per tracker state");

const char *
track_state_name(enum track_state st)
{
	return NAME_OF(track_state_names, st);
}

void
track_init(struct track *t, int32_t weight, uint32_t rise, uint32_t fall)
{
	t->weight = weight;
	t->rise = rise > 0 ? rise : 1;
	t->fall = fall > 0 ? fall : 1;
	t->st = TRACK_OK;
	t->run = 0;
}

bool
track_result(struct track *t, bool ok)
{
	uint32_t	 need;

	if ((t->st == TRACK_OK) == ok) {
		t->run = 0;		/* agrees: any streak against ends */
		return false;
	}
	need = t->st == TRACK_OK ? t->fall : t->rise;
	if (++t->run < need)
		return false;
	t->st = ok ? TRACK_OK : TRACK_FAILED;
	t->run = 0;
	return true;
}

struct track_sum
track_sum(const struct track *t, size_t n)
{
	struct track_sum	 s = { false, 0 };
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (t[i].weight == 0) {
			if (t[i].st == TRACK_FAILED)
				s.fault = true;
		} else if (t[i].weight > 0) {
			if (t[i].st == TRACK_OK)
				s.delta += t[i].weight;
		} else if (t[i].st == TRACK_FAILED)
			s.delta += t[i].weight;
	}
	return s;
}

uint8_t
track_prio(uint8_t base, int32_t delta)
{
	int32_t	 p;

	if (base == 255 && delta == 0)
		return 255;		/* the owner, untouched */
	if (base == 0)
		base = 1;
	/* |delta| <= 253 per tracker, bounded by the config's counts. */
	p = (int32_t)base + delta;
	if (p < 1)
		return 1;
	if (p > 254)
		return 254;
	return (uint8_t)p;
}
