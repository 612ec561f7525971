/*
 * ha/notify.c -- the group's notify scripts, keepalived's convention
 * (ha/notify_plan.h decides which run, with which arguments): the
 * state's own script (notify_master, notify_backup, notify_fault,
 * notify_stop) first, then the generic
 *
 *	SCRIPT GROUP <name> <STATE> <priority>
 *
 * STATE is MASTER, BACKUP, FAULT or STOP (leaving for INIT at shutdown).
 * fork + exec, never waited for in the loop: libev reaps the child
 * (ev_child) and the exit status is logged; a script still running after
 * NOTIFY_TIMEOUT_S is killed (SIGKILL), counted as failed.  Runs of one
 * group may overlap: scripts must not assume they are serialised (as
 * with keepalived, which does not serialise them either).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tandem/util.h"
#include "hamgrd.h"
#include "notify_plan.h"

#define NOTIFY_TIMEOUT_S	30.0

struct notify_job {
	ev_child		 child;
	ev_timer		 tmr;
	struct ha_group		*g;
	char			 state[24];	/* "notify_master", "notify STOP" */
	struct notify_job	*next;
};

/* Jobs of all groups, for notify_stop(); few and short-lived. */
static struct notify_job *jobs;

static void
job_free(struct ev_loop *loop, struct notify_job *j)
{
	struct notify_job	**pp;

	ev_child_stop(loop, &j->child);
	ev_timer_stop(loop, &j->tmr);
	for (pp = &jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	free(j);
}

static void
on_exit_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct notify_job	*j = container_of(w, struct notify_job, child);
	int			 st = w->rstatus;

	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		log_info("group %s: notify %s: exit 0", j->g->cfg->name,
		    j->state);
	else {
		j->g->notify_fail++;
		if (WIFEXITED(st))
			log_warn("group %s: notify %s: exit %d",
			    j->g->cfg->name, j->state, WEXITSTATUS(st));
		else
			log_warn("group %s: notify %s: killed by signal %d",
			    j->g->cfg->name, j->state, WTERMSIG(st));
	}
	job_free(loop, j);
}

static void
on_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct notify_job	*j = container_of(w, struct notify_job, tmr);

	log_warn("group %s: notify %s: still running after %.0f s, killed",
	    j->g->cfg->name, j->state, NOTIFY_TIMEOUT_S);
	kill(j->child.pid, SIGKILL);	/* the child watcher reaps it */
}

static void
spawn(struct ha_group *g, const struct notify_cmd *c, const char *st)
{
	struct ev_loop		*loop = g->hd->d->loop;
	struct notify_job	*j;
	char			 label[24], args[256];
	size_t			 i, used = 0;
	int			 n;
	pid_t			 pid;

	if (strcmp(c->what, "notify") == 0)
		snprintf(label, sizeof(label), "notify %s", st);
	else
		snprintf(label, sizeof(label), "%s", c->what);
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		g->notify_fail++;
		log_err("group %s: %s: out of memory", g->cfg->name, label);
		return;
	}
	if ((pid = fork()) == -1) {
		g->notify_fail++;
		log_err("group %s: %s: fork: %m", g->cfg->name, label);
		free(j);
		return;
	}
	if (pid == 0) {
		sigset_t	 none;

		/* libev blocks no signals, but a clean mask costs nothing. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		execv(c->argv[0], (char *const *)c->argv);
		_exit(127);
	}
	g->notify_runs++;
	j->g = g;
	snprintf(j->state, sizeof(j->state), "%s", label);
	ev_child_init(&j->child, on_exit_cb, pid, 0);
	ev_child_start(loop, &j->child);
	ev_timer_init(&j->tmr, on_timeout, NOTIFY_TIMEOUT_S, 0.0);
	ev_timer_start(loop, &j->tmr);
	j->next = jobs;
	jobs = j;
	args[0] = '\0';
	for (i = 0; i < c->argc && used < sizeof(args); i++) {
		n = snprintf(args + used, sizeof(args) - used, "%s%s",
		    i > 0 ? " " : "", c->argv[i]);
		if (n > 0)
			used += (size_t)n;
	}
	log_info("group %s: %s: %s (pid %ld)", g->cfg->name, label, args,
	    (long)pid);
}

void
notify_run(struct ha_group *g, enum role r)
{
	struct notify_cmd	 cmds[NOTIFY_PLAN_MAX];
	char			 prio[8];
	size_t			 i, n;

	snprintf(prio, sizeof(prio), "%u", g->in.prio_eff);
	n = notify_plan(g->cfg, r, prio, cmds);
	for (i = 0; i < n; i++)
		spawn(g, &cmds[i], notify_state_word(r));
}

/* Shutdown: stop watching g's scripts; they run on, as keepalived's. */
void
notify_stop(struct ha_group *g)
{
	struct notify_job	*j, *next;

	for (j = jobs; j != NULL; j = next) {
		next = j->next;
		if (j->g == g)
			job_free(g->hd->d->loop, j);
	}
}
