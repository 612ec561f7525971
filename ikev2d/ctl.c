/*
 * ikev2d/ctl.c -- ikev2d's control requests (see ctl.h).  Ages are taken
 * against CLOCK_MONOTONIC, the clock the core stamps its records with
 * (loop.c); sync_out.c converts to wall clock for replication.
 */
#include <time.h>

#include "ctl.h"
#include "ike_core.h"
#include "sa_view.h"

int
ikev2d_ctl_request(struct ike_core *core, const struct ctl_hdr *h,
    struct rd *tlvs, struct ctl_reply *r)
{
	struct timespec	 ts;
	uint64_t	 now_ms;

	switch (h->type) {
	case CTL_SAS:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now_ms = (uint64_t)ts.tv_sec * 1000 +
		    (uint64_t)ts.tv_nsec / 1000000;
		if (core == NULL) {
			ctl_reply_error(r, "ikev2d has no IKE core running");
			return 0;
		}
		sa_view_reply(core, now_ms, r);
		return 0;
	}
	return -1;
}
