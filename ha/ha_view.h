/*
 * ha/ha_view.h -- what the cluster's HA_STATE messages say about one VIP
 * group: is a better eligible node present, which node is the best
 * candidate for a handover.  Pure: no I/O, no clock, no globals; the
 * caller passes the states of the current CPG members only.
 *
 * A node is eligible for a group when it is not in maintenance, has the
 * group, and the group is not in FAULT (nor INIT: not started yet).
 * "Better" is a strictly higher effective priority; on equal priority
 * VRRP itself decides (RFC 5798 6.4.3, the higher address), so equal
 * peers are not "better" here and neither waits for the other.
 *
 * The group's MASTER is never "better" here: peer_better exists so that
 * the best BACKUP wins the race once the master's adverts stop, not to
 * second-guess the adverts.  Counting the master would make a backup
 * wait for corosync to drop a crashed node (its token timeout, seconds)
 * instead of the Master_Down_Interval (a third of a second at 10 cs).
 */
#ifndef HA_HA_VIEW_H
#define HA_HA_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/hamsg.h"

/* The group's entry in s, or NULL. */
const struct hamsg_group *ha_view_group(const struct hamsg_state *s,
		    const char *group);
bool		 ha_view_eligible(const struct hamsg_state *s,
		    const char *group);
/* A member other than us, eligible, not MASTER, priority > prio. */
bool		 ha_view_better(const struct hamsg_state *const *peers,
		    size_t n, const char *group, uint8_t prio);
/*
 * The handover target: the eligible member (not named self) with the
 * highest priority for group, the first in the array on a tie; when
 * want is not "", that node only, if eligible.  NULL when none.
 */
/* One of peers is MASTER of group (it can hand over when asked). */
bool		 ha_view_master(const struct hamsg_state *const *peers,
		    size_t n, const char *group);
const struct hamsg_state *ha_view_target(
		    const struct hamsg_state *const *peers, size_t n,
		    const char *group, const char *self, const char *want);

#endif /* HA_HA_VIEW_H */
