/*
 * lib/cfg_sync.c -- the `sync` section: how syncd replicates SAs over
 * corosync CPG, how ikev2d reaches it, and the counter-sync knobs behind
 * DESIGN guarantees 1-3 (sequence leases, XFRM async events, write-ahead
 * acknowledgements).  Every key has a default; the section may be absent.
 */
#include <inttypes.h>
#include <string.h>

#include "tandem/util.h"
#include "cfg_int.h"

void
cfg_sync_defaults(struct cfg_sync *s)
{
	strcpy(s->cpg_group, "tandem");
	s->socket_group[0] = '\0';		/* root only */
	s->lease_packets = 1U << 17;
	s->aevent_replay_threshold = 1024;
	s->aevent_timer_ms = 100;
	s->replay_batch = 64;
	s->ack_max_delay_ms = 2;
	s->allow_unencrypted_ring = false;
}

#define SY(f)	CFG_FIELD(struct cfg_sync, f)

static const struct cfg_key sync_keys[] = {
	{ "cpg_group",		    KT_NAME, 0, SY(cpg_group), 0, 0, NULL,
	    NULL },
	{ "socket_group",	    KT_NAME, 0, SY(socket_group), 0, 0, NULL,
	    NULL },
	{ "lease_packets",	    KT_INT, 0, SY(lease_packets), 1024,
	    1 << 30, NULL, NULL },
	{ "aevent_replay_threshold", KT_INT, 0, SY(aevent_replay_threshold),
	    1, 1 << 20, NULL, NULL },
	{ "aevent_timer",	    KT_DUR_MS, 0, SY(aevent_timer_ms), 10,
	    60000, NULL, NULL },
	{ "replay_batch",	    KT_INT, 0, SY(replay_batch), 1, 1024, NULL,
	    NULL },
	{ "ack_max_delay",	    KT_DUR_MS, 0, SY(ack_max_delay_ms), 0,
	    1000, NULL, NULL },
	{ "allow_unencrypted_ring", KT_BOOL, 0, SY(allow_unencrypted_ring),
	    0, 0, NULL, NULL },
};

int
cfg_sync(struct cfg_ctx *c, const config_setting_t *s, void *obj)
{
	struct cfg_sync	*sy = &((struct tnd_cfg *)obj)->sync;

	if (cfg_apply(c, s, sync_keys, nitems(sync_keys), sy) == -1)
		return -1;
	/*
	 * The owner of an SA learns how far the kernel's counter got from
	 * the replay-threshold events; with at least two per lease it hears
	 * of one before the lease runs out and extends it ahead of need.
	 */
	if (sy->aevent_replay_threshold > sy->lease_packets / 2)
		return cfg_err(c, cfg_member_or(s, "aevent_replay_threshold"),
		    "%saevent_replay_threshold %" PRIu32 " must be at most "
		    "half of lease_packets (%" PRIu32 ")",
		    cfg_member(s, "aevent_replay_threshold") == NULL ?
		    "the default " : "", sy->aevent_replay_threshold,
		    sy->lease_packets);
	return 0;
}
