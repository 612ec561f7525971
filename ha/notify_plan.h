/*
 * ha/notify_plan.h -- which notify scripts a role change runs, with
 * which arguments (pure; ha/notify.c forks and watches them).
 *
 * keepalived's semantics: the script of the state entered runs first
 * (notify_master for MASTER, notify_backup for BACKUP, notify_fault for
 * FAULT, notify_stop when hamgrd stops the group), with the words it was
 * configured with and nothing added; then the generic notify as
 *
 *	SCRIPT GROUP <name> <STATE> <priority>
 *
 * with STATE one of MASTER, BACKUP, FAULT, STOP.  Both are started at
 * once, neither waited for: keepalived does not serialise them either.
 */
#ifndef TANDEM_HA_NOTIFY_PLAN_H
#define TANDEM_HA_NOTIFY_PLAN_H

#include <stddef.h>

#include "tandem/cfg.h"
#include "role_fsm.h"

#define NOTIFY_PLAN_MAX	2		/* the state's script, the generic */

struct notify_cmd {
	const char	*what;		/* "notify_master", ..., "notify" */
	/* NULL-terminated; the strings are borrowed from the cfg_group,
	 * the name and the caller's prio */
	const char	*argv[CFG_NOTIFY_ARGS + 1];
	size_t		 argc;
};

/* "MASTER", "BACKUP", "FAULT"; "STOP" for INIT (stopping). */
const char	*notify_state_word(enum role next);

/*
 * The commands a move to next runs, in order, into cmds: how many (0,
 * 1 or 2).  prio is the effective priority as a decimal string; it must
 * outlive cmds.
 */
size_t		 notify_plan(const struct cfg_group *g, enum role next,
		    const char *prio, struct notify_cmd cmds[NOTIFY_PLAN_MAX]);

#endif /* TANDEM_HA_NOTIFY_PLAN_H */
