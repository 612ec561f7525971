/*
 * ha/ha_view.c -- the cluster's view of a VIP group (ha_view.h).  Pure.
 */
#include <string.h>

#include "ha_view.h"

const struct hamsg_group *
ha_view_group(const struct hamsg_state *s, const char *group)
{
	size_t	 i;

	for (i = 0; i < s->ngroups && i < HAMSG_GROUPS_MAX; i++)
		if (strcmp(s->groups[i].name, group) == 0)
			return &s->groups[i];
	return NULL;
}

bool
ha_view_eligible(const struct hamsg_state *s, const char *group)
{
	const struct hamsg_group	*g;

	if (s->flags & HAMSG_NF_MAINT)
		return false;
	if ((g = ha_view_group(s, group)) == NULL)
		return false;
	return !(g->flags & HAMSG_GF_FAULT) && g->role != HAMSG_ROLE_FAULT &&
	    g->role != HAMSG_ROLE_INIT;
}

bool
ha_view_better(const struct hamsg_state *const *peers, size_t n,
    const char *group, uint8_t prio)
{

	const struct hamsg_group	*g;
	size_t				 i;

	for (i = 0; i < n; i++) {
		if (!ha_view_eligible(peers[i], group))
			continue;
		g = ha_view_group(peers[i], group);
		if (g->role != HAMSG_ROLE_MASTER && g->prio > prio)
			return true;
	}
	return false;
}

bool
ha_view_master(const struct hamsg_state *const *peers, size_t n,
    const char *group)
{
	const struct hamsg_group	*g;
	size_t				 i;

	for (i = 0; i < n; i++)
		if ((g = ha_view_group(peers[i], group)) != NULL &&
		    g->role == HAMSG_ROLE_MASTER)
			return true;
	return false;
}

const struct hamsg_state *
ha_view_target(const struct hamsg_state *const *peers, size_t n,
    const char *group, const char *self, const char *want)
{
	const struct hamsg_state	*best = NULL;
	uint8_t				 bp = 0, p;
	size_t				 i;

	for (i = 0; i < n; i++) {
		if (strcmp(peers[i]->node, self) == 0 ||
		    !ha_view_eligible(peers[i], group))
			continue;
		if (want[0] != '\0') {
			if (strcmp(peers[i]->node, want) == 0)
				return peers[i];
			continue;
		}
		p = ha_view_group(peers[i], group)->prio;
		if (best == NULL || p > bp) {
			best = peers[i];
			bp = p;
		}
	}
	return best;
}
