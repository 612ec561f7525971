/*
 * ha/notify_plan.c -- which notify scripts a role change runs
 * (ha/notify_plan.h).  Pure: no fork, no clock.
 */
#include <string.h>

#include "tandem/util.h"
#include "notify_plan.h"

const char *
notify_state_word(enum role next)
{
	switch (next) {
	case ROLE_MASTER:
		return "MASTER";
	case ROLE_BACKUP:
		return "BACKUP";
	case ROLE_FAULT:
		return "FAULT";
	default:
		return "STOP";
	}
}

static const struct cfg_strv *
state_script(const struct cfg_group *g, enum role next, const char **what)
{
	switch (next) {
	case ROLE_MASTER:
		*what = "notify_master";
		return &g->notify_master;
	case ROLE_BACKUP:
		*what = "notify_backup";
		return &g->notify_backup;
	case ROLE_FAULT:
		*what = "notify_fault";
		return &g->notify_fault;
	default:
		*what = "notify_stop";
		return &g->notify_stop;
	}
}

size_t
notify_plan(const struct cfg_group *g, enum role next, const char *prio,
    struct notify_cmd cmds[NOTIFY_PLAN_MAX])
{
	const struct cfg_strv	*sv;
	struct notify_cmd	*c;
	const char		*what;
	size_t			 n = 0, i;

	sv = state_script(g, next, &what);
	if (sv->n > 0 && sv->n <= CFG_NOTIFY_ARGS) {
		c = &cmds[n++];
		c->what = what;
		for (i = 0; i < sv->n; i++)
			c->argv[i] = sv->v[i];
		c->argv[i] = NULL;
		c->argc = i;
	}
	if (g->notify != NULL) {
		c = &cmds[n++];
		memset(c->argv, 0, sizeof(c->argv));
		c->what = "notify";
		c->argv[0] = g->notify;
		c->argv[1] = "GROUP";
		c->argv[2] = g->name;
		c->argv[3] = notify_state_word(next);
		c->argv[4] = prio;
		c->argc = 5;
	}
	return n;
}
